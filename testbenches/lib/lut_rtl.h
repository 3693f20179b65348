// The lut_gemv Verilog against its stepped model: build the generated top with
// Verilator and testbenches/lut_harness.cpp (cached by hash, rtl_build.h), run one
// GEMM through it and through LutGemvCore with the same operands, and compare every
// drain-port write (cycle, tile, token block, chunk, data), the done cycle, and the
// row read and write counts.
#pragma once
#include "core/arch_config.h"
#include "core/tensor.h"
#include "sim/clocked_host.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/rtl_run.h"
#include "testbenches/lut_protocol.h"
#include <cstdint>
#include <string>

namespace tpe {

// Generate (rtl_gen/lut_gemv_verilog.h), edit with `mutate` (fault injection), and
// build or reuse the Verilated simulator of `arch`. Throws ToolError (Verilator or
// the C++ build failed) or std::invalid_argument (a design the generator refuses).
// With `stall`, the top is the stall wrapper (rtl_gen/stall_wrapper.h), then edited by
// `mutate_wrapper` (fault injection into the wrapper).
RtlBinary build_lut_gemv_rtl(const ArchConfig& arch, const RtlMutation& mutate = nullptr,
                             bool stall = false, const RtlMutation& mutate_wrapper = nullptr);

struct LutRtlOutcome {
  bool pass = false;
  std::string failure; // the first difference: "cycle C: port: model X, RTL Y"
  int64_t writes = 0;  // drain-port writes compared
  int64_t cycles = 0;  // the model's done cycle
  int64_t model_reads = 0, model_writes = 0; // SRAM rows read and written by the model
  int64_t rtl_reads = 0, rtl_writes = 0;     // the same counted on the RTL's row_rd / row_wr
  bool values_ok = false;                    // the model's C equals the golden GEMM
};

// The port sizes of `arch`'s generated top, as the harness sees them.
lut_harness::Geometry lut_harness_geometry(const ArchConfig& arch);
// The harness's stimulus of one GEMM A (M x K) x B (K x N).
lut_harness::Stimulus lut_harness_stimulus(const ArchConfig& arch, const OperandMatrix& A,
                                           const OperandMatrix& B);

// One GEMM through LutGemvCore (the stepped model) with its drain-port trace.
struct LutModelRun {
  std::vector<lut_harness::Write> writes; // in the harness's order (cycle, then array)
  int64_t cycles = 0, row_reads = 0, row_writes = 0;
  bool values_ok = false; // C equals the golden GEMM
};
// `stalled`: the edges the model idles on (tpe verify --stall-rate).
LutModelRun run_lut_model(const ArchConfig& arch, const OperandMatrix& A, const OperandMatrix& B,
                          const StallPattern& stalled = nullptr);

// The model's run against a harness run of the RTL or its netlist: every drain-port
// write (cycle, tile, token block, chunk, data) in order, the done cycle and the row
// read and write counts; `failure` names the first difference.
LutRtlOutcome compare_lut_run(const LutModelRun& model, const lut_harness::Result& rtl);

// Run A (M x K activations) x B (K x N weights) through `bin` and the model of
// `arch`; M, K, N > 0; with a stall build (RtlBinary::stall), both under the seeded
// pattern `stall` (testbenches/lib/rtl_run.h). Throws ToolError when the simulator fails.
LutRtlOutcome verify_lut_gemv(const ArchConfig& arch, const RtlBinary& bin, const OperandMatrix& A,
                              const OperandMatrix& B, const StallSpec& stall = {});

} // namespace tpe
