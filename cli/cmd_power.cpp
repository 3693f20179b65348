// `tpe power`: energy per MAC and power from the switching activity of the
// mapped gate-level netlist on real operand streams (reports/power.cpp).
#include "cli/commands.h"
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/count.h"
#include "core/error.h"
#include "core/json_text.h"
#include "core/tensor.h"
#include "core/workload.h"
#include "reports/power.h"
#include "sim/engine.h"
#include <fmt/format.h>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>

namespace tpe {
namespace {

struct PowerArgs {
  std::string arch, liberty, gemm = "32x32x32", workload, operands = "random", json, keep;
  std::string gate_sim = "native";
  double clock_ns = 10;
  uint64_t seed = 0;
  int64_t max_macs = int64_t(1) << 22;
};

int run_power(const PowerArgs& a, bool seed_given) {
  check_output_file(a.json);
  const ArchConfig arch = parse_arch_file(a.arch);
  require_rtl(arch, "power");
  PowerOptions o;
  o.synth.lib = choose_library(a.liberty);
  o.synth.clock_ns = a.clock_ns;
  o.synth.workdir = a.keep;
  o.simulator = parse_gate_simulator(a.gate_sim);
  o.seed = seed_given ? a.seed : fresh_seed();
  const OperandDist dist = parse_operand_dist(a.operands);
  o.dist = dist;
  if (!a.workload.empty()) {
    for (const auto& l : parse_workload_file(a.workload).layers) {
      // the PE work the gate-level run really does: the array's padding included
      const Count work = gate_level_work(arch, l);
      if (work > a.max_macs)
        throw layer_error(l, a.workload,
                          "too large for gate-level simulation (--max-macs " +
                              std::to_string(a.max_macs) + "): " + count_str(work) +
                              " PE MACs with the padding of the " + arch.shape() + " array (" +
                              count_str(Count(l.M) * l.N * l.K) + " useful)");
      o.gemms.push_back(l);
    }
  } else {
    o.gemms.push_back(parse_gemm_spec(a.gemm));
  }
  std::cerr << "power: seed " << o.seed << " (replay with --seed " << o.seed << ")\n";
  const PowerReport r = gate_level_power(arch, o, std::cerr);
  std::cout << fmt::format("power: design {}, library {}, clock {} ns ({:.1f} MHz)\n", arch.name,
                           r.synth.library, r.clock_ns, 1000.0 / r.clock_ns);
  std::cout << fmt::format("power: {} cycles, {} MACs, operands {}, seed {}\n", r.cycles, r.macs,
                           a.operands, o.seed);
  std::cout << "energy model: " << r.energy_model << "; toggles from the " << r.simulator
            << " gate-level simulator\n";
  if (r.layers.size() > 1) {
    std::cout << fmt::format("{:<24} {:>16} {:>10} {:>12} {:>14} {:>10}\n", "layer", "MxKxN",
                             "cycles", "MACs", "energy pJ", "pJ/MAC");
    for (const auto& l : r.layers)
      std::cout << fmt::format("{:<24} {:>16} {:>10} {:>12} {:>14.1f} {:>10.3f}\n", l.name,
                               fmt::format("{}x{}x{}", l.M, l.K, l.N), l.cycles, l.macs, l.total_pj,
                               l.pj_per_mac);
  }
  std::cout << fmt::format(
      "energy: switching {:.1f} pJ, internal {:.1f} pJ, leakage {:.3f} pJ, {}"
      "total {:.1f} pJ\n",
      r.switching_pj, r.internal_pj, r.leakage_pj,
      r.macro_note.empty() ? std::string() : fmt::format("SRAM arrays {:.1f} pJ, ", r.macro_pj),
      r.total_pj);
  if (!r.macro_note.empty()) std::cout << "SRAM arrays: " << r.macro_note << "\n";
  std::cout << fmt::format("energy per MAC: {:.3f} pJ   average power: {:.3f} mW\n", r.pj_per_mac,
                           r.power_mw);
  for (const auto& [m, e] : r.pj_by_module)
    if (e > 0)
      std::cout << fmt::format("  {:<36} {:12.1f} pJ ({:.1f}%)\n", m, e, 100 * e / r.total_pj);
  if (!a.json.empty()) {
    nlohmann::json j;
    j["library"] = r.synth.library;
    j["clock_ns"] = r.clock_ns;
    j["cycles"] = r.cycles;
    j["macs"] = r.macs;
    j["seed"] = o.seed;
    j["operands"] = a.operands;
    j["energy_pj"] = {{"switching", r.switching_pj},
                      {"internal", r.internal_pj},
                      {"leakage", r.leakage_pj},
                      {"sram_arrays", r.macro_pj},
                      {"total", r.total_pj}};
    if (!r.macro_note.empty()) j["sram_arrays_model"] = r.macro_note;
    j["energy_pj_per_mac"] = r.pj_per_mac;
    j["power_mw"] = r.power_mw;
    j["energy_pj_by_module"] = r.pj_by_module;
    j["energy_model"] = r.energy_model;
    j["gate_simulator"] = r.simulator;
    j["layers"] = nlohmann::json::array();
    for (const auto& l : r.layers)
      j["layers"].push_back({{"name", l.name},
                             {"M", l.M},
                             {"K", l.K},
                             {"N", l.N},
                             {"cycles", l.cycles},
                             {"macs", l.macs},
                             {"energy_pj", l.total_pj},
                             {"switching_pj", l.switching_pj},
                             {"internal_pj", l.internal_pj},
                             {"leakage_pj", l.leakage_pj},
                             {"sram_arrays_pj", l.macro_pj},
                             {"energy_pj_per_mac", l.pj_per_mac}});
    j["area_um2"] = r.synth.generic ? nlohmann::json(nullptr) : nlohmann::json(r.synth.area);
    if (r.synth.generic) j["area_nand2_eq"] = r.synth.area;
    j["critical_path_ns"] =
        r.synth.timed ? nlohmann::json(r.synth.critical_path_ns) : nlohmann::json(nullptr);
    j["fmax_mhz"] = r.synth.timed ? nlohmann::json(r.synth.fmax_mhz) : nlohmann::json(nullptr);
    write_file_atomic(a.json, json_text(j));
  }
  return 0;
}

Registrar<CommandSetup> reg("power", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("power", "energy per MAC from gate-level switching activity");
  auto a = std::make_shared<PowerArgs>();
  cmd->add_option("--arch", a->arch, "architecture file (YAML)")->required();
  cmd->add_option("--liberty", a->liberty, kLibertyHelp);
  cmd->add_option("--clock-ns", a->clock_ns, "clock period in ns (synthesis target and power)")
      ->check(CLI::Range(0.01, 1e6));
  cmd->add_option("--gemm", a->gemm, "GEMM shape MxKxN to simulate (default 32x32x32)");
  cmd->add_option("--workload", a->workload, "simulate every layer of a (small) workload instead");
  cmd->add_option("--operands", a->operands, "random, min, max, zero or normal:SD");
  auto* s = cmd->add_option("--seed", a->seed, "seed of the operand stream (printed when omitted)");
  cmd->add_option("--json", a->json, "write the JSON report to FILE");
  cmd->add_option("--gate-sim", a->gate_sim,
                  "gate-level simulator for the toggle counts: native (default) or verilator");
  cmd->add_option("--keep", a->keep, "keep netlist, simulator inputs and toggle counts in DIR");
  cmd->add_option("--max-macs", a->max_macs,
                  "largest workload layer to simulate at gate level, in PE MACs with the "
                  "array's padding (default 2^22 = 4194304)")
      ->check(CLI::Range(int64_t(1), std::numeric_limits<int64_t>::max()));
  cmd->callback([a, s, &exit_code] { exit_code = run_power(*a, s->count() > 0); });
});

} // namespace
} // namespace tpe
