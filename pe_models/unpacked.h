// The unpacked operand: the exact value of one code of any number format, as every
// format's decoder produces it and as every arithmetic operator (multipliers,
// accumulators, L-Mul) consumes it. It is the single contract between the
// formats (pe_models/formats*) and the arithmetic (pe_models/fp_arith*), in C++ and
// in Verilog, so that adding a format never touches an operator.
//
// Value: (-1)^neg * sig * 2^exp for kind == Finite (sig > 0); Zero carries its sign
// (IEEE -0), Inf its sign, NaN its sign (formats without a signed NaN give neg = 0).
// A decoder gives the fields as the hardware sees them, not normalized: for a float,
// sig = hidden bit and mantissa field (m + 1 bits; hidden bit 0 for subnormals) and
// exp = unbiased exponent - m; for an integer, sig = |code| and exp = the format's
// fixed scale (0 for intN, -6 for MXINT8 elements). Two Unpacked of equal value may
// therefore differ field by field: compare values, not fields.
//
// Verilog form of the same thing (the decoder module of a format outputs it; an
// operator's input takes it), most significant field first:
//   { is_nan, is_inf, is_zero, neg, exp[EW-1:0], sig[SW-1:0] }
// where exp is two's complement (the weight of sig's least significant bit), sig
// unsigned with SW = unpacked_sig_bits() and EW = unpacked_exp_bits() of the format
// (FormatInfo). For is_zero / is_inf / is_nan the exp and sig fields are 0.
//
// An exact group or block sum (the cube / adder-tree lanes, a block-scaled block)
// may need more than 64 bits of significand (fp16, fp8_e5m2, hif8, mxfp8_e5m2: up
// to 120): its bits 64 and up are in sig_hi, which every format decoder leaves 0.
// pe_models/fp_arith.h wide_sig / set_wide_sig read and write the whole significand.
#pragma once
#include <cstdint>

namespace tpe {

struct Unpacked {
  enum class Kind : uint8_t { Zero, Finite, Inf, NaN };
  Kind kind = Kind::Zero;
  bool neg = false;
  uint64_t sig = 0;    // integer significand (hidden bit included); 0 unless Finite
  int exp = 0;         // power of two of sig's least significant bit; 0 unless Finite
  uint64_t sig_hi = 0; // significand bits 64..127 (wide exact sums only; else 0)

  bool is_finite() const { return kind == Kind::Finite || kind == Kind::Zero; }
  bool operator==(const Unpacked& o) const {
    return kind == o.kind && neg == o.neg && sig == o.sig && exp == o.exp && sig_hi == o.sig_hi;
  }
};

} // namespace tpe
