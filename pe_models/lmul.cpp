// L-Mul emulator (rules and sources in lmul.h). Per finite nonzero operand:
// normalize sig to m + 1 bits (its top bit is the hidden 1), e = exp + bitlen - 1,
// fraction = low m bits, shifted to F bits. Then s = fa + fb + offset; its bits
// above F carry into the exponent (1, or 2 when the offset is several units and
// both fractions are near 1, as the integer add of the codes does), the low F bits
// stay the fraction. Result sig = 2^F + (s mod 2^F), exp = ea + eb + carry - F.
#include "pe_models/lmul.h"
#include <stdexcept>

namespace tpe {

namespace {
int bitlen(uint64_t v) {
  int n = 0;
  while (v) {
    ++n;
    v >>= 1;
  }
  return n;
}
} // namespace

const char* lmul_offset_name(LmulOffset o) {
  switch (o) {
  case LmulOffset::Paper:
    return "paper";
  case LmulOffset::Const4:
    return "const4";
  case LmulOffset::None:
    return "none";
  }
  return "?";
}

LmulOffset lmul_offset_from_name(const std::string& name) {
  for (LmulOffset o : {LmulOffset::Paper, LmulOffset::Const4, LmulOffset::None})
    if (name == lmul_offset_name(o)) return o;
  throw std::invalid_argument("unknown L-Mul offset '" + name + "' (known: paper, const4, none)");
}

int lmul_l(int m) {
  return m <= 3 ? m : (m == 4 ? 3 : 4);
}

int lmul_frac_bits(int m, LmulOffset o) {
  return o == LmulOffset::Const4 && m < 4 ? 4 : m;
}

uint64_t lmul_offset_units(int m, LmulOffset o) {
  const int F = lmul_frac_bits(m, o);
  switch (o) {
  case LmulOffset::Paper:
    return uint64_t(1) << (F - lmul_l(m));
  case LmulOffset::Const4:
    return uint64_t(1) << (F - 4);
  case LmulOffset::None:
    return 0;
  }
  return 0;
}

Unpacked lmul(const Unpacked& a, const Unpacked& b, int m, LmulOffset o) {
  using K = Unpacked::Kind;
  if (m < 1 || m > 23) throw std::invalid_argument("lmul: mantissa bits outside 1..23");
  for (const Unpacked* u : {&a, &b})
    if (u->kind == K::Finite && (u->sig >> (m + 1)))
      throw std::invalid_argument("lmul: operand significand wider than m + 1 bits");
  if (a.kind != K::Finite || b.kind != K::Finite) return exact_product(a, b);
  const int F = lmul_frac_bits(m, o);
  int64_t e = 0;
  uint64_t s = 0;
  for (const Unpacked* u : {&a, &b}) {
    const int n = bitlen(u->sig);
    e += int64_t(u->exp) + n - 1;
    const uint64_t frac = (u->sig << (m + 1 - n)) & ((uint64_t(1) << m) - 1);
    s += frac << (F - m);
  }
  s += lmul_offset_units(m, o);
  e += int64_t(s >> F); // the carry into the exponent field: 0, 1 or 2
  s &= (uint64_t(1) << F) - 1;
  Unpacked r;
  r.kind = K::Finite;
  r.neg = a.neg != b.neg;
  r.sig = (uint64_t(1) << F) | s;
  r.exp = int(e - F);
  return r;
}

UnpackedWidths lmul_widths(UnpackedWidths in, LmulOffset o) {
  const int m = in.sig_bits - 1;
  const int F = lmul_frac_bits(m, o);
  const int64_t lo = -(int64_t(1) << (in.exp_bits - 1)), hi = (int64_t(1) << (in.exp_bits - 1)) - 1;
  return {F + 1, signed_bits(2 * lo - F, 2 * (hi + m) + 2 - F)};
}

} // namespace tpe
