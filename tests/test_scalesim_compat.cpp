// SCALE-Sim v2 compatibility (`tpe sim --compat scalesim`, dataflows/scalesim_v2.h):
// every run of the real SCALE-Sim in tests/fixtures/scalesim-v2 (its README) is
// reproduced: COMPUTE_REPORT.csv byte for byte (Total and Stall Cycles, the three
// utilizations as Python prints them) and the SRAM and DRAM counts of
// DETAILED_ACCESS_REPORT.csv; through the API and through the command line. Also:
// Python's float repr, and the refusals of what SCALE-Sim does not model.
#include "core/error.h"
#include "core/scalesim_config.h"
#include "core/text.h"
#include "core/workload.h"
#include "dataflows/scalesim_v2.h"
#include "reports/scalesim_compat_report.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

using namespace tpe;
using namespace tpe::test;
namespace fs = std::filesystem;

namespace {

const std::string kFix = std::string(TPE_SOURCE_DIR) + "/tests/fixtures/scalesim-v2";

std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> f;
  std::istringstream in(line);
  for (std::string x; std::getline(in, x, ',');)
    f.push_back(trim(x));
  return f;
}

struct FixtureRun {
  std::string set, name, cfg, topology;
};

std::vector<FixtureRun> fixture_runs() {
  std::vector<FixtureRun> out;
  for (const char* set : {"ref", "extra", "extra2", "extra3"}) {
    const std::string dir = kFix + "/" + set;
    std::string topo = dir + "/topology.csv";
    if (!fs::exists(topo)) topo = dir + "/gemm_topology.csv";
    std::vector<std::string> cfgs;
    for (const auto& e : fs::directory_iterator(dir + "/configs"))
      cfgs.push_back(e.path().string());
    std::sort(cfgs.begin(), cfgs.end());
    for (const auto& c : cfgs)
      out.push_back({set, fs::path(c).stem().string(), c, topo});
  }
  return out;
}

} // namespace

TEST_CASE("every SCALE-Sim v2 reference run is reproduced exactly") {
  const std::vector<FixtureRun> runs = fixture_runs();
  REQUIRE(runs.size() == 34); // 6 + 12 + 12 + 4 runs of the real SCALE-Sim
  int layers = 0, stalled = 0;
  for (const FixtureRun& fr : runs) {
    INFO(fr.set << "/" << fr.name);
    std::ostringstream notes;
    ScaleSimCompatReport rep;
    rep.arch = parse_scalesim_config(fr.cfg, notes);
    rep.config = scalesim_v2_config(rep.arch, "");
    const Workload w = parse_workload_file(fr.topology);
    rep.layers = w.layers;
    for (const Layer& l : w.layers)
      rep.results.push_back(scalesim_v2_layer(rep.config, l, fr.topology));
    const std::string run = kFix + "/" + fr.set + "/runs/" + fr.name;
    CHECK(scalesim_v2_compute_report(rep) == slurp(run + "/COMPUTE_REPORT.csv"));
    std::istringstream det(slurp(run + "/DETAILED_ACCESS_REPORT.csv"));
    std::string line;
    std::getline(det, line); // header
    for (size_t i = 0; i < rep.results.size(); ++i) {
      REQUIRE(std::getline(det, line));
      const std::vector<std::string> f = csv_fields(line);
      REQUIRE(f.size() >= 19);
      const ScaleSimV2Layer& r = rep.results[i];
      INFO("layer " << i << ": " << line);
      CHECK(count_str(r.sram_ifmap_reads) == f[3]);
      CHECK(count_str(r.sram_filter_reads) == f[6]);
      CHECK(count_str(r.sram_ofmap_writes) == f[9]);
      if (rep.config.user_bandwidth) { // CALC's DRAM read columns are a bandwidth estimate
        CHECK(count_str(r.dram_ifmap_reads) == f[12]);
        CHECK(count_str(r.dram_filter_reads) == f[15]);
      }
      CHECK(count_str(r.dram_ofmap_writes) == f[18]);
      ++layers;
      stalled += r.stall_cycles > 0;
    }
  }
  CHECK(layers >= 100);
  CHECK(stalled >= 30); // the stall model is exercised, not only the fold formula
}

TEST_CASE("tpe sim --compat scalesim writes SCALE-Sim's COMPUTE_REPORT.csv") {
  const std::string dir = scratch_dir("tpe_compat", "cli");
  const std::string ref = kFix + "/ref";
  for (const char* run : {"pub_os8x8_bw1", "pub_ws8x8_calc"}) {
    const auto r = run_tpe("sim --scalesim-config " + ref + "/configs/" + run + ".cfg --topology " +
                           ref + "/topology.csv --compat scalesim --out " + dir + "/" + run +
                           " --json " + dir + "/" + run + ".json");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(slurp(dir + "/" + run + "/COMPUTE_REPORT.csv") ==
          slurp(ref + "/runs/" + run + "/COMPUTE_REPORT.csv"));
    CHECK(fs::exists(dir + "/" + run + "/scalesim_report.json"));
    CHECK_FALSE(fs::exists(dir + "/" + run + "/sim_report.csv"));
    CHECK(slurp(dir + "/" + run + ".json").find("\"stall_cycles\"") != std::string::npos);
    CHECK(r.out.find("IfmapOffset: ignored (an address offset changes no cycle count") !=
          std::string::npos);
  }
  // a YAML architecture runs as CALC unless told; --interface-bandwidth USER takes its
  // memory.dram_bytes_per_cycle (the same array as pub_os8x8_bw1)
  write_text(dir + "/os8.yaml", "name: os8\nengine: systolic\nrows: 8\ncols: 8\ndataflow: os\n"
                                "memory: {ifmap_sram_kb: 4, filter_sram_kb: 4, ofmap_sram_kb: 4, "
                                "dram_bytes_per_cycle: 1}\n");
  const std::string wl = " --workload " + ref + "/topology.csv --compat scalesim";
  const auto calc = run_tpe("sim --arch " + dir + "/os8.yaml" + wl + " --out " + dir + "/calc");
  REQUIRE(calc.status == 0);
  CHECK(slurp(dir + "/calc/COMPUTE_REPORT.csv") ==
        slurp(ref + "/runs/pub_os8x8_calc/COMPUTE_REPORT.csv"));
  const auto user = run_tpe("sim --arch " + dir + "/os8.yaml" + wl +
                            " --interface-bandwidth USER --out " + dir + "/user");
  REQUIRE(user.status == 0);
  CHECK(slurp(dir + "/user/COMPUTE_REPORT.csv") ==
        slurp(ref + "/runs/pub_os8x8_bw1/COMPUTE_REPORT.csv"));
  fs::remove_all(dir);
}

TEST_CASE("SCALE-Sim compatibility refuses what SCALE-Sim does not model, in one line") {
  const std::string dir = scratch_dir("tpe_compat", "bad");
  const std::string wl = kFix + "/ref/topology.csv";
  write_text(dir + "/cube.yaml", "name: c\nengine: cube\nrows: 2\ncols: 2\ndepth: 2\n");
  write_text(dir + "/frac.yaml", "name: f\nengine: systolic\nrows: 2\ncols: 2\ndataflow: ws\n"
                                 "memory: {dram_bytes_per_cycle: 2.5}\n");
  write_text(dir + "/noib.cfg", "[architecture_presets]\nArrayHeight: 4\nArrayWidth: 4\n"
                                "Dataflow: os\nBandwidth: 2\n");
  write_text(dir + "/badib.cfg", "[architecture_presets]\nArrayHeight: 4\nArrayWidth: 4\n"
                                 "Dataflow: os\n[run_presets]\nInterfaceBandwidth: FAST\n");
  write_text(dir + "/os.yaml", "name: o\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n");
  write_text(dir + "/nobw.cfg", "[architecture_presets]\nArrayHeight: 4\nArrayWidth: 4\n"
                                "Dataflow: os\nIfmapSramSzkB: 1\nFilterSramSzkB: 1\n"
                                "OfmapSramSzkB: 1\n[run_presets]\nInterfaceBandwidth: USER\n");
  write_text(dir + "/nosram.cfg", "[architecture_presets]\nArrayHeight: 4\nArrayWidth: 4\n"
                                  "Dataflow: os\nIfmapSramSzkB: 1\nFilterSramSzkB: 1\n"
                                  "[run_presets]\nInterfaceBandwidth: CALC\n");
  write_text(dir + "/one.yaml", "name: o\nengine: systolic\nrows: 1\ncols: 1\ndataflow: os\n");
  write_text(dir + "/g111.csv", "Layer,M,N,K,\ng, 1, 1, 1,\n");
  write_text(dir + "/huge.csv", "Layer,M,N,K,\ng, 2147483647, 2147483647, 1,\n");
  write_text(dir + "/huge.cfg", "[architecture_presets]\nArrayHeight: 4\nArrayWidth: 4\n"
                                "Dataflow: os\nIfmapSramSzkB: 1048576\nFilterSramSzkB: 1\n"
                                "OfmapSramSzkB: 1\nBandwidth: 2\n"
                                "[run_presets]\nInterfaceBandwidth: USER\n");
  write_text(dir + "/dram.yaml", "name: d\nengine: systolic\nrows: 4\ncols: 4\ndataflow: os\n"
                                 "memory: {model: dram, dram: ddr4_3200_x64}\n");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"--arch " + dir + "/dram.yaml --workload " + wl + " --compat scalesim",
       dir + "/dram.yaml:6: memory.model: --compat scalesim models SCALE-Sim's own scratchpads "
             "from memory.dram_bytes_per_cycle; memory.model dram does not apply (use ideal)"},
      {"--arch " + dir + "/cube.yaml --workload " + wl + " --compat scalesim",
       dir + "/cube.yaml: engine: --compat scalesim: SCALE-Sim models systolic arrays only"},
      {"--arch " + dir + "/frac.yaml --workload " + wl +
           " --compat scalesim --interface-bandwidth USER",
       dir + "/frac.yaml: memory.dram_bytes_per_cycle: InterfaceBandwidth USER needs a whole "
             "number"},
      {"--scalesim-config " + dir + "/noib.cfg --topology " + wl + " --compat scalesim",
       dir + "/noib.cfg: run_presets.InterfaceBandwidth: required by --compat scalesim"},
      {"--scalesim-config " + dir + "/badib.cfg --topology " + wl,
       dir + "/badib.cfg:6: InterfaceBandwidth: expected USER or CALC, got 'FAST'"},
      {"--scalesim-config " + dir + "/huge.cfg --topology " + wl + " --compat scalesim",
       dir + "/huge.cfg: IfmapSramSzkB: --compat scalesim models SRAMs of up to 65536 kB"},
      {"--scalesim-config " + dir + "/nobw.cfg --topology " + wl + " --compat scalesim",
       dir + "/nobw.cfg: Bandwidth: required by --compat scalesim under InterfaceBandwidth USER"},
      {"--scalesim-config " + dir + "/nosram.cfg --topology " + wl + " --compat scalesim",
       dir + "/nosram.cfg: OfmapSramSzkB: required by --compat scalesim, as by SCALE-Sim"},
      {"--arch " + dir + "/one.yaml --workload " + dir + "/g111.csv --compat scalesim",
       dir + "/g111.csv:2: M*N*K: layer 'g': SCALE-Sim counts 0 cycles for it and stops"},
      {"--arch " + dir + "/one.yaml --workload " + dir + "/huge.csv --compat scalesim",
       dir + "/huge.csv:2: M*N*K: layer 'g': SCALE-Sim's count runs 4611686014132420609 demand "
             "rows"},
      {"--arch " + dir + "/os.yaml --workload " + wl + " --compat scalesim --seed 3",
       "--seed: not with --compat scalesim"},
      {"--arch " + dir + "/os.yaml --workload " + wl + " --compat timeloop",
       "--compat: unknown compatibility mode 'timeloop' (available: scalesim)"},
      {"--arch " + dir + "/os.yaml --workload " + wl + " --interface-bandwidth USER",
       "--interface-bandwidth: only with --compat scalesim"},
      {"--arch " + dir + "/os.yaml --workload " + wl + " --compat scalesim --mode values",
       "--mode: not with --compat scalesim"},
      {"--arch " + dir + "/os.yaml --workload " + wl +
           " --compat scalesim --interface-bandwidth slow",
       "--interface-bandwidth: expected USER or CALC, got 'slow'"},
  };
  for (const auto& [args, want] : bad) {
    const auto r = run_tpe("sim " + args);
    INFO(args << "\n" << r.out);
    CHECK(r.status == 2);
    CHECK(last_line(r.out).find("tpe: error: " + want) == 0);
  }
  fs::remove_all(dir);
}

TEST_CASE("Python's float repr, as SCALE-Sim's reports print floats") {
  const std::vector<std::pair<double, std::string>> cases = {
      {100.0, "100.0"},
      {0.0, "0.0"},
      {69.23076923076923, "69.23076923076923"},
      {51.20000000000003, "51.20000000000003"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {0.000123, "0.000123"},
      {1e16, "1e+16"},
      {1234567890123456.0, "1234567890123456.0"},
      {-2.5, "-2.5"},
      {0.1, "0.1"},
      {5e-324, "5e-324"},
      {1.5e300, "1.5e+300"},
      {123.0, "123.0"},
  };
  for (const auto& [x, want] : cases)
    CHECK(python_float_repr(x) == want);
}
