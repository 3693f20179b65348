// Shared by the lut_gemv RTL tests (test_lut_gemv_rtl, full_lut_gemv_rtl): seeded
// operands with a share of zeros, and one checked RTL-versus-model run.
#pragma once
#include "core/tensor.h"
#include "dataflows/lut_gemv_mapping.h"
#include "pe_models/int_arith.h"
#include "testbenches/lib/lut_rtl.h"
#include <catch2/catch.hpp>
#include <string>

namespace tpe::test {

// r x c operands of `bits` (two's complement), zero with probability zero_pct %.
inline OperandMatrix lut_draw(int64_t r, int64_t c, int bits, int zero_pct, Rng& rng) {
  OperandMatrix m(r, c);
  for (auto& x : m.data)
    x = rng.uniform(0, 99) < zero_pct
            ? 0
            : static_cast<int32_t>(rng.uniform(int_min(bits), int_max(bits)));
  return m;
}

// An M x K x N GEMM of random operands (seed; activations zero_pct % zeros) through
// `bin` and the model of `a`: every write, the done cycle and the row counts equal.
inline void check_lut_equal(const ArchConfig& a, const RtlBinary& bin, int64_t M, int64_t K,
                            int64_t N, int zero_pct, uint64_t seed) {
  const LutGemvParams p = lut_gemv_params(a);
  Rng rng(seed);
  const OperandMatrix A = lut_draw(M, K, p.arith.act_bits, zero_pct, rng);
  const OperandMatrix B = lut_draw(K, N, p.arith.weight_bits, 0, rng);
  const LutRtlOutcome o = verify_lut_gemv(a, bin, A, B);
  INFO(a.name << " " << M << "x" << K << "x" << N << " seed " << seed << ": " << o.failure);
  CHECK(o.pass);
  CHECK(o.values_ok);
  CHECK(o.writes > 0);
  CHECK(o.rtl_writes == o.model_writes);
  CHECK(o.rtl_reads == o.model_reads);
}

} // namespace tpe::test
