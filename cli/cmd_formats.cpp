// `tpe formats`: the number-format figures table (reports/formats.h): per
// architecture file, area, fmax, pJ/MAC, TOPS/W, TOPS/mm^2 (as `tpe compare`) and the
// SQNR of a seeded GEMM through the engine's model on normal and Student-t operands;
// refused designs keep their row with the refusal; then the L-Mul table.
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/json_text.h"
#include "core/text.h"
#include "reports/formats.h"
#include <iostream>

namespace tpe {
namespace {

struct FormatsArgs {
  std::vector<std::string> archs;
  std::string liberty, gemm, operands = "random,normal:25", markdown, json;
  std::string accuracy_gemm = "64x256x64";
  double clock_ns = 10, t_dof = 3;
  uint64_t seed = 1;
  bool accuracy_only = false;
  std::string gate_sim = "native";
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

Registrar<CommandSetup> reg("formats", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "formats", "number formats compared: area, fmax, pJ/MAC, TOPS/W, TOPS/mm^2 and GEMM SQNR "
                 "per design, and the L-Mul error and energy table");
  auto a = std::make_shared<FormatsArgs>();
  cmd->add_option("--arch", a->archs, "architecture files (YAML), one row each")->required();
  cmd->add_option("--liberty", a->liberty, kLibertyHelp);
  cmd->add_option("--clock-ns", a->clock_ns, "synthesis target and power clock in ns")
      ->check(CLI::Range(0.01, 1e6));
  cmd->add_option("--gemm", a->gemm,
                  "GEMM MxKxN of the energy runs (default (2 x largest rows) x 128 x (2 x "
                  "largest cols), as tpe compare)");
  cmd->add_option("--operands", a->operands,
                  "comma-separated operand distributions of the energy runs (default "
                  "random,normal:25)");
  cmd->add_option("--accuracy-gemm", a->accuracy_gemm,
                  "GEMM MxKxN of the accuracy runs through the model (default 64x256x64)");
  cmd->add_option("--t-dof", a->t_dof,
                  "degrees of freedom of the heavy-tailed Student-t operands (default 3)");
  cmd->add_option("--seed", a->seed, "seed of the energy and accuracy operands (default 1)");
  cmd->add_flag("--accuracy-only", a->accuracy_only,
                "only the accuracy GEMMs and the L-Mul table: no synthesis or energy runs");
  cmd->add_option("--gate-sim", a->gate_sim,
                  "gate-level simulator for the toggle counts: native (default) or verilator");
  cmd->add_option("--markdown", a->markdown, "also write the tables to FILE");
  cmd->add_option("--json", a->json, "write the JSON report to FILE");
  cmd->callback([a, &exit_code] {
    check_output_file(a->markdown);
    check_output_file(a->json);
    FormatsOptions o;
    o.compare.synth.lib = choose_library(a->liberty);
    o.compare.synth.clock_ns = a->clock_ns;
    o.compare.gemm = a->gemm;
    o.compare.operands = split_commas(a->operands);
    o.compare.seed = a->seed;
    o.compare.simulator = parse_gate_simulator(a->gate_sim);
    o.accuracy_gemm = a->accuracy_gemm;
    o.t_dof = a->t_dof;
    o.accuracy_only = a->accuracy_only;
    std::cerr << "formats: seed " << o.compare.seed << " (replay with --seed " << o.compare.seed
              << ")\n";
    const auto rows = formats_table(a->archs, o, std::cerr);
    const std::string md = formats_markdown(rows, o) + "\n" + lmul_markdown(rows, o);
    std::cout << md;
    if (!a->markdown.empty()) write_file_atomic(a->markdown, md);
    if (!a->json.empty()) write_file_atomic(a->json, json_text(formats_json(rows, o)));
    exit_code = 0;
  });
});

} // namespace
} // namespace tpe
