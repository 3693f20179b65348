// Results of `tpe sim`: per-layer rows and totals, written as a console table,
// CSV, JSON and SCALE-Sim's COMPUTE_REPORT.csv. Every count is exact (core/count.h),
// sums over layers included.
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
  // sums over the layers, exact (InputError naming the workload above 2^127 - 1)
  Count total_cycles() const;
  Count total_macs() const;
};

std::string sim_table(const SimReport& r); // human-readable, for stdout
std::string sim_csv(const SimReport& r);   // one row per layer plus TOTAL
// total_cycles, layers[...], ...; counts beyond int64_t are count_json()
// placeholders: write the report with dump_json() (core/count.h)
nlohmann::json sim_json(const SimReport& r);
std::string scalesim_compute_report(const SimReport& r); // COMPUTE_REPORT.csv

} // namespace tpe
