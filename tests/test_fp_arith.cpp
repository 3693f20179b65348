// L0 tests of the FP operators' emulators (pe_models/fp_arith.h, pe_models/lmul.h):
// every accumulate step and every conversion checked against GNU MPFR set to the
// target precision and exponent range (mpfr_set_emin/emax, mpfr_check_range,
// mpfr_subnormalize, MPFR_RNDN) on large seeded random sets and on edge sets
// (cancellation, carries, ties, the overflow and subnormal boundaries), also with
// wide addends (65..124-bit significands: exact group and block sums wider than 64
// bits) and 87-bit fp16 group sums; IEEE specials; the exact product; the fixed
// accumulator; L-Mul's worked examples and
// its exhaustive error figures (shared/ARITHMETIC.md section 3). Random tests print
// their seed (TPE_SEED replays another).
#include "core/tensor.h"
#include "pe_models/fp_arith.h"
#include "pe_models/lmul.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>
#include <mpfr.h>

using namespace tpe;
using tpe::test::test_seed;

namespace {

using K = Unpacked::Kind;

const FpLayout kE4M3{4, 3, 7, FpLayout::Specials::NanAllOnes, "e4m3"};
const FpLayout kE5M2{5, 2, 15, FpLayout::Specials::Ieee, "e5m2"};

double value(const Unpacked& u) {
  switch (u.kind) {
  case K::Zero:
    return u.neg ? -0.0 : 0.0;
  case K::Inf:
    return u.neg ? -INFINITY : INFINITY;
  case K::NaN:
    return NAN;
  case K::Finite:
    break;
  }
  return (u.neg ? -1.0 : 1.0) * std::ldexp(double(u.sig), u.exp);
}

Unpacked finite(bool neg, uint64_t sig, int exp) {
  Unpacked u;
  u.kind = sig ? K::Finite : K::Zero;
  u.neg = neg;
  u.sig = sig;
  u.exp = sig ? exp : 0;
  return u;
}

// A finite value with a significand of up to 128 bits (sig_hi filled above 64).
Unpacked wide(bool neg, u128 sig, int exp) {
  Unpacked u = finite(neg, 1, exp);
  set_wide_sig(u, sig);
  return u;
}

// The code of an MPFR number already rounded to f's precision and range.
uint64_t code_of(const FpLayout& f, mpfr_t r) {
  if (mpfr_nan_p(r)) return canonical_nan(f);
  const bool neg = mpfr_signbit(r);
  if (mpfr_inf_p(r)) return inf_code(f, neg);
  const uint64_t sign = uint64_t(neg) << (f.bits() - 1);
  if (mpfr_zero_p(r)) return sign;
  const double v = std::fabs(mpfr_get_d(r, MPFR_RNDN)); // exact: p <= 24
  const int e = std::ilogb(v);
  const int M = f.man_bits;
  if (e >= f.emin()) {
    const uint64_t man = uint64_t(std::ldexp(v, M - e)) - (uint64_t(1) << M);
    return sign | uint64_t(e + f.bias) << M | man;
  }
  return sign | uint64_t(std::ldexp(v, M - f.emin()));
}

// Round the exact MPFR value x (full exponent range) to f as IEEE RNE would.
uint64_t ref_round(const FpLayout& f, mpfr_t x) {
  const mpfr_exp_t emin0 = mpfr_get_emin(), emax0 = mpfr_get_emax();
  mpfr_t r;
  mpfr_init2(r, f.precision());
  int t = mpfr_set(r, x, MPFR_RNDN);
  mpfr_set_emin(f.emin() - f.man_bits + 1); // MPFR's significand is in [1/2, 1)
  mpfr_set_emax(f.emax() + 1);
  t = mpfr_check_range(r, t, MPFR_RNDN);
  mpfr_subnormalize(r, t, MPFR_RNDN);
  mpfr_set_emin(emin0);
  mpfr_set_emax(emax0);
  const uint64_t c = code_of(f, r);
  mpfr_clear(r);
  return c;
}

void set_unpacked(mpfr_t m, const Unpacked& u) {
  switch (u.kind) {
  case K::NaN:
    mpfr_set_nan(m);
    return;
  case K::Inf:
    mpfr_set_inf(m, u.neg ? -1 : 1);
    return;
  case K::Zero:
    mpfr_set_zero(m, u.neg ? -1 : 1);
    return;
  case K::Finite:
    break;
  }
  mpfr_set_ui_2exp(m, static_cast<unsigned long>(u.sig), u.exp, MPFR_RNDN); // exact
  if (u.sig_hi) { // a wide significand: m's precision (>= 128 here) holds it exactly
    mpfr_t hi;
    mpfr_init2(hi, 64);
    mpfr_set_ui_2exp(hi, static_cast<unsigned long>(u.sig_hi), u.exp + 64, MPFR_RNDN);
    mpfr_add(m, m, hi, MPFR_RNDN);
    mpfr_clear(hi);
  }
  if (u.neg) mpfr_neg(m, m, MPFR_RNDN);
}

struct MpfrInit {
  MpfrInit() {
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
  }
};

// The setup of a seeded MPFR test: its seed (test_seed: printed, TPE_SEED replays
// another), the random stream, MPFR's widest exponent range (MpfrInit) and two
// 4096-bit numbers, `exact` and `t`, cleared when it goes.
struct MpfrSeeded {
  MpfrSeeded(const char* what, uint64_t fallback) : rng(test_seed(what, fallback)) {
    static MpfrInit init;
    mpfr_inits2(4096, exact, t, static_cast<mpfr_ptr>(nullptr));
  }
  ~MpfrSeeded() { mpfr_clears(exact, t, static_cast<mpfr_ptr>(nullptr)); }
  MpfrSeeded(const MpfrSeeded&) = delete;
  MpfrSeeded& operator=(const MpfrSeeded&) = delete;
  Rng rng;
  mpfr_t exact, t;
};

// RNE(acc + x) by MPFR: the exact sum (4096 bits hold every sum here), one rounding.
uint64_t ref_accumulate(const FpLayout& f, uint64_t acc, const Unpacked& x) {
  static MpfrInit init;
  mpfr_t a, b, s;
  mpfr_inits2(4096, a, b, s, static_cast<mpfr_ptr>(nullptr));
  set_unpacked(a, decode_float(f, acc));
  set_unpacked(b, x);
  mpfr_add(s, a, b, MPFR_RNDN); // exact
  const uint64_t c = ref_round(f, s);
  mpfr_clears(a, b, s, static_cast<mpfr_ptr>(nullptr));
  return c;
}

uint64_t ref_convert(const FpLayout& f, const Unpacked& x) {
  static MpfrInit init;
  mpfr_t a;
  mpfr_init2(a, 128);
  set_unpacked(a, x);
  const uint64_t c = ref_round(f, a);
  mpfr_clear(a);
  return c;
}

// 1 when fp_accumulate(f, acc, x) differs from MPFR's RNE(acc + x) (reported if `report`).
int step_differs(const FpLayout& f, uint64_t acc, const Unpacked& x, bool report) {
  const uint64_t got = fp_accumulate(f, acc, x), want = ref_accumulate(f, acc, x);
  if (got == want) return 0;
  if (report)
    UNSCOPED_INFO(std::hex << "acc " << acc << " + " << (x.neg ? "-" : "+") << x.sig_hi << ":"
                           << x.sig << "*2^" << std::dec << x.exp << ": got " << std::hex << got
                           << " want " << want);
  return 1;
}

const FpLayout* kAccs[] = {&fp32_layout(), &fp16_layout(), &bf16_layout()};
const FpLayout kE3M2{3, 2, 3, FpLayout::Specials::None, "e3m2"};
const FpLayout kE2M3{2, 3, 1, FpLayout::Specials::None, "e2m3"};
const FpLayout kE2M1{2, 1, 1, FpLayout::Specials::None, "e2m1"};
const FpLayout* kOperands[] = {&kE4M3,         &kE5M2, &fp16_layout(), &bf16_layout(),
                               &fp32_layout(), &kE3M2, &kE2M3,         &kE2M1};

uint64_t rbits(Rng& rng, int n) {
  return n >= 64 ? rng.engine()() : rng.engine()() & ((uint64_t(1) << n) - 1);
}

// Random accumulator codes: uniform bits, or near an edge (zeros, subnormals, the
// largest finite values, Inf, NaN).
uint64_t random_acc(const FpLayout& f, Rng& rng) {
  const int M = f.man_bits;
  const uint64_t sign = uint64_t(rng.uniform(0, 1)) << (f.bits() - 1);
  const uint64_t all = (uint64_t(1) << f.exp_bits) - 1;
  switch (rng.uniform(0, 7)) {
  case 0:
    return sign | rbits(rng, M); // subnormal
  case 1:
    return sign | uint64_t(rng.uniform(1, 3)) << M | rbits(rng, M); // min normal
  case 2:
    return sign | (all - 1) << M | rbits(rng, M); // top binade
  case 3:
    return sign | uint64_t(rng.uniform(0, 1)) * (all << M); // 0 / Inf
  case 4:
    return sign | all << M | (rbits(rng, M) | 1); // NaN
  default:
    return rbits(rng, f.bits());
  }
}

// Random exact addends: products of random operand codes, or wide significands at
// random exponents near the accumulator's.
Unpacked random_addend(const FpLayout& f, uint64_t acc, Rng& rng) {
  if (rng.uniform(0, 1)) {
    const FpLayout& L = *kOperands[rng.uniform(0, 7)];
    return exact_product(decode_float(L, rbits(rng, L.bits())),
                         decode_float(L, rbits(rng, L.bits())));
  }
  const Unpacked a = decode_float(f, acc);
  const int n = int(rng.uniform(1, 64));
  const uint64_t sig = rbits(rng, n) | uint64_t(1) << (n - 1);
  const int at = a.kind == K::Finite ? a.exp + 64 - __builtin_clzll(a.sig) - 1 : f.emin();
  const int top = at + int(rng.uniform(-f.precision() - 8, 3));
  return finite(rng.uniform(0, 1), sig, top - n + 1);
}

} // namespace

TEST_CASE("exact product: values and IEEE specials") {
  const Unpacked one5 = decode_float(fp16_layout(), 0x3E00); // 1.5
  const Unpacked m2 = decode_float(fp16_layout(), 0xC000);   // -2
  const Unpacked p = exact_product(one5, m2);
  CHECK(p.kind == K::Finite);
  CHECK(value(p) == -3.0);
  const Unpacked pz = decode_float(fp16_layout(), 0x0000), nz = decode_float(fp16_layout(), 0x8000);
  const Unpacked pinf = decode_float(fp16_layout(), 0x7C00),
                 nan = decode_float(fp16_layout(), 0x7E01);
  CHECK(exact_product(pz, m2).kind == K::Zero);
  CHECK(exact_product(pz, m2).neg);  // +0 x -2 = -0
  CHECK(!exact_product(nz, m2).neg); // -0 x -2 = +0
  CHECK(exact_product(pz, pinf).kind == K::NaN);
  CHECK(exact_product(pinf, m2).kind == K::Inf);
  CHECK(exact_product(pinf, m2).neg);
  CHECK(exact_product(nan, one5).kind == K::NaN);
  CHECK(exact_product(one5, nan).kind == K::NaN);
  // every E4M3, E5M2, FP6 and FP4 pair: the product's value is the product of the values
  for (const FpLayout* L : {&kE4M3, &kE5M2, &kE3M2, &kE2M3, &kE2M1}) {
    const UnpackedWidths pw = product_widths(float_unpacked_widths(*L), float_unpacked_widths(*L));
    const uint64_t n = uint64_t(1) << L->bits();
    for (uint64_t a = 0; a < n; ++a)
      for (uint64_t b = 0; b < n; ++b) {
        const Unpacked x = decode_float(*L, a), y = decode_float(*L, b);
        const Unpacked r = exact_product(x, y);
        const double v = value(x) * value(y);
        if (std::isnan(v)) {
          REQUIRE(r.kind == K::NaN);
        } else {
          REQUIRE(value(r) == v);
          REQUIRE(std::signbit(value(r)) == std::signbit(v));
        }
        REQUIRE(unpack_bus(pack_bus(r, pw), pw) == r);
      }
  }
}

TEST_CASE("fp accumulate: IEEE specials, signed zeros, canonical NaN") {
  const FpLayout& f = fp32_layout();
  const Unpacked one = finite(false, 1, 0), mone = finite(true, 1, 0);
  Unpacked pz, nz, pinf, ninf, nan;
  nz.neg = true;
  pinf.kind = ninf.kind = K::Inf;
  ninf.neg = true;
  nan.kind = K::NaN;
  CHECK(fp_accumulate(f, 0x3F800000, mone) == 0x00000000); // 1 + -1 = +0
  CHECK(fp_accumulate(f, 0xBF800000, one) == 0x00000000);  // -1 + 1 = +0
  CHECK(fp_accumulate(f, 0x80000000, nz) == 0x80000000);   // -0 + -0 = -0
  CHECK(fp_accumulate(f, 0x80000000, pz) == 0x00000000);   // -0 + +0 = +0
  CHECK(fp_accumulate(f, 0x00000000, nz) == 0x00000000);
  CHECK(fp_accumulate(f, 0x3F800000, nz) == 0x3F800000);
  CHECK(fp_accumulate(f, 0x80000000, mone) == 0xBF800000);
  CHECK(fp_accumulate(f, 0x7F800000, ninf) == 0x7FC00000); // Inf - Inf
  CHECK(fp_accumulate(f, 0xFF800000, ninf) == 0xFF800000);
  CHECK(fp_accumulate(f, 0x7F800000, mone) == 0x7F800000);
  CHECK(fp_accumulate(f, 0x3F800000, ninf) == 0xFF800000);
  CHECK(fp_accumulate(f, 0xFFC12345, one) == 0x7FC00000); // NaN in: canonical NaN out
  CHECK(fp_accumulate(f, 0x3F800000, nan) == 0x7FC00000);
  CHECK(fp_accumulate(f, 0x7F7FFFFF, finite(false, 1, 103)) == 0x7F800000); // half ulp: tie to Inf
  CHECK(fp_accumulate(f, 0x7F7FFFFF, finite(false, (1 << 20) - 1, 83)) ==
        0x7F7FFFFF);                                                         // below the tie
  CHECK(fp_accumulate(f, 0x00000001, finite(true, 1, -149)) == 0x00000000);  // exact: +0
  CHECK(fp_accumulate(f, 0x00000001, finite(true, 1, -150)) == 0x00000000);  // tie to even 0
  CHECK(fp_accumulate(f, 0x00000001, finite(false, 1, -150)) == 0x00000002); // tie to even 2
  CHECK(fp_accumulate(f, 0x80000000, finite(true, 1, -151)) == 0x80000000);  // -tiny -> -0
  CHECK(canonical_nan(fp16_layout()) == 0x7E00);
  CHECK(canonical_nan(bf16_layout()) == 0x7FC0);
  CHECK_THROWS_AS(float_accumulator_layout("fp8"), std::invalid_argument);
}

// Random significand of exactly n bits (n <= 128).
u128 wide_bits(Rng& rng, int n) {
  const u128 v = u128(rng.engine()()) << 64 | rng.engine()();
  return (n >= 128 ? v : v & ((u128(1) << n) - 1)) | u128(1) << (n - 1);
}

// Wide exact addends (65..124-bit significands, as exact group and block sums wider
// than 64 bits): random, near the subnormal range and the overflow boundary, deep
// cancellation of acc, and ties of a value far above acc; then NaN / Inf accumulators.
// Each goes through check(acc, x); returns how many round_to_float(f, x) differ from
// MPFR's conversion.
template <typename Check> int64_t wide_cases(const FpLayout& f, Rng& rng, Check check) {
  int64_t bad = 0;
  auto both = [&](uint64_t acc, const Unpacked& x) {
    check(acc, x);
    bad += round_to_float(f, x) != ref_convert(f, x);
  };
  const int M = f.man_bits, p = f.precision();
  for (int i = 0; i < 200000; ++i) {
    const uint64_t acc = random_acc(f, rng); // zeros, subnormals, the top binade, Inf, NaN
    const Unpacked a = decode_float(f, acc);
    const int at = a.kind == K::Finite ? a.exp + 64 - __builtin_clzll(a.sig) - 1 : f.emin();
    const int w = int(rng.uniform(65, kWideSigMaxBits));
    const bool neg = rng.uniform(0, 1);
    switch (rng.uniform(0, 4)) {
    case 0: { // random, its top near acc's
      const int top = at + int(rng.uniform(-p - 8, 3));
      both(acc, wide(neg, wide_bits(rng, w), top - w + 1));
      break;
    }
    case 1: { // its top near the subnormal range
      const int top = int(rng.uniform(f.emin() - M - 4, f.emin() + 3));
      both(acc, wide(neg, wide_bits(rng, w), top - w + 1));
      break;
    }
    case 2: { // near the overflow boundary
      const int top = f.emax() + int(rng.uniform(-1, 1));
      both(acc, wide(neg, wide_bits(rng, w), top - w + 1));
      break;
    }
    case 3: { // cancellation: -(acc) shifted into a wide significand, perturbed below
      if (a.kind != K::Finite) break;
      const int k = w - int(64 - __builtin_clzll(a.sig));
      const u128 sig = (u128(a.sig) << k) + u128(rng.uniform(0, 7)) - 3;
      both(acc, wide(!a.neg, sig, a.exp - k));
      break;
    }
    default: { // ties: acc + x = an odd number of half ulps of a value far above acc
      if (a.kind != K::Finite) break;
      const int e = a.exp + int(rng.uniform(70, 90)); // the half-ulp weight of the tie
      const u128 h = (u128(1) << p) | u128(rbits(rng, M)) << 1 | 1; // p+1 bits, odd
      if (e + p > f.emax()) break;
      // x = h 2^e - acc, exact and positive: h 2^(e - a.exp) -+ a.sig at 2^a.exp
      const u128 hs = h << (e - a.exp);
      both(acc, wide(false, a.neg ? hs + a.sig : hs - a.sig, a.exp));
    }
    }
  }
  // NaN and Inf accumulators with a wide group sum
  for (const uint64_t acc : {inf_code(f, false), inf_code(f, true), canonical_nan(f)})
    both(acc, wide(true, wide_bits(rng, 100), 0));
  return bad;
}

TEST_CASE("MPFR: every accumulate step of large random and edge sets rounds like MPFR") {
  // the wide addends have their own stream, seeded 4 above the seed (1305)
  const uint64_t seed = test_seed("fp accumulate vs MPFR", 1301);
  Rng rng(seed), wide_rng(seed + 4);
  for (const FpLayout* fp : kAccs) {
    const FpLayout& f = *fp;
    INFO(f.name);
    int64_t bad = 0, n = 0;
    auto check = [&](uint64_t acc, const Unpacked& x) {
      ++n;
      bad += step_differs(f, acc, x, bad < 5);
    };
    // random
    for (int i = 0; i < 1000000; ++i) {
      const uint64_t acc = random_acc(f, rng);
      check(acc, random_addend(f, acc, rng));
    }
    const int M = f.man_bits;
    for (int i = 0; i < 50000; ++i) {
      const uint64_t acc = (rbits(rng, f.bits() - 1) | 1) & ~(uint64_t(1) << (f.bits() - 2)) |
                           uint64_t(rng.uniform(1, 2)) << M; // finite, nonzero
      const Unpacked a = decode_float(f, acc);
      const int k = int(rng.uniform(0, 30));
      // cancellation: -(acc) perturbed in its low bits
      const uint64_t sig = (a.sig << k) + uint64_t(rng.uniform(-3, 3));
      check(acc, finite(!a.neg, sig, a.exp - k));
      // ties: an odd number of half ulps, either sign
      check(acc, finite(rng.uniform(0, 1), uint64_t(2 * rng.uniform(0, 4) + 1), a.exp - 1));
      // carries: acc + (ulp - acc's low bits) ripples into the exponent
      check(acc, finite(a.neg, (a.sig ^ ((uint64_t(1) << (M + 1)) - 1)) + 1, a.exp));
    }
    // the overflow boundary: max finite + half an ulp, +- tiny
    const uint64_t maxf = ((uint64_t(1) << f.exp_bits) - 2) << M | ((uint64_t(1) << M) - 1);
    const int ulp_exp = f.emax() - M;
    for (int s = 0; s < 2; ++s) {
      const uint64_t acc = maxf | uint64_t(s) << (f.bits() - 1);
      for (uint64_t d : {uint64_t(0), uint64_t(1)})
        for (int64_t e = -40; e <= 0; e += 8) {
          const uint64_t sig = (uint64_t(1) << 40) + (d ? uint64_t(1) : 0) * (e < 0);
          check(acc, finite(s, sig, int(ulp_exp - 1 - 40 + e)));
          check(acc, finite(s, (uint64_t(1) << 40) - 1, ulp_exp - 1 - 40));
        }
    }
    // the subnormal boundary: codes near min normal plus tiny values of either sign
    for (uint64_t acc = 0; acc < (uint64_t(4) << M); acc += (uint64_t(1) << M) / 64 + 1)
      for (int e = f.emin() - M - 4; e <= f.emin(); ++e)
        for (uint64_t sig : {uint64_t(1), uint64_t(3), uint64_t(5), uint64_t(0xFFFF)}) {
          check(acc, finite(false, sig, e));
          check(acc, finite(true, sig, e));
          check(acc | uint64_t(1) << (f.bits() - 1), finite(false, sig, e));
        }
    // wide addends (65..124-bit significands), their own seeded stream
    const int64_t before = n;
    bad += wide_cases(f, wide_rng, check);
    CHECK(n - before > 100000);
    std::cerr << f.name << ": " << n << " accumulate steps vs MPFR (" << n - before
              << " of them wide)\n";
    CHECK(bad == 0);
  }
  // the widest significand fp_accumulate takes, and one bit more
  CHECK_NOTHROW(fp_accumulate(fp32_layout(), 0x3F800000, wide(false, wide_bits(wide_rng, 124), 0)));
  CHECK_THROWS_WITH(
      fp_accumulate(fp32_layout(), 0x3F800000, wide(false, wide_bits(wide_rng, 125), 0)),
      Catch::Contains("125 bits"));
}

TEST_CASE("MPFR: the rounding converter of exact values") {
  Rng rng(test_seed("converter vs MPFR", 1302));
  for (const FpLayout* fp : kAccs) {
    const FpLayout& f = *fp;
    INFO(f.name);
    int64_t bad = 0;
    for (int i = 0; i < 200000; ++i) {
      const int n = int(rng.uniform(1, 64));
      const uint64_t sig = rbits(rng, n) | uint64_t(1) << (n - 1);
      const int top = int(rng.uniform(f.emin() - f.man_bits - 4, f.emax() + 3));
      const Unpacked x = finite(rng.uniform(0, 1), sig, top - n + 1);
      bad += round_to_float(f, x) != ref_convert(f, x);
    }
    Unpacked z, nz, inf, nan;
    nz.neg = true;
    inf.kind = K::Inf;
    nan.kind = K::NaN;
    for (const Unpacked& s : {z, nz, inf, nan})
      bad += round_to_float(f, s) != ref_convert(f, s);
    CHECK(bad == 0);
  }
  // the rounding converter is an accumulate into -0
  CHECK(round_to_float(fp32_layout(), finite(false, 3, -1)) == 0x3FC00000);
}

TEST_CASE("MPFR: dot products accumulated step by step in fp32, fp16, bf16") {
  Rng rng(test_seed("dot products vs MPFR", 1303));
  for (const FpLayout* fp : kAccs)
    for (const FpLayout* L : kOperands) {
      INFO(fp->name << " <- " << L->name);
      for (int t = 0; t < 20; ++t) {
        uint64_t acc = 0;
        for (int k = 0; k < 500; ++k) {
          const Unpacked p = exact_product(decode_float(*L, rbits(rng, L->bits())),
                                           decode_float(*L, rbits(rng, L->bits())));
          const uint64_t want = ref_accumulate(*fp, acc, p);
          acc = fp_accumulate(*fp, acc, p);
          REQUIRE(acc == want);
        }
      }
    }
}

TEST_CASE("MPFR: exact fp16 group sums of 64 products (87 bits), rounded once") {
  // the cube / adder tree path: group_sum_spec-wide fixed sum -> fixed_to_unpacked ->
  // one accumulate step; every step against the MPFR exact sum
  int lsb = 0, top = 0;
  product_range(fp16_layout(), fp16_layout(), lsb, top);
  const FixedAccSpec g = fixed_acc_spec(lsb, top, 6); // 64 lanes
  CHECK(g.width == 87);
  MpfrSeeded m("wide group sums vs MPFR", 1306);
  Rng& rng = m.rng;
  mpfr_t &exact = m.exact, &t = m.t;
  int64_t wide_sums = 0;
  for (const FpLayout* f : kAccs)
    for (int trial = 0; trial < 3000; ++trial) {
      uint64_t acc = random_acc(*f, rng);
      FixedAcc s;
      mpfr_set_zero(exact, 1);
      uint64_t ca = 0, cb = 0;
      for (int k = 0; k < 64; ++k) {
        // random codes span 2^-48..2^32 (the sum > 64 bits); half of the odd lanes
        // nearly cancel the lane before (its act negated, its weight's low bits changed)
        if (k % 2 && rng.uniform(0, 1)) {
          ca ^= 0x8000;
          cb ^= rbits(rng, 3);
        } else {
          ca = rbits(rng, 16);
          cb = rbits(rng, 16);
        }
        const Unpacked pr =
            exact_product(decode_float(fp16_layout(), ca), decode_float(fp16_layout(), cb));
        if (!pr.is_finite()) continue;
        s = fixed_accumulate(g, s, pr);
        set_unpacked(t, pr);
        mpfr_add(exact, exact, t, MPFR_RNDN);
      }
      const Unpacked sum = fixed_to_unpacked(g, s);
      wide_sums += sum.sig_hi != 0;
      set_unpacked(t, decode_float(*f, acc));
      if (mpfr_nan_p(t)) continue;
      mpfr_add(t, t, exact, MPFR_RNDN);
      REQUIRE(fp_accumulate(*f, acc, sum) == ref_round(*f, t));
      REQUIRE(fixed_to_float(*f, g, s) == ref_round(*f, exact));
    }
  CHECK(wide_sums > 1000);
  // NaN / Inf flags of a wide sum
  FixedAcc sp;
  sp.value = __int128(1) << 80;
  sp.pos_inf = true;
  CHECK(fixed_to_unpacked(g, sp).kind == K::Inf);
  sp.neg_inf = true;
  CHECK(fixed_to_unpacked(g, sp).kind == K::NaN);
  // the exact product of a wide sum and a block-scale product; beyond 128 bits: refused
  const Unpacked x = wide(true, wide_bits(rng, 100), -30), two = finite(false, 3, 5);
  const Unpacked px = exact_product(x, two);
  CHECK(wide_sig(px) == wide_sig(x) * 3);
  CHECK(px.exp == -25);
  CHECK(px.neg);
  CHECK_THROWS_WITH(exact_product(x, wide(false, wide_bits(rng, 30), 0)),
                    Catch::Contains("wider than 128 bits"));
  CHECK_THROWS_WITH(pack_bus(x, UnpackedWidths{100, 8}), Catch::Contains("wider than SW"));
}

TEST_CASE("fixed accumulator: width formula, exact sums, wraparound, sticky specials") {
  int lsb = 0, top = 0;
  product_range(kE4M3, kE4M3, lsb, top);
  CHECK(lsb == -18);
  CHECK(top == 18);
  const FixedAccSpec s = fixed_acc_spec(lsb, top);
  CHECK(s.width == 36 + 1 + kFixedGuardBits);
  product_range(fp16_layout(), fp16_layout(), lsb, top);
  CHECK(fixed_acc_spec(lsb, top).width == 80 + 1 + kFixedGuardBits);
  product_range(bf16_layout(), bf16_layout(), lsb, top);
  CHECK_THROWS_WITH(fixed_acc_spec(lsb, top), Catch::Contains("would need 539 bits"));
  // exact: a long E4M3 dot product equals the MPFR exact sum, rounded once
  MpfrSeeded m("fixed accumulator vs MPFR", 1304);
  Rng& rng = m.rng;
  mpfr_t &exact = m.exact, &t = m.t;
  mpfr_set_zero(exact, 1);
  FixedAcc acc;
  for (int k = 0; k < 100000; ++k) {
    Unpacked a, b;
    do {
      a = decode_float(kE4M3, rbits(rng, 8));
      b = decode_float(kE4M3, rbits(rng, 8));
    } while (a.kind == K::NaN || b.kind == K::NaN);
    const Unpacked p = exact_product(a, b);
    acc = fixed_accumulate(s, acc, p);
    set_unpacked(t, p);
    mpfr_add(exact, exact, t, MPFR_RNDN);
    if (k % 997 == 0)
      for (const FpLayout* f : kAccs) {
        REQUIRE(fixed_to_float(*f, s, acc) == ref_round(*f, exact));
        REQUIRE(round_to_float(*f, fixed_to_unpacked(s, acc)) == fixed_to_float(*f, s, acc));
      }
  }
  // wraparound modulo 2^width
  FixedAcc w;
  const FixedAccSpec small{0, 8};
  w = fixed_accumulate(small, w, finite(false, 127, 0));
  w = fixed_accumulate(small, w, finite(false, 1, 0));
  CHECK(w.value == -128);
  CHECK_THROWS_AS(fixed_accumulate(small, w, finite(false, 1, -1)), std::invalid_argument);
  // specials: sticky flags
  Unpacked inf, ninf, nan;
  inf.kind = ninf.kind = K::Inf;
  ninf.neg = true;
  nan.kind = K::NaN;
  FixedAcc f1 = fixed_accumulate(s, FixedAcc{}, inf);
  CHECK(fixed_to_float(fp32_layout(), s, f1) == 0x7F800000);
  f1 = fixed_accumulate(s, f1, finite(true, 5, 0));
  CHECK(fixed_to_float(fp32_layout(), s, f1) == 0x7F800000);
  CHECK(fixed_to_float(fp32_layout(), s, fixed_accumulate(s, f1, ninf)) == 0x7FC00000);
  CHECK(fixed_to_float(fp32_layout(), s, fixed_accumulate(s, FixedAcc{}, nan)) == 0x7FC00000);
  CHECK(fixed_to_float(fp32_layout(), s, FixedAcc{}) == 0);
  CHECK(fixed_to_unpacked(s, fixed_accumulate(s, f1, ninf)).kind == K::NaN);
  CHECK(fixed_to_unpacked(s, f1).kind == K::Inf);
  CHECK(fixed_to_unpacked(s, FixedAcc{}).kind == K::Zero);
}

TEST_CASE("L-Mul: the worked examples of ARITHMETIC.md (1.5 x 1.5)") {
  struct Case {
    const FpLayout* L;
    uint64_t one5;
    double paper, const4, none;
  };
  const Case cases[] = {{&fp16_layout(), 0x3E00, 2.125, 2.125, 2.0},
                        {&bf16_layout(), 0x3FC0, 2.125, 2.125, 2.0},
                        {&kE4M3, 0x3C, 2.25, 2.125, 2.0},
                        {&kE5M2, 0x3E, 2.5, 2.125, 2.0}};
  for (const Case& c : cases) {
    INFO(c.L->name);
    const Unpacked x = decode_float(*c.L, c.one5);
    REQUIRE(value(x) == 1.5);
    const int m = c.L->man_bits;
    CHECK(value(lmul(x, x, m, LmulOffset::Paper)) == c.paper);
    CHECK(value(lmul(x, x, m, LmulOffset::Const4)) == c.const4);
    CHECK(value(lmul(x, x, m, LmulOffset::None)) == c.none);
  }
  // 1 x 1 comes out 1 + 2^-l(m) with the paper's offset: 12.5% high at m = 3
  const Unpacked one = decode_float(kE4M3, 0x38);
  CHECK(value(lmul(one, one, 3, LmulOffset::Paper)) == 1.125);
  CHECK(lmul_offset_units(10, LmulOffset::Paper) == 64); // 64 ulp in FP16
  CHECK(lmul_offset_units(7, LmulOffset::Paper) == 8);   // 8 ulp in BF16
}

TEST_CASE("L-Mul: tpe's rules for signs, zeros, subnormals, Inf/NaN, the exponent range") {
  const int m = 3;
  const Unpacked a = decode_float(kE4M3, 0xBC); // -1.5
  const Unpacked z = decode_float(kE4M3, 0x00), nz = decode_float(kE4M3, 0x80);
  const Unpacked nan = decode_float(kE4M3, 0x7F);
  CHECK(value(lmul(a, a, m, LmulOffset::Paper)) == 2.25);
  CHECK(value(lmul(a, decode_float(kE4M3, 0x3C), m, LmulOffset::Paper)) == -2.25);
  CHECK(lmul(a, z, m, LmulOffset::Paper).kind == K::Zero);
  CHECK(lmul(a, z, m, LmulOffset::Paper).neg);
  CHECK(!lmul(a, nz, m, LmulOffset::Paper).neg);
  CHECK(lmul(a, nan, m, LmulOffset::Paper).kind == K::NaN);
  Unpacked inf;
  inf.kind = K::Inf;
  CHECK(lmul(inf, z, m, LmulOffset::Paper).kind == K::NaN);
  CHECK(lmul(inf, a, m, LmulOffset::Paper).kind == K::Inf);
  // a subnormal operand is normalized exactly: 2^-9 (code 0x01) acts as 1.0 * 2^-9
  const Unpacked sub = decode_float(kE4M3, 0x01), one = decode_float(kE4M3, 0x38);
  CHECK(value(lmul(sub, one, m, LmulOffset::None)) == std::ldexp(1.0, -9));
  CHECK(value(lmul(sub, one, m, LmulOffset::Paper)) == std::ldexp(1.125, -9));
  // 0x07 = 7 * 2^-9 = 1.75 * 2^-7: same as the normal 1.75 scaled
  CHECK(value(lmul(decode_float(kE4M3, 0x07), one, m, LmulOffset::None)) == std::ldexp(1.75, -7));
  // no clamping: 448 x 448 keeps its exponent (the accumulator rounds it)
  const Unpacked big = decode_float(kE4M3, 0x7E);
  const Unpacked p = lmul(big, big, m, LmulOffset::Paper);
  CHECK(value(p) == std::ldexp(1.625, 17)); // .75 + .75 + .125 carries: 1.625 * 2^(8+8+1)
  // the bus widths hold every result of every E4M3 / E5M2 pair
  for (const FpLayout* L : {&kE4M3, &kE5M2})
    for (LmulOffset o : {LmulOffset::Paper, LmulOffset::Const4, LmulOffset::None}) {
      const UnpackedWidths w = lmul_widths(float_unpacked_widths(*L), o);
      for (uint64_t x = 0; x < 256; ++x)
        for (uint64_t y = 0; y < 256; ++y) {
          const Unpacked r = lmul(decode_float(*L, x), decode_float(*L, y), L->man_bits, o);
          REQUIRE(unpack_bus(pack_bus(r, w), w) == r);
        }
    }
  CHECK_THROWS_AS(lmul(decode_float(fp16_layout(), 0x3C00), one, 3, LmulOffset::Paper),
                  std::invalid_argument);
  // FP16, paper offset (64 units): fractions 1023/1024 + 1023/1024 + 64/1024 >= 2 carry 2
  // into the exponent, as the integer add of the codes does: 2^2 * (1 + 62/1024)
  const Unpacked h = decode_float(fp16_layout(), 0x3FFF);
  CHECK(value(lmul(h, h, 10, LmulOffset::Paper)) == 4.0 * (1.0 + 62.0 / 1024));
  CHECK(lmul_offset_from_name("const4") == LmulOffset::Const4);
  CHECK_THROWS_AS(lmul_offset_from_name("x"), std::invalid_argument);
}

namespace {
struct ErrStats {
  double mean = 0, max = 0;
  int64_t n = 0;
};
// Relative error of L-Mul over every pair of normal codes of L whose exact product
// lies in the normal range [2^emin, 2^(emax+1)) of L.
ErrStats lmul_error(const FpLayout& L, LmulOffset o) {
  ErrStats s;
  double sum = 0;
  const uint64_t n = uint64_t(1) << L.bits();
  for (uint64_t a = 0; a < n; ++a)
    for (uint64_t b = 0; b < n; ++b) {
      const Unpacked x = decode_float(L, a), y = decode_float(L, b);
      if (x.kind != K::Finite || y.kind != K::Finite) continue;
      if ((x.sig >> L.man_bits) == 0 || (y.sig >> L.man_bits) == 0) continue; // normal only
      const double exact = value(x) * value(y);
      if (std::fabs(exact) < std::ldexp(1.0, L.emin()) ||
          std::fabs(exact) >= std::ldexp(1.0, L.emax() + 1))
        continue;
      const double e = std::fabs(value(lmul(x, y, L.man_bits, o)) - exact) / std::fabs(exact);
      sum += e;
      s.max = std::max(s.max, e);
      ++s.n;
    }
  s.mean = sum / double(s.n);
  return s;
}
// The same error over the 2^m x 2^m mantissa pairs, equally weighted (L-Mul's
// relative error depends on the mantissas only).
double mantissa_mean_error(int m, LmulOffset o) {
  const FpLayout L{8, m, 127, FpLayout::Specials::Ieee, "x"};
  double sum = 0;
  for (uint64_t a = 0; a < (uint64_t(1) << m); ++a)
    for (uint64_t b = 0; b < (uint64_t(1) << m); ++b) {
      const Unpacked x = decode_float(L, 127ull << m | a), y = decode_float(L, 127ull << m | b);
      const double exact = value(x) * value(y);
      sum += std::fabs(value(lmul(x, y, m, o)) - exact) / exact;
    }
  return sum / double(uint64_t(1) << (2 * m));
}
} // namespace

TEST_CASE("L-Mul: exhaustive error figures on E4M3 and E5M2 (ARITHMETIC.md section 3)") {
  const ErrStats e4 = lmul_error(kE4M3, LmulOffset::Paper),
                 e5 = lmul_error(kE5M2, LmulOffset::Paper);
  const ErrStats e4c = lmul_error(kE4M3, LmulOffset::Const4);
  const ErrStats e5c = lmul_error(kE5M2, LmulOffset::Const4);
  std::cerr << "L-Mul E4M3 paper: mean " << 100 * e4.mean << "% max " << 100 * e4.max << "% ("
            << e4.n << " pairs); const4 mean " << 100 * e4c.mean << "% max " << 100 * e4c.max
            << "%\nL-Mul E5M2 paper: mean " << 100 * e5.mean << "% max " << 100 * e5.max << "% ("
            << e5.n << " pairs); const4 mean " << 100 * e5c.mean << "% max " << 100 * e5c.max
            << "%\nmantissa pairs equally weighted: m=3 "
            << 100 * mantissa_mean_error(3, LmulOffset::Paper) << "%, m=2 "
            << 100 * mantissa_mean_error(2, LmulOffset::Paper) << "%, m=3 const4 "
            << 100 * mantissa_mean_error(3, LmulOffset::Const4) << "%, m=4 const4 "
            << 100 * mantissa_mean_error(4, LmulOffset::Const4) << "%\n";
  CHECK(e4.max == 0.125);
  CHECK(e5.max == 0.25);
  CHECK(e4.mean == Approx(0.0524).margin(0.0001));
  CHECK(e5.mean == Approx(0.1466).margin(0.0002));
  CHECK(mantissa_mean_error(3, LmulOffset::Paper) == Approx(0.0524).margin(0.00005));
  CHECK(mantissa_mean_error(2, LmulOffset::Paper) == Approx(0.1467).margin(0.00005));
  CHECK(mantissa_mean_error(3, LmulOffset::Const4) == Approx(0.0276).margin(0.0001));
  CHECK(mantissa_mean_error(4, LmulOffset::Const4) == Approx(0.0270).margin(0.0001));
  // "the fixed offset 2^-4 roughly halves the mean"
  CHECK(e4c.mean < 0.55 * e4.mean);
  CHECK(e4c.max == 0.0625);
}
