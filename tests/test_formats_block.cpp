// Tests of the block quantizers (pe_models/block_quant.h) on the worked examples of
// ARITHMETIC.md section 1: the MX scale rules (OCP floor from the exact binary
// exponent, NVIDIA round-up), element rounding (RNE vs microxcaling's ties away),
// saturation (E4M3 amax in (448, 512) reads back 448, MXINT8 +-127), all-zero and
// NaN/Inf blocks, short last blocks; NVFP4 (TransformerEngine's FP32 algorithm,
// measured or given tensor amax); NF4 (bitsandbytes: ties to the lower code, NaN ->
// code 0, all-zero blocks).
#include "pe_models/block_quant.h"
#include <catch2/catch.hpp>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

using namespace tpe;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
} // namespace

TEST_CASE("MX: element rounding, saturation and the OCP floor scale") {
  const NumberFormat& f = lookup_number_format("mxfp8_e4m3");
  CHECK(element_emax(f) == 8);
  CHECK(element_emax(lookup_number_format("mxfp8_e5m2")) == 15);
  CHECK(element_emax(lookup_number_format("mxfp6_e3m2")) == 4);
  CHECK(element_emax(lookup_number_format("mxfp6_e2m3")) == 2);
  CHECK(element_emax(lookup_number_format("mxfp4")) == 2);
  CHECK(element_emax(lookup_number_format("mxint8")) == 0);
  // microxcaling's test: 400 -> 416 with ties away, 384 with RNE (scale 2^0)
  QuantOptions away;
  away.rounding = Rounding::NearestAway;
  QuantizedMatrix q = quantize_vector(f, {400, 1}, away);
  CHECK(q.scales[0] == 127);
  CHECK(q.values[0] == 416);
  q = quantize_vector(f, {400, 1});
  CHECK(q.values[0] == 384);
  // amax in (448, 512): the scale is 2^0 and the element saturates to 448
  for (double a : {449.0, 480.0, 500.0, 511.9}) {
    q = quantize_vector(f, {a, -a, 3});
    CHECK(q.scales[0] == 127);
    CHECK(q.values[0] == 448);
    CHECK(q.values[1] == -448);
    CHECK(q.values[2] == 3);
  }
  // the scale comes from the exact exponent: just below a power of two the binade
  // is the lower one (a binary32 log2 would round up to the power of two)
  uint32_t bits = 0x3f7fffff; // 0.99999994f
  float below1;
  std::memcpy(&below1, &bits, 4);
  q = quantize_vector(f, {double(below1)});
  CHECK(q.scales[0] == 127 - 1 - 8);
  CHECK(q.values[0] == 0.875); // 0.99999994 * 2^9 rounds to 512 > 448: saturates
  q = quantize_vector(f, {std::ldexp(double(below1), 20)});
  CHECK(q.scales[0] == 127 + 19 - 8);
  q = quantize_vector(f, {1.0});
  CHECK(q.scales[0] == 127 - 8);
  // all-zero block: scale 0x00 (2^-127), elements 0
  q = quantize_vector(f, std::vector<double>(32, 0.0));
  CHECK(q.scales[0] == 0);
  for (size_t i = 0; i < 32; ++i)
    CHECK(q.values[i] == 0);
  // a NaN or an Inf anywhere: the whole block is NaN (scale 0xFF); the next block not
  std::vector<double> x(40, 1.0);
  x[5] = kNaN;
  q = quantize_vector(f, x);
  REQUIRE(q.blocks_per_row == 2);
  CHECK(q.scales[0] == 0xff);
  CHECK(std::isnan(q.values[0]));
  CHECK(std::isnan(q.values[31]));
  CHECK(q.values[32] == 1.0); // short last block of 8
  x[5] = -kInf;
  q = quantize_vector(f, x);
  CHECK(q.scales[0] == 0xff);
  // shared exponent above 127: NaN scale; below -127: clamped to -127
  q = quantize_vector(f, {1e300});
  CHECK(q.scales[0] == 0xff);
  q = quantize_vector(f, {1e-45});
  CHECK(q.scales[0] == 0);
  CHECK(block_scale_value(f, 0) == std::ldexp(1.0, -127));
  CHECK(std::isnan(block_scale_value(f, 0xff)));
}

TEST_CASE("MX: NVIDIA's round-up scale rule") {
  const NumberFormat& f = lookup_number_format("mxfp8_e4m3");
  QuantOptions up;
  up.mx_scale = MxScaleRule::RoundUp;
  // amax 960: floor gives 2^(9-8) = 2 (960/2 = 480 saturates to 448); round-up
  // gives 2^ceil(log2(960/448)) = 4, and 960/4 = 240 is exact in E4M3
  QuantizedMatrix q = quantize_vector(f, {960});
  CHECK(q.scales[0] == 128);
  CHECK(q.values[0] == 896);
  q = quantize_vector(f, {960}, up);
  CHECK(q.scales[0] == 129);
  CHECK(q.values[0] == 960);
  // amax 200: floor 2^(7-8); round-up 2^ceil(log2(200/448)) = 2^-1
  q = quantize_vector(f, {200}, up);
  CHECK(q.scales[0] == 126);
  q = quantize_vector(f, std::vector<double>(4, 0.0), up);
  CHECK(q.scales[0] == 0);
}

TEST_CASE("MXINT8 clamps to +-127 and never writes -128") {
  const NumberFormat& f = lookup_number_format("mxint8");
  QuantizedMatrix q = quantize_vector(f, {1.999, -1.999, 1.0, -0.5});
  CHECK(q.scales[0] == 127); // X = floor(log2 1.999) - 0 = 0
  CHECK(q.codes[0] == 127);
  CHECK(q.codes[1] == uint32_t(-127 & 0xff));
  CHECK(q.values[0] == 127.0 / 64);
  CHECK(q.values[2] == 1.0);
  CHECK(q.values[3] == -0.5);
  q = quantize_vector(f, {-2.0, 1.0}); // X = 1: -2/2 * 64 = -64
  CHECK(q.scales[0] == 128);
  CHECK(q.values[0] == -2.0);
  CHECK(f.to_double(0x80) == -2.0); // decode still accepts -128
}

TEST_CASE("MXFP4 and MXFP6 saturate their elements") {
  const NumberFormat& f4 = lookup_number_format("mxfp4");
  // amax 7: X = 2 - 2 = 0; 7 saturates to 6 (E2M1 max 1.5 * 4)
  QuantizedMatrix q = quantize_vector(f4, {7, 0.25, -5});
  CHECK(q.scales[0] == 127);
  CHECK(q.values[0] == 6);
  CHECK(q.values[1] == 0);  // 0.25: tie between 0 and 0.5, to even
  CHECK(q.values[2] == -4); // tie between 4 and 6, to even (1.0 x 4)
  const NumberFormat& f6 = lookup_number_format("mxfp6_e2m3");
  q = quantize_vector(f6, {7.9});
  CHECK(q.values[0] == 7.5);
}

TEST_CASE("NVFP4: TransformerEngine's FP32 scales") {
  const NumberFormat& f = lookup_number_format("nvfp4");
  // all-zero block: scale 0, elements 0
  QuantizedMatrix q = quantize_vector(f, std::vector<double>(16, 0.0));
  CHECK(q.scales[0] == 0);
  CHECK(q.tensor_decode_scale == 1.0f);
  for (int i = 0; i < 16; ++i) {
    CHECK(q.codes[size_t(i)] == 0);
    CHECK(q.values[size_t(i)] == 0);
  }
  // tensor amax 2688 = 448 * 6: S_enc = 1; block amax 6: scale e4m3(6 * fp32(1/6)) = 1
  QuantizedMatrix t = quantize_matrix(f, {{6, 3, -1.5, 0.5}, {2688, 0, 0, 0}});
  CHECK(t.tensor_decode_scale == 1.0f);
  CHECK(t.scales[0] == lookup_number_format("fp8_e4m3").encode(1.0));
  CHECK(t.values[0] == 6);
  CHECK(t.values[1] == 3);
  CHECK(t.values[2] == -1.5);
  CHECK(t.values[3] == 0.5);
  CHECK(t.values[4] == 2688); // 6 x 448 x 1
  // exact E2M1 inputs need not decode exactly: S_enc = 448, S_dec = fp32(1/448)
  q = quantize_vector(f, {6, 3, 1});
  CHECK(q.tensor_amax == 6.0f);
  CHECK(q.tensor_decode_scale == 1.0f / 448.0f);
  CHECK(q.values[0] != 6);
  CHECK(std::fabs(q.values[0] - 6) < 6e-7);
  // a given tensor amax smaller than the data: elements saturate at 6 x scale
  QuantOptions given;
  given.tensor_amax = 1.0;
  q = quantize_vector(f, {100, 1}, given);
  CHECK(q.tensor_amax == 1.0f);
  CHECK(q.scales[0] == lookup_number_format("fp8_e4m3").max_code()); // 448 saturated
  CHECK(q.values[0] == Approx(6 * 448 / 2688.0));
  given.tensor_amax = 0.0;
  CHECK_THROWS(quantize_vector(f, {1}, given));
  CHECK_THROWS(quantize_matrix(f, {{1, 2}, {3}}));
}

TEST_CASE("NF4: bitsandbytes' nearest entry, ties to the lower code") {
  const NumberFormat& f = lookup_number_format("nf4");
  const float mid = float((double(f.table[8]) + double(f.table[9])) / 2);
  CHECK(f.encode(double(mid)) == 8);
  CHECK(f.encode(double(std::nextafter(mid, 1.0f))) == 9);
  CHECK(f.encode(kNaN) == 0);
  CHECK(f.encode(0.0) == 7);
  CHECK(f.encode(-2.0) == 0);
  CHECK(f.encode(2.0) == 15);
  // absmax per 64: the scale code is the binary32 absmax
  std::vector<double> x(70, 0.0);
  x[3] = -4;
  x[4] = 2;
  x[64] = 0.5;
  QuantizedMatrix q = quantize_vector(f, x);
  REQUIRE(q.blocks_per_row == 2);
  CHECK(block_scale_value(f, q.scales[0]) == 4.0);
  CHECK(q.values[3] == -4);
  CHECK(q.codes[3] == 0);
  CHECK(q.codes[0] == 7);
  CHECK(q.values[4] == 4.0 * double(f.table[12])); // 0.5 is below the midpoint 0.5017
  CHECK(block_scale_value(f, q.scales[1]) == 0.5);
  CHECK(q.values[64] == 0.5);
  // all-zero block: codes 0 (bitsandbytes: 0 * (1/0) is NaN, which takes code 0)
  q = quantize_vector(f, std::vector<double>(64, 0.0));
  CHECK(q.codes[0] == 0);
  CHECK(q.values[0] == 0);
}

TEST_CASE("element-wise formats quantize with the format's defaults or the options") {
  const NumberFormat& f = lookup_number_format("fp8_e4m3");
  QuantizedMatrix q = quantize_vector(f, {465, 464});
  CHECK(q.block == 0);
  CHECK(q.scales.empty());
  CHECK(std::isnan(q.values[0]));
  CHECK(q.values[1] == 448);
  QuantOptions sat;
  sat.overflow = Overflow::Saturate;
  q = quantize_vector(f, {465}, sat);
  CHECK(q.values[0] == 448);
  q = quantize_vector(lookup_number_format("hif8"), {1.0625});
  CHECK(q.values[0] == 1.125);
}
