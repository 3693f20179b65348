// What `tpe gemm` (cli/cmd_gemm.cpp) shares with the GEMM runners of engines that
// run it their own way (cli/gemm_lut.cpp for lut_gemv): the arguments, one operand,
// the shape check, and the report of C with its error against the float64
// reference. An engine registers a GemmRunner under its name; the others run
// through the SystemC model of the array engines (testbenches/lib/verify.h).
#pragma once
#include "core/arch_config.h"
#include "core/matrix_csv.h"
#include "core/registry.h"
#include "core/tensor.h"
#include <cstdint>
#include <string>
#include <vector>

namespace tpe {

// The largest GEMM `tpe gemm` runs: M * K * N multiply-adds (the model steps it on the
// SystemC clock; --rtl simulates it too).
constexpr int64_t kMaxGemmMacs = int64_t(1) << 24;

struct GemmArgs {
  std::string arch, a, b, out;
  bool rtl = false, encoded = false;
};

// One GEMM operand: the codes in the OperandMatrix convention (integers: signed
// values; other formats: the unsigned W-bit code) and each element's input value
// (the real number read, or the decoded code with --encoded).
struct Operand {
  OperandMatrix codes;
  std::vector<double> input;
};

// A double as the CSV writes it: %.17g, or nan, inf, -inf.
std::string real(double v);

// M, K, N of the two matrices. Throws InputError when B does not have K rows or the
// GEMM exceeds kMaxGemmMacs multiply-adds.
void check_gemm_shape(const GemmArgs& a, const RealMatrix& ma, const RealMatrix& mb, int64_t& M,
                      int64_t& K, int64_t& N);

// Writes C as CSV (stdout, or --out atomically) and returns the error summary against
// the float64 reference (see cli/cmd_gemm.cpp); `tensor` scales every value.
std::string report_c(const GemmArgs& a, const ArchConfig& arch, const ResultMatrix& C,
                     const Operand& A, const Operand& B, int64_t M, int64_t K, int64_t N,
                     double tensor);

// An engine's own `tpe gemm`: returns the exit status (0 pass, 1 a FAIL line on stdout);
// throws InputError for bad input.
struct GemmRunner {
  int (*run)(const GemmArgs& a, const ArchConfig& arch) = nullptr;
};
using GemmRunnerRegistry = Registry<GemmRunner>;

} // namespace tpe
