// Engine dispatch by name and the SimMode names used on the command line.
#include "sim/engine.h"
#include "core/error.h"
#include "pe_models/pe.h"
#include <stdexcept>

namespace tpe {

SimMode parse_sim_mode(const std::string& s) {
  if (s == "auto") return SimMode::Auto;
  if (s == "values") return SimMode::Values;
  if (s == "timing") return SimMode::Timing;
  if (s == "analytic") return SimMode::Analytic;
  throw InputError("--mode", 0, "",
                   "unknown mode '" + s + "' (choose auto, values, timing or analytic)");
}

const char* sim_mode_name(SimMode m) {
  switch (m) {
  case SimMode::Auto:
    return "auto";
  case SimMode::Values:
    return "values";
  case SimMode::Timing:
    return "timing";
  case SimMode::Analytic:
    return "analytic";
  }
  return "?";
}

LayerResult run_layer(const ArchConfig& arch, const Layer& layer, const RunOptions& opt) {
  const EngineRunner* r = EngineRunnerRegistry::instance().find(arch.engine);
  if (!r) throw std::logic_error("engine '" + arch.engine + "' has no runner registered");
  return (*r)(arch, layer, opt);
}

double peak_macs_per_cycle(const ArchConfig& arch) {
  const PeInfo* pe = PeRegistry::instance().find(arch.pe);
  const double per_pe =
      pe && pe->peak_macs_per_cycle ? pe->peak_macs_per_cycle(arch.operand_bits()) : 1.0;
  return double(arch.multipliers()) * per_pe;
}

double utilization(const ArchConfig& arch, int64_t macs, int64_t cycles) {
  return cycles > 0 ? double(macs) / (double(cycles) * peak_macs_per_cycle(arch)) : 0.0;
}

} // namespace tpe
