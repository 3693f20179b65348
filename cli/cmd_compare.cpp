// `tpe compare`: area, maximum clock, energy per MAC and the derived efficiencies
// of several architectures side by side (reports/compare.cpp).
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/json_text.h"
#include "core/text.h"
#include "reports/compare.h"
#include <iostream>

namespace tpe {
namespace {

struct CompareArgs {
  std::vector<std::string> archs;
  std::string liberty, gemm, operands = "random,normal:25", markdown, json;
  double clock_ns = 10;
  uint64_t seed = 1;
  bool synth_only = false;
  std::string gate_sim = "native";
  std::vector<std::string> workloads;
  double node_nm = 130;
  std::string memories;
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t p = 0;
  while (p <= s.size()) {
    const size_t e = s.find(',', p);
    const std::string item = trim(s.substr(p, e == std::string::npos ? std::string::npos : e - p));
    if (!item.empty()) out.push_back(item);
    if (e == std::string::npos) break;
    p = e + 1;
  }
  return out;
}

Registrar<CommandSetup> reg("compare", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "compare", "area, fmax, pJ/MAC, TOPS/W and TOPS/mm^2 of several designs (synth + power)");
  auto a = std::make_shared<CompareArgs>();
  cmd->add_option("--arch", a->archs, "architecture files (YAML), one row each")->required();
  cmd->add_option("--liberty", a->liberty, kLibertyHelp);
  cmd->add_option("--clock-ns", a->clock_ns, "synthesis target and power clock in ns")
      ->check(CLI::Range(0.01, 1e6));
  cmd->add_option(
      "--gemm", a->gemm,
      "GEMM MxKxN of every design's energy runs (default (2 x largest rows) x 128 x (2 x "
      "largest cols) over the designs)");
  cmd->add_option("--operands", a->operands,
                  "comma-separated operand distributions (default random,normal:25)");
  cmd->add_option("--seed", a->seed, "seed of the operand streams (default 1)");
  cmd->add_flag("--synth-only", a->synth_only, "area and timing only, no gate-level energy");
  cmd->add_option("--gate-sim", a->gate_sim,
                  "gate-level simulator for the toggle counts: native (default) or verilator");
  cmd->add_option("--workload", a->workloads,
                  "workload CSVs: calibrate each design's architectural energy and add a table "
                  "of cycles, utilization, time and energy per design and workload");
  cmd->add_option("--node-nm", a->node_nm,
                  "process node of the library in nm, for the SRAM energy of --workload "
                  "(default 130)")
      ->check(CLI::Range(1.0, 1000.0));
  cmd->add_option("--memory", a->memories,
                  "comma-separated memories each workload runs on: ideal or a DRAM preset (the "
                  "design's buffers with memory.model dram; default the file's own memory)");
  cmd->add_option("--markdown", a->markdown, "also write the table to FILE");
  cmd->add_option("--json", a->json, "write the JSON report to FILE");
  cmd->callback([a, &exit_code] {
    check_output_file(a->markdown);
    check_output_file(a->json);
    CompareOptions o;
    o.synth.lib = choose_library(a->liberty);
    o.synth.clock_ns = a->clock_ns;
    o.gemm = a->gemm;
    o.operands = split_commas(a->operands);
    o.seed = a->seed;
    o.synth_only = a->synth_only;
    o.simulator = parse_gate_simulator(a->gate_sim);
    o.workloads = a->workloads;
    o.node_nm = a->node_nm;
    o.memories = split_commas(a->memories);
    std::cerr << "compare: seed " << o.seed << " (replay with --seed " << o.seed << ")\n";
    const auto rows = compare_designs(a->archs, o, std::cerr);
    const std::string md = compare_markdown(rows, o);
    std::cout << md;
    if (!a->markdown.empty()) write_file_atomic(a->markdown, md);
    if (!a->json.empty()) write_file_atomic(a->json, json_text(compare_json(rows, o)));
    exit_code = 0;
  });
});

} // namespace
} // namespace tpe
