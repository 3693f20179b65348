// Verilator harness of the lut_gemv top (rtl_gen/lut_gemv_verilog.h). It reads the
// stimulus "M K N G", then A (M x K, row-major) and B (K x N) as decimal integers,
// runs the clocked loop of testbenches/lut_protocol.h (shared with the native
// gate-level simulator of tpe power) on the Verilated top, and writes the drain-port
// writes as lines "W cycle tile blk chunk hexword..." (64-bit words of the array's
// o_wr_data, least significant first), then "E reads writes done_cycle". Sizes come
// from tpe_harness_config.h: TPE_LP, TPE_LG, TPE_LS, TPE_LLN, TPE_LBT, TPE_LWB,
// TPE_LAB, TPE_LOB (testbenches/lib/lut_rtl.cpp); with TPE_STALL (the stall wrapper's
// top) the stimulus ends with "stall SEED THRESHOLD", the seeded stall pattern.
#include "Vtop.h"
#include "lut_protocol.h"
#include "tpe_harness_config.h"
#include "verilated.h"
#include <cstdint>
#ifndef TPE_STALL
#define TPE_STALL 0
#endif
#include <cstdio>
#include <vector>

namespace {

using tpe::lut_harness::Port;
namespace lut_harness = tpe::lut_harness;

template <class T> void put_bit(T& port, int i, bool v) {
  if (v)
    port = static_cast<T>(port | (T(1) << i));
  else
    port = static_cast<T>(port & ~(T(1) << i));
}
template <std::size_t N> void put_bit(VlWide<N>& port, int i, bool v) {
  if (v)
    port[i / 32] |= 1u << (i % 32);
  else
    port[i / 32] &= ~(1u << (i % 32));
}
template <class T> bool get_bit(const T& port, int i) {
  return (static_cast<uint64_t>(port) >> i) & 1;
}
template <std::size_t N> bool get_bit(const VlWide<N>& port, int i) {
  return (port[i / 32] >> (i % 32)) & 1;
}
template <class T> void put_value(T& port, int at, int bits, int64_t v) {
  for (int i = 0; i < bits; ++i)
    put_bit(port, at + i, (static_cast<uint64_t>(v) >> i) & 1);
}
template <class T> long long get_value(const T& port, int at, int bits) {
  unsigned long long v = 0;
  for (int i = 0; i < bits; ++i)
    v |= static_cast<unsigned long long>(get_bit(port, at + i)) << i;
  return static_cast<long long>(v);
}

// lut_protocol.h's Dut over the Verilated top.
struct VerilatedDut {
  Vtop& top;
  template <class F> void with_port(Port p, F f) {
    switch (p) {
    case Port::clk:
      return f(top.clk);
    case Port::rst:
      return f(top.rst);
    case Port::cfg_m:
      return f(top.cfg_m);
    case Port::cfg_k:
      return f(top.cfg_k);
    case Port::cfg_n:
      return f(top.cfg_n);
    case Port::cfg_g:
      return f(top.cfg_g);
    case Port::w_rd_grp:
      return f(top.w_rd_grp);
    case Port::w_rd_out:
      return f(top.w_rd_out);
    case Port::w_rd_data:
      return f(top.w_rd_data);
    case Port::a_rd_grp:
      return f(top.a_rd_grp);
    case Port::a_rd_tok:
      return f(top.a_rd_tok);
    case Port::a_rd_data:
      return f(top.a_rd_data);
    case Port::o_wr_en:
      return f(top.o_wr_en);
    case Port::o_wr_tile:
      return f(top.o_wr_tile);
    case Port::o_wr_blk:
      return f(top.o_wr_blk);
    case Port::o_wr_chunk:
      return f(top.o_wr_chunk);
    case Port::o_wr_data:
      return f(top.o_wr_data);
    case Port::row_rd:
      return f(top.row_rd);
    case Port::row_wr:
      return f(top.row_wr);
    case Port::done:
      return f(top.done);
    case Port::stall:
#if TPE_STALL
      return f(top.stall);
#else
      break;
#endif
    }
  }
  void eval() {
    top.eval();
  }
  void zero_toggles() {}
  void set(Port p, int lo, int n, uint64_t v) {
    with_port(p, [&](auto& port) { put_value(port, lo, n, static_cast<int64_t>(v)); });
  }
  uint64_t get(Port p, int lo, int n) {
    uint64_t v = 0;
    with_port(p, [&](auto& port) { v = static_cast<uint64_t>(get_value(port, lo, n)); });
    return v;
  }
};

} // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s STIMULUS TRACE\n", argv[0]);
    return 2;
  }
  std::FILE* in = std::fopen(argv[1], "r");
  std::FILE* out = std::fopen(argv[2], "w");
  if (!in || !out) {
    std::fprintf(stderr, "cannot open %s or %s\n", argv[1], argv[2]);
    return 2;
  }
  lut_harness::Stimulus s;
  long long M = 0, K = 0, N = 0, G = 0;
  if (std::fscanf(in, "%lld %lld %lld %lld", &M, &K, &N, &G) != 4) return 2;
  s.M = M;
  s.K = K;
  s.N = N;
  s.G = G;
  s.A.resize(static_cast<size_t>(M * K));
  s.B.resize(static_cast<size_t>(K * N));
  for (auto* v : {&s.A, &s.B})
    for (auto& x : *v) {
      long long y = 0;
      if (std::fscanf(in, "%lld", &y) != 1) return 2;
      x = y;
    }
  if (TPE_STALL) {
    unsigned long long seed = 0;
    unsigned threshold = 0;
    if (std::fscanf(in, " stall %llu %u", &seed, &threshold) != 2) return 2;
    s.stall_seed = seed;
    s.stall_threshold = threshold;
  }
  std::fclose(in);
  VerilatedContext ctx;
  Vtop top(&ctx);
  VerilatedDut dut{top};
  lut_harness::Geometry g;
  g.P = TPE_LP;
  g.G = TPE_LG;
  g.S = TPE_LS;
  g.LN = TPE_LLN;
  g.BT = TPE_LBT;
  g.WB = TPE_LWB;
  g.AB = TPE_LAB;
  g.OB = TPE_LOB;
  g.stall = TPE_STALL;
  const lut_harness::Result r = lut_harness::run(dut, g, s);
  if (!r.error.empty()) {
    std::fprintf(stderr, "%s\n", r.error.c_str());
    return 3;
  }
  for (const auto& w : r.writes) {
    std::fprintf(out, "W %lld %lld %lld %lld", static_cast<long long>(w.cycle),
                 static_cast<long long>(w.tile), static_cast<long long>(w.blk),
                 static_cast<long long>(w.chunk));
    for (uint64_t x : w.data)
      std::fprintf(out, " %llx", static_cast<unsigned long long>(x));
    std::fprintf(out, "\n");
  }
  std::fprintf(out, "E %lld %lld %lld\n", static_cast<long long>(r.row_reads),
               static_cast<long long>(r.row_writes), static_cast<long long>(r.done));
  top.final();
  return std::fclose(out) == 0 ? 0 : 1;
}
