// Design comparison: for each architecture, area and timing (tpe synth) and
// gate-level energy per MAC on each requested operand distribution (tpe power),
// with the derived efficiencies: peak TOPS at the design's own maximum clock
// (scaled by the measured MAC rate of variable-latency PEs),
// TOPS/mm^2 and TOPS/W (2 operations per MAC).
#pragma once
#include "core/arch_config.h"
#include "core/count.h"
#include "reports/power.h"
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace tpe {

struct CompareOptions {
  SynthOptions synth;                // library and clock of synthesis and power
  std::vector<std::string> operands; // "random", "normal:25", ... (parse_operand_dist)
  // MxKxN for every design, or "" = (2 x the largest rows) x 128 x (2 x the largest
  // cols) over the designs: one GEMM for the whole table
  std::string gemm;
  uint64_t seed = 1;
  bool synth_only = false; // area and timing only (no gate-level energy runs)
  GateSimulator simulator = GateSimulator::Native;
  // workload CSVs: each design is calibrated for architectural energy on the first
  // operand distribution and runs every workload in `tpe sim` (auto mode)
  std::vector<std::string> workloads;
  double node_nm = 130; // process node of the library, for the SRAM energy model
  // memories each workload runs on: "ideal" or a DRAM preset (core/dram_preset.h) with
  // the design's own buffers (memory.model dram, docs/memory-model.md); empty: the
  // architecture file's own memory
  std::vector<std::string> memories;
};

// One workload on one design: the model's cycles and utilization, the time at the
// design's maximum clock, and the architectural energy (array from the design's
// gate-level calibration, SRAM from the SRAM model (reports/sram_model.h, via
// layer_energy), DRAM per byte).
struct WorkloadRow {
  std::string workload;
  std::string memory; // "ideal" or the DRAM preset (or "custom") it ran on
  int64_t layers = 0;
  Count cycles = 0, macs = 0; // sums over the layers, exact; cycles include stalls
  Count stall_cycles = 0;     // of them waiting for DRAM (0 on ideal memory)
  double utilization = 0;     // MACs / (cycles x peak MACs per cycle), sim/engine.h
  double ms_at_fmax = 0;      // 0 without timing
  double array_uj = 0, sram_uj = 0, dram_uj = 0;
  double total_uj() const { return array_uj + sram_uj + dram_uj; }
};

struct CompareRow {
  std::string design, arch_file, dataflow, pe, format;
  int64_t pes = 0;
  SynthReport synth;
  std::string gemm;
  Count cycles = 0, macs = 0;
  std::vector<double> pj_per_mac, power_mw; // one per operand distribution
  // energy of the PE instances alone (modules of role pe and pe_part: row encoders,
  // skew buffers and the controller excluded) per MAC, one per operand distribution
  std::vector<double> pe_pj_per_mac;
  // dynamic energy (pJ) by mapped module over the GEMM, one map per operand
  // distribution (PowerReport::pj_by_module)
  std::vector<std::map<std::string, double>> pj_by_module;
  // derived (0 when the run has no timing, i.e. without a Liberty library)
  double area_mm2 = 0, peak_tops = 0, tops_per_mm2 = 0;
  double pe_area = 0; // one PE (the variant with the most instances), synthesis area unit
  // the PE module synthesized and timed alone (inputs from and outputs to registers
  // at the clock edge, as between PEs): area, critical path, fmax
  SynthReport pe_alone;
  // MACs per PE per working cycle on the first operand distribution: 1 for
  // fixed-latency PEs; peak TOPS = 2 x PEs x mac_rate x fmax
  double mac_rate = 1;
  std::vector<double> tops_per_w;
  std::string engine, shape;
  // one per CompareOptions::workloads (times each of CompareOptions::memories, workload
  // outer)
  std::vector<WorkloadRow> workloads;
  // with workloads: the operand buffers' sram_extrapolation() notes (operand_srams in
  // reports/energy_model.h; empty when every buffer lies within the SRAM model's data)
  std::string sram_extrapolation;
};

std::vector<CompareRow> compare_designs(const std::vector<std::string>& arch_files,
                                        const CompareOptions& opt, std::ostream& progress);

// A Markdown table (one row per design) with the library, clock and GEMM stated;
// with workloads, a second table of one row per design and workload (and memory, with
// the stall share, when a row ran on DRAM).
std::string compare_markdown(const std::vector<CompareRow>& rows, const CompareOptions& opt);
// counts beyond int64_t are count_json() placeholders: write with json_text() (core/json_text.h)
nlohmann::json compare_json(const std::vector<CompareRow>& rows, const CompareOptions& opt);

} // namespace tpe
