// Verilator harness for a generated systolic engine. It plays the three SRAMs
// around the top (1-cycle read latency, read-before-write), drives the start
// pulse and cfg words from a stimulus file, and logs every output-SRAM write
// with its cycle, so tpe can compare the RTL with the SystemC model write by
// write. Compiled by `tpe verify` together with tpe_harness_config.h, which
// defines TPE_OS, TPE_R, TPE_C, TPE_W, TPE_A, TPE_G (K elements per operand lane
// of an SRAM word) and TPE_SPARSE (the design has a dig_valid port: TPE_DV bits
// per row, one per term (digit or bit) the row's encoder issues this cycle).
//
// Stimulus file (whitespace separated):
//   cfg c0 c1 c2            os: K MT NT     ws/is: T NT KT
//   west NWORDS  v...       NWORDS*R*G signed operands
//   north NWORDS v...       NWORDS*C*G signed operands
//   out NWORDS              output SRAM size in words of C accumulators
//   max_cycles N
// Trace file: one line per write "W cycle addr v0 .. v(C-1)", then
//   "R w_reads n_reads o_reads o_writes", "D cycles" (cycle done rose), for
//   sparse designs "S digits" (dig_valid bits summed over the cycles) and
//   "T seconds" (wall time of the clocked loop, for benchmarks).
// Built with --coverage-toggle (gate-level energy), it also writes the toggle
// counts of every signal to coverage.dat in its working directory.
// Exit status: 0 ran to done, 1 bad stimulus / out-of-range access / timeout.
#include "Vtop.h"
#include "tpe_harness_config.h"
#include "verilated.h"
#if VM_COVERAGE
#include "verilated_cov.h"
#endif
#include <chrono>
#include <cstdint>
#include <cstdio>
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

int64_t sext(uint64_t v, int bits) {
  if (bits >= 64) return static_cast<int64_t>(v);
  const int sh = 64 - bits;
  return static_cast<int64_t>(v << sh) >> sh;
}

[[noreturn]] void die(const std::string& msg) {
  std::cerr << "rtl_harness: " << msg << "\n";
  std::exit(1);
}

// Pack `lanes` values of `bits` each into a port value (built whole, then assigned).
template <typename T>
void load_word(T& port, const std::vector<int64_t>& mem, int64_t addr, int lanes, int bits) {
  T tmp = port;
  for (int l = 0; l < lanes; ++l)
    set_bits(tmp, l * bits, bits, static_cast<uint64_t>(mem[addr * lanes + l]));
  port = tmp;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 3) die("usage: tpe_rtl_sim STIMULUS TRACE");
  std::ifstream in(argv[1]);
  if (!in) die(std::string("cannot open ") + argv[1]);
  std::string tag;
  uint64_t cfg[3];
  int64_t nw, nn, no, max_cycles;
  in >> tag >> cfg[0] >> cfg[1] >> cfg[2];
  if (tag != "cfg") die("expected 'cfg'");
  in >> tag >> nw;
  if (tag != "west") die("expected 'west'");
  std::vector<int64_t> west(nw * TPE_R * TPE_G);
  for (auto& v : west)
    in >> v;
  in >> tag >> nn;
  if (tag != "north") die("expected 'north'");
  std::vector<int64_t> north(nn * TPE_C * TPE_G);
  for (auto& v : north)
    in >> v;
  in >> tag >> no;
  if (tag != "out") die("expected 'out'");
  std::vector<int64_t> omem(no * TPE_C, 0);
  in >> tag >> max_cycles;
  if (tag != "max_cycles" || !in) die("malformed stimulus");

  FILE* tr = std::fopen(argv[2], "w");
  if (!tr) die(std::string("cannot write ") + argv[2]);

  VerilatedContext ctx;
  Vtop top(&ctx);
  top.clk = 0;
  top.rst = 1;
  top.start = 0;
  top.eval();
  for (int i = 0; i < 4; ++i) {
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
  }
  top.rst = 0;
#if VM_COVERAGE
  ctx.coveragep()->zero(); // count toggles of the GEMM only, not of the reset
#endif
#if TPE_OS
  top.cfg_k = cfg[0];
  top.cfg_mt = cfg[1];
  top.cfg_nt = cfg[2];
#else
  top.cfg_t = cfg[0];
  top.cfg_nt = cfg[1];
  top.cfg_kt = cfg[2];
#endif
  top.start = 1;
  top.eval();
  const auto t0 = std::chrono::steady_clock::now();
  int64_t cycle = 0, w_reads = 0, n_reads = 0, o_reads = 0, o_writes = 0, digits = 0;
  bool finished = false;
  while (cycle < max_cycles) {
    // combinational outputs of this cycle
    const bool rw = top.w_rd_en, rn = top.n_rd_en;
    const int64_t aw = top.w_rd_addr, an = top.n_rd_addr;
#if TPE_OS
    const bool ro = false;
    const int64_t ao = 0;
#else
    const bool ro = top.o_rd_en;
    const int64_t ao = top.o_rd_addr;
#endif
#if TPE_SPARSE
    for (int lo = 0; lo < TPE_R * TPE_DV; lo += 64) // get_bits reads at most 64 bits
      digits += __builtin_popcountll(
          get_bits(top.dig_valid, lo, TPE_R * TPE_DV - lo < 64 ? TPE_R * TPE_DV - lo : 64));
#endif
    const bool wo = top.o_wr_en;
    const int64_t awo = top.o_wr_addr;
    std::vector<int64_t> wdata;
    if (wo) {
      if (awo < 0 || awo >= no)
        die("output write address " + std::to_string(awo) + " out of range at cycle " +
            std::to_string(cycle));
      std::fprintf(tr, "W %lld %lld", static_cast<long long>(cycle), static_cast<long long>(awo));
      for (int j = 0; j < TPE_C; ++j) {
        const int64_t v = sext(get_bits(top.o_wr_data, j * TPE_A, TPE_A), TPE_A);
        wdata.push_back(v);
        std::fprintf(tr, " %lld", static_cast<long long>(v));
      }
      std::fprintf(tr, "\n");
      ++o_writes;
    }
    if (rw && (aw < 0 || aw >= nw))
      die("west read address " + std::to_string(aw) + " out of range at cycle " +
          std::to_string(cycle));
    if (rn && (an < 0 || an >= nn))
      die("north read address " + std::to_string(an) + " out of range at cycle " +
          std::to_string(cycle));
    if (ro && (ao < 0 || ao >= no))
      die("output read address " + std::to_string(ao) + " out of range at cycle " +
          std::to_string(cycle));
    // rising edge: the DUT samples the current SRAM outputs, then the SRAMs update
    top.clk = 1;
    top.eval();
    if (rw) {
      load_word(top.w_rd_data, west, aw, TPE_R * TPE_G, TPE_W);
      ++w_reads;
    }
    if (rn) {
      load_word(top.n_rd_data, north, an, TPE_C * TPE_G, TPE_W);
      ++n_reads;
    }
#if !TPE_OS
    if (ro) {
      load_word(top.o_rd_data, omem, ao, TPE_C, TPE_A);
      ++o_reads;
    }
#endif
    if (wo)
      for (int j = 0; j < TPE_C; ++j)
        omem[awo * TPE_C + j] = wdata[j];
    top.start = 0;
    top.clk = 0;
    top.eval();
    ++cycle;
    if (top.done) {
      finished = true;
      break;
    }
  }
  std::fprintf(tr, "R %lld %lld %lld %lld\n", static_cast<long long>(w_reads),
               static_cast<long long>(n_reads), static_cast<long long>(o_reads),
               static_cast<long long>(o_writes));
  std::fprintf(tr, "D %lld\n", static_cast<long long>(finished ? cycle : -1));
#if TPE_SPARSE
  std::fprintf(tr, "S %lld\n", static_cast<long long>(digits));
#else
  (void)digits;
#endif
  std::fprintf(tr, "T %.6f\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::fclose(tr);
#if VM_COVERAGE
  ctx.coveragep()->write("coverage.dat"); // toggle counts (gate-level energy)
#endif
  top.final();
  if (!finished) die("done did not rise within " + std::to_string(max_cycles) + " cycles");
  return 0;
}
