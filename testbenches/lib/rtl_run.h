// Running a built Verilated simulator on one GEMM: the stimulus file (cfg words
// and SRAM images, shared with the SystemC model) in, the trace of output writes,
// access counts and the done cycle out.
#pragma once
#include "core/tensor.h"
#include "dataflows/systolic_mapping.h"
#include "sim/array_core.h"
#include "sim/clocked_host.h"
#include "testbenches/lib/rtl_build.h"
#include <string>
#include <vector>

namespace tpe {

struct RtlTrace {
  std::vector<OutputWrite> writes;
  int64_t w_reads = -1, n_reads = -1, o_reads = -1, o_writes = -1, done = -1;
  int64_t digit_issues = -1;          // sparse designs: popcount of dig_valid summed over cycles
  int64_t ws_reads = 0, ns_reads = 0; // scale SRAM words (block-scaled designs)
  double seconds = 0;                 // wall time of the harness's clocked loop
};

// The harness stimulus of one run (cfg words and SRAM images).
harness::Stimulus make_stimulus(const SystolicMapping& m, const SramImages& img);
// A harness result as a trace; throws ToolError when the run failed.
RtlTrace to_trace(const harness::Result& r, bool sparse);

// The seeded stall pattern of a stall-wrapper build (harness::stalled_cycle).
struct StallSpec {
  uint64_t seed = 0;
  uint32_t threshold = 0; // rate x 2^32; 0: never stalled
};
// The threshold of a stall rate in [0, 1).
uint32_t stall_threshold(double rate);
// The model's view of `stall` (sim/clocked_host.h): harness::stalled_cycle on every
// edge; null when the threshold is 0 (no stalls).
StallPattern stall_pattern(const StallSpec& stall);

// Throws ToolError when the simulator fails (out-of-range access, timeout, crash).
// `extra_args` follow the stimulus and trace paths (a --trace build takes
// VCD FROM TO: testbenches/rtl_harness.cpp); `stall` drives the stall input of a
// stall-wrapper build (RtlBinary::stall).
RtlTrace run_rtl(const RtlBinary& bin, const SystolicMapping& m, const SramImages& img,
                 const std::string& workdir, const std::vector<std::string>& extra_args = {},
                 const StallSpec& stall = {});

} // namespace tpe
