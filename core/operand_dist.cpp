// Operand distributions: parsing and drawing (see operand_dist.h). For every
// element the sparsity draw comes first, then the base distribution's draw(s);
// student_t draws a whole row that way, then scales it by its absolute maximum.
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
#include <vector>

namespace tpe {

namespace {
bool parse_number(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end && *end == '\0' && std::isfinite(v);
}
// Row by row: the sparsity draw, then a Student-t draw, for each element; then the
// row scaled so that its largest magnitude is `top`; emit(element index, value)
// (0 for a sparse element or a row of zeros).
template <typename Emit>
void student_t_rows(int64_t r, int64_t c, const OperandDist& d, double top, Rng& rng, Emit emit) {
  std::student_t_distribution<double> td(d.sd);
  std::uniform_real_distribution<double> zero_draw(0.0, 1.0);
  std::vector<double> row(static_cast<size_t>(c));
  for (int64_t i = 0; i < r; ++i) {
    double absmax = 0;
    for (auto& y : row) {
      y = d.sparsity > 0 && zero_draw(rng.engine()) < d.sparsity ? 0.0 : td(rng.engine());
      absmax = std::max(absmax, std::fabs(y));
    }
    const double scale = absmax > 0 ? top / absmax : 0;
    for (int64_t j = 0; j < c; ++j)
      emit(i * c + j, std::clamp(row[static_cast<size_t>(j)] * scale, -top, top));
  }
}
} // namespace

OperandDist parse_operand_dist(const std::string& text) {
  auto bad = [&]() -> OperandDist {
    throw InputError("--operands", 0, "",
                     "unknown operand distribution '" + text +
                         "' (choose random, uniform, min, max, zero, normal:SD, normal:SD:MEAN or "
                         "student_t:DOF, optionally followed by @SPARSITY in 0..1)");
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
  if (s.rfind("student_t:", 0) == 0) {
    double dof = 0;
    if (!parse_number(s.substr(10), dof) || dof < 1 || dof > 1e6) return bad();
    return {OperandFill::StudentT, dof, 0, sparsity};
  }
  return bad();
}

OperandMatrix fill_operands(int64_t r, int64_t c, int bits, const OperandDist& d, Rng& rng) {
  OperandMatrix M(r, c);
  if (d.fill == OperandFill::StudentT) {
    student_t_rows(r, c, d, double(int_max(bits)), rng, [&](int64_t k, double y) {
      M.data[static_cast<size_t>(k)] = static_cast<int32_t>(std::nearbyint(y));
    });
    return M;
  }
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
    case OperandFill::StudentT: // drawn by rows above
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
  if (d.fill == OperandFill::StudentT) {
    student_t_rows(r, c, d, nf.max_finite(), rng, [&](int64_t k, double y) {
      M.data[static_cast<size_t>(k)] = y == 0 ? 0 : static_cast<int32_t>(nf.encode(y));
    });
    return M;
  }
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
    case OperandFill::StudentT: // drawn by rows above
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
