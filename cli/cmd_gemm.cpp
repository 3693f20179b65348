// `tpe gemm`: the user's matrices through the engine's exact arithmetic. A (M x K)
// and B (K x N) are read as CSV matrices (core/matrix_csv.h) and quantized with the
// architecture's act and weight formats (pe_models/number_format.h encode; integer
// formats: round to nearest, ties to even, then saturate), or taken as codes
// (--encoded). The SystemC model runs that GEMM on the engine (testbenches/lib/verify.h
// run_model_on); with --rtl the Verilated RTL runs the same SRAM images and must agree
// bit for bit (testbenches/lib/verify.h compare_traces); for `accumulate: int` the
// model is also checked against the golden GEMM. Each element of C is written
// with its accumulator word, its value (pe_models/acc_value.h), the float64 reference
// sum_k A[i][k] B[k][j] (k ascending) of the unquantized inputs and the error; the
// summary (max abs error, mean relative error, SQNR) goes to stderr.
// Block-scaled formats (systolic os): A is quantized by rows along K and B by
// columns along K (pe_models/block_operand.h, blocks from k = 0); the
// operands carry (scale code << W) | element code (docs/formats-engines.md), and the
// model is checked against the golden GEMM. NVFP4's FP32 tensor scales are an
// epilogue outside the engine: an element's value is the accumulator word's value
// times S_dec of each NVFP4 operand, in binary64. --encoded is refused for them
// (a CSV cell holds one code, not a code and its block's scale).
// An engine with its own GEMM runner (GemmRunnerRegistry, cli/gemm_support.h: lut_gemv
// in cli/gemm_lut.cpp) runs there instead.
#include "cli/commands.h"
#include "cli/gemm_support.h"
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/matrix_csv.h"
#include "core/workload.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/acc_value.h"
#include "pe_models/block_operand.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/number_format.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/rtl_run.h"
#include "testbenches/lib/verify.h"
#include <cmath>
#include <fmt/format.h>
#include <iostream>

namespace tpe {

std::string real(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  return fmt::format("{:.17g}", v);
}

// M, K, N of the two matrices; B must have K rows and the GEMM at most kMaxGemmMacs.
void check_gemm_shape(const GemmArgs& a, const RealMatrix& ma, const RealMatrix& mb, int64_t& M,
                      int64_t& K, int64_t& N) {
  M = int64_t(ma.rows.size());
  K = int64_t(ma.rows[0].size());
  N = int64_t(mb.rows[0].size());
  if (int64_t(mb.rows.size()) != K)
    throw InputError(a.b, 0, "",
                     fmt::format("B has {} rows but A ({}) has {} columns: B must be K x N with "
                                 "the K of A",
                                 mb.rows.size(), a.a, K));
  if (M * K * N > kMaxGemmMacs)
    throw InputError(a.b, 0, "",
                     fmt::format("{}x{}x{} is {} multiply-adds, more than tpe gemm's limit of "
                                 "2^24 = {}",
                                 M, K, N, M * K * N, kMaxGemmMacs));
}

// C as CSV (row, col, accumulator word in hex, its value, the float64 reference
// sum_k A.input[i][k] B.input[k][j] with k ascending, error) on stdout or to --out, and
// the error summary against that reference: "max abs error E, mean relative error R
// (n nonzero references), SQNR S dB" (NaN/Inf elements excluded and counted). `tensor`
// scales each value (the NVFP4 tensor scales; 1 otherwise).
std::string report_c(const GemmArgs& a, const ArchConfig& arch, const ResultMatrix& C,
                     const Operand& A, const Operand& B, int64_t M, int64_t K, int64_t N,
                     double tensor) {
  std::string csv = "row,col,word,value,reference,error\n";
  double max_err = 0, rel_sum = 0, sig = 0, noise = 0;
  int64_t rel_n = 0, skipped = 0;
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double ref = 0;
      for (int64_t k = 0; k < K; ++k)
        ref += A.input[size_t(i * K + k)] * B.input[size_t(k * N + j)];
      const int64_t w = C.at(i, j);
      const double v = accumulator_value(arch, w) * tensor, err = v - ref;
      csv += fmt::format("{},{},{},{},{},{}\n", i, j, accumulator_word_hex(arch, w),
                         tensor == 1 ? accumulator_value_text(arch, w) : real(v), real(ref),
                         real(err));
      if (!std::isfinite(ref) || !std::isfinite(v)) {
        ++skipped;
        continue;
      }
      max_err = std::max(max_err, std::fabs(err));
      sig += ref * ref;
      noise += err * err;
      if (ref != 0) {
        rel_sum += std::fabs(err) / std::fabs(ref);
        ++rel_n;
      }
    }
  if (a.out.empty())
    std::cout << csv;
  else
    write_file_atomic(a.out, csv);
  const std::string sq = noise == 0 ? "inf"
                         : sig == 0 ? "n/a"
                                    : fmt::format("{:.2f}", 10 * std::log10(sig / noise));
  const std::string rel = rel_n ? fmt::format("{:.6g}", rel_sum / double(rel_n)) : "n/a";
  return fmt::format("max abs error {}, mean relative error {} ({} nonzero references), SQNR {} "
                     "dB{}",
                     real(max_err), rel, rel_n, sq,
                     skipped ? fmt::format(" ({} NaN/Inf elements excluded)", skipped)
                             : std::string());
}

namespace {

int32_t to_operand(const NumberFormat& f, uint32_t code) {
  if (f.kind != FormatKind::Integer) return static_cast<int32_t>(code);
  const uint32_t sign = uint32_t(1) << (f.bits - 1);
  return static_cast<int32_t>(code ^ sign) - static_cast<int32_t>(sign);
}

Operand make_operand(const RealMatrix& m, const std::string& path, const std::string& which,
                     const NumberFormat& f, bool encoded) {
  Operand op;
  const int64_t rows = static_cast<int64_t>(m.rows.size()), cols = int64_t(m.rows[0].size());
  op.codes = OperandMatrix(rows, cols);
  op.input.resize(size_t(rows * cols));
  const bool integer = f.kind == FormatKind::Integer;
  const double top = double(f.code_count()) - 1, bottom = integer ? -double(f.code_count() / 2) : 0;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      const double v = m.rows[size_t(i)][size_t(j)];
      const std::string where = "column " + std::to_string(j + 1) + ": ";
      const int line = m.line_of_row[size_t(i)];
      uint32_t code;
      if (encoded) {
        if (!(v >= bottom && v <= top) || v != std::floor(v))
          throw InputError(
              path, line, "",
              where + "'" + real(v) + "' is not a code of " + f.name + " (" + which + ": 0.." +
                  fmt::format("0x{:x}", f.code_count() - 1) +
                  (integer ? fmt::format(", or {}..-1", int64_t(bottom)) : std::string()) + ")");
        code = v < 0 ? static_cast<uint32_t>(int64_t(v) + int64_t(f.code_count()))
                     : static_cast<uint32_t>(v);
      } else {
        if (std::isnan(v) && !f.has_nan())
          throw InputError(path, line, "", where + "NaN cannot be represented in " + f.name);
        if (std::isinf(v) && !f.has_inf() && !f.has_nan())
          throw InputError(path, line, "",
                           where + (v < 0 ? "-inf" : "inf") + " cannot be represented in " +
                               f.name);
        code = integer ? f.encode(v, Rounding::NearestEven, Overflow::Saturate) : f.encode(v);
      }
      op.codes.at(i, j) = to_operand(f, code);
      op.input[size_t(i * cols + j)] = encoded ? f.to_double(code) : v;
    }
  return op;
}

// A block-scaled operand (pe_models/block_operand.h: quantize_matrix along K, A by
// rows and B by columns, each element (scale << W) | code); `tensor` gets NVFP4's S_dec.
Operand make_block_operand(const RealMatrix& m, const std::string& path, const NumberFormat& f,
                           bool k_along_rows, double& tensor) {
  const int64_t rows = static_cast<int64_t>(m.rows.size()), cols = int64_t(m.rows[0].size());
  if (f.block.rule == BlockRule::NVFP4)
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        if (!std::isfinite(m.rows[size_t(i)][size_t(j)]))
          throw InputError(path, m.line_of_row[size_t(i)], "",
                           "column " + std::to_string(j + 1) + ": " +
                               real(m.rows[size_t(i)][size_t(j)]) + " cannot be represented in " +
                               f.name);
  std::vector<double> values(size_t(rows * cols));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      values[size_t(i * cols + j)] = m.rows[size_t(i)][size_t(j)];
  BlockOperand b = block_operand(f, values, rows, cols, k_along_rows);
  tensor = b.tensor_decode_scale;
  Operand op;
  op.codes = std::move(b.codes);
  op.input = std::move(values);
  return op;
}

// The first difference between the model and the Verilated RTL on the same images
// (or the simulator's failure), "" when they agree; progress lines on stderr.
std::string rtl_difference(const ArchConfig& arch, const ModelRun& mr, int64_t& writes) {
  const RtlBinary bin = build_systolic_rtl(arch);
  std::cerr << "gemm: RTL " << build_note(bin) << "\n";
  TempPath work = make_temp_dir("tpe_gemm");
  RtlTrace rt;
  try {
    rt = run_rtl(bin, mr.map, mr.images, work.path());
  } catch (const ToolError& e) { // the simulation failed: the RTL does not do the GEMM
    return e.what();
  }
  writes = static_cast<int64_t>(rt.writes.size());
  return compare_traces(mr.map, mr.writes, mr.counts, mr.cycles, rt);
}

int run_gemm(const GemmArgs& a) {
  const ArchConfig arch = parse_arch_file(a.arch);
  check_output_file(a.out);
  if (const GemmRunner* own = GemmRunnerRegistry::instance().find(arch.engine))
    return own->run(a, arch);
  if (a.rtl) require_rtl(arch, "gemm --rtl");
  const NumberFormat& fa = lookup_number_format(arch.act());
  const NumberFormat& fw = lookup_number_format(arch.weight());
  const bool block = fa.is_block() || fw.is_block();
  if (block && a.encoded)
    throw InputError("--encoded", 0, "",
                     "block-scaled formats (" + (fa.is_block() ? fa.name : fw.name) +
                         ") take real numbers only: a cell holds one code, not its block's "
                         "scale (tpe quantize shows both)");
  const RealMatrix ma = read_real_matrix(a.a, "the A matrix");
  const RealMatrix mb = read_real_matrix(a.b, "the B matrix");
  int64_t M = 0, K = 0, N = 0;
  check_gemm_shape(a, ma, mb, M, K, N);
  double tensor_a = 1, tensor_b = 1; // NVFP4 S_dec (epilogue)
  Operand A = fa.is_block() ? make_block_operand(ma, a.a, fa, false, tensor_a)
                            : make_operand(ma, a.a, "act", fa, a.encoded);
  Operand B = fw.is_block() ? make_block_operand(mb, a.b, fw, true, tensor_b)
                            : make_operand(mb, a.b, "weight", fw, a.encoded);
  Layer layer;
  layer.name = "gemm";
  layer.M = M;
  layer.K = K;
  layer.N = N;
  const ModelRun mr = run_model_on(arch, layer, A.codes, B.codes);
  int64_t writes = 0;
  if (a.rtl) {
    const std::string diff = rtl_difference(arch, mr, writes);
    if (!diff.empty()) {
      std::cout << "gemm: FAIL " << arch.name << ": RTL vs model: " << diff << "\n";
      return 1;
    }
  }
  const ResultMatrix C = extract_result(mr.map, mr.out_memory);
  if (arch.accumulate == "int" || block) { // the model against the golden GEMM, as verify does
    const ResultMatrix want =
        block ? golden_gemm(mr.A, mr.B, arch) : golden_gemm(mr.A, mr.B, arch.acc_bits);
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j)
        if (C.at(i, j) != want.at(i, j)) {
          std::cout << fmt::format("gemm: FAIL {}: model vs golden GEMM: C[{}][{}] expected {} "
                                   "(golden), got {} (model)\n",
                                   arch.name, i, j, want.at(i, j), C.at(i, j));
          return 1;
        }
  }
  const std::string errors = report_c(a, arch, C, A, B, M, K, N, tensor_a * tensor_b);
  std::string fmts = fa.name == fw.name ? fa.name : fa.name + " x " + fw.name;
  std::cerr << fmt::format(
      "gemm: {} ({} {} {}, {}, accumulate {} {} bits): {}x{}x{} in {} cycles; {}{}\n", arch.name,
      arch.engine, arch.shape(), arch.dataflow, fmts, arch.accumulate, arch.acc_bits, M, K, N,
      mr.cycles, errors,
      a.rtl ? fmt::format("; RTL bit- and cycle-exact with the model ({} output writes)", writes)
            : std::string());
  return 0;
}

Registrar<CommandSetup> reg("gemm", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "gemm", "run your matrices through the engine's exact arithmetic; C and its error");
  auto a = std::make_shared<GemmArgs>();
  cmd->add_option("--arch", a->arch, "architecture file (YAML)")->required();
  cmd->add_option("--a", a->a, "CSV file of A (M x K): one real number per cell")->required();
  cmd->add_option("--b", a->b, "CSV file of B (K x N): one real number per cell")->required();
  cmd->add_option("--out", a->out, "write the CSV of C there (default: standard output)");
  cmd->add_flag("--encoded", a->encoded,
                "the cells are codes of the formats (hex 0x.. or decimal), not real numbers");
  cmd->add_flag("--rtl", a->rtl,
                "also run the Verilated RTL on the same operands; any difference from the "
                "model fails (exit 1)");
  cmd->callback([a, &exit_code] { exit_code = run_gemm(*a); });
});

} // namespace
} // namespace tpe
