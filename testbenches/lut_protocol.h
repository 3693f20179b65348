// The clocked loop around a generated lut_gemv top (rtl_gen/lut_gemv_verilog.h),
// shared by the Verilator harness (testbenches/lut_harness.cpp) and tpe's native
// gate-level simulator (reports/gate_sim.h, tpe power): apply the cfg words with
// one reset edge, zero the toggle counters, then every cycle serve the combinational
// operand ports of every array p (bits p*width.. of each port; w_rd: the weights of
// group w_rd_grp for the lanes from w_rd_out; a_rd: the activations of groups
// a_rd_grp .. +S-1 for tokens a_rd_tok .. +BT-1; zero past M, K or N), settle, log
// that edge's drain-port writes (array by array) and row accesses, and raise and
// lower the clock, until done is high; with a stall port, drive the seeded stall
// pattern first in every cycle. Header-only and free of tpe's libraries,
// because the Verilator build compiles it beside the harness.
#pragma once
#include "sram_protocol.h" // harness::stalled_cycle
#include <cstdint>
#include <string>
#include <vector>

namespace tpe {
namespace lut_harness {

// Sizes of the operand and drain ports (lut_rtl.cpp's TPE_L* defines).
struct Geometry {
  int P = 1;  // arrays
  int G = 1;  // group: K elements per table
  int S = 1;  // groups per a_rd read (weight orientation: rows / table rows; else 1)
  int LN = 1; // lanes served by w_rd
  int BT = 1; // tokens served by a_rd
  int WB = 1, AB = 1, OB = 1; // weight, activation and drain-chunk bits
  bool stall = false;         // the stall wrapper's top (rtl_gen/stall_wrapper.h)
};

struct Stimulus {
  int64_t M = 0, K = 0, N = 0, G = 0; // G = ceil(K / group) groups
  std::vector<int64_t> A, B;          // M x K and K x N, row-major
  int64_t max_cycles = 50000000;
  // the seeded stall pattern (harness::stalled_cycle), with Geometry::stall
  uint64_t stall_seed = 0;
  uint32_t stall_threshold = 0;
};

struct Write {
  int64_t cycle = 0, tile = 0, blk = 0, chunk = 0;
  std::vector<uint64_t> data; // the chunk's OB bits in 64-bit words, least significant first
};

struct Result {
  std::vector<Write> writes;
  int64_t row_reads = 0, row_writes = 0; // summed over the arrays
  int64_t done = -1;                     // the cycle done rose, -1 when it did not
  std::string error;                     // timeout
};

enum class Port {
  clk,
  rst,
  cfg_m,
  cfg_k,
  cfg_n,
  cfg_g,
  w_rd_grp,
  w_rd_out,
  w_rd_data,
  a_rd_grp,
  a_rd_tok,
  a_rd_data,
  o_wr_en,
  o_wr_tile,
  o_wr_blk,
  o_wr_chunk,
  o_wr_data,
  row_rd,
  row_wr,
  done,
  stall
};

inline const char* port_name(Port p) {
  switch (p) {
  case Port::clk:
    return "clk";
  case Port::rst:
    return "rst";
  case Port::cfg_m:
    return "cfg_m";
  case Port::cfg_k:
    return "cfg_k";
  case Port::cfg_n:
    return "cfg_n";
  case Port::cfg_g:
    return "cfg_g";
  case Port::w_rd_grp:
    return "w_rd_grp";
  case Port::w_rd_out:
    return "w_rd_out";
  case Port::w_rd_data:
    return "w_rd_data";
  case Port::a_rd_grp:
    return "a_rd_grp";
  case Port::a_rd_tok:
    return "a_rd_tok";
  case Port::a_rd_data:
    return "a_rd_data";
  case Port::o_wr_en:
    return "o_wr_en";
  case Port::o_wr_tile:
    return "o_wr_tile";
  case Port::o_wr_blk:
    return "o_wr_blk";
  case Port::o_wr_chunk:
    return "o_wr_chunk";
  case Port::o_wr_data:
    return "o_wr_data";
  case Port::row_rd:
    return "row_rd";
  case Port::row_wr:
    return "row_wr";
  case Port::done:
    return "done";
  case Port::stall:
    return "stall";
  }
  return "";
}

// Dut: void eval(); void zero_toggles(); void set(Port, int lo, int n, uint64_t);
// uint64_t get(Port, int lo, int n) (n <= 64).
template <class Dut> Result run(Dut& d, const Geometry& g, const Stimulus& s) {
  Result r;
  const auto a_at = [&](int64_t tok, int64_t k) {
    return k < s.K && tok < s.M ? s.A[static_cast<size_t>(tok * s.K + k)] : 0;
  };
  const auto b_at = [&](int64_t k, int64_t n) {
    return k < s.K && n < s.N ? s.B[static_cast<size_t>(k * s.N + n)] : 0;
  };
  d.set(Port::cfg_m, 0, 32, static_cast<uint64_t>(s.M));
  d.set(Port::cfg_k, 0, 32, static_cast<uint64_t>(s.K));
  d.set(Port::cfg_n, 0, 32, static_cast<uint64_t>(s.N));
  d.set(Port::cfg_g, 0, 32, static_cast<uint64_t>(s.G));
  d.set(Port::clk, 0, 1, 0);
  d.set(Port::rst, 0, 1, 1);
  d.eval();
  d.set(Port::clk, 0, 1, 1);
  d.eval();
  d.set(Port::clk, 0, 1, 0);
  d.set(Port::rst, 0, 1, 0);
  d.eval();
  d.zero_toggles(); // count toggles of the GEMM only, not of the reset
  const int words = (g.OB + 63) / 64;
  int64_t cycle = 0;
  while (!d.get(Port::done, 0, 1)) {
    if (++cycle > s.max_cycles) {
      r.error = "no done after " + std::to_string(s.max_cycles) + " cycles";
      return r;
    }
    if (g.stall) // the wrapper gates row_rd, row_wr and o_wr_en with it
      d.set(Port::stall, 0, 1,
            harness::stalled_cycle(s.stall_seed, s.stall_threshold, cycle) ? 1 : 0);
    for (int p = 0; p < g.P; ++p) { // array p's operand ports
      const int64_t wg = static_cast<int64_t>(d.get(Port::w_rd_grp, p * 32, 32));
      const int64_t wo = static_cast<int64_t>(d.get(Port::w_rd_out, p * 32, 32));
      for (int l = 0; l < g.LN; ++l)
        for (int t = 0; t < g.G; ++t)
          d.set(Port::w_rd_data, ((p * g.LN + l) * g.G + t) * g.WB, g.WB,
                static_cast<uint64_t>(b_at(wg * g.G + t, wo + l)));
      const int64_t ag = static_cast<int64_t>(d.get(Port::a_rd_grp, p * 32, 32));
      const int64_t am = static_cast<int64_t>(d.get(Port::a_rd_tok, p * 32, 32));
      for (int sg = 0; sg < g.S; ++sg)
        for (int m = 0; m < g.BT; ++m)
          for (int t = 0; t < g.G; ++t)
            d.set(Port::a_rd_data, (((p * g.S + sg) * g.BT + m) * g.G + t) * g.AB, g.AB,
                  static_cast<uint64_t>(a_at(am + m, (ag + sg) * g.G + t)));
    }
    d.eval();
    for (int p = 0; p < g.P; ++p) {
      r.row_reads += static_cast<int64_t>(d.get(Port::row_rd, p, 1));
      r.row_writes += static_cast<int64_t>(d.get(Port::row_wr, p, 1));
      if (!d.get(Port::o_wr_en, p, 1)) continue;
      Write w;
      w.cycle = cycle;
      w.tile = static_cast<int64_t>(d.get(Port::o_wr_tile, p * 32, 32));
      w.blk = static_cast<int64_t>(d.get(Port::o_wr_blk, 0, 32));
      w.chunk = static_cast<int64_t>(d.get(Port::o_wr_chunk, 0, 32));
      for (int q = 0; q < words; ++q)
        w.data.push_back(
            d.get(Port::o_wr_data, p * g.OB + q * 64, g.OB - q * 64 < 64 ? g.OB - q * 64 : 64));
      r.writes.push_back(std::move(w));
    }
    d.set(Port::clk, 0, 1, 1);
    d.eval();
    d.set(Port::clk, 0, 1, 0);
    d.eval();
  }
  r.done = cycle;
  return r;
}

} // namespace lut_harness
} // namespace tpe
