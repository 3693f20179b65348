// The reports of `tpe sim --compat scalesim` (dataflows/scalesim_v2.h): SCALE-Sim
// v2's COMPUTE_REPORT.csv, character for character (its column names, ", "
// separators, trailing commas, integer cycles, Python repr floats), a table for
// stdout and the JSON report.
#pragma once
#include "core/arch_config.h"
#include "core/workload.h"
#include "dataflows/scalesim_v2.h"
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tpe {

struct ScaleSimCompatReport {
  ArchConfig arch;
  ScaleSimV2Config config;
  std::string workload;
  std::vector<Layer> layers;
  std::vector<ScaleSimV2Layer> results; // one per layer
};

// The ScaleSimV2Config of an architecture: a systolic array's rows, columns,
// dataflow, SRAM sizes (kB of one-byte words, as SCALE-Sim counts them) and DRAM
// bandwidth; `interface_bandwidth` ("USER", "CALC" or empty: the .cfg's, else
// CALC). Throws InputError naming the key for an engine SCALE-Sim does not model,
// a USER bandwidth that is not a whole number of words, or a .cfg whose
// InterfaceBandwidth is missing.
ScaleSimV2Config scalesim_v2_config(const ArchConfig& arch, const std::string& interface_bandwidth);

std::string scalesim_v2_compute_report(const ScaleSimCompatReport& r); // COMPUTE_REPORT.csv
std::string scalesim_v2_table(const ScaleSimCompatReport& r);          // for stdout
nlohmann::json scalesim_v2_json(const ScaleSimCompatReport& r);

} // namespace tpe
