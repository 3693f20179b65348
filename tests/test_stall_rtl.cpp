// Stalls in the RTL (issue 15 item 2; rtl_gen/stall_wrapper.h, docs/memory-model.md
// "Stalls in the RTL"): the wrapper's ports are the top's plus `stall` and it lints
// clean; tpe verify's check with a seeded random stall pattern passes on every array
// engine family (systolic os, ws, is, cube, adder tree, 2D matrix, a serial PE, a
// floating-point format) and the stalls really stretch the runs; the check fails when
// the model ignores the stalls, when the wrapper does not gate a write strobe and when
// it does not gate the engine's clock; a rate of 0 runs the engine's own top.
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/process.h"
#include "rtl_gen/rtl_generator.h"
#include "rtl_gen/stall_wrapper.h"
#include "test_helpers.h"
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
    if (a.engine == "lut_gemv") continue;
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
  CHECK(designs > 40);
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
    VerifyOptions o;
    o.seed = seed;
    o.trials = 2;
    o.stall_rate = 0.3;
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
  const StallPattern pattern = [stall](int64_t c) {
    return harness::stalled_cycle(stall.seed, stall.threshold, c);
  };
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

TEST_CASE("tpe verify --stall-rate: limits and refusals are one line") {
  const auto r = tpe::test::run_tpe("verify --arch " + kSrc +
                                    "/configs/lut_gemv_tiny.yaml --gemm 2x5x3 --stall-rate 0.2");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + kSrc +
                     "/configs/lut_gemv_tiny.yaml:6: engine: --stall-rate: the stall input is "
                     "not implemented for engine 'lut_gemv' yet (the array engines have it)\n");
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
