// `tpe quantize`: real numbers of a CSV matrix into a number format
// (pe_models/number_format.h, block_quant.h): per element its code, its block's
// scale code and scale (block formats, blocks along each row = along K), and the
// exact decoded value; a summary (max abs error, SQNR) on stderr.
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/matrix_csv.h"
#include "pe_models/block_quant.h"
#include <cmath>
#include <fmt/format.h>
#include <iostream>

namespace tpe {
namespace {

struct QuantArgs {
  std::string format, input, out, rounding, mx_scale = "floor";
  double tensor_amax = 0;
  bool saturate = false;
};

// Refuse NaN and Inf where the format cannot hold them (an MX block takes them: it
// becomes NaN).
void check_specials(const RealMatrix& m, const std::string& path, const NumberFormat& f) {
  if (f.block.rule == BlockRule::MX) return;
  for (size_t i = 0; i < m.rows.size(); ++i)
    for (size_t j = 0; j < m.rows[i].size(); ++j) {
      const double v = m.rows[i][j];
      const std::string where = "column " + std::to_string(j + 1) + ": ";
      if (std::isnan(v) && !f.has_nan())
        throw InputError(path, m.line_of_row[i], "",
                         where + "NaN cannot be represented in " + f.name);
      if (std::isinf(v) && !f.has_inf() && !f.has_nan())
        throw InputError(path, m.line_of_row[i], "",
                         where + (v < 0 ? "-inf" : "inf") + " cannot be represented in " + f.name);
    }
}

std::string real(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  return fmt::format("{:.17g}", v);
}
std::string hex(uint32_t v, int bits) {
  return fmt::format("0x{:0{}x}", v, (bits + 3) / 4);
}

std::string choices() {
  return NumberFormatRegistry::instance().joined_names();
}

Registrar<CommandSetup> reg("quantize", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "quantize", "real numbers of a CSV matrix into a number format: codes, scales, values");
  auto a = std::make_shared<QuantArgs>();
  cmd->add_option("input", a->input, "CSV file: one real number per cell, rows of equal length")
      ->required();
  cmd->add_option("--format", a->format, "number format: " + choices())->required();
  cmd->add_option("--out", a->out, "write the CSV there (default: standard output)");
  auto* rnd = cmd->add_option("--rounding", a->rounding,
                              "element rounding: even (ties to even) or away (ties away from "
                              "zero); default per format: away for hif8, else even");
  cmd->add_flag("--saturate", a->saturate,
                "overflow to +-max instead of Inf/NaN (fp16, bf16, fp8_e4m3, fp8_e5m2, hif8, "
                "e8m0; every other format always saturates)");
  auto* mx = cmd->add_option("--mx-scale", a->mx_scale,
                             "MX scale rule: floor (OCP, floor(log2 amax) - emax) or up "
                             "(NVIDIA, ceil(log2(amax / max))); default floor");
  auto* ta = cmd->add_option("--tensor-amax", a->tensor_amax,
                             "nvfp4: the tensor amax of the FP32 tensor scale (default: measured "
                             "over the whole matrix)");
  cmd->callback([a, rnd, mx, ta, &exit_code] {
    const NumberFormat* f = NumberFormatRegistry::instance().find(a->format);
    if (!f)
      throw InputError("quantize: --format: unknown format '" + a->format +
                       "' (choose: " + choices() + ")");
    check_output_file(a->out);
    QuantOptions o;
    if (rnd->count()) {
      if (a->rounding != "even" && a->rounding != "away")
        throw InputError("quantize: --rounding: '" + a->rounding + "' (choose: even, away)");
      if (f->block.rule == BlockRule::NVFP4 || f->block.rule == BlockRule::NF4)
        throw InputError("quantize: --rounding: " + f->name +
                         " rounds as its reference does (nvfp4: even; nf4: nearest table entry, "
                         "ties to the lower code)");
      o.rounding = a->rounding == "even" ? Rounding::NearestEven : Rounding::NearestAway;
    }
    if (a->saturate) {
      if (f->is_block() || f->overflow == Overflow::Saturate)
        throw InputError("quantize: --saturate: " + f->name + " always saturates");
      o.overflow = Overflow::Saturate;
    }
    if (mx->count()) {
      if (f->block.rule != BlockRule::MX)
        throw InputError("quantize: --mx-scale: " + f->name + " is not an MX format");
      if (a->mx_scale != "floor" && a->mx_scale != "up")
        throw InputError("quantize: --mx-scale: '" + a->mx_scale + "' (choose: floor, up)");
      o.mx_scale = a->mx_scale == "floor" ? MxScaleRule::Floor : MxScaleRule::RoundUp;
    }
    if (ta->count()) {
      if (f->block.rule != BlockRule::NVFP4)
        throw InputError("quantize: --tensor-amax: only nvfp4 has a tensor scale");
      if (!(a->tensor_amax > 0) || !std::isfinite(float(a->tensor_amax)))
        throw InputError("quantize: --tensor-amax: must be positive and within binary32");
      o.tensor_amax = a->tensor_amax;
    }
    const RealMatrix m = read_real_matrix(a->input);
    check_specials(m, a->input, *f);
    const auto& rows = m.rows;
    const QuantizedMatrix q = quantize_matrix(*f, rows, o);
    const bool nv = f->block.rule == BlockRule::NVFP4;
    const int scale_bits = f->block.scale_format == "fp32" ? 32 : 8;
    std::string csv = f->is_block()
                          ? (nv ? "row,col,input,code,scale_code,scale,tensor_scale,value\n"
                                : "row,col,input,code,scale_code,scale,value\n")
                          : "row,col,input,code,value\n";
    double max_err = 0, sig = 0, noise = 0;
    int64_t skipped = 0;
    for (int i = 0; i < q.rows; ++i)
      for (int j = 0; j < q.cols; ++j) {
        const size_t k = size_t(i) * q.cols + j;
        const double x = rows[size_t(i)][size_t(j)], v = q.values[k];
        csv += fmt::format("{},{},{},{}", i, j, real(x), hex(q.codes[k], f->bits));
        if (f->is_block()) {
          const uint32_t s = q.scale_of(i, j);
          csv += "," + hex(s, scale_bits) + "," + real(block_scale_value(*f, s));
          if (nv) csv += "," + real(double(q.tensor_decode_scale));
        }
        csv += "," + real(v) + "\n";
        if (!std::isfinite(x) || !std::isfinite(v)) {
          ++skipped;
          continue;
        }
        max_err = std::max(max_err, std::fabs(x - v));
        sig += x * x;
        noise += (x - v) * (x - v);
      }
    if (a->out.empty())
      std::cout << csv;
    else
      write_file_atomic(a->out, csv);
    std::string sq = noise == 0 ? "inf"
                     : sig == 0 ? "n/a"
                                : fmt::format("{:.2f}", 10 * std::log10(sig / noise));
    std::string block;
    if (f->is_block())
      block =
          fmt::format(", blocks of {} along each row ({} scales)", q.block, f->block.scale_format);
    if (nv)
      block += ", tensor amax " + real(double(q.tensor_amax)) + " (S_dec " +
               real(double(q.tensor_decode_scale)) + ")";
    std::cerr << fmt::format("quantize: {}: {}x{} elements{}; max abs error {}, SQNR {} dB{}\n",
                             f->name, q.rows, q.cols, block, real(max_err), sq,
                             skipped ? fmt::format(" ({} NaN/Inf elements excluded)", skipped)
                                     : std::string());
    exit_code = 0;
  });
});

} // namespace
} // namespace tpe
