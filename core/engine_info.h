// What the architecture parser needs to know about an engine: its name and the
// dataflows it accepts. Engines register an EngineInfo from their own file in sim/.
#pragma once
#include "core/registry.h"
#include <string>
#include <vector>

namespace tpe {

struct EngineInfo {
  std::string name;
  std::string description;
  std::vector<std::string> dataflows;
};

using EngineRegistry = Registry<EngineInfo>;

} // namespace tpe
