// `tpe gemm` on engine lut_gemv (registered as its GemmRunner, cli/gemm_support.h):
// the user's matrices as integer operands of the design's widths, stepped on the
// engine's model and checked against the golden integer GEMM; with --rtl the
// Verilated RTL runs the same operands and must agree with the model on every drain
// write, the done cycle and the row counts (testbenches/lib/lut_rtl.h).
#include "cli/gemm_support.h"
#include "core/count.h"
#include "core/error.h"
#include "dataflows/lut_gemv_mapping.h"
#include "pe_models/golden_gemm.h"
#include "sim/lut_gemv_core.h"
#include "testbenches/lib/lut_rtl.h"
#include <cmath>
#include <fmt/format.h>
#include <iostream>

namespace tpe {
namespace {

// An engine without PEs (lut_gemv): integer operands of 1..16 bits (real numbers
// rounded to nearest, ties to even, then saturated; --encoded: the integer or its
// two's-complement code), stepped on the engine's model (sim/lut_gemv_core.h) and
// checked against the golden integer GEMM.
Operand int_operand(const RealMatrix& m, const std::string& path, int bits, bool encoded) {
  const int64_t rows = static_cast<int64_t>(m.rows.size()), cols = int64_t(m.rows[0].size());
  const double lo = -std::ldexp(1.0, bits - 1), hi = std::ldexp(1.0, bits - 1) - 1;
  Operand op;
  op.codes = OperandMatrix(rows, cols);
  op.input.resize(size_t(rows * cols));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      const double read = m.rows[size_t(i)][size_t(j)];
      double v = read;
      if (encoded) {
        if (!(v >= lo && v <= std::ldexp(1.0, bits) - 1) || v != std::floor(v))
          throw InputError(path, m.line_of_row[size_t(i)], "",
                           "column " + std::to_string(j + 1) + ": '" + real(v) +
                               "' is not a code of int" + std::to_string(bits));
        if (v > hi) v -= std::ldexp(1.0, bits);
      } else {
        if (std::isnan(v))
          throw InputError(path, m.line_of_row[size_t(i)], "",
                           "column " + std::to_string(j + 1) +
                               ": NaN cannot be represented in int" + std::to_string(bits));
        v = std::min(hi, std::max(lo, std::nearbyint(v)));
      }
      op.codes.at(i, j) = static_cast<int32_t>(v);
      op.input[size_t(i * cols + j)] = encoded ? v : read;
    }
  return op;
}

int run_lut_gemm(const GemmArgs& a, const ArchConfig& arch) {
  if (a.rtl) require_rtl(arch, "gemm --rtl"); // before reading the matrices
  const LutGemvParams p = lut_gemv_params(arch);
  const RealMatrix ma = read_real_matrix(a.a, "the A matrix");
  const RealMatrix mb = read_real_matrix(a.b, "the B matrix");
  int64_t M = 0, K = 0, N = 0;
  check_gemm_shape(a, ma, mb, M, K, N);
  const Count model =
      lut_gemv_model_elements(p, lut_gemv_geometry(p, LutArith(p.arith), M, K, N), M, N);
  if (model > kMaxGemmMacs)
    throw InputError(a.arch, 0, "",
                     "the lut_gemv model of this GEMM would hold " + count_str(model) +
                         " table and accumulator values (tpe gemm's limit is 2^24): fewer "
                         "`arrays`, smaller `array` or `batch`");
  const Operand A = int_operand(ma, a.a, p.arith.act_bits, a.encoded);
  const Operand B = int_operand(mb, a.b, p.arith.weight_bits, a.encoded);
  LutGemvCore core(p, A.codes, B.codes);
  const Count cycles = core.run();
  const ResultMatrix want = golden_gemm(A.codes, B.codes, p.arith.acc_bits);
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j)
      if (core.C().at(i, j) != want.at(i, j)) {
        std::cout << fmt::format("gemm: FAIL {}: model vs golden GEMM: C[{}][{}] expected {} "
                                 "(golden), got {} (model)\n",
                                 arch.name, i, j, want.at(i, j), core.C().at(i, j));
        return 1;
      }
  int64_t writes = 0;
  if (a.rtl) { // every drain write, the done cycle and the row counts (lut_rtl.h)
    const RtlBinary bin = build_lut_gemv_rtl(arch);
    std::cerr << "gemm: RTL " << build_note(bin) << "\n";
    const LutRtlOutcome o = verify_lut_gemv(arch, bin, A.codes, B.codes);
    if (!o.pass) {
      std::cout << "gemm: FAIL " << arch.name << ": RTL vs model: " << o.failure << "\n";
      return 1;
    }
    writes = o.writes;
  }
  const std::string errors = report_c(a, arch, core.C(), A, B, M, K, N, 1);
  std::cerr << fmt::format(
      "gemm: {} ({} {}, int{} x int{}, accumulate int {} bits): {}x{}x{} in {} cycles; equal to "
      "the golden GEMM; {}{}\n",
      arch.name, arch.engine, arch.shape(), p.arith.act_bits, p.arith.weight_bits, arch.acc_bits, M,
      K, N, count_str(cycles), errors,
      a.rtl ? fmt::format("; RTL bit- and cycle-exact with the model ({} drain writes)", writes)
            : std::string());
  return 0;
}

Registrar<GemmRunner> reg("lut_gemv", {run_lut_gemm});

} // namespace
} // namespace tpe
