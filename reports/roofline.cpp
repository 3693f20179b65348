// The roofline sweep (reports/roofline.h). Algorithm: parse every file first (so a
// bad one fails before the runs), then per design and workload run each layer once
// per bandwidth in analytic mode on a copy of the design with memory.model dram,
// dram custom (the preset's latency, burst and energy, the sweep's bandwidth), and
// sum the cycles, stalls and DRAM bytes exactly (core/count.h).
#include "reports/roofline.h"
#include "core/arch_config.h"
#include "core/dram_preset.h"
#include "core/engine_info.h"
#include "core/error.h"
#include "core/workload.h"
#include "pe_models/pe.h"
#include "sim/engine.h"
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>

namespace tpe {

std::vector<RooflinePoint> roofline(const std::vector<std::string>& arch_files,
                                    const RooflineOptions& o, std::ostream& progress) {
  const DramPreset* preset = DramPresetRegistry::instance().find(o.dram);
  if (!preset)
    throw InputError("--dram", 0, "",
                     "unknown DRAM preset '" + o.dram +
                         "' (choose: " + DramPresetRegistry::instance().joined_names() + ")");
  if (o.bytes_per_cycle.empty()) throw InputError("--bytes-per-cycle", 0, "", "no bandwidth given");
  for (double b : o.bytes_per_cycle)
    if (!(b > 0) || !std::isfinite(b))
      throw InputError("--bytes-per-cycle", 0, "",
                       fmt::format("{}: a bandwidth must be a positive number of bytes", b));
  std::vector<ArchConfig> archs;
  for (const auto& f : arch_files) {
    archs.push_back(parse_arch_file(f));
    const EngineInfo* e = EngineRegistry::instance().find(archs.back().engine);
    if (e && !e->has_pe)
      throw InputError(f, archs.back().line_of("engine"), "engine",
                       "engine '" + archs.back().engine +
                           "' has no DRAM memory model (its operands live in its SRAM-PIM "
                           "arrays); the roofline needs memory.model dram");
    const PeInfo* pe = PeRegistry::instance().find(archs.back().pe);
    if (e && e->has_pe && pe && pe->sparse_group > 0)
      throw InputError(f, archs.back().line_of("pe"), "pe",
                       "PE '" + archs.back().pe +
                           "' takes a number of cycles that depends on the operand values (no "
                           "closed form); the roofline runs the closed form: run tpe sim with "
                           "memory.model dram on your operands instead");
  }
  std::vector<Workload> workloads;
  for (const auto& w : o.workloads)
    workloads.push_back(parse_workload_file(w));
  std::vector<RooflinePoint> out;
  for (size_t d = 0; d < archs.size(); ++d)
    for (size_t w = 0; w < workloads.size(); ++w) {
      progress << "roofline: " << archs[d].name << " on " << o.workloads[w] << "\n";
      for (double b : o.bytes_per_cycle) {
        ArchConfig a = archs[d];
        a.memory.model = "dram";
        a.memory.dram = "custom";
        a.memory.dram_bytes_per_cycle = b;
        a.memory.dram_latency_ns = preset->latency_ns;
        a.memory.dram_burst_bytes = preset->burst_bytes;
        a.memory.dram_pj_per_bit = preset->pj_per_bit;
        RooflinePoint p;
        p.arch_file = arch_files[d];
        p.design = a.name;
        p.engine = a.engine;
        p.shape = a.shape();
        p.workload = o.workloads[w];
        p.bytes_per_cycle = b;
        p.peak = peak_macs_per_cycle(a);
        RunOptions ro;
        ro.mode = SimMode::Analytic;
        ro.source = o.workloads[w];
        for (const Layer& l : workloads[w].layers) {
          const LayerResult r = run_layer(a, l, ro);
          try {
            p.macs = count_add(p.macs, r.macs, "MACs");
            p.cycles = count_add(p.cycles, r.cycles, "cycles");
            p.compute_cycles = count_add(p.compute_cycles, r.memory.compute_cycles, "cycles");
            p.stall_cycles = count_add(p.stall_cycles, r.memory.stall_cycles, "stall cycles");
            p.dram_bytes = count_add(p.dram_bytes,
                                     r.memory.dram_ifmap_bytes + r.memory.dram_filter_bytes +
                                         r.memory.dram_ofmap_bytes,
                                     "DRAM bytes");
          } catch (const CountOverflow& e) {
            throw InputError(o.workloads[w], 0, "",
                             std::string(e.what()) + " (more than 2^127 - 1)");
          }
        }
        p.attained = p.cycles ? count_double(p.macs) / count_double(p.cycles) : 0;
        p.intensity = p.dram_bytes ? count_double(p.macs) / count_double(p.dram_bytes) : 0;
        p.roof = std::min(p.peak, b * p.intensity);
        out.push_back(p);
      }
    }
  return out;
}

namespace {
std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}
} // namespace

std::string roofline_markdown(const std::vector<RooflinePoint>& pts, const RooflineOptions& o) {
  const DramPreset& pr = *DramPresetRegistry::instance().find(o.dram);
  std::string out = fmt::format(
      "Roofline: each design's own buffers on a DRAM of the given bytes per engine cycle, with "
      "{}'s latency ({} ns) and {}-byte bursts (memory.model dram, docs/memory-model.md); "
      "cycles from the closed form plus the stalls. Attained = MACs / cycles; intensity = "
      "MACs / DRAM byte; roof = min(peak, bandwidth x intensity).\n\n",
      o.dram, pr.latency_ns, pr.burst_bytes);
  out += "| design | workload | bytes/cycle | cycles | stall share | DRAM bytes | MACs/byte | "
         "attained MACs/cycle | roof | peak |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  for (const auto& p : pts)
    out += fmt::format("| {} | {} | {:g} | {} | {:.1f}% | {} | {:.2f} | {:.2f} | {:.2f} | {:g} |\n",
                       p.design, file_name(p.workload), p.bytes_per_cycle, p.cycles,
                       p.cycles ? 100 * count_double(p.stall_cycles) / count_double(p.cycles) : 0,
                       p.dram_bytes, p.intensity, p.attained, p.roof, p.peak);
  return out;
}

nlohmann::json roofline_json(const std::vector<RooflinePoint>& pts, const RooflineOptions& o) {
  nlohmann::json j;
  j["dram"] = o.dram;
  j["points"] = nlohmann::json::array();
  for (const auto& p : pts)
    j["points"].push_back({{"arch_file", p.arch_file},
                           {"design", p.design},
                           {"engine", p.engine},
                           {"shape", p.shape},
                           {"workload", p.workload},
                           {"bytes_per_cycle", p.bytes_per_cycle},
                           {"macs", count_json(p.macs)},
                           {"cycles", count_json(p.cycles)},
                           {"compute_cycles", count_json(p.compute_cycles)},
                           {"stall_cycles", count_json(p.stall_cycles)},
                           {"dram_bytes", count_json(p.dram_bytes)},
                           {"peak_macs_per_cycle", p.peak},
                           {"attained_macs_per_cycle", p.attained},
                           {"macs_per_dram_byte", p.intensity},
                           {"roof_macs_per_cycle", p.roof}});
  return j;
}

nlohmann::json roofline_vega_lite(const std::vector<RooflinePoint>& pts, const RooflineOptions& o) {
  nlohmann::json values = nlohmann::json::array();
  for (const auto& p : pts) {
    const std::string design = p.design + " (" + p.shape + ")";
    const std::string wl = std::filesystem::path(p.workload).stem().string();
    values.push_back({{"design", design},
                      {"workload", wl},
                      {"bytes_per_cycle", p.bytes_per_cycle},
                      {"macs_per_cycle", p.attained},
                      {"kind", "attained (solid)"}});
    values.push_back({{"design", design},
                      {"workload", wl},
                      {"bytes_per_cycle", p.bytes_per_cycle},
                      {"macs_per_cycle", p.roof},
                      {"kind", "roof (dashed)"}});
  }
  const nlohmann::json log2 = {{"type", "log"}, {"base", 2}};
  nlohmann::json enc = {
      {"x",
       {{"field", "bytes_per_cycle"},
        {"type", "quantitative"},
        {"scale", log2},
        {"title", "DRAM bytes per cycle"}}},
      {"y",
       {{"field", "macs_per_cycle"},
        {"type", "quantitative"},
        {"scale", log2},
        {"title", "MACs per cycle"}}},
      {"color", {{"field", "workload"}, {"type", "nominal"}, {"title", "workload"}}},
      {"strokeDash",
       {{"field", "kind"},
        {"type", "nominal"},
        {"title", "line"},
        {"scale",
         {{"domain", {"attained (solid)", "roof (dashed)"}}, {"range", {{1, 0}, {4, 3}}}}}}}};
  return {{"$schema", "https://vega.github.io/schema/vega-lite/v6.json"},
          {"description",
           "Roofline over DRAM bandwidth (tpe roofline; regenerate with make roofline). DRAM: " +
               o.dram + " latency and bursts, bandwidth swept."},
          {"data", {{"values", values}}},
          {"facet", {{"field", "design"}, {"type", "nominal"}, {"title", nullptr}}},
          {"columns", 2},
          {"spec",
           {{"width", 260},
            {"height", 200},
            {"mark", {{"type", "line"}, {"point", true}, {"clip", true}}},
            {"encoding", enc}}}};
}

} // namespace tpe
