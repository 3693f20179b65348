// What the parser and the reports need to know about an engine: its name, the
// dimension keys it takes, the dataflows and the PEs it accepts, and the GEMMs its
// energy calibration runs on. Engines register an EngineInfo from their own file
// in sim/, so the reports never switch on engine names.
#pragma once
#include "core/registry.h"
#include "core/workload.h"
#include <string>
#include <vector>

namespace tpe {

struct ArchConfig;

// The GEMMs of an engine's energy calibration (reports/energy_model.cpp): `busy`
// keeps the multipliers working in almost every cycle (fill and drain a few percent
// of the run) and gives the energy per cycle and per MAC; `idle` does far fewer PE
// MACs per cycle (short folds, or one-fold GEMMs run one after the other, each from
// power-up) and, where it writes more outputs per MAC than `busy`, gives the energy
// per output word. Each list is run as one gate-level power run.
struct CalibrationGemms {
  std::vector<Layer> busy, idle;
};

struct EngineInfo {
  std::string name;
  std::string description;
  std::vector<std::string> dataflows; // the first is the default when only one is listed
  std::vector<std::string> dims;      // required dimension keys among rows, cols, depth
  std::vector<std::string> pes;       // PEs it accepts (empty: every PE)
  int max_depth = 1;                  // largest `depth` (1 when it takes none)
  std::string dims_help;              // what the dimension keys mean on this engine
  // the calibration GEMMs for a design of this engine (its dims and dataflow)
  CalibrationGemms (*calibration_gemms)(const ArchConfig&) = nullptr;
};

using EngineRegistry = Registry<EngineInfo>;

} // namespace tpe
