// What the architecture parser needs to know about an engine: its name, the
// dimension keys it takes, the dataflows and the PEs it accepts. Engines register
// an EngineInfo from their own file in sim/.
#pragma once
#include "core/registry.h"
#include <string>
#include <vector>

namespace tpe {

struct EngineInfo {
  std::string name;
  std::string description;
  std::vector<std::string> dataflows; // the first is the default when only one is listed
  std::vector<std::string> dims;      // required dimension keys among rows, cols, depth
  std::vector<std::string> pes;       // PEs it accepts (empty: every PE)
  int max_depth = 1;                  // largest `depth` (1 when it takes none)
  std::string dims_help;              // what the dimension keys mean on this engine
};

using EngineRegistry = Registry<EngineInfo>;

} // namespace tpe
