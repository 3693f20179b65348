// The lut_gemv arithmetic (pe_models/lut_table.h) against independent references:
// L0 exhaustive g = 2 tables, lookups and dot products; the identities of LUT_PIM.md
// 5.7 item 2; the Gray walk against the direct tables (g = 1..8); lut_gemm against the
// golden integer GEMM (wide and narrow accumulators); T-MAC's formulation (LUT_PIM 2.1)
// written out here. Random tests print their seed (TPE_SEED replays another).
#include "pe_models/golden_gemm.h"
#include "pe_models/int_arith.h"
#include "pe_models/lut_table.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iostream>
#include <sstream>

using namespace tpe;
using tpe::test::test_seed;

namespace {

const LutTable kTables[] = {LutTable::Weight, LutTable::Activation};
const LutForm kForms[] = {LutForm::Subset, LutForm::Signed};
const LutIndexCode kCodes[] = {LutIndexCode::Twos, LutIndexCode::Offset};

// A config whose table operand is v_bits wide and index operand u_bits wide.
LutConfig make(LutTable t, LutForm f, LutIndexCode c, int g, int v_bits, int u_bits, int acc = 40) {
  LutConfig k;
  k.table = t;
  k.form = f;
  k.index_code = c;
  k.group = g;
  k.weight_bits = t == LutTable::Weight ? v_bits : u_bits;
  k.act_bits = t == LutTable::Weight ? u_bits : v_bits;
  k.acc_bits = acc;
  return k;
}

std::string describe(const LutConfig& k) {
  std::ostringstream s;
  s << "table " << lut_name(k.table) << ", form " << lut_name(k.form) << ", index_code "
    << lut_name(k.index_code) << ", g " << k.group << ", weight " << k.weight_bits << " bits, act "
    << k.act_bits << " bits, acc " << k.acc_bits;
  return s.str();
}

// The reference table value T[i] (LUT_PIM 5.1), written independently of the library.
int64_t ref_entry(LutForm f, unsigned i, const std::vector<int64_t>& v) {
  int64_t s = 0;
  for (size_t t = 0; t < v.size(); ++t) {
    const bool on = (i >> t) & 1u;
    s += f == LutForm::Subset ? (on ? v[t] : 0) : (on ? v[t] : -v[t]);
  }
  return s;
}

// The reference plane bit: two's-complement code, or the code of U + 2^(n-1).
unsigned ref_bit(LutIndexCode c, int64_t u, int bits, int b) {
  const int64_t code = c == LutIndexCode::Twos ? u : u + (int64_t(1) << (bits - 1));
  return static_cast<unsigned>((static_cast<uint64_t>(code) >> b) & 1u);
}

int64_t rnd(Rng& r, int bits) {
  return r.uniform(int_min(bits), int_max(bits));
}

} // namespace

TEST_CASE("L0: g = 2 tables, lookups and dot products for every form, orientation and code") {
  int64_t checked = 0;
  for (LutTable tb : kTables)
    for (LutForm f : kForms)
      for (LutIndexCode c : kCodes)
        for (int vb = 1; vb <= 2; ++vb)
          for (int ub = 1; ub <= 2; ++ub) {
            const LutConfig k = make(tb, f, c, 2, vb, ub);
            const LutArith ar(k);
            INFO(describe(k));
            REQUIRE(ar.rows() == (f == LutForm::Subset ? 3 : 2));
            for (int64_t v0 = int_min(vb); v0 <= int_max(vb); ++v0)
              for (int64_t v1 = int_min(vb); v1 <= int_max(vb); ++v1) {
                const std::vector<int64_t> v = {v0, v1};
                const auto direct = ar.build_direct(v.data(), 2);
                const auto walk = ar.build_gray(v.data(), 2);
                for (unsigned i = 0; i < 4; ++i) {
                  const int64_t want = ref_entry(f, i, v);
                  CHECK(ar.entry(i, v.data(), 2) == want);
                  CHECK(ar.lookup(direct, i) == want);
                  CHECK(ar.lookup(walk, i) == want);
                }
                for (int64_t x : direct) // stored rows fit (the mirrored -T[~i] need not)
                  CHECK((x >= int_min(ar.entry_bits()) && x <= int_max(ar.entry_bits())));
                for (int64_t u0 = int_min(ub); u0 <= int_max(ub); ++u0)
                  for (int64_t u1 = int_min(ub); u1 <= int_max(ub); ++u1) {
                    const std::vector<int64_t> u = {u0, u1};
                    for (int b = 0; b < ub; ++b)
                      CHECK(ar.index(u.data(), 2, b) ==
                            (ref_bit(c, u0, ub, b) | ref_bit(c, u1, ub, b) << 1));
                    CHECK(ar.dot(v.data(), u.data(), 2) == v0 * u0 + v1 * u1);
                    CHECK(ar.dot(v.data(), u.data(), 1) == v0 * u0); // padded group
                    // the same dot product as a 1 x 2 by 2 x 1 GEMM in engine terms
                    OperandMatrix A(1, 2), B(2, 1);
                    const auto& act = tb == LutTable::Weight ? u : v;
                    const auto& wt = tb == LutTable::Weight ? v : u;
                    A.at(0, 0) = int32_t(act[0]), A.at(0, 1) = int32_t(act[1]);
                    B.at(0, 0) = int32_t(wt[0]), B.at(1, 0) = int32_t(wt[1]);
                    CHECK(lut_gemm(A, B, ar).at(0, 0) == v0 * u0 + v1 * u1);
                    ++checked;
                  }
              }
          }
  std::cerr << "L0 g = 2: " << checked << " dot products\n";
}

TEST_CASE("identities: mirror T[~i] = -T[i], half-table reads, A - sum V even") {
  Rng rng(test_seed("lut identities", 1401));
  for (int g = 1; g <= 8; ++g)
    for (int vb = 1; vb <= 16; ++vb) {
      const LutArith sub(make(LutTable::Activation, LutForm::Subset, LutIndexCode::Twos, g, vb, 4));
      for (LutIndexCode c : kCodes) {
        const LutConfig k = make(LutTable::Activation, LutForm::Signed, c, g, vb, 1 + vb % 8);
        const LutArith ar(k);
        INFO(describe(k));
        const unsigned mask = (1u << g) - 1;
        REQUIRE(ar.rows() == 1 << (g - 1));
        REQUIRE(sub.rows() == (1 << g) - 1);
        CHECK(2 * ar.table_bits() == sub.table_bits() + ar.entry_bits()); // half, plus one row
        std::vector<int64_t> v(static_cast<size_t>(g));
        for (auto& x : v)
          x = rnd(rng, vb);
        const auto T = ar.build_direct(v.data(), g);
        for (unsigned i = 0; i <= mask; ++i) {
          CHECK(ar.entry(i, v.data(), g) == -ar.entry(~i & mask, v.data(), g));
          CHECK(ar.lookup(T, i) == ar.entry(i, v.data(), g));
          const LutRead r = ar.read(i), m = ar.read(~i & mask);
          CHECK_FALSE(r.zero);
          CHECK(r.row == m.row);        // one stored row serves i and ~i
          CHECK(r.negate == !(i & 1u)); // even indexes read negated
          CHECK(r.row == int((i & 1u ? i : ~i & mask) >> 1));
        }
        // A - sum V is even for any index operand
        for (int rep = 0; rep < 4; ++rep) {
          const int64_t K = rng.uniform(1, 3 * g + 1);
          std::vector<int64_t> vv(static_cast<size_t>(K)), uu(static_cast<size_t>(K));
          int64_t sum_v = 0, want = 0;
          for (int64_t q = 0; q < K; ++q) {
            vv[size_t(q)] = rnd(rng, vb), uu[size_t(q)] = rnd(rng, ar.u_bits());
            sum_v += vv[size_t(q)], want += vv[size_t(q)] * uu[size_t(q)];
          }
          std::vector<int64_t> P;
          CHECK(ar.dot(vv.data(), uu.data(), K, 0, &P) == want);
          int64_t A = 0;
          for (int b = 0; b < ar.u_bits(); ++b)
            A += ar.plane_sign(b) * P[size_t(b)] * (int64_t(1) << b);
          CHECK((A - sum_v) % 2 == 0);
          CHECK((A - sum_v) / 2 == want);
        }
      }
    }
  // subset: index 0 reads no row; row i - 1 otherwise
  const LutArith s(make(LutTable::Weight, LutForm::Subset, LutIndexCode::Twos, 3, 4, 8));
  CHECK(s.read(0).zero);
  for (unsigned i = 1; i < 8; ++i)
    CHECK((!s.read(i).zero && s.read(i).row == int(i) - 1 && !s.read(i).negate));
}

TEST_CASE("Gray walk: one add/sub per row, every row once, equal to the direct table") {
  Rng rng(test_seed("lut gray walk", 1402));
  for (LutForm f : kForms)
    for (int g = 1; g <= 8; ++g) {
      const LutArith ar(make(LutTable::Activation, f, LutIndexCode::Twos, g, 8, 4));
      const auto& walk = ar.gray_schedule();
      INFO("form " << lut_name(f) << ", g " << g);
      REQUIRE(int(walk.size()) == ar.rows());
      std::vector<int> written(size_t(ar.rows()), 0);
      unsigned prev = f == LutForm::Subset ? 0u : 1u;
      for (size_t k = 0; k < walk.size(); ++k) {
        const LutBuildStep& s = walk[k];
        ++written[size_t(s.row)];
        CHECK(ar.read(s.index).row == s.row);
        CHECK_FALSE(ar.read(s.index).negate);
        if (s.elem < 0) { // the signed form's start T[1] = V_0 - sum_{t>=1} V_t
          CHECK((f == LutForm::Signed && k == 0 && s.index == 1u));
          continue;
        }
        CHECK((s.index ^ prev) == 1u << s.elem); // one bit changes per step
        CHECK(s.sign == (((s.index >> s.elem) & 1u) ? 1 : -1));
        CHECK(s.index == (f == LutForm::Subset ? unsigned(k + 1) ^ (unsigned(k + 1) >> 1)
                                               : ((unsigned(k) ^ (unsigned(k) >> 1)) << 1) | 1u));
        prev = s.index;
      }
      for (int w : written)
        CHECK(w == 1);
      for (int vb = 1; vb <= 16; ++vb) {
        const LutArith a(make(LutTable::Activation, f, LutIndexCode::Twos, g, vb, 4));
        for (int rep = 0; rep < 6; ++rep) {
          std::vector<int64_t> v(static_cast<size_t>(g));
          for (auto& x : v)
            x = rep == 0 ? int_min(vb) : rep == 1 ? int_max(vb) : rnd(rng, vb);
          const int n = rep == 5 ? int(rng.uniform(0, g)) : g; // a padded last group
          INFO("v_bits " << vb << ", n " << n);
          CHECK(a.build_gray(v.data(), n) == a.build_direct(v.data(), n));
        }
      }
    }
}

TEST_CASE("entry width: n_v + ceil(log2 g) is the narrowest that holds every entry") {
  for (LutForm f : kForms)
    for (int g = 1; g <= 8; ++g)
      for (int vb = 1; vb <= 16; ++vb) {
        const LutArith ar(make(LutTable::Activation, f, LutIndexCode::Twos, g, vb, 4));
        INFO("form " << lut_name(f) << ", g " << g << ", v_bits " << vb);
        const int e = ar.entry_bits();
        CHECK(e == vb + (g > 1) + (g > 2) + (g > 4));
        // the extremes over every stored row of the all-min and all-max groups
        int64_t lo = 0, hi = 0;
        for (int64_t fill : {int_min(vb), int_max(vb)}) {
          const std::vector<int64_t> v(size_t(g), fill);
          for (int64_t x : ar.build_gray(v.data(), g))
            lo = std::min(lo, x), hi = std::max(hi, x);
        }
        // signed: +g 2^(n_v-1) - 1 needs V_0 = max, the others min
        std::vector<int64_t> mix(size_t(g), int_min(vb));
        mix[0] = int_max(vb);
        for (int64_t x : ar.build_gray(mix.data(), g))
          lo = std::min(lo, x), hi = std::max(hi, x);
        CHECK(lo == -int64_t(g) * (int64_t(1) << (vb - 1)));
        CHECK(lo >= int_min(e));
        CHECK(hi <= int_max(e));
        if (e > 1) CHECK(lo < int_min(e - 1)); // one bit less would not do
      }
}

TEST_CASE("lut_gemm equals the golden integer GEMM, wide and narrow accumulators") {
  Rng rng(test_seed("lut_gemm vs golden", 1403));
  int64_t runs = 0, bad = 0;
  for (LutTable tb : kTables)
    for (LutForm f : kForms)
      for (LutIndexCode c : kCodes)
        for (int g = 1; g <= 6; ++g)
          for (int wb = 1; wb <= 8; ++wb)
            for (int ab = 1; ab <= 16; ++ab)
              for (int rep = 0; rep < 6; ++rep) { // 3 wide, 3 narrow
                const bool narrow = rep % 2;
                LutConfig k = make(tb, f, c, g, 1, 1);
                k.weight_bits = wb, k.act_bits = ab;
                k.acc_bits = narrow ? int(rng.uniform(2, 14)) : 48;
                const LutArith ar(k);
                const int64_t M = 2 * rng.uniform(0, 4) + 1, N = 2 * rng.uniform(0, 3) + 1;
                int64_t K = 2 * rng.uniform(0, 2 * g) + 1;
                while (g > 1 && K % g == 0)
                  K += 2;
                const int64_t G = (K + g - 1) / g, pass = rng.uniform(0, G);
                const OperandMatrix A = random_operands(M, K, int_min(ab), int_max(ab), rng);
                const OperandMatrix B = random_operands(K, N, int_min(wb), int_max(wb), rng);
                ++runs;
                if (lut_gemm(A, B, ar, pass).data != golden_gemm(A, B, k.acc_bits).data &&
                    ++bad <= 5)
                  FAIL_CHECK(describe(k) << ": M " << M << " K " << K << " N " << N
                                         << " pass_groups " << pass << " differs from golden_gemm");
              }
  std::cerr << "lut_gemm vs golden: " << runs << " GEMMs\n";
  CHECK(bad == 0);
}

// T-MAC's formulation (LUT_PIM 2.1, python/t_mac: weights.py, lut_ctor.cc, tbl.cc,
// qgemm.py _reference), written out on integers: weights in offset binary q = w +
// 2^(B-1), little-endian g-bit indexes of each plane, a full 2^g table per activation
// group whose odd entries are a_0 +- a_1 +- ... and even entries -T[2^g - 1 - i],
// CBits_i = sum_j LUT_j[idx_{i,j}] (+ lut_bias = -sum a on plane 0), y = sum_i 2^(i-1)
// CBits_i. The library's activation table, signed form and offset code must match.
TEST_CASE("T-MAC cross-check: tables, per-plane sums and results on integers") {
  Rng rng(test_seed("lut T-MAC cross-check", 1404));
  for (int g = 1; g <= 8; ++g)
    for (int wb = 1; wb <= 8; ++wb)
      for (int rep = 0; rep < 6; ++rep) {
        const int ab = int(rng.uniform(1, 16));
        const LutConfig k =
            make(LutTable::Activation, LutForm::Signed, LutIndexCode::Offset, g, ab, wb);
        const LutArith ar(k);
        const int64_t K = rng.uniform(1, 4 * g + 1);
        INFO(describe(k) << ", K " << K);
        std::vector<int64_t> a(static_cast<size_t>(K)), w(static_cast<size_t>(K));
        int64_t sum_a = 0, want = 0;
        for (int64_t q = 0; q < K; ++q) {
          a[size_t(q)] = rnd(rng, ab), w[size_t(q)] = rnd(rng, wb);
          sum_a += a[size_t(q)], want += a[size_t(q)] * w[size_t(q)];
        }
        const int64_t G = (K + g - 1) / g;
        const unsigned full = (1u << g) - 1;
        std::vector<int64_t> cbits(size_t(wb), 0);
        for (int64_t j = 0; j < G; ++j) {
          std::vector<int64_t> ag(size_t(g), 0); // zero padding of K
          for (int t = 0; t < g && j * g + t < K; ++t)
            ag[size_t(t)] = a[size_t(j * g + t)];
          std::vector<int64_t> lut(size_t(full) + 1);
          for (unsigned i = 1; i <= full; i += 2) { // lut_ctor.cc: odd entries
            int64_t s = ag[0];
            for (int t = 1; t < g; ++t)
              s += ((i >> t) & 1u) ? ag[size_t(t)] : -ag[size_t(t)];
            lut[i] = s;
          }
          for (unsigned i = 0; i <= full; i += 2) // vec_lut[g] = -vec_lut[15 - g]
            lut[i] = -lut[full - i];
          const int n = int(std::min<int64_t>(g, K - j * g));
          const auto mine = ar.build_gray(ag.data(), n);
          for (unsigned i = 0; i <= full; ++i)
            CHECK(ar.lookup(mine, i) == lut[i]);
          for (int b = 0; b < wb; ++b) {
            unsigned idx = 0; // weights.py: q = w + 2^(bits-1), w = sum(w[ig] << ig)
            for (int t = 0; t < g && j * g + t < K; ++t)
              idx |= unsigned(((w[size_t(j * g + t)] + (int64_t(1) << (wb - 1))) >> b) & 1) << t;
            cbits[size_t(b)] += lut[idx];
          }
        }
        std::vector<int64_t> planes;
        CHECK(ar.dot(a.data(), w.data(), K, 0, &planes) == want);
        for (int b = 0; b < wb; ++b)
          CHECK(planes[size_t(b)] == cbits[size_t(b)]);
        // qgemm.py: lut_bias on plane 0, alpha_i = 2^(i-1): 2y = sum_i 2^i CBits_i
        cbits[0] += -sum_a;
        int64_t two_y = 0;
        for (int b = 0; b < wb; ++b)
          two_y += cbits[size_t(b)] * (int64_t(1) << b);
        CHECK(two_y % 2 == 0);
        CHECK(two_y / 2 == want);
      }
}

TEST_CASE("bad configurations and operands are refused clearly") {
  const auto msg = [](const LutConfig& k) {
    try {
      LutArith a(k);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  using Set = void (*)(LutConfig&);
  const std::pair<Set, const char*> cases[] = {
      {[](LutConfig&) {}, "accepted"},
      {[](LutConfig& c) { c.group = 9; }, "group: must be 1..8, got 9"},
      {[](LutConfig& c) { c.group = 0; }, "group: must be 1..8, got 0"},
      {[](LutConfig& c) { c.weight_bits = 9; }, "format.weight: weights take 1..8 bits, got 9"},
      {[](LutConfig& c) { c.act_bits = 17; }, "format.act: activations take 1..16 bits, got 17"},
      {[](LutConfig& c) { c.act_bits = 0; }, "format.act: activations take 1..16 bits, got 0"},
      // weight table, 4-bit weights, g 4: needs 6
      {[](LutConfig& c) { c.entry_bits = 5; },
       "entry_bits: 5 is out of range 6..64 (a subset table of 4 4-bit weights needs 6 bits = "
       "n_v + ceil(log2 g))"},
      {[](LutConfig& c) { c.entry_bits = 6; }, "accepted"},
      {[](LutConfig& c) { c.acc_bits = 65; }, "acc_bits: must be 2..64, got 65"},
      {[](LutConfig& c) { c.form = LutForm::Signed, c.acc_bits = 64; },
       "acc_bits: must be 2..63 with form: signed (A is acc_bits + 1 bits wide), got 64"},
      {[](LutConfig& c) { c.form = LutForm::Signed, c.acc_bits = 63; }, "accepted"},
  };
  for (const auto& [set, want] : cases) {
    LutConfig k;
    set(k);
    CHECK(msg(k) == want);
  }
  CHECK_THROWS_WITH(lut_form_from("mirror"), "form: 'mirror' is not subset or signed");
  CHECK_THROWS_WITH(lut_table_from("x"), "table: 'x' is not weight or activation");
  CHECK_THROWS_WITH(lut_index_code_from("ones"), "index_code: 'ones' is not twos or offset");
  CHECK(lut_form_from("signed") == LutForm::Signed);
  const LutArith ar{LutConfig()};
  OperandMatrix A(1, 2, 0), B(2, 1, 0);
  A.at(0, 1) = 128; // act int8
  CHECK_THROWS_WITH(lut_gemm(A, B, ar), "lut_gemm: activation: value 128 does not fit 8 bits");
  A.at(0, 1) = 0;
  B.at(1, 0) = -9; // weight int4
  CHECK_THROWS_WITH(lut_gemm(A, B, ar), "lut_gemm: weight: value -9 does not fit 4 bits");
  CHECK_THROWS_AS(lut_gemm(A, OperandMatrix(3, 1, 0), ar), std::invalid_argument);
}
