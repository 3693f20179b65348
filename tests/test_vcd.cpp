// `tpe verify --vcd DIR`: waveforms of the RTL (Verilator) and of the SystemC
// model around the first difference. A fault injected into a 2x2 systolic array
// fails verify, and the two files name the same signals with the same widths;
// the output write signals agree on every cycle before the reported first
// difference and differ on it. A passing cube design writes both files too, and
// every signal the model traces is in the RTL's file with the same width, with
// the same values on every cycle (addresses and data while their enable is high);
// so does a block-format ws design, whose partial sums hold the block partials.
// A table of small designs, one per engine and format family (element FP, a
// mixed act/weight pair, group sums, block formats), traces every PE register
// of every PE (none dropped) with the RTL's values on every cycle; the twin check
// itself throws on a probe whose width or name is not the RTL's (no silent drop).
// The wider sweep (integer formats on every engine, more formats) is full_vcd.cpp.
#include "core/atomic_file.h"
#include "rtl_gen/fp_pe_verilog.h"
#include "test_helpers.h"
#include "vcd_reader.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

using namespace tpe;
using namespace tpe::test;
namespace fs = std::filesystem;

TEST_CASE("verify --vcd: a fault's waveforms differ first at the reported cycle") {
  const ArchConfig a = tpe::test::make_arch(2, 2, "os");
  TempDir d("fault");
  const VerifyOutcome r = verify_vcd(
      a, "5x6x7", d.p.string(), tpe::test::replace_in_rtl("acc) + prod_ext", "acc) - prod_ext"));
  REQUIRE_FALSE(r.pass);
  const int64_t c = r.first_diff_cycle;
  INFO(r.failure << " (first difference at cycle " << c << ")");
  REQUIRE(c > 0);
  CHECK(r.failure.find("at cycle " + std::to_string(c)) != std::string::npos);
  for (const char* f : {"rtl.vcd", "model.vcd", "README.txt"})
    CHECK(fs::is_regular_file(d.p / f));
  CHECK_FALSE(fs::exists(d.p.string() + ".tmp." + std::to_string(getpid())));
  const Vcd rtl = parse_vcd((d.p / "rtl.vcd").string());
  const Vcd model = parse_vcd((d.p / "model.vcd").string());
  const std::string top = "tpe_" + a.name;
  check_same_names(rtl, model, top);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      CHECK(model.width.count(top + "." + pe_reg(i, j, "acc")) == 1);
  // the window: 50 cycles before (from cycle 0 here) to 10 after
  const VcdWindow w = vcd_window(c, 50, 1 << 30);
  CHECK(w.from == std::max<int64_t>(0, c - 50));
  CHECK(rtl.last_time == (c + kVcdCyclesAfter) * 1000);
  CHECK(model.last_time == rtl.last_time);
  for (int64_t k = w.from; k < c; ++k) {
    INFO("cycle " << k);
    CHECK(write_at(rtl, top, k) == write_at(model, top, k));
  }
  CHECK(write_at(rtl, top, c) != write_at(model, top, c));
  CHECK(write_at(model, top, c).rfind("1 ", 0) == 0); // the model writes at cycle c
}

TEST_CASE("verify --vcd on a passing cube: the model's signals are the RTL's") {
  ArchConfig a;
  a.name = "vcd_cube";
  a.engine = "cube";
  a.rows = 2;
  a.cols = 3;
  a.depth = 2;
  a.dataflow = "os";
  a.pe = "mac";
  a.format = "int8";
  a.acc_bits = 32;
  validate_arch(a);
  TempDir d("cube");
  const VerifyOutcome r = verify_vcd(a, "5x7x4", d.p.string());
  REQUIRE(r.pass);
  const Vcd rtl = parse_vcd((d.p / "rtl.vcd").string());
  const Vcd model = parse_vcd((d.p / "model.vcd").string());
  const std::string top = "tpe_" + a.name;
  check_same_names(rtl, model, top);
  CHECK(model.width.count(top + "." + pe_reg(1, 2, "acc")) == 1);
  CHECK(model.width.count(top + "." + pe_reg(1, 2, "dr")) == 1);
  // a passing run: its first 61 cycles, or all of it when shorter
  CHECK(rtl.last_time == std::min<int64_t>(r.cycles_total, 50 + kVcdCyclesAfter) * 1000);
  CHECK(model.last_time == rtl.last_time);
  check_same_values(rtl, model, top);
}

TEST_CASE("verify --vcd on block-format ws and is designs: ps is {block partial, accumulator}") {
  // mxfp8_e4m3 into fp16: ps is 16 + 45 = 61 bits (the partial state wider than 32);
  // is with only the weight in blocks (nvfp4 into fp32)
  for (const auto& [yaml, acc] : std::vector<std::pair<std::string, int>>{
           {"name: vcd_ws_blk\nengine: systolic\nrows: 2\ncols: 2\ndataflow: ws\n"
            "format: mxfp8_e4m3\naccumulate: fp16\n",
            16},
           {"name: vcd_is_blk\nengine: systolic\nrows: 2\ncols: 3\ndataflow: is\n"
            "format: {act: fp4_e2m1, weight: nvfp4}\naccumulate: fp32\n",
            32}}) {
    const ArchConfig a = parse_arch_text(yaml);
    INFO(a.name);
    TempDir d(a.name);
    const VerifyOutcome r = verify_vcd(a, "3x40x3", d.p.string());
    REQUIRE(r.pass);
    const Vcd rtl = parse_vcd((d.p / "rtl.vcd").string());
    const Vcd model = parse_vcd((d.p / "model.vcd").string());
    const std::string top = "tpe_" + a.name;
    const std::string ps = top + "." + pe_reg(1, 1, "ps");
    REQUIRE(model.width.count(ps) == 1);
    CHECK(model.width.at(ps) == acc + fp_pe_arith(a).block_spec.width + 3);
    // the stationary lanes {block end, scale, code}: 1 + 8 + the code bits
    for (const char* reg : {"sh", "wa"})
      CHECK(model.width.at(top + "." + pe_reg(1, 1, reg)) == 9 + a.operand_bits());
    check_same_names(rtl, model, top);
    check_same_values(rtl, model, top);
  }
}

namespace {

// Yaml of the designs below: each engine with the format families it takes.
const std::vector<std::string> kFormatDesigns = {
    // systolic os, element FP into fp32; ws with a mixed act/weight pair
    "name: vcd_os_fp8\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\nformat: fp8_e4m3\n"
    "accumulate: fp32\n",
    "name: vcd_ws_mix\nengine: systolic\nrows: 2\ncols: 2\ndataflow: ws\n"
    "format: {act: fp8_e5m2, weight: fp8_e4m3}\naccumulate: fp32\n",
    // cube: block format (groups of 2 lanes in blocks of 32); matrix2d: a mixed pair
    "name: vcd_cube_mx8\nengine: cube\nrows: 1\ncols: 1\ndepth: 2\nformat: mxfp8_e4m3\n"
    "accumulate: fp32\n",
    "name: vcd_m2d_mix\nengine: matrix2d\nrows: 2\ncols: 2\n"
    "format: {act: fp8_e5m2, weight: fp8_e4m3}\naccumulate: fp16\n",
    // adder trees: fp16 group sums (depth 2), nvfp4 blocks; their t is the exact
    // dot product's Unpacked bus, not the accumulator word
    "name: vcd_tree_g16\nengine: adder_tree\ncols: 2\ndepth: 2\nformat: fp16\n"
    "accumulate: fp32\n",
    "name: vcd_tree_nv4\nengine: adder_tree\ncols: 1\ndepth: 2\nformat: nvfp4\n"
    "accumulate: fp32\n",
};

} // namespace

TEST_CASE("verify --vcd per engine and format family: no probe dropped and each value the RTL's") {
  for (const std::string& yaml : kFormatDesigns)
    check_design_waveforms(yaml, "3x40x3");
}

TEST_CASE("the model's probes must match their RTL twins: a mismatch is an internal error") {
  const std::vector<Probe> probes = {probe("start", 1, [] { return int64_t(0); }),
                                     Probe{"u_array.g_tree[0].pe.t", 1, 23, nullptr}};
  const std::map<std::string, int> rtl = {{"tpe_x.start", 1}, {"tpe_x.u_array.g_tree[0].pe.t", 23}};
  CHECK_NOTHROW(check_probe_twins(probes, rtl, "tpe_x"));
  // a width that is not the RTL's (the fault the ws/is block designs had)
  std::map<std::string, int> other = rtl;
  other["tpe_x.u_array.g_tree[0].pe.t"] = 32;
  CHECK_THROWS_WITH(check_probe_twins(probes, other, "tpe_x"),
                    "model waveform: the probe tpe_x.u_array.g_tree[0].pe.t is 23 x 1 bits, its "
                    "RTL twin 32");
  // no twin at all, a probe listed twice
  other.erase("tpe_x.u_array.g_tree[0].pe.t");
  CHECK_THROWS_WITH(check_probe_twins(probes, other, "tpe_x"),
                    Catch::Contains("has no twin in the RTL's waveform"));
  std::vector<Probe> twice = probes;
  twice.push_back(probes[0]);
  CHECK_THROWS_WITH(check_probe_twins(twice, rtl, "tpe_x"), Catch::Contains("listed twice"));
}

TEST_CASE("tpe verify --vcd on the command line: the window option and bad paths") {
  TempDir d("cli");
  fs::create_directories(d.p);
  const std::string arch = (d.p / "vcd_cube.yaml").string();
  {
    std::ofstream f(arch);
    f << "name: vcd_cube\nengine: cube\nrows: 2\ncols: 3\ndepth: 2\npe: mac\nformat: int8\n"
         "acc_bits: 32\n";
  }
  const std::string wave = (d.p / "wave").string();
  // the RTL builds are those of the cube test above (same design)
  auto r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --seed 7 --vcd " + wave +
                              " --vcd-window 5");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(r.out.find("verify: waveforms of cycles 0 to 15 in " + wave) != std::string::npos);
  const Vcd rtl = parse_vcd(wave + "/rtl.vcd");
  const Vcd model = parse_vcd(wave + "/model.vcd");
  CHECK(rtl.last_time == 15000);
  CHECK(model.last_time == 15000);
  // a second run replaces the waveforms at once (core/output_dir.h StagedDir): its
  // files are back, a user's file in the directory is kept, nothing staged is left
  fs::remove(wave + "/README.txt");
  write_file_atomic(wave + "/notes.txt", "mine\n");
  const auto model_mtime = fs::last_write_time(wave + "/model.vcd");
  r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --seed 7 --vcd " + wave +
                         " --vcd-window 10");
  CHECK(r.status == 0);
  CHECK(fs::is_regular_file(wave + "/README.txt"));
  CHECK(read_file(wave + "/notes.txt") == "mine\n");
  CHECK(fs::last_write_time(wave + "/model.vcd") >= model_mtime);
  CHECK(parse_vcd(wave + "/model.vcd").last_time == 20000); // the new window
  for (const auto& e : fs::directory_iterator(d.p))
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
  // through a symbolic link: written where it points, the link kept
  const std::string link = (d.p / "link").string();
  fs::create_directories(d.p / "real");
  fs::create_directory_symlink(d.p / "real", link);
  r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --seed 7 --vcd " + link +
                         " --vcd-window 5");
  CHECK(r.status == 0);
  CHECK(fs::is_symlink(link));
  CHECK(fs::is_regular_file(d.p / "real" / "model.vcd"));
  // refused before any work: a file as the directory, an empty path, a bad window
  r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --vcd " + arch);
  CHECK(r.status == 2);
  CHECK(r.out.find("exists and is not a directory") != std::string::npos);
  CHECK(r.out.find("verify: seed") == std::string::npos);
  r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --vcd ''");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: verify: --vcd: an empty value\n");
  r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --vcd " + wave +
                         " --vcd-window 0");
  CHECK(r.status == 2);
}

TEST_CASE("verify --vcd: an RTL run that fails leaves its waveform up to the failure") {
  const ArchConfig a = tpe::test::make_arch(2, 2, "os");
  TempDir d("range");
  const VerifyOutcome r =
      verify_vcd(a, "5x6x7", d.p.string(),
                 tpe::test::replace_in_rtl("assign w_rd_addr = waddr;",
                                           "assign w_rd_addr = waddr + 32'd100000;"));
  REQUIRE_FALSE(r.pass);
  INFO(r.failure);
  CHECK(r.failure.find("west read address") != std::string::npos);
  const int64_t c = r.first_diff_cycle;
  REQUIRE(c >= 0);
  CHECK(error_cycle(r.failure) == c);
  const Vcd rtl = parse_vcd((d.p / "rtl.vcd").string());
  const Vcd model = parse_vcd((d.p / "model.vcd").string());
  const std::string top = "tpe_" + a.name;
  CHECK(rtl.last_time == c * 1000); // the harness stopped at the bad read
  CHECK(model.last_time == (c + kVcdCyclesAfter) * 1000);
  CHECK(rtl.at(top + ".w_rd_en", c * 1000) == "1");
  CHECK(model.at(top + ".w_rd_en", c * 1000) == "1");
  const auto value = [](const std::string& bits) { return std::stoll(bits, nullptr, 2); };
  CHECK(value(rtl.at(top + ".w_rd_addr", c * 1000)) ==
        value(model.at(top + ".w_rd_addr", c * 1000)) + 100000);
  CHECK(error_cycle("no cycle here") == -1);
}
