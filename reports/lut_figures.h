// The LUT-GEMV figures (`tpe lut`, `make lut`; issue 14 item 5): decode GEMVs (a
// workload whose layers have M = 1, one token) run at several batch sizes B (M = B
// tokens, the engine's `batch` = B accumulators per lane) and weight widths w
// (`format: {act: <the design's>, weight: int<w>}`) on each lut_gemv design, with
// the activations drawn from a realistic distribution (default student_t:3:
// Student-t(3) values quantized per token by their absolute maximum, the way LLM
// activations are quantized; core/operand_dist.h). Per (design, w, B): the cycles
// per token of the workload without either cycle saving, and the saving of
// skip_zero_index alone, of batch_shared_lookup alone and of both (weight
// orientation; each counted by the closed form from the drawn activations,
// dataflows/lut_gemv_mapping.h, equal to the stepped model), the lanes' useful MACs
// per cycle, and the table storage of one group in both forms (subset 2^g - 1 rows,
// signed 2^(g-1): LUT Tensor Core's halving). Reference engines (`--vs`) run the
// same GEMVs at each B (their own formats) for their cycles per token.
// The SRAM arrays' energy per token and area come from the one SRAM model
// (reports/energy_model.h lut_gemv_sram_energy: row reads, row writes, clocked idle
// cycles and leakage of the arrays in use, at 130 nm) on the run with every saving on;
// The periphery (loader, builder, lanes, accumulators, drain, controller) comes from
// `periphery` calibrations (LutFiguresOptions): for each point the calibration of its
// table and form, scaled to the point's design by the generated RTL's register bits
// (reports/lut_scaling.h; a floor, docs/lut-gemv.md "Periphery at scale"), applied to
// the point's cycles, row reads, row writes and drained words as `tpe sim --energy`
// does; a point with no calibration of its table and form has no periphery figure.
#pragma once
#include "core/count.h"
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace tpe {

struct LutFiguresOptions {
  std::string workload; // GEMV layers (M = 1 each)
  std::vector<int> batches = {1, 4, 16, 64};
  std::vector<int> weight_bits = {2, 3, 4, 8};
  std::string operands = "student_t:3"; // activation (and weight) distribution
  uint64_t seed = 1;
  // lut_gemv calibration files (`tpe calibrate` on designs the flow synthesizes), at
  // most one per (table, form)
  std::vector<std::string> periphery;
};

// One (design, weight bits, batch) point. Cycles are totals over the workload at M
// = batch; per token = total / batch. A saving is 1 - cycles with it / cycles
// without (-1: the option does not exist for this orientation or form).
struct LutFiguresRow {
  std::string arch_file, design, table, form;
  int group = 0, act_bits = 0, weight_bits = 0, batch = 0;
  std::string refusal; // non-empty: the architecture check's one-line refusal
  Count cycles_plain = 0, cycles_skip = -1, cycles_share = -1, cycles_both = -1;
  Count macs = 0;
  double macs_per_cycle = 0;                            // useful MACs / plain cycles
  int64_t table_rows = 0, entry_bits = 0;               // one table of this design's form
  int64_t subset_table_bits = 0, signed_table_bits = 0; // one group's table, both forms
  // the SRAM arrays only (no periphery), with every saving on: energy over the
  // workload (pJ), area of all arrays (um^2), the SRAM model's note (sram_extrapolation,
  // or why the figures are missing: then sram_pj = sram_area_um2 = -1)
  double sram_pj = -1, sram_area_um2 = -1;
  std::string sram_note;
  // the periphery's energy over the workload (pJ) from the calibration of the point's
  // table and form scaled to it (-1: no such calibration, `periphery_note` says why),
  // and the calibration file it was scaled from
  double periphery_pj = -1;
  std::string periphery_from, periphery_note;
  double per_token(Count c) const { return count_double(c) / batch; }
};

struct LutReferenceRow {
  std::string arch_file, design, shape;
  int batch = 0;
  Count cycles = 0;
};

struct LutFigures {
  std::vector<LutFiguresRow> rows;
  std::vector<LutReferenceRow> references;
};

// Runs every point; `progress` gets one line per point. Throws InputError for a
// file that does not parse, a workload layer with M != 1, a periphery calibration that
// is not lut_gemv's or repeats a (table, form); a (design, w, B) the
// architecture check refuses keeps its row with the refusal.
LutFigures lut_figures(const std::vector<std::string>& lut_archs,
                       const std::vector<std::string>& reference_archs, const LutFiguresOptions& o,
                       std::ostream& progress);
std::string lut_figures_markdown(const LutFigures& f, const LutFiguresOptions& o);
nlohmann::json lut_figures_json(const LutFigures& f, const LutFiguresOptions& o);

} // namespace tpe
