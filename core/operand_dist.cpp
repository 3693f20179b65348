// Operand distributions: parsing and drawing (see operand_dist.h). For every
// element the sparsity draw comes first, then the base distribution's draw(s).
// Normal draws outside the format's range are redrawn, at most 1000 times per
// element (a mean far outside the range is an input error, not a hang).
#include "core/operand_dist.h"
#include "core/error.h"
#include "pe_models/formats.h"
#include "pe_models/int_arith.h"
#include "pe_models/number_format.h"
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>

namespace tpe {

namespace {
bool parse_number(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end && *end == '\0' && std::isfinite(v);
}
} // namespace

OperandDist parse_operand_dist(const std::string& text) {
  auto bad = [&]() -> OperandDist {
    throw InputError("--operands", 0, "",
                     "unknown operand distribution '" + text +
                         "' (choose random, uniform, min, max, zero, normal:SD or "
                         "normal:SD:MEAN, optionally followed by @SPARSITY in 0..1)");
  };
  std::string s = text;
  double sparsity = 0;
  const size_t at = s.find('@');
  if (at != std::string::npos) {
    if (!parse_number(s.substr(at + 1), sparsity) || sparsity < 0 || sparsity > 1) return bad();
    s = s.substr(0, at);
  }
  if (s == "random" || s == "uniform") return {OperandFill::Random, 0, 0, sparsity};
  if (s == "min") return {OperandFill::Min, 0, 0, sparsity};
  if (s == "max") return {OperandFill::Max, 0, 0, sparsity};
  if (s == "zero") return {OperandFill::Zero, 0, 0, sparsity};
  if (s.rfind("normal:", 0) == 0) {
    const std::string rest = s.substr(7);
    const size_t colon = rest.find(':');
    double sd = 0, mean = 0;
    if (!parse_number(rest.substr(0, colon), sd) || !(sd > 0) || sd > 1e9) return bad();
    if (colon != std::string::npos && !parse_number(rest.substr(colon + 1), mean)) return bad();
    return {OperandFill::Normal, sd, mean, sparsity};
  }
  return bad();
}

OperandMatrix fill_operands(int64_t r, int64_t c, int bits, const OperandDist& d, Rng& rng) {
  OperandMatrix M(r, c);
  std::normal_distribution<double> nd(d.mean, d.sd > 0 ? d.sd : 1.0);
  std::uniform_int_distribution<int64_t> ud(int_min(bits), int_max(bits));
  std::uniform_real_distribution<double> zero_draw(0.0, 1.0);
  for (auto& v : M.data) {
    if (d.sparsity > 0 && zero_draw(rng.engine()) < d.sparsity) {
      v = 0;
      continue;
    }
    int64_t x = 0;
    switch (d.fill) {
    case OperandFill::Normal: {
      int tries = 0;
      double y = 0;
      do {
        if (++tries > 1000)
          throw InputError("--operands", 0, "",
                           "normal:" + std::to_string(d.sd) + ":" + std::to_string(d.mean) +
                               " almost never falls inside the " + std::to_string(bits) +
                               "-bit operand range");
        y = nd(rng.engine());
      } while (!(y > double(int_min(bits)) - 0.5 && y < double(int_max(bits)) + 0.5));
      x = std::llround(y);
      break;
    }
    case OperandFill::Random:
      x = ud(rng.engine());
      break;
    case OperandFill::Min:
      x = int_min(bits);
      break;
    case OperandFill::Max:
      x = int_max(bits);
      break;
    case OperandFill::Zero:
      x = 0;
      break;
    }
    v = static_cast<int32_t>(x);
  }
  return M;
}

OperandMatrix fill_operands(int64_t r, int64_t c, const std::string& format, const OperandDist& d,
                            Rng& rng) {
  const FormatInfo& fi = lookup_format(format);
  if (fi.is_integer) return fill_operands(r, c, fi.bits, d, rng);
  const NumberFormat& nf = fi.number_format();
  OperandMatrix M(r, c);
  std::normal_distribution<double> nd(d.mean, d.sd > 0 ? d.sd : 1.0);
  std::uniform_int_distribution<int64_t> ud(0, (int64_t(1) << fi.bits) - 1);
  std::uniform_real_distribution<double> zero_draw(0.0, 1.0);
  const int32_t max_code = static_cast<int32_t>(nf.max_code());
  const int32_t min_code = static_cast<int32_t>(nf.encode(-nf.max_finite()));
  for (auto& v : M.data) {
    if (d.sparsity > 0 && zero_draw(rng.engine()) < d.sparsity) {
      v = 0;
      continue;
    }
    switch (d.fill) {
    case OperandFill::Normal:
      v = static_cast<int32_t>(nf.encode(nd(rng.engine())));
      break;
    case OperandFill::Random:
      v = static_cast<int32_t>(ud(rng.engine()));
      break;
    case OperandFill::Min:
      v = min_code;
      break;
    case OperandFill::Max:
      v = max_code;
      break;
    case OperandFill::Zero:
      v = 0;
      break;
    }
  }
  return M;
}

void attach_block_scales(OperandMatrix& M, const std::string& format, bool k_along_rows,
                         const std::string& accumulate, Rng& rng) {
  const NumberFormat& f = lookup_number_format(format);
  if (!f.is_block()) return;
  const bool fp16 = accumulate == "fp16";
  const bool e8m0 = f.block.scale_format == "e8m0";
  const int64_t lo = e8m0 ? (fp16 ? 115 : 107) : 0x08;
  const int64_t hi = e8m0 ? (fp16 ? 127 : 147) : (fp16 ? 0x40 : 0x7E);
  const int64_t K = k_along_rows ? M.rows : M.cols, L = k_along_rows ? M.cols : M.rows;
  const int64_t B = f.block.size;
  for (int64_t l = 0; l < L; ++l)
    for (int64_t b = 0; b * B < K; ++b) {
      const int32_t s = static_cast<int32_t>(rng.uniform(lo, hi));
      for (int64_t k = b * B; k < std::min(K, (b + 1) * B); ++k) {
        int32_t& v = k_along_rows ? M.at(k, l) : M.at(l, k);
        v = (v & ((int32_t(1) << f.bits) - 1)) | (s << f.bits);
      }
    }
}

} // namespace tpe
