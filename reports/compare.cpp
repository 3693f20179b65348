// Design comparison. Algorithm: per architecture file, one gate-level power run
// per operand distribution (each synthesizes the design; the Verilator build of
// the netlist is cached, so later runs reuse it); the first run's synthesis
// report gives area and the maximum clock. Efficiencies: peak TOPS = 2 x PEs x
// MAC rate x fmax (the rate is 1 MAC per PE per cycle, or, for variable-latency
// PEs, the MACs per PE per working cycle measured by the model on the first
// operand distribution), TOPS/mm^2 = peak TOPS / area, TOPS/W = 2 / (pJ per MAC), where the energy
// per MAC is measured on the whole GEMM (fill, drain and controller included).
// With workloads, each design is also calibrated for architectural energy
// (reports/energy_model: four gate-level runs on the same netlist) and runs every
// layer of every workload through the model (auto mode), giving cycles,
// utilization, time at the design's own maximum clock and energy per workload.
#include "reports/compare.h"
#include "core/cleanup.h"
#include "core/dram_preset.h"
#include "core/engine_info.h"
#include "core/error.h"
#include "core/workload.h"
#include "reports/energy_model.h"
#include "reports/synth_report.h"
#include "rtl_gen/rtl_generator.h"
#include "sim/engine.h"
#include "testbenches/lib/verify.h"
#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <set>
#include <unistd.h>

namespace tpe {

namespace {

WorkloadRow run_workload(const ArchConfig& a, const Workload& w, const std::string& file,
                         const EnergyCalibration& cal, const SynthReport& synth, uint64_t seed,
                         const OperandDist& dist, std::ostream& progress) {
  WorkloadRow row;
  row.workload = file;
  row.memory = a.memory.model == "ideal" ? "ideal" : a.memory.dram;
  RunOptions ro;
  ro.seed = seed;
  ro.dist = dist;
  ro.source = file;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerResult l = run_layer(a, w.layers[i], ro);
    const LayerEnergy e = layer_energy(a, l, cal);
    ++row.layers;
    try {
      row.cycles = count_add(row.cycles, l.cycles, "total cycles");
      if (l.memory.modeled)
        row.stall_cycles = count_add(row.stall_cycles, l.memory.stall_cycles, "stall cycles");
      row.macs = count_add(row.macs, l.macs, "total MACs");
    } catch (const CountOverflow& e) {
      throw InputError(file, 0, "", std::string(e.what()) + " (more than 2^127 - 1)");
    }
    row.array_uj += e.array_pj * 1e-6;
    row.sram_uj += (e.ifmap_sram_pj + e.filter_sram_pj + e.ofmap_sram_pj + e.arrays_pj) * 1e-6;
    row.dram_uj += e.dram_pj * 1e-6;
    if ((i + 1) % 10 == 0 || i + 1 == w.layers.size())
      progress << "compare: " << a.name << " on " << file << " (" << row.memory << "): " << i + 1
               << "/" << w.layers.size() << " layers\n";
  }
  row.utilization = utilization(a, row.macs, row.cycles);
  if (synth.timed) row.ms_at_fmax = count_double(row.cycles) / (synth.fmax_mhz * 1e3);
  return row;
}

// The PE alone: the Verilog of the design's PE module and the modules it
// instantiates, nothing else, under a name made of the PE's own parameters (PE,
// format, accumulator, dataflow), so the same PE synthesizes to the same netlist in
// every array configuration.
GeneratedRtl pe_only_rtl(const ArchConfig& a, const std::string& file) {
  ArchConfig canon = a;
  canon.name = a.pe + "_" + a.format + "_a" + std::to_string(a.acc_bits) + "_" + a.dataflow;
  GeneratedRtl g = generate_verilog(canon, "tpe gen --arch " + file);
  const std::string prefix = "tpe_" + canon.name + "_";
  GeneratedRtl pe;
  pe.top = prefix + "pe";
  std::set<std::string> used{pe.top};
  std::vector<std::string> todo{pe.top};
  while (!todo.empty()) { // the modules reachable from the PE, by name in its text
    const auto it = g.files.find(todo.back() + ".v");
    todo.pop_back();
    if (it == g.files.end()) continue;
    const std::string& text = it->second;
    for (size_t p = text.find(prefix); p != std::string::npos; p = text.find(prefix, p + 1)) {
      size_t e = p + prefix.size();
      while (e < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[e])) || text[e] == '_'))
        ++e;
      const std::string m = text.substr(p, e - p);
      if (g.files.count(m + ".v") && used.insert(m).second) todo.push_back(m);
    }
  }
  for (const auto& src : g.sources) {
    const std::string m = src.substr(0, src.size() - 2); // drop ".v"
    if (!used.count(m)) continue;
    pe.sources.push_back(src);
    pe.files[src] = g.files.at(src);
  }
  if (pe.sources.empty()) throw std::logic_error("no PE module " + pe.top + " in the Verilog");
  return pe;
}

} // namespace

std::vector<CompareRow> compare_designs(const std::vector<std::string>& arch_files,
                                        const CompareOptions& opt, std::ostream& progress) {
  if (opt.operands.empty() && !opt.synth_only)
    throw InputError("--operands", 0, "", "no operand distribution given");
  std::vector<OperandDist> dists;
  for (const auto& o : opt.operands)
    dists.push_back(parse_operand_dist(o));
  std::vector<ArchConfig> archs; // every file is checked before the first long run
  for (const auto& file : arch_files) {
    archs.push_back(parse_arch_file(file));
    require_rtl(archs.back(), "compare");
  }
  std::vector<Workload> workloads;
  for (const auto& file : opt.workloads)
    workloads.push_back(parse_workload_file(file));
  if (!workloads.empty() && opt.synth_only)
    throw InputError("--workload", 0, "",
                     "workload energy needs gate-level runs (drop --synth-only)");
  if (!opt.memories.empty() && workloads.empty())
    throw InputError("--memory", 0, "", "memories apply to the workloads (give --workload)");
  for (const auto& m : opt.memories)
    if (m != "ideal" && !DramPresetRegistry::instance().find(m))
      throw InputError("--memory", 0, "",
                       "unknown memory '" + m + "' (choose: ideal, " +
                           DramPresetRegistry::instance().joined_names() + ")");
  if (!workloads.empty())
    for (size_t k = 0; k < archs.size(); ++k) {
      require_calibratable(archs[k], arch_files[k]);
      check_sram_domain(archs[k], opt.node_nm, 0, "--node-nm"); // the SRAM model prices it
      const EngineInfo* e = EngineRegistry::instance().find(archs[k].engine);
      for (const auto& m : opt.memories)
        if (m != "ideal" && e && !e->has_pe)
          throw InputError(arch_files[k], archs[k].line_of("engine"), "engine",
                           "--memory " + m + ": engine '" + archs[k].engine +
                               "' has no DRAM memory model (its operands live in its SRAM-PIM "
                               "arrays); compare it on --memory ideal");
    }
  // one GEMM for every design of the table: --gemm, or (2 x the largest rows) x 128 x
  // (2 x the largest cols) over the designs
  std::string gemm = opt.gemm;
  if (gemm.empty()) {
    int rmax = 1, cmax = 1;
    for (const auto& a : archs) {
      rmax = std::max(rmax, a.rows);
      cmax = std::max(cmax, a.cols);
    }
    gemm = fmt::format("{}x128x{}", 2 * rmax, 2 * cmax);
  }
  std::vector<CompareRow> rows;
  for (size_t k = 0; k < archs.size(); ++k) {
    const ArchConfig& a = archs[k];
    const std::string& file = arch_files[k];
    CompareRow r;
    r.design = a.name;
    r.arch_file = file;
    r.dataflow = a.dataflow;
    r.engine = a.engine;
    r.shape = a.shape();
    r.pe = a.pe;
    r.format = a.format;
    const EngineInfo* eng = EngineRegistry::instance().find(a.engine);
    const bool has_pe = !eng || eng->has_pe;
    // engines without PEs (lut_gemv): their peak MACs per cycle stand for the PEs
    r.pes = has_pe ? a.multipliers() : std::llround(peak_macs_per_cycle(a));
    if (!has_pe) r.pe = "none";
    r.gemm = gemm;
    if (opt.synth_only) {
      progress << "compare: " << a.name << ", synthesis only\n";
      r.synth = synthesize(a, opt.synth);
      const Layer g = parse_gemm_spec(r.gemm);
      r.macs = g.macs();
      if (has_pe && map_systolic(a, g).data_dependent) {
        // variable latency: cycles and MAC rate from a model run on the operands
        Rng rng(opt.seed);
        const ModelRun mr = run_model(a, g, dists.empty() ? OperandDist{} : dists[0], rng);
        r.cycles = mr.cycles;
        r.mac_rate = pe_mac_rate(mr.counts, static_cast<int>(a.multipliers()));
      } else {
        RunOptions ro; // the GEMM's cycles from the closed form, on ideal memory as the
        ro.mode = SimMode::Analytic; // gate-level runs measure them
        ArchConfig ideal = a;
        ideal.memory.model = "ideal";
        r.cycles = run_layer(ideal, g, ro).cycles;
      }
    }
    // one synthesis per design, kept for the energy runs of every distribution
    const bool own_dir = opt.synth.workdir.empty();
    TempPath own; // removed after this design, on an exception and on a signal
    if (own_dir) own = make_temp_dir("tpe_compare");
    const std::string keep_dir = own_dir ? own.path() : opt.synth.workdir + "/" + a.name;
    for (size_t i = 0; i < (opt.synth_only ? 0 : dists.size()); ++i) {
      progress << "compare: " << a.name << ", " << opt.operands[i] << " operands, GEMM " << r.gemm
               << "\n";
      PowerOptions po;
      po.synth = opt.synth;
      po.gemms = {parse_gemm_spec(r.gemm)};
      po.seed = opt.seed;
      po.dist = dists[i];
      po.simulator = opt.simulator;
      if (i == 0)
        po.synth.workdir = keep_dir;
      else
        po.synthesized = &r.synth;
      const PowerReport p = gate_level_power(a, po, progress);
      if (i == 0) {
        r.synth = p.synth;
        r.cycles = p.cycles;
        r.macs = p.macs;
        r.mac_rate = p.mac_rate;
      }
      r.pj_per_mac.push_back(p.pj_per_mac);
      double pe_pj = 0;
      for (const auto& m : p.synth.modules)
        if ((m.category == "pe" || m.category == "pe_part") && p.pj_by_module.count(m.module))
          pe_pj += p.pj_by_module.at(m.module);
      r.pe_pj_per_mac.push_back(p.macs ? pe_pj / static_cast<double>(p.macs) : 0);
      r.pj_by_module.push_back(p.pj_by_module);
      r.power_mw.push_back(p.power_mw);
      r.tops_per_w.push_back(p.pj_per_mac > 0 ? 2.0 / p.pj_per_mac : 0);
    }
    if (!workloads.empty()) {
      PowerOptions po;
      po.synth = opt.synth;
      po.seed = opt.seed;
      po.dist = dists[0];
      po.simulator = opt.simulator;
      po.synthesized = &r.synth;
      progress << "compare: " << a.name << ", energy calibration on " << opt.operands[0]
               << " operands\n";
      EnergyCalibration cal = calibrate_energy(a, po, opt.operands[0], progress);
      cal.node_nm = opt.node_nm;
      check_sram_domain(a, cal.node_nm, cal.volts, "--liberty");
      if (has_pe)
        r.sram_extrapolation = operand_srams(a, cal.node_nm, cal.volts, "--liberty").extrapolation;
      for (const MacroStat& m : r.synth.macros) // SRAM-PIM arrays
        if (!m.extrapolation.empty())
          r.sram_extrapolation +=
              (r.sram_extrapolation.empty() ? "" : "; ") + m.module + ": " + m.extrapolation;
      for (size_t w = 0; w < workloads.size(); ++w) {
        if (opt.memories.empty()) {
          r.workloads.push_back(run_workload(a, workloads[w], opt.workloads[w], cal, r.synth,
                                             opt.seed, dists[0], progress));
          continue;
        }
        for (const auto& m : opt.memories) {
          // the design's buffers on memory m, clocked at its own fmax (the time column's
          // clock), which sets a preset's bytes and latency per cycle
          ArchConfig on = a;
          on.memory.model = m == "ideal" ? "ideal" : "dram";
          on.memory.dram = m == "ideal" ? "" : m;
          if (r.synth.timed && r.synth.fmax_mhz > 0) on.clock_mhz = r.synth.fmax_mhz;
          r.workloads.push_back(run_workload(on, workloads[w], opt.workloads[w], cal, r.synth,
                                             opt.seed, dists[0], progress));
        }
      }
    }
    own.remove();
    if (has_pe) {
      const GeneratedRtl g = pe_only_rtl(a, file);
      SynthOptions po = opt.synth;
      po.workdir.clear();
      progress << "compare: " << a.name << ", the PE alone (" << g.top << ")\n";
      r.pe_alone = synthesize_rtl(g, a.name + "_pe", po);
    }
    // with the SRAM macros the design's area is the cells' and the macros' together
    if (!r.synth.generic)
      r.area_mm2 = (r.synth.macros.empty() ? r.synth.area : r.synth.total_area) * 1e-6;
    int64_t most = 0;
    for (const auto& m : r.synth.modules)
      if (m.category == "pe" && m.instances > most) {
        most = m.instances;
        r.pe_area = m.area;
      }
    if (r.synth.timed) {
      r.peak_tops = 2.0 * double(r.pes) * r.mac_rate * r.synth.fmax_mhz * 1e-6;
      r.tops_per_mm2 = r.area_mm2 > 0 ? r.peak_tops / r.area_mm2 : 0;
    }
    rows.push_back(r);
  }
  return rows;
}

std::string compare_markdown(const std::vector<CompareRow>& rows, const CompareOptions& opt) {
  if (rows.empty()) return "";
  const SynthReport& s0 = rows[0].synth;
  std::string out = fmt::format(
      "Library: {}. Synthesis and power clock {} ns; {}; TOPS counts 2 operations per MAC.\n\n",
      s0.library, opt.synth.clock_ns,
      opt.synth_only
          ? std::string("area and timing only (no energy runs)")
          : fmt::format("energy from gate-level switching activity on one GEMM per "
                        "design (seed {}, {} simulator)",
                        opt.seed, opt.simulator == GateSimulator::Native ? "native" : "Verilator"));
  const bool generic = s0.generic;
  std::string head =
      "| design | dataflow | PE | PEs | GEMM | cycles | " +
      std::string(generic ? "area (NAND2-eq)" : "area (mm^2)") + " | one PE (" + s0.area_unit +
      ") | PE alone fmax (MHz) | fmax (MHz) | MAC/PE/cycle | peak TOPS | TOPS/mm^2 |";
  std::string rule = "|---|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|";
  for (const auto& o : opt.synth_only ? std::vector<std::string>{} : opt.operands) {
    head += " pJ/MAC " + o + " | in the PEs | TOPS/W " + o + " |";
    rule += "--:|--:|--:|";
  }
  out += head + "\n" + rule + "\n";
  auto num = [](double v, const char* f) {
    return v > 0 ? fmt::format(fmt::runtime(f), v) : std::string("n/a");
  };
  for (const auto& r : rows) {
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.3f} | {} | {} |",
                       r.design, r.dataflow, r.pe, r.pes, r.gemm, r.cycles,
                       generic ? fmt::format("{:.0f}", r.synth.area) : num(r.area_mm2, "{:.3f}"),
                       num(r.pe_area, "{:.0f}"), num(r.pe_alone.fmax_mhz, "{:.1f}"),
                       num(r.synth.fmax_mhz, "{:.1f}"), r.mac_rate, num(r.peak_tops, "{:.4f}"),
                       num(r.tops_per_mm2, "{:.4f}"));
    for (size_t i = 0; i < r.pj_per_mac.size(); ++i)
      out += fmt::format(" {} | {} | {} |", num(r.pj_per_mac[i], "{:.3f}"),
                         num(r.pe_pj_per_mac[i], "{:.3f}"), num(r.tops_per_w[i], "{:.3f}"));
    out += "\n";
  }
  if (rows[0].workloads.empty()) return out;
  // the memory columns when any row ran on DRAM (memory.model dram)
  bool dram = false;
  for (const auto& r : rows)
    for (const auto& w : r.workloads)
      dram = dram || w.memory != "ideal";
  out += fmt::format(
      "\nWorkloads (`tpe sim`, auto mode, {} operands in Values-mode layers): array energy from "
      "each design's gate-level calibration (`tpe calibrate`), SRAM energy from the SRAM model "
      "(docs/sram-model.md) and DRAM energy per byte (README, `tpe calibrate`); time at the "
      "design's own "
      "maximum clock.{}\n\n",
      opt.operands.empty() ? "random" : opt.operands[0],
      !dram ? ""
      : opt.memories.empty()
          ? " Memory: each file's own (docs/memory-model.md); stall share = DRAM stall cycles / "
            "cycles."
          : " Memory: each design's buffers on the given DRAM (docs/memory-model.md), its "
            "bytes and latency per cycle at the design's fmax; stall share = DRAM stall "
            "cycles / cycles; DRAM energy at the preset's pJ/bit.");
  out += "| design | engine | shape | multipliers | area (mm^2) | fmax (MHz) | workload | " +
         std::string(dram ? "memory | " : "") + "cycles | " +
         std::string(dram ? "stall share | " : "") +
         "utilization | time at fmax (ms) | array energy (mJ) | array pJ/MAC | SRAM energy (mJ) | "
         "DRAM energy (mJ) |\n|---|---|---|--:|--:|--:|---|" +
         std::string(dram ? "---|" : "") + "--:|" + std::string(dram ? "--:|" : "") +
         "--:|--:|--:|--:|--:|--:|\n";
  for (const auto& r : rows)
    for (const auto& w : r.workloads) {
      const double stall_share =
          w.cycles ? count_double(w.stall_cycles) / count_double(w.cycles) : 0;
      out += fmt::format(
          "| {} | {} | {} | {} | {} | {} | {} | {}{} | {}{:.1f}% | {} | {:.3f} | {:.3f} | {:.3f} "
          "| {:.3f} |\n",
          r.design, r.engine, r.shape, r.pes, num(r.area_mm2, "{:.3f}"),
          num(r.synth.fmax_mhz, "{:.1f}"), std::filesystem::path(w.workload).filename().string(),
          dram ? w.memory + " | " : "", w.cycles,
          dram ? fmt::format("{:.1f}% | ", 100 * stall_share) : "", 100 * w.utilization,
          num(w.ms_at_fmax, "{:.3f}"), w.array_uj * 1e-3,
          w.macs ? w.array_uj * 1e6 / count_double(w.macs) : 0, w.sram_uj * 1e-3, w.dram_uj * 1e-3);
    }
  for (const auto& r : rows)
    if (!r.sram_extrapolation.empty())
      out +=
          "\nSRAM of " + r.design + " beyond the SRAM model's data: " + r.sram_extrapolation + "\n";
  return out;
}

nlohmann::json compare_json(const std::vector<CompareRow>& rows, const CompareOptions& opt) {
  nlohmann::json j;
  j["clock_ns"] = opt.synth.clock_ns;
  j["seed"] = opt.seed;
  j["operands"] = opt.operands;
  j["designs"] = nlohmann::json::array();
  for (const auto& r : rows) {
    // the synthesis report (library, areas, cells, flops, modules, timing) plus the
    // comparison's own fields
    nlohmann::json d = synth_json(r.synth);
    d["arch_file"] = r.arch_file;
    d["dataflow"] = r.dataflow;
    d["pe"] = r.pe;
    d["format"] = r.format;
    d["pes"] = r.pes;
    d["gemm"] = r.gemm;
    d["cycles"] = count_json(r.cycles);
    d["macs"] = count_json(r.macs);
    d["pe_area"] = r.pe_area;
    d["pe_alone"] = synth_json(r.pe_alone);
    d["mac_per_pe_cycle"] = r.mac_rate;
    auto opt_num = [](bool ok, double v) {
      return ok ? nlohmann::json(v) : nlohmann::json(nullptr);
    };
    d["peak_tops"] = opt_num(r.synth.timed, r.peak_tops);
    d["tops_per_mm2"] = opt_num(r.synth.timed && !r.synth.generic, r.tops_per_mm2);
    for (size_t i = 0; i < r.pj_per_mac.size(); ++i)
      d["energy"][opt.operands[i]] = {{"energy_pj_per_mac", r.pj_per_mac[i]},
                                      {"pe_energy_pj_per_mac", r.pe_pj_per_mac[i]},
                                      {"power_mw", r.power_mw[i]},
                                      {"tops_per_w", r.tops_per_w[i]}};
    d["engine"] = r.engine;
    d["shape"] = r.shape;
    for (const auto& w : r.workloads)
      d["workloads"].push_back({{"workload", w.workload},
                                {"memory", w.memory},
                                {"layers", w.layers},
                                {"cycles", count_json(w.cycles)},
                                {"stall_cycles", count_json(w.stall_cycles)},
                                {"macs", count_json(w.macs)},
                                {"utilization", w.utilization},
                                {"ms_at_fmax", opt_num(r.synth.timed, w.ms_at_fmax)},
                                {"array_energy_uj", w.array_uj},
                                {"sram_energy_uj", w.sram_uj},
                                {"dram_energy_uj", w.dram_uj}});
    if (!r.workloads.empty()) d["sram_extrapolation"] = r.sram_extrapolation;
    j["designs"].push_back(d);
  }
  return j;
}

} // namespace tpe
