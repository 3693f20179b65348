// The number-format library's generic decode and encode (pe_models/number_format.h).
// Floats: value = (-1)^S * 2^(E - bias) * (1 + M / 2^m), subnormal (E = 0)
// 2^(1 - bias) * M / 2^m (ARITHMETIC.md section 1). Encode scales |x| by the quantum
// of its binade (clamped at the subnormal binade), rounds to an integer with the
// chosen tie rule, then tests overflow against the largest finite value, which is
// "round, then test overflow" of ml_dtypes (E4M3: 464 -> 448, 465 -> NaN). All
// scaling is by powers of two, so every step is exact in binary64 until the one
// rounding. HiF8 (en_dtypes hifloat.h): the mantissa width follows |E| (3 bits for
// |E| <= 3, 2 for 4..7, 1 for 8..15), denormals 2^(M-23), so the grid below 2^-15
// is the powers of two down to 2^-22 and then 0.
#include "pe_models/number_format.h"
#include <cmath>
#include <limits>
#include <stdexcept>

namespace tpe {

namespace {

uint32_t mask(int w) {
  return w >= 32 ? ~uint32_t(0) : (uint32_t(1) << w) - 1;
}

Unpacked finite(bool neg, uint64_t sig, int exp) {
  Unpacked u;
  if (sig == 0) {
    u.kind = Unpacked::Kind::Zero;
    u.neg = neg;
    return u;
  }
  u.kind = Unpacked::Kind::Finite;
  u.neg = neg;
  u.sig = sig;
  u.exp = exp;
  return u;
}
Unpacked special(Unpacked::Kind k, bool neg) {
  Unpacked u;
  u.kind = k;
  u.neg = neg;
  return u;
}

// ---- Float (IEEE-style layout)

int float_emin(const FloatLayout& fl) { // exponent of the lowest binade with the full quantum
  return (fl.subnormals ? 1 : 0) - fl.bias;
}
uint32_t float_sign_bit(const FloatLayout& fl) {
  return fl.sign ? uint32_t(1) << (fl.exp_bits + fl.man_bits) : 0;
}

Unpacked float_decode(const FloatLayout& fl, uint32_t code) {
  const int M = fl.man_bits;
  const bool neg = fl.sign && ((code >> (fl.exp_bits + M)) & 1);
  const uint32_t e = (code >> M) & mask(fl.exp_bits), m = code & mask(M);
  const uint32_t emax = mask(fl.exp_bits);
  if (fl.specials == FloatSpecials::IEEE && e == emax)
    return special(m == 0 ? Unpacked::Kind::Inf : Unpacked::Kind::NaN, neg);
  if (fl.specials == FloatSpecials::NaNOnly && e == emax && m == mask(M))
    return special(Unpacked::Kind::NaN, neg);
  if (e == 0 && fl.subnormals) return finite(neg, m, 1 - fl.bias - M);
  return finite(neg, (uint64_t(1) << M) | m, int(e) - fl.bias - M);
}

uint32_t float_max_code(const FloatLayout& fl) {
  const uint32_t emax = mask(fl.exp_bits), mm = mask(fl.man_bits);
  switch (fl.specials) {
  case FloatSpecials::IEEE:
    return ((emax - 1) << fl.man_bits) | mm;
  case FloatSpecials::NaNOnly:
    return fl.man_bits == 0 ? (emax - 1) : ((emax << fl.man_bits) | (mm - 1));
  case FloatSpecials::None:
    break;
  }
  return (emax << fl.man_bits) | mm;
}

uint32_t float_nan_code(const FloatLayout& fl, bool neg) {
  const uint32_t s = neg ? float_sign_bit(fl) : 0;
  const uint32_t emax = mask(fl.exp_bits);
  if (fl.specials == FloatSpecials::IEEE)
    return s | (emax << fl.man_bits) | (uint32_t(1) << (fl.man_bits - 1));
  return s | (emax << fl.man_bits) | mask(fl.man_bits); // NaNOnly
}

uint32_t float_encode(const NumberFormat& f, double x, Rounding r, Overflow o) {
  const FloatLayout& fl = f.fl;
  const int M = fl.man_bits;
  const bool neg = fl.sign && std::signbit(x);
  const uint32_t s = neg ? float_sign_bit(fl) : 0;
  const uint32_t max_code = float_max_code(fl);
  auto overflow = [&]() -> uint32_t {
    if (o == Overflow::Saturate || fl.specials == FloatSpecials::None) return s | max_code;
    if (fl.specials == FloatSpecials::IEEE) return s | (mask(fl.exp_bits) << M);
    return float_nan_code(fl, neg);
  };
  if (std::isnan(x)) return fl.specials == FloatSpecials::None ? 0 : float_nan_code(fl, neg);
  if (!fl.sign && x <= 0) return float_nan_code(fl, false); // E8M0: no zero, no sign
  if (std::isinf(x)) return overflow();
  const double a = std::fabs(x);
  if (a == 0) return s;
  const int e = std::max(std::ilogb(a), float_emin(fl));
  int q = e - M; // quantum of a's binade
  double n = round_integer(std::ldexp(a, -q), r);
  if (n >= std::ldexp(1.0, M + 1)) { // rounded up into the next binade
    n /= 2;
    ++q;
  }
  if (n == 0) return fl.subnormals ? s : 0; // E8M0: below 2^-127 -> 2^-127
  if (std::ldexp(n, q) > f.max_finite()) return overflow();
  const uint64_t ni = uint64_t(n);
  if (ni < (uint64_t(1) << M)) return s | uint32_t(ni); // subnormal: exponent field 0
  const uint32_t field = uint32_t(q + M + fl.bias);
  return s | (field << M) | (uint32_t(ni) & mask(M));
}

// ---- Integer

Unpacked int_decode(const NumberFormat& f, uint32_t code) {
  int64_t c = code & mask(f.bits);
  if (c >> (f.bits - 1)) c -= int64_t(1) << f.bits;
  return finite(c < 0, uint64_t(c < 0 ? -c : c), f.int_exp);
}

uint32_t int_encode(const NumberFormat& f, double x, Rounding r) {
  if (std::isnan(x)) return 0;
  const int64_t hi = (int64_t(1) << (f.bits - 1)) - 1;
  const int64_t lo = f.int_symmetric ? -hi : -hi - 1;
  const double v = std::ldexp(x, -f.int_exp);
  int64_t c;
  if (v >= double(hi))
    c = hi;
  else if (v <= double(lo))
    c = lo;
  else {
    const double m = round_integer(std::fabs(v), r);
    c = v < 0 ? -int64_t(m) : int64_t(m);
    c = std::min(hi, std::max(lo, c));
  }
  return uint32_t(c) & mask(f.bits);
}

// ---- HiF8

int hif8_man_bits(int abs_e) {
  return abs_e <= 3 ? 3 : abs_e <= 7 ? 2 : 1;
}

Unpacked hif8_decode(uint32_t code) {
  code &= 0xff;
  if (code == 0) return special(Unpacked::Kind::Zero, false);
  if (code == 0x80) return special(Unpacked::Kind::NaN, false);
  const bool neg = code >> 7;
  const uint32_t a = code & 0x7f;
  if (a == 0x6f) return special(Unpacked::Kind::Inf, neg);
  int es = 0, mag = 0, mb = 3;
  uint32_t man = a & 7;
  if ((a & 0x60) == 0x60) {
    es = (a >> 4) & 1, mag = 8 | ((a >> 1) & 7), mb = 1, man = a & 1;
  } else if ((a & 0x60) == 0x40) {
    es = (a >> 4) & 1, mag = 4 | ((a >> 2) & 3), mb = 2, man = a & 3;
  } else if ((a & 0x60) == 0x20) {
    es = (a >> 4) & 1, mag = 2 | ((a >> 3) & 1);
  } else if (a & 0x10) {
    es = (a >> 3) & 1, mag = 1;
  } else if (a & 0x08) {
    mag = 0;
  } else {
    return finite(neg, 1, int(a & 7) - 23); // denormal 2^(M-23)
  }
  const int e = es ? -mag : mag;
  return finite(neg, (uint64_t(1) << mb) | man, e - mb);
}

// The code of a representable positive HiF8 value v (2^-22 <= v <= 32768).
uint32_t hif8_code_of(double v) {
  const int e = std::ilogb(v);
  if (e < -15) return uint32_t(e + 23); // denormal, v = 2^e
  const int ae = std::abs(e), mb = hif8_man_bits(ae);
  const uint32_t man = uint32_t(std::ldexp(v, mb - e)) - (uint32_t(1) << mb);
  const uint32_t es = e < 0 ? 1 : 0;
  if (ae == 0) return 0x08 | man;
  if (ae == 1) return 0x10 | es << 3 | man;
  if (ae <= 3) return 0x20 | es << 4 | uint32_t(ae & 1) << 3 | man;
  if (ae <= 7) return 0x40 | es << 4 | uint32_t(ae & 3) << 2 | man;
  return 0x60 | es << 4 | uint32_t(ae & 7) << 1 | man;
}

uint32_t hif8_encode(double x, Rounding r, Overflow o) {
  if (std::isnan(x)) return 0x80;
  const uint32_t s = std::signbit(x) ? 0x80 : 0;
  const uint32_t over = o == Overflow::Saturate ? 0x6e : 0x6f;
  if (std::isinf(x)) return s | over;
  const double a = std::fabs(x);
  if (a == 0) return 0;
  const int e = std::ilogb(a);
  if (e > 15) return s | over;
  const int mb = e < -15 ? 0 : hif8_man_bits(std::abs(e));
  const int q = std::max(e - mb, -22);
  const double v = std::ldexp(round_integer(std::ldexp(a, -q), r), q);
  if (v == 0) return 0; // no negative zero
  if (v > 32768) return s | over;
  return s | hif8_code_of(v);
}

// ---- Lookup (NF4)

Unpacked lookup_decode(const NumberFormat& f, uint32_t code) {
  const float v = f.table.at(code & mask(f.bits));
  if (v == 0) return special(Unpacked::Kind::Zero, std::signbit(v));
  int e = 0;
  const double m = std::frexp(std::fabs(double(v)), &e); // [0.5, 1)
  return finite(v < 0, uint64_t(std::ldexp(m, 24)), e - 24);
}

// bitsandbytes dQuantizeNF4: the code is the number of midpoints (binary32) that
// x exceeds with `>`, so a tie takes the lower code and NaN takes code 0.
uint32_t lookup_encode(const NumberFormat& f, double x) {
  const float xf = float(x);
  uint32_t c = 0;
  for (size_t i = 0; i + 1 < f.table.size(); ++i) {
    const float mid = float((double(f.table[i]) + double(f.table[i + 1])) / 2);
    if (xf > mid) c = uint32_t(i + 1);
  }
  return c;
}

} // namespace

double round_integer(double v, Rounding r) {
  const double fl = std::floor(v), frac = v - fl; // exact
  if (frac > 0.5) return fl + 1;
  if (frac < 0.5) return fl;
  if (r == Rounding::NearestAway) return fl + 1;
  return std::fmod(fl, 2.0) == 0 ? fl : fl + 1;
}

double unpacked_to_double(const Unpacked& u) {
  const double s = u.neg ? -1.0 : 1.0;
  switch (u.kind) {
  case Unpacked::Kind::Zero:
    return s * 0.0;
  case Unpacked::Kind::Inf:
    return s * std::numeric_limits<double>::infinity();
  case Unpacked::Kind::NaN:
    return std::copysign(std::numeric_limits<double>::quiet_NaN(), s);
  case Unpacked::Kind::Finite:
    break;
  }
  return s * std::ldexp(double(u.sig), u.exp);
}

bool NumberFormat::has_nan() const {
  return kind == FormatKind::Tapered ||
         (kind == FormatKind::Float && fl.specials != FloatSpecials::None);
}
bool NumberFormat::has_inf() const {
  return kind == FormatKind::Tapered ||
         (kind == FormatKind::Float && fl.specials == FloatSpecials::IEEE);
}

Unpacked NumberFormat::decode(uint32_t code) const {
  code &= mask(bits);
  switch (kind) {
  case FormatKind::Integer:
    return int_decode(*this, code);
  case FormatKind::Float:
    return float_decode(fl, code);
  case FormatKind::Tapered:
    return hif8_decode(code);
  case FormatKind::Lookup:
    return lookup_decode(*this, code);
  }
  throw std::logic_error("unknown format kind");
}

double NumberFormat::to_double(uint32_t code) const {
  return unpacked_to_double(decode(code));
}

uint32_t NumberFormat::max_code() const {
  switch (kind) {
  case FormatKind::Integer:
    return mask(bits - 1);
  case FormatKind::Float:
    return float_max_code(fl);
  case FormatKind::Tapered:
    return 0x6e;
  case FormatKind::Lookup:
    return uint32_t(table.size() - 1);
  }
  return 0;
}

double NumberFormat::max_finite() const {
  return to_double(max_code());
}

uint32_t NumberFormat::encode(double x, Rounding r, Overflow o) const {
  switch (kind) {
  case FormatKind::Integer:
    return int_encode(*this, x, r);
  case FormatKind::Float:
    return float_encode(*this, x, r, o);
  case FormatKind::Tapered:
    return hif8_encode(x, r, o);
  case FormatKind::Lookup:
    return lookup_encode(*this, x);
  }
  return 0;
}

NumberFormat NumberFormat::integer(const std::string& name, int bits, const std::string& desc) {
  NumberFormat f;
  f.name = name;
  f.description = desc;
  f.kind = FormatKind::Integer;
  f.bits = bits;
  return f;
}

NumberFormat NumberFormat::floating(const std::string& name, FloatLayout fl, Overflow ov,
                                    const std::string& desc) {
  NumberFormat f;
  f.name = name;
  f.description = desc;
  f.kind = FormatKind::Float;
  f.bits = (fl.sign ? 1 : 0) + fl.exp_bits + fl.man_bits;
  f.fl = fl;
  f.overflow = ov;
  return f;
}

NumberFormat& NumberFormat::finalize() {
  int sb = 1, emin = 0, emax = 0;
  bool any = false;
  for (uint32_t c = 0; c < code_count(); ++c) {
    const Unpacked u = decode(c);
    if (u.kind != Unpacked::Kind::Finite) continue;
    int w = 0;
    while (w < 64 && (u.sig >> w) != 0)
      ++w;
    sb = std::max(sb, w);
    emin = any ? std::min(emin, u.exp) : u.exp;
    emax = any ? std::max(emax, u.exp) : u.exp;
    any = true;
  }
  int ew = 1;
  while (emin < -(1 << (ew - 1)) || emax > (1 << (ew - 1)) - 1)
    ++ew;
  sig_bits_ = sb;
  exp_bits_ = ew;
  return *this;
}

const NumberFormat& lookup_number_format(const std::string& name) {
  const NumberFormat* f = NumberFormatRegistry::instance().find(name);
  if (!f) throw std::logic_error("number format '" + name + "' is not registered");
  return *f;
}

} // namespace tpe
