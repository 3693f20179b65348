// Stalls in the RTL (issue 15 item 2; rtl_gen/stall_wrapper.h, docs/memory-model.md
// "Stalls in the RTL"): the wrapper's ports are the top's plus `stall` and it lints
// clean; tpe verify's check with a seeded random stall pattern passes on every engine
// family (systolic os, ws, is, cube, adder tree, 2D matrix, a serial PE, a
// floating-point format, lut_gemv in both orientations) and the stalls really stretch
// the runs; the check fails when the model ignores the stalls, when the wrapper does not
// gate a write strobe and when it does not gate the engine's clock.
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/process.h"
#include "dataflows/lut_gemv_mapping.h"
#include "rtl_gen/rtl_generator.h"
#include "rtl_gen/stall_wrapper.h"
#include "test_helpers.h"
#include "testbenches/lib/lut_rtl.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/rtl_run.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <unistd.h>

using namespace tpe;

namespace {

const std::string kSrc = TPE_SOURCE_DIR;

// replace `from` by `to` in the wrapper file; the edit must apply
RtlMutation wrapper_edit(const std::string& from, const std::string& to) {
  return [from, to](GeneratedRtl& g) {
    std::string& t = g.files.at(g.top + ".v");
    const size_t p = t.find(from);
    REQUIRE(p != std::string::npos);
    t.replace(p, from.size(), to);
  };
}

// tpe verify's options of these tests: two trials per GEMM, 30% of the cycles stalled
VerifyOptions stall_options(uint64_t seed) {
  VerifyOptions o;
  o.seed = seed;
  o.trials = 2;
  o.stall_rate = 0.3;
  return o;
}

} // namespace

TEST_CASE("the stall wrapper: the top's ports plus stall, lint-clean") {
  const ArchConfig a = parse_arch_file(kSrc + "/configs/mutation/sa2x2_ws_mac.yaml");
  const GeneratedRtl g = generate_verilog(a, "test");
  const GeneratedRtl w = add_stall_wrapper(g);
  CHECK(w.top == g.top + "_stall");
  CHECK(w.sources.back() == w.top + ".v");
  const std::string& v = w.files.at(w.top + ".v");
  for (const char* port : {"input  wire stall", "input  wire clk", "input  wire [31:0] cfg_t",
                           "output wire o_rd_en", "input  wire [C*A-1:0] o_rd_data"})
    CHECK(v.find(port) != std::string::npos);
  CHECK(v.find(".clk(gclk)") != std::string::npos);
  CHECK(v.find("assign o_wr_en = e_o_wr_en & {$bits(e_o_wr_en){~stall}};") != std::string::npos);
  CHECK(v.find("assign done = e_done;") != std::string::npos);
  CHECK(w.files.at("filelist.f").find(w.top + ".v\n") != std::string::npos);
  // lint: Verilator -Wall on the whole design under the wrapper
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/tpe_stall_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  for (const auto& [name, text] : w.files)
    write_file_atomic(dir + "/" + name, text);
  const int status = run_process(
      {"verilator", "--lint-only", "-Wall", "-F", "filelist.f", "--top-module", w.top}, dir, "log");
  INFO(tail_file(dir + "/log", 20));
  CHECK(status == 0);
  CHECK(read_file(dir + "/log").empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("the stall wrapper reads the top of every shipped array design") {
  int designs = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kSrc + "/configs")) {
    if (e.path().extension() != ".yaml") continue;
    ArchConfig a;
    try {
      a = parse_arch_file(e.path().string());
    } catch (const InputError&) {
      continue; // a design the parser refuses on purpose (configs/formats)
    }
    INFO(e.path().string());
    const GeneratedRtl g = generate_verilog(a, "test");
    const GeneratedRtl w = add_stall_wrapper(g);
    const std::string& top = g.files.at(g.top + ".v");
    const std::string& v = w.files.at(w.top + ".v");
    // every port of the top is connected by name in the wrapper's instance
    size_t ports = 0;
    for (size_t p = top.find("  input  wire"); p != std::string::npos;
         p = top.find("  input  wire", p + 1))
      ++ports;
    for (size_t p = top.find("  output wire"); p != std::string::npos;
         p = top.find("  output wire", p + 1))
      ++ports;
    size_t connected = 0;
    for (size_t p = v.find(" u_engine ("); p != std::string::npos && p < v.size();
         p = v.find("), .", p + 1))
      ++connected;
    CHECK(connected == ports);
    ++designs;
  }
  CHECK(designs > 44);
}

TEST_CASE("a top the stall wrapper cannot read is one line naming --stall-rate") {
  const ArchConfig a = parse_arch_file(kSrc + "/configs/systolic_4x4_os.yaml");
  GeneratedRtl g = generate_verilog(a, "test");
  std::string& top = g.files.at(g.top + ".v");
  const std::string port = "  input  wire           start,";
  REQUIRE(top.find(port) != std::string::npos);
  top.replace(top.find(port), port.size(), "  input start,"); // Verilog-1995 style
  CHECK_THROWS_WITH(add_stall_wrapper(g),
                    "--stall-rate: cannot put the stall wrapper around tpe_sa4x4_os: cannot read "
                    "the port line '  input start,' (it reads an ANSI header, one "
                    "`input|output wire [RANGE] NAME` per line, with clk)");
}

TEST_CASE("tpe verify with random stalls passes on every array engine family") {
  const std::vector<std::string> files = {
      "mutation/sa2x2_os_mac.yaml",      "mutation/sa2x2_ws_booth.yaml",
      "mutation/sa3x2_is_mac.yaml",      "mutation/cube2x2x2_mac.yaml",
      "mutation/tree2x2_ent.yaml",       "mutation/m2d2x2_booth.yaml",
      "mutation/sa2x2_os_bitserial.yaml"};
  std::vector<ArchConfig> archs;
  for (const auto& f : files)
    archs.push_back(parse_arch_file(kSrc + "/configs/" + f));
  archs.push_back(parse_arch_text("name: fp_stall\nengine: systolic\nrows: 2\ncols: 2\n"
                                  "dataflow: os\nformat: fp8_e4m3\naccumulate: fp32\n"));
  const uint64_t seed = test::test_seed("stall check", 20261202);
  for (const ArchConfig& a : archs) {
    INFO(a.name << ", seed " << seed);
    const VerifyOptions o = stall_options(seed);
    std::ostringstream progress;
    const std::vector<Layer> gemms = {parse_gemm_spec("5x11x3"), parse_gemm_spec("3x7x6")};
    const VerifyOutcome r = verify_design(a, gemms, o, progress);
    INFO(progress.str());
    CHECK(r.pass);
    CHECK(r.failure.empty());
    CHECK(r.runs == 4);
    // the same GEMMs unstalled (the model alone): the stalls stretched every run
    Rng rng(seed);
    int64_t unstalled = 0;
    for (const Layer& l : gemms)
      for (int t = 0; t < 2; ++t) {
        rng.engine()(); // the stall seed the checker draws first
        unstalled += run_model(a, l, o.dist, rng).cycles;
      }
    CHECK(r.cycles_total > unstalled + unstalled / 5);
  }
}

TEST_CASE("the stall check fails when the model, the strobes or the clock ignore the stall") {
  const ArchConfig a = parse_arch_file(kSrc + "/configs/mutation/sa2x2_ws_booth.yaml");
  const Layer l = parse_gemm_spec("5x9x4");
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/tpe_stallf_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  const StallSpec stall{12345, stall_threshold(0.3)};
  const StallPattern pattern = stall_pattern(stall);
  Rng rng(7);
  const ModelRun stalled = run_model(a, l, OperandDist{}, rng, pattern);
  const ModelRun plain = run_model_on(a, l, stalled.A, stalled.B);
  REQUIRE(stalled.cycles > plain.cycles);
  const RtlBinary bin = build_systolic_rtl(a, nullptr, {}, true);
  const RtlTrace rt = run_rtl(bin, stalled.map, stalled.images, dir, {}, stall);
  CHECK(compare_traces(stalled.map, stalled.writes, stalled.counts, stalled.cycles, rt).empty());
  // a model that ignores the stalls
  CHECK_FALSE(compare_traces(plain.map, plain.writes, plain.counts, plain.cycles, rt).empty());
  // a faulty wrapper is caught: a differing trace, or the harness's own error
  const auto caught = [&](const RtlMutation& fault) {
    const RtlBinary f = build_systolic_rtl(a, nullptr, {}, true, fault);
    try {
      return !compare_traces(stalled.map, stalled.writes, stalled.counts, stalled.cycles,
                             run_rtl(f, stalled.map, stalled.images, dir, {}, stall))
                  .empty();
    } catch (const ToolError&) {
      return true;
    }
  };
  // the output write strobe let through a stalled cycle: the output SRAM is written
  // again on the stalled cycles of a write
  CHECK(caught(wrapper_edit("e_o_wr_en & {$bits(e_o_wr_en){~stall}}", "e_o_wr_en")));
  // the engine's clock not gated
  CHECK(caught(wrapper_edit(".clk(gclk)", ".clk(clk)")));
  std::filesystem::remove_all(dir);
}

TEST_CASE("tpe verify with random stalls passes on lut_gemv in both orientations") {
  const std::vector<ArchConfig> archs = {
      parse_arch_file(kSrc + "/configs/lut_gemv_tiny.yaml"),
      parse_arch_text("name: luts_w\nengine: lut_gemv\narrays: 2\nform: subset\n"
                      "index_code: twos\ngroup: 3\nformat: {act: int5, weight: int4}\n"
                      "acc_bits: 22\narray: {rows: 8, cols: 12, read_latency: 2}\nbatch: 3\n"
                      "skip_zero_index: true\nbatch_shared_lookup: true\nstream_bits: 5\n"
                      "out_bits: 11\n"),
      parse_arch_text("name: luts_a\nengine: lut_gemv\ntable: activation\nform: signed\n"
                      "index_code: offset\ngroup: 2\nformat: {act: int6, weight: int3}\n"
                      "acc_bits: 20\narray: {rows: 2, cols: 110, ports: 1rw, read_latency: 1}\n"
                      "tokens_per_pass: 3\nlanes: 2\nbuilder_entries_per_cycle: 1\n"
                      "out_bits: 13\n")};
  const uint64_t seed = test::test_seed("lut stall check", 20261203);
  for (const ArchConfig& a : archs) {
    INFO(a.name << ", seed " << seed);
    std::ostringstream progress;
    const VerifyOutcome r = verify_design(a, {parse_gemm_spec("3x7x5"), parse_gemm_spec("2x9x4")},
                                          stall_options(seed), progress);
    INFO(progress.str() << r.failure);
    CHECK(r.pass);
    CHECK(r.runs == 4);
  }
  // the same stalled RTL run against a model that ignores the stalls fails
  const ArchConfig& a = archs[0];
  Rng rng(3);
  const LutGemvParams p = lut_gemv_params(a);
  const OperandMatrix A = fill_operands(3, 7, p.arith.act_bits, OperandDist{}, rng);
  const OperandMatrix B = fill_operands(7, 5, p.arith.weight_bits, OperandDist{}, rng);
  const RtlBinary bin = build_lut_gemv_rtl(a, nullptr, true);
  const StallSpec stall{99, stall_threshold(0.4)};
  CHECK(verify_lut_gemv(a, bin, A, B, stall).pass);
  const LutModelRun plain = run_lut_model(a, A, B);
  const StallPattern pattern = stall_pattern(stall);
  const LutModelRun stalled = run_lut_model(a, A, B, pattern);
  REQUIRE(stalled.cycles > plain.cycles);
  CHECK(stalled.row_reads == plain.row_reads); // a stall adds cycles, not accesses
  CHECK(stalled.writes.size() == plain.writes.size());
  // faulty wrappers are caught: the row-read strobe or the drain strobe let through a
  // stalled cycle, the clock not gated
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"e_row_rd & {$bits(e_row_rd){~stall}}", "e_row_rd"},
           {"e_o_wr_en & {$bits(e_o_wr_en){~stall}}", "e_o_wr_en"},
           {".clk(gclk)", ".clk(clk)"}}) {
    INFO(from);
    const RtlBinary f = build_lut_gemv_rtl(a, nullptr, true, wrapper_edit(from, to));
    bool caught = false;
    try {
      caught = !verify_lut_gemv(a, f, A, B, stall).pass;
    } catch (const ToolError&) {
      caught = true;
    }
    CHECK(caught);
  }
}

TEST_CASE("tpe verify --stall-rate: limits and refusals are one line") {
  const auto big = tpe::test::run_tpe(
      "verify --arch " + kSrc + "/configs/systolic_4x4_os.yaml --gemm 2x5x3 --stall-rate 0.95");
  CHECK(big.status != 0);
  CHECK(big.out.find("--stall-rate") != std::string::npos);
  const auto vcd = tpe::test::run_tpe("verify --arch " + kSrc +
                                      "/configs/systolic_4x4_os.yaml --gemm 2x5x3 --stall-rate 0.2 "
                                      "--vcd /tmp/tpe_stall_vcd_never");
  CHECK(vcd.status == 2);
  CHECK(vcd.out == "tpe: error: --stall-rate: not with --vcd yet (waveforms run unstalled)\n");
}
