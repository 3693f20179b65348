// The lut_gemv Verilog (rtl_gen/lut_gemv_verilog.h) against its stepped model
// (sim/lut_gemv_core.h): verilator --lint-only -Wall clean, yosys synthesizes the top of
// a tiny design of each orientation (the arrays blackboxed), and on six small weight
// designs (subset/signed x twos/offset, g 1..6, weights 1..8 bits, activations up to 16
// bits, read latencies 1..3, narrow stream_bits / out_bits / acc_bits, skip_zero_index and
// batch_shared_lookup on sparse activations), four activation designs (both forms and
// codes, g 1..5, 1rw and 1rw1r, tokens_per_pass 1..3, lanes 1..4) and two of 3 and 2
// arrays in lockstep times odd shapes (K not a multiple of g, batch, tokens_per_pass or
// lanes not dividing M or N, several tiles, tiles not a multiple of the arrays) every
// drain-port write, the done cycle and the row counts equal the model's
// (testbenches/lib/lut_rtl.h). L3: faults injected into the generated Verilog (flipped
// signs, wrong Gray-code orders, an off-by-one row address, missing sum corrections, a
// flush one edge too long, a row read before it is written, a lockstep that waits for one
// array only, a wrong next tile) are each caught. Random operands print their seed
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
  std::string yaml; // keys after "name/engine/arrays"
  int zero_pct;     // share of zero activations (sparse: the savings have work)
};

// the designs, each small enough to build in seconds
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
    // activation orientation (tables of the tokens, weight planes as indexes)
    {"table: activation\nform: subset\nindex_code: twos\ngroup: 3\n"
     "format: {act: int6, weight: int4}\nacc_bits: 24\n"
     "array: {rows: 3, cols: 112, ports: 1rw1r, read_latency: 2}\ntokens_per_pass: 2\n"
     "lanes: 3\nbuilder_entries_per_cycle: 4\nout_bits: 20\n",
     0},
    {"table: activation\nform: signed\nindex_code: offset\ngroup: 2\n"
     "format: {act: int16, weight: int3}\nacc_bits: 20\n"
     "array: {rows: 2, cols: 110, ports: 1rw, read_latency: 1}\ntokens_per_pass: 3\n"
     "lanes: 2\nbuilder_entries_per_cycle: 1\nout_bits: 13\n",
     0},
    {"table: activation\nform: subset\nindex_code: offset\ngroup: 5\n"
     "format: {act: int3, weight: int8}\nacc_bits: 16\n"
     "array: {rows: 1, cols: 186, ports: 1rw1r, read_latency: 3}\ntokens_per_pass: 1\n"
     "lanes: 4\nbuilder_entries_per_cycle: 8\nout_bits: 64\n",
     30},
    {"table: activation\nform: signed\nindex_code: twos\ngroup: 1\n"
     "format: {act: int1, weight: int1}\nacc_bits: 6\n"
     "array: {rows: 4, cols: 2, ports: 1rw1r, read_latency: 1}\ntokens_per_pass: 2\n"
     "lanes: 1\nbuilder_entries_per_cycle: 1\nout_bits: 5\n",
     20},
    // several arrays in lockstep (tile t on array t mod P; 1..3 arrays of either
    // orientation in full_lut_gemv_rtl)
    {"arrays: 3\nform: signed\nindex_code: offset\ngroup: 3\nformat: {act: int5, weight: int4}\n"
     "acc_bits: 22\narray: {rows: 4, cols: 12, read_latency: 1}\nbatch: 3\n"
     "build_init_cycles: 2\nbatch_shared_lookup: true\nstream_bits: 5\nout_bits: 11\n",
     30},
    {"arrays: 2\ntable: activation\nform: signed\nindex_code: offset\ngroup: 2\n"
     "format: {act: int7, weight: int3}\nacc_bits: 18\n"
     "array: {rows: 2, cols: 32, ports: 1rw1r, read_latency: 2}\ntokens_per_pass: 2\n"
     "lanes: 3\nbuilder_entries_per_cycle: 3\nout_bits: 24\n",
     0},
};

ArchConfig design(size_t i) {
  const std::string& y = kDesigns[i].yaml;
  return parse_arch_text("name: lut" + std::to_string(i) + "\nengine: lut_gemv\n" +
                             (y.find("arrays:") == std::string::npos ? "arrays: 1\n" : "") + y,
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
  // yosys on a tiny design of each orientation, one with two arrays (seconds; the designs
  // above take up to minutes each)
  for (const char* y :
       {"name: luts\nengine: lut_gemv\ntable: weight\narrays: 1\nform: signed\ngroup: 2\n"
        "format: {act: int2, weight: int1}\nacc_bits: 6\narray: {rows: 4, cols: 4}\nbatch: 2\n"
        "out_bits: 6\n",
        "name: luta\nengine: lut_gemv\ntable: activation\narrays: 2\nform: signed\ngroup: 2\n"
        "format: {act: int2, weight: int2}\nacc_bits: 6\narray: {rows: 2, cols: 6}\n"
        "tokens_per_pass: 1\nlanes: 2\nout_bits: 6\n"}) {
    const ArchConfig a = parse_arch_text(y, "luts.yaml");
    const GeneratedRtl g = generate_lut_gemv_verilog(a, "tpe gen --arch luts.yaml --out rtl");
    const TempPath dir = make_temp_dir("tpe_lut_synth");
    write_rtl(g, dir.path());
    test::check_verilator_lint(dir.path(), g.top);
    const std::string log = dir.path() + "/yosys.log";
    std::string files;
    for (const std::string& f : g.sources)
      files += " " + f;
    const int rc =
        run_process({"yosys", "-q", "-l", log, "-p",
                     "read_verilog" + files + "; synth -flatten -top " + g.top + "; stat"},
                    dir.path(), dir.path() + "/yosys.out");
    INFO(g.top << ": " << tail_file(log, 20));
    REQUIRE(rc == 0);
    const std::string text = read_file(log);
    const std::string stat = text.substr(text.rfind("=== " + g.top + " ==="));
    CHECK(stat.find("Number of memories:               0") != std::string::npos);
    // the arrays stay blackboxes, one cell per array unit (yosys aligns the count: any run
    // of spaces)
    CHECK(std::regex_search(stat, std::regex(g.top + "_lut_sram +" +
                                             std::to_string(lut_gemv_params(a).arrays) + "\n")));
  }
}

// The generator's register count (lut_gemv_register_bits) against yosys: the flip-flop
// bits of the RTL after `proc` (no optimization), less the copies of the task
// enter_round's two 32-bit arguments that proc makes at each of its two calls in every
// array unit (never read after the edge), every design above and
// configs/lut_gemv_small.yaml, the arrays blackboxed (yosys's proc on the 16-array
// 256 x 256 designs of `make lut` runs for more than ten minutes).
TEST_CASE("lut_gemv register bits equal the RTL's flip-flops", "[rtl]") {
  std::vector<ArchConfig> designs;
  for (size_t i = 0; i < std::size(kDesigns); ++i)
    designs.push_back(design(i));
  designs.push_back(parse_arch_file(std::string(TPE_SOURCE_DIR) + "/configs/lut_gemv_small.yaml"));
  for (const ArchConfig& a : designs) {
    const GeneratedRtl g = generate_lut_gemv_verilog(a, "tpe gen");
    const TempPath dir = make_temp_dir("tpe_lut_ff");
    write_rtl(g, dir.path());
    std::string files;
    for (const std::string& f : g.sources)
      files += " " + f;
    const std::string log = dir.path() + "/yosys.log";
    const int rc =
        run_process({"yosys", "-q", "-l", log, "-p",
                     "read_verilog" + files + "; blackbox " + g.top + "_lut_sram; hierarchy -top " +
                         g.top + "; proc; flatten; stat -width"},
                    dir.path(), dir.path() + "/yosys.out");
    INFO(a.name << ": " << tail_file(log, 20));
    REQUIRE(rc == 0);
    const std::string text = read_file(log);
    const std::string stat = text.substr(text.rfind("=== " + g.top + " ==="));
    int64_t ff = 0;
    const std::regex dff(R"(\$(?:s|a)?dffe?_(\d+) +(\d+)\n)");
    for (auto it = std::sregex_iterator(stat.begin(), stat.end(), dff);
         it != std::sregex_iterator(); ++it)
      ff += std::stoll((*it)[1]) * std::stoll((*it)[2]);
    const LutGemvRegisterBits r = lut_gemv_register_bits(a);
    CHECK(r.total() == ff - 2 * 64 * r.arrays);
    CHECK(r.unit > r.controller);
  }
}

TEST_CASE("lut_gemv Verilog refuses what it does not cover", "[rtl]") {
  // entries of 8 + 2 bits (int8 weights, g 4) in 10-bit accumulators
  const ArchConfig narrow = parse_arch_text("name: l\nengine: lut_gemv\ngroup: 4\nformat: {act: "
                                            "int8, weight: int8}\nacc_bits: 10\n",
                                            "a.yaml");
  std::string why;
  CHECK(!lut_gemv_rtl_supported(narrow, &why));
  CHECK(why == "acc_bits: the Verilog needs accumulators wider than entry_bits");
  CHECK_THROWS_WITH(generate_lut_gemv_verilog(narrow, "x"), why);
  for (const char* y : {"table: weight\narrays: 16\n", "table: activation\narrays: 3\ngroup: 2\n"})
    CHECK(lut_gemv_rtl_supported(
        parse_arch_text(std::string("name: l\nengine: lut_gemv\n") + y, "a.yaml")));
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
  // design 0: subset twos g4 (Gray step 1 writes row 2, step 2 row 1); design 1: signed
  // offset g3 (its sum correction: the drain text both orientations share); design 6:
  // activation subset g3 1rw1r (Gray step 1 writes row 2, step 2 row 1)
  const Fault faults[] = {
      {"a flipped MSB-plane sign", 0, "{27'd0, rd_out[7:3]} == AB - 1 ? accv - term",
       "{27'd0, rd_out[7:3]} == AB - 1 ? accv + term"},
      {"binary instead of Gray order", 0,
       "32'd1: step_row = 4'd2;\n        32'd2: step_row = 4'd1;",
       "32'd1: step_row = 4'd1;\n        32'd2: step_row = 4'd2;"},
      {"an off-by-one subset row", 0, "lut_read = {idx + {G{1'b1}}, 1'b0,",
       "lut_read = {idx, 1'b0,"},
      {"a missing sum correction", 1, "dif = SIGNED ? accv - sumv", "dif = SIGNED ? accv"},
      {"a flush one edge too long", 1, "if (ctl_cnt_d == LAT) begin",
       "if (ctl_cnt_d == LAT + 1) begin"},
      {"activation: binary instead of Gray order", 6,
       "32'd1: step_row = 3'd2;\n        32'd2: step_row = 3'd1;",
       "32'd1: step_row = 3'd1;\n        32'd2: step_row = 3'd2;"},
      {"activation: a row read before it is written (1rw1r)", 6,
       "rd_row_q < wr_rows_q :", "rd_row_q <= wr_rows_q :"},
      // design 10: weight, 3 arrays (their lookups differ with the data); design 11:
      // activation, 2 arrays
      {"arrays: a phase ends when the last array is idle", 10, "if (!(|busy)) begin",
       "if (!busy[P-1]) begin"},
      {"arrays: the next round one tile on instead of P", 11,
       "for (q = 0; q < P; q = q + 1)\n      nt = tile_next",
       "for (q = 0; q < 1; q = q + 1)\n      nt = tile_next"},
  };
  for (const Fault& f : faults) {
    const ArchConfig a = design(f.design);
    OperandMatrix A, B;
    operands(a, f.design, seed, A, B);
    const RtlBinary bin = build_lut_gemv_rtl(a, [&](GeneratedRtl& g) {
      int found = 0; // the text occurs once, in the controller or the array unit
      for (const std::string& file : g.sources) {
        std::string& v = g.files.at(file);
        const size_t at = v.find(f.from);
        if (at == std::string::npos) continue;
        v.replace(at, f.from.size(), f.to);
        ++found;
      }
      REQUIRE(found == 1);
    });
    const LutRtlOutcome o = verify_lut_gemv(a, bin, A, B);
    INFO(f.what << ": " << o.failure);
    CHECK(!o.pass);
    std::cerr << "fault '" << f.what << "' caught: " << o.failure << "\n";
  }
}
