// L-Mul (Luo and Sun, "Addition is All You Need for Energy-efficient Language
// Models", arXiv:2410.00907, 2024): an approximate floating-point product made of one
// integer addition. For x = (1 + xm) 2^xe, y = (1 + ym) 2^ye (m mantissa bits) the
// paper's equation is (1 + xm + ym + 2^-l(m)) 2^(xe+ye), l(m) = m for m <= 3, 3 for
// m = 4, 4 for m > 4. tpe implements the integer-add form every public kernel uses
// (add the magnitude codes, subtract bias << m, add the offset in mantissa units, XOR
// the signs): when xm + ym + offset >= 1 the mantissa sum carries into the exponent,
// giving 2^(xe+ye+1) (1 + xm + ym + offset - 1) (shared/ARITHMETIC.md section 3);
// when xm + ym + offset >= 2 (an offset of several mantissa units, FP16/BF16) the
// integer add carries 2 into the exponent field: 2^(xe+ye+2) (1 + xm + ym + offset - 2).
//
// tpe's rules (the paper gives none; docs/arithmetic.md):
// - operands are Unpacked codes of a float format with m mantissa bits (sig < 2^(m+1));
// - subnormal operands are normalized exactly first (leading-one detection), so the
//   operator sees (1 + f) 2^e with an m-bit fraction f, as for a normal operand;
// - zeros, Inf and NaN follow the exact product (fp_arith.h): NaN propagates (as the
//   canonical NaN, sign 0), 0 x Inf = NaN, Inf x nonzero = Inf, zero x finite = signed 0;
// - the result is the exact Unpacked of the approximate product, with the full
//   exponent range of the sum (no clamping): overflow to Inf and underflow to
//   subnormals or zero happen in the accumulator's single rounding;
// - offset: Paper = 2^-l(m); Const4 = 2^-4 (the FP32 kernel's constant 0x00080000 in
//   R = |X| + |Y| - 0x3F780000); None = 0. When the offset is finer than the mantissa
//   LSB (2^-4 with m < 4) the integer add runs on f = 4 - m extra fraction bits.
#pragma once
#include "pe_models/fp_arith.h"
#include "pe_models/unpacked.h"

namespace tpe {

enum class LmulOffset { Paper, Const4, None };

// Name of the offset ("paper", "const4", "none") and back (std::invalid_argument).
const char* lmul_offset_name(LmulOffset o);
LmulOffset lmul_offset_from_name(const std::string& name);
// l(m) of the paper.
int lmul_l(int m);
// Fraction bits F of the integer add: max(m, 4) for Const4, m otherwise.
int lmul_frac_bits(int m, LmulOffset o);
// The offset in units of 2^-F.
uint64_t lmul_offset_units(int m, LmulOffset o);

// The L-Mul approximate product of a and b (rules above); its sig has F + 1 bits
// and its exp is the LSB weight. Throws std::invalid_argument if an operand's sig
// has more than m + 1 bits or m is not in 1..23.
Unpacked lmul(const Unpacked& a, const Unpacked& b, int m, LmulOffset o);
// Bus widths of lmul's result for operands of widths `in` (m = in.sig_bits - 1).
UnpackedWidths lmul_widths(UnpackedWidths in, LmulOffset o);

} // namespace tpe
