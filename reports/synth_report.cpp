// Synthesis report writers. Generic (no Liberty) runs report area in NAND2
// equivalents under "area_nand2_eq" and leave "area_um2" null, so a number is
// never read in the wrong unit.
#include "reports/synth_report.h"
#include <fmt/format.h>

namespace tpe {

std::string synth_text(const SynthReport& r) {
  std::string s = fmt::format("synth: design {} (top {}), library: {}{}\n", r.design, r.top,
                              r.library, r.library_path.empty() ? "" : " (" + r.library_path + ")");
  s += fmt::format("synth: {} run, {:.1f} s\n", r.flattened ? "flattened" : "hierarchical",
                   r.synth_seconds);
  s += fmt::format("area: {:.2f} {}   cells: {}   flip-flops: {}\n", r.area, r.area_unit, r.cells,
                   r.flops);
  s += fmt::format("{:<36} {:<13} {:>9} {:>14} {:>9} {:>7}\n", "module", "role", "instances",
                   "area each", "cells", "flops");
  for (const auto& m : r.modules)
    s += fmt::format("{:<36} {:<13} {:>9} {:>14.2f} {:>9} {:>7}\n", m.module, m.category,
                     m.instances, m.area, m.cells, m.flops);
  for (const auto& m : r.modules)
    if (m.category == "pe")
      s += fmt::format("one PE ({}): {:.2f} {}, {} instances, {:.1f}% of the total\n", m.module,
                       m.area, r.area_unit, m.instances,
                       r.area > 0 ? 100 * m.area * m.instances / r.area : 0);
  s += "area by role (all instances):";
  for (const auto& [k, v] : r.area_by_category)
    s += fmt::format(" {} {:.1f} ({:.1f}%)", k, v, r.area > 0 ? 100 * v / r.area : 0);
  s += "\n";
  if (r.timed) {
    s += fmt::format("timing at {} ns: critical path {:.3f} ns from {} to {}, slack {:.3f} ns, "
                     "fmax {:.1f} MHz\n",
                     r.clock_ns, r.critical_path_ns, r.startpoint, r.endpoint, r.slack_ns,
                     r.fmax_mhz);
    if (r.max_fanout > 0)
      s += fmt::format("fanout repair: {} nets over {} loads got trees of {} ({} buffers per "
                       "module definition)\n",
                       r.fanout_nets, r.max_fanout, r.fanout_buffer, r.fanout_buffers);
    for (const auto& a : r.assumptions)
      s += "  assumption: " + a + "\n";
  } else {
    s += "timing: not available without a Liberty library (--liberty none: yosys internal gates)\n";
  }
  return s;
}

nlohmann::json synth_json(const SynthReport& r) {
  nlohmann::json j;
  j["design"] = r.design;
  j["top"] = r.top;
  j["library"] = r.library;
  j["library_path"] = r.library_path;
  j["flattened"] = r.flattened;
  j["area_unit"] = r.area_unit;
  j["area_um2"] = r.generic ? nlohmann::json(nullptr) : nlohmann::json(r.area);
  if (r.generic) j["area_nand2_eq"] = r.area;
  j["cells"] = r.cells;
  j["flops"] = r.flops;
  j["synth_seconds"] = r.synth_seconds;
  j["modules"] = nlohmann::json::array();
  for (const auto& m : r.modules)
    j["modules"].push_back({{"module", m.module},
                            {"role", m.category},
                            {"instances", m.instances},
                            {"area_each", m.area},
                            {"cells_each", m.cells},
                            {"flops_each", m.flops}});
  j["area_by_role"] = r.area_by_category;
  if (r.timed) {
    j["clock_ns"] = r.clock_ns;
    j["critical_path_ns"] = r.critical_path_ns;
    j["slack_ns"] = r.slack_ns;
    j["fmax_mhz"] = r.fmax_mhz;
    j["startpoint"] = r.startpoint;
    j["endpoint"] = r.endpoint;
    j["timing_assumptions"] = r.assumptions;
    j["fanout_repair"] = {{"max_fanout", r.max_fanout},
                          {"buffer_cell", r.fanout_buffer},
                          {"nets", r.fanout_nets},
                          {"buffers", r.fanout_buffers}};
  } else {
    j["critical_path_ns"] = nullptr;
    j["fmax_mhz"] = nullptr;
  }
  return j;
}

} // namespace tpe
