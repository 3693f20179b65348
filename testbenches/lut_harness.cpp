// Verilator harness of the lut_gemv top (rtl_gen/lut_gemv_verilog.h). It reads the
// stimulus "M K N G", then A (M x K, row-major) and B (K x N) as decimal integers,
// resets the design with the cfg words, and clocks it: before each rising edge it
// serves the combinational operand ports of every array p (bits p*width.. of each
// port; w_rd: the weights of group w_rd_grp for the lanes from w_rd_out; a_rd: the
// activations of groups a_rd_grp .. +S-1 for tokens a_rd_tok .. +BT-1; zero past M, K
// or N; table: activation has S = 1 and BT = tokens_per_pass,
// testbenches/lib/lut_rtl.cpp), then logs that edge's output writes (array by array)
// and row accesses. Output lines: "W cycle tile blk chunk hexword..." (64-bit words of
// the array's o_wr_data, least significant first), then "E reads writes done_cycle".
// Sizes come from tpe_harness_config.h: TPE_LP, TPE_LG, TPE_LS, TPE_LLN, TPE_LBT,
// TPE_LWB, TPE_LAB, TPE_LOB.
#include "Vtop.h"
#include "tpe_harness_config.h"
#include "verilated.h"
#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

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
  long long M = 0, K = 0, N = 0, G = 0;
  if (std::fscanf(in, "%lld %lld %lld %lld", &M, &K, &N, &G) != 4) return 2;
  std::vector<long long> A(static_cast<size_t>(M * K)), B(static_cast<size_t>(K * N));
  for (auto& x : A)
    if (std::fscanf(in, "%lld", &x) != 1) return 2;
  for (auto& x : B)
    if (std::fscanf(in, "%lld", &x) != 1) return 2;
  std::fclose(in);
  VerilatedContext ctx;
  Vtop top(&ctx);
  top.cfg_m = static_cast<uint32_t>(M);
  top.cfg_k = static_cast<uint32_t>(K);
  top.cfg_n = static_cast<uint32_t>(N);
  top.cfg_g = static_cast<uint32_t>(G);
  top.clk = 0;
  top.rst = 1;
  top.eval();
  top.clk = 1;
  top.eval();
  top.clk = 0;
  top.rst = 0;
  top.eval();
  long long reads = 0, writes = 0, cycle = 0;
  const long long limit = 50000000;
  while (!top.done) {
    if (++cycle > limit) {
      std::fprintf(stderr, "no done after %lld cycles\n", limit);
      return 3;
    }
    for (int p = 0; p < TPE_LP; ++p) { // array p's operand ports
      const long long wg = get_value(top.w_rd_grp, p * 32, 32);
      const long long wo = get_value(top.w_rd_out, p * 32, 32);
      for (int l = 0; l < TPE_LLN; ++l)
        for (int t = 0; t < TPE_LG; ++t) {
          const long long k = wg * TPE_LG + t, n = wo + l;
          put_value(top.w_rd_data, ((p * TPE_LLN + l) * TPE_LG + t) * TPE_LWB, TPE_LWB,
                    k < K && n < N ? B[static_cast<size_t>(k * N + n)] : 0);
        }
      const long long ag = get_value(top.a_rd_grp, p * 32, 32);
      const long long am = get_value(top.a_rd_tok, p * 32, 32);
      for (int s = 0; s < TPE_LS; ++s)
        for (int m = 0; m < TPE_LBT; ++m)
          for (int t = 0; t < TPE_LG; ++t) {
            const long long k = (ag + s) * TPE_LG + t, tok = am + m;
            put_value(top.a_rd_data, (((p * TPE_LS + s) * TPE_LBT + m) * TPE_LG + t) * TPE_LAB,
                      TPE_LAB, k < K && tok < M ? A[static_cast<size_t>(tok * K + k)] : 0);
          }
    }
    top.eval();
    for (int p = 0; p < TPE_LP; ++p) {
      reads += get_bit(top.row_rd, p);
      writes += get_bit(top.row_wr, p);
      if (!get_bit(top.o_wr_en, p)) continue;
      std::fprintf(out, "W %lld %lld %u %u", cycle, get_value(top.o_wr_tile, p * 32, 32),
                   top.o_wr_blk, top.o_wr_chunk);
      for (int w = 0; w < (TPE_LOB + 63) / 64; ++w) {
        unsigned long long v = 0;
        for (int i = 0; i < 64 && w * 64 + i < TPE_LOB; ++i)
          v |= static_cast<unsigned long long>(get_bit(top.o_wr_data, p * TPE_LOB + w * 64 + i))
               << i;
        std::fprintf(out, " %llx", v);
      }
      std::fprintf(out, "\n");
    }
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
  }
  std::fprintf(out, "E %lld %lld %lld\n", reads, writes, cycle);
  top.final();
  return std::fclose(out) == 0 ? 0 : 1;
}
