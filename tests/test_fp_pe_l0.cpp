// L0 of the engines' PE datapath from operand codes in the default suite
// (tests/fp_pe_l0.h): the PE's own modules (decoders, exact product or L-Mul,
// accumulate step, accumulator stage) for the pairings the older L0 bundles
// (test_fp_arith_rtl.cpp) do not reach: HiF8, an integer format into the float and
// fixed accumulators, mixed pairs (E5M2 x E4M3 in that order, HiF8 x E4M3, int8 x
// E5M2, FP6 E3M2 x E2M3, int4 x FP4; of two widths E4M3 x FP4 and bf16 x int4),
// L-Mul on E5M2 (const4) and on fp16 (none), and
// 16-bit pairs (fp16 x bf16, int16), and two-lane group sums (depth 2) where the
// parser takes them (HiF8's 78-bit sum included): every code pair (8 bits and less) from 3 edge
// accumulators and every fixed edge state, 16-bit ones on edge and random pairs;
// RTL vs the C++ operators bit for bit, every float rounding step also vs GNU MPFR.
// A fault in one decoder is caught. The exhaustive sweep over every pairing and all
// 24 edge accumulators is full_fp_pe_l0.cpp.
#include "fp_pe_l0.h"

using namespace tpe;
using namespace tpe::pel0;

TEST_CASE("L0 PE datapath: selected pairings, every code pair, model vs RTL vs MPFR") {
  const uint64_t seed = 20261130;
  std::cerr << "L0 PE datapath: seed " << seed << "\n";
  const std::vector<Pairing> list = {
      {"hif8", "hif8", "mac", "paper"},           {"fp8_e5m2", "fp8_e4m3", "mac", "paper"},
      {"hif8", "fp8_e4m3", "mac", "paper"},       {"int8", "fp8_e5m2", "mac", "paper"},
      {"fp6_e3m2", "fp6_e2m3", "mac", "paper"},   {"int4", "fp4_e2m1", "mac", "paper"},
      {"fp8_e5m2", "fp8_e5m2", "lmul", "const4"}, {"fp16", "fp16", "lmul", "none"},
      {"fp16", "bf16", "mac", "paper"},           {"int16", "int16", "mac", "paper"},
      {"fp8_e4m3", "fp4_e2m1", "mac", "paper"},   {"bf16", "int4", "mac", "paper"}};
  for (const Pairing& p : list) {
    INFO(p.label());
    const Unit u(p);
    const Counts c = run_unit_check(u, seed, 3, 9, 5000, 24, 2000, 5000, true);
    CHECK(c.rtl_bad == 0);
    CHECK(c.mpfr_bad == 0);
    CHECK(c.fields > c.vectors);
  }
}

TEST_CASE("L0 PE datapath: the accumulators each pairing gets are the parser's") {
  std::vector<std::string> refused;
  // fp16 x fp16: the fixed state does not fit 64 bits; L-Mul has no fixed accumulator
  const auto a = accumulators({"fp16", "fp16", "mac", "paper"}, refused);
  CHECK(a.size() == 3);
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].find("accumulate: the fixed accumulator of fp16 x fp16") != std::string::npos);
  refused.clear();
  CHECK(accumulators({"fp8_e4m3", "fp8_e4m3", "lmul", "none"}, refused).size() == 3);
  CHECK(refused.size() == 1);
  refused.clear();
  CHECK(accumulators({"int6", "fp6_e2m3", "mac", "paper"}, refused).size() == 4);
  CHECK(refused.empty());
  // hif8 x hif8: its depth-2 group sum (78 bits, wider than 64) is built for the floats
  for (const AccUnit& u : accumulators({"hif8", "hif8", "mac", "paper"}, refused)) {
    CHECK(u.group);
    CHECK(u.group_spec.width == 78);
  }
  // every pairing of the sweep's formats: formats alone, L-Mul x 3 offsets, mixed pairs
  const std::vector<std::string> f = {"int8", "fp8_e4m3", "fp8_e5m2", "hif8", "fp16"};
  CHECK(all_pairings(f, 8).size() == 4 + 6 + 12); // fp16 is the only other width
  const size_t cross = sweep::mixed_width_pairs(f).size();
  CHECK(cross == 2 * 4); // each 8-bit format with fp16, both orders
  CHECK(all_pairings(f, 16).size() == 5 + 12 + 12 + cross);
}

TEST_CASE("L0 PE datapath: a decoder fault is caught") {
  // HiF8's decoder with the dot code 11 misread: the exhaustive pairs see it
  Unit u({"hif8", "hif8", "mac", "paper"});
  bool hit = false;
  for (auto& [file, text] : u.modules)
    if (file.find("_dec_hif8") != std::string::npos) {
      const std::string from = "wire d11 = a[6] & a[5];";
      const size_t at = text.find(from);
      REQUIRE(at != std::string::npos);
      text.replace(at, from.size(), "wire d11 = a[6] & a[4];");
      hit = true;
    }
  REQUIRE(hit);
  const Counts c = run_unit_check(u, 1, 1, 0, 0, 0, 0, 0, false);
  CHECK(c.rtl_bad > 100);
}
