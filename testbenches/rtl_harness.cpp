// Verilator harness for a generated systolic engine. It plays the three SRAMs
// around the top (1-cycle read latency, read-before-write), drives the start
// pulse and cfg words from a stimulus file, and logs every output-SRAM write
// with its cycle, so tpe can compare the RTL with the SystemC model write by
// write. Compiled by `tpe verify` together with tpe_harness_config.h, which
// defines TPE_OS, TPE_R, TPE_C, TPE_WW, TPE_WN (west, north code bits), TPE_A, TPE_G (K elements
// per operand lane of an SRAM word) and TPE_SPARSE (the design has a dig_valid port: TPE_DV bits
// per row, one per term (digit or bit) the row's encoder issues this cycle), and
// for block-scaled designs TPE_WSCALE / TPE_NSCALE (scale SRAM ports ws_rd_* /
// ns_rd_* of TPE_SL-bit lanes, 8 by default) and TPE_BP (block-scaled ws/is, and
// adder trees whose blocks span several K-tiles: the bits of an exact block partial
// of the output SRAM's second bank, ports ob_rd_data / ob_wr_data beside the output
// word).
//
// Stimulus file (whitespace separated):
//   cfg c0 c1 c2            os: K MT NT     ws/is: T NT KT
//   west NWORDS  v...       NWORDS*R*G signed operands
//   north NWORDS v...       NWORDS*C*G signed operands
//   wscale NWORDS v...      (TPE_WSCALE) NWORDS*R scale codes
//   nscale NWORDS v...      (TPE_NSCALE) NWORDS*C scale codes
//   out NWORDS              output SRAM size in words of C accumulators
//   max_cycles N
//   stall SEED THRESHOLD    (TPE_STALL: the stall wrapper's top) the seeded stall pattern
// Trace file: one line per write "W cycle addr v0 .. v(C-1)", then
//   "R w_reads n_reads o_reads o_writes", for block-scaled designs "Q ws_reads
//   ns_reads" (scale SRAM words), "D cycles" (cycle done rose), for
//   sparse designs "S digits" (dig_valid bits summed over the cycles) and
//   "T seconds" (wall time of the clocked loop, for benchmarks).
// Built with --coverage-toggle (gate-level energy), it also writes the toggle
// counts of every signal to coverage.dat in its working directory. Built with
// --trace (tpe verify --vcd), three more arguments VCD FROM TO dump every signal
// to the VCD file once per cycle FROM..TO: at time c ns the values of cycle c
// (the start pulse is cycle 0), as the SystemC model's waveform does.
// Exit status: 0 ran to done, 1 bad stimulus / out-of-range access / timeout.
#include "Vtop.h"
#include "sram_protocol.h"
#include "tpe_harness_config.h"
#ifndef TPE_WSCALE
#define TPE_WSCALE 0
#endif
#ifndef TPE_NSCALE
#define TPE_NSCALE 0
#endif
#ifndef TPE_SL
#define TPE_SL 8
#endif
#ifndef TPE_BP
#define TPE_BP 0
#endif
#ifndef TPE_STALL
#define TPE_STALL 0
#endif
#include "verilated.h"
#if VM_COVERAGE
#include "verilated_cov.h"
#endif
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <type_traits>
#include <vector>

namespace {

// Bit-field access for Verilator ports of any width (integral or VlWide).
template <typename T, typename std::enable_if<std::is_integral<T>::value, int>::type = 0>
uint64_t get_bits(const T& v, int lo, int n) {
  const uint64_t x = static_cast<uint64_t>(v) >> lo;
  return n >= 64 ? x : (x & ((uint64_t(1) << n) - 1));
}
template <std::size_t N> uint64_t get_bits(const VlWide<N>& v, int lo, int n) {
  uint64_t r = 0;
  for (int b = 0; b < n; ++b)
    r |= static_cast<uint64_t>((v[(lo + b) / 32] >> ((lo + b) % 32)) & 1u) << b;
  return r;
}
template <typename T, typename std::enable_if<std::is_integral<T>::value, int>::type = 0>
void set_bits(T& v, int lo, int n, uint64_t x) {
  const uint64_t m = (n >= 64 ? ~uint64_t(0) : ((uint64_t(1) << n) - 1)) << lo;
  v = static_cast<T>((static_cast<uint64_t>(v) & ~m) | ((x << lo) & m));
}
template <std::size_t N> void set_bits(VlWide<N>& v, int lo, int n, uint64_t x) {
  for (int b = 0; b < n; ++b) {
    const uint32_t bit = 1u << ((lo + b) % 32);
    if ((x >> b) & 1)
      v[(lo + b) / 32] |= bit;
    else
      v[(lo + b) / 32] &= ~bit;
  }
}

[[noreturn]] void die(const std::string& msg) {
  std::cerr << "rtl_harness: " << msg << "\n";
  std::exit(1);
}

// The Verilated top as the Dut of tpe::harness::run.
struct VtopDut {
  Vtop& t;
  VerilatedContext& ctx;
  void eval() { t.eval(); }
  void zero_toggles() {
#if VM_COVERAGE
    ctx.coveragep()->zero();
#endif
  }
  template <typename F> void port(tpe::harness::Port p, F&& f) {
    using P = tpe::harness::Port;
    switch (p) {
    case P::clk:
      f(t.clk);
      break;
    case P::rst:
      f(t.rst);
      break;
    case P::start:
      f(t.start);
      break;
#if TPE_OS
    case P::cfg0:
      f(t.cfg_k);
      break;
    case P::cfg1:
      f(t.cfg_mt);
      break;
    case P::cfg2:
      f(t.cfg_nt);
      break;
#else
    case P::cfg0:
      f(t.cfg_t);
      break;
    case P::cfg1:
      f(t.cfg_nt);
      break;
    case P::cfg2:
      f(t.cfg_kt);
      break;
    case P::o_rd_en:
      f(t.o_rd_en);
      break;
    case P::o_rd_addr:
      f(t.o_rd_addr);
      break;
    case P::o_rd_data:
      f(t.o_rd_data);
      break;
#endif
    case P::w_rd_en:
      f(t.w_rd_en);
      break;
    case P::w_rd_addr:
      f(t.w_rd_addr);
      break;
    case P::w_rd_data:
      f(t.w_rd_data);
      break;
    case P::n_rd_en:
      f(t.n_rd_en);
      break;
    case P::n_rd_addr:
      f(t.n_rd_addr);
      break;
    case P::n_rd_data:
      f(t.n_rd_data);
      break;
    case P::o_wr_en:
      f(t.o_wr_en);
      break;
    case P::o_wr_addr:
      f(t.o_wr_addr);
      break;
    case P::o_wr_data:
      f(t.o_wr_data);
      break;
#if TPE_WSCALE
    case P::ws_rd_en:
      f(t.ws_rd_en);
      break;
    case P::ws_rd_addr:
      f(t.ws_rd_addr);
      break;
    case P::ws_rd_data:
      f(t.ws_rd_data);
      break;
#endif
#if TPE_NSCALE
    case P::ns_rd_en:
      f(t.ns_rd_en);
      break;
    case P::ns_rd_addr:
      f(t.ns_rd_addr);
      break;
    case P::ns_rd_data:
      f(t.ns_rd_data);
      break;
#endif
#if TPE_BP
    case P::ob_rd_data:
      f(t.ob_rd_data);
      break;
    case P::ob_wr_data:
      f(t.ob_wr_data);
      break;
#endif
#if TPE_SPARSE
    case P::dig_valid:
      f(t.dig_valid);
      break;
#endif
#if TPE_STALL
    case P::stall:
      f(t.stall);
      break;
#endif
    case P::busy:
      f(t.busy);
      break;
    case P::done:
      f(t.done);
      break;
    default:
      die(std::string("the design has no port ") + tpe::harness::port_name(p, TPE_OS));
    }
  }
  void set(tpe::harness::Port p, int lo, int n, uint64_t v) {
    port(p, [&](auto& x) { set_bits(x, lo, n, v); });
  }
  uint64_t get(tpe::harness::Port p, int lo, int n) {
    uint64_t v = 0;
    port(p, [&](auto& x) { v = get_bits(x, lo, n); });
    return v;
  }
};

} // namespace

int main(int argc, char** argv) {
#if VM_TRACE
  if (argc != 6) die("usage: tpe_rtl_sim STIMULUS TRACE VCD FROM TO");
#else
  if (argc != 3) die("usage: tpe_rtl_sim STIMULUS TRACE");
#endif
  std::ifstream in(argv[1]);
  if (!in) die(std::string("cannot open ") + argv[1]);
  tpe::harness::Stimulus s;
  std::string tag;
  in >> tag >> s.cfg[0] >> s.cfg[1] >> s.cfg[2];
  if (tag != "cfg") die("expected 'cfg'");
  in >> tag >> s.nw;
  if (tag != "west") die("expected 'west'");
  s.west.resize(s.nw * TPE_R * TPE_G);
  for (auto& v : s.west)
    in >> v;
  in >> tag >> s.nn;
  if (tag != "north") die("expected 'north'");
  s.north.resize(s.nn * TPE_C * TPE_G);
  for (auto& v : s.north)
    in >> v;
  in >> tag;
  if (TPE_WSCALE) {
    if (tag != "wscale") die("expected 'wscale'");
    in >> s.nws;
    s.west_scale.resize(s.nws * TPE_R);
    for (auto& v : s.west_scale)
      in >> v;
    in >> tag;
  }
  if (TPE_NSCALE) {
    if (tag != "nscale") die("expected 'nscale'");
    in >> s.nns;
    s.north_scale.resize(s.nns * TPE_C);
    for (auto& v : s.north_scale)
      in >> v;
    in >> tag;
  }
  in >> s.no;
  if (tag != "out") die("expected 'out'");
  in >> tag >> s.max_cycles;
  if (tag != "max_cycles" || !in) die("malformed stimulus");
  if (TPE_STALL) {
    in >> tag >> s.stall_seed >> s.stall_threshold;
    if (tag != "stall" || !in) die("expected 'stall SEED THRESHOLD'");
  }

  FILE* tr = std::fopen(argv[2], "w");
  if (!tr) die(std::string("cannot write ") + argv[2]);
  VerilatedContext ctx;
  Vtop top(&ctx);
  VtopDut dut{top, ctx};
  tpe::harness::Geometry g;
  g.os = TPE_OS;
  g.R = TPE_R;
  g.C = TPE_C;
  g.WW = TPE_WW;
  g.WN = TPE_WN;
  g.A = TPE_A;
  g.G = TPE_G;
  g.sparse = TPE_SPARSE;
  g.DV = TPE_DV;
  g.wscale = TPE_WSCALE;
  g.nscale = TPE_NSCALE;
  g.SL = TPE_SL;
  g.BP = TPE_BP;
  g.stall = TPE_STALL;
#if VM_TRACE
  ctx.traceEverOn(true);
  VerilatedVcdC vcd;
  top.trace(&vcd, 99);
  vcd.open(argv[3]);
  const long long from = std::atoll(argv[4]), to = std::atoll(argv[5]);
  const tpe::harness::Result r = tpe::harness::run(dut, g, s, [&](int64_t c) {
    if (c >= from && c <= to) vcd.dump(static_cast<uint64_t>(c) * 1000); // 1 ns per cycle
  });
  vcd.close();
#else
  const tpe::harness::Result r = tpe::harness::run(dut, g, s);
#endif
  for (const auto& w : r.writes) {
    std::fprintf(tr, "W %lld %lld", static_cast<long long>(w.cycle),
                 static_cast<long long>(w.addr));
    for (int64_t v : w.data)
      std::fprintf(tr, " %lld", static_cast<long long>(v));
    std::fprintf(tr, "\n");
  }
  std::fprintf(tr, "R %lld %lld %lld %lld\n", static_cast<long long>(r.w_reads),
               static_cast<long long>(r.n_reads), static_cast<long long>(r.o_reads),
               static_cast<long long>(r.o_writes));
  if (g.wscale || g.nscale)
    std::fprintf(tr, "Q %lld %lld\n", static_cast<long long>(r.ws_reads),
                 static_cast<long long>(r.ns_reads));
  std::fprintf(tr, "D %lld\n", static_cast<long long>(r.done));
  if (g.sparse) std::fprintf(tr, "S %lld\n", static_cast<long long>(r.digits));
  std::fprintf(tr, "T %.6f\n", r.seconds);
  std::fclose(tr);
#if VM_COVERAGE
  ctx.coveragep()->write("coverage.dat"); // toggle counts (gate-level energy)
#endif
  top.final();
  if (!r.error.empty()) die(r.error);
  return 0;
}
