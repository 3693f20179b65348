// `tpe mutate`: mutation testing of the checker (testbenches/lib/mutate.h):
// mutants of the generated Verilog of each --arch go through `tpe verify`'s
// checks; survivors must be proven equivalent by yosys, or are escapes.
#include "cli/commands.h"
#include "core/tensor.h"
#include "testbenches/lib/mutate.h"
#include <iostream>

namespace tpe {
namespace {

struct MutateArgs {
  MutationOptions o;
  bool seed_given = false;
};

int run_mutate(MutateArgs& a) {
  if (!a.seed_given) a.o.seed = fresh_seed();
  const MutationSummary s = run_mutation(a.o, std::cerr);
  if (a.o.list_only) return 0;
  const int live = s.caught + s.escapes;
  std::cout << "mutate: " << s.mutants.size() << " mutants: " << s.caught << " caught, "
            << s.equivalent << " proven equivalent, " << s.stillborn << " stillborn, " << s.escapes
            << " escapes; catch rate " << s.caught << "/" << live << " of the non-equivalent ("
            << (live ? 100.0 * s.caught / live : 100.0) << "%); " << static_cast<int>(s.seconds)
            << " s, seed " << a.o.seed << "\n";
  for (const auto& m : s.mutants)
    if (m.fate == MutantFate::Escape)
      std::cout << "escape: " << m.mutant.design << " " << m.mutant.file << ":" << m.mutant.line
                << " (" << m.mutant.kind << "): " << m.detail << "\n";
  return s.escapes == 0 ? 0 : 1;
}

Registrar<CommandSetup> reg("mutate", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("mutate", "mutation testing of the checker (tpe verify)");
  cmd->footer(kMutateHelp);
  auto a = std::make_shared<MutateArgs>();
  cmd->add_option("--arch", a->o.arch_files, "architecture file (YAML); repeatable")->required();
  auto* s =
      cmd->add_option("--seed", a->o.seed, "seed of the mutant choice and operands (printed)");
  cmd->add_option("--per-design", a->o.per_design, "mutants per architecture (default 20)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--trials", a->o.trials, "operand sets of the random GEMM (default 2)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--depth", a->o.depth,
                  "cycles of the bounded output check of an unproven survivor (default 8)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--pdr-seconds", a->o.pdr_seconds,
                  "time limit of each ABC PDR run on a survivor, seconds (default 120)")
      ->check(CLI::Range(1, 86400));
  cmd->add_option(
         "--mutant", a->o.only,
         "run (with --list: print) only mutant N, its number in --list over all --arch; repeatable")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--json", a->o.json_path, "write every mutant and its fate to this JSON file");
  cmd->add_flag("--list", a->o.list_only, "print the mutants only");
  cmd->callback([a, s, &exit_code] {
    a->seed_given = s->count() > 0;
    exit_code = run_mutate(*a);
  });
});

} // namespace
} // namespace tpe
