// Number formats on the engines (issue 13, FORMATS_CONTRACT): the SystemC model
// against the golden GEMM (which follows each engine's order of adds, written
// apart from the cores) on odd shapes for every engine and dataflow, every
// accumulator and several formats, with random codes (NaN, Inf, -0 included) and
// normal values; hand-computed fp16 sums whose result depends on the order of the
// adds (so a wrong order fails); operand drawing of float formats; tpe sim in
// values mode on a float design.
#include "core/arch_config.h"
#include "core/error.h"
#include "core/operand_dist.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/number_format.h"
#include "pe_models/pe_arith.h"
#include "sim/array_core.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <tuple>
#include <unistd.h>

using namespace tpe;
using namespace tpe::test;

namespace {

const std::vector<std::string>& engines() {
  static const std::vector<std::string> e = {
      "engine: systolic\nrows: 4\ncols: 3\ndataflow: os\n",
      "engine: systolic\nrows: 4\ncols: 3\ndataflow: ws\n",
      "engine: systolic\nrows: 4\ncols: 3\ndataflow: is\n",
      "engine: systolic\nrows: 1\ncols: 2\ndataflow: ws\n",
      "engine: cube\nrows: 2\ncols: 3\ndepth: 4\n",
      "engine: cube\nrows: 3\ncols: 2\ndepth: 1\n",
      "engine: matrix2d\nrows: 2\ncols: 3\n",
      "engine: adder_tree\ncols: 3\ndepth: 4\n",
      "engine: adder_tree\ncols: 2\ndepth: 1\n",
  };
  return e;
}

// (format and PE keys, accumulator)
const std::vector<std::pair<std::string, std::string>>& designs() {
  static const std::vector<std::pair<std::string, std::string>> d = {
      {"format: fp8_e4m3", "fp32"},
      {"format: fp8_e4m3", "fp16"},
      {"format: fp8_e4m3", "bf16"},
      {"format: fp8_e4m3", "fixed"},
      {"format: {act: fp8_e5m2, weight: fp8_e4m3}", "fp32"},
      {"format: {act: fp8_e5m2, weight: fp8_e4m3}", "bf16"},
      {"format: bf16", "fp32"},
      {"format: bf16", "bf16"},
      {"format: fp16", "fp16"},
      {"format: fp16", "fp32"},
      {"format: hif8", "fp32"},
      {"format: hif8", "fp16"},
      {"format: fp8_e5m2", "fp16"},
      {"format: {act: fp16, weight: fp16}", "bf16"},
      {"format: fp4_e2m1", "fp16"},
      {"format: fp4_e2m1", "fixed"},
      {"format: fp6_e2m3", "bf16"},
      {"format: fp6_e3m2", "fixed"},
      {"format: int8", "fp32"},
      {"format: int8", "fixed"},
      {"pe: lmul\nformat: fp8_e4m3", "fp32"},
      {"pe: lmul\nformat: fp8_e5m2\nlmul_offset: none", "fp16"},
      {"pe: lmul\nformat: bf16\nlmul_offset: const4", "bf16"},
      {"pe: lmul\nformat: fp16", "fp32"},
  };
  return d;
}

Layer gemm(int64_t M, int64_t K, int64_t N) {
  Layer l;
  l.name = std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N);
  l.M = M;
  l.K = K;
  l.N = N;
  return l;
}

// Run the model on given operands (no SystemC: the core's own clock loop).
ResultMatrix run_core(const ArchConfig& a, const OperandMatrix& A, const OperandMatrix& B) {
  const SystolicMapping m = map_systolic(a, gemm(A.rows, A.cols, B.cols));
  const SramImages img = make_images(m, A, B);
  const std::unique_ptr<ArrayCore> core = make_array_core(a, m);
  core->load(m, &img, true, false);
  core->start();
  for (int i = 0; i < 100000 && !core->done(); ++i)
    core->step();
  REQUIRE(core->done());
  return extract_result(m, core->out_memory());
}

// C[0][0] of a 1 x K x 1 GEMM with A = a (row) and B = b (column) in `format`, fp16
// accumulator; the model and the golden GEMM must agree.
double fp16_dot(const std::string& engine, const std::vector<double>& a,
                const std::vector<double>& b, const std::string& format = "fp16") {
  const ArchConfig arch = parse_arch_text(
      "name: t\n" + engine + "format: " + format + "\naccumulate: fp16\n", "t.yaml");
  const NumberFormat& f = lookup_number_format(format);
  const int64_t K = static_cast<int64_t>(a.size());
  OperandMatrix A(1, K), B(K, 1);
  for (int64_t k = 0; k < K; ++k) {
    A.at(0, k) = static_cast<int32_t>(f.encode(a[static_cast<size_t>(k)]));
    B.at(k, 0) = static_cast<int32_t>(f.encode(b[static_cast<size_t>(k)]));
    REQUIRE(f.to_double(uint32_t(A.at(0, k))) == a[static_cast<size_t>(k)]);
    REQUIRE(f.to_double(uint32_t(B.at(k, 0))) == b[static_cast<size_t>(k)]);
  }
  const ResultMatrix got = run_core(arch, A, B);
  const ResultMatrix want = golden_gemm(A, B, arch);
  CHECK(got.at(0, 0) == want.at(0, 0));
  return lookup_number_format("fp16").to_double(uint32_t(got.at(0, 0)) & 0xffff);
}
double fp16_dot(const std::string& engine, const std::vector<double>& a) {
  return fp16_dot(engine, a, std::vector<double>(a.size(), 1.0));
}

} // namespace

TEST_CASE("float designs: the model equals the golden GEMM on odd shapes, every engine") {
  const std::vector<Layer> shapes = {gemm(13, 7, 9), gemm(1, 1, 1), gemm(5, 1, 6), gemm(6, 9, 1),
                                     gemm(1, 11, 4)};
  int runs = 0, refused = 0;
  for (const auto& e : engines())
    for (const auto& [fmt, acc] : designs()) {
      const std::string text = "name: t\n" + e + fmt + "\naccumulate: " + acc + "\n";
      ArchConfig a;
      try {
        a = parse_arch_text(text, "t.yaml");
      } catch (const InputError& err) {
        // only the documented refusals at depth > 1: lmul, and bf16's 525-bit group sum
        const std::string what = err.what();
        INFO(text << what);
        CHECK(what.find("depth") != std::string::npos);
        CHECK((what.find("lmul") != std::string::npos || what.find("bf16") != std::string::npos));
        ++refused;
        continue;
      }
      for (const auto& l : shapes)
        for (const char* ops : {"random", "normal:3", "normal:1:0.5@0.3"}) {
          INFO(text << l.name << " " << ops);
          RunOptions ro;
          ro.mode = SimMode::Values;
          ro.dist = parse_operand_dist(ops);
          ro.seed = 11;
          LayerResult r;
          CHECK_NOTHROW(r = run_layer(a, l, ro)); // throws on any model/golden difference
          CHECK(r.values_checked);
          ++runs;
        }
    }
  CHECK(runs > 2000);
  CHECK(refused == 12); // 4 lmul and 2 bf16 designs on the cube and the adder tree of depth 4
}

TEST_CASE("wide exact group sums: tiny^2 beside big^2 - big^2 survives (hand-computed)") {
  // one group of 4 lanes: big*big + tiny*tiny - big*big + 0 = tiny^2 exactly (the group
  // registers are 67, 79 and 83 bits wide; big^2 + tiny^2 spans 65 to 81 of them); rounding
  // after each product, or a 64-bit window, loses tiny^2. fp32 holds every tiny^2 here
  // as a normal number.
  for (const std::string engine :
       {"engine: cube\nrows: 1\ncols: 1\ndepth: 4\n", "engine: adder_tree\ncols: 1\ndepth: 4\n"})
    for (const auto& [format, big, tiny] : std::vector<std::tuple<std::string, double, double>>{
             {"fp16", 65504, std::ldexp(1, -24)},
             {"fp8_e5m2", 57344, std::ldexp(1, -16)},
             {"hif8", 32768, std::ldexp(1, -22)}}) {
      INFO(engine << format);
      const ArchConfig arch = parse_arch_text(
          "name: t\n" + engine + "format: " + format + "\naccumulate: fp32\n", "t.yaml");
      const NumberFormat& f = lookup_number_format(format);
      const double a[4] = {big, tiny, -big, 0}, b[4] = {big, tiny, big, 0};
      OperandMatrix A(1, 4), B(4, 1);
      for (int64_t k = 0; k < 4; ++k) {
        A.at(0, k) = static_cast<int32_t>(f.encode(a[k]));
        B.at(k, 0) = static_cast<int32_t>(f.encode(b[k]));
        REQUIRE(f.to_double(uint32_t(A.at(0, k))) == a[k]);
        REQUIRE(f.to_double(uint32_t(B.at(k, 0))) == b[k]);
      }
      const ResultMatrix got = run_core(arch, A, B);
      CHECK(got.at(0, 0) == golden_gemm(A, B, arch).at(0, 0));
      const uint32_t bits = uint32_t(got.at(0, 0));
      float v = 0;
      std::memcpy(&v, &bits, sizeof v);
      CHECK(double(v) == tiny * tiny);
    }
}

TEST_CASE("the order of the adds per engine decides an fp16 sum (hand-computed)") {
  // fp16 spacing is 2 in [2048, 4096): 2048 + 1 is a tie and rounds to 2048 (even).
  // sequential (os, matrix2d, depth 1): every +1 is lost -> 2048
  CHECK(fp16_dot("engine: systolic\nrows: 2\ncols: 1\ndataflow: os\n", {2048, 1, 1, 1}) == 2048);
  CHECK(fp16_dot("engine: matrix2d\nrows: 1\ncols: 1\n", {2048, 1, 1, 1}) == 2048);
  CHECK(fp16_dot("engine: cube\nrows: 1\ncols: 1\ndepth: 1\n", {2048, 1, 1, 1}) == 2048);
  // ws/is, K-tiles of R = 2 rows: tile sums 2048 (tie) and 2, then 2048 + 2 = 2050
  CHECK(fp16_dot("engine: systolic\nrows: 2\ncols: 1\ndataflow: ws\n", {2048, 1, 1, 1}) == 2050);
  CHECK(fp16_dot("engine: systolic\nrows: 2\ncols: 1\ndataflow: is\n", {2048, 1, 1, 1}) == 2050);
  // R = 4: one tile, sequential inside it -> 2048
  CHECK(fp16_dot("engine: systolic\nrows: 4\ncols: 1\ndataflow: ws\n", {2048, 1, 1, 1}) == 2048);
  // ws with K = 3 and R = 2: the padded row adds +0 -> 2048, then 1 -> 2049 ties to 2048
  CHECK(fp16_dot("engine: systolic\nrows: 2\ncols: 1\ndataflow: ws\n", {2048, 1, 1}) == 2048);
  // cube / adder tree, depth 4 (E4M3 operands: 256 x 8 = 2048): the group's exact sum
  // 2051 rounds once -> 2052 (a pairwise tree of rounding adders would give 2050,
  // sequential 2048)
  const std::vector<double> a8 = {256, 1, 1, 1, 1, 1, 1, 1}, b8 = {8, 1, 1, 1, 1, 1, 1, 1};
  const std::vector<double> a4(a8.begin(), a8.begin() + 4), b4(b8.begin(), b8.begin() + 4);
  CHECK(fp16_dot("engine: cube\nrows: 1\ncols: 1\ndepth: 4\n", a4, b4, "fp8_e4m3") == 2052);
  CHECK(fp16_dot("engine: adder_tree\ncols: 1\ndepth: 4\n", a4, b4, "fp8_e4m3") == 2052);
  CHECK(fp16_dot("engine: cube\nrows: 1\ncols: 1\ndepth: 1\n", a4, b4, "fp8_e4m3") == 2048);
  // two groups: 2052, then + 4 -> 2056; depth 2: 2049 ties to 2048, + 2, + 2, + 2 -> 2054
  CHECK(fp16_dot("engine: cube\nrows: 1\ncols: 1\ndepth: 4\n", a8, b8, "fp8_e4m3") == 2056);
  CHECK(fp16_dot("engine: adder_tree\ncols: 1\ndepth: 4\n", a8, b8, "fp8_e4m3") == 2056);
  CHECK(fp16_dot("engine: adder_tree\ncols: 1\ndepth: 2\n", a8, b8, "fp8_e4m3") == 2054);
  CHECK(fp16_dot("engine: cube\nrows: 1\ncols: 1\ndepth: 2\n", a8, b8, "fp8_e4m3") == 2054);
  // the restart at +0: a fold of -0 products gives +0 (0x0000), not -0
  CHECK(fp16_dot("engine: systolic\nrows: 2\ncols: 1\ndataflow: os\n", {-0.0, -0.0}) == 0);
}

TEST_CASE("PeArith: fixed accumulator words, -0 operands are zeros, L-Mul products") {
  const ArchConfig a = parse_arch_text(
      "name: t\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\nformat: fp8_e4m3\n"
      "accumulate: fixed\n",
      "t.yaml");
  const PeArith ar(a);
  CHECK(ar.acc_bits() == 56);
  CHECK(ar.zero_west(0x00));
  CHECK(ar.zero_west(0x80)); // -0
  CHECK_FALSE(ar.zero_north(0x01));
  // 1.5 x -2 = -3 (E4M3 1.5 = 0x3C, -2 = 0xC0): the word's 53-bit value field holds
  // -3 * 2^18 (LSB 2^-18), the flags above it are 0
  const int64_t w = ar.mac(0, true, 0x3C, 0xC0);
  CHECK(w == int64_t((uint64_t(1) << 53) - (uint64_t(3) << 18)));
  CHECK(unpacked_to_double(ar.value(w)) == -3.0);
  // + NaN sets the nan flag (bit width + 2 = 55): the word is negative (sign-extended)
  const int64_t n = ar.mac(w, false, 0x7F, 0x38);
  CHECK(n < 0);
  CHECK(ar.value(n).kind == Unpacked::Kind::NaN);
  // fp32: 2^-9 x 2^-9 products are exact; L-Mul (paper offset 2^-3 for m = 3) adds 1/8
  const ArchConfig l = parse_arch_text(
      "name: t\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\npe: lmul\nformat: fp8_e4m3\n",
      "t.yaml");
  const PeArith lm(l);
  const NumberFormat& e4m3 = lookup_number_format("fp8_e4m3");
  const uint32_t one = e4m3.encode(1.0);
  CHECK(unpacked_to_double(lm.product(one, one)) == 1.125);
  CHECK(unpacked_to_double(ar.product(one, one)) == 1.0);
}

TEST_CASE("float operands: random codes, normal values, min, max, zero, sparsity") {
  Rng rng(5);
  const NumberFormat& e4m3 = lookup_number_format("fp8_e4m3");
  const OperandMatrix r = fill_operands(64, 64, "fp8_e4m3", parse_operand_dist("random"), rng);
  bool nan = false, neg_zero = false, high = false;
  for (int32_t v : r.data) {
    CHECK(v >= 0);
    CHECK(v <= 255);
    nan |= v == 0x7F || v == 0xFF;
    neg_zero |= v == 0x80;
    high |= v >= 0x80;
  }
  CHECK(nan);
  CHECK(neg_zero);
  CHECK(high);
  const OperandMatrix mn = fill_operands(2, 2, "fp8_e4m3", parse_operand_dist("min"), rng);
  const OperandMatrix mx = fill_operands(2, 2, "fp8_e4m3", parse_operand_dist("max"), rng);
  CHECK(e4m3.to_double(uint32_t(mn.at(0, 0))) == -448);
  CHECK(e4m3.to_double(uint32_t(mx.at(1, 1))) == 448);
  const OperandMatrix h = fill_operands(2, 2, "hif8", parse_operand_dist("min"), rng);
  CHECK(lookup_number_format("hif8").to_double(uint32_t(h.at(0, 0))) ==
        -lookup_number_format("hif8").max_finite());
  const OperandMatrix z = fill_operands(3, 3, "bf16", parse_operand_dist("zero"), rng);
  for (int32_t v : z.data)
    CHECK(v == 0);
  // normal values are the format's encoding of the draws: with SD 1 most are finite,
  // within the range, and the same seed gives the same codes
  Rng r1(9), r2(9);
  const OperandMatrix n1 = fill_operands(32, 32, "fp16", parse_operand_dist("normal:1:3"), r1);
  const OperandMatrix n2 = fill_operands(32, 32, "fp16", parse_operand_dist("normal:1:3"), r2);
  CHECK(n1.data == n2.data);
  double sum = 0;
  for (int32_t v : n1.data)
    sum += lookup_number_format("fp16").to_double(uint32_t(v));
  CHECK(sum / 1024 == Approx(3).margin(0.2));
  // sparsity gives +0 codes
  const OperandMatrix s = fill_operands(64, 64, "fp8_e5m2", parse_operand_dist("max@0.5"), rng);
  int zeros = 0;
  for (int32_t v : s.data) {
    CHECK((v == 0 || v == int32_t(lookup_number_format("fp8_e5m2").max_code())));
    zeros += v == 0;
  }
  CHECK(zeros > 1500);
  CHECK(zeros < 2600);
  // integer formats draw exactly as before (the bits overload)
  Rng i1(4), i2(4);
  CHECK(fill_operands(9, 9, "int8", parse_operand_dist("normal:20"), i1).data ==
        fill_operands(9, 9, 8, parse_operand_dist("normal:20"), i2).data);
}

TEST_CASE("zero-operand classes count -0 codes as zeros on float formats") {
  const ArchConfig a = parse_arch_text(
      "name: t\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\nformat: bf16\n", "t.yaml");
  OperandMatrix A(2, 2), B(2, 2);
  A.data = {0x8000, 0x3F80, 0x0000, 0x3F80}; // -0, 1, +0, 1
  B.data = {0x3F80, 0x8000, 0x3F80, 0x3F80}; // 1, -0, 1, 1
  const SystolicMapping m = map_systolic(a, gemm(2, 2, 2));
  const SramImages img = make_images(m, A, B);
  const std::unique_ptr<ArrayCore> core = make_array_core(a, m);
  core->load(m, &img, true, false);
  core->start();
  while (!core->done())
    core->step();
  // products (m, k, n): A[m][k] B[k][n]; zero operands: A[0][0], A[1][0], B[0][1]
  CHECK(core->counters().pe_macs_two_zero == 2); // (0,0,1), (1,0,1)
  CHECK(core->counters().pe_macs_one_zero == 2); // (0,0,0), (1,0,0)
}

TEST_CASE("tpe sim runs a float design in values mode: tpe verify proves its Verilog") {
  const std::string d = std::filesystem::temp_directory_path().string() + "/tpe_fp_engines_" +
                        std::to_string(getpid());
  std::filesystem::create_directories(d);
  std::ofstream(d + "/a.yaml") << "name: f8\nengine: systolic\nrows: 2\ncols: 2\ndataflow: ws\n"
                                  "format: {act: fp8_e5m2, weight: fp8_e4m3}\naccumulate: fp16\n";
  std::ofstream(d + "/w.csv") << "Layer name, M, N, K,\ng, 13, 9, 7,\n";
  CmdResult r = run_tpe("sim --arch " + d + "/a.yaml --workload " + d +
                        "/w.csv --mode values --seed 1 --operands normal:2");
  CHECK(r.status == 0);
  CHECK(r.out.find("f8 (2x2 systolic ws, fp8_e5m2 x fp8_e4m3 fp16 acc)") != std::string::npos);
  CHECK(r.out.find("values") != std::string::npos);
  // random codes (NaN, Inf, subnormals included) through model and Verilated RTL
  r = run_tpe("verify --arch " + d + "/a.yaml --gemm 5x3x7 --seed 2 --trials 2");
  CHECK(r.status == 0);
  CHECK(last_line(r.out).find("verify: PASS f8 (systolic 2x2 ws): 2 runs") == 0);
  std::filesystem::remove_all(d);
}
