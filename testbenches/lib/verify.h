// The checker: one stimulus drives the SystemC model and the Verilated RTL; the
// model is compared with the golden GEMM, and the RTL with the model on every
// output write (cycle, address and every accumulator), on the done cycle and on
// the SRAM read/write counts.
#pragma once
#include "core/arch_config.h"
#include "core/operand_dist.h"
#include "core/registry.h"
#include "core/workload.h"
#include "dataflows/systolic_mapping.h"
#include "sim/array_core.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/rtl_run.h"
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace tpe {

struct VerifyOptions {
  uint64_t seed = 1;
  int trials = 1;
  OperandDist dist;                         // operand values
  RtlMutation mutate;                       // fault injection, or a gate-level netlist
  std::vector<std::string> verilator_flags; // extra Verilator flags
  // Waveforms (testbenches/lib/vcd_dump.h): when vcd_dir is set, the failing run
  // (or, when every run passes, the first one) is traced into it over a window
  // of vcd_window cycles before the first difference (or from cycle 0).
  std::string vcd_dir;
  int64_t vcd_window = 50;
  // Random stalls (docs/memory-model.md "Stalls in the RTL"): each cycle after the
  // start pulse is stalled with this probability, in [0, 1), by a pattern seeded from
  // `seed` and the run (harness::stalled_cycle); the RTL runs behind its stall wrapper
  // (rtl_gen/stall_wrapper.h), the model idles on the same cycles. 0: no stalls, the
  // engine's own top.
  double stall_rate = 0;
};

struct VerifyOutcome {
  bool pass = true;
  int runs = 0; // GEMM x trial runs compared
  int64_t writes_compared = 0;
  int64_t cycles_total = 0;      // sum of run lengths (cycles)
  std::string failure;           // first difference, when !pass
  int64_t first_diff_cycle = -1; // cycle of the first differing output write or done
};

// One GEMM run of the SystemC model on operands drawn from `rng`: the stimulus
// (mapping, operands, SRAM images) and the model's traced result, ready to be
// compared with an RTL or gate-level run of the same images.
struct ModelRun {
  Layer layer;
  SystolicMapping map;
  OperandMatrix A, B;
  SramImages images;
  std::vector<OutputWrite> writes;
  SystolicCounters counts;
  std::vector<int64_t> out_memory;
  int64_t cycles = 0;
};
ModelRun run_model(const ArchConfig& arch, const Layer& layer, const OperandDist& dist, Rng& rng,
                   const StallPattern& stalled = nullptr);
// The same run on given operands: A is layer.M x layer.K, B is layer.K x layer.N, in
// the OperandMatrix convention of the formats (integers: signed values; float codes:
// unsigned W-bit codes). Throws std::invalid_argument when the shapes disagree.
ModelRun run_model_on(const ArchConfig& arch, const Layer& layer, OperandMatrix A, OperandMatrix B,
                      const StallPattern& stalled = nullptr);

// First difference between the model's output writes (and done cycle and SRAM
// counts) and the RTL's, or "" when they agree.
std::string compare_traces(const SystolicMapping& m, const std::vector<OutputWrite>& model_writes,
                           const SystolicCounters& model_counts, int64_t model_done,
                           const RtlTrace& rtl);

// The name of one run in progress and failure lines: "NAME (MxKxN, trial T)", T from 1.
std::string run_tag(const Layer& l, int trial);

// `progress` receives one line per run (stderr in the CLI).
VerifyOutcome verify_systolic(const ArchConfig& arch, const std::vector<Layer>& gemms,
                              const VerifyOptions& opt, std::ostream& progress);

// The checker of each engine, by engine name: an engine whose RTL is not checked by
// verify_systolic registers its own from its own file (testbenches/lib/lut_verify.cpp
// for lut_gemv), with verify_systolic's contract: every GEMM x opt.trials runs on
// operands drawn from opt.seed and opt.dist, stops at the first failure, one progress
// line per run; throws InputError for a design or an option it cannot check.
struct RtlVerifier {
  VerifyOutcome (*verify)(const ArchConfig& arch, const std::vector<Layer>& gemms,
                          const VerifyOptions& opt, std::ostream& progress) = nullptr;
};
using RtlVerifierRegistry = Registry<RtlVerifier>;

// `arch`'s engine's registered checker, else verify_systolic.
VerifyOutcome verify_design(const ArchConfig& arch, const std::vector<Layer>& gemms,
                            const VerifyOptions& opt, std::ostream& progress);

} // namespace tpe
