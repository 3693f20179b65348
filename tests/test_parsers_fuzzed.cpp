// Parser robustness: every input the fuzzers of fuzz/ ever found wrong (kept as
// regression files in fuzz/corpus/<target>/) either parses or gives one InputError,
// plus the seed corpus itself; and the full SkyWater Liberty file still parses
// under the stricter number and table checks.
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/scalesim_config.h"
#include "core/workload.h"
#include "reports/energy_model.h"
#include "reports/gate_sim.h"
#include "reports/liberty.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <sstream>

using namespace tpe;
namespace fs = std::filesystem;

namespace {

// The InputError message of parse(text), or "" when it parses.
std::string error_of(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string lib_error(const std::string& text) {
  return error_of([&] { parse_liberty_text(text, "t.lib"); });
}

// Every file of fuzz/corpus/<target> goes through parse: no exception but InputError.
void replay_corpus(const std::string& target, const std::function<void(const std::string&)>& parse,
                   int min_files) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(TPE_SOURCE_DIR) / "fuzz/corpus" / target)) {
    const std::string text = read_file(e.path().string());
    INFO(e.path().string());
    CHECK_NOTHROW(error_of([&] { parse(text); }));
    ++n;
  }
  CHECK(n >= min_files);
}

} // namespace

TEST_CASE("the fuzz corpora parse or give an InputError", "[fuzz]") {
  replay_corpus(
      "arch", [](const std::string& t) { parse_arch_text(t, "f.yaml"); }, 5);
  replay_corpus(
      "workload", [](const std::string& t) { parse_workload_text(t, "f.csv"); }, 5);
  replay_corpus(
      "scalesim",
      [](const std::string& t) {
        std::ostringstream notes;
        parse_scalesim_text(t, "f.cfg", notes);
      },
      5);
  replay_corpus(
      "liberty", [](const std::string& t) { parse_liberty_text(t, "f.lib"); }, 5);
  replay_corpus(
      "calibration", [](const std::string& t) { parse_calibration_text(t, "f.json"); }, 5);
}

TEST_CASE("Liberty tables must match their indices", "[fuzz]") {
  // found by fuzz_liberty: 4 index points and 2 values read past the values on lookup
  CHECK(lib_error("library (x) {\n cell (a) { pin (Y) { internal_power () {\n"
                  " rise_power (t) { index_1 (\"0.1, 0.5, 0.9, 1.0\") ; values (\"1, 2\") ; }\n"
                  "} } }\n}\n") == "t.lib:3: rise_power: Liberty: the table has 2 values, its "
                                   "indices span 4");
  CHECK(lib_error("library (x) {\n cell (a) { pin (Y) { internal_power () {\n"
                  " rise_power (t) { index_1 (\"0.5, 0.1\") ; values (\"1, 2\") ; }\n"
                  "} } }\n}\n") == "t.lib:3: rise_power: Liberty: table indices must increase");
  CHECK(lib_error("library (x) {\n cell (a) { pin (Y) { internal_power () {\n"
                  " rise_power (t) { values (\"1, x\") ; }\n"
                  "} } }\n}\n") == "t.lib:3: values: Liberty: expected a finite number, got ' x'");
  const Liberty lib = parse_liberty_text(
      "library (x) {\n cell (a) { pin (Y) { internal_power () {\n"
      " rise_power (t) { index_1 (\"0.1, 0.5\") ; index_2 (\"1, 2, 3\") ; values (\"1, 2, 3\", "
      "\"4, 5, 6\") ; }\n} } }\n}\n",
      "t.lib");
  CHECK(lib.cell("a")->pin("Y")->power[0].rise.lookup(0.5, 3) == 6);
}

TEST_CASE("Liberty numbers are finite and units positive", "[fuzz]") {
  CHECK(lib_error("library (x) {\n cell (a) {\n area : 1e999 ;\n }\n}\n") ==
        "t.lib:3: area: Liberty: expected a finite number, got '1e999'");
  CHECK(lib_error("library (x) {\n cell (a) {\n area : -2 ;\n }\n}\n") ==
        "t.lib:3: area: Liberty: must not be negative");
  CHECK(lib_error("library (x) {\n time_unit : \"0ns\" ;\n cell (a) { area : 1 ; }\n}\n") ==
        "t.lib:2: time_unit: Liberty: the unit must be positive");
  CHECK(lib_error("library (x) {\n capacitive_load_unit (abc, ff) ;\n cell (a) { }\n}\n") ==
        "t.lib:2: capacitive_load_unit: Liberty: expected a finite number, got 'abc'");
}

TEST_CASE("Liberty groups nested too deep are refused, not a stack overflow", "[fuzz]") {
  std::string deep = "library (x) {\n";
  for (int i = 0; i < 100000; ++i)
    deep += "g () {";
  CHECK(lib_error(deep) == "t.lib:2: Liberty: groups nested deeper than 64");
}

TEST_CASE("the SkyWater Liberty file parses under the strict checks", "[fuzz]") {
  REQUIRE(fs::exists(TPE_TEST_LIBERTY));
  const Liberty lib = parse_liberty(TPE_TEST_LIBERTY);
  CHECK(lib.cells.size() > 400);
  CHECK(lib.voltage == 1.8);
  const LibCell* inv = lib.cell("sky130_fd_sc_hd__inv_1");
  REQUIRE(inv);
  CHECK(inv->area > 3);
}

TEST_CASE("energy calibrations are refused when malformed or out of range", "[fuzz]") {
  const std::string good =
      read_file(std::string(TPE_SOURCE_DIR) + "/fuzz/corpus/calibration/systolic_2x2.json");
  const EnergyCalibration c = parse_calibration_text(good, "c.json");
  CHECK(design_key(c.design) == "systolic 2x2 os mac int8 acc32");
  CHECK(c.pj_per_cycle == 2.87);
  const auto err = [](const std::string& text) {
    return error_of([&] { parse_calibration_text(text, "c.json"); });
  };
  const auto with = [&](const std::string& key, const std::string& value) {
    auto j = nlohmann::json::parse(good);
    j[key] = nlohmann::json::parse(value);
    return err(j.dump());
  };
  CHECK(err("{\n\"design\": \"x\",\n\"pj_per_cycle\": 1") ==
        "c.json:3: invalid JSON: syntax error while parsing object - unexpected end of input; "
        "expected '}'");
  // a number beyond a double is json::out_of_range, not a parse_error
  CHECK(err("{\"pj_per_cycle\": 1e999}") ==
        "c.json: invalid JSON: [json.exception.out_of_range.406] number overflow parsing '1e999'");
  CHECK(err("[1, 2]") ==
        "c.json: expected a JSON object (an energy calibration from `tpe calibrate`)");
  CHECK(with("clock_ns", "\"10\"") == "c.json: clock_ns: expected a number, got \"10\"");
  CHECK(with("pj_per_cycle", "-857") == "c.json: pj_per_cycle: must be at least 0, got -857");
  CHECK_THAT(with("fraction_one_nonzero_operand", "0.5"),
             Catch::StartsWith("c.json: fraction_two_nonzero_operands: the two fractions add up "
                               "to 1.49"));
  CHECK(with("design", "3") == "c.json: design: expected an object (engine, rows, cols, depth, "
                               "dataflow, pe, format, acc_bits, act_format, weight_format, "
                               "accumulate, lmul_offset, engine_keys), got 3");
  auto j = nlohmann::json::parse(good);
  j.erase("volts");
  CHECK(err(j.dump()) == "c.json: volts: missing (rerun `tpe calibrate` to write a complete file)");
}

TEST_CASE("Liberty functions nested too deep are a ToolError, not a stack overflow", "[fuzz]") {
  // found with fuzz_liberty on a function of 200,000 nested parentheses
  const std::string deep = std::string(100000, '(') + "A" + std::string(100000, ')');
  CHECK_THROWS_WITH(liberty_truth_table(deep, {"A"}), Catch::Contains("nested deeper than 256"));
  CHECK_THROWS_WITH(liberty_truth_table(std::string(100000, '!') + "A", {"A"}),
                    Catch::Contains("nested deeper than 256"));
  CHECK(liberty_truth_table(std::string(200, '(') + "!A" + std::string(200, ')'), {"A"}) == 0x1);
}

TEST_CASE("SCALE-Sim SRAM sizes and bandwidth keep the architecture file's ranges", "[fuzz]") {
  const auto err = [](const std::string& text) {
    std::ostringstream notes;
    return error_of([&] { parse_scalesim_text(text, "s.cfg", notes); });
  };
  const std::string head = "[architecture_presets]\nArrayHeight: 4\nArrayWidth: 4\nDataflow: os\n";
  CHECK(err(head + "IfmapSramSzkB: 9223372036854775807\n") ==
        "s.cfg:5: IfmapSramSzkB: value 9223372036854775807 out of range 1..1048576");
  CHECK(err(head + "Bandwidth: 1000001\n") == "s.cfg:5: Bandwidth: value 1000001 out of range "
                                              "1..1000000");
  CHECK(err(head + "OfmapSramSzkB: 1048576\nBandwidth: 1000000\n").empty());
}

TEST_CASE("the SkyWater excerpts of the Liberty seed corpus parse", "[fuzz]") {
  for (const char* f : {"sky130_inv.lib", "sky130_inv_nand2_dfrtp.lib"}) {
    INFO(f);
    const Liberty lib = parse_liberty(std::string(TPE_SOURCE_DIR) + "/fuzz/corpus/liberty/" + f);
    CHECK(lib.cell("sky130_fd_sc_hd__inv_1") != nullptr);
  }
}
