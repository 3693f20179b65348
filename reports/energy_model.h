// Architectural energy: the SystemC model's event counts times per-event
// energies. The array's energies come from gate-level runs (a calibration per
// configuration, library, clock and operand distribution: energy per clock cycle,
// per PE multiply-accumulate, and per MAC of each operand class: one or two
// nonzero operands; see energy_model.cpp); SRAM and DRAM energies come from a
// documented analytic model.
#pragma once
#include "core/arch_config.h"
#include "reports/power.h"
#include "sim/engine.h"
#include <nlohmann/json.hpp>
#include <string>

namespace tpe {

struct EnergyCalibration {
  std::string design_key; // engine, array, dataflow, pe, format, acc_bits
  std::string library, operands;
  double clock_ns = 0;
  double volts = 0, node_nm = 0; // of the library, for the SRAM model
  double pj_per_cycle = 0;       // clock, control, idle registers, leakage
  double pj_per_pe_mac = 0;      // one PE multiply-accumulate with its data movement,
                                 // on the calibration distribution
  // operand classes: what a MAC with one / two nonzero operands adds over one with
  // two zeros, and the calibration distribution's fractions of such MACs
  double pj_one_nonzero = 0, pj_two_nonzero = 0;
  double frac_one_nonzero = 0, frac_two_nonzero = 0;
  std::vector<std::string> fitted_on;
};

std::string design_key(const ArchConfig& a);
// Four gate-level runs (reports/power.cpp) and the fit described in the .cpp. Serial PEs
// (no operand classes in their model) are refused.
EnergyCalibration calibrate_energy(const ArchConfig& arch, const PowerOptions& base,
                                   const std::string& operands, std::ostream& progress);
nlohmann::json calibration_json(const EnergyCalibration& c);
EnergyCalibration calibration_from_json(const nlohmann::json& j, const std::string& source);
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
