// Results of `tpe sim`: per-layer rows and totals, written as a console table,
// CSV, JSON and SCALE-Sim's COMPUTE_REPORT.csv.
#pragma once
#include "core/arch_config.h"
#include "reports/energy_model.h"
#include "sim/engine.h"
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tpe {

struct SimReport {
  ArchConfig arch;
  std::string workload;
  uint64_t seed = 0;
  std::string operands = "random"; // operand distribution of Values-mode layers
  std::vector<LayerResult> layers;
  bool has_energy = false; // an energy calibration was given
  EnergyCalibration calibration;
  std::vector<LayerEnergy> energy; // per layer, when has_energy
  int64_t total_cycles() const;
  int64_t total_macs() const;
};

std::string sim_table(const SimReport& r);               // human-readable, for stdout
std::string sim_csv(const SimReport& r);                 // one row per layer plus TOTAL
nlohmann::json sim_json(const SimReport& r);             // total_cycles, layers[...], ...
std::string scalesim_compute_report(const SimReport& r); // COMPUTE_REPORT.csv

} // namespace tpe
