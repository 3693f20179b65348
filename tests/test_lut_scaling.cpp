// The lut_gemv periphery calibration scaled by register bits (reports/lut_scaling.h):
// the rule on known coefficients (identity, more arrays, a larger unit), the one-line
// refusals, `tpe calibrate --scale-from`, `tpe lut --periphery` (the figure equals the
// scaled calibration on each layer's counts), and at gate level: the estimate of a
// two-array activation design with twice the lanes, scaled from its one-array
// calibration, against the netlist's own energy on GEMMs that keep both arrays busy
// (at most 3% above, at most 20% below).
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/operand_dist.h"
#include "core/workload.h"
#include "reports/energy_model.h"
#include "reports/lut_scaling.h"
#include "reports/power.h"
#include "rtl_gen/lut_gemv_verilog.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

using namespace tpe;

namespace {

// the validation designs of docs/lut-gemv.md "Periphery at scale"
const std::string kDir = std::string(TPE_SOURCE_DIR) + "/configs/lut_scaling/";

ArchConfig with_key(ArchConfig a, const std::string& key, const std::string& value) {
  a.engine_keys[key] = value;
  validate_arch(a);
  return a;
}

EnergyCalibration known(const ArchConfig& a) {
  EnergyCalibration c;
  c.design = a;
  c.library = "lib";
  c.operands = "random";
  c.clock_ns = 10;
  c.volts = 1.8;
  c.node_nm = 130;
  c.pj_per_cycle = 100;
  c.pj_per_row_read = 10;
  c.pj_per_row_write = 4;
  c.pj_per_output = 20;
  c.fitted_on = {"run"};
  return c;
}

} // namespace

TEST_CASE("the periphery scales by the generated RTL's register bits") {
  const ArchConfig a = parse_arch_file(kDir + "wa.yaml");
  const EnergyCalibration c = known(a);
  // its own design: unchanged
  const EnergyCalibration same = scale_lut_calibration(c, a, "ref.json");
  CHECK(same.pj_per_cycle == Approx(100).epsilon(1e-12));
  CHECK(same.pj_per_row_read == Approx(10).epsilon(1e-12));
  CHECK(same.pj_per_output == Approx(20).epsilon(1e-12));
  REQUIRE(same.fitted_on.size() == 2);
  CHECK(same.fitted_on[0].rfind("scaled from lut_gemv 1 array 16x8 weight subset", 0) == 0);
  CHECK(same.fitted_on[1] == "run");
  // three arrays: three units clocked, an event still in one unit
  const ArchConfig a3 = with_key(a, "arrays", "3");
  const LutGemvRegisterBits b1 = lut_gemv_register_bits(a), b3 = lut_gemv_register_bits(a3);
  CHECK(b3.unit == b1.unit);
  CHECK(b3.controller == b1.controller);
  const EnergyCalibration s3 = scale_lut_calibration(c, a3, "ref.json");
  CHECK(s3.pj_per_cycle ==
        Approx(100.0 * double(3 * b1.unit + b1.controller) / double(b1.unit + b1.controller))
            .epsilon(1e-12));
  CHECK(s3.pj_per_row_read == Approx(10).epsilon(1e-12));
  CHECK(s3.pj_per_row_write == Approx(4).epsilon(1e-12));
  check_calibration_matches(s3, a3, "scaled.json");
  // a larger unit (batch 5: five accumulators per lane): every term grows with it
  const ArchConfig b5 = with_key(a, "batch", "5");
  const LutGemvRegisterBits r5 = lut_gemv_register_bits(b5);
  CHECK(r5.unit > b1.unit);
  const EnergyCalibration s5 = scale_lut_calibration(c, b5, "ref.json");
  CHECK(s5.pj_per_row_read == Approx(10.0 * double(r5.unit) / double(b1.unit)).epsilon(1e-12));
  CHECK(s5.pj_per_output == Approx(20.0 * double(r5.unit) / double(b1.unit)).epsilon(1e-12));
  CHECK(s5.pj_per_cycle == Approx(100.0 * double(r5.total()) / double(b1.total())).epsilon(1e-12));
}

TEST_CASE("the periphery scaling refuses what it cannot carry with one line") {
  const ArchConfig a = parse_arch_file(kDir + "wa.yaml");
  EnergyCalibration pe = known(a);
  pe.design =
      parse_arch_text("name: s\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n", "s.yaml");
  CHECK_THROWS_WITH(scale_lut_calibration(pe, a, "ref.json"),
                    "ref.json: design.engine: 'systolic': only a lut_gemv calibration scales to "
                    "another lut_gemv design");
  const ArchConfig act = parse_arch_file(kDir + "aa.yaml");
  CHECK_THROWS_WITH(scale_lut_calibration(known(a), act, "ref.json"),
                    Catch::StartsWith("ref.json: design.engine_keys.table: the reference has "
                                      "table weight, " +
                                      kDir + "aa.yaml has table activation"));
  ArchConfig sig = a;
  sig.engine_keys.erase("skip_zero_index");
  sig = with_key(sig, "form", "signed");
  CHECK_THROWS_WITH(scale_lut_calibration(known(a), sig, "ref.json"),
                    Catch::StartsWith("ref.json: design.engine_keys.form: the reference has form "
                                      "subset"));
  // a target the generator does not cover: its file, line and key
  const ArchConfig narrow =
      parse_arch_text("name: n\nengine: lut_gemv\ngroup: 4\nformat: {act: int8, weight: int8}\n"
                      "acc_bits: 10\n",
                      "n.yaml");
  CHECK_THROWS_WITH(scale_lut_calibration(known(a), narrow, "ref.json"),
                    Catch::StartsWith("n.yaml:5: acc_bits: the Verilog needs accumulators wider"));
  const ArchConfig other =
      parse_arch_text("name: s\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n", "s.yaml");
  CHECK_THROWS_WITH(scale_lut_calibration(known(a), other, "ref.json"),
                    Catch::StartsWith("s.yaml:2: engine: 'systolic'"));
}

TEST_CASE("tpe calibrate --scale-from and tpe lut --periphery") {
  const std::string d = tpe::test::scratch_dir("lut_scale", "cli");
  const ArchConfig a = parse_arch_file(kDir + "wa.yaml");
  tpe::test::write_text(d + "/ref.json", calibration_json(known(a)).dump());
  // the scaled file is a calibration of wb.yaml (two arrays) that tpe sim takes
  auto r = tpe::test::run_tpe("calibrate --arch " + kDir + "wb.yaml --scale-from " + d +
                              "/ref.json --out " + d + "/b.json");
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("an estimate: scaled from") != std::string::npos);
  const EnergyCalibration b = parse_calibration_text(read_file(d + "/b.json"), d + "/b.json");
  check_calibration_matches(b, parse_arch_file(kDir + "wb.yaml"), "b.json");
  CHECK(b.pj_per_cycle > 100);
  tpe::test::write_text(d + "/w.csv", "Layer name, M, N, K,\nl0, 1, 9, 13,\nl1, 1, 4, 7,\n");
  auto sim = tpe::test::run_tpe("sim --arch " + kDir + "wb.yaml --workload " + d +
                                "/w.csv --energy " + d + "/b.json --seed 3");
  CHECK(sim.status == 0);
  // a gate-level option with --scale-from is one line
  r = tpe::test::run_tpe("calibrate --arch " + kDir + "wb.yaml --scale-from " + d +
                         "/ref.json --out " + d + "/c.json --clock-ns 5");
  CHECK(r.status == 2);
  CHECK(r.out.find("calibrate: --clock-ns excludes --scale-from") != std::string::npos);
  CHECK(!std::filesystem::exists(d + "/c.json"));

  // tpe lut: the periphery figure is the scaled calibration on every layer's counts
  r = tpe::test::run_tpe("lut --arch " + kDir + "wa.yaml --arch " + kDir + "aa.yaml --workload " +
                         d + "/w.csv --batch 1,3 --weight-bits 2 --periphery " + d +
                         "/ref.json --json " + d + "/lut.json --seed 5");
  INFO(r.out);
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(read_file(d + "/lut.json"));
  int checked = 0;
  for (const auto& row : j["rows"]) {
    if (row["design"] == "aa") { // no calibration of its table and form
      CHECK(row["periphery_energy_pj_per_token"].is_null());
      CHECK(row["periphery_included"] == false);
      CHECK(row["periphery_note"] == "no --periphery calibration of table activation, form signed");
      continue;
    }
    const int batch = row["batch"].get<int>();
    ArchConfig v = with_key(a, "batch", std::to_string(batch));
    const EnergyCalibration s = scale_lut_calibration(known(a), v, "ref.json");
    RunOptions o;
    o.mode = SimMode::Analytic;
    o.seed = 5;
    o.dist = parse_operand_dist("student_t:3");
    o.source = d + "/w.csv";
    double pj = 0;
    for (Layer l : parse_workload_file(d + "/w.csv").layers) {
      l.M = batch;
      pj += array_energy_pj(v, run_layer(v, l, o), s);
    }
    CHECK(row["periphery_energy_pj_per_token"].get<double>() == Approx(pj / batch).epsilon(1e-9));
    CHECK(row["periphery_included"] == true);
    ++checked;
  }
  CHECK(checked == 2);
  CHECK(r.out.find("periphery uJ/token (scaled)") != std::string::npos);
  // two calibrations of one table and form, a calibration of another engine
  r = tpe::test::run_tpe("lut --arch " + kDir + "wa.yaml --workload " + d + "/w.csv --periphery " +
                         d + "/ref.json --periphery " + d + "/b.json");
  CHECK(r.status == 2);
  CHECK(r.out.find(d + "/b.json: design.engine_keys.table: a second calibration of table weight, "
                       "form subset") != std::string::npos);
  EnergyCalibration sys = known(a);
  sys.design =
      parse_arch_text("name: s\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n", "s.yaml");
  tpe::test::write_text(d + "/sys.json", calibration_json(sys).dump());
  r = tpe::test::run_tpe("lut --arch " + kDir + "wa.yaml --workload " + d + "/w.csv --periphery " +
                         d + "/sys.json");
  CHECK(r.status == 2);
  CHECK(r.out.find("sys.json: design.engine: 'systolic': --periphery takes calibrations of "
                   "lut_gemv designs") != std::string::npos);
  std::filesystem::remove_all(d);
}

TEST_CASE("the scaled periphery is at most 3 percent above and 20 percent below gate level") {
  const std::string lib = tpe::test::test_liberty();
  // ab: aa with two arrays and twice the lanes, 2.0x the reference's register bits
  const ArchConfig a = parse_arch_file(kDir + "aa.yaml"), b = parse_arch_file(kDir + "ab.yaml");
  PowerOptions o;
  o.synth.lib = choose_library(lib);
  o.seed = 7;
  o.synth.workdir =
      std::filesystem::temp_directory_path().string() + "/tpe_lsc_" + std::to_string(getpid());
  const TempPath guard(o.synth.workdir, true);
  std::ostringstream progress;
  EnergyCalibration c = calibrate_energy(a, o, "random", progress);
  c.node_nm = 130;
  const EnergyCalibration s = scale_lut_calibration(c, b, "aa.json");
  PowerOptions go = o;
  go.synth.workdir += "_b";
  const TempPath guard_b(go.synth.workdir, true);
  // GEMMs that give both arrays work (an idle array unit costs less than the busy one
  // the per-cycle term scales by: a GEMM of one tile, 2x8x4, comes out 8% above)
  for (const char* g : {"3x17x9", "5x40x6"})
    go.gemms.push_back(parse_gemm_spec(g));
  const PowerReport gate = gate_level_power(b, go, progress);
  REQUIRE(gate.layers.size() == go.gemms.size());
  for (size_t i = 0; i < go.gemms.size(); ++i) {
    const GateLayerEnergy& gl = gate.layers[i];
    RunOptions ro;
    ro.mode = SimMode::Analytic;
    LayerResult lr = run_layer(b, go.gemms[i], ro);
    lr.cycles = gl.cycles;
    lr.lut_row_reads = gl.row_reads;
    lr.lut_row_writes = gl.row_writes;
    const double est = array_energy_pj(b, lr, s), gate_pj = gl.total_pj - gl.macro_pj;
    INFO(gl.name << ": scaled " << est << " pJ, gate level " << gate_pj << " pJ; "
                 << s.fitted_on.front());
    CHECK(est <= 1.03 * gate_pj);
    CHECK(est >= 0.8 * gate_pj);
  }
}
