// Number formats compared (`tpe formats`, `make formats`): one row per architecture
// file with its hardware figures from `tpe compare` (reports/compare.h: synthesis
// area, OpenSTA fmax, gate-level pJ/MAC per operand distribution, TOPS/W =
// 2 / pJ per MAC, TOPS/mm^2 = 2 x PEs x fmax / area) and the accuracy of one seeded
// GEMM through the engine's exact arithmetic (the SystemC model, as `tpe gemm` runs
// it) against float64, on normal and on Student-t operands; a design the
// architecture parser or a flow refuses keeps its row with the one-line refusal.
// Beside it, the L-Mul table: L-Mul's relative error against exact products over
// code pairs and end to end, the RNE-rounded FP8 products the paper compares with,
// and the array energy of L-Mul against the exact product, next to the claims of
// Luo and Sun (arXiv:2410.00907; ../shared/ARITHMETIC.md section 3).
#pragma once
#include "pe_models/lmul.h"
#include "pe_models/number_format.h"
#include "reports/compare.h"
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace tpe {

struct FormatsOptions {
  CompareOptions compare; // library, clock, operand distributions, seed, gate simulator
  std::string accuracy_gemm = "64x256x64"; // MxKxN of the accuracy GEMM
  double t_dof = 3;                        // degrees of freedom of the Student-t operands
  bool accuracy_only = false;              // no synthesis or gate-level runs
};

// Accuracy of one GEMM C = A B through the engine's model against the float64 GEMM
// of the same real operands (after the per-tensor scale): SQNR = 10 log10(sum ref^2 /
// sum (C - ref)^2) in dB (+inf when exact), max |C - ref|, over the elements where C
// and ref are finite (the others counted in `excluded`).
struct GemmAccuracy {
  std::string operands; // "normal" or "student_t3"
  double sqnr_db = 0, max_abs_error = 0;
  int64_t excluded = 0;
  double scale_a = 1, scale_b = 1; // per-tensor scales applied to A and B
  // NVFP4's S_dec of A and B (1 for other formats): the epilogue factor on C, as tpe gemm
  double tensor_decode_a = 1, tensor_decode_b = 1;
};

struct FormatsRow {
  std::string arch_file, design, pe, act, weight, accumulate;
  std::string refusal;                // non-empty: the one-line refusal, no figures
  bool has_hw = false;                // hardware figures present (not accuracy_only, not refused)
  CompareRow hw;                      // tpe compare's row of this design
  std::string acc_refusal;            // non-empty: why the accuracy GEMM did not run
  std::vector<GemmAccuracy> accuracy; // normal, then Student-t
};

// The per-tensor scale tpe formats applies before quantizing an operand of format f
// whose largest magnitude is amax: max_finite / amax for integer formats and the OCP
// FP8 formats (symmetric absmax quantization; TransformerEngine's FP8 recipe), 1 for
// the others (HiF8, FP16, BF16: their range holds the operands; block formats scale
// themselves) and for amax = 0.
double tensor_scale(const NumberFormat& f, double amax);

// The operands of the accuracy GEMM: M x K and K x N real matrices (row-major),
// standard normal ("normal") or Student-t with `dof` degrees of freedom, from
// std::mt19937_64(seed), A drawn before B.
void accuracy_operands(int64_t M, int64_t K, int64_t N, const std::string& kind, double dof,
                       uint64_t seed, std::vector<double>& A, std::vector<double>& B);

// Accuracy of the GEMM M x K x N of the given real operands on `arch` (scaled with
// tensor_scale, quantized with the act / weight format's default rounding, integers
// round to nearest even and saturate, as `tpe gemm`). Block formats as `tpe gemm`
// (pe_models/block_operand.h): no per-tensor pre-scale, A quantized by rows and B by
// columns along K, the block scales into the model, NVFP4's S_dec(A) S_dec(B) applied
// to each accumulator value in binary64. Throws InputError for a design the model
// refuses.
GemmAccuracy gemm_accuracy(const ArchConfig& arch, int64_t M, int64_t K, int64_t N,
                           const std::vector<double>& A, const std::vector<double>& B);

// Every row, architecture files in the order given. A missing file is an error
// (InputError); a file the parser refuses, or a design a flow refuses (InputError),
// becomes a refused row.
std::vector<FormatsRow> formats_table(const std::vector<std::string>& arch_files,
                                      const FormatsOptions& opt, std::ostream& progress);

// L-Mul error statistics: relative error |approx - exact| / |exact| over a set of
// operand pairs, mean and max (in fractions, not %), and the number of pairs.
struct ErrorStats {
  double mean = 0, max = 0;
  int64_t pairs = 0;
};
// Which code pairs of a float format: every pair of finite codes whose exact product
// is not zero; every pair of normal codes whose exact product lies in
// [2^emin, max_finite] (RNE rounding to the format neither underflows nor overflows:
// the set of ARITHMETIC.md section 3's rounded-product figures); or in
// [2^emin, 2^(emax+1)) (docs/arithmetic.md's set for L-Mul).
enum class PairSet { FiniteNonzero, NormalInRange, NormalBinades };
// L-Mul (pe_models/lmul.h) of every pair of `set` against the exact product.
ErrorStats lmul_pair_error(const NumberFormat& f, LmulOffset o, PairSet set);
// The exact product of every pair of `set` rounded to format r (RNE, its default
// overflow) against the exact product; a pair whose rounded product is not finite
// counts with relative error 1 (only possible in FiniteNonzero).
ErrorStats rounded_pair_error(const NumberFormat& f, const NumberFormat& r, PairSet set);
// End to end (ARITHMETIC.md section 3, "inputs first quantized from a fine grid"):
// x, y = 1 + (i + 1/2) / n, i = 0..n-1 (every pair), quantized to m mantissa bits
// (RNE, unbounded exponent), then L-Mul with m bits (lmul_m > 0) or the exact
// product rounded to round_m mantissa bits (lmul_m = 0, inputs at round_m bits),
// against the exact x y.
ErrorStats grid_error(int n, int lmul_m, LmulOffset o, int round_m);

// A float PE's energy split (modules of rtl_gen/fp_pe_verilog.h, counted once per
// instance): the multiplier (operand decoders `_dec_*`, the product or L-Mul `_fprod`,
// their wrapper `_fmul`) and the accumulate adder (`_fadd`), dynamic pJ per MAC of
// the design's GEMM, one per operand distribution; the multiplier's area (um^2, one
// instance, decoders included; 0 when the design has no `_fmul` module, e.g. INT8).
struct PeSplit {
  std::vector<double> mul_pj, add_pj;
  double mul_area = 0;
};
PeSplit pe_split(const CompareRow& h);

// Markdown: the formats table (library, clock, GEMMs and seed stated) and the L-Mul
// table; JSON: the same data.
std::string formats_markdown(const std::vector<FormatsRow>& rows, const FormatsOptions& opt);
std::string lmul_markdown(const std::vector<FormatsRow>& rows, const FormatsOptions& opt);
nlohmann::json formats_json(const std::vector<FormatsRow>& rows, const FormatsOptions& opt);

} // namespace tpe
