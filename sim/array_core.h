// The interface every cycle-accurate array model offers the engine runner, the
// checker and the power flow: load a mapping and its SRAM images, pulse start,
// step rising edges on the SystemC clock, then read the output writes (cycle,
// address, data), the SRAM access counters and the output SRAM image.
// Implementations: SystolicCore (fixed-latency PEs, sim/systolic_core.h),
// SparseCore (serial PEs: opt3, opt4c, bitserial, pragmatic, sim/sparse_core.h),
// GridCore and TreeCore (cube, matrix2d, adder_tree: sim/broadcast_core.h);
// make_array_core picks one from the architecture's engine and PE.
#pragma once
#include "core/arch_config.h"
#include "dataflows/systolic_mapping.h"
#include "sim/clocked_host.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tpe {

struct OutputWrite {
  int64_t cycle = 0; // cycle of the write, counted from the start pulse (cycle 0)
  int64_t addr = 0;
  std::vector<int64_t> data; // C accumulators
};

struct SystolicCounters {
  int64_t cycles = 0;  // start pulse to done (== last write cycle + 1)
  int64_t pe_macs = 0; // MAC operations performed by PEs (padding included)
  // operand classes, values mode of the fixed-latency array: MACs with exactly one
  // zero operand and with two, padding included (-1: not counted)
  int64_t pe_macs_one_zero = -1, pe_macs_two_zero = -1;
  // of the MACs with exactly one zero operand, those whose multiplier input on that
  // side was zero in its previous MAC too (a held zero: a lane on padding, a run of
  // zeros); its product stays 0 and the multiplier does not switch (-1: not counted)
  int64_t pe_macs_held_zero = -1;
  int64_t w_reads = 0, n_reads = 0, o_reads = 0, o_writes = 0; // SRAM words
  int64_t ws_reads = 0, ns_reads = 0; // scale SRAM words (block-scaled operands)
  int64_t preload_shifts = 0;         // stationary-register column shifts (ws/is)
  // serial PEs: terms (EN-T digits, bits) the row encoders issued to their PEs,
  // summed over rows, lanes and cycles (-1: not a serial design)
  int64_t digit_issues = -1;
  // variable-latency PEs: cycles in which the PEs worked (-1: fixed latency,
  // one MAC per PE per cycle at full rate)
  int64_t pe_busy_cycles = -1;
};

// MACs per PE per working cycle: 1 for fixed-latency PEs, K elements per
// working cycle for variable-latency ones (the counters of one or more runs).
double pe_mac_rate(const SystolicCounters& c, int pes);

// One register or port of the model as a waveform signal (tpe verify --vcd):
// `name` is the twin RTL signal's hierarchical name below the generated top
// module (for example "o_wr_addr" or "u_array.g_row[0].g_col[1].pe.acc"), its
// value is `lanes` lanes of `lane_bits` bits packed lane 0 first (least
// significant), as the RTL packs its vectors; value(l) reads lane l of the
// current cycle (the registers before the edge that ends it, and the
// combinational outputs they drive).
struct Probe {
  std::string name;
  int lane_bits = 1, lanes = 1;
  std::function<int64_t(int lane)> value;
};

// A one-lane probe (a port or register of up to 64 bits).
inline Probe probe(std::string name, int bits, std::function<int64_t()> f) {
  return Probe{std::move(name), bits, 1, [f = std::move(f)](int) { return f(); }};
}
// The name of PE (i, j)'s register `reg` in the grid arrays' generate loops.
inline std::string pe_reg(int i, int j, const std::string& reg) {
  return "u_array.g_row[" + std::to_string(i) + "].g_col[" + std::to_string(j) + "].pe." + reg;
}

class ArrayCore : public ClockedCore {
public:
  // Prepare a run: images may be null when values are off. Clears every register.
  virtual void load(const SystolicMapping& m, const SramImages* images, bool values,
                    bool trace) = 0;
  virtual void start() = 0; // drive start=1 in the current cycle
  virtual const SystolicCounters& counters() const = 0;
  virtual const std::vector<int64_t>& out_memory() const = 0;
  virtual const std::vector<OutputWrite>& trace() const = 0;
  // The traced signals after load() (values on): at least the top's ports and
  // the PE accumulators; readers stay valid until the next load().
  virtual std::vector<Probe> probes() const = 0;
};

std::unique_ptr<ArrayCore> make_array_core(const ArchConfig& arch, const SystolicMapping& m);

// The engine runner of every array engine (systolic, cube, matrix2d, adder_tree):
// steps the core on the SystemC clock (Values, Timing) or takes the closed form
// (Analytic); sim/systolic_engine.cpp.
struct LayerResult;
struct Layer;
struct RunOptions;
LayerResult run_array_layer(const ArchConfig& arch, const Layer& layer, const RunOptions& opt);
// Elements a Values-mode run holds: the SRAM images (padded), the operand
// matrices and the golden and extracted results.
Count values_elements(const SystolicMapping& m, const Layer& layer);
// Refuses (InputError naming the layer) a stepped run that would hold more than
// opt.values_max_elements elements (values) or step more than
// opt.stepped_max_cycles cycles: the memory and time limits of every model run
// (sim_hint: the message suggests `tpe sim --mode`).
void check_stepped_run(const ArchConfig& arch, const Layer& layer, const SystolicMapping& m,
                       bool values, const RunOptions& opt, bool sim_hint = false);

} // namespace tpe
