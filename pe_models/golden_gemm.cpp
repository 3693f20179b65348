// Golden GEMM: k-outer loop over a row of B for cache locality; wraps once per
// product with mac_wrap so the result equals a hardware accumulator of acc_bits.
#include "pe_models/golden_gemm.h"
#include "pe_models/int_arith.h"
#include <stdexcept>

namespace tpe {

ResultMatrix golden_gemm(const OperandMatrix& A, const OperandMatrix& B, int acc_bits) {
  if (A.cols != B.rows) throw std::logic_error("golden_gemm: inner dimensions differ");
  ResultMatrix C(A.rows, B.cols, 0);
  for (int64_t m = 0; m < A.rows; ++m)
    for (int64_t k = 0; k < A.cols; ++k) {
      const int64_t a = A.at(m, k);
      for (int64_t n = 0; n < B.cols; ++n)
        C.at(m, n) = mac_wrap(C.at(m, n), a, B.at(k, n), acc_bits);
    }
  return C;
}

OperandMatrix random_operands(int64_t rows, int64_t cols, int64_t lo, int64_t hi, Rng& rng) {
  OperandMatrix M(rows, cols);
  for (auto& v : M.data)
    v = static_cast<int32_t>(rng.uniform(lo, hi));
  return M;
}

} // namespace tpe
