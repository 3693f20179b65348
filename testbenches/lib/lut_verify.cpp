// `tpe verify` for engine lut_gemv: every GEMM x trial draws A (M x K activations)
// and B (K x N weights) of the design's integer widths from the seed and the
// operand distribution, as `tpe sim` does, and runs them through the Verilated
// RTL and the stepped model (testbenches/lib/lut_rtl.h verify_lut_gemv: every
// drain-port write with its cycle, the done cycle, the row read and write counts,
// and the model's C against the golden GEMM). Waveforms (--vcd) are refused: the
// model of this engine has no VCD writer yet.
#include "core/error.h"
#include "dataflows/lut_gemv_mapping.h"
#include "testbenches/lib/lut_rtl.h"
#include "testbenches/lib/verify.h"
#include <ostream>
#include <stdexcept>

namespace tpe {
namespace {

VerifyOutcome verify_lut(const ArchConfig& arch, const std::vector<Layer>& gemms,
                         const VerifyOptions& opt, std::ostream& progress) {
  if (!opt.vcd_dir.empty())
    throw InputError("--vcd", 0, "",
                     "waveforms of engine lut_gemv are not available yet (its model has no VCD "
                     "writer); run without --vcd");
  if (!opt.verilator_flags.empty())
    throw std::invalid_argument("verify_lut: extra Verilator flags are not supported");
  const LutGemvParams p = lut_gemv_params(arch);
  const bool stalls = opt.stall_rate > 0;
  const RtlBinary bin = build_lut_gemv_rtl(arch, opt.mutate, stalls);
  progress << "verify: RTL " << build_note(bin) << "\n";
  VerifyOutcome out;
  Rng rng(opt.seed);
  const int total = static_cast<int>(gemms.size()) * opt.trials;
  int run = 0;
  for (const auto& l : gemms) {
    for (int t = 0; t < opt.trials; ++t) {
      ++run;
      // the run's stall pattern, seeded from the operand stream (--seed replays it)
      StallSpec stall;
      if (stalls) stall = {rng.engine()(), stall_threshold(opt.stall_rate)};
      const OperandMatrix A = fill_operands(l.M, l.K, p.arith.act_bits, opt.dist, rng);
      const OperandMatrix B = fill_operands(l.K, l.N, p.arith.weight_bits, opt.dist, rng);
      const std::string tag = run_tag(l, t + 1);
      const LutRtlOutcome o = verify_lut_gemv(arch, bin, A, B, stall);
      if (!o.pass) {
        out.pass = false;
        out.failure = tag + ": " + o.failure;
        return out;
      }
      ++out.runs;
      out.writes_compared += o.writes;
      out.cycles_total += o.cycles;
      progress << "verify: [" << run << "/" << total << "] " << tag << ": " << o.cycles
               << " cycles, " << o.writes << " writes and " << o.model_reads << " row reads, "
               << o.model_writes << " row writes match\n";
    }
  }
  return out;
}

Registrar<RtlVerifier> reg("lut_gemv", {verify_lut});

} // namespace
} // namespace tpe
