// Golden GEMM. Integer: k-outer loop over a row of B for cache locality; wraps once
// per product with mac_wrap so the result equals a hardware accumulator of acc_bits.
// Other accumulators: one output at a time, the adds in the engine's order
// (golden_gemm.h).
#include "pe_models/golden_gemm.h"
#include "pe_models/int_arith.h"
#include "pe_models/pe_arith.h"
#include <algorithm>
#include <stdexcept>
#include <vector>

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

ResultMatrix golden_gemm(const OperandMatrix& A, const OperandMatrix& B, const ArchConfig& arch) {
  if (arch.accumulate == "int") return golden_gemm(A, B, arch.acc_bits);
  if (A.cols != B.rows) throw std::logic_error("golden_gemm: inner dimensions differ");
  const PeArith ar(arch);
  const bool is = arch.engine == "systolic" && arch.dataflow == "is";
  const int64_t M = A.rows, N = B.cols, K = A.cols;
  ResultMatrix C(M, N, 0);
  // the west code enters first: B in `is`, A elsewhere
  const auto west = [&](int64_t m, int64_t k, int64_t n) -> int64_t {
    return is ? B.at(k, n) : A.at(m, k);
  };
  const auto north = [&](int64_t m, int64_t k, int64_t n) -> int64_t {
    return is ? A.at(m, k) : B.at(k, n);
  };
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      int64_t acc = 0;
      if (ar.block() > 0) { // systolic os with block-scaled operands
        const int64_t B = ar.block();
        for (int64_t b = 0; b * B < K; ++b) {
          FixedAcc s;
          for (int64_t k = b * B; k < std::min(K, (b + 1) * B); ++k)
            s = ar.block_add(s, west(m, k, n), north(m, k, n));
          acc = ar.block_close(acc, b == 0, s, west(m, b * B, n), north(m, b * B, n));
        }
      } else if (arch.engine == "systolic" && arch.dataflow == "os") {
        for (int64_t k = 0; k < K; ++k)
          acc = ar.mac(acc, k == 0, west(m, k, n), north(m, k, n));
      } else if (arch.engine == "systolic") { // ws, is
        const int64_t R = arch.rows;
        for (int64_t t = 0; t * R < K; ++t) {
          int64_t ps = 0;
          for (int64_t r = 0; r < R; ++r) {
            const int64_t k = t * R + r;
            ps = k < K ? ar.mac(ps, r == 0, west(m, k, n), north(m, k, n))
                       : ar.mac(ps, r == 0, 0, 0);
          }
          acc = t == 0 ? ps : ar.add_words(acc, ps);
        }
      } else { // cube, matrix2d, adder_tree: groups of depth lanes
        const int64_t D = arch.depth;
        std::vector<int64_t> w(static_cast<size_t>(D)), b(static_cast<size_t>(D));
        for (int64_t g = 0; g * D < K; ++g) {
          for (int64_t p = 0; p < D; ++p) {
            const int64_t k = g * D + p;
            w[p] = k < K ? west(m, k, n) : 0;
            b[p] = k < K ? north(m, k, n) : 0;
          }
          acc = ar.add(acc, g == 0, ar.group_dot(w.data(), b.data(), int(D)));
        }
      }
      C.at(m, n) = acc;
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
