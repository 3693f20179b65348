// `tpe verify`: build the engine's RTL with Verilator and prove it bit- and
// cycle-exact against the SystemC model (and the model against the golden GEMM).
#include "cli/commands.h"
#include "core/arch_config.h"
#include "core/error.h"
#include "core/tensor.h"
#include "core/workload.h"
#include "testbenches/lib/user_rtl.h"
#include "testbenches/lib/vcd_dump.h"
#include "testbenches/lib/verify.h"
#include <iostream>
#include <limits>

namespace tpe {
namespace {

struct VerifyArgs {
  std::string arch, gemm, workload, operands = "random", rtl;
  uint64_t seed = 0;
  bool seed_given = false, rtl_given = false;
  int trials = 1;
  int64_t max_macs = int64_t(1) << 24;
  std::string vcd_dir;
  bool vcd_given = false;
  int64_t vcd_window = 50;
  double stall_rate = 0;
};

int run_verify(const VerifyArgs& a) {
  const ArchConfig arch = parse_arch_file(a.arch);
  require_rtl(arch, "verify");
  if (a.vcd_given) check_vcd_dir(a.vcd_dir);
  if (a.stall_rate > 0 && a.vcd_given)
    throw InputError("--stall-rate", 0, "", "not with --vcd yet (waveforms run unstalled)");
  VerifyOptions o;
  o.stall_rate = a.stall_rate;
  o.seed = a.seed_given ? a.seed : fresh_seed();
  o.trials = a.trials;
  const OperandDist dist = parse_operand_dist(a.operands);
  o.dist = dist;
  if (a.rtl_given) o.mutate = use_user_rtl(a.rtl, arch); // checked before any long work
  std::vector<Layer> gemms;
  Rng shape_rng(o.seed ^ 0x5eedULL);
  if (!a.gemm.empty()) gemms.push_back(parse_gemm_spec(a.gemm));
  if (!a.workload.empty()) {
    for (const auto& l : parse_workload_file(a.workload).layers) {
      if (l.macs() > a.max_macs)
        throw InputError(a.workload, l.line, "M*N*K",
                         "layer '" + l.name + "' has " + std::to_string(l.macs()) +
                             " MACs, more than --max-macs " + std::to_string(a.max_macs) +
                             " for RTL simulation");
      gemms.push_back(l);
    }
  }
  if (gemms.empty()) { // random shapes, one per trial
    for (int t = 0; t < a.trials; ++t)
      gemms.push_back(random_gemm(shape_rng, 64, "random" + std::to_string(t)));
    o.trials = 1;
  }
  o.vcd_dir = a.vcd_given ? a.vcd_dir : "";
  o.vcd_window = a.vcd_window;
  std::cerr << "verify: seed " << o.seed << " (replay with --seed " << o.seed << ")\n";
  const VerifyOutcome r = verify_design(arch, gemms, o, std::cerr);
  if (r.pass) {
    std::cout << "verify: PASS " << arch.name << " (" << arch.engine << " " << arch.shape() << " "
              << arch.dataflow << "): " << r.runs << " runs, " << r.writes_compared
              << " output writes over " << r.cycles_total << " cycles bit- and cycle-exact"
              << (o.stall_rate > 0 ? " with random stalls" : "") << ", seed " << o.seed << "\n";
    return 0;
  }
  std::cout << "verify: FAIL " << arch.name << ": " << r.failure << "; seed " << o.seed << "\n";
  return 1;
}

Registrar<CommandSetup> reg("verify", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("verify",
                                 "prove the generated RTL bit- and cycle-exact against the model");
  auto a = std::make_shared<VerifyArgs>();
  cmd->add_option("--arch", a->arch, "architecture file (YAML)")->required();
  cmd->add_option("--gemm", a->gemm, "GEMM shape MxKxN (for example 37x29x53)");
  cmd->add_option("--workload", a->workload, "verify every layer of a workload CSV");
  auto* s = cmd->add_option("--seed", a->seed, "seed of the operand stream (printed when omitted)");
  cmd->add_option("--trials", a->trials, "random operand sets per GEMM (or random shapes)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--operands", a->operands, "operand values: random, min, max, zero or normal:SD");
  cmd->add_option("--max-macs", a->max_macs,
                  "largest workload layer to simulate in RTL (default 2^24 = 16777216)")
      ->check(CLI::Range(int64_t(1), std::numeric_limits<int64_t>::max()));
  auto* vcd =
      cmd->add_option("--vcd", a->vcd_dir,
                      "write waveforms of the RTL and the model (rtl.vcd, model.vcd) to this "
                      "directory: around the first difference, or the first run when all pass");
  cmd->add_option("--vcd-window", a->vcd_window,
                  "cycles traced before the first difference (from cycle 0 on a pass); 10 "
                  "more follow (default 50)")
      ->default_val(50)
      ->check(CLI::Range(int64_t(1), int64_t(1000000)));
  cmd->add_option("--stall-rate", a->stall_rate,
                  "stall each cycle after the start pulse with this probability (0..0.9, seeded "
                  "by --seed): the RTL behind its stall input, the model idling on the same "
                  "cycles (default 0: no stalls)")
      ->check(CLI::Range(0.0, 0.9));
  auto* rtl =
      cmd->add_option("--rtl", a->rtl,
                      "check this directory's Verilog (top tpe_NAME with the generated ports; "
                      "filelist.f order when present) instead of the generated design");
  cmd->callback([a, s, vcd, rtl, &exit_code] {
    a->seed_given = s->count() > 0;
    a->vcd_given = vcd->count() > 0;
    a->rtl_given = rtl->count() > 0;
    exit_code = run_verify(*a);
  });
});

} // namespace
} // namespace tpe
