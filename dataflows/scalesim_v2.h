// SCALE-Sim v2 compatibility (`tpe sim --compat scalesim`, issue 15 item 4): the
// numbers SCALE-Sim v2 itself reports for a systolic layer, reproduced exactly
// (github.com/scalesim-project/scale-sim-v2 at 22f88b1, 2025-02-25, the release
// whose stall accounting ../shared/scalesim-ref was run with). Not tpe's timing
// model: SCALE-Sim runs each fold in its own block of demand rows with no overlap
// between folds, so its compute cycles differ from tpe's hardware (README "The
// systolic engine and its timing model").
//
// Algorithm (docs/scalesim-compat.md gives every rule with its source line):
//  1. Operands: im2col IFMAP (M x K, HWC addresses, windows sticking out of the map
//     are holes), FILTER (K x N, filter n contiguous), OFMAP (M x N).
//  2. Demand rows: folds in order column fold outer, row fold inner; each fold is
//     Rf rows (os: K + R + C - 2, ws: M + 2R + C - 2, is: N + 2R + C - 2); row i of
//     lane j of a skewed operand carries element t = i - j (less the preload rows).
//  3. Memory (InterfaceBandwidth USER): each read SRAM of W one-byte words is
//     double-buffered (active half ceil(W/2)); it holds a window of its operand's
//     prefetch stream cut into sets of ceil(W/100) elements; a demanded address
//     outside the window slides it by one refill (a DRAM burst of
//     ceil(half / Bandwidth) request cycles, bursts chained back to back, burst k ready
//     at k (L + 1) - 1); the row's stall is the max over IFMAP, FILTER and the OFMAP
//     write buffer (drains of the other half), and a row is offered at its index plus
//     the stalls so far. CALC: reads never stall; OFMAP drains at ArrayWidth
//     words per cycle.
//  4. Total Cycles = the OFMAP serviced cycle of the last demand row (rows - 1 +
//     stalls); utilizations per fold, averaged in fold order as SCALE-Sim does.
// Nothing of the size of SCALE-Sim's demand matrices is built: each row's valid
// lanes are an interval, and a read buffer keeps only its window (memory of the
// order of the SRAM size; time of the order of the SRAM reads).
#pragma once
#include "core/count.h"
#include "core/workload.h"
#include <string>

namespace tpe {

struct ScaleSimV2Config {
  int rows = 0, cols = 0; // ArrayHeight, ArrayWidth
  std::string dataflow;   // os, ws, is
  // SRAM sizes in SCALE-Sim's one-byte words (kB * 1024)
  int64_t ifmap_words = 0, filter_words = 0, ofmap_words = 0;
  bool user_bandwidth = false; // InterfaceBandwidth: USER (else CALC)
  int64_t bandwidth = 1;       // USER: words per cycle of each DRAM interface
};

// One layer as SCALE-Sim reports it (COMPUTE_REPORT.csv and the SRAM and DRAM
// counts of DETAILED_ACCESS_REPORT.csv that do not depend on CALC's bandwidth
// estimate). Percentages are SCALE-Sim's binary64 values, bit for bit.
struct ScaleSimV2Layer {
  Count total_cycles = 0, stall_cycles = 0;
  double overall_util = 0, mapping_efficiency = 0, compute_util = 0; // percent
  Count folds = 0, demand_rows = 0;
  Count sram_ifmap_reads = 0, sram_filter_reads = 0, sram_ofmap_writes = 0;
  // USER: DRAM refills (bursts) of each read buffer and the stall each operand
  // alone would have caused, summed over rows (their max is the row's stall)
  Count ifmap_refills = 0, filter_refills = 0;
  Count ifmap_stall = 0, filter_stall = 0, ofmap_stall = 0;
  Count dram_ifmap_reads = 0, dram_filter_reads = 0; // USER only (CALC: -1)
  Count dram_ofmap_writes = 0;
};

// Throws InputError(source, 0, key, ...) for a configuration SCALE-Sim or this model
// cannot run: a dataflow other than os/ws/is, an SRAM under 2 words or over 65,536 kB,
// a USER bandwidth under 1.
void check_scalesim_v2_config(const ScaleSimV2Config& cfg, const std::string& source);

// One layer. Throws InputError(source, layer.line, ...) for a filter larger than its
// ifmap (SCALE-Sim asserts Fh <= H), an IFMAP of more than 2^62 addresses, more than
// 2^34 demand rows, or 0 cycles (SCALE-Sim divides by them);
// std::invalid_argument for a configuration check_scalesim_v2_config refuses.
ScaleSimV2Layer scalesim_v2_layer(const ScaleSimV2Config& cfg, const Layer& layer,
                                  const std::string& source);

// A binary64 as Python's repr() prints it (shortest round trip; fixed notation for
// 1e-4 <= |x| < 1e16 with ".0" on integral values, else d.ddde+XX): SCALE-Sim's
// report cells.
std::string python_float_repr(double x);

} // namespace tpe
