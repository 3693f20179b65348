// The architectural energy model against gate level on every engine: each design
// is calibrated on its engine's declared GEMMs, then predicts the gate-level energy
// of GEMMs it was not fitted on (M = 1, K small, N small, long and odd shapes)
// within 10%. Also: the calibration file reader refuses every corrupted field with
// one `FILE: key.path: problem` line.
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/engine_info.h"
#include "core/error.h"
#include "core/operand_dist.h"
#include "core/workload.h"
#include "reports/energy_model.h"
#include "reports/power.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace tpe;

namespace {

ArchConfig small_arch(const std::string& yaml) {
  return parse_arch_text(yaml, "<test>");
}

struct Case {
  std::string yaml;
  std::vector<std::string> shapes; // MxKxN, predicted within 10%
};

// gate-level options of the calibration tests: the test library, seed 7, a private
// synthesis directory (the caller removes it)
PowerOptions test_power_options(const ArchConfig& a, const std::string& lib) {
  PowerOptions o;
  o.synth.lib = choose_library(lib);
  o.seed = 7;
  o.synth.workdir = std::filesystem::temp_directory_path().string() + "/tpe_em_" + a.name + "_" +
                    std::to_string(getpid());
  return o;
}

// error of a prediction, as a fraction of the gate-level energy
double rel_error(double predicted, double gate) {
  return std::fabs(predicted - gate) / gate;
}

} // namespace

TEST_CASE("every engine's calibration predicts gate-level energy within 10 percent") {
  const std::string lib = tpe::test::test_liberty();
  REQUIRE(std::filesystem::exists(lib));
  // small designs; unseen shapes: M = 1, K small, N small, a long and an odd one (M = 1
  // and N = 1 leave half of a 2-row or 2-column array on padding; on ws and is arrays
  // and trees they are GEMVs of one weight load per row), on random operands; the
  // long and the odd one also on sparse operands
  const std::vector<Case> cases = {
      {"name: e_os\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n",
       {"1x40x9", "17x1x5", "9x3x6", "13x23x1", "33x19x7"}},
      {"name: e_ws\nengine: systolic\nrows: 2\ncols: 2\ndataflow: ws\n",
       {"1x40x9", "17x1x5", "9x3x6", "13x23x1", "33x19x7"}},
      {"name: e_is\nengine: systolic\nrows: 2\ncols: 2\ndataflow: is\n",
       {"1x40x9", "17x1x5", "9x3x6", "13x23x1", "33x19x7"}},
      {"name: e_cube\nengine: cube\nrows: 2\ncols: 2\ndepth: 2\n",
       {"1x40x9", "17x1x5", "9x3x6", "13x23x1", "33x19x7"}},
      {"name: e_tree\nengine: adder_tree\ncols: 2\ndepth: 4\n",
       {"1x40x9", "17x1x5", "9x3x6", "13x23x1", "33x19x7", "1x64x2"}},
      {"name: e_mat\nengine: matrix2d\nrows: 2\ncols: 2\n",
       {"1x40x9", "17x1x5", "9x3x6", "13x23x1", "33x19x7"}},
  };
  const std::string sparse = "normal:25@0.6";
  const std::vector<std::string> sparse_shapes = {"33x19x7", "9x3x6"};
  // every registered engine is covered
  std::set<std::string> engines;
  for (const auto& c : cases)
    engines.insert(small_arch(c.yaml).engine);
  // the engines calibrated by the PE runs (lut_gemv has its own calibrator, tested below)
  size_t with_rtl = 0;
  for (const auto& e : EngineRegistry::instance().names()) {
    const auto& cmds = EngineRegistry::instance().find(e)->rtl_commands;
    with_rtl += std::count(cmds.begin(), cmds.end(), "calibrate") &&
                        !EnergyCalibratorRegistry::instance().find(e)
                    ? 1
                    : 0;
  }
  CHECK(engines.size() == with_rtl);
  // the two faults of the earlier model, which the test must catch: padded lanes
  // charged as MACs with one nonzero operand, and no energy per fold
  int padded_as_mac_misses = 0, no_fold_misses = 0;
  for (const auto& tc : cases) {
    const ArchConfig a = small_arch(tc.yaml);
    INFO(a.name);
    // one synthesis for the calibration and the gate-level runs
    PowerOptions o = test_power_options(a, lib);
    std::ostringstream progress;
    const TempPath workdir_guard(o.synth.workdir, true); // removed even when a REQUIRE fails
    for (const auto& g : tc.shapes)
      o.gemms.push_back(parse_gemm_spec(g));
    const PowerReport gate = gate_level_power(a, o, progress);
    PowerOptions co = o;
    co.synthesized = &gate.synth;
    const EnergyCalibration c = calibrate_energy(a, co, "random", progress);
    CHECK(c.pj_per_cycle > 0);
    CHECK(c.pj_per_pe_mac > 0);
    CHECK(c.pj_one_nonzero > 0);
    CHECK(c.pj_two_nonzero > 0);
    // outputs drain apart from the MACs on the output-stationary engines; the
    // stationary operands load once per fold on the others
    CHECK((c.pj_per_output > 0) == (a.dataflow == "os" && a.engine != "adder_tree"));
    CHECK((c.pj_per_fold > 0) == !(c.pj_per_output > 0));
    REQUIRE(gate.layers.size() == tc.shapes.size());
    PowerOptions so = co;
    so.dist = parse_operand_dist(sparse);
    so.gemms.clear();
    for (const auto& g : sparse_shapes)
      so.gemms.push_back(parse_gemm_spec(g));
    const PowerReport sgate = gate_level_power(a, so, progress);
    REQUIRE(sgate.layers.size() == sparse_shapes.size());
    for (size_t i = 0; i < tc.shapes.size() + sparse_shapes.size(); ++i) {
      const bool sp = i >= tc.shapes.size();
      const std::string shape = sp ? sparse_shapes[i - tc.shapes.size()] : tc.shapes[i];
      const GateLayerEnergy& gl = sp ? sgate.layers[i - tc.shapes.size()] : gate.layers[i];
      RunOptions ro;
      ro.mode = SimMode::Values; // operand classes counted, padding included
      ro.seed = 7;
      if (sp) ro.dist = so.dist;
      const LayerResult lr = run_layer(a, parse_gemm_spec(shape), ro);
      const double arch_pj = array_energy_pj(a, lr, c);
      const double gate_pj = gl.total_pj;
      INFO(shape << (sp ? " " + sparse : " random") << ": " << tpe::count_str(lr.cycles)
                 << " cycles, gate level " << gate_pj << " pJ, architectural " << arch_pj << " pJ ("
                 << 100 * (arch_pj - gate_pj) / gate_pj << "%); calibration " << c.pj_per_cycle
                 << " pJ/cycle, " << c.pj_one_nonzero << " / " << c.pj_two_nonzero
                 << " pJ per one / two nonzero, " << c.pj_per_output << " pJ/output, "
                 << c.pj_per_fold << " pJ/fold");
      CHECK(lr.cycles == tpe::Count(gl.cycles));
      CHECK(arch_pj == Approx(gate_pj).epsilon(0.10));
      const double held = count_double(lr.pe_macs_held_zero);
      if (rel_error(arch_pj + c.pj_one_nonzero * held, gate_pj) > 0.10) ++padded_as_mac_misses;
      if (rel_error(arch_pj - c.pj_per_fold * count_double(lr.folds), gate_pj) > 0.10)
        ++no_fold_misses;
    }
  }
  CHECK(padded_as_mac_misses > 0);
  CHECK(no_fold_misses > 0);
}

TEST_CASE("a lut_gemv calibration predicts the periphery's gate-level energy within 10 percent") {
  // every engine with its own calibrator is covered here
  CHECK(EnergyCalibratorRegistry::instance().names() == std::vector<std::string>{"lut_gemv"});
  const std::string lib = tpe::test::test_liberty();
  const std::vector<std::string> designs = {
      "name: lw\nengine: lut_gemv\narrays: 1\ntable: weight\nform: subset\ngroup: 2\n"
      "format: {act: int4, weight: int2}\nacc_bits: 10\narray: {rows: 16, cols: 8}\nbatch: 2\n"
      "skip_zero_index: true\nbatch_shared_lookup: true\nstream_bits: 8\nout_bits: 10\n",
      "name: la\nengine: lut_gemv\narrays: 1\ntable: activation\nform: signed\n"
      "index_code: offset\ngroup: 2\nformat: {act: int4, weight: int2}\nacc_bits: 10\n"
      "array: {rows: 16, cols: 24}\ntokens_per_pass: 2\nlanes: 2\n"
      "builder_entries_per_cycle: 2\nout_bits: 10\n"};
  // unseen shapes, on random operands and on activations with 60% zeros
  const std::vector<std::string> shapes = {"1x40x3", "7x21x5", "9x5x9", "3x13x1"};
  for (const auto& y : designs) {
    const ArchConfig a = small_arch(y);
    INFO(a.name);
    PowerOptions o = test_power_options(a, lib);
    std::ostringstream progress;
    const TempPath workdir_guard(o.synth.workdir, true);
    o.gemms = {parse_gemm_spec("1x4x1")}; // the synthesis the calibration reuses
    const PowerReport first = gate_level_power(a, o, progress);
    PowerOptions co = o;
    co.synthesized = &first.synth;
    EnergyCalibration c = calibrate_energy(a, co, "random", progress);
    c.node_nm = 130; // as tpe calibrate sets it
    CHECK(c.pj_per_cycle > 0);
    CHECK(c.pj_per_pe_mac == 0);
    CHECK(calibration_summary(c).find("per row written") != std::string::npos);
    // through the calibration file and back
    const EnergyCalibration cf = calibration_from_json(calibration_json(c), "cal.json");
    check_calibration_matches(cf, a, "cal.json");
    for (const char* dist : {"random", "normal:3@0.6"}) {
      PowerOptions go = co;
      go.dist = parse_operand_dist(dist);
      go.gemms.clear();
      for (const auto& g : shapes)
        go.gemms.push_back(parse_gemm_spec(g));
      const PowerReport gate = gate_level_power(a, go, progress);
      REQUIRE(gate.layers.size() == shapes.size());
      for (size_t i = 0; i < shapes.size(); ++i) {
        const GateLayerEnergy& gl = gate.layers[i];
        RunOptions ro;
        ro.mode = SimMode::Analytic;
        LayerResult lr = run_layer(a, go.gemms[i], ro); // drained words
        // the run's own data-dependent counts
        lr.cycles = gl.cycles;
        lr.lut_row_reads = gl.row_reads;
        lr.lut_row_writes = gl.row_writes;
        const double arch_pj = array_energy_pj(a, lr, cf);
        const double gate_pj = gl.total_pj - gl.macro_pj;
        INFO(shapes[i] << " " << dist << ": " << gl.cycles << " cycles, " << gl.row_reads
                       << " reads, " << gl.row_writes << " writes; gate level " << gate_pj
                       << " pJ, architectural " << arch_pj << " pJ; " << calibration_summary(c));
        CHECK(arch_pj == Approx(gate_pj).epsilon(0.10));
        // the arrays: the SRAM model on the same counts
        CHECK(gl.macro_pj ==
              Approx(lut_gemv_sram_energy(a, lr, o.synth.clock_ns).energy.total()).epsilon(1e-9));
      }
    }
    // tpe sim --energy: periphery, SRAM arrays and DRAM per layer, adding up
    const std::string d = tpe::test::scratch_dir("em_lut", a.name);
    tpe::test::write_text(d + "/a.yaml", y);
    tpe::test::write_text(d + "/cal.json", calibration_json(cf).dump());
    tpe::test::write_text(d + "/w.csv", "Layer name, M, N, K,\nl0, 3, 5, 11,\nl1, 1, 9, 4,\n");
    const auto sim =
        tpe::test::run_tpe("sim --arch " + d + "/a.yaml --workload " + d + "/w.csv --energy " + d +
                           "/cal.json --seed 2 --json " + d + "/s.json");
    INFO(sim.out);
    REQUIRE(sim.status == 0);
    CHECK(sim.out.find("): periphery ") != std::string::npos);
    CHECK(sim.out.find("the operand ports have no buffers") != std::string::npos);
    const auto js = nlohmann::json::parse(read_file(d + "/s.json"));
    CHECK(js["sram_arrays"]["periphery_included"] == true);
    double total = 0;
    for (const auto& l : js["layers"]) {
      const auto& e = l["energy_pj"];
      CHECK(e["ifmap_sram"].get<double>() == 0);
      CHECK(e["array"].get<double>() > 0);
      CHECK(e["sram_arrays"].get<double>() ==
            Approx(l["sram_arrays"]["energy_pj"]["total"].get<double>()).epsilon(1e-12));
      CHECK(e["total"].get<double>() ==
            Approx(e["array"].get<double>() + e["sram_arrays"].get<double>() +
                   e["dram"].get<double>())
                .epsilon(1e-12));
      total += e["total"].get<double>();
    }
    CHECK(js["energy_pj"].get<double>() == Approx(total).epsilon(1e-12));
    // the arrays are OpenRAM sky130 macros: another node is refused before any run
    const auto node = tpe::test::run_tpe("calibrate --arch " + d + "/a.yaml --out " + d +
                                         "/c2.json --node-nm 45");
    CHECK(node.status == 2);
    CHECK(node.out.find("45 nm: the lut_gemv engine's SRAM arrays are priced at 130 nm") !=
          std::string::npos);
    CHECK(node.out.find("synthesizing") == std::string::npos);
    std::filesystem::remove_all(d);
    // another design of the same engine and formats is refused by its engine keys
    ArchConfig other = a;
    other.engine_keys["out_bits"] = "7";
    CHECK_THROWS_WITH(
        check_calibration_matches(cf, other, "cal.json"),
        Catch::Contains("cal.json: design.engine_keys.out_bits: the calibration is for"));
  }
}

TEST_CASE("calibration files are validated field by field with one line per problem") {
  EnergyCalibration c;
  c.design.engine = "systolic";
  c.design.rows = c.design.cols = 2;
  c.design.depth = 1;
  c.design.dataflow = "os";
  c.design.pe = "mac";
  c.design.format = "int8";
  c.design.acc_bits = 32;
  c.library = "sky130";
  c.operands = "random";
  c.clock_ns = 10;
  c.volts = 1.8;
  c.node_nm = 130;
  c.pj_per_cycle = 30;
  c.pj_per_pe_mac = 4.7;
  c.pj_per_output = 7;
  c.pj_per_fold = 3;
  c.pj_per_row_read = 1.25;
  c.pj_per_row_write = 0.5;
  c.pj_one_nonzero = 2;
  c.pj_two_nonzero = 4.7;
  c.frac_one_nonzero = 0.004;
  c.frac_two_nonzero = 0.996;
  c.fitted_on = {"4x64x4 random"};
  const nlohmann::json good = calibration_json(c);
  const EnergyCalibration back = calibration_from_json(good, "cal.json");
  CHECK(back.pj_per_output == c.pj_per_output);
  CHECK(back.pj_per_fold == c.pj_per_fold);
  CHECK(back.pj_per_row_read == c.pj_per_row_read);
  CHECK(back.pj_per_row_write == c.pj_per_row_write);
  CHECK(good.at("model") == kCalibrationModel);
  CHECK(design_key(back.design) == "systolic 2x2 os mac int8 acc32");
  struct Bad {
    std::string key;      // the JSON pointer to change
    nlohmann::json value; // null: remove the key
    std::string message;  // expected, after "cal.json: "
  };
  const nlohmann::json remove = nlohmann::json::value_t::discarded;
  const std::vector<Bad> bad = {
      {"/model", remove, "model: missing: written by an earlier tpe, whose energy model differs"},
      {"/model", 2, "model: energy model 2, this tpe reads model 3; rerun `tpe calibrate`"},
      {"/model", "3", "model: energy model \"3\", this tpe reads model 3"},
      {"/pj_per_row_read", remove, "pj_per_row_read: missing"},
      {"/pj_per_row_write", -2.0, "pj_per_row_write: must be at least 0, got -2"},
      {"/pj_per_cycle", -1.0, "pj_per_cycle: must be at least 0, got -1"},
      {"/pj_per_fold", remove, "pj_per_fold: missing"},
      {"/pj_per_fold", -3.0, "pj_per_fold: must be at least 0, got -3"},
      {"/pj_per_pe_mac", "4.7", "pj_per_pe_mac: expected a number, got \"4.7\""},
      {"/pj_per_output_word", remove, "pj_per_output_word: missing"},
      {"/pj_one_nonzero_operand", -0.5, "pj_one_nonzero_operand: must be at least 0"},
      {"/pj_two_nonzero_operands", nullptr, "pj_two_nonzero_operands: expected a number, got null"},
      {"/clock_ns", 0.0, "clock_ns: must be above 0, got 0"},
      {"/volts", -1.8, "volts: must be above 0"},
      {"/node_nm", true, "node_nm: expected a number, got true"},
      {"/fraction_one_nonzero_operand", 1.5, "fraction_one_nonzero_operand: must be at most 1"},
      {"/fraction_two_nonzero_operands", 0.9999,
       "fraction_two_nonzero_operands: the two fractions add up to"},
      {"/library", 3, "library: expected a string, got 3"},
      {"/operands", remove, "operands: missing"},
      {"/design", "systolic 2x2 os mac int8 acc32", "design: expected an object"},
      {"/design/rows", 0, "design.rows: must be in 1..65536, got 0"},
      {"/design/cols", 2.5, "design.cols: expected an integer, got 2.5"},
      {"/design/engine", remove, "design.engine: missing"},
      {"/design/colour", "red", "design.colour: unknown key"},
      {"/pj_per_clock", 3.0, "pj_per_clock: unknown key"},
      {"/fitted_on", "4x64x4", "fitted_on: expected a list of strings"},
      {"/fitted_on/0", 4, "fitted_on[0]: expected a string, got 4"},
      {"/regenerate", 1, "regenerate: expected a string, got 1"},
  };
  for (const auto& b : bad) {
    INFO(b.key << " -> " << b.value.dump());
    nlohmann::json j = good;
    const nlohmann::json::json_pointer p(b.key);
    if (b.value.is_discarded())
      j[p.parent_pointer()].erase(p.back());
    else
      j[p] = b.value;
    try {
      calibration_from_json(j, "cal.json");
      FAIL("accepted");
    } catch (const InputError& e) {
      const std::string msg = e.what();
      CHECK(msg.rfind("cal.json: " + b.message, 0) == 0);
      CHECK(msg.find('\n') == std::string::npos);
    }
  }
  // a value too large for a double is not finite
  try {
    calibration_from_json(
        nlohmann::json::parse("{\"design\": {}, \"pj_per_cycle\": 1e999}", nullptr, false),
        "big.json");
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("big.json: ", 0) == 0);
  }
  // through tpe sim: not JSON, not an object, another design's calibration, exit 2
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/tpe_calfile_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/a.yaml",
                    "name: cf\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n"
                    "memory:\n  ifmap_sram_kb: 16\n  filter_sram_kb: 16\n"); // SRAM model domain
  write_file_atomic(dir + "/a3.yaml",
                    "name: cf3\nengine: systolic\nrows: 3\ncols: 2\ndataflow: os\n");
  write_file_atomic(dir + "/notjson.json", "{\"design\": ");
  write_file_atomic(dir + "/array.json", "[1, 2]");
  write_file_atomic(dir + "/good.json", good.dump(2));
  const std::string wl = std::string(TPE_SOURCE_DIR) + "/workloads/tiny_gemm.csv";
  const std::vector<std::pair<std::string, std::string>> cli = {
      {"a.yaml --energy " + dir + "/notjson.json", dir + "/notjson.json:1: invalid JSON"},
      {"a.yaml --energy " + dir + "/array.json", dir + "/array.json: expected a JSON object"},
      {"a3.yaml --energy " + dir + "/good.json",
       dir + "/good.json: design.rows: the calibration is for 'systolic 2x2 os mac int8 acc32'"},
  };
  for (const auto& [args, want] : cli) {
    const auto r = tpe::test::run_tpe("sim --arch " + dir + "/" + args + " --workload " + wl);
    INFO(r.out);
    CHECK(r.status == 2);
    CHECK(tpe::test::last_line(r.out).find("tpe: error: " + want) == 0);
    CHECK(r.out.find("sim: [1/") == std::string::npos); // refused before the first layer
  }
  const auto ok = tpe::test::run_tpe("sim --arch " + dir + "/a.yaml --workload " + wl +
                                     " --energy " + dir + "/good.json");
  CHECK(ok.status == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the calibration fit recovers its coefficients and refuses a negative one") {
  // synthetic runs of a design with 30 pJ per cycle, 2 / 5 pJ per MAC with one
  // (switching) / two nonzero operands and 7 pJ per output word (outputs cost nothing
  // on zeros); held zeros cost nothing
  const auto run = [](double cycles, double macs, double one, double two, double outputs,
                      bool zeros, double held = 0) {
    CalibrationRun r{cycles, macs, one + held, two, 0, outputs, held, 4};
    r.pj = 30 * cycles + 2 * one + 5 * two + (zeros ? 0 : 7 * outputs);
    return r;
  };
  const std::vector<std::string> names = {"busy", "busy zeros", "busy sparse", "idle"};
  const CalibrationRun bd = run(300, 1024, 8, 1008, 64, false);
  const CalibrationRun bz = run(300, 1024, 0, 0, 64, true);
  const CalibrationRun bs = run(300, 1024, 250, 260, 64, false, 250);
  const CalibrationRun id = run(60, 64, 0, 64, 64, false);
  const EnergyCalibration c = fit_energy(bd, bz, bs, id, "d", names);
  CHECK(c.pj_per_cycle == Approx(30));
  CHECK(c.pj_one_nonzero == Approx(2));
  CHECK(c.pj_two_nonzero == Approx(5));
  CHECK(c.pj_per_output == Approx(7));
  CHECK(c.pj_per_fold == 0);
  CHECK(c.pj_per_pe_mac == Approx((8 * 2 + 1008 * 5) / 1024.0));
  // a weight-stationary design: outputs follow the MACs, 11 pJ per fold (a weight
  // load); the idle GEMV loads weights for every row
  const auto ws = [](double cycles, double macs, double one, double two, double folds, bool zeros,
                     double held = 0) {
    CalibrationRun r{cycles, macs, one + held, two, 0, macs / 2, held, folds};
    r.pj = 30 * cycles + 2 * one + 5 * two + (zeros ? 0 : 11 * folds);
    return r;
  };
  const EnergyCalibration w =
      fit_energy(ws(300, 1024, 8, 1008, 4, false), ws(300, 1024, 0, 0, 4, true),
                 ws(300, 1024, 250, 260, 4, false, 250), ws(80, 64, 0, 64, 16, false), "d", names);
  CHECK(w.pj_per_fold == Approx(11));
  CHECK(w.pj_per_output == 0);
  CHECK(w.pj_one_nonzero == Approx(2));
  CHECK(w.pj_two_nonzero == Approx(5));
  // outputs that follow the MACs (the same outputs per MAC in both): not fitted apart
  CalibrationRun id_ws = id;
  id_ws.outputs = 4;
  CHECK(fit_energy(bd, bz, bs, id_ws, "d", names).pj_per_output == 0);
  // an idle run cheaper than its cycles and MACs: a negative energy per output word
  CalibrationRun cheap = id;
  cheap.pj = 30 * 60 * 0.5;
  try {
    fit_energy(bd, bz, bs, cheap, "systolic 2x2 os mac int8 acc32", names);
    FAIL("accepted");
  } catch (const ToolError& e) {
    const std::string msg = e.what();
    CHECK(msg.find("energy calibration of systolic 2x2 os mac int8 acc32: the fit gives a "
                   "negative energy per output word") == 0);
    CHECK(msg.find("fitted on busy, busy zeros, busy sparse, idle") != std::string::npos);
  }
  // zero operands everywhere: no operand classes to fit
  CHECK_THROWS_AS(fit_energy(bz, bz, bz, id, "d", names), InputError);
  // a sparse run that costs less than zeros: a negative MAC energy
  CalibrationRun neg = bs;
  neg.pj = bz.pj - 100;
  CHECK_THROWS_AS(fit_energy(bd, bz, neg, id, "d", names), ToolError);
}
