// The tpe program as a user runs it: exit codes, one-line errors, reports, and
// that `tpe sim` reports exactly the cycles the RTL took under `tpe verify`.
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <unistd.h>

using namespace tpe::test;

namespace {
const std::string kSrc = TPE_SOURCE_DIR;
std::string tmpdir(const std::string& tag) {
  return scratch_dir("cli", tag);
}
void write(const std::string& path, const std::string& text) {
  write_text(path, text);
}
} // namespace

TEST_CASE("bad input is one error line and exit status 2") {
  const std::string d = tmpdir("bad");
  write(d + "/a.yaml", "name: x\nengine: systolic\nrows: 4\ncols: 4\ndataflow: os\nfoo: 1\n");
  CmdResult r =
      run_tpe("sim --arch " + d + "/a.yaml --workload " + kSrc + "/workloads/tiny_gemm.csv");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d +
                     "/a.yaml:6: foo: unknown key (known keys: name, engine, rows, cols, "
                     "depth, dataflow, pe, format, accumulate, acc_bits, lmul_offset, clock_mhz, "
                     "memory)\n");
  write(d + "/w.csv", "Layer name, M, N, K,\ng, 1, 2,\n");
  r = run_tpe("sim --arch " + kSrc + "/configs/systolic_4x4_os.yaml --workload " + d + "/w.csv");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d + "/w.csv:2: row: expected 4 fields, found 3\n");
  r = run_tpe("verify --arch " + kSrc + "/configs/systolic_4x4_os.yaml --gemm 3x4");
  CHECK(r.status == 2);
  r = run_tpe("sim --arch " + d + "/missing.yaml --workload " + d + "/w.csv");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d +
                     "/missing.yaml: cannot open the architecture file: no "
                     "such file or directory\n");
  r = run_tpe("frobnicate");
  CHECK(r.status == 2);
}

TEST_CASE("tpe sim writes CSV, JSON and COMPUTE_REPORT.csv") {
  const std::string d = tmpdir("sim");
  const CmdResult r =
      run_tpe("sim --arch " + kSrc + "/configs/systolic_4x4_ws.yaml --workload " + kSrc +
              "/workloads/tiny_conv.csv --json " + d + "/r.json --out " + d + "/out --seed 9");
  REQUIRE(r.status == 0);
  std::ifstream jf(d + "/r.json");
  const nlohmann::json j = nlohmann::json::parse(jf);
  REQUIRE(j["layers"].size() == 3);
  int64_t sum = 0;
  for (auto& l : j["layers"]) {
    for (const char* k : {"name", "M", "N", "K", "cycles", "macs", "utilization"})
      CHECK(l.contains(k));
    sum += l["cycles"].get<int64_t>();
    CHECK(l["values_checked"].get<bool>());
  }
  CHECK(j["total_cycles"].get<int64_t>() == sum);
  CHECK(j["layers"][0]["M"] == 64); // c0: 10x10 map, 3x3 filter -> 8x8
  std::ifstream cr(d + "/out/COMPUTE_REPORT.csv");
  std::string header;
  std::getline(cr, header);
  CHECK(
      header ==
      "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,");
  CHECK(std::filesystem::exists(d + "/out/sim_report.csv"));
  CHECK(std::filesystem::exists(d + "/out/sim_report.json"));
}

TEST_CASE("tpe sim accepts SCALE-Sim's config and topology") {
  const std::string d = tmpdir("scalesim");
  CmdResult r =
      run_tpe("sim --scalesim-config " + kSrc + "/configs/scalesim_16x16_ws.cfg --topology " +
              kSrc + "/workloads/tiny_conv.csv --mode analytic --out " + d);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("MemoryBanks: ignored") != std::string::npos);
  write(d + "/bad.cfg", "[architecture_presets]\nArrayHeight: 16\nArrayWidth: 0\nDataflow: ws\n");
  r = run_tpe("sim --scalesim-config " + d + "/bad.cfg --topology " + kSrc +
              "/workloads/tiny_conv.csv");
  CHECK(r.status == 2);
  CHECK(r.out ==
        "tpe: error: " + d + "/bad.cfg:3: ArrayWidth: expected a positive integer, got '0'\n");
}

TEST_CASE("tpe sim reports exactly the cycles the RTL took") {
  for (const char* cfg : {"systolic_4x4_os", "systolic_4x4_ws", "systolic_4x4_is"}) {
    INFO(cfg);
    const std::string d = tmpdir(cfg);
    write(d + "/w.csv", "Layer name, M, N, K,\ng, 37, 53, 29,\n");
    const CmdResult v =
        run_tpe("verify --arch " + kSrc + "/configs/" + cfg + ".yaml --gemm 37x29x53 --seed 11");
    REQUIRE(v.status == 0);
    CHECK(last_line(v.out).rfind("verify: PASS", 0) == 0);
    CHECK(v.out.find("seed 11") != std::string::npos);
    std::smatch m;
    REQUIRE(std::regex_search(v.out, m, std::regex(R"(\): (\d+) cycles, \d+ writes match)")));
    const int64_t rtl_cycles = std::stoll(m[1]);
    const CmdResult s = run_tpe("sim --arch " + kSrc + "/configs/" + cfg + ".yaml --workload " + d +
                                "/w.csv --mode analytic --json " + d + "/r.json");
    REQUIRE(s.status == 0);
    std::ifstream jf(d + "/r.json");
    CHECK(nlohmann::json::parse(jf)["total_cycles"].get<int64_t>() == rtl_cycles);
  }
}

TEST_CASE("tpe gen writes the Verilog and a filelist") {
  const std::string d = tmpdir("gen");
  const CmdResult r = run_tpe("gen --arch " + kSrc + "/configs/systolic_4x4_ws.yaml --out " + d);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("top module tpe_sa4x4_ws") != std::string::npos);
  std::ifstream fl(d + "/filelist.f");
  std::string f;
  int n = 0;
  while (std::getline(fl, f)) {
    CHECK(std::filesystem::exists(d + "/" + f));
    ++n;
  }
  CHECK(n == 7);
}
