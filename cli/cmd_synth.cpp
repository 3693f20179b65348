// `tpe synth`: area (yosys, Liberty cell areas) and timing (OpenSTA) of the
// generated RTL of an architecture.
#include "cli/commands.h"
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/json_text.h"
#include "core/text.h"
#include "reports/synth_report.h"
#include <iostream>

namespace tpe {
namespace {

struct SynthArgs {
  std::string arch, liberty, json, workdir;
  double clock_ns = 10, node_nm = 130;
  int max_fanout = 16;
  bool flatten = false;
};

Registrar<CommandSetup> reg("synth", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("synth", "area and timing of the generated RTL (yosys + OpenSTA)");
  auto a = std::make_shared<SynthArgs>();
  cmd->add_option("--arch", a->arch, "architecture file (YAML)")->required();
  cmd->add_option("--liberty", a->liberty, kLibertyHelp);
  cmd->add_option("--clock-ns", a->clock_ns, "target clock period in ns")
      ->check(CLI::Range(0.01, 1e6));
  cmd->add_option("--max-fanout", a->max_fanout,
                  "buffer trees on nets with more loads than this (0: no repair)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--node-nm", a->node_nm,
                  "process node of the library in nm, for the SRAM macro model (default 130)")
      ->check(CLI::Range(1.0, 1000.0));
  cmd->add_flag("--flatten", a->flatten, "flatten before mapping (slow for large arrays)");
  cmd->add_option("--json", a->json, "write the JSON report to FILE");
  cmd->add_option("--keep", a->workdir, "keep the RTL, scripts, logs and netlist in DIR");
  cmd->callback([a, &exit_code] {
    check_output_file(a->json);
    const ArchConfig arch = parse_arch_file(a->arch);
    require_rtl(arch, "synth");
    SynthOptions o;
    o.lib = choose_library(a->liberty);
    o.clock_ns = a->clock_ns;
    o.flatten = a->flatten;
    if (a->max_fanout == 1)
      throw InputError("--max-fanout", 0, "", "must be 0 (no repair) or at least 2");
    o.max_fanout = a->max_fanout;
    o.workdir = a->workdir;
    o.node_nm = a->node_nm;
    std::cerr << "synth: " << arch.name << ": yosys " << (o.flatten ? "flattened" : "hierarchical")
              << (o.lib.synth_lib.empty() ? ", no Liberty library (generic gates)"
                                          : ", " + printable(o.lib.synth_lib))
              << "\n";
    const SynthReport r = synthesize(arch, o);
    std::cout << synth_text(r);
    if (!a->json.empty()) write_file_atomic(a->json, json_text(synth_json(r)));
    exit_code = 0;
  });
});

} // namespace
} // namespace tpe
