// Running one layer on an engine model. An engine registers an EngineRunner by
// name (sim/<engine>_engine.cpp); `tpe sim`, `tpe verify` and the tests reach
// every engine through this one interface.
#pragma once
#include "core/arch_config.h"
#include "core/count.h"
#include "core/error.h"
#include "core/operand_dist.h"
#include "core/registry.h"
#include "core/workload.h"
#include "sim/memory_model.h"
#include <cstdint>
#include <functional>
#include <string>

namespace tpe {

enum class SimMode {
  Auto,     // values for small layers, timing for medium, analytic for large
  Values,   // SystemC, real operand values, checked against the golden GEMM
  Timing,   // SystemC, control and flags only (cycle-exact, no arithmetic)
  Analytic, // closed-form cycle count of the same hardware
};
SimMode parse_sim_mode(const std::string& s);
const char* sim_mode_name(SimMode m);

// Auto mode chooses by the work the engine really does, padding included:
// Values when the PEs perform at most auto_values_max_macs MACs (padded PE work)
// and the SRAM images hold at most auto_values_max_elements elements, else Timing
// when the run takes at most auto_timing_max_cycles cycles and steps at most
// auto_max_pe_cycles PE-cycles (cycles x multipliers, the SystemC model's steps;
// Values needs this bound too), else Analytic. Values mode, chosen or asked for,
// is refused above values_max_elements operand, SRAM image and result elements
// (the memory it would allocate), and Values or Timing above stepped_max_cycles
// cycles (a run of days).
struct RunOptions {
  SimMode mode = SimMode::Auto;
  uint64_t seed = 1; // operand values (Values mode)
  OperandDist dist;  // operand distribution (Values mode)
  int64_t auto_values_max_macs = int64_t(1) << 22;
  int64_t auto_values_max_elements = int64_t(1) << 22;
  int64_t auto_timing_max_cycles = int64_t(1) << 21;
  int64_t auto_max_pe_cycles = int64_t(1) << 30;
  int64_t values_max_elements = int64_t(1) << 27;
  int64_t stepped_max_cycles = int64_t(1) << 40;
  std::string source; // the workload file, for error messages ("" if none)
};

// Counts are exact (core/count.h): padded PE work and SRAM traffic of extreme
// shapes exceed 2^63 (a 1 x (2^31-1) x (2^31-1) GEMM on a 16 x 16 array performs
// 2^66 PE MACs).
struct LayerResult {
  std::string name;
  int64_t M = 0, N = 0, K = 0;
  SimMode mode = SimMode::Analytic; // the mode actually used
  Count cycles = 0;
  Count macs = 0;    // useful MACs, M*N*K
  Count pe_macs = 0; // MACs the PEs performed, padding included
  // of which with exactly one zero operand and with two (Values mode; -1: not counted)
  Count pe_macs_one_zero = -1, pe_macs_two_zero = -1;
  // of those with one zero operand, the ones whose zero was held on that multiplier
  // input since its previous MAC (padding lanes, runs of zeros; -1: not counted)
  Count pe_macs_held_zero = -1;
  double utilization = 0;        // macs / (cycles * peak_macs_per_cycle)
  double mapping_efficiency = 0; // useful / (useful + padding) PE work
  Count folds = 0;
  // SRAM traffic in elements (operands) and accumulators (ofmap)
  Count ifmap_reads = 0, filter_reads = 0, ofmap_reads = 0, ofmap_writes = 0;
  Count ifmap_bytes = 0, filter_bytes = 0, ofmap_bytes = 0;
  bool values_checked = false; // Values mode compared the outputs with the golden GEMM
  // lut_gemv, table: weight: the closed-form cycles with neither cycle saving, with
  // skip_zero_index only and with batch_shared_lookup only (-1: another engine or
  // orientation); `cycles` has the design's own savings
  Count lut_cycles_plain = -1, lut_cycles_skip = -1, lut_cycles_share = -1;
  // lut_gemv: SRAM row reads of the lookups and row writes of the table builds, over
  // all arrays, and the arrays in use, min(tiles, arrays) (-1: another engine); the
  // SRAM-PIM energy counts them (reports/energy_model.h lut_gemv_sram_energy)
  Count lut_row_reads = -1, lut_row_writes = -1;
  int64_t lut_arrays_used = -1;
  // EN-T-encoded PEs in Values mode: nonzero EN-T digits over the encoded (west)
  // operands, and how many operands were encoded (0: not measured)
  int64_t ent_operands = 0, ent_nonzero_digits = 0;
  // memory.model dram: the memory model's stalls, DRAM bytes and tiles (`cycles`
  // then includes the stalls; memory.compute_cycles holds the engine's own)
  MemoryStats memory;
  double avg_nonzero_digits() const {
    return ent_operands ? double(ent_nonzero_digits) / double(ent_operands) : 0;
  }

  // name, M, N, K and the useful MACs of `layer`; every count still at its default
  static LayerResult of(const Layer& layer) {
    LayerResult r;
    r.name = layer.name;
    r.M = layer.M;
    r.N = layer.N;
    r.K = layer.K;
    r.macs = layer.macs();
    return r;
  }
};

using EngineRunner = std::function<LayerResult(const ArchConfig&, const Layer&, const RunOptions&)>;
using EngineRunnerRegistry = Registry<EngineRunner>;

// An error about a layer: "SOURCE:LINE: layer 'NAME': problem" with the workload
// file (RunOptions::source), else "layer 'NAME' (line L): problem".
InputError layer_error(const Layer& l, const std::string& source, const std::string& problem);
// Throws layer_error() when
// a count of the layer does not fit or the asked mode would need too much memory.
LayerResult run_layer(const ArchConfig& arch, const Layer& layer, const RunOptions& opt);

// Peak MACs per cycle of a design, the denominator of utilization: the engine's
// multipliers (rows x cols x depth) times the most MACs its PE kind can do per
// cycle (PeInfo::peak_macs_per_cycle: 1 for the fixed-latency PEs, 4 for
// `pragmatic`, 0.5 for `bitserial` at INT8, ...). Utilization = MACs / (cycles x
// this) never exceeds 1. An engine without PEs gives its own peak
// (EngineInfo::peak_macs_per_cycle; lut_gemv: dataflows/lut_gemv_mapping.h).
double peak_macs_per_cycle(const ArchConfig& arch);
// MACs / (cycles x peak_macs_per_cycle); 0 when cycles is 0.
double utilization(const ArchConfig& arch, Count macs, Count cycles);

} // namespace tpe
