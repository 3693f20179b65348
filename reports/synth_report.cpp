// Synthesis report writers. Generic (no Liberty) runs report area in NAND2
// equivalents under "area_nand2_eq" and leave "area_um2" null, so a number is
// never read in the wrong unit. SRAM arrays kept as blackbox macros are reported on
// their own lines (area from the SRAM macro model), never as a silent zero.
#include "reports/synth_report.h"
#include <fmt/format.h>

namespace tpe {

std::string synth_text(const SynthReport& r) {
  std::string s = fmt::format("synth: design {} (top {}), library: {}{}\n", r.design, r.top,
                              r.library, r.library_path.empty() ? "" : " (" + r.library_path + ")");
  s += fmt::format("synth: {} run, {:.1f} s\n", r.flattened ? "flattened" : "hierarchical",
                   r.synth_seconds);
  s += fmt::format(
      "area: {:.2f} {}   cells: {}   flip-flops: {}{}\n", r.area, r.area_unit, r.cells, r.flops,
      r.macros.empty() ? "" : "   (standard cells; the SRAM macros below are not in it)");
  s += fmt::format("{:<36} {:<13} {:>9} {:>14} {:>9} {:>7}\n", "module", "role", "instances",
                   "area each", "cells", "flops");
  for (const auto& m : r.modules)
    if (m.category == "sram_macro")
      s += fmt::format("{:<36} {:<13} {:>9} {:>14} {:>9} {:>7}\n", m.module, m.category,
                       m.instances, "macro", "-", "-");
    else
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
  for (const auto& m : r.macros)
    s += fmt::format("SRAM macro {} x{}: {} words x {} bits, {}, {:g} nm: {:.1f} um^2 each, {:.1f} "
                     "um^2 in all (reports/sram_model.h: blackbox in yosys, not mapped){}\n",
                     m.module, m.instances, m.words, m.width_bits, m.ports, m.node_nm, m.area_each,
                     m.area_each * double(m.instances),
                     m.extrapolation.empty() ? "" : "; " + m.extrapolation);
  if (!r.macros.empty()) {
    if (r.generic)
      s += fmt::format("total area: not summed (standard cells in {}, SRAM macros {:.1f} um^2)\n",
                       r.area_unit, r.macro_area);
    else
      s += fmt::format("total area: {:.2f} um^2 = standard cells {:.2f} + SRAM macros {:.2f} "
                       "({:.1f}% SRAM)\n",
                       r.total_area, r.area, r.macro_area,
                       r.total_area > 0 ? 100 * r.macro_area / r.total_area : 0);
  }
  if (r.timed) {
    s += fmt::format("timing at {} ns: critical path {:.3f} ns from {} to {}, slack {:.3f} ns, "
                     "fmax {:.1f} MHz\n",
                     r.clock_ns, r.critical_path_ns, r.startpoint, r.endpoint, r.slack_ns,
                     r.fmax_mhz);
    if (!r.fmax_limit.empty())
      s += fmt::format("fmax limited by {}: minimum period {:.3f} ns\n", r.fmax_limit,
                       r.min_period_ns);
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
  if (!r.macros.empty()) {
    j["sram_macros"] = nlohmann::json::array();
    for (const auto& m : r.macros)
      j["sram_macros"].push_back({{"module", m.module},
                                  {"instances", m.instances},
                                  {"words", m.words},
                                  {"width_bits", m.width_bits},
                                  {"ports", m.ports},
                                  {"node_nm", m.node_nm},
                                  {"area_um2_each", m.area_each},
                                  {"area_um2", m.area_each * double(m.instances)},
                                  {"model", "reports/sram_model.h (blackbox in synthesis)"},
                                  {"extrapolation", m.extrapolation}});
    j["sram_area_um2"] = r.macro_area;
    j["total_area_um2"] = r.generic ? nlohmann::json(nullptr) : nlohmann::json(r.total_area);
  }
  if (r.timed) {
    j["clock_ns"] = r.clock_ns;
    j["critical_path_ns"] = r.critical_path_ns;
    j["slack_ns"] = r.slack_ns;
    j["fmax_mhz"] = r.fmax_mhz;
    if (!r.fmax_limit.empty()) {
      j["min_period_ns"] = r.min_period_ns;
      j["fmax_limit"] = r.fmax_limit;
    }
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
