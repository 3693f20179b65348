// `tpe calibrate`: fit the per-cycle, per-MAC and per-output energies of an
// architecture's array from four gate-level runs on the GEMMs its engine declares
// (reports/energy_model.cpp) and write them as JSON for `tpe sim --energy`; with
// --scale-from, a lut_gemv calibration carried to a larger design by register bits
// (reports/lut_scaling.h), no gate-level run.
#include "cli/commands.h"
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/json_text.h"
#include "reports/energy_model.h"
#include "reports/lut_scaling.h"
#include <iostream>

namespace tpe {
namespace {

struct CalArgs {
  std::string arch, liberty, operands = "random", out, gate_sim = "native", scale_from;
  double clock_ns = 10, node_nm = 130;
  uint64_t seed = 1;
};

Registrar<CommandSetup> reg("calibrate", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("calibrate",
                                 "fit array energies from gate-level runs (for tpe sim --energy)");
  auto a = std::make_shared<CalArgs>();
  cmd->add_option("--arch", a->arch, "architecture file (YAML)")->required();
  cmd->add_option("--out", a->out, "calibration JSON to write")->required();
  cmd->add_option("--liberty", a->liberty, kLibertyHelp);
  cmd->add_option("--clock-ns", a->clock_ns, "clock period in ns")->check(CLI::Range(0.01, 1e6));
  cmd->add_option("--operands", a->operands, "random, min, max, zero or normal:SD");
  cmd->add_option("--node-nm", a->node_nm,
                  "process node of the library in nm, for the SRAM model (default 130)")
      ->check(CLI::Range(1.0, 1000.0));
  cmd->add_option("--seed", a->seed, "seed of the operand stream (default 1)");
  cmd->add_option("--gate-sim", a->gate_sim,
                  "gate-level simulator for the toggle counts: native (default) or verilator");
  auto* scale =
      cmd->add_option("--scale-from", a->scale_from,
                      "a lut_gemv calibration of the same table and form to scale to --arch by "
                      "the generated RTL's register bits (an estimate; no gate-level run)");
  for (const char* o :
       {"--liberty", "--clock-ns", "--operands", "--node-nm", "--seed", "--gate-sim"})
    scale->excludes(cmd->get_option(o));
  cmd->callback([a, &exit_code] {
    check_output_file(a->out);
    const ArchConfig arch = parse_arch_file(a->arch);
    if (!a->scale_from.empty()) {
      const EnergyCalibration ref =
          parse_calibration_text(read_file(a->scale_from, "the calibration file"), a->scale_from);
      const EnergyCalibration c = scale_lut_calibration(ref, arch, a->scale_from);
      write_file_atomic(a->out, json_text(calibration_json(c)));
      std::cout << "calibrate: " << calibration_summary(c) << ", scaled from " << a->scale_from
                << " (an estimate: " << c.fitted_on.front() << ") -> " << a->out << "\n";
      exit_code = 0;
      return;
    }
    require_rtl(arch, "calibrate");
    PowerOptions o;
    o.synth.lib = choose_library(a->liberty);
    o.synth.clock_ns = a->clock_ns;
    o.seed = a->seed;
    o.simulator = parse_gate_simulator(a->gate_sim);
    const OperandDist d = parse_operand_dist(a->operands);
    o.dist = d;
    // the SRAM buffers and arrays lie within the SRAM model's domain at this node
    // (before the runs), and at the library's supply (after them)
    check_sram_domain(arch, a->node_nm, 0, "--node-nm");
    EnergyCalibration c = calibrate_energy(arch, o, a->operands, std::cerr);
    c.node_nm = a->node_nm;
    check_sram_domain(arch, c.node_nm, c.volts, "--liberty");
    write_file_atomic(a->out, json_text(calibration_json(c)));
    std::cout << "calibrate: " << calibration_summary(c) << " -> " << a->out << "\n";
    exit_code = 0;
  });
});

} // namespace
} // namespace tpe
