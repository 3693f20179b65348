// The number-format library: every format tpe knows (integers int2..int16, IEEE-style
// floats fp16/bf16/FP8/FP6/FP4, the E8M0 scale, the tapered HiF8, the NF4 lookup
// table and the block-scaled MX, NVFP4 and NF4 formats), registered by name, each from
// its own file pe_models/fmt_*.cpp. A NumberFormat describes one element code: its
// exact decode (code -> Unpacked, pe_models/unpacked.h, and -> double) and its encode
// from binary64 with a rounding and an overflow rule. Block structure (block size
// along K, scale format, tensor scale) is data here; the block quantizers are in
// pe_models/block_quant.h. Sources of every rule: ../shared/ARITHMETIC.md section 1
// (OCP FP8 and MX v1.0 specifications, ml_dtypes, microxcaling, TransformerEngine,
// bitsandbytes, en_dtypes hifloat.h); the defaults chosen are listed in the README
// section "Number formats".
//
// The engines' formats (pe_models/formats.h, FormatInfo) are the subset the
// architecture file accepts today; this library is the superset the arithmetic and
// `tpe quantize` use.
#pragma once
#include "core/registry.h"
#include "pe_models/unpacked.h"
#include <cstdint>
#include <string>
#include <vector>

namespace tpe {

enum class FormatKind {
  Integer, // two's complement, times 2^int_exp
  Float,   // sign, exponent, mantissa (IEEE-style layout, FloatLayout)
  Tapered, // HiF8: a prefix ("dot") code sets the exponent width
  Lookup,  // NF4: the code indexes a table of binary32 values
};

// Which codes of a Float layout are special.
enum class FloatSpecials {
  None,    // every code finite (FP6, FP4)
  IEEE,    // exponent all ones: mantissa 0 = Inf, else NaN (fp16, bf16, E5M2)
  NaNOnly, // exponent and mantissa all ones = NaN, no Inf (OCP E4M3, E8M0 0xFF)
};

struct FloatLayout {
  int exp_bits = 0, man_bits = 0, bias = 0;
  bool sign = true;       // a sign bit above the exponent (E8M0 has none)
  bool subnormals = true; // exponent field 0 is subnormal/zero (E8M0: 2^-bias)
  FloatSpecials specials = FloatSpecials::None;
};

enum class Rounding {
  NearestEven, // round to nearest, ties to even (IEEE roundTiesToEven)
  NearestAway, // round to nearest, ties away from zero (HiF8; microxcaling "nearest")
};
enum class Overflow {
  Saturate, // to +-max finite
  Special,  // to +-Inf, or NaN where the format has no Inf (E4M3), as ml_dtypes casts
};

// How a block format computes its scales (pe_models/block_quant.h).
enum class BlockRule { None, MX, NVFP4, NF4 };

struct BlockLayout {
  int size = 0;              // elements per block along K (0: not a block format)
  std::string scale_format;  // "e8m0", "fp8_e4m3" or "fp32" (NF4 absmax)
  bool tensor_scale = false; // one FP32 per-tensor scale as well (NVFP4)
  BlockRule rule = BlockRule::None;
};

class NumberFormat {
public:
  std::string name, description;
  FormatKind kind = FormatKind::Integer;
  int bits = 0;               // width of one element code
  FloatLayout fl;             // kind == Float
  int int_exp = 0;            // kind == Integer: weight of the code's unit (MXINT8: -6)
  bool int_symmetric = false; // encode clamps to +-(2^(bits-1) - 1) (MXINT8)
  std::vector<float> table;   // kind == Lookup: value of each code
  BlockLayout block;
  Rounding rounding = Rounding::NearestEven; // default rounding of encode
  Overflow overflow = Overflow::Saturate;    // default overflow rule of encode

  bool is_block() const { return block.size > 0; }
  uint32_t code_count() const { return uint32_t(1) << bits; }
  bool has_nan() const;
  bool has_inf() const;
  // The exact value of one code (the element alone, without block scales).
  Unpacked decode(uint32_t code) const;
  double to_double(uint32_t code) const;
  // The largest finite value and the code of +max.
  double max_finite() const;
  uint32_t max_code() const;
  // The code of x: rounding then overflow test (ARITHMETIC.md: "round, then test
  // overflow"). NaN -> the format's NaN (E4M3: sign kept, HiF8 0x80), or +0 where
  // the format has none (integers, FP6, FP4; NF4 code 0 per bitsandbytes). +-Inf ->
  // Inf where the format has it, else the overflow rule. Integer and FP6/FP4 and NF4
  // ignore `o` (they always saturate). -0 keeps its sign where the format has -0.
  uint32_t encode(double x, Rounding r, Overflow o) const;
  uint32_t encode(double x) const { return encode(x, rounding, overflow); }

  // Widths of the Unpacked bus of this format's decoder (pe_models/unpacked.h):
  // sig is unsigned, exp two's complement; derived from the decode of every code.
  int unpacked_sig_bits() const { return sig_bits_; }
  int unpacked_exp_bits() const { return exp_bits_; }

  // Builders used by the fmt_*.cpp registration files; finalize() computes the bus
  // widths from the decoder.
  static NumberFormat integer(const std::string& name, int bits, const std::string& desc);
  static NumberFormat floating(const std::string& name, FloatLayout fl, Overflow ov,
                               const std::string& desc);
  NumberFormat& finalize();

private:
  int sig_bits_ = 0, exp_bits_ = 0;
};

using NumberFormatRegistry = Registry<NumberFormat>;

// The registered format; throws std::logic_error for an unknown name (callers
// validate names against NumberFormatRegistry first).
const NumberFormat& lookup_number_format(const std::string& name);

// Unpacked -> double (exact for every format here: at most 24 significant bits).
double unpacked_to_double(const Unpacked& u);

// Round a non-negative double to an integer-valued double (exact).
double round_integer(double v, Rounding r);

} // namespace tpe
