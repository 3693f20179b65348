// The golden reference: an untimed GEMM C = A x B with the PE's exact arithmetic.
// Integer formats into `int` (products exact, accumulation modulo 2^acc_bits): the
// order of accumulation cannot change the result, so one plain triple loop serves
// all engines. Other accumulators round once per add, so the golden GEMM follows
// each engine's order of adds (docs/formats-engines.md, FORMATS_CONTRACT item 3),
// written from that description and not from the engine models:
//   systolic os:  acc = +0; acc = ADD(acc, A[m][k] B[k][n]) for k = 0..K-1;
//   systolic ws/is: per K-tile t of R = rows rows (k = tR..tR+R-1, rows past K add
//                 the +0 x +0 product of the zero padding): ps = +0, ps = ADD(ps, p_k)
//                 top to bottom; C = ps for t = 0, else C = ADD(C, value(ps));
//   cube, matrix2d, adder_tree: per group g of `depth` lanes (k = gD..gD+D-1, padding
//                 adds nothing): d = the exact sum of its products (depth 1: the
//                 product); acc = +0; acc = ADD(acc, d) for g in order.
//   block-scaled operands (systolic os, cube, matrix2d: the block sum is exact, so
//                 the grid's groups give the same sum): an operand value is (scale code << W) |
//                 element code, the scale of a block taken from its first element;
//                 per block b of `block` elements along K (k = bB..min(K, bB+B)-1):
//                 s = the exact sum of its products; acc = ADD(acc, s x scale_A x
//                 scale_B), from +0 (one rounding per block).
// Results are accumulator words (pe_models/pe_arith.h).
#pragma once
#include "core/arch_config.h"
#include "core/tensor.h"

namespace tpe {

ResultMatrix golden_gemm(const OperandMatrix& A, const OperandMatrix& B, int acc_bits);
// The golden GEMM of the architecture's PE, accumulator and engine order (above).
ResultMatrix golden_gemm(const OperandMatrix& A, const OperandMatrix& B, const ArchConfig& arch);

// Random operands in [lo, hi] (inclusive).
OperandMatrix random_operands(int64_t rows, int64_t cols, int64_t lo, int64_t hi, Rng& rng);

} // namespace tpe
