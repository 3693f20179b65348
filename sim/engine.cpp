// Engine dispatch by name and the SimMode names used on the command line.
#include "sim/engine.h"
#include "core/engine_info.h"
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

InputError layer_error(const Layer& l, const std::string& source, const std::string& problem) {
  if (!source.empty()) return InputError(source, l.line, "layer '" + l.name + "'", problem);
  return InputError("layer '" + l.name + "'" +
                        (l.line > 0 ? " (line " + std::to_string(l.line) + ")" : ""),
                    0, "", problem);
}

LayerResult run_layer(const ArchConfig& arch, const Layer& layer, const RunOptions& opt) {
  const EngineRunner* r = EngineRunnerRegistry::instance().find(arch.engine);
  if (!r) throw std::logic_error("engine '" + arch.engine + "' has no runner registered");
  try {
    LayerResult res = (*r)(arch, layer, opt);
    if (arch.memory.model == "dram") {
      res.memory = memory_model(arch, layer, res.cycles);
      res.cycles = count_add(res.cycles, res.memory.stall_cycles, "cycles with DRAM stalls");
      res.utilization = utilization(arch, res.macs, res.cycles);
    }
    return res;
  } catch (const CountOverflow& e) {
    throw layer_error(layer, opt.source,
                      std::string(e.what()) + " on " + arch.name + " (" + arch.shape() + " " +
                          arch.engine + "): the layer is too large for this engine");
  }
}

double peak_macs_per_cycle(const ArchConfig& arch) {
  const EngineInfo* e = EngineRegistry::instance().find(arch.engine);
  if (e && e->peak_macs_per_cycle) return e->peak_macs_per_cycle(arch);
  const PeInfo* pe = PeRegistry::instance().find(arch.pe);
  const double per_pe =
      pe && pe->peak_macs_per_cycle ? pe->peak_macs_per_cycle(arch.operand_bits()) : 1.0;
  return double(arch.multipliers()) * per_pe;
}

double utilization(const ArchConfig& arch, Count macs, Count cycles) {
  return cycles > 0 ? count_double(macs) / (count_double(cycles) * peak_macs_per_cycle(arch)) : 0.0;
}

} // namespace tpe
