// L1 (RTL side): generated Verilog, Verilated, against the SystemC model, bit-
// and cycle-exact, for every dataflow on 1x1, 1x8, 3x5, 4x4 and 8x8 arrays with
// GEMMs that are not multiples of the array, INT8 extremes, accumulator wrap and
// the other integer formats; and L3: faults injected into the Verilog are caught.
#include "core/workload.h"
#include "test_helpers.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

using namespace tpe;
using tpe::test::make_arch;
using tpe::test::replace_in_rtl;

namespace {

VerifyOutcome check(const ArchConfig& a, const std::vector<std::string>& shapes, OperandFill fill,
                    uint64_t seed, const RtlMutation& mutate = nullptr) {
  return tpe::test::verify_gemms(a, shapes, fill, seed, mutate);
}

void verify_dataflow(const std::string& df) {
  const uint64_t seed = 2024;
  INFO("seed " << seed);
  for (auto rc : {std::pair{1, 1}, {1, 8}, {3, 5}, {4, 4}, {8, 8}}) {
    INFO(df << " " << rc.first << "x" << rc.second);
    const ArchConfig a = make_arch(rc.first, rc.second, df);
    VerifyOutcome r =
        check(a, {"37x29x53", "1x1x1", "9x1x17", "1x40x2"}, OperandFill::Random, seed);
    CHECK(r.pass);
    CHECK(r.failure == "");
    CHECK(r.runs == 4);
    r = check(a, {"37x29x53"}, OperandFill::Min, seed); // all -128
    CHECK(r.pass);
    CHECK(r.failure == "");
  }
}

} // namespace

TEST_CASE("RTL equals model: output stationary") {
  verify_dataflow("os");
}
TEST_CASE("RTL equals model: weight stationary") {
  verify_dataflow("ws");
}
TEST_CASE("RTL equals model: input stationary") {
  verify_dataflow("is");
}

TEST_CASE("RTL equals model for every PE of the library in every dataflow") {
  const uint64_t seed = 4242;
  INFO("seed " << seed);
  for (const char* pe : {"array", "booth", "ent", "opt1"})
    for (const char* df : {"os", "ws", "is"}) {
      INFO(pe << " " << df);
      const ArchConfig a = make_arch(3, 2, df, "int8", 32, pe);
      VerifyOutcome r = check(a, {"13x9x7", "1x1x1", "5x1x3", "2x17x1"}, OperandFill::Random, seed);
      CHECK(r.pass);
      CHECK(r.failure == "");
      r = check(a, {"7x5x4"}, OperandFill::Min, seed); // -128 x -128: EN-T digit 2 at 4^3
      CHECK(r.pass);
    }
  // other widths: INT4 with a wrapping 9-bit accumulator, INT16 into 40 bits
  for (const char* pe : {"array", "booth", "ent", "opt1"}) {
    INFO(pe);
    CHECK(check(make_arch(2, 3, "os", "int4", 9, pe), {"11x6x5"}, OperandFill::Random, seed).pass);
    CHECK(
        check(make_arch(3, 2, "ws", "int16", 40, pe), {"6x11x5"}, OperandFill::Random, seed).pass);
  }
}

TEST_CASE("RTL equals model with wrapping accumulators and INT4 / INT16 operands") {
  for (const char* df : {"os", "ws", "is"}) {
    INFO(df);
    // (-128 * -128) * 29 = 475136 does not fit in 16 bits: the accumulators wrap
    VerifyOutcome r = check(make_arch(4, 4, df, "int8", 16), {"37x29x53"}, OperandFill::Min, 1);
    CHECK(r.failure == "");
    r = check(make_arch(3, 5, df, "int8", 12), {"11x31x13"}, OperandFill::Random, 2);
    CHECK(r.failure == "");
    r = check(make_arch(3, 5, df, "int4", 32), {"37x29x53"}, OperandFill::Random, 3);
    CHECK(r.failure == "");
    r = check(make_arch(3, 5, df, "int16", 40), {"13x29x11"}, OperandFill::Max, 4);
    CHECK(r.failure == "");
  }
}

TEST_CASE("the checker catches faults injected into the generated Verilog") {
  // value fault in the PE: subtract instead of add
  VerifyOutcome r = check(make_arch(3, 4, "os"), {"7x9x5"}, OperandFill::Random, 5,
                          replace_in_rtl("acc) + prod_ext", "acc) - prod_ext"));
  CHECK_FALSE(r.pass);
  CHECK(r.failure.find("(RTL)") != std::string::npos);
  // timing fault: folds one cycle apart more than the model says
  r = check(make_arch(3, 4, "os"), {"7x9x5"}, OperandFill::Random, 5,
            replace_in_rtl("gcnt <= R - 1;", "gcnt <= R;"));
  CHECK_FALSE(r.pass);
  CHECK(r.failure.find("cycle") != std::string::npos);
  // ws: preload one cycle early overwrites weights still in use
  r = check(make_arch(4, 3, "ws"), {"5x9x7"}, OperandFill::Random, 6,
            replace_in_rtl("(c > R - 2) && (c < 2 * R - 1)", "(c > R - 3) && (c < 2 * R - 2)"));
  CHECK_FALSE(r.pass);
  // ws: partial sums dropped at the accumulator stage
  r = check(make_arch(4, 3, "ws"), {"5x9x7"}, OperandFill::Random, 6,
            replace_in_rtl("acc_en ? din[j*A +: A] + psum[j*A +: A]", "acc_en ? din[j*A +: A]"));
  CHECK_FALSE(r.pass);
  CHECK(r.failure.find("expected") != std::string::npos);
}

TEST_CASE("operand distributions: normal draws are rounded, in range and have the asked spread") {
  Rng rng(9);
  const OperandMatrix m = fill_operands(200, 200, 8, OperandDist(OperandFill::Normal, 30.0), rng);
  double sum = 0, sq = 0;
  for (int32_t v : m.data) {
    REQUIRE(v >= -128);
    REQUIRE(v <= 127);
    sum += v;
    sq += double(v) * v;
  }
  const double n = double(m.data.size()), mean = sum / n;
  CHECK(std::abs(mean) < 0.5);
  CHECK(std::sqrt(sq / n - mean * mean) == Approx(30.0).epsilon(0.03));
  // a spread far beyond the range is redrawn into it, never clipped to the ends
  const OperandMatrix w = fill_operands(50, 50, 4, OperandDist(OperandFill::Normal, 100.0), rng);
  int ends = 0;
  for (int32_t v : w.data) {
    REQUIRE(v >= -8);
    REQUIRE(v <= 7);
    ends += v == -8 || v == 7;
  }
  CHECK(ends < 500);
  CHECK(parse_operand_dist("normal:12.5").sd == 12.5);
  CHECK(parse_operand_dist("zero").fill == OperandFill::Zero);
  CHECK_THROWS_WITH(parse_operand_dist("normal:-1"),
                    "--operands: unknown operand distribution 'normal:-1' (choose random, "
                    "uniform, min, max, zero, normal:SD, normal:SD:MEAN or student_t:DOF, "
                    "optionally followed "
                    "by @SPARSITY in 0..1)");
}
