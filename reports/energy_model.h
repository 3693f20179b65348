// Architectural energy: the SystemC model's event counts times per-event
// energies. The array's energies come from gate-level runs (a calibration per
// configuration, library, clock and operand distribution: energy per clock cycle,
// per output word, per fold (a load of the stationary operands), and per MAC of each
// operand class: one nonzero operand and a switching zero, two nonzero operands; a
// zero held on a multiplier input, as on padded lanes, costs nothing over the cycle;
// see energy_model.cpp); SRAM energies come from the analytic SRAM model
// (reports/sram_model.h) and DRAM energies from a per-byte figure.
#pragma once
#include "core/arch_config.h"
#include "reports/power.h"
#include "reports/sram_model.h"
#include "sim/engine.h"
#include <nlohmann/json.hpp>
#include <string>

namespace tpe {

// The calibration file's "model": the energy model it was fitted for (2: held zeros
// and the fold term; 3: also lut_gemv's row read and row write terms, energy_model.cpp).
// Files of another model are refused.
constexpr int kCalibrationModel = 3;

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
  // lut_gemv's periphery (0 for the PE engines): one SRAM-array row read (a lookup,
  // with the lanes' shift-accumulate of its entries) and one row written (a table
  // build step: loader, Gray-code walk)
  double pj_per_row_read = 0, pj_per_row_write = 0;
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
// An engine whose calibration is not the PE engines' four runs and operand classes:
// its own gate-level runs and fit, registered by engine name (lut_gemv:
// reports/lut_power.cpp); calibrate_energy dispatches to it.
struct EnergyCalibrator {
  EnergyCalibration (*calibrate)(const ArchConfig& arch, const PowerOptions& base,
                                 const std::string& operands, std::ostream& progress) = nullptr;
  // the calibration's one-line summary for `tpe calibrate`
  std::string (*summary)(const EnergyCalibration& c) = nullptr;
};
using EnergyCalibratorRegistry = Registry<EnergyCalibrator>;
// `tpe calibrate`'s summary line of `c` (the engine's own, or the PE engines').
std::string calibration_summary(const EnergyCalibration& c);
// Throws InputError when the SRAM model cannot price `a`'s buffers (operand_srams) or
// arrays at `node_nm` and `volts` (0: the node's nominal supply); `source` names the
// option or file of node and volts.
void check_sram_domain(const ArchConfig& a, double node_nm, double volts,
                       const std::string& source);
// Non-negative least squares (every subset of the columns solved, the best feasible
// fit kept): x >= 0 minimizing |A x - b|, A with rows of `cols` entries. Throws
// ToolError when no subset gives a finite solution.
std::vector<double> nnls(const std::vector<std::vector<double>>& A, const std::vector<double>& b);
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

// DRAM energy: 1950 pJ per 64 bits (the middle of the 45 nm table's 1300-2600 pJ,
// Horowitz, ISSCC 2014), not scaled with the node.
double dram_pj_per_byte();

// The operand buffers as macros of the one SRAM model (reports/sram_model.h,
// docs/sram-model.md "Operand buffers"), at the calibration's node and supply: each
// buffer is a 1rw1r macro of floor(capacity bits / word width) words; the word is
// what the array reads in one access: ifmap R (C for `is`) operands, filter C (R for
// `is`), times the K elements per lane of the cube and the adder trees; ofmap `cols`
// accumulators of acc_bits. A word wider than the model's 1024 bits is n =
// ceil(width / 1024) equal macros of ceil(width / n) bits side by side, accessed
// together (the model's own rule for wide words, sram_model.h), said in the note.
// `extrapolation` joins each buffer's notes ("ifmap: ...; ofmap: ..."; empty when
// every buffer is one macro within the model's data).
struct OperandSram {
  SramMacro macro; // one of `macros`
  int macros = 1;
};
struct OperandSrams {
  OperandSram ifmap, filter, ofmap;
  std::string extrapolation;
};
// Throws InputError where the model's domain is exceeded: a buffer's words or width
// name the architecture file and key memory.<buffer>_sram_kb; the node or the supply
// name `cal_source` and node_nm or volts (volts 0: the node's nominal supply); an engine
// without PEs (lut_gemv) names `cal_source` and design.engine.
OperandSrams operand_srams(const ArchConfig& a, double node_nm, double volts,
                           const std::string& cal_source);

// Energy per layer, pJ. Each operand buffer (operand_srams) is charged, over the
// layer's cycles (both ports clocked every cycle, DRAM stall cycles included), by
// sram_energy(): writes on port 0 (ifmap and filter: the fill the DRAM term counts, every
// operand once on ideal memory, the tiles' loads in whole bursts with memory.model dram;
// ofmap: the accumulator words written), reads on port 1 (ifmap and filter: the words
// the array reads; ofmap: partial sums read back and every result read once for the
// write-back to DRAM), the clocked-idle energy of each port on its cycles without an
// access, and leakage over cycles x the calibration's clock.
// lut_gemv: array_pj is the periphery's energy (the calibration's row terms), arrays_pj
// its SRAM arrays' (lut_gemv_sram_energy at the calibration's clock); its operand ports
// are stand-ins without buffers (ifmap, filter and ofmap SRAM 0).
struct LayerEnergy {
  double array_pj = 0, ifmap_sram_pj = 0, filter_sram_pj = 0, ofmap_sram_pj = 0, dram_pj = 0;
  double arrays_pj = 0;
  double total() const {
    return array_pj + ifmap_sram_pj + filter_sram_pj + ofmap_sram_pj + dram_pj + arrays_pj;
  }
};
// Values mode counts the operand classes of the layer's own MACs; the other modes
// assume the calibration distribution's zero-operand fraction.
LayerEnergy layer_energy(const ArchConfig& arch, const LayerResult& r, const EnergyCalibration& c);
// The array's part alone, pJ (layer_energy's array_pj; no SRAM model involved).
double array_energy_pj(const ArchConfig& arch, const LayerResult& r, const EnergyCalibration& c);

// lut_gemv (it has no gate-level calibration yet): the SRAM-PIM arrays' part of a
// layer's energy. Each array is one macro of `array.rows` words x `array.cols` bits
// with `array.ports`, at 130 nm and 1.8 V (the OpenRAM sky130 data the engine's port
// timing follows); the arrays in use (min(tiles, arrays)) are clocked on every cycle of
// the layer (lockstep; the others are taken as clock-gated) and the energy is
// sram_energy() of the layer's row reads (lookups: port 1 of a 1rw1r array), row
// writes (table builds: port 0) and clocked-idle cycles, leakage at the design's
// clock_mhz (or `clock_ns` when above 0: tpe power's clock). Area: `arrays` macros.
// The periphery (builder, lanes, accumulators, controller) is not included: tpe power
// measures it on the gate-level netlist.
struct LutSramEnergy {
  SramMacro macro;
  int64_t arrays = 0, arrays_used = 0;
  SramActivity activity; // summed over the arrays in use
  SramEnergy energy;
  double area_um2 = 0;       // all `arrays` macros
  std::string extrapolation; // sram_extrapolation() of the macro
};
// Throws std::invalid_argument (sram_model's one line) where the array lies beyond the
// model's domain, std::logic_error for a LayerResult without lut_gemv's counts.
LutSramEnergy lut_gemv_sram_energy(const ArchConfig& a, const LayerResult& r, double clock_ns = 0);

} // namespace tpe
