// The golden reference: an untimed GEMM C = A x B with the PE's exact arithmetic
// (products exact, accumulation modulo 2^acc_bits). For integer PEs the order of
// accumulation cannot change the result, so one plain triple loop serves all.
#pragma once
#include "core/tensor.h"

namespace tpe {

ResultMatrix golden_gemm(const OperandMatrix& A, const OperandMatrix& B, int acc_bits);

// Random operands in [lo, hi] (inclusive).
OperandMatrix random_operands(int64_t rows, int64_t cols, int64_t lo, int64_t hi, Rng& rng);

} // namespace tpe
