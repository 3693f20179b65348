// The clocked loop around a generated systolic top, shared by the Verilator
// harness (testbenches/rtl_harness.cpp) and tpe's native gate-level simulator
// (reports/gate_sim.h): reset for four cycles, zero the toggle counters, apply
// the cfg words and a one-cycle start pulse, then every cycle read the top's
// combinational SRAM requests, log an output write, raise the clock (the design
// samples the SRAM outputs), update the three SRAMs (1-cycle read latency,
// read-before-write) and lower the clock, until done rises; with a stall port, drive
// the seeded stall pattern first in every cycle. The handshake is
// checked too: busy low after reset, high on every cycle from the start pulse
// until done rises, and low on the cycle done rises. Header-only and free
// of tpe's libraries, because the Verilator build compiles it beside the model.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tpe {
namespace harness {

struct Geometry {
  bool os = true;
  // rows, cols, west and north operand code bits, accumulator bits, K elements per lane
  int R = 1, C = 1, WW = 8, WN = 8, A = 32, G = 1;
  bool sparse = false; // a dig_valid port of R*DV bits
  int DV = 1;
  // block-scaled operands: scale SRAMs of SL-bit lanes (os: 8, the scale code; ws/is:
  // 9, {block end, scale code}), west (R lanes, ports ws_rd_*) and north (C lanes,
  // ns_rd_*), each only when that operand has blocks
  bool wscale = false, nscale = false;
  int SL = 8;
  // block-scaled ws/is, and adder trees whose block spans several K-tiles: each output
  // word also holds C exact block partials of BP bits (ports ob_rd_data / ob_wr_data,
  // read and written with the output word); 0: none
  int BP = 0;
  // the stall wrapper's top (rtl_gen/stall_wrapper.h): a `stall` input that freezes the
  // engine for the rising edge ending the cycle it is high in
  bool stall = false;
};

struct Stimulus {
  uint64_t cfg[3] = {0, 0, 0}; // os: K MT NT; ws/is: T NT KT
  int64_t nw = 0, nn = 0, no = 0, max_cycles = 0;
  std::vector<int64_t> west, north;             // nw*R*G and nn*C*G signed operands
  int64_t nws = 0, nns = 0;                     // scale SRAM words (block-scaled operands)
  std::vector<int64_t> west_scale, north_scale; // nws*R and nns*C scale codes
  // the seeded stall pattern (stalled_cycle), with Geometry::stall
  uint64_t stall_seed = 0;
  uint32_t stall_threshold = 0;
};

// The seeded random stall pattern of tpe verify --stall-rate, shared by the model
// (sim/clocked_host.h StallPattern) and the harness: the edge that ends cycle c is
// stalled when the top 32 bits of splitmix64(seed + c x golden ratio) fall below
// `threshold` (rate x 2^32); cycle 0, the start pulse, never is.
inline bool stalled_cycle(uint64_t seed, uint32_t threshold, int64_t c) {
  if (c <= 0 || threshold == 0) return false;
  uint64_t z = seed + static_cast<uint64_t>(c) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<uint32_t>(z >> 32) < threshold;
}

struct Write {
  int64_t cycle = 0, addr = 0;
  std::vector<int64_t> data; // C accumulators
};

struct Result {
  std::vector<Write> writes;
  int64_t w_reads = 0, n_reads = 0, o_reads = 0, o_writes = 0;
  int64_t ws_reads = 0, ns_reads = 0; // scale SRAM words read
  int64_t done = -1;                  // cycle done rose, -1 when it did not
  int64_t digits = 0;                 // dig_valid bits summed over the cycles (sparse designs)
  double seconds = 0;                 // wall time of the clocked loop
  std::string error;                  // out-of-range access or timeout
};

enum class Port {
  clk,
  rst,
  start,
  cfg0,
  cfg1,
  cfg2,
  w_rd_en,
  w_rd_addr,
  w_rd_data,
  n_rd_en,
  n_rd_addr,
  n_rd_data,
  o_rd_en,
  o_rd_addr,
  o_rd_data,
  o_wr_en,
  o_wr_addr,
  o_wr_data,
  dig_valid,
  busy,
  done,
  ws_rd_en,
  ws_rd_addr,
  ws_rd_data,
  ns_rd_en,
  ns_rd_addr,
  ns_rd_data,
  ob_rd_data,
  ob_wr_data,
  stall
};

// The top's port name (the cfg words differ between the os and ws controllers).
inline const char* port_name(Port p, bool os) {
  switch (p) {
  case Port::clk:
    return "clk";
  case Port::rst:
    return "rst";
  case Port::start:
    return "start";
  case Port::cfg0:
    return os ? "cfg_k" : "cfg_t";
  case Port::cfg1:
    return os ? "cfg_mt" : "cfg_nt";
  case Port::cfg2:
    return os ? "cfg_nt" : "cfg_kt";
  case Port::w_rd_en:
    return "w_rd_en";
  case Port::w_rd_addr:
    return "w_rd_addr";
  case Port::w_rd_data:
    return "w_rd_data";
  case Port::n_rd_en:
    return "n_rd_en";
  case Port::n_rd_addr:
    return "n_rd_addr";
  case Port::n_rd_data:
    return "n_rd_data";
  case Port::o_rd_en:
    return "o_rd_en";
  case Port::o_rd_addr:
    return "o_rd_addr";
  case Port::o_rd_data:
    return "o_rd_data";
  case Port::o_wr_en:
    return "o_wr_en";
  case Port::o_wr_addr:
    return "o_wr_addr";
  case Port::o_wr_data:
    return "o_wr_data";
  case Port::dig_valid:
    return "dig_valid";
  case Port::busy:
    return "busy";
  case Port::done:
    return "done";
  case Port::ws_rd_en:
    return "ws_rd_en";
  case Port::ws_rd_addr:
    return "ws_rd_addr";
  case Port::ws_rd_data:
    return "ws_rd_data";
  case Port::ns_rd_en:
    return "ns_rd_en";
  case Port::ns_rd_addr:
    return "ns_rd_addr";
  case Port::ns_rd_data:
    return "ns_rd_data";
  case Port::ob_rd_data:
    return "ob_rd_data";
  case Port::ob_wr_data:
    return "ob_wr_data";
  case Port::stall:
    return "stall";
  }
  return "";
}

inline int64_t sign_extend(uint64_t v, int bits) {
  if (bits >= 64) return static_cast<int64_t>(v);
  const int sh = 64 - bits;
  return static_cast<int64_t>(v << sh) >> sh;
}

// Dut: void eval(); void zero_toggles(); void set(Port, int lo, int n, uint64_t);
// uint64_t get(Port, int lo, int n) (n <= 64).
// OnCycle: void(int64_t c), called with the design settled in cycle c (its
// registers and SRAM outputs of the cycle, before the rising edge that ends it),
// for every cycle from the start pulse (0) to the cycle done is high; waveform
// dumps (tpe verify --vcd) sample there.
struct NoCycleHook {
  void operator()(int64_t) const {}
};
template <class Dut>
void load_word(Dut& d, Port p, const std::vector<int64_t>& mem, int64_t addr, int lanes, int bits) {
  for (int l = 0; l < lanes; ++l)
    d.set(p, l * bits, bits, static_cast<uint64_t>(mem[static_cast<size_t>(addr * lanes + l)]));
}

template <class Dut, class OnCycle = NoCycleHook>
Result run(Dut& d, const Geometry& g, const Stimulus& s, OnCycle on_cycle = {}) {
  Result r;
  std::vector<int64_t> omem(static_cast<size_t>(s.no * g.C), 0);
  // the block partials beside the output words, in 64-bit pieces per lane
  const int bpl = (g.BP + 63) / 64;
  std::vector<uint64_t> obmem(static_cast<size_t>(s.no * g.C * bpl), 0);
  const auto bpiece = [&](int j, int q) { return j * g.BP + q * 64; };
  const auto bbits = [&](int q) { return g.BP - q * 64 < 64 ? g.BP - q * 64 : 64; };
  const auto range = [&](const char* what, int64_t a, int64_t size, int64_t cycle) {
    if (a >= 0 && a < size) return true;
    r.error = std::string(what) + " address " + std::to_string(a) + " out of range at cycle " +
              std::to_string(cycle);
    return false;
  };
  d.set(Port::clk, 0, 1, 0);
  d.set(Port::rst, 0, 1, 1);
  d.set(Port::start, 0, 1, 0);
  d.eval();
  for (int i = 0; i < 4; ++i) {
    d.set(Port::clk, 0, 1, 1);
    d.eval();
    d.set(Port::clk, 0, 1, 0);
    d.eval();
  }
  d.set(Port::rst, 0, 1, 0);
  if (d.get(Port::busy, 0, 1)) {
    r.error = "busy is high after reset";
    return r;
  }
  d.zero_toggles(); // count toggles of the GEMM only, not of the reset
  d.set(Port::cfg0, 0, 64, s.cfg[0]);
  d.set(Port::cfg1, 0, 64, s.cfg[1]);
  d.set(Port::cfg2, 0, 64, s.cfg[2]);
  d.set(Port::start, 0, 1, 1);
  d.eval();
  const auto t0 = std::chrono::steady_clock::now();
  int64_t cycle = 0;
  // the stall input of cycle c (the wrapper gates the SRAM enables and dig_valid with it)
  const auto drive_stall = [&](int64_t c) {
    if (!g.stall) return;
    d.set(Port::stall, 0, 1, stalled_cycle(s.stall_seed, s.stall_threshold, c) ? 1 : 0);
    d.eval();
  };
  // (cycle 0, the start pulse, is never stalled: the input keeps its reset value 0;
  // each later cycle's value is driven right after the edge that starts it)
  while (cycle < s.max_cycles) {
    on_cycle(cycle);
    // combinational outputs of this cycle
    const bool rw = d.get(Port::w_rd_en, 0, 1), rn = d.get(Port::n_rd_en, 0, 1);
    const int64_t aw = static_cast<int64_t>(d.get(Port::w_rd_addr, 0, 64));
    const int64_t an = static_cast<int64_t>(d.get(Port::n_rd_addr, 0, 64));
    const bool ro = !g.os && d.get(Port::o_rd_en, 0, 1);
    const int64_t ao = g.os ? 0 : static_cast<int64_t>(d.get(Port::o_rd_addr, 0, 64));
    if (g.sparse)
      for (int lo = 0; lo < g.R * g.DV; lo += 64)
        r.digits += __builtin_popcountll(
            d.get(Port::dig_valid, lo, g.R * g.DV - lo < 64 ? g.R * g.DV - lo : 64));
    const bool rws = g.wscale && d.get(Port::ws_rd_en, 0, 1);
    const bool rns = g.nscale && d.get(Port::ns_rd_en, 0, 1);
    const int64_t aws = rws ? static_cast<int64_t>(d.get(Port::ws_rd_addr, 0, 64)) : 0;
    const int64_t ans = rns ? static_cast<int64_t>(d.get(Port::ns_rd_addr, 0, 64)) : 0;
    if ((rws && !range("west scale read", aws, s.nws, cycle)) ||
        (rns && !range("north scale read", ans, s.nns, cycle)))
      return r;
    const bool wo = d.get(Port::o_wr_en, 0, 1);
    const int64_t awo = static_cast<int64_t>(d.get(Port::o_wr_addr, 0, 64));
    Write w;
    std::vector<uint64_t> wpart; // the written block partials (committed after the read)
    if (wo) {
      if (!range("output write", awo, s.no, cycle)) return r;
      w.cycle = cycle;
      w.addr = awo;
      for (int j = 0; j < g.C; ++j) {
        w.data.push_back(sign_extend(d.get(Port::o_wr_data, j * g.A, g.A), g.A));
        for (int q = 0; q < bpl; ++q)
          wpart.push_back(d.get(Port::ob_wr_data, bpiece(j, q), bbits(q)));
      }
      ++r.o_writes;
    }
    if ((rw && !range("west read", aw, s.nw, cycle)) ||
        (rn && !range("north read", an, s.nn, cycle)) ||
        (ro && !range("output read", ao, s.no, cycle)))
      return r;
    // rising edge: the design samples the current SRAM outputs, then the SRAMs update
    d.set(Port::clk, 0, 1, 1);
    d.eval();
    if (rw) {
      load_word(d, Port::w_rd_data, s.west, aw, g.R * g.G, g.WW);
      ++r.w_reads;
    }
    if (rn) {
      load_word(d, Port::n_rd_data, s.north, an, g.C * g.G, g.WN);
      ++r.n_reads;
    }
    if (rws) {
      load_word(d, Port::ws_rd_data, s.west_scale, aws, g.R, g.SL);
      ++r.ws_reads;
    }
    if (rns) {
      load_word(d, Port::ns_rd_data, s.north_scale, ans, g.C, g.SL);
      ++r.ns_reads;
    }
    if (ro) {
      load_word(d, Port::o_rd_data, omem, ao, g.C, g.A);
      for (int j = 0; j < g.C; ++j)
        for (int q = 0; q < bpl; ++q)
          d.set(Port::ob_rd_data, bpiece(j, q), bbits(q),
                obmem[static_cast<size_t>((ao * g.C + j) * bpl + q)]);
      ++r.o_reads;
    }
    if (wo) {
      for (int j = 0; j < g.C; ++j)
        omem[static_cast<size_t>(awo * g.C + j)] = w.data[static_cast<size_t>(j)];
      for (size_t q = 0; q < wpart.size(); ++q)
        obmem[static_cast<size_t>(awo * g.C * bpl) + q] = wpart[q];
      r.writes.push_back(std::move(w));
    }
    d.set(Port::start, 0, 1, 0);
    d.set(Port::clk, 0, 1, 0);
    d.eval();
    ++cycle;
    drive_stall(cycle);
    const bool busy = d.get(Port::busy, 0, 1);
    if (d.get(Port::done, 0, 1)) {
      r.done = cycle;
      if (busy) r.error = "busy is still high when done rises at cycle " + std::to_string(cycle);
      on_cycle(cycle);
      break;
    }
    if (!busy) {
      r.error = "busy is low at cycle " + std::to_string(cycle) + ", before done";
      return r;
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (r.done < 0 && r.error.empty())
    r.error = "done did not rise within " + std::to_string(s.max_cycles) + " cycles";
  return r;
}

} // namespace harness
} // namespace tpe
