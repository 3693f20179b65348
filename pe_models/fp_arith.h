// Floating-point and exact fixed-point arithmetic on Unpacked operands (the
// contract of pe_models/unpacked.h): the exact product of two operands, the
// IEEE-style accumulators `fp32`, `fp16`, `bf16` (acc = RNE(acc + x), one rounding
// per add), the rounding converter of an exact value to those formats, and the
// exact wide two's-complement accumulator `fixed`. Each function is the bit-exact
// emulator of the Verilog emitted by rtl_gen/fp_arith_verilog.h.
//
// Sources of the rules: IEEE 754-2019 sections 4.3.1 (roundTiesToEven), 6.1 (Inf
// arithmetic) and 7.2 (Inf - Inf and 0 x Inf are invalid: NaN), 6.2 (NaN propagation; tpe
// always returns the canonical quiet NaN below), 6.3 (sign of an exact zero sum:
// +0 under RNE, -0 + -0 = -0), 7.4 (overflow to Inf under RNE), 7.5 (gradual
// underflow: subnormals kept, never flushed). The adder's datapath (swap,
// alignment with a sticky bit, add, leading-zero count, round) is the textbook
// one (Muller et al., Handbook of Floating-Point Arithmetic, 2nd ed., ch. 7);
// its correctness with three extra bits rests on round-to-odd (the jammed sticky
// bit) being an exact intermediate for RNE at two bits more precision (Boldo and
// Melquiond, IEEE TC 57(4), 2008). docs/arithmetic.md states every choice.
#pragma once
#include "pe_models/unpacked.h"
#include <cstdint>
#include <string>

namespace tpe {

// The operators' view of an IEEE-style binary layout (the formats' own description is
// FloatLayout in pe_models/number_format.h): sign, exp_bits, man_bits, bias; exponent field 0
// holds zeros and subnormals. `specials` says what the all-ones exponent holds.
struct FpLayout {
  enum class Specials : uint8_t {
    Ieee,       // all-ones exponent: Inf (mantissa 0) or NaN (mantissa != 0)
    NanAllOnes, // OCP E4M3: only S.1111.111 is NaN, no Inf; the rest is finite
    None        // every code finite (FP6, FP4)
  };
  int exp_bits = 8;
  int man_bits = 23;
  int bias = 127;
  Specials specials = Specials::Ieee;
  std::string name;

  int bits() const { return 1 + exp_bits + man_bits; }
  int precision() const { return man_bits + 1; }
  int emin() const { return 1 - bias; } // exponent of the smallest normal
  int emax() const;                     // exponent of the largest finite binade
};

const FpLayout& fp32_layout();
const FpLayout& fp16_layout();
const FpLayout& bf16_layout();
// The accumulator formats by the name of the architecture key `accumulate:`
// ("fp32", "fp16", "bf16"); throws std::invalid_argument for any other name.
const FpLayout& float_accumulator_layout(const std::string& name);

// The whole significand of an Unpacked (sig_hi:sig), and its setter.
__extension__ typedef unsigned __int128 u128;
inline u128 wide_sig(const Unpacked& u) {
  return u128(u.sig_hi) << 64 | u.sig;
}
inline void set_wide_sig(Unpacked& u, u128 v) {
  u.sig = uint64_t(v);
  u.sig_hi = uint64_t(v >> 64);
}
// The widest exact group or block sum (bits, sign included) the engines take: its
// magnitude times a block-scale product of up to 4 bits stays within the 124-bit
// significand fp_accumulate takes (124 + 3 rounding bits + 1 carry = 128).
constexpr int kExactSumMaxWidth = 120;
constexpr int kWideSigMaxBits = 124;

// Widths of the Verilog Unpacked bus {is_nan, is_inf, is_zero, neg, exp, sig}.
struct UnpackedWidths {
  int sig_bits = 1; // SW
  int exp_bits = 1; // EW (two's complement)
  int bus_bits() const { return 4 + sig_bits + exp_bits; }
};
// Bits of a two's-complement field holding every integer in [lo, hi].
int signed_bits(int64_t lo, int64_t hi);
// SW = man_bits + 1, EW covering the layout's LSB exponents (1 - bias - man_bits
// up to the largest finite exponent minus man_bits).
UnpackedWidths float_unpacked_widths(const FpLayout& f);
// The exact product of operands of widths a and b: SW = SWa + SWb, EW from the sum
// of the two exponent ranges.
UnpackedWidths product_widths(UnpackedWidths a, UnpackedWidths b);

// Decode one code of an IEEE-style layout (low `bits()` bits of `code`) exactly.
Unpacked decode_float(const FpLayout& f, uint64_t code);
// Pack / unpack the Verilog bus form of an Unpacked (widths w); pack_bus throws
// std::invalid_argument when sig or exp does not fit (a wide sig never fits).
uint64_t pack_bus(const Unpacked& u, UnpackedWidths w);
Unpacked unpack_bus(uint64_t bus, UnpackedWidths w);

// The canonical NaN every tpe FP operator returns: sign 0, exponent all ones,
// mantissa MSB set (quiet), the rest 0 (fp32 0x7FC00000, fp16 0x7E00, bf16 0x7FC0).
uint64_t canonical_nan(const FpLayout& f);
uint64_t inf_code(const FpLayout& f, bool neg);

// Exact product (unpacked.h): sign xor; NaN if either is NaN or 0 x Inf; Inf if
// either is Inf; signed zero if either is zero; else sig product, exponent sum.
// Significands may be wide (wide_sig); throws std::invalid_argument when the
// significand product exceeds 128 bits.
Unpacked exact_product(const Unpacked& a, const Unpacked& b);

// Round the exact value x to the IEEE layout f (Specials::Ieee): round to nearest,
// ties to even; |x| >= 2^emax * (2 - 2^-p) gives Inf; subnormal results kept; a
// zero (exact, or rounded to zero) keeps the sign of x; NaN -> canonical NaN.
uint64_t round_to_float(const FpLayout& f, const Unpacked& x);

// One accumulate step: the code of RNE(acc + x), acc a code of f (Specials::Ieee),
// x exact with wide_sig(x) < 2^124 (kWideSigMaxBits; std::invalid_argument
// beyond). One rounding. Specials: NaN in -> canonical NaN;
// Inf + -Inf -> canonical NaN; Inf + anything else -> that Inf; x + (-x) -> +0;
// -0 + -0 -> -0; +0 + -0 -> +0; overflow -> Inf of the sum's sign.
uint64_t fp_accumulate(const FpLayout& f, uint64_t acc, const Unpacked& x);

// The exact fixed-point accumulator `fixed`: a two's-complement integer of
// `width` bits whose LSB weighs 2^lsb_exp, wrapping modulo 2^width (like the
// `int` accumulators), plus three sticky flags for non-finite addends.
struct FixedAccSpec {
  int lsb_exp = 0; // weight of the LSB: the smallest LSB exponent of any addend
  int width = 0;   // bits: magnitude span + 1 sign bit + guard bits, at most 128
};
constexpr int kFixedMaxWidth = 128;
constexpr int kFixedGuardBits = 16; // 2^16 maximal addends of one sign never wrap
// Addends x with x.exp >= lsb_min and |x| < 2^top_max (top_max > lsb_min):
// lsb_exp = lsb_min, width = (top_max - lsb_min) + 1 + guard_bits. Throws
// std::invalid_argument (naming the width) when that exceeds kFixedMaxWidth.
FixedAccSpec fixed_acc_spec(int lsb_min, int top_max, int guard_bits = kFixedGuardBits);
// Range of the exact products of two IEEE-style layouts: lsb_min is the sum of the
// smallest LSB exponents (subnormal LSBs), top_max the sum of the largest binade
// exponents + 2 (|product| < 2^top_max).
void product_range(const FpLayout& a, const FpLayout& b, int& lsb_min, int& top_max);

struct FixedAcc {
  __int128 value = 0; // sign-extended from `width` bits
  bool nan = false;   // a NaN was added
  bool pos_inf = false, neg_inf = false;
  bool operator==(const FixedAcc& o) const {
    return value == o.value && nan == o.nan && pos_inf == o.pos_inf && neg_inf == o.neg_inf;
  }
};
// acc + x, wrapped to s.width; NaN sets `nan`, +-Inf sets pos_inf / neg_inf, zero
// adds nothing. Throws std::invalid_argument if x.exp < s.lsb_exp (bits would be lost).
FixedAcc fixed_accumulate(const FixedAccSpec& s, const FixedAcc& acc, const Unpacked& x);
// The value the state stands for, rounded once to f (RNE): NaN if `nan` or both
// Infs were added, else the Inf added, else value * 2^lsb_exp (+0 for 0).
uint64_t fixed_to_float(const FpLayout& f, const FixedAccSpec& s, const FixedAcc& acc);
// The state as an exact Unpacked (sign-magnitude of value, exp = lsb_exp; NaN if
// `nan` or both Infs, else the Inf added); round_to_float of it equals
// fixed_to_float. A |value| of more than 64 bits fills sig_hi (wide_sig).
Unpacked fixed_to_unpacked(const FixedAccSpec& s, const FixedAcc& acc);
// Bus widths of fixed_to_unpacked's result: SW = width, EW holding lsb_exp.
UnpackedWidths fixed_unpacked_widths(const FixedAccSpec& s);
// Verilog state bus {nan, pos_inf, neg_inf, value[width-1:0]} (width <= 61 here).
uint64_t fixed_state_bus(const FixedAccSpec& s, const FixedAcc& acc);

} // namespace tpe
