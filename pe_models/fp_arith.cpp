// Emulators of the FP operators (see fp_arith.h for the rules and their sources).
//
// Accumulate step (the RTL of rtl_gen/fp_arith_verilog.cpp does the same, with
// Wm fixed to max(p, SW)):
//   1. specials from the flags (NaN, Inf, zeros);
//   2. both significands normalized to Wm bits (leading-zero count), top exponents
//      ta, tx; the larger magnitude is `big`;
//   3. big << 3 (guard, round, sticky positions); small << 3 shifted right by the
//      exponent difference d with every shifted-out bit ORed into bit 0 (jam);
//   4. add or subtract (big >= small, so the difference is >= 0); 0 -> +0;
//   5. round_pack: the rounding LSB is max(top - p + 1, emin - m) (normal or
//      subnormal), shift right, round to nearest even on the guard bit and the
//      sticky of the rest, carry-out renormalizes, exponent overflow gives Inf.
// Why three bits suffice: the jammed small operand is its round-to-odd at bit 0 and
// big is a multiple of 2^0, so the sum is the round-to-odd of the exact sum; when a
// jam bit can be set (d >= 2) the sum keeps at least Wm + 2 significant bits, so the
// rounding LSB is >= 2 and round-to-odd two bits lower is exact for RNE.
#include "pe_models/fp_arith.h"
#include <algorithm>
#include <stdexcept>

namespace tpe {

namespace {

int bitlen(u128 v) {
  int n = 0;
  while (v) {
    ++n;
    v >>= 1;
  }
  return n;
}

u128 mask128(int64_t n) {
  if (n <= 0) return 0;
  if (n >= 128) return ~u128(0);
  return (u128(1) << n) - 1;
}

u128 shr128(u128 v, int64_t n) {
  return n >= 128 ? 0 : v >> n;
}

uint64_t zero_code(const FpLayout& f, bool neg) {
  return uint64_t(neg) << (f.bits() - 1);
}

// Round sum * 2^base (sum > 0, exact or jammed with the rounding LSB >= 2 bits above
// bit 0) to f, sign neg: the code. See step 5 above.
uint64_t round_pack(const FpLayout& f, bool neg, u128 sum, int64_t base) {
  const int p = f.precision(), M = f.man_bits;
  const int nb = bitlen(sum);
  const int64_t top = base + nb - 1;
  int64_t e_lsb = std::max<int64_t>(top - p + 1, f.emin() - M);
  const int64_t r = e_lsb - base;
  u128 q = 0;
  if (r <= 0) {
    q = sum << -r; // exact: at most p - 1 positions
  } else {
    q = shr128(sum, r);
    const bool guard = shr128(sum, r - 1) & 1;
    const bool sticky = (sum & mask128(r - 1)) != 0;
    if (guard && (sticky || (q & 1))) ++q;
  }
  if (q == u128(1) << p) {
    q >>= 1;
    ++e_lsb;
  }
  if (q == 0) return zero_code(f, neg);
  const uint64_t sign = uint64_t(neg) << (f.bits() - 1);
  if (q >> M) { // normal
    const int64_t E = e_lsb + M + f.bias;
    if (E >= (int64_t(1) << f.exp_bits) - 1) return inf_code(f, neg);
    return sign | uint64_t(E) << M | (uint64_t(q) & ((uint64_t(1) << M) - 1));
  }
  return sign | uint64_t(q); // subnormal: exponent field 0
}

void require_ieee(const FpLayout& f) {
  if (f.specials != FpLayout::Specials::Ieee)
    throw std::invalid_argument("FP accumulator layout " + f.name + " has no IEEE Inf/NaN");
}

} // namespace

int FpLayout::emax() const {
  const int all = (1 << exp_bits) - 1;
  return (specials == Specials::Ieee ? all - 1 : all) - bias;
}

const FpLayout& fp32_layout() {
  static const FpLayout f{8, 23, 127, FpLayout::Specials::Ieee, "fp32"};
  return f;
}
const FpLayout& fp16_layout() {
  static const FpLayout f{5, 10, 15, FpLayout::Specials::Ieee, "fp16"};
  return f;
}
const FpLayout& bf16_layout() {
  static const FpLayout f{8, 7, 127, FpLayout::Specials::Ieee, "bf16"};
  return f;
}
const FpLayout& float_accumulator_layout(const std::string& name) {
  if (name == "fp32") return fp32_layout();
  if (name == "fp16") return fp16_layout();
  if (name == "bf16") return bf16_layout();
  throw std::invalid_argument("no floating-point accumulator '" + name +
                              "' (known: fp32, fp16, bf16)");
}

int signed_bits(int64_t lo, int64_t hi) {
  int n = 1;
  while (lo < -(int64_t(1) << (n - 1)) || hi > (int64_t(1) << (n - 1)) - 1)
    ++n;
  return n;
}

UnpackedWidths float_unpacked_widths(const FpLayout& f) {
  return {f.precision(), signed_bits(f.emin() - f.man_bits, f.emax() - f.man_bits)};
}

UnpackedWidths product_widths(UnpackedWidths a, UnpackedWidths b) {
  const int64_t lo = -(int64_t(1) << (a.exp_bits - 1)) - (int64_t(1) << (b.exp_bits - 1));
  const int64_t hi = (int64_t(1) << (a.exp_bits - 1)) + (int64_t(1) << (b.exp_bits - 1)) - 2;
  return {a.sig_bits + b.sig_bits, signed_bits(lo, hi)};
}

Unpacked decode_float(const FpLayout& f, uint64_t code) {
  Unpacked u;
  const int M = f.man_bits;
  u.neg = (code >> (f.bits() - 1)) & 1;
  const uint64_t man = code & ((uint64_t(1) << M) - 1);
  const int E = int((code >> M) & ((uint64_t(1) << f.exp_bits) - 1));
  const int all = (1 << f.exp_bits) - 1;
  if (E == all && f.specials == FpLayout::Specials::Ieee) {
    u.kind = man ? Unpacked::Kind::NaN : Unpacked::Kind::Inf;
    return u;
  }
  if (E == all && f.specials == FpLayout::Specials::NanAllOnes && man == (uint64_t(1) << M) - 1) {
    u.kind = Unpacked::Kind::NaN;
    return u;
  }
  if (E == 0 && man == 0) {
    u.kind = Unpacked::Kind::Zero;
    return u;
  }
  u.kind = Unpacked::Kind::Finite;
  u.sig = (E ? uint64_t(1) << M : 0) | man;
  u.exp = std::max(E, 1) - f.bias - M;
  return u;
}

uint64_t pack_bus(const Unpacked& u, UnpackedWidths w) {
  const int SW = w.sig_bits, EW = w.exp_bits;
  uint64_t sig = 0, exp = 0;
  if (u.kind == Unpacked::Kind::Finite) {
    if (u.sig_hi || (SW < 64 && (u.sig >> SW)))
      throw std::invalid_argument("pack_bus: significand wider than SW");
    if (u.exp < -(int64_t(1) << (EW - 1)) || u.exp > (int64_t(1) << (EW - 1)) - 1)
      throw std::invalid_argument("pack_bus: exponent " + std::to_string(u.exp) +
                                  " outside EW = " + std::to_string(EW));
    sig = u.sig;
    exp = uint64_t(int64_t(u.exp)) & ((uint64_t(1) << EW) - 1);
  }
  const uint64_t flags = uint64_t(u.kind == Unpacked::Kind::NaN) << 3 |
                         uint64_t(u.kind == Unpacked::Kind::Inf) << 2 |
                         uint64_t(u.kind == Unpacked::Kind::Zero) << 1 | uint64_t(u.neg);
  return flags << (SW + EW) | exp << SW | sig;
}

Unpacked unpack_bus(uint64_t bus, UnpackedWidths w) {
  const int SW = w.sig_bits, EW = w.exp_bits;
  Unpacked u;
  const uint64_t flags = bus >> (SW + EW);
  u.neg = flags & 1;
  if (flags & 8)
    u.kind = Unpacked::Kind::NaN;
  else if (flags & 4)
    u.kind = Unpacked::Kind::Inf;
  else if (flags & 2)
    u.kind = Unpacked::Kind::Zero;
  else
    u.kind = Unpacked::Kind::Finite;
  if (u.kind == Unpacked::Kind::Finite) {
    u.sig = SW >= 64 ? bus : bus & ((uint64_t(1) << SW) - 1);
    const uint64_t e = (bus >> SW) & ((uint64_t(1) << EW) - 1);
    u.exp = int(int64_t(e << (64 - EW)) >> (64 - EW));
  }
  return u;
}

uint64_t canonical_nan(const FpLayout& f) {
  return ((uint64_t(1) << f.exp_bits) - 1) << f.man_bits | uint64_t(1) << (f.man_bits - 1);
}

uint64_t inf_code(const FpLayout& f, bool neg) {
  return zero_code(f, neg) | ((uint64_t(1) << f.exp_bits) - 1) << f.man_bits;
}

Unpacked exact_product(const Unpacked& a, const Unpacked& b) {
  using K = Unpacked::Kind;
  Unpacked r;
  r.neg = a.neg != b.neg;
  if (a.kind == K::NaN || b.kind == K::NaN || (a.kind == K::Inf && b.kind == K::Zero) ||
      (a.kind == K::Zero && b.kind == K::Inf)) {
    r.kind = K::NaN;
    r.neg = false; // the canonical NaN
    return r;
  }
  if (a.kind == K::Inf || b.kind == K::Inf) {
    r.kind = K::Inf;
    return r;
  }
  if (a.kind == K::Zero || b.kind == K::Zero) {
    r.kind = K::Zero;
    return r;
  }
  const u128 sa = wide_sig(a), sb = wide_sig(b);
  if (bitlen(sa) + bitlen(sb) > 128)
    throw std::invalid_argument("exact_product: significand product wider than 128 bits");
  r.kind = K::Finite;
  set_wide_sig(r, sa * sb);
  r.exp = a.exp + b.exp;
  return r;
}

uint64_t round_to_float(const FpLayout& f, const Unpacked& x) {
  require_ieee(f);
  switch (x.kind) {
  case Unpacked::Kind::NaN:
    return canonical_nan(f);
  case Unpacked::Kind::Inf:
    return inf_code(f, x.neg);
  case Unpacked::Kind::Zero:
    return zero_code(f, x.neg);
  case Unpacked::Kind::Finite:
    break;
  }
  return round_pack(f, x.neg, wide_sig(x), x.exp);
}

uint64_t fp_accumulate(const FpLayout& f, uint64_t acc, const Unpacked& x) {
  using K = Unpacked::Kind;
  require_ieee(f);
  const Unpacked a = decode_float(f, acc);
  if (a.kind == K::NaN || x.kind == K::NaN) return canonical_nan(f);
  if (a.kind == K::Inf && x.kind == K::Inf)
    return a.neg == x.neg ? inf_code(f, a.neg) : canonical_nan(f);
  if (a.kind == K::Inf) return inf_code(f, a.neg);
  if (x.kind == K::Inf) return inf_code(f, x.neg);
  if (a.kind == K::Zero && x.kind == K::Zero) return zero_code(f, a.neg && x.neg);
  if (x.kind == K::Zero) return acc & ((uint64_t(1) << f.bits()) - 1);
  const u128 xs = wide_sig(x);
  if (a.kind == K::Zero) return round_pack(f, x.neg, xs, x.exp);
  // step 2: normalize both to Wm bits
  const int la = bitlen(a.sig), lx = bitlen(xs);
  if (lx > kWideSigMaxBits)
    throw std::invalid_argument("fp_accumulate: addend significand of " + std::to_string(lx) +
                                " bits (more than " + std::to_string(kWideSigMaxBits) + ")");
  const int Wm = std::max(f.precision(), lx);
  const u128 An = u128(a.sig) << (Wm - la), Xn = xs << (Wm - lx);
  const int64_t ta = int64_t(a.exp) + la - 1, tx = int64_t(x.exp) + lx - 1;
  const bool a_big = ta > tx || (ta == tx && An >= Xn);
  const u128 big = a_big ? An : Xn, small = a_big ? Xn : An;
  const int64_t tb = a_big ? ta : tx, ts = a_big ? tx : ta;
  const bool big_neg = a_big ? a.neg : x.neg;
  // step 3: align with a jammed sticky bit
  const int64_t d = tb - ts;
  const u128 B = big << 3, S0 = small << 3;
  const u128 S = d >= Wm + 3 ? u128(S0 != 0) : (S0 >> d) | u128((S0 & mask128(d)) != 0);
  // step 4
  const u128 sum = a.neg != x.neg ? B - S : B + S;
  if (sum == 0) return zero_code(f, false);
  return round_pack(f, big_neg, sum, tb - Wm - 2);
}

FixedAccSpec fixed_acc_spec(int lsb_min, int top_max, int guard_bits) {
  if (top_max <= lsb_min || guard_bits < 0)
    throw std::invalid_argument("fixed accumulator: empty range");
  const int64_t width = int64_t(top_max) - lsb_min + 1 + guard_bits;
  if (width > kFixedMaxWidth)
    throw std::invalid_argument("the exact sum would need " + std::to_string(width) +
                                " bits (more than " + std::to_string(kFixedMaxWidth) + ")");
  return {lsb_min, int(width)};
}

void product_range(const FpLayout& a, const FpLayout& b, int& lsb_min, int& top_max) {
  lsb_min = (a.emin() - a.man_bits) + (b.emin() - b.man_bits);
  top_max = (a.emax() + 1) + (b.emax() + 1);
}

FixedAcc fixed_accumulate(const FixedAccSpec& s, const FixedAcc& acc, const Unpacked& x) {
  FixedAcc r = acc;
  switch (x.kind) {
  case Unpacked::Kind::NaN:
    r.nan = true;
    return r;
  case Unpacked::Kind::Inf:
    (x.neg ? r.neg_inf : r.pos_inf) = true;
    return r;
  case Unpacked::Kind::Zero:
    return r;
  case Unpacked::Kind::Finite:
    break;
  }
  if (x.exp < s.lsb_exp)
    throw std::invalid_argument("fixed accumulator: addend LSB 2^" + std::to_string(x.exp) +
                                " below the accumulator LSB 2^" + std::to_string(s.lsb_exp));
  const int64_t sh = int64_t(x.exp) - s.lsb_exp;
  const u128 mag = sh >= 128 ? 0 : wide_sig(x) << sh;
  u128 v = u128(acc.value) + (x.neg ? ~mag + 1 : mag);
  if (s.width < 128) {
    v &= mask128(s.width);
    if ((v >> (s.width - 1)) & 1) v |= ~mask128(s.width); // sign-extend
  }
  r.value = static_cast<__int128>(v);
  return r;
}

uint64_t fixed_to_float(const FpLayout& f, const FixedAccSpec& s, const FixedAcc& acc) {
  require_ieee(f);
  if (acc.nan || (acc.pos_inf && acc.neg_inf)) return canonical_nan(f);
  if (acc.pos_inf || acc.neg_inf) return inf_code(f, acc.neg_inf);
  if (acc.value == 0) return zero_code(f, false);
  const bool neg = acc.value < 0;
  const u128 mag = neg ? ~u128(acc.value) + 1 : u128(acc.value);
  return round_pack(f, neg, mag, s.lsb_exp);
}

Unpacked fixed_to_unpacked(const FixedAccSpec& s, const FixedAcc& acc) {
  Unpacked u;
  if (acc.nan || (acc.pos_inf && acc.neg_inf)) {
    u.kind = Unpacked::Kind::NaN;
    return u;
  }
  if (acc.pos_inf || acc.neg_inf) {
    u.kind = Unpacked::Kind::Inf;
    u.neg = acc.neg_inf;
    return u;
  }
  if (acc.value == 0) return u; // +0
  u.neg = acc.value < 0;
  const u128 mag = u.neg ? ~u128(acc.value) + 1 : u128(acc.value);
  u.kind = Unpacked::Kind::Finite;
  set_wide_sig(u, mag);
  u.exp = s.lsb_exp;
  return u;
}

UnpackedWidths fixed_unpacked_widths(const FixedAccSpec& s) {
  return {s.width, signed_bits(s.lsb_exp, s.lsb_exp)};
}

uint64_t fixed_state_bus(const FixedAccSpec& s, const FixedAcc& acc) {
  if (s.width > 61) throw std::invalid_argument("fixed_state_bus: width above 61");
  return uint64_t(acc.nan) << (s.width + 2) | uint64_t(acc.pos_inf) << (s.width + 1) |
         uint64_t(acc.neg_inf) << s.width | (uint64_t(acc.value) & ((uint64_t(1) << s.width) - 1));
}

} // namespace tpe
