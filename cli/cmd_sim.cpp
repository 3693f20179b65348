// `tpe sim`: run a workload through the engine model and report per-layer and
// total cycles, MACs, utilization and SRAM traffic (table on stdout; CSV, JSON
// and SCALE-Sim's COMPUTE_REPORT.csv on request). Accepts SCALE-Sim's own
// inputs (--scalesim-config, --topology) in place of --arch and --workload.
#include "cli/commands.h"
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/json_text.h"
#include "core/output_dir.h"
#include "core/scalesim_config.h"
#include "core/tensor.h"
#include "core/text.h"
#include "core/workload.h"
#include "reports/energy_model.h"
#include "reports/scalesim_compat_report.h"
#include "reports/sim_report.h"
#include "sim/engine.h"
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

namespace tpe {
namespace {

struct SimArgs {
  std::string arch, workload, scalesim_cfg, topology, json, out, energy,
      mode = "auto", operands = "random", compat, interface_bw;
  uint64_t seed = 0;
};

// what `tpe sim --out DIR` writes in either mode (none carried over from a run of the other)
const std::set<std::string> kOwned = {"sim_report.csv", "sim_report.json", "COMPUTE_REPORT.csv",
                                      "scalesim_report.json"};

// --compat scalesim: SCALE-Sim v2's own numbers (dataflows/scalesim_v2.h), no tpe model
int run_compat(const SimArgs& a, const ArchConfig& arch, const Workload& w, StagedDir* out) {
  if (a.compat != "scalesim")
    throw InputError("--compat", 0, "",
                     "unknown compatibility mode '" + a.compat + "' (available: scalesim)");
  for (const auto& [opt, given] :
       {std::pair{"--energy", !a.energy.empty()}, std::pair{"--mode", a.mode != "auto"},
        std::pair{"--operands", a.operands != "random"}})
    if (given)
      throw InputError(opt, 0, "",
                       "not with --compat scalesim (SCALE-Sim counts cycles and stalls only)");
  if (arch.memory.model != "ideal") {
    throw InputError(arch.source, arch.line_of("memory.model"), "memory.model",
                     "--compat scalesim models SCALE-Sim's own scratchpads from "
                     "memory.dram_bytes_per_cycle; memory.model " +
                         arch.memory.model + " does not apply (use ideal)");
  }
  std::string ib = a.interface_bw;
  if (!ib.empty()) {
    ib = lower(ib);
    if (ib != "user" && ib != "calc")
      throw InputError("--interface-bandwidth", 0, "",
                       "expected USER or CALC, got '" + a.interface_bw + "'");
    ib = ib == "user" ? "USER" : "CALC";
  }
  ScaleSimCompatReport rep;
  rep.arch = arch;
  rep.config = scalesim_v2_config(arch, ib);
  rep.workload = w.source;
  rep.layers = w.layers;
  std::cerr << "sim: " << rep.arch.name << " on " << printable(w.source) << " (" << w.layers.size()
            << " layers), SCALE-Sim v2 compatible, InterfaceBandwidth "
            << (rep.config.user_bandwidth ? "USER" : "CALC") << "\n";
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < w.layers.size(); ++i) {
    rep.results.push_back(scalesim_v2_layer(rep.config, w.layers[i], w.source));
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cerr << "sim: [" << i + 1 << "/" << w.layers.size() << "] " << printable(w.layers[i].name)
              << " " << count_str(rep.results.back().total_cycles) << " cycles, "
              << count_str(rep.results.back().stall_cycles) << " stall, " << static_cast<int>(el)
              << " s elapsed\n";
  }
  std::cout << scalesim_v2_table(rep);
  if (!a.json.empty()) write_file_atomic(a.json, json_text(scalesim_v2_json(rep)));
  if (out) {
    out->write("COMPUTE_REPORT.csv", scalesim_v2_compute_report(rep));
    out->write("scalesim_report.json", json_text(scalesim_v2_json(rep)));
    out->commit(kOwned);
    std::cerr << "sim: wrote " << printable(a.out) << "/COMPUTE_REPORT.csv, scalesim_report.json\n";
  }
  return 0;
}

int run_sim(const SimArgs& a, bool seed_given) {
  if (!a.scalesim_cfg.empty() && !a.arch.empty())
    throw InputError("--arch", 0, "", "give either --arch or --scalesim-config, not both");
  if (!a.topology.empty() && !a.workload.empty())
    throw InputError("--workload", 0, "", "give either --workload or --topology, not both");
  if (a.arch.empty() && a.scalesim_cfg.empty())
    throw InputError("--arch", 0, "",
                     "an architecture is required (--arch A.yaml or --scalesim-config X.cfg)");
  const std::string wl = a.workload.empty() ? a.topology : a.workload;
  if (wl.empty())
    throw InputError("--workload", 0, "",
                     "a workload is required (--workload W.csv or --topology T.csv)");
  check_output_file(a.json);
  std::unique_ptr<StagedDir> out; // checked before the run, filled and swapped in after it
  if (!a.out.empty()) out = std::make_unique<StagedDir>(a.out);
  SimReport rep;
  rep.arch =
      a.arch.empty() ? parse_scalesim_config(a.scalesim_cfg, std::cerr) : parse_arch_file(a.arch);
  const Workload w = parse_workload_file(wl);
  if (!a.interface_bw.empty() && a.compat.empty())
    throw InputError("--interface-bandwidth", 0, "", "only with --compat scalesim");
  if (!a.compat.empty()) {
    if (seed_given)
      throw InputError("--seed", 0, "",
                       "not with --compat scalesim (SCALE-Sim counts cycles and stalls only)");
    return run_compat(a, rep.arch, w, out.get());
  }
  if (!a.energy.empty()) { // checked before the first layer runs
    rep.calibration = parse_calibration_text(read_file(a.energy, "the calibration file"), a.energy);
    check_calibration_matches(rep.calibration, rep.arch, a.energy);
    // the SRAM buffers and arrays lie within the SRAM model's domain at the calibration's node
    check_sram_domain(rep.arch, rep.calibration.node_nm, rep.calibration.volts, a.energy);
    rep.has_energy = true;
  }
  rep.workload = wl;
  rep.seed = seed_given ? a.seed : fresh_seed();
  RunOptions o;
  o.mode = parse_sim_mode(a.mode);
  o.seed = rep.seed;
  o.source = wl;
  o.dist = parse_operand_dist(a.operands);
  rep.operands = a.operands;
  std::cerr << "sim: " << rep.arch.name << " on " << printable(wl) << " (" << w.layers.size()
            << " layers), mode " << a.mode << ", seed " << rep.seed << "\n";
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < w.layers.size(); ++i) {
    rep.layers.push_back(run_layer(rep.arch, w.layers[i], o));
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cerr << "sim: [" << i + 1 << "/" << w.layers.size() << "] " << w.layers[i].name << " "
              << count_str(rep.layers.back().cycles) << " cycles ("
              << sim_mode_name(rep.layers.back().mode) << "), " << static_cast<int>(el)
              << " s elapsed\n";
  }
  if (rep.has_energy)
    for (const auto& l : rep.layers)
      rep.energy.push_back(layer_energy(rep.arch, l, rep.calibration));
  std::cout << sim_table(rep);
  if (!a.json.empty()) write_file_atomic(a.json, json_text(sim_json(rep)));
  if (out) {
    out->write("sim_report.csv", sim_csv(rep));
    out->write("sim_report.json", json_text(sim_json(rep)));
    out->write("COMPUTE_REPORT.csv", scalesim_compute_report(rep));
    out->commit(kOwned);
    std::cerr << "sim: wrote " << printable(a.out)
              << "/sim_report.csv, sim_report.json, COMPUTE_REPORT.csv\n";
  }
  return 0;
}

Registrar<CommandSetup> reg("sim", [](CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("sim", "simulate a workload on an engine and report cycles and traffic");
  auto a = std::make_shared<SimArgs>();
  cmd->add_option("--arch", a->arch, "architecture file (YAML)");
  cmd->add_option("--workload", a->workload, "workload CSV (GEMM or SCALE-Sim convolution form)");
  cmd->add_option("--scalesim-config", a->scalesim_cfg,
                  "SCALE-Sim .cfg architecture (instead of --arch)");
  cmd->add_option("--topology", a->topology, "SCALE-Sim topology CSV (instead of --workload)");
  cmd->add_option("--json", a->json, "write the JSON report to FILE");
  cmd->add_option(
      "--out", a->out,
      "write sim_report.csv, sim_report.json and COMPUTE_REPORT.csv to DIR (with --compat "
      "scalesim: COMPUTE_REPORT.csv and scalesim_report.json; replaced as a whole)");
  cmd->add_option("--mode", a->mode, "auto, values, timing or analytic (see README)");
  cmd->add_option("--energy", a->energy,
                  "energy calibration JSON from `tpe calibrate`: report energy");
  cmd->add_option("--operands", a->operands,
                  "operand values of Values-mode layers (and lut_gemv's activations): random, "
                  "normal:SD[:MEAN], student_t:DOF, min, max, zero, each optionally @SPARSITY "
                  "(default random)");
  cmd->add_option("--compat", a->compat,
                  "scalesim: report SCALE-Sim v2's own cycles, stalls and utilizations "
                  "(COMPUTE_REPORT.csv) instead of tpe's model");
  cmd->add_option("--interface-bandwidth", a->interface_bw,
                  "with --compat scalesim: USER (stalls at the architecture's DRAM bandwidth) "
                  "or CALC (default: the .cfg's InterfaceBandwidth, CALC for a YAML file)");
  auto* s = cmd->add_option("--seed", a->seed, "seed of the operand values (printed when omitted)");
  cmd->callback([a, s, &exit_code] { exit_code = run_sim(*a, s->count() > 0); });
});

} // namespace
} // namespace tpe
