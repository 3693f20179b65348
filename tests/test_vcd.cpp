// `tpe verify --vcd DIR`: waveforms of the RTL (Verilator) and of the SystemC
// model around the first difference. A fault injected into a 2x2 systolic array
// fails verify, and the two files name the same signals with the same widths;
// the output write signals agree on every cycle before the reported first
// difference and differ on it. A passing cube design writes both files too, and
// every signal the model traces is in the RTL's file with the same width, with
// the same values on every cycle (addresses and data while their enable is high).
#include "core/atomic_file.h"
#include "test_helpers.h"
#include "vcd_reader.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
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
