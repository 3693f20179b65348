// The lut_gemv Verilog (rtl_gen/lut_gemv_verilog.h) against its stepped model
// (sim/lut_gemv_core.h): verilator --lint-only -Wall clean, yosys synthesizes the top of
// a tiny design (the array blackboxed), and on six small designs (subset/signed x
// twos/offset, g 1..6, weights 1..8 bits, activations up to 16 bits, read latencies 1..3, narrow
// stream_bits / out_bits / acc_bits, skip_zero_index and batch_shared_lookup on sparse
// activations) times odd shapes (K not a multiple of g, batch not dividing M, several
// tiles) every drain-port write, the done cycle and the row counts equal the model's
// (testbenches/lib/lut_rtl.h). L3: faults injected into the generated Verilog (a
// flipped sign, a wrong Gray-code order, an off-by-one row address, a missing sum
// correction, a flush one edge too long) are each caught. Random operands print their seed
// (TPE_SEED replays).
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/process.h"
#include "dataflows/lut_gemv_mapping.h"
#include "lut_rtl_cases.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/int_arith.h"
#include "rtl_gen/lut_gemv_verilog.h"
#include "test_helpers.h"
#include "testbenches/lib/lut_rtl.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

using namespace tpe;

namespace {

struct Design {
  std::string yaml; // keys after "name/engine/table/arrays"
  int zero_pct;     // share of zero activations (sparse: the savings have work)
};

// six designs, each small enough to build in seconds
const Design kDesigns[] = {
    {"form: subset\nindex_code: twos\ngroup: 4\nformat: {act: int8, weight: int4}\n"
     "acc_bits: 32\narray: {rows: 32, cols: 24, read_latency: 1}\nbatch: 3\nstream_bits: 16\n"
     "out_bits: 64\n",
     0},
    {"form: signed\nindex_code: offset\ngroup: 3\nformat: {act: int16, weight: int8}\n"
     "acc_bits: 20\narray: {rows: 16, cols: 40, read_latency: 2}\nbatch: 2\n"
     "build_init_cycles: 3\nstream_bits: 7\nout_bits: 13\n",
     0},
    {"form: subset\nindex_code: offset\ngroup: 1\nformat: {act: int5, weight: int1}\n"
     "acc_bits: 16\narray: {rows: 4, cols: 5, read_latency: 1}\nbatch: 4\n"
     "skip_zero_index: true\nout_bits: 32\n",
     60},
    {"form: signed\nindex_code: twos\ngroup: 6\nformat: {act: int3, weight: int2}\n"
     "acc_bits: 24\narray: {rows: 64, cols: 15, read_latency: 1}\nbatch: 5\n"
     "batch_shared_lookup: true\nout_bits: 40\n",
     30},
    {"form: subset\nindex_code: twos\ngroup: 5\nformat: {act: int4, weight: int3}\n"
     "acc_bits: 18\narray: {rows: 62, cols: 24, read_latency: 2}\nbatch: 4\n"
     "skip_zero_index: true\nbatch_shared_lookup: true\nstream_bits: 9\nout_bits: 18\n",
     70},
    {"form: signed\nindex_code: offset\ngroup: 2\nformat: {act: int7, weight: int5}\n"
     "acc_bits: 12\narray: {rows: 6, cols: 18, read_latency: 3}\nbatch: 3\n"
     "build_init_cycles: 2\nout_bits: 8\n",
     20},
};

ArchConfig design(size_t i) {
  return parse_arch_text("name: lut" + std::to_string(i) +
                             "\nengine: lut_gemv\ntable: weight\narrays: 1\n" + kDesigns[i].yaml,
                         "lut.yaml");
}

const int64_t kShapes[][3] = {{5, 7, 9}, {1, 3, 2}, {7, 13, 5}, {4, 10, 8}}; // M, K, N

// The design's fixed operands (seeded) for the fault tests.
void operands(const ArchConfig& a, size_t i, uint64_t seed, OperandMatrix& A, OperandMatrix& B) {
  Rng rng(seed);
  const LutGemvParams p = lut_gemv_params(a);
  A = test::lut_draw(7, 13, p.arith.act_bits, kDesigns[i].zero_pct, rng);
  B = test::lut_draw(13, 5, p.arith.weight_bits, 0, rng);
}

std::string write_rtl(const GeneratedRtl& g, const std::string& dir) {
  for (const auto& [name, text] : g.files) {
    std::ofstream f(dir + "/" + name);
    f << text;
  }
  return dir;
}

} // namespace

TEST_CASE("lut_gemv Verilog is lint-clean and synthesizes", "[rtl]") {
  for (size_t i = 0; i < std::size(kDesigns); ++i) {
    const ArchConfig a = design(i);
    const GeneratedRtl g = generate_lut_gemv_verilog(a, "tpe gen --arch lut.yaml --out rtl");
    INFO(a.name);
    CHECK(g.files.at(g.top + ".v").find("Regenerate with: tpe gen --arch lut.yaml") !=
          std::string::npos);
    const TempPath dir = make_temp_dir("tpe_lut_lint");
    write_rtl(g, dir.path());
    test::check_verilator_lint(dir.path(), g.top);
  }
  // yosys on a tiny design (seconds; the six above take up to minutes each)
  const ArchConfig a = parse_arch_text(
      "name: luts\nengine: lut_gemv\ntable: weight\narrays: 1\nform: signed\ngroup: 2\n"
      "format: {act: int2, weight: int1}\nacc_bits: 6\narray: {rows: 4, cols: 4}\nbatch: 2\n"
      "out_bits: 6\n",
      "luts.yaml");
  const GeneratedRtl g = generate_lut_gemv_verilog(a, "tpe gen --arch luts.yaml --out rtl");
  const TempPath dir = make_temp_dir("tpe_lut_synth");
  write_rtl(g, dir.path());
  test::check_verilator_lint(dir.path(), g.top);
  const std::string log = dir.path() + "/yosys.log";
  const int rc = run_process(
      {"yosys", "-q", "-l", log, "-p",
       "read_verilog " + g.top + "_lut_sram.v " + g.top + ".v; synth -top " + g.top + "; stat"},
      dir.path(), dir.path() + "/yosys.out");
  INFO(tail_file(log, 20));
  REQUIRE(rc == 0);
  const std::string text = read_file(log);
  const std::string stat = text.substr(text.rfind("=== " + g.top + " ==="));
  CHECK(stat.find("Number of memories:               0") != std::string::npos);
  // the array is one blackbox cell (yosys aligns the count: any run of spaces)
  CHECK(std::regex_search(stat, std::regex(g.top + "_lut_sram +1\n")));
}

TEST_CASE("lut_gemv Verilog refuses what it does not cover", "[rtl]") {
  const ArchConfig act = parse_arch_text(
      "name: l\nengine: lut_gemv\ntable: activation\narrays: 1\ngroup: 2\n", "a.yaml");
  CHECK_THROWS_WITH(generate_lut_gemv_verilog(act, "x"),
                    "table: the Verilog covers table: weight only (activation: not yet)");
  const ArchConfig two = parse_arch_text("name: l\nengine: lut_gemv\narrays: 2\n", "a.yaml");
  CHECK_THROWS_WITH(generate_lut_gemv_verilog(two, "x"),
                    "arrays: the Verilog covers arrays: 1 only (not yet more)");
}

TEST_CASE("lut_gemv RTL equals the model write for write", "[rtl]") {
  const uint64_t seed = test::test_seed("lut_gemv RTL equals the model", 1401);
  for (size_t i = 0; i < std::size(kDesigns); ++i) {
    const ArchConfig a = design(i);
    const RtlBinary bin = build_lut_gemv_rtl(a);
    for (size_t s = 0; s < std::size(kShapes); ++s)
      test::check_lut_equal(a, bin, kShapes[s][0], kShapes[s][1], kShapes[s][2],
                            kDesigns[i].zero_pct, seed + i * 16 + s);
  }
}

TEST_CASE("lut_gemv RTL faults are caught (L3)", "[rtl]") {
  const uint64_t seed = test::test_seed("lut_gemv RTL faults", 1402);
  struct Fault {
    const char* what;
    size_t design;
    std::string from, to;
  };
  // design 0: subset twos g4 (Gray step 1 writes row 0, step 2 row 2); design 1: signed
  // offset g3 (its sum correction)
  const Fault faults[] = {
      {"a flipped MSB-plane sign", 0, "{27'd0, rd_out[7:3]} == AB - 1 ? accv - term",
       "{27'd0, rd_out[7:3]} == AB - 1 ? accv + term"},
      {"binary instead of Gray order", 0,
       "32'd1: step_row = 5'd2;\n        32'd2: step_row = 5'd1;",
       "32'd1: step_row = 5'd1;\n        32'd2: step_row = 5'd2;"},
      {"an off-by-one subset row", 0, "rd_row = idx_cur + {G{1'b1}};", "rd_row = idx_cur;"},
      {"a missing sum correction", 1, "dif = SIGNED ? accv - sumv", "dif = SIGNED ? accv"},
      {"a flush one edge too long", 1, "if (ctl_cnt_d == LAT) begin",
       "if (ctl_cnt_d == LAT + 1) begin"},
  };
  for (const Fault& f : faults) {
    const ArchConfig a = design(f.design);
    OperandMatrix A, B;
    operands(a, f.design, seed, A, B);
    const RtlBinary bin = build_lut_gemv_rtl(a, [&](GeneratedRtl& g) {
      std::string& v = g.files.at(g.top + ".v");
      const size_t at = v.find(f.from);
      REQUIRE(at != std::string::npos);
      v.replace(at, f.from.size(), f.to);
    });
    const LutRtlOutcome o = verify_lut_gemv(a, bin, A, B);
    INFO(f.what << ": " << o.failure);
    CHECK(!o.pass);
    std::cerr << "fault '" << f.what << "' caught: " << o.failure << "\n";
  }
}
