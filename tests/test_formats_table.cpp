// `tpe formats` (reports/formats.h): the table's derived columns from the measured
// ones, refused designs kept as rows, the accuracy GEMM against an independent
// computation, and the L-Mul error statistics against an independent computation
// of L-Mul and of RNE rounding in binary64 (the paper's equation with the carry of
// the integer form; frexp and nearbyint).
#include "core/atomic_file.h"
#include "core/error.h"
#include "pe_models/block_operand.h"
#include "pe_models/block_quant.h"
#include "reports/formats.h"
#include "reports/synth_flow.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <sstream>

using namespace tpe;
using namespace tpe::test;

namespace {

std::string arch_yaml(const std::string& name, const std::string& pe, const std::string& fmt,
                      const std::string& acc) {
  return "name: " + name + "\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\npe: " + pe +
         "\nformat: " + fmt + "\naccumulate: " + acc + "\n";
}

// x rounded to m mantissa bits, ties to even, unbounded exponent (binary64).
double round_bits(double x, int m) {
  int e = 0;
  std::frexp(x, &e);
  return std::ldexp(std::nearbyint(std::ldexp(x, m + 1 - e)), e - m - 1);
}

// L-Mul of two normal values in binary64: with x = (1 + a) 2^xe, y = (1 + b) 2^ye and
// the paper's offset c = 2^-l(m), (1 + a + b + c) 2^(xe+ye), carried into the exponent
// once a + b + c >= 1 as the integer add does: 2^(xe+ye+1) (a + b + c).
double lmul_reference(double x, double y, int m) {
  const int l = m <= 3 ? m : (m == 4 ? 3 : 4);
  int ex = 0, ey = 0;
  const double fx = std::frexp(std::fabs(x), &ex) * 2 - 1,
               fy = std::frexp(std::fabs(y), &ey) * 2 - 1;
  const double s = fx + fy + std::ldexp(1.0, -l);
  const double mag = s < 1 ? std::ldexp(1 + s, ex + ey - 2) : std::ldexp(s, ex + ey - 1);
  return (x < 0) != (y < 0) ? -mag : mag;
}

} // namespace

TEST_CASE("tpe formats: derived columns, a refused design's row, accuracy GEMM") {
  const std::string dir = scratch_dir("formats", "table");
  write_file_atomic(dir + "/int8.yaml", arch_yaml("f_int8", "mac", "int8", "int"));
  write_file_atomic(dir + "/mx.yaml", arch_yaml("f_mx", "mac", "nf4", "fp32"));
  FormatsOptions o;
  o.compare.synth.lib = choose_library(test_liberty());
  o.compare.operands = {"random", "normal:25"};
  o.compare.gemm = "4x8x4";
  o.accuracy_gemm = "3x40x5";
  std::ostringstream progress;
  const auto rows = formats_table({dir + "/int8.yaml", dir + "/mx.yaml"}, o, progress);
  REQUIRE(rows.size() == 2);
  const FormatsRow& r = rows[0];
  REQUIRE(r.refusal.empty());
  REQUIRE(r.has_hw);
  const CompareRow& h = r.hw;
  REQUIRE(h.pj_per_mac.size() == 2);
  REQUIRE(h.synth.fmax_mhz > 0);
  // TOPS/W from pJ/MAC: 2 operations per MAC, 1 pJ/MAC = 2 TOPS/W
  for (size_t d = 0; d < 2; ++d)
    CHECK(h.tops_per_w[d] == Approx(2.0 / h.pj_per_mac[d]));
  // TOPS/mm^2 from area and fmax: 2 x PEs x fmax / area
  CHECK(h.area_mm2 == Approx(h.synth.area * 1e-6));
  CHECK(h.tops_per_mm2 == Approx(2.0 * 4 * h.synth.fmax_mhz * 1e6 / 1e12 / h.area_mm2));
  // the design the parser refuses (NF4 is not an engine operand) keeps its row with
  // the parser's one-line refusal
  CHECK(rows[1].refusal.find("mx.yaml:") != std::string::npos);
  CHECK(rows[1].refusal.find("nf4") != std::string::npos);
  const std::string md = formats_markdown(rows, o);
  INFO(md);
  CHECK(md.find(fmt::format("| f_int8 | mac | int8 | int | {:.3f} | {:.0f} | {:.1f} | {:.2f} | "
                            "{:.2f} | {:.3f} | {:.3f} | {:.4f} |",
                            h.area_mm2, h.pe_area, h.synth.fmax_mhz, h.pj_per_mac[0],
                            h.pj_per_mac[1], h.tops_per_w[0], h.tops_per_w[1], h.tops_per_mm2)) !=
        std::string::npos);
  CHECK(md.find("| " + dir + "/mx.yaml | refused: " + rows[1].refusal + " |") != std::string::npos);
  const nlohmann::json j = formats_json(rows, o);
  CHECK(j["designs"][1]["refused"] == rows[1].refusal);
  CHECK(j["designs"][0]["hardware"]["energy"]["random"]["tops_per_w"].get<double>() ==
        Approx(h.tops_per_w[0]));

  // accuracy of the INT8 design, recomputed here: the operands drawn again, scaled by
  // 127 / amax, rounded to nearest even and saturated, the exact integer GEMM scaled
  // back against the float64 GEMM of the scaled reals
  REQUIRE(r.accuracy.size() == 2);
  for (int d = 0; d < 2; ++d) {
    std::vector<double> A, B;
    accuracy_operands(3, 40, 5, d == 0 ? "normal" : "student_t", 3, 1, A, B);
    double amax_a = 0, amax_b = 0;
    for (double v : A)
      amax_a = std::max(amax_a, std::fabs(v));
    for (double v : B)
      amax_b = std::max(amax_b, std::fabs(v));
    const double sa = 127 / amax_a, sb = 127 / amax_b;
    auto q = [](double v) { return std::max(-128.0, std::min(127.0, std::nearbyint(v))); };
    double sig = 0, noise = 0;
    for (int i = 0; i < 3; ++i)
      for (int jn = 0; jn < 5; ++jn) {
        double ref = 0, c = 0;
        for (int k = 0; k < 40; ++k) {
          ref += A[size_t(i * 40 + k)] * sa * (B[size_t(k * 5 + jn)] * sb);
          c += q(A[size_t(i * 40 + k)] * sa) * q(B[size_t(k * 5 + jn)] * sb);
        }
        sig += ref * ref;
        noise += (c - ref) * (c - ref);
      }
    CHECK(r.accuracy[size_t(d)].scale_a == Approx(sa));
    CHECK(r.accuracy[size_t(d)].sqnr_db == Approx(10 * std::log10(sig / noise)).epsilon(1e-9));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("tpe formats: L-Mul energy against the exact product, multiplier split") {
  const std::string dir = scratch_dir("formats", "lmul");
  write_file_atomic(dir + "/e4m3.yaml", arch_yaml("f_e4m3", "mac", "fp8_e4m3", "fp32"));
  write_file_atomic(dir + "/lmul.yaml", arch_yaml("f_lmul", "lmul", "fp8_e4m3", "fp32"));
  FormatsOptions o;
  o.compare.synth.lib = choose_library(test_liberty());
  o.compare.operands = {"normal:25"};
  o.compare.gemm = "4x8x4";
  o.accuracy_gemm = "2x8x2";
  std::ostringstream progress;
  const auto rows = formats_table({dir + "/e4m3.yaml", dir + "/lmul.yaml"}, o, progress);
  REQUIRE(rows.size() == 2);
  PeSplit s[2];
  for (int i = 0; i < 2; ++i) {
    REQUIRE(rows[size_t(i)].has_hw);
    s[i] = pe_split(rows[size_t(i)].hw);
    REQUIRE(s[i].mul_pj.size() == 1);
    // the multiplier and the adder are parts of the PEs' own energy
    CHECK(s[i].mul_pj[0] > 0);
    CHECK(s[i].add_pj[0] > 0);
    CHECK(s[i].mul_pj[0] + s[i].add_pj[0] < rows[size_t(i)].hw.pe_pj_per_mac[0]);
    CHECK(s[i].mul_area > 0);
  }
  const CompareRow &h0 = rows[0].hw, &h1 = rows[1].hw;
  const std::string md = lmul_markdown(rows, o);
  INFO(md);
  CHECK(md.find(
            fmt::format("| fp8_e4m3 | normal:25 | {:.2f} / {:.2f} / {:.3f} | {:.2f} / {:.2f} / "
                        "{:.3f} | {:.3f} / {:.3f} / {:.3f} | {:.0f} / {:.0f} |",
                        h0.pj_per_mac[0], h0.pe_pj_per_mac[0], s[0].mul_pj[0], h1.pj_per_mac[0],
                        h1.pe_pj_per_mac[0], s[1].mul_pj[0], h1.pj_per_mac[0] / h0.pj_per_mac[0],
                        h1.pe_pj_per_mac[0] / h0.pe_pj_per_mac[0], s[1].mul_pj[0] / s[0].mul_pj[0],
                        s[0].mul_area, s[1].mul_area)) != std::string::npos);
  CHECK(md.find("| bf16 | – | not measured | not measured |") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("tpe formats: accuracy only, FP8 and L-Mul rows, tensor scales") {
  const std::string dir = scratch_dir("formats", "acc");
  write_file_atomic(dir + "/e4m3.yaml", arch_yaml("f_e4m3", "mac", "fp8_e4m3", "fp32"));
  write_file_atomic(dir + "/lmul.yaml", arch_yaml("f_lmul", "lmul", "fp8_e4m3", "fp32"));
  write_file_atomic(dir + "/bf16.yaml", arch_yaml("f_bf16", "mac", "bf16", "fp32"));
  FormatsOptions o;
  o.accuracy_only = true;
  o.accuracy_gemm = "4x64x4";
  std::ostringstream progress;
  const auto rows =
      formats_table({dir + "/e4m3.yaml", dir + "/lmul.yaml", dir + "/bf16.yaml"}, o, progress);
  REQUIRE(rows.size() == 3);
  for (const auto& r : rows) {
    INFO(r.design);
    CHECK(!r.has_hw);
    REQUIRE(r.accuracy.size() == 2);
  }
  // E4M3 rounding keeps about 4 significant bits: roughly 6 dB per bit plus the
  // averaging of the GEMM; L-Mul loses more; BF16 keeps 8 bits
  CHECK(rows[0].accuracy[0].sqnr_db > 20);
  CHECK(rows[1].accuracy[0].sqnr_db < rows[0].accuracy[0].sqnr_db);
  CHECK(rows[2].accuracy[0].sqnr_db > rows[0].accuracy[0].sqnr_db + 10);
  CHECK(rows[0].accuracy[1].operands == "student_t3");
  const std::string md = formats_markdown(rows, o);
  CHECK(md.find("area") == std::string::npos); // no hardware columns
  CHECK(md.find("| f_lmul | lmul | fp8_e4m3 | fp32 |") != std::string::npos);
  CHECK(tensor_scale(lookup_number_format("int8"), 2) == 63.5);
  CHECK(tensor_scale(lookup_number_format("fp8_e4m3"), 4) == 112);
  CHECK(tensor_scale(lookup_number_format("fp8_e5m2"), 7) == 8192);
  CHECK(tensor_scale(lookup_number_format("bf16"), 4) == 1);
  CHECK(tensor_scale(lookup_number_format("hif8"), 4) == 1);
  CHECK(tensor_scale(lookup_number_format("mxfp4"), 4) == 1);
  CHECK(tensor_scale(lookup_number_format("int8"), 0) == 1);
  // a missing file is an error, not a refused row
  CHECK_THROWS_AS(formats_table({dir + "/missing.yaml"}, o, progress), InputError);
  FormatsOptions big = o;
  big.accuracy_gemm = "1024x1024x1024";
  CHECK_THROWS_AS(formats_table({dir + "/e4m3.yaml"}, big, progress), InputError);
  std::filesystem::remove_all(dir);
}

TEST_CASE("tpe formats: block formats' accuracy against an independent recomputation") {
  // MXFP4 (32 along K share an E8M0 scale) and NVFP4 (16 share an E4M3 scale, FP32
  // tensor scales as the epilogue) on 2x2 os arrays; K = 40 leaves a partial last
  // block for both. Recomputed here from block_quant.h's codes and scales: per
  // block the exact sum of the element products times the two block scales, added
  // into an fp32 accumulator with one rounding (docs/formats-engines.md), then NVFP4's
  // S_dec(A) S_dec(B) in binary64, against the float64 GEMM of the unscaled reals.
  const std::string dir = scratch_dir("formats", "block");
  write_file_atomic(dir + "/mxfp4.yaml", arch_yaml("f_mxfp4", "mac", "mxfp4", "fp32"));
  write_file_atomic(dir + "/nvfp4.yaml", arch_yaml("f_nvfp4", "mac", "nvfp4", "fp32"));
  FormatsOptions o;
  o.accuracy_only = true;
  o.accuracy_gemm = "3x40x5";
  std::ostringstream progress;
  const auto rows = formats_table({dir + "/mxfp4.yaml", dir + "/nvfp4.yaml"}, o, progress);
  REQUIRE(rows.size() == 2);
  const int M = 3, K = 40, N = 5;
  for (int f = 0; f < 2; ++f) {
    const FormatsRow& r = rows[size_t(f)];
    INFO(r.design << " " << r.acc_refusal);
    REQUIRE(r.refusal.empty());
    REQUIRE(r.accuracy.size() == 2);
    const NumberFormat& nf = lookup_number_format(f == 0 ? "mxfp4" : "nvfp4");
    for (int d = 0; d < 2; ++d) {
      std::vector<double> A, B;
      accuracy_operands(M, K, N, d == 0 ? "normal" : "student_t", 3, 1, A, B);
      std::vector<std::vector<double>> la(M, std::vector<double>(K)), lb(N, std::vector<double>(K));
      for (int i = 0; i < M; ++i)
        for (int k = 0; k < K; ++k)
          la[size_t(i)][size_t(k)] = A[size_t(i * K + k)];
      for (int k = 0; k < K; ++k)
        for (int j = 0; j < N; ++j)
          lb[size_t(j)][size_t(k)] = B[size_t(k * N + j)];
      const QuantizedMatrix qa = quantize_matrix(nf, la), qb = quantize_matrix(nf, lb);
      const double tensor = double(qa.tensor_decode_scale) * double(qb.tensor_decode_scale);
      if (f == 1) CHECK(tensor != 1); // NVFP4's tensor scales are in play
      double sig = 0, noise = 0, max_err = 0;
      for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
          float acc = 0;
          for (int b = 0; b * nf.block.size < K; ++b) {
            double sum = 0; // exact: FP4 products are multiples of 1/4 below 36
            for (int k = b * nf.block.size; k < std::min(K, (b + 1) * nf.block.size); ++k)
              sum += nf.to_double(qa.codes[size_t(i * K + k)]) *
                     nf.to_double(qb.codes[size_t(j * K + k)]);
            const long double term = (long double)sum *
                                     block_scale_value(nf, qa.scale_of(i, b * nf.block.size)) *
                                     block_scale_value(nf, qb.scale_of(j, b * nf.block.size));
            acc = float((long double)acc + term);
          }
          double ref = 0;
          for (int k = 0; k < K; ++k)
            ref += A[size_t(i * K + k)] * B[size_t(k * N + j)];
          const double err = double(acc) * tensor - ref;
          sig += ref * ref;
          noise += err * err;
          max_err = std::max(max_err, std::fabs(err));
        }
      const GemmAccuracy& a = r.accuracy[size_t(d)];
      CHECK(a.excluded == 0);
      CHECK(a.scale_a == 1); // block formats scale themselves
      CHECK(a.tensor_decode_a * a.tensor_decode_b == tensor);
      CHECK(a.sqnr_db == Approx(10 * std::log10(sig / noise)).epsilon(1e-12));
      CHECK(a.max_abs_error == Approx(max_err).epsilon(1e-12));
      CHECK(a.sqnr_db > 8); // FP4 elements: a few dB per bit, not noise
    }
  }
  const std::string md = formats_markdown(rows, o);
  CHECK(md.find(fmt::format("| f_nvfp4 | mac | nvfp4 | fp32 | {:.2f} | {:.2f} |",
                            rows[1].accuracy[0].sqnr_db, rows[1].accuracy[1].sqnr_db)) !=
        std::string::npos);
  CHECK(md.find("block scales along K for block formats") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("block_operand: codes and scales along K, A by rows and B by columns") {
  const NumberFormat& mx = lookup_number_format("mxfp4");
  // 2 x 40 values along K: row 0 is 1..40 (block 0 amax 32, block 1 amax 40), row 1 zero
  std::vector<double> v(80, 0.0);
  for (int k = 0; k < 40; ++k)
    v[size_t(k)] = k + 1;
  const BlockOperand a = block_operand(mx, v, 2, 40, false);
  // the same numbers as a K x N = 40 x 2 matrix (K down the columns)
  std::vector<double> t(80, 0.0);
  for (int k = 0; k < 40; ++k)
    t[size_t(k * 2)] = k + 1;
  const BlockOperand b = block_operand(mx, t, 40, 2, true);
  const QuantizedMatrix q = quantize_vector(mx, std::vector<double>(v.begin(), v.begin() + 40));
  for (int k = 0; k < 40; ++k) {
    INFO(k);
    const int32_t want = int32_t(q.codes[size_t(k)] | (q.scale_of(0, k) << mx.bits));
    CHECK(a.codes.at(0, k) == want);
    CHECK(b.codes.at(k, 0) == want);
    CHECK(a.codes.at(1, k) == 0); // all-zero block: scale code 0, codes 0
  }
  // E8M0 scales 2^(floor(log2 amax) - 2): 2^3 for block 0 (amax 32), 2^3 for block 1 (40)
  CHECK(a.codes.at(0, 0) >> mx.bits == 127 + 3);
  CHECK(a.tensor_decode_scale == 1);
  const NumberFormat& nv = lookup_number_format("nvfp4");
  const BlockOperand n = block_operand(nv, v, 2, 40, false);
  CHECK(n.tensor_decode_scale == double(1.0f / (448.0f * 6.0f / 40.0f)));
  CHECK_THROWS_AS(block_operand(lookup_number_format("fp8_e4m3"), v, 2, 40, false),
                  std::invalid_argument);
  CHECK_THROWS_AS(block_operand(mx, v, 3, 40, false), std::invalid_argument);
}

TEST_CASE("L-Mul error statistics against an independent binary64 computation") {
  for (const char* name : {"fp8_e4m3", "fp8_e5m2"}) {
    const NumberFormat& f = lookup_number_format(name);
    const int m = f.fl.man_bits, emin = 1 - f.fl.bias;
    const double maxf = f.max_finite();
    const int emax = std::ilogb(maxf);
    // every pair of normal codes with the exact product in [2^emin, max] and in
    // [2^emin, 2^(emax+1)): L-Mul from the equation, RNE from frexp / nearbyint
    for (PairSet set : {PairSet::NormalInRange, PairSet::NormalBinades}) {
      double sl = 0, ml = 0, sr = 0, mr = 0;
      int64_t n = 0;
      for (uint32_t a = 0; a < f.code_count(); ++a)
        for (uint32_t b = 0; b < f.code_count(); ++b) {
          const double x = f.to_double(a), y = f.to_double(b);
          if (!std::isfinite(x) || !std::isfinite(y)) continue;
          if (std::fabs(x) < std::ldexp(1.0, emin) || std::fabs(y) < std::ldexp(1.0, emin))
            continue;                                // zero or subnormal
          const double p = x * y, ap = std::fabs(p); // exact in binary64
          if (ap < std::ldexp(1.0, emin)) continue;
          if (set == PairSet::NormalInRange ? ap > maxf : ap >= std::ldexp(1.0, emax + 1)) continue;
          const double el = std::fabs(lmul_reference(x, y, m) - p) / ap;
          const double rp = round_bits(p, m);
          const double er = std::fabs(rp) > maxf ? 1.0 : std::fabs(rp - p) / ap;
          sl += el;
          ml = std::max(ml, el);
          sr += er;
          mr = std::max(mr, er);
          ++n;
        }
      INFO(name << (set == PairSet::NormalInRange ? " in range" : " binades"));
      const ErrorStats l = lmul_pair_error(f, LmulOffset::Paper, set);
      const ErrorStats r = rounded_pair_error(f, f, set);
      CHECK(l.pairs == n);
      CHECK(l.mean == Approx(sl / double(n)).epsilon(1e-12));
      CHECK(l.max == Approx(ml).epsilon(1e-12));
      CHECK(r.pairs == n);
      CHECK(r.mean == Approx(sr / double(n)).epsilon(1e-12));
      CHECK(r.max == Approx(mr).epsilon(1e-12));
    }
  }
  // the figures the README quotes (ARITHMETIC.md's rounded products reproduced exactly)
  const NumberFormat& e4 = lookup_number_format("fp8_e4m3");
  const NumberFormat& e5 = lookup_number_format("fp8_e5m2");
  const ErrorStats r4 = rounded_pair_error(e4, e4, PairSet::NormalInRange);
  const ErrorStats r5 = rounded_pair_error(e5, e5, PairSet::NormalInRange);
  CHECK(100 * r4.mean == Approx(1.90).margin(0.005));
  CHECK(100 * r4.max == Approx(5.19).margin(0.005));
  CHECK(100 * r5.mean == Approx(3.56).margin(0.005));
  CHECK(100 * r5.max == Approx(11.1).margin(0.05));
  const ErrorStats l4 = lmul_pair_error(e4, LmulOffset::Paper, PairSet::NormalBinades);
  const ErrorStats l5 = lmul_pair_error(e5, LmulOffset::Paper, PairSet::NormalBinades);
  CHECK(l4.pairs == 42232);
  CHECK(100 * l4.mean == Approx(5.234).margin(0.0005));
  CHECK(100 * l5.mean == Approx(14.675).margin(0.0005));
  CHECK(l4.max == 0.125);
  CHECK(l5.max == 0.25);
  // all finite pairs: the subnormal products of the rounded multiply lose up to 100%
  CHECK(rounded_pair_error(e4, e4, PairSet::FiniteNonzero).max == 1.0);
}

TEST_CASE("L-Mul end to end on a grid against an independent binary64 computation") {
  const int n = 64;
  for (int m : {3, 4}) {
    double s = 0, mx = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        const double x = 1 + (i + 0.5) / n, y = 1 + (j + 0.5) / n;
        const double e =
            std::fabs(lmul_reference(round_bits(x, m), round_bits(y, m), m) - x * y) / (x * y);
        s += e;
        mx = std::max(mx, e);
      }
    const ErrorStats g = grid_error(n, m, LmulOffset::Paper, 0);
    CHECK(g.pairs == n * n);
    CHECK(g.mean == Approx(s / (n * n)).epsilon(1e-12));
    CHECK(g.max == Approx(mx).epsilon(1e-12));
  }
  for (int m : {2, 3}) {
    double s = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        const double x = 1 + (i + 0.5) / n, y = 1 + (j + 0.5) / n;
        s += std::fabs(round_bits(round_bits(x, m) * round_bits(y, m), m) - x * y) / (x * y);
      }
    CHECK(grid_error(n, 0, LmulOffset::Paper, m).mean == Approx(s / (n * n)).epsilon(1e-12));
  }
  CHECK_THROWS_AS(grid_error(0, 3, LmulOffset::Paper, 0), std::invalid_argument);
}

TEST_CASE("tpe formats command line: tables, outputs, bad input") {
  const std::string dir = scratch_dir("formats", "cli");
  const std::string src = TPE_SOURCE_DIR;
  const CmdResult r =
      run_tpe("formats --accuracy-only --accuracy-gemm 4x32x4 --arch " + src +
              "/configs/formats/fp8_e4m3.yaml --arch " + src + "/configs/formats/mxfp4.yaml" +
              " --markdown " + dir + "/f.md --json " + dir + "/f.json");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(r.out.find("formats: seed 1") != std::string::npos);
  CHECK(r.out.find("| fmt_fp8_e4m3 | mac | fp8_e4m3 | fp32 |") != std::string::npos);
  CHECK(r.out.find("| fmt_mxfp4 | mac | mxfp4 | fp32 |") != std::string::npos);
  CHECK(r.out.find("not run") == std::string::npos); // the block format's accuracy ran
  CHECK(r.out.find("L-Mul") != std::string::npos);
  CHECK(slurp(dir + "/f.md").find("| E4M3, normal pairs, product in [2^-6, 448] | 41884 |") !=
        std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(slurp(dir + "/f.json"));
  CHECK(j["designs"].size() == 2);
  CHECK(j["accuracy_gemm"] == "4x32x4");
  CHECK(j["designs"][1]["accuracy"]["normal"]["sqnr_db"].get<double>() > 5);
  CHECK(j["designs"][1]["accuracy"]["normal"]["tensor_decode_a"].get<double>() == 1);
  const CmdResult bad = run_tpe("formats --accuracy-only --arch " + dir + "/none.yaml");
  CHECK(bad.status == 2);
  CHECK(bad.out.find("none.yaml") != std::string::npos);
  const CmdResult big = run_tpe("formats --accuracy-only --accuracy-gemm 4096x4096x4 --arch " +
                                src + "/configs/formats/int8.yaml");
  CHECK(big.status == 2);
  CHECK(big.out.find("--accuracy-gemm: ") != std::string::npos);
  std::filesystem::remove_all(dir);
}
