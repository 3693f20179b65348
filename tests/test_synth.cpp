// Area and timing flow (yosys + OpenSTA on the vendored SkyWater 130 nm library,
// or $TPE_LIBERTY): areas equal the sum of Liberty cell areas and yosys's own
// count, scale with the array, hierarchical and flattened runs agree, timing grows
// with logic depth, and every report names its library. Also the vendored library
// itself (unpacked intact, dont_use cells marked), the library choice and the
// relative paths users give.
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/process.h"
#include "core/workload.h"
#include "reports/fanout_repair.h"
#include "reports/liberty.h"
#include "reports/sram_liberty.h"
#include "reports/sram_model.h"
#include "reports/synth_report.h"
#include "test_helpers.h"
#include "testbenches/lib/verify.h"
#include <array>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fnmatch.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace tpe;
using tpe::test::make_arch;

namespace {

// $TPE_LIBERTY, else the vendored library (tests/CMakeLists.txt).
std::string liberty_path() {
  const std::string p = tpe::test::test_liberty();
  INFO("Liberty library " << p);
  REQUIRE(std::filesystem::exists(p));
  return p;
}

SynthOptions options(const std::string& keep = "") {
  SynthOptions o;
  o.lib = choose_library(liberty_path());
  o.workdir = keep;
  return o;
}

std::string workdir(const std::string& tag) {
  const std::string d = std::filesystem::temp_directory_path().string() + "/tpe_synth_test_" + tag +
                        "_" + std::to_string(getpid());
  std::filesystem::remove_all(d);
  return d;
}

GeneratedRtl one_module(const std::string& top, const std::string& text) {
  GeneratedRtl g;
  g.top = top;
  g.files[top + ".v"] = text;
  g.sources = {top + ".v"};
  return g;
}

// yosys's own "Chip area for top module" from the kept stat.txt
double yosys_area(const std::string& dir) {
  const std::string s = read_file(dir + "/stat.txt");
  // the last "Chip area for [top] module" line is the whole design
  const std::regex re(R"(Chip area for (?:top )?module '[^']*': ([0-9.]+))");
  double area = -1;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    area = std::stod((*it)[1]);
  REQUIRE(area > 0);
  return area;
}

} // namespace

TEST_CASE("the area of small known circuits is the sum of their Liberty cell areas") {
  const Liberty lib = parse_liberty(choose_library(liberty_path()).synth_lib);
  const double dff = lib.cell("sky130_fd_sc_hd__dfxtp_1")->area;
  {
    const std::string d = workdir("reg8");
    const SynthReport r = synthesize_rtl(
        one_module("reg8", "module reg8(input clk, input [7:0] d, output reg [7:0] q);\n"
                           "  always @(posedge clk) q <= d;\nendmodule\n"),
        "reg8", options(d));
    CHECK(r.cells == 8);
    CHECK(r.flops == 8);
    CHECK(r.area == Approx(8 * dff));
    CHECK(r.area == Approx(yosys_area(d)));
  }
  {
    const std::string d = workdir("add4");
    const SynthReport r = synthesize_rtl(
        one_module("add4", "module add4(input clk, input [3:0] a, b, output reg [4:0] s);\n"
                           "  always @(posedge clk) s <= a + b;\nendmodule\n"),
        "add4", options(d));
    CHECK(r.flops == 5);
    CHECK(r.cells > 5);
    CHECK(r.area == Approx(yosys_area(d)).epsilon(1e-6));
  }
  {
    const std::string d = workdir("pe3x3");
    const SynthReport r = synthesize(make_arch(3, 3, "ws"), options(d));
    CHECK(r.area == Approx(yosys_area(d)).epsilon(1e-6));
    CHECK(r.library == "sky130_fd_sc_hd__tt_025C_1v80");
  }
}

TEST_CASE("array area scales with the number of PEs and roles add up to the total") {
  const SynthReport a4 = synthesize(make_arch(4, 4, "os"), options());
  const SynthReport a8 = synthesize(make_arch(8, 8, "os"), options());
  // the PE array is 4x larger within 10%; the whole design a little less (the
  // controller does not grow)
  CHECK(a8.area_by_category.at("pe_array") / a4.area_by_category.at("pe_array") ==
        Approx(4.0).epsilon(0.10));
  CHECK(a8.area / a4.area > 3.2);
  CHECK(a8.area / a4.area < 4.4);
  for (const auto* r : {&a4, &a8}) {
    double sum = 0;
    for (const auto& [k, v] : r->area_by_category)
      sum += v;
    CHECK(sum == Approx(r->area));
    int pes = 0;
    for (const auto& m : r->modules)
      if (m.category == "pe") pes += static_cast<int>(m.instances);
    CHECK(pes == (r == &a4 ? 16 : 64));
  }
}

TEST_CASE("hierarchical and flattened synthesis agree within 5% on a small array") {
  SynthOptions o = options();
  const SynthReport h = synthesize(make_arch(3, 3, "os"), o);
  o.flatten = true;
  const SynthReport f = synthesize(make_arch(3, 3, "os"), o);
  CHECK(f.flattened);
  CHECK(f.area == Approx(h.area).epsilon(0.05));
  CHECK(std::abs(f.flops - h.flops) <= h.flops / 20);
}

TEST_CASE("the critical path of a registered adder chain grows with its length") {
  // s_i = (s_{i-1} ^ k_i) + a_i: the XOR keeps yosys from merging the additions
  // into one carry-save tree, so the adders stay in series between registers
  double last = 0;
  for (int n : {1, 2, 4}) {
    std::string v =
        "module chain(input clk, input [15:0] a, input [15:0] k, output reg [15:0] y);\n"
        "  reg [15:0] ra, rk;\n  wire [15:0] s0 = ra;\n";
    for (int i = 1; i <= n; ++i)
      v += "  wire [15:0] s" + std::to_string(i) + " = (s" + std::to_string(i - 1) + " ^ (rk << " +
           std::to_string(i) + ")) + ra;\n";
    v += "  always @(posedge clk) begin\n    ra <= a;\n    rk <= k;\n    y <= s" +
         std::to_string(n) + ";\n  end\nendmodule\n";
    const SynthReport r =
        synthesize_rtl(one_module("chain", v), "chain" + std::to_string(n), options());
    INFO(n << " adders: " << r.critical_path_ns << " ns");
    REQUIRE(r.timed);
    CHECK(r.critical_path_ns > last);
    CHECK(r.fmax_mhz == Approx(1000.0 / r.critical_path_ns));
    last = r.critical_path_ns;
  }
}

TEST_CASE("fanout repair buffers a register that enables many flip-flops") {
  const std::string v = "module fan(input clk, input e, input [255:0] d, output reg [255:0] q);\n"
                        "  reg en;\n  always @(posedge clk) begin\n    en <= e;\n"
                        "    if (en) q <= d;\n  end\nendmodule\n";
  SynthOptions none = options();
  none.max_fanout = 0;
  const SynthReport r0 = synthesize_rtl(one_module("fan", v), "fan0", none);
  const std::string d = workdir("fanout");
  const SynthReport r1 = synthesize_rtl(one_module("fan", v), "fan1", options(d));
  INFO("unbuffered " << r0.critical_path_ns << " ns, repaired " << r1.critical_path_ns << " ns");
  CHECK(r0.fanout_buffers == 0);
  CHECK(r1.fanout_buffer == "sky130_fd_sc_hd__buf_4");
  CHECK(r1.fanout_nets >= 1);
  CHECK(r1.fanout_buffers >= 256 / 16);
  CHECK(r1.critical_path_ns < 0.7 * r0.critical_path_ns);
  CHECK(r1.area > r0.area);
  CHECK(r1.cells == r0.cells + r1.fanout_buffers);
  CHECK(r1.area == Approx(yosys_area(d)));
  // nothing is left over the limit in the repaired netlist
  const Liberty lib = parse_liberty(r1.library_path);
  auto net = nlohmann::json::parse(read_file(d + "/netlist.json"));
  const FanoutRepairStats again = repair_fanout(net, lib, {16});
  CHECK(again.nets == 0);
  CHECK(again.worst_before <= 16);
  CHECK(again.worst_before >= 8);
  std::filesystem::remove_all(d);
}

TEST_CASE("PE library blocks are counted inside the PE, EN-T encoders at the array edge") {
  const SynthReport r = synthesize(make_arch(2, 3, "ws", "int8", 32, "ent"), options());
  int pe_parts = 0, encoders = 0;
  for (const auto& m : r.modules) {
    if (m.module.find("_mul") != std::string::npos) {
      CHECK(m.category == "pe_part");
      CHECK(m.instances == 6);
      ++pe_parts;
    }
    if (m.module.find("_ent_enc") != std::string::npos) {
      CHECK(m.category == "encoders");
      CHECK(m.instances == 2); // one per row
      ++encoders;
    }
  }
  CHECK(pe_parts == 1);
  CHECK(encoders == 1);
  double sum = 0;
  for (const auto& [k, v] : r.area_by_category)
    sum += v;
  CHECK(sum == Approx(r.area));
  CHECK(r.area_by_category.count("encoders"));
}

TEST_CASE("a 16x16 INT8 array synthesizes hierarchically and is timed") {
  const SynthReport r = synthesize(make_arch(16, 16, "ws"), options());
  CHECK(r.synth_seconds < 120);
  CHECK(r.timed);
  CHECK(r.fmax_mhz > 90); // the PE's MAC, once the controller's enables are buffered
  CHECK(r.area > 1.0e6);
  const std::string text = synth_text(r);
  CHECK(text.find("library: sky130_fd_sc_hd__tt_025C_1v80") != std::string::npos);
  const auto j = synth_json(r);
  for (const char* k :
       {"library", "area_um2", "cells", "flops", "critical_path_ns", "fmax_mhz", "modules"})
    CHECK(j.contains(k));
}

// A register file around a blackbox SRAM macro `bb` (256 x 32): registered address and
// data in, registered read data out.
GeneratedRtl macro_design() {
  return one_module(
      "wrap",
      "(* blackbox *)\nmodule bb(input clk, input we, input [7:0] waddr, input [31:0] wdata,\n"
      "  input re, input [7:0] raddr, output [31:0] rdata);\nendmodule\n"
      "module wrap(input clk, input [7:0] a, input [31:0] d, output reg [31:0] q);\n"
      "  reg [7:0] ra; reg [31:0] rd; wire [31:0] o;\n"
      "  bb u_mem(.clk(clk), .we(1'b1), .waddr(ra), .wdata(rd), .re(1'b1), .raddr(ra), "
      ".rdata(o));\n  always @(posedge clk) begin ra <= a; rd <= d; q <= o ^ rd; end\n"
      "endmodule\n");
}

TEST_CASE("a blackbox SRAM macro gets its area from the SRAM model and timed pins (never a silent "
          "zero)") {
  SynthOptions o = options();
  // a blackbox the engine did not declare is refused
  try {
    synthesize_rtl(macro_design(), "wrap", o);
    FAIL("a blackbox without an SRAM model was counted");
  } catch (const ToolError& e) {
    CHECK(std::string(e.what()) == "module bb is a blackbox with no SRAM array model "
                                   "(EngineInfo::sram_arrays): its area would count as zero");
  }
  o.sram_arrays = {{"bb", 256, 32, "1rw1r"}};
  const SynthReport r = synthesize_rtl(macro_design(), "wrap", o);
  REQUIRE(r.macros.size() == 1);
  const double macro = sram_area_um2({256, 32, SramPorts::k1rw1r, 130});
  CHECK(macro == Approx(479.78 * 397.50).epsilon(1e-3)); // the 1 KB macro's LEF size
  CHECK(r.macros[0].instances == 1);
  CHECK(r.macros[0].area_each == Approx(macro));
  CHECK(r.macros[0].extrapolation.empty());
  CHECK(r.macro_area == Approx(macro));
  CHECK(r.area > 0);
  CHECK(r.area < 5000); // 72 flip-flops and 32 XORs: the macro is not in it
  CHECK(r.total_area == Approx(r.area + macro));
  CHECK(r.area_by_category.count("sram_macro") == 0);
  // timed through the macro: its data leave 3.382 ns after the falling edge and pass one
  // XOR to q, so this half-cycle path sets the period: 2 x (clock / 2 - slack), above
  // twice the read delay and above the macro's own minimum period (6.875 ns)
  REQUIRE(r.timed);
  CHECK(r.startpoint == "u_mem");
  CHECK(r.slack_ns > 0);
  CHECK(r.critical_path_ns == Approx(10 - r.slack_ns));
  CHECK(r.critical_path_ns > 5 + 3.382);
  CHECK(r.fmax_limit == "half-cycle paths from the SRAM macros");
  CHECK(r.min_period_ns == Approx(10 - 2 * r.slack_ns));
  CHECK(r.min_period_ns > std::max(2 * 3.382, 6.875));
  CHECK(r.fmax_mhz == Approx(1000 / r.min_period_ns));
  const std::string text = synth_text(r);
  CHECK(text.find("SRAM macro bb x1: 256 words x 32 bits, 1rw1r, 130 nm: ") != std::string::npos);
  CHECK(text.find("total area: ") != std::string::npos);
  const auto j = synth_json(r);
  CHECK(j["sram_area_um2"].get<double>() == Approx(macro));
  CHECK(j["total_area_um2"].get<double>() == Approx(r.area + macro));
  CHECK(j["sram_macros"][0]["words"] == 256);
  // without a library: the macro's um^2 is not added to NAND2 equivalents
  SynthOptions generic;
  generic.sram_arrays = o.sram_arrays;
  const SynthReport n = synthesize_rtl(macro_design(), "wrap", generic);
  CHECK(n.generic);
  CHECK(n.macro_area == Approx(macro));
  CHECK(synth_json(n)["total_area_um2"].is_null());
  CHECK(synth_text(n).find("total area: not summed (standard cells in NAND2-eq, SRAM macros ") !=
        std::string::npos);
  // the macro's Liberty cell needs its clock pin
  CHECK_THROWS_AS(sram_macro_liberty("bb", {{"d", false, 4}}, "clk", 1.0), std::invalid_argument);
}

TEST_CASE(
    "tpe synth maps the periphery of a lut_gemv design and takes its SRAM arrays from the model") {
  const std::string d = tpe::test::scratch_dir("synth", "lut");
  // one 16 x 4 array (S = 2 signed g = 4 tables, one lane): the smallest periphery
  const std::string cfg = std::string(TPE_SOURCE_DIR) + "/configs/lut_gemv_tiny.yaml";
  const auto r =
      tpe::test::run_tpe("synth --arch " + cfg + " --json " + d + "/s.json --keep " + d + "/k");
  INFO(r.out);
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(read_file(d + "/s.json"));
  const double macro = sram_area_um2({16, 4, SramPorts::k1rw1r, 130});
  CHECK(j["area_um2"].get<double>() > 0);
  CHECK(j["cells"].get<int64_t>() > 0);
  CHECK(j["flops"].get<int64_t>() > 0);
  REQUIRE(j["sram_macros"].size() == 1);
  CHECK(j["sram_macros"][0]["module"] == "tpe_lut_gemv_tiny_lut_sram");
  CHECK(j["sram_macros"][0]["instances"] == 1);
  CHECK(j["sram_macros"][0]["area_um2_each"].get<double>() == Approx(macro));
  CHECK(j["sram_area_um2"].get<double>() == Approx(macro));
  CHECK(j["total_area_um2"].get<double>() == Approx(j["area_um2"].get<double>() + macro));
  CHECK(r.out.find("SRAM macro tpe_lut_gemv_tiny_lut_sram x1: 16 words x 4 bits, 1rw1r, 130 nm: " +
                   fmt::format("{:.1f}", macro) + " um^2 each") != std::string::npos);
  // timed, with the array's pins in the timing graph
  CHECK(j["critical_path_ns"].get<double>() > 0);
  CHECK(j["fmax_mhz"].get<double>() > 0);
  CHECK(j["min_period_ns"].get<double>() >= 6.875);
  const std::string sta = read_file(d + "/k/sta.log");
  // the array inside the array unit: arr[0].u/u_mem
  CHECK(sta.find("/u_mem (falling edge-triggered flip-flop clocked by clk)") != std::string::npos);
  CHECK(read_file(d + "/k/sram_macro0.lib").find("cell (tpe_lut_gemv_tiny_lut_sram)") !=
        std::string::npos);
  std::filesystem::remove_all(d);
}

TEST_CASE("without a Liberty library tpe maps to generic gates and says so") {
  SynthOptions o; // default LibraryChoice: no library
  const SynthReport r = synthesize(make_arch(2, 3, "os"), o);
  CHECK(r.generic);
  CHECK(r.area_unit == "NAND2-eq");
  CHECK(r.area > 100);
  CHECK_FALSE(r.timed);
  const auto j = synth_json(r);
  CHECK(j["area_um2"].is_null());
  CHECK(j["library"] == "yosys internal gates (no Liberty library)");
  CHECK(synth_text(r).find("timing: not available without a Liberty library") != std::string::npos);
}

TEST_CASE("tpe synth: a missing Liberty file is one error line") {
  const auto r = tpe::test::run_tpe("synth --arch " + std::string(TPE_SOURCE_DIR) +
                                    "/configs/systolic_4x4_os.yaml --liberty /nonexistent/x.lib");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: /nonexistent/x.lib: --liberty: Liberty file not found\n");
}

namespace {

using tpe::test::run_shell;

std::string sha256_of(const std::string& path) {
  const auto r = run_shell("sha256sum " + shell_quote(path));
  REQUIRE(r.status == 0);
  return r.out.substr(0, 64);
}

// Restores an environment variable on scope exit.
struct EnvGuard {
  std::string name, old;
  bool had;
  explicit EnvGuard(const std::string& n) : name(n) {
    const char* v = std::getenv(n.c_str());
    had = v != nullptr;
    if (had) old = v;
  }
  ~EnvGuard() {
    if (had)
      setenv(name.c_str(), old.c_str(), 1);
    else
      unsetenv(name.c_str());
  }
};

} // namespace

TEST_CASE(
    "the vendored library unpacks intact and its synthesis variant marks the dont_use cells") {
  const std::string plain = default_liberty();
  const std::string synth = plain.substr(0, plain.size() - 4) + ".synth.lib";
  REQUIRE(std::filesystem::is_regular_file(plain));
  REQUIRE(std::filesystem::is_regular_file(synth));
  CHECK(sha256_of(plain) == "674f04614959e0637cdc27cab47bf19e50a26d5140a962fa469b44814b7cabf5");
  // byte-identical to the reference .synth.lib of the pdk (third_party README)
  CHECK(sha256_of(synth) == "bfa49528379e7e569a878a36c7feedd0ba472994315c7f253dd88a148aa3bc0b");
  std::vector<std::string> patterns;
  std::istringstream in(
      read_file(std::string(TPE_SOURCE_DIR) + "/third_party/sky130_fd_sc_hd/dont_use.txt"));
  for (std::string l; std::getline(in, l);)
    if (!l.empty() && l[0] != '#') patterns.push_back(l);
  CHECK(patterns.size() == 7);
  const Liberty p = parse_liberty(plain), s = parse_liberty(synth);
  CHECK(p.cells.size() == 428);
  REQUIRE(s.cells.size() == p.cells.size());
  int marked = 0;
  for (const auto& [name, cell] : s.cells) {
    bool listed = false;
    for (const auto& pat : patterns)
      listed = listed || fnmatch(pat.c_str(), name.c_str(), 0) == 0;
    INFO(name);
    CHECK(cell.dont_use == listed);
    CHECK_FALSE(p.cell(name)->dont_use);
    CHECK(cell.area == p.cell(name)->area);
    marked += cell.dont_use;
  }
  CHECK(marked == 51);
}

TEST_CASE("the build step unpacks the library and refuses one whose sha256 differs") {
  const std::string src = std::string(TPE_SOURCE_DIR) + "/third_party/sky130_fd_sc_hd";
  const std::string name = "sky130_fd_sc_hd__tt_025C_1v80";
  const std::string dir = workdir("prepare");
  std::filesystem::create_directories(dir);
  const auto step = [&](const std::string& sha) {
    return run_shell("cmake -DARCHIVE=" + shell_quote(src + "/" + name + ".lib.tar.xz") +
                     " -DSHA256=" + sha + " -DDONT_USE=" + shell_quote(src + "/dont_use.txt") +
                     " -DNAME=" + name + " -DOUT_DIR=" + shell_quote(dir) + " -P " +
                     shell_quote(src + "/prepare.cmake"));
  };
  const auto bad = step("674f04614959e0637cdc27cab47bf19e50a26d5140a962fa469b44814b7cabf0");
  CHECK(bad.status != 0);
  INFO(bad.out);
  CHECK(bad.out.find("674f04614959e0637cdc27cab47bf19e50a26d5140a962fa469b44814b7cabf0") !=
        std::string::npos);
  CHECK(bad.out.find("expected") != std::string::npos);
  CHECK(std::filesystem::is_empty(dir)); // nothing half-made is left
  const auto good = step("674f04614959e0637cdc27cab47bf19e50a26d5140a962fa469b44814b7cabf5");
  INFO(good.out);
  CHECK(good.status == 0);
  const std::string plain = default_liberty();
  const std::string synth = plain.substr(0, plain.size() - 4) + ".synth.lib";
  CHECK(read_file(dir + "/" + name + ".lib") == read_file(plain));
  CHECK(read_file(dir + "/" + name + ".synth.lib") == read_file(synth));
  std::filesystem::remove_all(dir);
}

TEST_CASE("choose_library: the default library, none, relative and bad paths") {
  EnvGuard env("TPE_LIBERTY");
  unsetenv("TPE_LIBERTY");
  const std::string plain = default_liberty();
  const std::string synth = plain.substr(0, plain.size() - 4) + ".synth.lib";
  const LibraryChoice d = choose_library("");
  CHECK(d.source == "default");
  CHECK(d.timing_lib == plain);
  CHECK(d.synth_lib == synth);
  const LibraryChoice n = choose_library("none");
  CHECK(n.source == "none");
  CHECK(n.synth_lib.empty());
  CHECK(n.timing_lib.empty());
  setenv("TPE_LIBERTY", "none", 1);
  CHECK(choose_library("").synth_lib.empty());
  CHECK(choose_library(plain).synth_lib == synth); // --liberty wins over TPE_LIBERTY
  // a relative path is resolved against the working directory, for either name
  const std::filesystem::path cwd = std::filesystem::current_path();
  const std::string dir = workdir("rel");
  std::filesystem::create_directories(dir);
  std::filesystem::current_path(dir);
  const std::string rel = std::filesystem::relative(plain).string();
  const std::string rel_synth = std::filesystem::relative(synth).string();
  REQUIRE(rel.rfind("../", 0) == 0);
  const LibraryChoice r = choose_library(rel);
  setenv("TPE_LIBERTY", rel_synth.c_str(), 1);
  const LibraryChoice e = choose_library("");
  std::string missing, directory;
  try {
    choose_library("no/such.lib");
  } catch (const InputError& x) {
    missing = x.what();
  }
  try {
    choose_library(".");
  } catch (const InputError& x) {
    directory = x.what();
  }
  std::filesystem::current_path(cwd);
  std::filesystem::remove_all(dir);
  CHECK(r.timing_lib == plain);
  CHECK(r.synth_lib == synth);
  CHECK(e.source == "TPE_LIBERTY");
  CHECK(e.timing_lib == plain);
  CHECK(e.synth_lib == synth);
  CHECK(missing == "no/such.lib: --liberty: Liberty file not found");
  // a missing default library (a build that did not unpack it) is a clear tool error
  unsetenv("TPE_LIBERTY");
  CHECK_THROWS_MATCHES(
      choose_library("", "/nonexistent/pdk/x.lib"), ToolError,
      Catch::Message("the default Liberty library /nonexistent/pdk/x.lib is missing (the build "
                     "unpacks it from third_party/sky130_fd_sc_hd: run 'make'); or pass --liberty "
                     "FILE, or --liberty none for yosys's internal gates"));
  CHECK(choose_library("none", "/nonexistent/pdk/x.lib").source == "none");
  CHECK(directory == ".: --liberty: is a directory, not a Liberty file");
}

TEST_CASE("tpe synth takes relative --liberty and TPE_LIBERTY and --keep from any directory") {
  const std::string dir = workdir("cli_rel");
  std::filesystem::create_directories(dir + "/run");
  write_file_atomic(dir + "/a1x1.yaml", "name: a1x1\nengine: systolic\nrows: 1\ncols: 1\n"
                                        "dataflow: os\n");
  const std::string lib = std::filesystem::relative(default_liberty(), dir + "/run").string();
  const std::string in_run =
      "cd " + shell_quote(dir + "/run") + " && env -u TPE_LIBERTY " + TPE_TPE_BIN + " ";
  {
    const auto r = run_shell(in_run + "synth --arch ../a1x1.yaml --liberty " + shell_quote(lib) +
                             " --keep kept --json out.json");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(std::filesystem::is_regular_file(dir + "/run/kept/netlist.v"));
    CHECK(std::filesystem::is_regular_file(dir + "/run/kept/synth.log"));
    const auto j = nlohmann::json::parse(read_file(dir + "/run/out.json"));
    CHECK(j["library"] == "sky130_fd_sc_hd__tt_025C_1v80");
    CHECK(j["area_um2"].get<double>() > 0);
    CHECK(j["fmax_mhz"].get<double>() > 0);
  }
  {
    const auto r =
        run_shell("cd " + shell_quote(dir + "/run") + " && TPE_LIBERTY=" + shell_quote(lib) + " " +
                  TPE_TPE_BIN + " synth --arch ../a1x1.yaml");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("library: sky130_fd_sc_hd__tt_025C_1v80") != std::string::npos);
  }
  {
    const auto r = run_shell(in_run + "synth --arch ../a1x1.yaml --liberty none");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("yosys internal gates") != std::string::npos);
  }
  {
    const auto r = run_shell(in_run + "synth --arch ../a1x1.yaml --liberty nope.lib");
    CHECK(r.status == 2);
    CHECK(r.out == "tpe: error: nope.lib: --liberty: Liberty file not found\n");
    const auto e = run_shell("cd " + shell_quote(dir + "/run") + " && TPE_LIBERTY=nope.lib " +
                             TPE_TPE_BIN + " synth --arch ../a1x1.yaml");
    CHECK(e.status == 2);
    CHECK(e.out == "tpe: error: nope.lib: TPE_LIBERTY: Liberty file not found\n");
    const auto k = run_shell(in_run + "synth --arch ../a1x1.yaml --keep ../a1x1.yaml");
    CHECK(k.status == 2);
    CHECK(tpe::test::last_line(k.out) ==
          "tpe: error: ../a1x1.yaml: cannot create the --keep directory: it is a file, not a "
          "directory");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("tpe power takes relative --liberty and --keep from any directory") {
  const std::string dir = workdir("power_rel");
  std::filesystem::create_directories(dir + "/run");
  write_file_atomic(dir + "/a1x1.yaml", "name: p1x1\nengine: systolic\nrows: 1\ncols: 1\n"
                                        "dataflow: os\n");
  const std::string lib = std::filesystem::relative(default_liberty(), dir + "/run").string();
  const auto r = run_shell("cd " + shell_quote(dir + "/run") + " && env -u TPE_LIBERTY " +
                           TPE_TPE_BIN + " power --arch ../a1x1.yaml --gemm 2x8x2 --seed 1 " +
                           "--liberty " + shell_quote(lib) + " --keep kept --json p.json");
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(std::filesystem::is_regular_file(dir + "/run/kept/netlist.v"));
  const auto j = nlohmann::json::parse(read_file(dir + "/run/p.json"));
  CHECK(j["library"] == "sky130_fd_sc_hd__tt_025C_1v80");
  CHECK(j["energy_pj_per_mac"].get<double>() > 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the mapped gate-level netlist simulates exactly like the RTL and the model") {
  for (const char* df : {"os"}) { // ws: tests/full_gate_level.cpp
    INFO(df);
    const ArchConfig a = make_arch(2, 3, df);
    const std::string d = workdir(std::string("gl_") + df);
    const SynthReport r = synthesize(a, options(d));
    REQUIRE(std::filesystem::exists(r.cell_models));
    VerifyOptions o;
    o.seed = 77;
    o.mutate = use_gate_netlist(r.netlist, r.cell_models);
    o.verilator_flags = gate_level_flags();
    std::ostringstream progress;
    const VerifyOutcome v =
        verify_systolic(a, {parse_gemm_spec("7x9x5"), parse_gemm_spec("3x1x4")}, o, progress);
    INFO(progress.str());
    CHECK(v.failure == "");
    CHECK(v.runs == 2);
    // and a fault in the netlist is caught: swap the first NAND2 for a NOR2
    std::string net = read_file(r.netlist);
    const size_t p = net.find("sky130_fd_sc_hd__nand2_1 ");
    REQUIRE(p != std::string::npos);
    net.replace(p, std::string("sky130_fd_sc_hd__nand2_1").size(), "sky130_fd_sc_hd__nor2_1");
    write_file_atomic(d + "/faulty.v", net);
    o.mutate = use_gate_netlist(d + "/faulty.v", r.cell_models);
    CHECK_FALSE(verify_systolic(a, {parse_gemm_spec("7x9x5")}, o, progress).pass);
  }
}
