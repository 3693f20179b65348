// Reports of `tpe sim --compat scalesim` (reports/scalesim_compat_report.h).
#include "reports/scalesim_compat_report.h"
#include "core/error.h"
#include "core/text.h"
#include <cmath>
#include <fmt/format.h>

namespace tpe {

ScaleSimV2Config scalesim_v2_config(const ArchConfig& arch,
                                    const std::string& interface_bandwidth) {
  if (arch.engine != "systolic")
    throw InputError(arch.source, 0, "engine",
                     "--compat scalesim: SCALE-Sim models systolic arrays only; engine '" +
                         arch.engine + "' has no SCALE-Sim counterpart");
  ScaleSimV2Config c;
  c.rows = arch.rows;
  c.cols = arch.cols;
  c.dataflow = arch.dataflow;
  c.ifmap_words = arch.memory.ifmap_sram_kb * 1024;
  c.filter_words = arch.memory.filter_sram_kb * 1024;
  c.ofmap_words = arch.memory.ofmap_sram_kb * 1024;
  // a SCALE-Sim .cfg must give what SCALE-Sim itself stops without; a tpe architecture
  // has its SRAM sizes and bandwidth (defaults included) and runs as CALC unless told
  const bool from_cfg = !arch.memory.scalesim_keys.empty();
  const auto require = [&](const char* key, const char* name, const char* why) {
    if (from_cfg && !arch.memory.scalesim_keys.count(key))
      throw InputError(arch.source, 0, name,
                       std::string("required by --compat scalesim") + why + ", as by SCALE-Sim");
  };
  std::string mode = interface_bandwidth;
  if (mode.empty()) {
    require("interfacebandwidth", "run_presets.InterfaceBandwidth", " (USER or CALC)");
    mode = arch.memory.scalesim_interface_bandwidth;
    if (mode.empty()) mode = "CALC";
  }
  for (const auto& [key, name] :
       {std::pair{"ifmapsramszkb", "IfmapSramSzkB"}, std::pair{"filtersramszkb", "FilterSramSzkB"},
        std::pair{"ofmapsramszkb", "OfmapSramSzkB"}})
    require(key, name, "");
  c.user_bandwidth = mode == "USER";
  if (c.user_bandwidth) require("bandwidth", "Bandwidth", " under InterfaceBandwidth USER");
  if (c.user_bandwidth) {
    const double bw = arch.memory.dram_bytes_per_cycle;
    if (!(bw >= 1) || bw != std::floor(bw) || bw > 1e6)
      throw InputError(arch.source, 0, "memory.dram_bytes_per_cycle",
                       fmt::format("InterfaceBandwidth USER needs a whole number of one-byte "
                                   "words per cycle (1..1000000), got {}",
                                   bw));
    c.bandwidth = static_cast<int64_t>(bw);
  }
  check_scalesim_v2_config(c, arch.source);
  return c;
}

std::string scalesim_v2_compute_report(const ScaleSimCompatReport& r) {
  std::string s = "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, "
                  "Compute Util %,\n";
  for (size_t i = 0; i < r.results.size(); ++i) {
    const ScaleSimV2Layer& l = r.results[i];
    s += fmt::format("{}, {}, {}, {}, {}, {},\n", i, count_str(l.total_cycles),
                     count_str(l.stall_cycles), python_float_repr(l.overall_util),
                     python_float_repr(l.mapping_efficiency), python_float_repr(l.compute_util));
  }
  return s;
}

std::string scalesim_v2_table(const ScaleSimCompatReport& r) {
  std::string s = fmt::format(
      "SCALE-Sim v2 numbers (--compat scalesim): {} {}x{} {}, SRAM {}/{}/{} kB, {}\n", r.arch.name,
      r.config.rows, r.config.cols, r.config.dataflow, r.config.ifmap_words / 1024,
      r.config.filter_words / 1024, r.config.ofmap_words / 1024,
      r.config.user_bandwidth
          ? fmt::format("InterfaceBandwidth USER, {} words/cycle", r.config.bandwidth)
          : std::string("InterfaceBandwidth CALC (no read stalls)"));
  s += fmt::format("{:<24} {:>14} {:>14} {:>10} {:>10} {:>10} {:>8} {:>8}\n", "layer",
                   "total cycles", "stall cycles", "util %", "mapping %", "compute %", "ifmap rf",
                   "filt rf");
  Count total = 0, stall = 0;
  for (size_t i = 0; i < r.results.size(); ++i) {
    const ScaleSimV2Layer& l = r.results[i];
    total += l.total_cycles;
    stall += l.stall_cycles;
    s += fmt::format("{:<24} {:>14} {:>14} {:>10.3f} {:>10.3f} {:>10.3f} {:>8} {:>8}\n",
                     printable(utf8_prefix(r.layers[i].name, 24)), count_str(l.total_cycles),
                     count_str(l.stall_cycles), l.overall_util, l.mapping_efficiency,
                     l.compute_util, count_str(l.ifmap_refills), count_str(l.filter_refills));
  }
  s += fmt::format("{:<24} {:>14} {:>14}\n", "TOTAL", count_str(total), count_str(stall));
  return s;
}

nlohmann::json scalesim_v2_json(const ScaleSimCompatReport& r) {
  nlohmann::json j;
  j["compat"] = "scalesim";
  j["scalesim_version"] = "v2 22f88b1";
  j["arch"] = r.arch.name;
  j["workload"] = r.workload;
  j["rows"] = r.config.rows;
  j["cols"] = r.config.cols;
  j["dataflow"] = r.config.dataflow;
  j["sram_words"] = {{"ifmap", r.config.ifmap_words},
                     {"filter", r.config.filter_words},
                     {"ofmap", r.config.ofmap_words}};
  j["interface_bandwidth"] = r.config.user_bandwidth ? "USER" : "CALC";
  if (r.config.user_bandwidth) j["bandwidth_words_per_cycle"] = r.config.bandwidth;
  j["layers"] = nlohmann::json::array();
  for (size_t i = 0; i < r.results.size(); ++i) {
    const ScaleSimV2Layer& l = r.results[i];
    nlohmann::json x;
    x["name"] = r.layers[i].name;
    x["total_cycles"] = count_json(l.total_cycles);
    x["stall_cycles"] = count_json(l.stall_cycles);
    x["overall_util_pct"] = l.overall_util;
    x["mapping_efficiency_pct"] = l.mapping_efficiency;
    x["compute_util_pct"] = l.compute_util;
    x["folds"] = count_json(l.folds);
    x["demand_rows"] = count_json(l.demand_rows);
    x["sram_ifmap_reads"] = count_json(l.sram_ifmap_reads);
    x["sram_filter_reads"] = count_json(l.sram_filter_reads);
    x["sram_ofmap_writes"] = count_json(l.sram_ofmap_writes);
    x["ifmap_refills"] = count_json(l.ifmap_refills);
    x["filter_refills"] = count_json(l.filter_refills);
    x["ifmap_stall"] = count_json(l.ifmap_stall);
    x["filter_stall"] = count_json(l.filter_stall);
    x["ofmap_stall"] = count_json(l.ofmap_stall);
    if (r.config.user_bandwidth) {
      x["dram_ifmap_reads"] = count_json(l.dram_ifmap_reads);
      x["dram_filter_reads"] = count_json(l.dram_filter_reads);
    }
    x["dram_ofmap_writes"] = count_json(l.dram_ofmap_writes);
    j["layers"].push_back(x);
  }
  return j;
}

} // namespace tpe
