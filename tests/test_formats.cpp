// L0 tests of the number-format library (pe_models/number_format.h): every code of
// every format up to 16 bits decoded against an independent computation (the
// encodings of ARITHMETIC.md section 1 written out here, binary16 via _Float16 and
// bfloat16 via binary32 bit patterns); encode checked against GNU MPFR as the
// reference rounding (MPFR_RNDN with the target precision and exponent range and
// mpfr_subnormalize for ties to even; mpfr_round_nearest_away for ties away) on
// every representable value, every midpoint, their binary64 neighbours and random
// doubles, for each rounding and overflow option; HiF8 against a nearest-value
// search of its 253 finite values; the integers against mpfr_rint / mpfr_round.
#include "pe_models/block_quant.h"
#include "pe_models/formats.h"
#include "pe_models/number_format.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <mpfr.h>
#include <random>
#include <set>

using namespace tpe;

namespace {

const char* const kAll[] = {
    "int2",     "int3",     "int4",  "int5",       "int6",       "int7",       "int8",
    "int9",     "int10",    "int11", "int12",      "int13",      "int14",      "int15",
    "int16",    "fp16",     "bf16",  "fp8_e4m3",   "fp8_e5m2",   "hif8",       "fp6_e3m2",
    "fp6_e2m3", "fp4_e2m1", "e8m0",  "mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e3m2", "mxfp6_e2m3",
    "mxfp4",    "mxint8",   "nvfp4", "nf4"};

// Independent layout of each float format: exponent bits, mantissa bits, bias,
// specials ("ieee": exponent all ones is Inf/NaN; "fn": only S.1..1.1..1 is NaN;
// "": none), written from ARITHMETIC.md section 1, not from the registrations.
struct RefLayout {
  int e, m, bias;
  std::string specials;
  double max;
};
const std::map<std::string, RefLayout> kFloat = {
    {"fp16", {5, 10, 15, "ieee", 65504}},
    {"bf16", {8, 7, 127, "ieee", 3.3895313892515355e38}},
    {"fp8_e4m3", {4, 3, 7, "fn", 448}},
    {"mxfp8_e4m3", {4, 3, 7, "fn", 448}},
    {"fp8_e5m2", {5, 2, 15, "ieee", 57344}},
    {"mxfp8_e5m2", {5, 2, 15, "ieee", 57344}},
    {"fp6_e3m2", {3, 2, 3, "", 28}},
    {"mxfp6_e3m2", {3, 2, 3, "", 28}},
    {"fp6_e2m3", {2, 3, 1, "", 7.5}},
    {"mxfp6_e2m3", {2, 3, 1, "", 7.5}},
    {"fp4_e2m1", {2, 1, 1, "", 6}},
    {"mxfp4", {2, 1, 1, "", 6}},
    {"nvfp4", {2, 1, 1, "", 6}},
};

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// HiF8 from its bit string (ARITHMETIC.md's dot-code table).
double hif8_ref(uint32_t code) {
  if (code == 0x00) return 0;
  if (code == 0x80) return kNaN;
  std::string b;
  for (int i = 6; i >= 0; --i)
    b += ((code >> i) & 1) ? '1' : '0';
  const double s = (code & 0x80) ? -1 : 1;
  if (b == "1101111") return s * kInf;
  auto bits = [](const std::string& t) { return t.empty() ? 0 : std::stoi(t, nullptr, 2); };
  int ebits = 0, mbits = 0;
  size_t dot = 0;
  if (b.rfind("11", 0) == 0)
    dot = 2, ebits = 4, mbits = 1;
  else if (b.rfind("10", 0) == 0)
    dot = 2, ebits = 3, mbits = 2;
  else if (b.rfind("01", 0) == 0)
    dot = 2, ebits = 2, mbits = 3;
  else if (b.rfind("001", 0) == 0)
    dot = 3, ebits = 1, mbits = 3;
  else if (b.rfind("0001", 0) == 0)
    dot = 4, ebits = 0, mbits = 3;
  else
    return s * std::pow(2.0, bits(b.substr(4)) - 23); // denormal
  int e = 0;
  if (ebits > 0) {
    const std::string es = b.substr(dot, ebits);
    const int mag = bits("1" + es.substr(1));
    e = es[0] == '1' ? -mag : mag;
  }
  const int man = bits(b.substr(dot + ebits));
  return s * std::pow(2.0, e) * (1 + man / std::pow(2.0, mbits));
}

// The value of one code computed without the library.
double ref_value(const NumberFormat& f, uint32_t code) {
  const std::string& n = f.name;
  if (n == "hif8") return hif8_ref(code);
  if (n == "e8m0") return code == 0xff ? kNaN : std::pow(2.0, int(code) - 127);
  if (n == "nf4") {
    static const double t[16] = {
        -1,        -0.6961928, -0.5250731, -0.3949175, -0.2844414, -0.1847734, -0.0910500, 0,
        0.0795803, 0.1609302,  0.2461123,  0.3379152,  0.4407098,  0.5626170,  0.7229568,  1};
    return t[code];
  }
  if (n.rfind("int", 0) == 0 || n == "mxint8") {
    const int32_t v = int32_t(code << (32 - f.bits)) >> (32 - f.bits);
    return n == "mxint8" ? v / 64.0 : double(v);
  }
  const RefLayout& L = kFloat.at(n);
  const uint32_t s = code >> (L.e + L.m), e = (code >> L.m) & ((1u << L.e) - 1),
                 m = code & ((1u << L.m) - 1);
  const double sign = s ? -1 : 1;
  const uint32_t eall = (1u << L.e) - 1, mall = (1u << L.m) - 1;
  if (L.specials == "ieee" && e == eall) return m == 0 ? sign * kInf : std::copysign(kNaN, sign);
  if (L.specials == "fn" && e == eall && m == mall) return std::copysign(kNaN, sign);
  if (e == 0) return sign * std::pow(2.0, 1 - L.bias) * (m / std::pow(2.0, L.m));
  return sign * std::pow(2.0, int(e) - L.bias) * (1 + m / std::pow(2.0, L.m));
}

bool same(double a, double b) { // equal values, equal sign of zero, both NaN
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

int bit_width(uint64_t v) {
  int w = 0;
  while (v >> w)
    ++w;
  return w;
}

// Every code's value, for finding the expected code of a value.
struct CodeTable {
  std::map<double, uint32_t> pos, neg; // by value; zero kept by sign
  std::vector<double> finite_pos;      // sorted positive finite values, 0 first
  uint32_t inf_pos = 0, inf_neg = 0, nan_pos = 0, nan_neg = 0;
  bool has_inf = false;
};
CodeTable table_of(const NumberFormat& f) {
  CodeTable t;
  std::set<double> fin;
  for (uint32_t c = 0; c < f.code_count(); ++c) {
    const double v = f.to_double(c);
    if (std::isnan(v)) {
      (std::signbit(v) ? t.nan_neg : t.nan_pos) = c;
    } else if (std::isinf(v)) {
      t.has_inf = true;
      (v < 0 ? t.inf_neg : t.inf_pos) = c;
    } else {
      (std::signbit(v) ? t.neg : t.pos).emplace(std::fabs(v), c);
      if (!std::signbit(v)) fin.insert(v);
    }
  }
  t.finite_pos.assign(fin.begin(), fin.end());
  return t;
}

// The probe points of a format: every finite value, every midpoint, their binary64
// neighbours, points around and beyond the largest value, tiny values; both signs;
// then `random` random doubles over the format's exponent range and beyond.
std::vector<double> probes(const std::vector<double>& fin, int random, uint64_t seed) {
  std::vector<double> p;
  auto add3 = [&](double v) {
    p.push_back(v);
    p.push_back(std::nextafter(v, 0.0));
    p.push_back(std::nextafter(v, kInf));
  };
  for (size_t i = 0; i < fin.size(); ++i) {
    add3(fin[i]);
    if (i + 1 < fin.size()) add3((fin[i] + fin[i + 1]) / 2);
  }
  const double mx = fin.back(), step = fin.back() - fin[fin.size() - 2];
  for (double v : {mx + step / 2, mx + step, mx * 2, mx * 1e6, 1e300, kInf})
    add3(v);
  const double tiny = fin[1];
  for (double v : {tiny / 2, tiny / 4, 4.9e-324, 1e-300})
    add3(v);
  std::mt19937_64 rng(seed);
  const int lo = std::ilogb(tiny) - 3, hi = std::ilogb(mx) + 3;
  for (int i = 0; i < random; ++i) {
    const double m = 1 + double(rng() >> 11) / 9007199254740992.0;
    p.push_back(std::ldexp(m, lo + int(rng() % uint64_t(hi - lo + 1))));
  }
  const size_t n = p.size();
  for (size_t i = 0; i < n; ++i)
    p.push_back(-p[i]);
  return p;
}

// MPFR's rounding of x to the format (precision m + 1, exponent range of the
// format, subnormals emulated), without overflow: a result above the largest
// binade comes back as the rounded value beyond it (the caller tests overflow).
double mpfr_round_to(double x, const RefLayout& L, Rounding r) {
  const int M = L.m;
  const int emin_norm = 1 - L.bias;      // exponent of the smallest normal
  const int min_sub_exp = emin_norm - M; // 2^min_sub_exp = smallest subnormal
  double out = 0;
  if (r == Rounding::NearestEven) {
    const mpfr_exp_t old_min = mpfr_get_emin(), old_max = mpfr_get_emax();
    mpfr_set_emin(min_sub_exp + 1); // MPFR: x = 0.1b... * 2^e, smallest 2^(emin-1)
    mpfr_set_emax(4096);
    mpfr_t m;
    mpfr_init2(m, M + 1);
    int t = mpfr_set_d(m, x, MPFR_RNDN);
    t = mpfr_check_range(m, t, MPFR_RNDN);
    mpfr_subnormalize(m, t, MPFR_RNDN);
    out = mpfr_get_d(m, MPFR_RNDN);
    mpfr_clear(m);
    mpfr_set_emin(old_min);
    mpfr_set_emax(old_max);
    return out;
  }
  // ties away: MPFR rounds at the precision the value has in the format (fewer
  // bits below the smallest normal); below the smallest subnormal the candidates
  // are 0 and 2^min_sub_exp, and half of it goes up.
  const double a = std::fabs(x);
  if (a == 0 || std::isinf(a)) return x;
  const int p = std::min(M + 1, std::ilogb(a) - min_sub_exp + 1);
  if (p <= 0) {
    const double ms = std::ldexp(1.0, min_sub_exp);
    return std::copysign(a >= ms / 2 ? ms : 0.0, x);
  }
  mpfr_t m;
  mpfr_init2(m, p);
  mpfr_round_nearest_away(mpfr_set_d, m, x);
  out = mpfr_get_d(m, MPFR_RNDN);
  mpfr_clear(m);
  return out;
}

} // namespace

TEST_CASE("every format of issue 13 is registered with its layout") {
  for (const char* n : kAll) {
    INFO(n);
    REQUIRE(NumberFormatRegistry::instance().find(n) != nullptr);
  }
  CHECK(NumberFormatRegistry::instance().names().size() == std::size(kAll));
  const auto& mx = lookup_number_format("mxfp8_e4m3");
  CHECK(mx.block.size == 32);
  CHECK(mx.block.scale_format == "e8m0");
  CHECK(lookup_number_format("mxint8").block.size == 32);
  CHECK(lookup_number_format("nvfp4").block.size == 16);
  CHECK(lookup_number_format("nvfp4").block.scale_format == "fp8_e4m3");
  CHECK(lookup_number_format("nvfp4").block.tensor_scale);
  CHECK(lookup_number_format("nf4").block.size == 64);
  CHECK(!lookup_number_format("fp8_e4m3").is_block());
  CHECK(lookup_number_format("hif8").kind == FormatKind::Tapered);
  CHECK(lookup_number_format("nf4").kind == FormatKind::Lookup);
  // bus widths: fp16 11-bit significand, exponents -24..5 (6 bits); bf16 -133..120
  CHECK(lookup_number_format("fp16").unpacked_sig_bits() == 11);
  CHECK(lookup_number_format("fp16").unpacked_exp_bits() == 6);
  CHECK(lookup_number_format("bf16").unpacked_sig_bits() == 8);
  CHECK(lookup_number_format("bf16").unpacked_exp_bits() == 9);
  CHECK(lookup_number_format("int8").unpacked_sig_bits() == 8); // |-128|
  CHECK(lookup_number_format("fp8_e4m3").unpacked_sig_bits() == 4);
  CHECK(lookup_number_format("fp8_e4m3").unpacked_exp_bits() == 5); // -9..5
  // the engines' formats are unchanged and forward to the library
  for (const char* n : {"int4", "int8", "int16"}) {
    const FormatInfo& fi = lookup_format(n);
    CHECK(fi.is_integer);
    CHECK(fi.unpacked_sig_bits() == fi.bits);
    CHECK(fi.number_format().bits == fi.bits);
  }
  CHECK(lookup_format("int8").min_value() == -128);
  CHECK(lookup_format("int8").max_value() == 127);
}

TEST_CASE("exhaustive decode of every code of every format up to 16 bits") {
  for (const char* n : kAll) {
    const NumberFormat& f = lookup_number_format(n);
    INFO(n);
    REQUIRE(f.bits <= 16);
    std::set<double> finite;
    int mismatches = 0;
    for (uint32_t c = 0; c < f.code_count(); ++c) {
      const Unpacked u = f.decode(c);
      const double v = f.to_double(c), r = ref_value(f, c);
      if (!same(v, r) && (f.name != "nf4" || std::fabs(v - r) > 5e-8)) {
        if (++mismatches < 5) FAIL_CHECK("code " << c << ": " << v << " expected " << r);
      }
      CHECK(same(unpacked_to_double(u), v));
      if (u.kind == Unpacked::Kind::Finite) {
        CHECK(u.sig > 0);
        CHECK(bit_width(u.sig) <= f.unpacked_sig_bits());
        CHECK(u.exp >= -(1 << (f.unpacked_exp_bits() - 1)));
        CHECK(u.exp < (1 << (f.unpacked_exp_bits() - 1)));
      } else {
        CHECK(u.sig == 0);
        CHECK(u.exp == 0);
      }
      if (std::isfinite(v)) finite.insert(v == 0 ? 0.0 : v);
    }
    CHECK(mismatches == 0);
    if (kFloat.count(n)) CHECK(f.max_finite() == kFloat.at(n).max);
    if (std::string(n) == "hif8") {
      CHECK(finite.size() == 253);
      CHECK(f.max_finite() == 32768);
      CHECK(*finite.upper_bound(0.0) == std::ldexp(1.0, -22));
    }
  }
#ifdef __FLT16_MAX__
  const NumberFormat& h = lookup_number_format("fp16");
  for (uint32_t c = 0; c < 65536; ++c) {
    _Float16 x;
    const uint16_t b = uint16_t(c);
    std::memcpy(&x, &b, 2);
    REQUIRE(same(h.to_double(c), double(x)));
  }
#endif
  const NumberFormat& bf = lookup_number_format("bf16");
  for (uint32_t c = 0; c < 65536; ++c) {
    const uint32_t b = c << 16;
    float x;
    std::memcpy(&x, &b, 4);
    REQUIRE(same(bf.to_double(c), double(x)));
  }
}

TEST_CASE("float encode rounds like MPFR for each rounding and overflow option") {
  const Rounding rs[] = {Rounding::NearestEven, Rounding::NearestAway};
  const Overflow os[] = {Overflow::Special, Overflow::Saturate};
  for (const auto& [name, L] : kFloat) {
    const NumberFormat& f = lookup_number_format(name);
    const CodeTable t = table_of(f);
    const std::vector<double> pts = probes(t.finite_pos, 20000, 7);
    const double mx = t.finite_pos.back();
    for (Rounding r : rs)
      for (Overflow o : os) {
        INFO(name << (r == Rounding::NearestEven ? " RNE" : " ties-away")
                  << (o == Overflow::Saturate ? " saturating" : " non-saturating"));
        int bad = 0;
        for (double x : pts) {
          const double ref = mpfr_round_to(x, L, r);
          uint32_t want;
          if (std::fabs(ref) > mx) { // overflow
            const bool neg = x < 0;
            if (o == Overflow::Saturate || L.specials.empty())
              want = (neg ? t.neg : t.pos).at(mx);
            else if (L.specials == "ieee")
              want = neg ? t.inf_neg : t.inf_pos;
            else
              want = neg ? t.nan_neg : t.nan_pos;
          } else {
            want = (std::signbit(ref) ? t.neg : t.pos).at(std::fabs(ref));
          }
          const uint32_t got = f.encode(x, r, o);
          if (got != want && ++bad <= 5)
            FAIL_CHECK(std::hexfloat << x << std::defaultfloat << ": code 0x" << std::hex << got
                                     << ", MPFR says 0x" << want);
        }
        CHECK(bad == 0);
      }
    // NaN: the format's NaN, or +0 where it has none
    const uint32_t nan_code = f.encode(kNaN);
    if (L.specials.empty())
      CHECK(nan_code == 0);
    else
      CHECK(std::isnan(f.to_double(nan_code)));
  }
}

TEST_CASE("integer encode rounds like MPFR and saturates") {
  for (const char* n : kAll) {
    const NumberFormat& f = lookup_number_format(n);
    if (f.kind != FormatKind::Integer) continue;
    INFO(n);
    std::vector<double> fin;
    for (int64_t v = 0; v <= (int64_t(1) << (f.bits - 1)); ++v)
      fin.push_back(std::ldexp(double(v), f.int_exp));
    const std::vector<double> pts = probes(fin, 5000, 11);
    const int64_t hi = (int64_t(1) << (f.bits - 1)) - 1, lo = f.int_symmetric ? -hi : -hi - 1;
    for (Rounding r : {Rounding::NearestEven, Rounding::NearestAway}) {
      int bad = 0;
      for (double x : pts) {
        if (std::isinf(x)) continue;
        mpfr_t m;
        mpfr_init2(m, 64);
        mpfr_set_d(m, x, MPFR_RNDN);
        mpfr_mul_2si(m, m, -f.int_exp, MPFR_RNDN);
        if (r == Rounding::NearestEven)
          mpfr_rint(m, m, MPFR_RNDN);
        else
          mpfr_round(m, m);
        const double v = mpfr_get_d(m, MPFR_RNDN);
        mpfr_clear(m);
        const int64_t c = int64_t(std::min(double(hi), std::max(double(lo), v)));
        const uint32_t want = uint32_t(c) & ((1u << f.bits) - 1);
        if (f.encode(x, r, Overflow::Saturate) != want && ++bad <= 5)
          FAIL_CHECK(x << " -> " << f.encode(x, r, Overflow::Saturate) << ", want " << want);
      }
      CHECK(bad == 0);
    }
    CHECK(f.encode(kInf) == uint32_t(hi));
    CHECK(f.encode(-kInf) == (uint32_t(lo) & ((1u << f.bits) - 1)));
    CHECK(f.encode(kNaN) == 0);
  }
  // int4/int8/int16 as the engines use them: -8..7, -128..127, -32768..32767
  CHECK(lookup_number_format("int8").encode(-128.4) == 0x80);
  CHECK(lookup_number_format("int8").encode(2.5) == 2);
  CHECK(lookup_number_format("int8").encode(2.5, Rounding::NearestAway, Overflow::Saturate) == 3);
  CHECK(lookup_number_format("int4").encode(100) == 7);
  CHECK(lookup_number_format("int16").encode(-1e9) == 0x8000);
}

TEST_CASE("HiF8 encode is the nearest of its values, ties away from zero") {
  const NumberFormat& f = lookup_number_format("hif8");
  const CodeTable t = table_of(f);
  REQUIRE(t.finite_pos.size() == 127); // 0 and 126 positive values
  std::vector<double> grid = t.finite_pos;
  grid.push_back(49152); // where Inf sits for rounding (1.5 * 2^15)
  const std::vector<double> pts = probes(t.finite_pos, 20000, 13);
  for (Overflow o : {Overflow::Special, Overflow::Saturate}) {
    int bad = 0;
    for (double x : pts) {
      const double a = std::fabs(x);
      double best = grid[0];
      for (double g : grid)
        if (std::fabs(g - a) < std::fabs(best - a) ||
            (std::fabs(g - a) == std::fabs(best - a) && g > best))
          best = g;
      uint32_t want;
      if (best > 32768)
        want = (x < 0 ? 0x80 : 0) | (o == Overflow::Saturate ? 0x6e : 0x6f);
      else if (best == 0)
        want = 0;
      else
        want = (x < 0 ? t.neg : t.pos).at(best);
      const uint32_t got = f.encode(x, Rounding::NearestAway, o);
      if (got != want && ++bad <= 5)
        FAIL_CHECK(std::hexfloat << x << ": 0x" << std::hex << got << " want 0x" << want);
    }
    CHECK(bad == 0);
  }
}

TEST_CASE("worked examples of ARITHMETIC.md: FP8 and HiF8") {
  const NumberFormat& e4 = lookup_number_format("fp8_e4m3");
  const NumberFormat& e5 = lookup_number_format("fp8_e5m2");
  CHECK(e4.to_double(e4.encode(464)) == 448);      // RNE to 448, no overflow
  CHECK(std::isnan(e4.to_double(e4.encode(465)))); // rounds to 480: NaN
  CHECK(e4.encode(465) == 0x7f);
  CHECK(e4.encode(-465) == 0xff); // NaN keeps its sign
  CHECK(e4.to_double(e4.encode(465, Rounding::NearestEven, Overflow::Saturate)) == 448);
  CHECK(e4.to_double(e4.encode(-kInf, Rounding::NearestEven, Overflow::Saturate)) == -448);
  CHECK(std::isinf(e5.to_double(e5.encode(61440))));
  CHECK(e5.to_double(e5.encode(61439)) == 57344);
  CHECK(e5.to_double(e5.encode(61440, Rounding::NearestEven, Overflow::Saturate)) == 57344);
  // microxcaling: 400 -> 416 ties away, 384 to even
  CHECK(e4.to_double(e4.encode(400, Rounding::NearestAway, Overflow::Saturate)) == 416);
  CHECK(e4.to_double(e4.encode(400, Rounding::NearestEven, Overflow::Saturate)) == 384);
  CHECK(e4.encode(-0.0) == 0x80);
  CHECK(e4.to_double(1) == std::ldexp(1.0, -9));

  const NumberFormat& h = lookup_number_format("hif8");
  CHECK(h.encode(40960) == 0x6f);
  CHECK(h.encode(-40960) == 0xef);
  CHECK(h.encode(std::nextafter(40960.0, 0.0)) == 0x6e);
  CHECK(h.to_double(0x6e) == 32768);
  CHECK(h.encode(40960, Rounding::NearestAway, Overflow::Saturate) == 0x6e);
  CHECK(h.encode(1e9) == 0x6f);
  CHECK(std::isinf(h.to_double(0x6f)));
  CHECK(h.to_double(0xef) == -kInf);
  CHECK(std::isnan(h.to_double(0x80)));
  CHECK(h.encode(kNaN) == 0x80);
  CHECK(h.encode(-0.0) == 0x00);
  CHECK(h.to_double(h.encode(std::ldexp(1.0, -23))) == std::ldexp(1.0, -22));
  CHECK(h.to_double(h.encode(std::ldexp(1.7, -23))) == std::ldexp(1.0, -22));
  CHECK(h.to_double(h.encode(-std::ldexp(1.0, -23))) == -std::ldexp(1.0, -22));
  CHECK(h.encode(std::nextafter(std::ldexp(1.0, -23), 0.0)) == 0x00);
  CHECK(h.to_double(0x01) == std::ldexp(1.0, -22));
  CHECK(h.to_double(0x7e) == std::ldexp(1.0, -15)); // 0b0'11'1111'0: min normal
  CHECK(h.to_double(0x08) == 1.0);
  CHECK(h.to_double(h.encode(1.0625)) == 1.125); // 3 mantissa bits: tie away
  CHECK(h.to_double(h.encode(1.0625, Rounding::NearestEven, Overflow::Special)) == 1.0);
}

TEST_CASE("the E8M0 scale: powers of two, no zero, no sign, 0xFF NaN") {
  const NumberFormat& f = lookup_number_format("e8m0");
  CHECK(f.bits == 8);
  CHECK(f.encode(1.0) == 127);
  CHECK(f.encode(std::ldexp(1.0, 127)) == 254);
  CHECK(f.encode(std::ldexp(1.0, -127)) == 0);
  CHECK(f.encode(std::ldexp(1.0, -130)) == 0); // below 2^-127: the smallest scale
  CHECK(f.encode(1.4) == 127);
  CHECK(f.encode(1.5) == 128); // a tie between 2^0 and 2^1: to the even count, 2
  CHECK(f.encode(std::ldexp(1.0, 128)) == 0xff);
  CHECK(f.encode(std::ldexp(1.0, 128), Rounding::NearestEven, Overflow::Saturate) == 0xfe);
  CHECK(f.encode(0.0) == 0xff);  // no zero
  CHECK(f.encode(-1.0) == 0xff); // no sign
  CHECK(f.encode(kNaN) == 0xff);
  CHECK(f.to_double(0) == std::ldexp(1.0, -127));
  CHECK(f.to_double(254) == std::ldexp(1.0, 127));
  CHECK(std::isnan(f.to_double(255)));
  CHECK(f.unpacked_sig_bits() == 1);
  CHECK(f.unpacked_exp_bits() == 8);
}

TEST_CASE("MX blocks of random data against MPFR-rounded elements and frexp scales") {
  std::mt19937_64 rng(21);
  std::normal_distribution<double> normal(0, 1);
  for (const char* n : {"mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e3m2", "mxfp6_e2m3", "mxfp4"}) {
    const NumberFormat& f = lookup_number_format(n);
    const RefLayout& L = kFloat.at(n);
    const int emax_elem = std::ilogb(L.max); // 8, 15, 4, 2, 2 (ARITHMETIC.md)
    for (Rounding r : {Rounding::NearestEven, Rounding::NearestAway}) {
      INFO(n << (r == Rounding::NearestEven ? " RNE" : " ties-away"));
      QuantOptions o;
      o.rounding = r;
      int bad = 0;
      for (int trial = 0; trial < 300; ++trial) {
        const int k = int(rng() % 61) - 30;
        std::vector<double> x(32);
        for (double& v : x) // half with few significant bits, so that ties occur
          v = rng() % 2 ? std::ldexp(normal(rng) * (rng() % 4 == 0 ? 8 : 1), k)
                        : std::ldexp(double(int(rng() % 257) - 128), k - 5);
        const QuantizedMatrix q = quantize_vector(f, x, o);
        double amax = 0;
        for (double v : x)
          amax = std::max(amax, std::fabs(v));
        int e = 0;
        std::frexp(amax, &e); // amax = m 2^e, m in [0.5, 1): floor(log2 amax) = e - 1
        const int X = e - 1 - emax_elem;
        CHECK(q.scales[0] == uint32_t(X + 127));
        for (size_t i = 0; i < x.size(); ++i) {
          double want = mpfr_round_to(std::ldexp(x[i], -X), L, r);
          want = std::ldexp(std::max(-L.max, std::min(L.max, want)), X); // saturate
          if (!same(q.values[i], want) && !(want == 0 && q.values[i] == 0) && ++bad <= 5)
            FAIL_CHECK(std::hexfloat << x[i] << ": " << q.values[i] << " want " << want);
        }
      }
      CHECK(bad == 0);
    }
  }
}
