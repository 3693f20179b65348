// Number formats compared. Algorithm: each architecture file is parsed; a refusal
// (InputError) becomes the row's text. An accepted design runs through
// compare_designs (reports/compare.cpp: one synthesis, one gate-level power run per
// operand distribution, the PE alone) on the table's one GEMM, then the accuracy
// GEMM: seeded real operands (standard normal, Student-t), a per-tensor scale
// (tensor_scale), the format's encode (block formats: pe_models/block_operand.h, A
// by rows and B by columns along K, as `tpe gemm`), the SystemC model
// (testbenches/lib/verify.h run_model_on, as `tpe gemm`), each accumulator word's
// exact value (pe_models/acc_value.h; NVFP4: times S_dec(A) S_dec(B) in binary64,
// tpe gemm's epilogue) against the float64 GEMM of the scaled reals, k ascending.
// The L-Mul statistics enumerate every code pair of a format (pe_models/lmul.h
// against pe_models/fp_arith.h exact_product), and an n x n grid of reals quantized
// to m mantissa bits for the end-to-end comparison.
#include "reports/formats.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/workload.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/acc_value.h"
#include "pe_models/block_operand.h"
#include "pe_models/fp_arith.h"
#include "testbenches/lib/verify.h"
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <random>

namespace tpe {

double tensor_scale(const NumberFormat& f, double amax) {
  if (!(amax > 0) || !std::isfinite(amax) || f.is_block()) return 1;
  const bool fp8 = f.kind == FormatKind::Float && f.bits == 8;
  if (f.kind != FormatKind::Integer && !fp8) return 1;
  return f.max_finite() / amax;
}

void accuracy_operands(int64_t M, int64_t K, int64_t N, const std::string& kind, double dof,
                       uint64_t seed, std::vector<double>& A, std::vector<double>& B) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::student_t_distribution<double> student(dof);
  auto draw = [&] { return kind == "normal" ? normal(gen) : student(gen); };
  A.resize(size_t(M * K));
  B.resize(size_t(K * N));
  for (auto& v : A)
    v = draw();
  for (auto& v : B)
    v = draw();
}

namespace {

// The operand code in OperandMatrix's convention: integers as signed values, other
// formats as the unsigned W-bit code (as `tpe gemm`).
int32_t operand_code(const NumberFormat& f, double v) {
  if (f.kind != FormatKind::Integer) return static_cast<int32_t>(f.encode(v));
  const uint32_t code = f.encode(v, Rounding::NearestEven, Overflow::Saturate);
  const uint32_t sign = uint32_t(1) << (f.bits - 1);
  return static_cast<int32_t>(code ^ sign) - static_cast<int32_t>(sign);
}

double amax_of(const std::vector<double>& v) {
  double m = 0;
  for (double x : v)
    m = std::max(m, std::fabs(x));
  return m;
}

} // namespace

GemmAccuracy gemm_accuracy(const ArchConfig& arch, int64_t M, int64_t K, int64_t N,
                           const std::vector<double>& A, const std::vector<double>& B) {
  const NumberFormat& fa = lookup_number_format(arch.act());
  const NumberFormat& fw = lookup_number_format(arch.weight());
  GemmAccuracy r;
  r.scale_a = tensor_scale(fa, amax_of(A));
  r.scale_b = tensor_scale(fw, amax_of(B));
  OperandMatrix qa(M, K), qb(K, N);
  std::vector<double> sa(A.size()), sb(B.size());
  for (size_t x = 0; x < A.size(); ++x)
    sa[x] = A[x] * r.scale_a;
  for (size_t x = 0; x < B.size(); ++x)
    sb[x] = B[x] * r.scale_b;
  // block formats as `tpe gemm`: A by rows, B by columns along K (pe_models/block_operand.h)
  double tensor_a = 1, tensor_b = 1; // NVFP4 S_dec (epilogue)
  if (fa.is_block()) {
    BlockOperand op = block_operand(fa, sa, M, K, false);
    qa = std::move(op.codes);
    tensor_a = op.tensor_decode_scale;
  } else {
    for (int64_t i = 0; i < M; ++i)
      for (int64_t k = 0; k < K; ++k)
        qa.at(i, k) = operand_code(fa, sa[size_t(i * K + k)]);
  }
  if (fw.is_block()) {
    BlockOperand op = block_operand(fw, sb, K, N, true);
    qb = std::move(op.codes);
    tensor_b = op.tensor_decode_scale;
  } else {
    for (int64_t k = 0; k < K; ++k)
      for (int64_t j = 0; j < N; ++j)
        qb.at(k, j) = operand_code(fw, sb[size_t(k * N + j)]);
  }
  r.tensor_decode_a = tensor_a;
  r.tensor_decode_b = tensor_b;
  Layer layer;
  layer.name = "accuracy";
  layer.M = M;
  layer.K = K;
  layer.N = N;
  const ModelRun mr = run_model_on(arch, layer, qa, qb);
  const ResultMatrix C = extract_result(mr.map, mr.out_memory);
  double sig = 0, noise = 0;
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double ref = 0;
      for (int64_t k = 0; k < K; ++k)
        ref += sa[size_t(i * K + k)] * sb[size_t(k * N + j)];
      const double v = accumulator_value(arch, C.at(i, j)) * (tensor_a * tensor_b);
      const double err = v - ref;
      if (!std::isfinite(v) || !std::isfinite(ref)) {
        ++r.excluded;
        continue;
      }
      sig += ref * ref;
      noise += err * err;
      r.max_abs_error = std::max(r.max_abs_error, std::fabs(err));
    }
  r.sqnr_db = noise == 0 ? std::numeric_limits<double>::infinity() : 10 * std::log10(sig / noise);
  return r;
}

std::vector<FormatsRow> formats_table(const std::vector<std::string>& arch_files,
                                      const FormatsOptions& opt, std::ostream& progress) {
  const Layer g = parse_gemm_spec(opt.accuracy_gemm);
  if (g.macs() > (int64_t(1) << 24))
    throw InputError("--accuracy-gemm", 0, "",
                     fmt::format("{} is {} multiply-adds, more than the limit of 2^24",
                                 opt.accuracy_gemm, g.macs()));
  if (!(opt.t_dof > 0))
    throw InputError("--t-dof", 0, "", "the degrees of freedom must be positive");
  std::vector<FormatsRow> rows(arch_files.size());
  std::vector<ArchConfig> archs(arch_files.size());
  int rmax = 1, cmax = 1;
  for (size_t i = 0; i < arch_files.size(); ++i) {
    FormatsRow& r = rows[i];
    r.arch_file = arch_files[i];
    check_input_file(r.arch_file, "the architecture file"); // a missing file is an error
    try {
      archs[i] = parse_arch_file(r.arch_file);
    } catch (const InputError& e) {
      r.refusal = e.what();
      continue;
    }
    const ArchConfig& a = archs[i];
    r.design = a.name;
    r.pe = a.pe;
    r.act = a.act();
    r.weight = a.weight();
    r.accumulate = a.accumulate;
    rmax = std::max(rmax, a.rows);
    cmax = std::max(cmax, a.cols);
  }
  CompareOptions co = opt.compare;
  if (co.gemm.empty()) co.gemm = fmt::format("{}x128x{}", 2 * rmax, 2 * cmax); // as compare
  std::vector<double> A[2], B[2];
  const char* kinds[2] = {"normal", "student_t"};
  for (int d = 0; d < 2; ++d)
    accuracy_operands(g.M, g.K, g.N, kinds[d], opt.t_dof, opt.compare.seed, A[d], B[d]);
  for (size_t i = 0; i < rows.size(); ++i) {
    FormatsRow& r = rows[i];
    if (!r.refusal.empty()) {
      progress << "formats: " << r.arch_file << ": refused: " << r.refusal << "\n";
      continue;
    }
    if (!opt.accuracy_only) {
      try {
        r.hw = compare_designs({r.arch_file}, co, progress).at(0);
        r.has_hw = true;
      } catch (const InputError& e) {
        r.refusal = e.what();
        progress << "formats: " << r.arch_file << ": refused: " << r.refusal << "\n";
        continue;
      }
    }
    progress << "formats: " << r.design << ", accuracy GEMM " << opt.accuracy_gemm << "\n";
    try {
      for (int d = 0; d < 2; ++d) {
        GemmAccuracy acc = gemm_accuracy(archs[i], g.M, g.K, g.N, A[d], B[d]);
        acc.operands = d == 0 ? "normal" : fmt::format("student_t{:g}", opt.t_dof);
        r.accuracy.push_back(acc);
      }
    } catch (const InputError& e) {
      r.accuracy.clear();
      r.acc_refusal = e.what();
    }
  }
  return rows;
}

// ---- L-Mul statistics ----

namespace {

bool pair_in_set(const NumberFormat& f, const Unpacked& a, const Unpacked& b, double exact,
                 PairSet set) {
  if (a.kind != Unpacked::Kind::Finite || b.kind != Unpacked::Kind::Finite) return false;
  if (set == PairSet::FiniteNonzero) return exact != 0;
  const int p = f.fl.man_bits;
  const int emin = 1 - f.fl.bias;
  const auto normal = [&](const Unpacked& u) { return u.sig >= (uint64_t(1) << p); };
  if (!normal(a) || !normal(b)) return false;
  const int emax = std::ilogb(f.max_finite());
  const double m = std::fabs(exact);
  if (m < std::ldexp(1.0, emin)) return false;
  return set == PairSet::NormalInRange ? m <= f.max_finite() : m < std::ldexp(1.0, emax + 1);
}

template <class Approx> ErrorStats pair_error(const NumberFormat& f, PairSet set, Approx approx) {
  if (f.kind != FormatKind::Float) throw std::invalid_argument(f.name + " is not a float format");
  ErrorStats s;
  double sum = 0;
  for (uint32_t x = 0; x < f.code_count(); ++x)
    for (uint32_t y = 0; y < f.code_count(); ++y) {
      const Unpacked a = f.decode(x), b = f.decode(y);
      if (a.kind != Unpacked::Kind::Finite || b.kind != Unpacked::Kind::Finite) continue;
      const double exact = unpacked_to_double(exact_product(a, b));
      if (!pair_in_set(f, a, b, exact, set)) continue;
      const double v = approx(a, b, exact);
      const double e = std::isfinite(v) ? std::fabs(v - exact) / std::fabs(exact) : 1.0;
      sum += e;
      s.max = std::max(s.max, e);
      ++s.pairs;
    }
  s.mean = s.pairs ? sum / double(s.pairs) : 0;
  return s;
}

// x (> 0) rounded to m mantissa bits, ties to even, unbounded exponent, as an
// Unpacked with sig in [2^m, 2^(m+1)).
Unpacked quantize_mantissa(double x, int m) {
  int e = 0;
  std::frexp(x, &e);                                   // x = f 2^e, f in [0.5, 1)
  double s = std::nearbyint(std::ldexp(x, m + 1 - e)); // in [2^m, 2^(m+1)], ties to even
  int lsb = e - m - 1;
  if (s >= std::ldexp(1.0, m + 1)) {
    s /= 2;
    ++lsb;
  }
  Unpacked u;
  u.kind = Unpacked::Kind::Finite;
  u.sig = static_cast<uint64_t>(s);
  u.exp = lsb;
  return u;
}

} // namespace

ErrorStats lmul_pair_error(const NumberFormat& f, LmulOffset o, PairSet set) {
  const int m = f.fl.man_bits;
  return pair_error(f, set, [&](const Unpacked& a, const Unpacked& b, double) {
    return unpacked_to_double(lmul(a, b, m, o));
  });
}

ErrorStats rounded_pair_error(const NumberFormat& f, const NumberFormat& r, PairSet set) {
  return pair_error(f, set, [&](const Unpacked&, const Unpacked&, double exact) {
    return r.to_double(r.encode(exact, Rounding::NearestEven, r.overflow));
  });
}

ErrorStats grid_error(int n, int lmul_m, LmulOffset o, int round_m) {
  if (n < 1) throw std::invalid_argument("grid_error: n must be positive");
  ErrorStats s;
  double sum = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double x = 1 + (i + 0.5) / n, y = 1 + (j + 0.5) / n, exact = x * y;
      double v;
      if (lmul_m > 0) {
        v = unpacked_to_double(
            lmul(quantize_mantissa(x, lmul_m), quantize_mantissa(y, lmul_m), lmul_m, o));
      } else {
        const double qx = unpacked_to_double(quantize_mantissa(x, round_m));
        const double qy = unpacked_to_double(quantize_mantissa(y, round_m));
        v = unpacked_to_double(quantize_mantissa(qx * qy, round_m)); // qx qy exact in double
      }
      const double e = std::fabs(v - exact) / exact;
      sum += e;
      s.max = std::max(s.max, e);
      ++s.pairs;
    }
  s.mean = sum / double(s.pairs);
  return s;
}

// ---- output ----

namespace {

std::string num(double v, const char* f) {
  return v > 0 ? fmt::format(fmt::runtime(f), v) : std::string("n/a");
}

std::string db(double v) {
  return std::isinf(v) ? std::string("exact") : fmt::format("{:.2f}", v);
}

std::string format_text(const FormatsRow& r) {
  return r.act == r.weight ? r.act : r.act + " x " + r.weight;
}

// One-line cell text: '|' would end the cell
std::string cell(std::string s) {
  for (auto& c : s)
    if (c == '|' || c == '\n') c = c == '|' ? '/' : ' ';
  return s;
}

} // namespace

std::string formats_markdown(const std::vector<FormatsRow>& rows, const FormatsOptions& opt) {
  const auto& dists = opt.compare.operands;
  std::string lib;
  for (const auto& r : rows)
    if (r.has_hw) {
      lib = r.hw.synth.library;
      break;
    }
  std::string gemm;
  for (const auto& r : rows)
    if (r.has_hw) {
      gemm = r.hw.gemm;
      break;
    }
  std::string out;
  if (!opt.accuracy_only)
    out += fmt::format(
        "Library: {}. Synthesis and power clock {} ns; energy from gate-level switching activity "
        "on the GEMM {} ({} simulator); TOPS at each design's own fmax, 2 operations per MAC "
        "(TOPS/W = 2 / pJ per MAC, TOPS/mm^2 = 2 x PEs x fmax / area). ",
        lib.empty() ? std::string("none ran") : lib, opt.compare.synth.clock_ns,
        gemm.empty() ? std::string("(none ran)") : gemm,
        opt.compare.simulator == GateSimulator::Native ? "native" : "Verilator");
  out += fmt::format(
      "Accuracy: SQNR of the GEMM {} through the engine's model against float64, operands "
      "standard normal and Student-t ({:g} degrees of freedom), per-tensor absmax scaling for "
      "integer and FP8 formats, block scales along K for block formats (NVFP4: C times the "
      "tensor scales' S_dec, as tpe gemm); seed {}.\n\n",
      opt.accuracy_gemm, opt.t_dof, opt.compare.seed);
  std::string head = "| design | PE | format | accumulate |";
  std::string rule = "|---|---|---|---|";
  if (!opt.accuracy_only) {
    head += " area (mm^2) | one PE (um^2) | fmax (MHz) |";
    rule += "--:|--:|--:|";
    for (const auto& d : dists) {
      head += " pJ/MAC " + d + " |";
      rule += "--:|";
    }
    for (const auto& d : dists) {
      head += " TOPS/W " + d + " |";
      rule += "--:|";
    }
    head += " TOPS/mm^2 |";
    rule += "--:|";
  }
  head += fmt::format(" SQNR normal (dB) | SQNR t({:g}) (dB) |", opt.t_dof);
  rule += "--:|--:|";
  out += head + "\n" + rule + "\n";
  const size_t hw_cols = opt.accuracy_only ? 0 : 4 + 2 * dists.size();
  for (const auto& r : rows) {
    if (!r.refusal.empty()) {
      std::string design = r.design.empty() ? r.arch_file : r.design;
      out += fmt::format("| {} | refused: {} |", cell(design), cell(r.refusal));
      for (size_t c = 0; c < 2 + hw_cols + 2; ++c)
        out += " |";
      out += "\n";
      continue;
    }
    out += fmt::format("| {} | {} | {} | {} |", r.design, r.pe, format_text(r), r.accumulate);
    if (!opt.accuracy_only) {
      const CompareRow& h = r.hw;
      out += fmt::format(" {} | {} | {} |", num(h.area_mm2, "{:.3f}"), num(h.pe_area, "{:.0f}"),
                         num(h.synth.fmax_mhz, "{:.1f}"));
      for (double v : h.pj_per_mac)
        out += " " + num(v, "{:.2f}") + " |";
      for (double v : h.tops_per_w)
        out += " " + num(v, "{:.3f}") + " |";
      out += " " + num(h.tops_per_mm2, "{:.4f}") + " |";
    }
    if (!r.acc_refusal.empty())
      out += " not run: " + cell(r.acc_refusal) + " | |";
    else
      for (const auto& a : r.accuracy)
        out += " " + db(a.sqnr_db) + " |";
    out += "\n";
  }
  return out;
}

namespace {

std::string pct(const ErrorStats& s) {
  return fmt::format("{:.3f}% / {:.2f}%", 100 * s.mean, 100 * s.max);
}

const FormatsRow* find_row(const std::vector<FormatsRow>& rows, const std::string& pe,
                           const std::string& fmt) {
  for (const auto& r : rows)
    if (r.refusal.empty() && r.has_hw && r.pe == pe && r.act == fmt && r.weight == fmt &&
        !r.hw.pj_per_mac.empty())
      return &r;
  return nullptr;
}

} // namespace

PeSplit pe_split(const CompareRow& h) {
  PeSplit s;
  const auto ends = [](const std::string& n, const std::string& suf) {
    return n.size() >= suf.size() && n.compare(n.size() - suf.size(), suf.size(), suf) == 0;
  };
  const auto is_mul = [&](const std::string& n) {
    return ends(n, "_fmul") || ends(n, "_fprod") || n.find("_dec_") != std::string::npos;
  };
  for (const auto& m : h.synth.modules)
    if (ends(m.module, "_fmul")) s.mul_area = m.area;
  for (size_t d = 0; d < h.pj_by_module.size(); ++d) {
    double mul = 0, add = 0;
    for (const auto& [name, pj] : h.pj_by_module[d]) {
      if (is_mul(name)) mul += pj;
      if (ends(name, "_fadd")) add += pj;
    }
    const double macs = count_double(h.macs);
    s.mul_pj.push_back(macs > 0 ? mul / macs : 0);
    s.add_pj.push_back(macs > 0 ? add / macs : 0);
  }
  return s;
}

std::string lmul_markdown(const std::vector<FormatsRow>& rows, const FormatsOptions& opt) {
  const NumberFormat& e4 = lookup_number_format("fp8_e4m3");
  const NumberFormat& e5 = lookup_number_format("fp8_e5m2");
  std::string out =
      "L-Mul (integer-add form, pe_models/lmul.h) against the exact product, every pair of "
      "codes of the set: relative error |approx - exact| / |exact|, mean / max (a rounded "
      "product that overflows to Inf or NaN counts 100%).\n\n"
      "| operands | pairs | L-Mul, paper offset | L-Mul, const4 offset (2^-4) | exact product "
      "rounded to the operand format (RNE) | ARITHMETIC.md: L-Mul ; rounded |\n"
      "|---|--:|--:|--:|--:|---|\n";
  struct Set {
    const NumberFormat* f;
    PairSet set;
    const char* label;
    const char* claim;
  };
  const Set sets[] = {
      {&e4, PairSet::FiniteNonzero, "E4M3, all finite pairs, product not 0", "–"},
      {&e4, PairSet::NormalInRange, "E4M3, normal pairs, product in [2^-6, 448]",
       "5.24% / 12.5% ; 1.90% / 5.19%"},
      {&e4, PairSet::NormalBinades, "E4M3, normal pairs, product in [2^-6, 2^9)",
       "5.24% / 12.5% ; 1.90% / 5.19%"},
      {&e5, PairSet::FiniteNonzero, "E5M2, all finite pairs, product not 0", "–"},
      {&e5, PairSet::NormalInRange, "E5M2, normal pairs, product in [2^-14, 57344]",
       "14.66% / 25% ; 3.56% / 11.1%"},
      {&e5, PairSet::NormalBinades, "E5M2, normal pairs, product in [2^-14, 2^16)",
       "14.66% / 25% ; 3.56% / 11.1%"},
  };
  for (const auto& s : sets) {
    const ErrorStats lp = lmul_pair_error(*s.f, LmulOffset::Paper, s.set);
    const ErrorStats lc = lmul_pair_error(*s.f, LmulOffset::Const4, s.set);
    const ErrorStats rr = rounded_pair_error(*s.f, *s.f, s.set);
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", s.label, lp.pairs, pct(lp), pct(lc),
                       pct(rr), s.claim);
  }
  const int n = 1024;
  out += fmt::format(
      "\nEnd to end, the paper's comparison: x, y on a grid of {} x {} points in [1, 2) "
      "(every pair), quantized to the mantissa width (RNE), against the exact x y; an "
      "\"E5M2 / E4M3 multiply\" rounds the inputs and the product to 2 / 3 mantissa bits "
      "(exponent range unbounded).\n\n"
      "| claim (Luo and Sun) | L-Mul, paper offset | FP8 multiply | ARITHMETIC.md | holds? |\n"
      "|---|--:|--:|---|---|\n",
      n, n);
  const ErrorStats l3 = grid_error(n, 3, LmulOffset::Paper, 0);
  const ErrorStats m2 = grid_error(n, 0, LmulOffset::Paper, 2);
  const ErrorStats l4 = grid_error(n, 4, LmulOffset::Paper, 0);
  const ErrorStats m3 = grid_error(n, 0, LmulOffset::Paper, 3);
  out += fmt::format("| 3-bit-mantissa L-Mul more precise than E5M2 | {} | {} (E5M2) | 5.74% / "
                     "21.4% vs 7.04% / 28.9% | {} |\n",
                     pct(l3), pct(m2), l3.mean < m2.mean ? "yes (mean)" : "no (mean error higher)");
  out += fmt::format("| 4-bit-mantissa L-Mul like E4M3 | {} | {} (E4M3) | 5.27% / 17.1% vs "
                     "3.52% / 14.2% | {} |\n",
                     pct(l4), pct(m3),
                     l4.mean <= 1.1 * m3.mean
                         ? "yes (mean within 10%)"
                         : fmt::format("no (mean error {:.2f}x E4M3's)", l4.mean / m3.mean));
  out += "\nEnergy per MAC of the 16x16 arrays above (gate level; \"array\": the whole array, "
         "\"PEs\": the PE instances, \"multiplier\": the PEs' operand decoders and exact product "
         "or L-Mul, modules `_fmul`, `_dec_*`, `_fprod`), L-Mul against the exact product in the "
         "same format and array; the paper claims 80% less energy per dot product (L-Mul / "
         "exact 0.20) and 95% less per element-wise multiply (0.05):\n\n"
         "| format | operands | exact product pJ/MAC (array / PEs / multiplier) | L-Mul pJ/MAC "
         "(array / PEs / multiplier) | L-Mul / exact (array / PEs / multiplier) | multiplier area "
         "(um^2, exact / L-Mul) |\n|---|---|--:|--:|--:|--:|\n";
  for (const char* f : {"fp8_e4m3", "bf16"}) {
    const FormatsRow* mac = find_row(rows, "mac", f);
    const FormatsRow* lm = find_row(rows, "lmul", f);
    if (!mac || !lm) {
      out += fmt::format("| {} | – | {} | {} | – | – |\n", f, mac ? "measured" : "not measured",
                         lm ? "measured" : "not measured");
      continue;
    }
    const size_t nd = std::min(mac->hw.pj_per_mac.size(), lm->hw.pj_per_mac.size());
    const PeSplit s0 = pe_split(mac->hw), s1 = pe_split(lm->hw);
    for (size_t d = 0; d < nd; ++d) {
      const double a0 = mac->hw.pj_per_mac[d], p0 = mac->hw.pe_pj_per_mac[d];
      const double a1 = lm->hw.pj_per_mac[d], p1 = lm->hw.pe_pj_per_mac[d];
      const double m0 = s0.mul_pj[d], m1 = s1.mul_pj[d];
      out += fmt::format(
          "| {} | {} | {:.2f} / {:.2f} / {:.3f} | {:.2f} / {:.2f} / {:.3f} | {:.3f} / "
          "{:.3f} / {:.3f} | {:.0f} / {:.0f} |\n",
          f, d < opt.compare.operands.size() ? opt.compare.operands[d] : "", a0, p0, m0, a1, p1, m1,
          a1 / a0, p1 / p0, m0 > 0 ? m1 / m0 : 0.0, s0.mul_area, s1.mul_area);
    }
  }
  return out;
}

nlohmann::json formats_json(const std::vector<FormatsRow>& rows, const FormatsOptions& opt) {
  nlohmann::json j;
  j["seed"] = opt.compare.seed;
  j["clock_ns"] = opt.compare.synth.clock_ns;
  j["operands"] = opt.compare.operands;
  j["accuracy_gemm"] = opt.accuracy_gemm;
  j["t_dof"] = opt.t_dof;
  j["designs"] = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json d;
    d["arch_file"] = r.arch_file;
    if (!r.refusal.empty()) {
      d["refused"] = r.refusal;
      j["designs"].push_back(d);
      continue;
    }
    d["design"] = r.design;
    d["pe"] = r.pe;
    d["act"] = r.act;
    d["weight"] = r.weight;
    d["accumulate"] = r.accumulate;
    if (r.has_hw) {
      CompareOptions co = opt.compare;
      d["hardware"] = compare_json({r.hw}, co)["designs"][0];
      const PeSplit sp = pe_split(r.hw);
      if (sp.mul_area > 0) {
        d["multiplier_area_um2"] = sp.mul_area;
        for (size_t k = 0; k < sp.mul_pj.size() && k < co.operands.size(); ++k)
          d["pe_split"][co.operands[k]] = {{"multiplier_pj_per_mac", sp.mul_pj[k]},
                                           {"accumulate_adder_pj_per_mac", sp.add_pj[k]}};
      }
    }
    if (!r.acc_refusal.empty()) d["accuracy_refused"] = r.acc_refusal;
    for (const auto& a : r.accuracy)
      d["accuracy"][a.operands] = {
          {"sqnr_db", std::isinf(a.sqnr_db) ? nlohmann::json("inf") : nlohmann::json(a.sqnr_db)},
          {"max_abs_error", a.max_abs_error},
          {"excluded", a.excluded},
          {"scale_a", a.scale_a},
          {"scale_b", a.scale_b},
          {"tensor_decode_a", a.tensor_decode_a},
          {"tensor_decode_b", a.tensor_decode_b}};
    j["designs"].push_back(d);
  }
  return j;
}

} // namespace tpe
