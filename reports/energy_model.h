// Architectural energy: the SystemC model's event counts times per-event
// energies. The array's energies come from gate-level runs (a calibration per
// configuration, library, clock and operand distribution: energy per clock cycle,
// per output word, per fold (a load of the stationary operands), and per MAC of each
// operand class: one nonzero operand and a switching zero, two nonzero operands; a
// zero held on a multiplier input, as on padded lanes, costs nothing over the cycle;
// see energy_model.cpp); SRAM and DRAM energies come from a documented analytic model.
#pragma once
#include "core/arch_config.h"
#include "reports/power.h"
#include "sim/engine.h"
#include <nlohmann/json.hpp>
#include <string>

namespace tpe {

// The calibration file's "model": the energy model it was fitted for (2: held zeros
// and the fold term, energy_model.cpp). Files of another model are refused.
constexpr int kCalibrationModel = 2;

struct EnergyCalibration {
  DesignFields design; // the design it was fitted on (the calibration file's "design")
  std::string library, operands;
  double clock_ns = 0;
  double volts = 0, node_nm = 0; // of the library, for the SRAM model
  double pj_per_cycle = 0;       // clock, control, idle registers, leakage
  double pj_per_pe_mac = 0;      // one useful PE multiply-accumulate with its data
                                 // movement, on the calibration distribution
  double pj_per_output = 0;      // one accumulator word read from or written to the output
                                 // SRAM, with its drain through the array
  double pj_per_fold = 0;        // one fold's load of stationary operands (ws, is, trees)
  // operand classes: what a MAC with one nonzero operand (its zero not held since
  // the multiplier's previous MAC) / two nonzero operands adds over one with two
  // zeros, and the calibration distribution's fractions of such MACs
  double pj_one_nonzero = 0, pj_two_nonzero = 0;
  double frac_one_nonzero = 0, frac_two_nonzero = 0;
  std::vector<std::string> fitted_on;
};

// Throws InputError (naming `arch_file` and key pe) when the architecture's energy
// cannot be calibrated (the serial PEs: their model does not count MACs by operand
// class), so commands can refuse before any long run.
void require_calibratable(const ArchConfig& arch, const std::string& arch_file);

// "engine shape dataflow pe format accN", the design's name in messages (an
// ArchConfig converts).
std::string design_key(const DesignFields& d);
// Four gate-level runs (reports/power.cpp) on the GEMMs the engine declares
// (EngineInfo::calibration_gemms) and the fit described in the .cpp; one synthesis
// serves them all. Serial PEs (no operand classes in their model) are refused
// (InputError); a fit with a negative or non-finite coefficient is refused
// (ToolError).
EnergyCalibration calibrate_energy(const ArchConfig& arch, const PowerOptions& base,
                                   const std::string& operands, std::ostream& progress);
// One gate-level run of the calibration: the model's cycles, PE MACs (padding
// included), those with one and with two nonzero operands, accumulator words read
// from or written to the output SRAM, the gate-level energy (pJ), of `one` those
// whose zero was held (LayerResult::pe_macs_held_zero), and the folds.
struct CalibrationRun {
  double cycles = 0, macs = 0, one = 0, two = 0, pj = 0, outputs = 0;
  double held = 0, folds = 0; // of `one`, held zeros; folds of the GEMMs
};
// The fit of energy_model.cpp on the busy GEMM on the distribution, on zeros and on
// more zeros, and the idle GEMMs on the distribution; `design` and `fitted_on` (four
// entries) name them in messages. Throws ToolError when a coefficient comes out
// negative or non-finite.
EnergyCalibration fit_energy(const CalibrationRun& busy, const CalibrationRun& busy_zeros,
                             const CalibrationRun& busy_sparse, const CalibrationRun& idle,
                             const std::string& design, const std::vector<std::string>& fitted_on);
nlohmann::json calibration_json(const EnergyCalibration& c);
// Read a calibration file's JSON (discarded, i.e. unparsable, JSON included): the
// model equal to kCalibrationModel (checked first: older files are refused as
// such), every field present with its type, finite, energies and fractions
// non-negative, clock, voltage and node positive, fractions at most 1 together, no
// unknown key.
// Throws InputError "source: key.path: problem".
EnergyCalibration calibration_from_json(const nlohmann::json& j, const std::string& source);
// The calibration's design fields equal the architecture's (every DesignFields
// field); throws InputError "source: design.KEY: ...".
void check_calibration_matches(const EnergyCalibration& c, const ArchConfig& a,
                               const std::string& source);
// A calibration file's text (JSON) as written by `tpe calibrate`; `source` names the
// file in messages. Throws InputError on bad JSON or a missing or mistyped key.
EnergyCalibration parse_calibration_text(const std::string& text, const std::string& source);

// Analytic SRAM and DRAM energy (pJ). SRAM: the 45 nm table's 64-bit read of an
// 8 KiB SRAM (10 pJ) scaled by sqrt(capacity / 8 KiB), linearly by word width, and
// to the library's node and voltage by (node / 45 nm) * (V / 0.9 V)^2. DRAM: 1950
// pJ per 64 bits (the middle of the table's 1300-2600 pJ), not scaled.
double sram_pj_per_access(double capacity_bytes, double width_bits, double node_nm, double volts);
double dram_pj_per_byte();

struct LayerEnergy {
  double array_pj = 0, ifmap_sram_pj = 0, filter_sram_pj = 0, ofmap_sram_pj = 0, dram_pj = 0;
  double total() const {
    return array_pj + ifmap_sram_pj + filter_sram_pj + ofmap_sram_pj + dram_pj;
  }
};
// Values mode counts the operand classes of the layer's own MACs; the other modes
// assume the calibration distribution's zero-operand fraction.
LayerEnergy layer_energy(const ArchConfig& arch, const LayerResult& r, const EnergyCalibration& c);

} // namespace tpe
