// Block quantizers of the MX, NVFP4 and NF4 formats and element-wise encoding of the
// others (rules and sources: pe_models/block_quant.h).
#include "pe_models/block_quant.h"
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace tpe {

namespace {

double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

void quantize_mx(const NumberFormat& f, const double* x, int n, const QuantOptions& o,
                 uint32_t* codes, uint32_t& scale, double* values) {
  const Rounding r = o.rounding.value_or(f.rounding);
  double amax = 0;
  bool special = false;
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) special = true;
    amax = std::max(amax, std::fabs(x[i]));
  }
  if (special) {
    scale = 0xff;
    for (int i = 0; i < n; ++i)
      codes[i] = 0, values[i] = nan();
    return;
  }
  int X = -127;
  if (amax > 0) {
    if (o.mx_scale == MxScaleRule::Floor) {
      X = std::ilogb(amax) - element_emax(f);
    } else {
      const float v = float(amax) * (1.0f / float(f.max_finite()));
      if (!std::isfinite(v))
        X = 128;
      else if (v > 0)
        X = std::ilogb(v) + (v == std::ldexp(1.0f, std::ilogb(v)) ? 0 : 1);
    }
  }
  if (X > 127) {
    scale = 0xff;
    for (int i = 0; i < n; ++i)
      codes[i] = 0, values[i] = nan();
    return;
  }
  X = std::max(X, -127);
  scale = uint32_t(X + 127);
  for (int i = 0; i < n; ++i) {
    codes[i] = f.encode(std::ldexp(x[i], -X), r, Overflow::Saturate);
    values[i] = std::ldexp(f.to_double(codes[i]), X);
  }
}

void quantize_nvfp4(const NumberFormat& f, const double* x, int n, float s_enc, float s_dec,
                    uint32_t* codes, uint32_t& scale, double* values) {
  const NumberFormat& e4m3 = lookup_number_format("fp8_e4m3");
  float bamax = 0;
  for (int i = 0; i < n; ++i)
    bamax = std::max(bamax, std::fabs(float(x[i])));
  const float s = bamax * (s_enc * (1.0f / 6.0f));
  scale = e4m3.encode(double(s), Rounding::NearestEven, Overflow::Saturate);
  const float sv = float(e4m3.to_double(scale));
  const float denom = sv * s_dec;
  const float inv = denom == 0 ? FLT_MAX : std::min(1.0f / denom, FLT_MAX);
  for (int i = 0; i < n; ++i) {
    const float p = float(x[i]) * inv;
    codes[i] = f.encode(double(p), Rounding::NearestEven, Overflow::Saturate);
    values[i] = f.to_double(codes[i]) * double(sv) * double(s_dec);
  }
}

void quantize_nf4(const NumberFormat& f, const double* x, int n, uint32_t* codes, uint32_t& scale,
                  double* values) {
  float amax = 0;
  for (int i = 0; i < n; ++i)
    amax = std::max(amax, std::fabs(float(x[i])));
  uint32_t bits = 0;
  static_assert(sizeof bits == sizeof amax, "binary32");
  std::memcpy(&bits, &amax, sizeof bits);
  scale = bits;
  const float inv = 1.0f / amax;
  for (int i = 0; i < n; ++i) {
    codes[i] = amax == 0 ? 0 : f.encode(double(float(x[i]) * inv));
    values[i] = double(f.table[codes[i]]) * double(amax);
  }
}

} // namespace

int element_emax(const NumberFormat& f) {
  return std::ilogb(f.max_finite());
}

double block_scale_value(const NumberFormat& f, uint32_t scale_code) {
  if (f.block.scale_format == "fp32") {
    float v = 0;
    std::memcpy(&v, &scale_code, sizeof v);
    return double(v);
  }
  return lookup_number_format(f.block.scale_format).to_double(scale_code);
}

QuantizedMatrix quantize_matrix(const NumberFormat& f, const std::vector<std::vector<double>>& rows,
                                const QuantOptions& o) {
  QuantizedMatrix q;
  q.rows = int(rows.size());
  q.cols = rows.empty() ? 0 : int(rows[0].size());
  for (const auto& row : rows)
    if (int(row.size()) != q.cols) throw std::invalid_argument("rows of unequal length");
  q.codes.resize(size_t(q.rows) * q.cols);
  q.values.resize(q.codes.size());
  if (!f.is_block()) {
    const Rounding r = o.rounding.value_or(f.rounding);
    const Overflow ov = o.overflow.value_or(f.overflow);
    for (int i = 0; i < q.rows; ++i)
      for (int j = 0; j < q.cols; ++j) {
        const size_t k = size_t(i) * q.cols + j;
        q.codes[k] = f.encode(rows[i][j], r, ov);
        q.values[k] = f.to_double(q.codes[k]);
      }
    return q;
  }
  q.block = f.block.size;
  q.blocks_per_row = (q.cols + q.block - 1) / q.block;
  q.scales.resize(size_t(q.rows) * q.blocks_per_row);
  float s_enc = 1;
  if (f.block.rule == BlockRule::NVFP4) {
    float amax = 0;
    if (o.tensor_amax) {
      if (!(std::isfinite(*o.tensor_amax) && *o.tensor_amax > 0))
        throw std::invalid_argument("the tensor amax must be finite and positive");
      amax = float(*o.tensor_amax);
    } else {
      for (const auto& row : rows)
        for (double v : row)
          amax = std::max(amax, std::fabs(float(v)));
    }
    q.tensor_amax = amax;
    s_enc = amax == 0 ? 1.0f : std::min(448.0f * 6.0f / amax, FLT_MAX);
    if (s_enc == 0) s_enc = 1.0f;
    q.tensor_decode_scale = 1.0f / s_enc;
  }
  for (int i = 0; i < q.rows; ++i)
    for (int b = 0; b < q.blocks_per_row; ++b) {
      const int lo = b * q.block, n = std::min(q.block, q.cols - lo);
      const size_t k = size_t(i) * q.cols + lo;
      uint32_t& scale = q.scales[size_t(i) * q.blocks_per_row + b];
      const double* x = rows[i].data() + lo;
      switch (f.block.rule) {
      case BlockRule::MX:
        quantize_mx(f, x, n, o, &q.codes[k], scale, &q.values[k]);
        break;
      case BlockRule::NVFP4:
        quantize_nvfp4(f, x, n, s_enc, q.tensor_decode_scale, &q.codes[k], scale, &q.values[k]);
        break;
      case BlockRule::NF4:
        quantize_nf4(f, x, n, &q.codes[k], scale, &q.values[k]);
        break;
      case BlockRule::None:
        throw std::logic_error("block format without a block rule");
      }
    }
  return q;
}

QuantizedMatrix quantize_vector(const NumberFormat& f, const std::vector<double>& x,
                                const QuantOptions& o) {
  return quantize_matrix(f, {x}, o);
}

} // namespace tpe
