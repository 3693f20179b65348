// DRAM presets of the analytic memory model (`memory.model: dram`, `memory.dram:
// NAME`; docs/memory-model.md), registered by name from core/dram_presets.cpp, one
// entry per device class with the source of every figure. Bandwidth is peak (data
// rate x width); latency is a row-miss read, tRCD + tCL, with the bank precharged;
// energy per bit is the DRAM's own per transferred bit (activation and data
// movement; what it includes is in `source`).
#pragma once
#include "core/registry.h"
#include <string>

namespace tpe {

struct DramPreset {
  std::string description; // device class and width, one line
  double gb_per_s = 0;     // peak bandwidth, 1e9 bytes per second
  int burst_bytes = 0;     // bytes of one burst (burst length x channel width)
  double latency_ns = 0;   // row-miss read latency, tRCD + tCL
  double pj_per_bit = 0;   // energy per transferred bit
  std::string source;      // where each figure comes from
};

using DramPresetRegistry = Registry<DramPreset>;

} // namespace tpe
