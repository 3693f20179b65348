// Checker algorithm, per GEMM and trial: draw operands from the seeded stream;
// build the SRAM images (dataflows/); run the SystemC model with tracing and
// compare its result with the golden GEMM; write the same images and cfg words
// as the harness stimulus; run the Verilated simulator; compare the two write
// traces event by event (cycle, address, every lane), then the done cycle and
// the SRAM access counts (and, for sparsity-encoded PEs, the number of digits
// the row encoders issued). The first difference is reported with the GEMM
// element it belongs to and the seed.
#include "testbenches/lib/verify.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/process.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/int_arith.h"
#include "sim/array_core.h"
#include "sim/engine.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/rtl_run.h"
#include "testbenches/lib/vcd_dump.h"
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace tpe {

ModelRun run_model(const ArchConfig& arch, const Layer& layer, const OperandDist& dist, Rng& rng,
                   const StallPattern& stalled) {
  OperandMatrix A = fill_operands(layer.M, layer.K, arch.act(), dist, rng);
  OperandMatrix B = fill_operands(layer.K, layer.N, arch.weight(), dist, rng);
  attach_block_scales(A, arch.act(), false, arch.accumulate, rng);
  attach_block_scales(B, arch.weight(), true, arch.accumulate, rng);
  return run_model_on(arch, layer, std::move(A), std::move(B), stalled);
}

ModelRun run_model_on(const ArchConfig& arch, const Layer& layer, OperandMatrix A, OperandMatrix B,
                      const StallPattern& stalled) {
  if (A.rows != layer.M || A.cols != layer.K || B.rows != layer.K || B.cols != layer.N)
    throw std::invalid_argument("run_model_on: operand shapes do not match the layer");
  ModelRun r;
  r.layer = layer;
  r.map = map_systolic(arch, layer);
  check_stepped_run(arch, layer, r.map, true, RunOptions{});
  r.A = std::move(A);
  r.B = std::move(B);
  r.images = make_images(r.map, r.A, r.B);
  const std::unique_ptr<ArrayCore> core = make_array_core(arch, r.map);
  core->load(r.map, &r.images, true, true);
  core->start();
  // the bound of an unstalled run; a stall pattern may stretch it (as run_rtl's bound)
  const int64_t bound = count_to_int64(2 * r.map.cycle_bound() + 1000, "cycle bound");
  r.cycles = run_on_systemc_clock(
      *core, stalled ? count_to_int64(Count(bound) * 42, "cycle bound") : bound, nullptr, stalled);
  r.writes = core->trace();
  r.counts = core->counters();
  r.out_memory = core->out_memory();
  return r;
}

namespace {

std::string where(const SystolicMapping& m, int64_t addr, int lane) {
  int64_t r, c;
  std::ostringstream s;
  if (output_element(m, addr, lane, r, c))
    s << "C[" << r << "][" << c << "]";
  else
    s << "padding";
  s << " (output word " << addr << ", lane " << lane << ")";
  return s.str();
}

} // namespace

// First difference between model and RTL traces, or "" when they agree.
std::string compare_traces(const SystolicMapping& m, const std::vector<OutputWrite>& mw,
                           const SystolicCounters& mc, int64_t model_done, const RtlTrace& rt) {
  std::ostringstream d;
  const size_t n = std::max(mw.size(), rt.writes.size());
  for (size_t e = 0; e < n; ++e) {
    if (e >= rt.writes.size()) {
      d << "model writes output word " << mw[e].addr << " at cycle " << mw[e].cycle << " (write #"
        << e << ") but the RTL made only " << rt.writes.size() << " writes";
      return d.str();
    }
    if (e >= mw.size()) {
      d << "RTL writes output word " << rt.writes[e].addr << " at cycle " << rt.writes[e].cycle
        << " (write #" << e << ") but the model made only " << mw.size() << " writes";
      return d.str();
    }
    const OutputWrite &a = mw[e], &b = rt.writes[e];
    if (a.cycle != b.cycle || a.addr != b.addr) {
      d << "write #" << e << ": model writes output word " << a.addr << " at cycle " << a.cycle
        << ", RTL writes word " << b.addr << " at cycle " << b.cycle;
      return d.str();
    }
    for (int j = 0; j < m.C; ++j)
      if (a.data[j] != b.data[j]) {
        d << where(m, a.addr, j) << " at cycle " << a.cycle << ": expected " << a.data[j]
          << " (model), got " << b.data[j] << " (RTL)";
        return d.str();
      }
  }
  if (rt.done != model_done) {
    d << "done: model after " << model_done << " cycles, RTL after " << rt.done;
    return d.str();
  }
  if (rt.w_reads != mc.w_reads || rt.n_reads != mc.n_reads || rt.o_reads != mc.o_reads ||
      rt.o_writes != mc.o_writes) {
    d << "SRAM accesses differ: model west/north/out-read/out-write " << mc.w_reads << "/"
      << mc.n_reads << "/" << mc.o_reads << "/" << mc.o_writes << ", RTL " << rt.w_reads << "/"
      << rt.n_reads << "/" << rt.o_reads << "/" << rt.o_writes;
    return d.str();
  }
  if (rt.ws_reads != mc.ws_reads || rt.ns_reads != mc.ns_reads) {
    d << "scale SRAM reads differ: model west/north " << mc.ws_reads << "/" << mc.ns_reads
      << ", RTL " << rt.ws_reads << "/" << rt.ns_reads;
    return d.str();
  }
  if (rt.digit_issues != mc.digit_issues) {
    d << "digits issued by the sparse encoders: model " << mc.digit_issues << ", RTL "
      << rt.digit_issues;
    return d.str();
  }
  return "";
}

std::string run_tag(const Layer& l, int trial) {
  return l.name + " (" + std::to_string(l.M) + "x" + std::to_string(l.K) + "x" +
         std::to_string(l.N) + ", trial " + std::to_string(trial) + ")";
}

VerifyOutcome verify_systolic(const ArchConfig& arch, const std::vector<Layer>& gemms,
                              const VerifyOptions& opt, std::ostream& progress) {
  namespace fs = std::filesystem;
  VerifyOutcome out;
  for (const auto& l : gemms) {
    const SystolicMapping m = map_systolic(arch, l);
    if (m.w_words >= (int64_t(1) << 31) || m.n_words >= (int64_t(1) << 31) ||
        m.o_words >= (int64_t(1) << 31))
      throw InputError("--gemm", 0, "",
                       "GEMM " + l.name + " needs more than 2^31 SRAM words (32-bit addresses)");
    check_stepped_run(arch, l, m, true, RunOptions{});
  }
  const bool stalls = opt.stall_rate > 0;
  const RtlBinary bin = build_systolic_rtl(arch, opt.mutate, opt.verilator_flags, stalls);
  progress << "verify: RTL " << build_note(bin) << "\n";
  TempPath work_dir = make_temp_dir("tpe_verify"); // kept only to show a failure's stimulus
  const fs::path work = work_dir.path();
  Rng rng(opt.seed);
  const int total = static_cast<int>(gemms.size()) * opt.trials;
  int run = 0;
  for (const auto& l : gemms) {
    for (int t = 0; t < opt.trials; ++t) {
      ++run;
      // the run's stall pattern: seeded from the operand stream, so --seed replays it
      StallSpec stall;
      if (stalls) stall = {rng.engine()(), stall_threshold(opt.stall_rate)};
      const ModelRun mr = run_model(arch, l, opt.dist, rng, stall_pattern(stall));
      const SystolicMapping& m = mr.map;
      const std::string tag = run_tag(l, t + 1);
      const ResultMatrix got = extract_result(m, mr.out_memory);
      const ResultMatrix want = golden_gemm(mr.A, mr.B, arch);
      for (int64_t i = 0; i < want.rows && out.pass; ++i)
        for (int64_t j = 0; j < want.cols; ++j)
          if (got.at(i, j) != want.at(i, j)) {
            out.pass = false;
            out.failure = tag + ": model vs golden GEMM: C[" + std::to_string(i) + "][" +
                          std::to_string(j) + "] expected " + std::to_string(want.at(i, j)) +
                          " (golden), got " + std::to_string(got.at(i, j)) + " (model)";
            break;
          }
      if (!out.pass) break;
      RtlTrace rt;
      try {
        rt = run_rtl(bin, m, mr.images, work.string(), {}, stall);
      } catch (const ToolError& e) {
        out.pass = false;
        out.failure = tag + ": " + e.what();
        out.first_diff_cycle = error_cycle(e.what());
        if (!opt.vcd_dir.empty())
          write_waveforms(arch, mr, opt.mutate, opt.verilator_flags,
                          vcd_window(out.first_diff_cycle, opt.vcd_window, mr.cycles), opt.vcd_dir,
                          "run " + tag + ", the RTL simulation failed: " + e.what(), progress);
        break;
      }
      const std::string diff = compare_traces(m, mr.writes, mr.counts, mr.cycles, rt);
      if (!diff.empty()) {
        out.pass = false;
        out.failure = tag + ": " + diff;
        out.first_diff_cycle = first_difference_cycle(mr.writes, mr.cycles, rt);
        if (!opt.vcd_dir.empty())
          write_waveforms(
              arch, mr, opt.mutate, opt.verilator_flags,
              vcd_window(out.first_diff_cycle, opt.vcd_window, std::max(mr.cycles, rt.done)),
              opt.vcd_dir,
              "run " + tag + ", first difference at cycle " + std::to_string(out.first_diff_cycle),
              progress);
        break;
      }
      if (!opt.vcd_dir.empty() && run == 1)
        write_waveforms(arch, mr, opt.mutate, opt.verilator_flags,
                        vcd_window(-1, opt.vcd_window, mr.cycles), opt.vcd_dir,
                        "run " + tag + " (it passed)", progress);
      ++out.runs;
      out.writes_compared += static_cast<int64_t>(rt.writes.size());
      out.cycles_total += mr.cycles;
      progress << "verify: [" << run << "/" << total << "] " << tag << ": " << mr.cycles
               << " cycles, " << rt.writes.size() << " writes match\n";
    }
    if (!out.pass) {
      progress << "verify: stimulus kept in " << work.string() << "\n";
      work_dir.release();
      return out;
    }
  }
  return out;
}

VerifyOutcome verify_design(const ArchConfig& arch, const std::vector<Layer>& gemms,
                            const VerifyOptions& opt, std::ostream& progress) {
  const RtlVerifier* v = RtlVerifierRegistry::instance().find(arch.engine);
  return v ? v->verify(arch, gemms, opt, progress) : verify_systolic(arch, gemms, opt, progress);
}

} // namespace tpe
