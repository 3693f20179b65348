// Gate-level energy: the switching-activity flow runs end to end on a small
// array, checks the netlist against the model on the same stimulus, and ranks
// operand data the way physics does (all-zero operands cost much less than
// random ones; the clock and the controller still cost something).
#include "core/atomic_file.h"
#include "core/workload.h"
#include "dataflows/lut_gemv_mapping.h"
#include "reports/energy_model.h"
#include "reports/power.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include "testbenches/lib/lut_rtl.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>
#include <unistd.h>

using namespace tpe;
using tpe::test::make_arch;

namespace {
PowerReport run(const ArchConfig& a, OperandFill fill) {
  const std::string lib = tpe::test::test_liberty();
  REQUIRE(std::filesystem::exists(lib));
  PowerOptions o;
  o.synth.lib = choose_library(lib);
  o.gemms = {parse_gemm_spec("8x40x8")};
  o.seed = 3;
  o.dist = fill;
  std::ostringstream progress;
  return gate_level_power(a, o, progress);
}
} // namespace

TEST_CASE("gate-level energy per MAC: random operands cost more than zeros") {
  const ArchConfig a = make_arch(2, 2, "os");
  const PowerReport rnd = run(a, OperandFill::Random);
  const PowerReport zero = run(a, OperandFill::Zero);
  INFO("random " << rnd.pj_per_mac << " pJ/MAC, zero " << zero.pj_per_mac << " pJ/MAC");
  CHECK(rnd.macs == 8 * 40 * 8);
  CHECK(rnd.cycles == zero.cycles);
  CHECK(rnd.pj_per_mac > 1.0); // SkyWater 130 nm INT8 MACs cost picojoules
  CHECK(rnd.pj_per_mac < 100.0);
  CHECK(zero.pj_per_mac < 0.8 * rnd.pj_per_mac);
  CHECK(zero.pj_per_mac > 0.1 * rnd.pj_per_mac); // the clock and control remain
  CHECK(rnd.total_pj == Approx(rnd.switching_pj + rnd.internal_pj + rnd.leakage_pj));
  CHECK(rnd.power_mw == Approx(rnd.total_pj / (double(rnd.cycles) * rnd.clock_ns)));
  CHECK(rnd.nets_counted > 100);
  CHECK(rnd.uncovered_bits == 0); // every loaded net bit has a toggle count
  double by_module = 0;
  for (const auto& [m, e] : rnd.pj_by_module)
    by_module += e;
  CHECK(by_module == Approx(rnd.switching_pj + rnd.internal_pj));
}

TEST_CASE("without a Liberty library the generic per-gate table gives energy of the same order") {
  const ArchConfig a = make_arch(2, 2, "os");
  PowerOptions o;
  o.gemms = {parse_gemm_spec("8x40x8")};
  o.seed = 3;
  std::ostringstream progress;
  const PowerReport gen = gate_level_power(a, o, progress);
  CHECK(gen.synth.generic);
  CHECK(gen.energy_model.find("generic per-gate table") != std::string::npos);
  CHECK(gen.leakage_pj == 0);
  CHECK(gen.uncovered_bits == 0);
  // the table is taken from the same library's size-1 cells: same order of magnitude
  const PowerReport lib = run(a, OperandFill::Random);
  INFO("generic " << gen.pj_per_mac << " pJ/MAC, Liberty " << lib.pj_per_mac << " pJ/MAC");
  CHECK(gen.pj_per_mac > 0.5 * lib.pj_per_mac);
  CHECK(gen.pj_per_mac < 2.0 * lib.pj_per_mac);
  CHECK(lib.energy_model.find("Liberty") != std::string::npos);
}

TEST_CASE("gate-level energy per layer: each GEMM of a workload has its own energy") {
  const std::string lib = tpe::test::test_liberty();
  const ArchConfig a = make_arch(2, 3, "ws");
  PowerOptions o;
  o.synth.lib = choose_library(lib);
  o.gemms = {parse_gemm_spec("6x20x5"), parse_gemm_spec("6x20x5"), parse_gemm_spec("3x1x2")};
  o.seed = 5;
  std::ostringstream progress;
  const PowerReport r = gate_level_power(a, o, progress);
  REQUIRE(r.layers.size() == 3);
  double sum = 0;
  int64_t cycles = 0;
  for (const auto& l : r.layers) {
    CHECK(l.total_pj == Approx(l.switching_pj + l.internal_pj + l.leakage_pj));
    CHECK(l.pj_per_mac == Approx(l.total_pj / double(l.macs)));
    sum += l.total_pj;
    cycles += l.cycles;
  }
  CHECK(sum == Approx(r.total_pj));
  CHECK(cycles == r.cycles);
  CHECK(r.layers[2].macs == 6);
  // the same shape on fresh random operands costs about the same; a tiny GEMM,
  // dominated by fill and drain, costs more per MAC
  CHECK(r.layers[1].total_pj == Approx(r.layers[0].total_pj).epsilon(0.15));
  CHECK(r.layers[2].pj_per_mac > 1.5 * r.layers[0].pj_per_mac);
}

TEST_CASE("architectural energy from a calibration predicts gate-level energy within 10 percent") {
  const std::string lib = tpe::test::test_liberty();
  const ArchConfig a = make_arch(2, 2, "os");
  PowerOptions o;
  o.synth.lib = choose_library(lib);
  o.seed = 11;
  std::ostringstream progress;
  EnergyCalibration c = calibrate_energy(a, o, "random", progress);
  c.node_nm = 130;
  CHECK(c.pj_per_cycle > 0);
  CHECK(c.pj_per_pe_mac > 0);
  CHECK(design_key(c.design) == design_key(a));
  // operand classes: nonzero operands cost energy, two more than one; uniform INT8
  // operands are almost all of the two-nonzero class
  INFO("one nonzero " << c.pj_one_nonzero << " pJ, two " << c.pj_two_nonzero << " pJ, fractions "
                      << c.frac_one_nonzero << " " << c.frac_two_nonzero);
  CHECK(c.pj_one_nonzero > 0);
  CHECK(c.pj_two_nonzero > c.pj_one_nonzero);
  CHECK(c.frac_two_nonzero > 0.97);
  CHECK(c.frac_one_nonzero < 0.03);
  // other shapes than the two it was fitted on
  for (const char* g : {"16x64x16", "7x23x5"}) {
    INFO(g);
    o.gemms = {parse_gemm_spec(g)};
    const PowerReport gate = gate_level_power(a, o, progress);
    RunOptions ro;
    ro.mode = SimMode::Analytic;
    const LayerResult lr = run_layer(a, parse_gemm_spec(g), ro);
    const double arch_pj = array_energy_pj(a, lr, c);
    INFO("gate-level " << gate.total_pj << " pJ, architectural " << arch_pj << " pJ");
    CHECK(arch_pj == Approx(gate.total_pj).epsilon(0.10));
  }
  // sparse operands, classes counted by the model in Values mode: the class model
  // follows the gate-level energy; one average MAC energy would not
  {
    const Layer g = parse_gemm_spec("16x64x16");
    const OperandDist sparse = parse_operand_dist("normal:25@0.6");
    PowerOptions so = o;
    so.gemms = {g};
    so.dist = sparse;
    const PowerReport gate = gate_level_power(a, so, progress);
    RunOptions ro;
    ro.mode = SimMode::Values;
    ro.dist = sparse;
    ro.seed = 11;
    const LayerResult lr = run_layer(a, g, ro);
    REQUIRE(lr.pe_macs_one_zero + lr.pe_macs_two_zero > lr.pe_macs / 2); // 1 - 0.4^2 = 84%
    const double arch_pj = array_energy_pj(a, lr, c);
    const double one_class = c.pj_per_cycle * double(lr.cycles) +
                             c.pj_per_pe_mac * double(lr.pe_macs) +
                             c.pj_per_output * double(lr.ofmap_reads + lr.ofmap_writes);
    INFO("sparse: gate-level " << gate.total_pj << " pJ, architectural " << arch_pj
                               << " pJ, one MAC class " << one_class << " pJ");
    CHECK(arch_pj == Approx(gate.total_pj).epsilon(0.10));
    CHECK(std::fabs(one_class - gate.total_pj) > 0.15 * gate.total_pj);
    // without class counts (Timing mode) the calibration distribution's fraction stands in
    ro.mode = SimMode::Timing;
    const LayerResult lt = run_layer(a, g, ro);
    CHECK(lt.pe_macs_one_zero == -1);
    CHECK(array_energy_pj(a, lt, c) == Approx(one_class));
  }
  // the calibration round-trips through JSON, and tpe sim reports energy with it
  const std::string path = std::filesystem::temp_directory_path().string() + "/tpe_cal_" +
                           std::to_string(getpid()) + ".json";
  write_file_atomic(path, calibration_json(c).dump(2));
  const EnergyCalibration back =
      calibration_from_json(nlohmann::json::parse(read_file(path)), path);
  CHECK(back.pj_per_pe_mac == Approx(c.pj_per_pe_mac));
  CHECK(back.pj_one_nonzero == Approx(c.pj_one_nonzero));
  CHECK(back.pj_two_nonzero == Approx(c.pj_two_nonzero));
  CHECK(back.frac_one_nonzero == Approx(c.frac_one_nonzero));
  CHECK(back.frac_two_nonzero == Approx(c.frac_two_nonzero));
  const std::string arch_file = std::filesystem::temp_directory_path().string() + "/tpe_cal_arch_" +
                                std::to_string(getpid()) + ".yaml";
  write_file_atomic(arch_file,
                    "name: t2x2_os_int8_a32\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n"
                    // 16-bit operand words: 16 KiB = 8192 words, within the SRAM model's
                    // domain (64 KiB, 32768 words, is refused)
                    "memory:\n  ifmap_sram_kb: 16\n  filter_sram_kb: 16\n");
  const auto r = tpe::test::run_tpe(
      "sim --arch " + arch_file + " --workload " + std::string(TPE_SOURCE_DIR) +
      "/workloads/tiny_gemm.csv --energy " + path + " --json " + path + ".sim.json");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("energy: ") != std::string::npos);
  const auto j = nlohmann::json::parse(read_file(path + ".sim.json"));
  double sum = 0;
  for (const auto& l : j["layers"]) {
    const auto& en = l["energy_pj"];
    CHECK(en["total"].get<double>() ==
          Approx(en["array"].get<double>() + en["ifmap_sram"].get<double>() +
                 en["filter_sram"].get<double>() + en["ofmap_sram"].get<double>() +
                 en["dram"].get<double>()));
    sum += en["total"].get<double>();
  }
  CHECK(j["energy_pj"].get<double>() == Approx(sum));
  // a calibration of another design is refused
  const auto bad = tpe::test::run_tpe(
      "sim --arch " + std::string(TPE_SOURCE_DIR) + "/configs/systolic_4x4_os.yaml --workload " +
      std::string(TPE_SOURCE_DIR) + "/workloads/tiny_gemm.csv --energy " + path);
  CHECK(bad.status == 2);
  CHECK(bad.out.find("the calibration is for 'systolic 2x2 os mac int8 acc32'") !=
        std::string::npos);
}

TEST_CASE("tpe compare tabulates area, fmax, energy and efficiencies of several designs") {
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/tpe_compare_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/os.yaml", "name: c2x2_os\nengine: systolic\nrows: 2\ncols: 2\n"
                                      "dataflow: os\n");
  write_file_atomic(dir + "/ws.yaml", "name: c1x2_ws\nengine: systolic\nrows: 1\ncols: 2\n"
                                      "dataflow: ws\n");
  const auto r = tpe::test::run_tpe("compare --arch " + dir + "/os.yaml --arch " + dir +
                                    "/ws.yaml --gemm 4x16x6 --operands random,zero --seed 2 "
                                    "--liberty " +
                                    tpe::test::test_liberty() + " --json " + dir +
                                    "/c.json --markdown " + dir + "/c.md");
  INFO(r.out);
  REQUIRE(r.status == 0);
  const std::string md = read_file(dir + "/c.md");
  CHECK(r.out.find(md) != std::string::npos);
  CHECK(md.find("| c2x2_os | os | mac | 4 | 4x16x6 |") != std::string::npos);
  CHECK(md.find("| c1x2_ws | ws | mac | 2 | 4x16x6 |") != std::string::npos);
  const auto j = nlohmann::json::parse(read_file(dir + "/c.json"));
  REQUIRE(j["designs"].size() == 2);
  for (const auto& d : j["designs"]) {
    const double area = d["area_um2"], fmax = d["fmax_mhz"];
    const double rnd = d["energy"]["random"]["energy_pj_per_mac"];
    const double zero = d["energy"]["zero"]["energy_pj_per_mac"];
    CHECK(area > 0);
    CHECK(fmax > 20);
    CHECK(zero < 0.8 * rnd);
    CHECK(d["energy"]["random"]["tops_per_w"].get<double>() == Approx(2.0 / rnd));
    CHECK(d["peak_tops"].get<double>() == Approx(2.0 * d["pes"].get<double>() * fmax * 1e-6));
    CHECK(d["tops_per_mm2"].get<double>() == Approx(d["peak_tops"].get<double>() / (area * 1e-6)));
    CHECK(d["macs"] == 4 * 16 * 6);
    // the PEs' own share: part of the whole array's (small arrays: the controller weighs)
    const double pe = d["energy"]["random"]["pe_energy_pj_per_mac"];
    CHECK(pe < rnd);
    CHECK(pe > 0.15 * rnd);
    // the PE synthesized alone: about the area of its instances in the array and a
    // clock near the array's (a 1-row ws array is faster: its PEs' partial-sum input
    // is a constant 0 that synthesis folds away)
    const double alone = d["pe_alone"]["area_um2"], in_array = d["pe_area"];
    CHECK(alone == Approx(in_array).epsilon(0.3));
    CHECK(d["pe_alone"]["fmax_mhz"].get<double>() > 0.7 * fmax);
    CHECK(d["pe_alone"]["fmax_mhz"].get<double>() < 1.5 * fmax);
  }
  // one synthesis per design serves both operand distributions
  size_t synths = 0;
  for (size_t p = r.out.find("power: synthesizing"); p != std::string::npos;
       p = r.out.find("power: synthesizing", p + 1))
    ++synths;
  CHECK(synths == 2);
  const auto bad = tpe::test::run_tpe("compare --arch " + dir + "/os.yaml --operands gauss:3");
  CHECK(bad.status == 2);
  CHECK(tpe::test::last_line(bad.out).find("gauss:3") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("tpe compare checks every architecture file before the first run") {
  const auto r = tpe::test::run_tpe("compare --arch " + std::string(TPE_SOURCE_DIR) +
                                    "/configs/systolic_4x4_os.yaml --arch /nonexistent/a.yaml");
  CHECK(r.status == 2);
  CHECK(r.out.find("power: synthesizing") == std::string::npos);
  CHECK(tpe::test::last_line(r.out).find("/nonexistent/a.yaml") != std::string::npos);
}

TEST_CASE("tpe compare --synth-only reports area and clock without energy runs") {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/tpe_compare_so_" +
                          std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/b.yaml", "name: so_booth\nengine: systolic\nrows: 2\ncols: 2\n"
                                     "dataflow: os\npe: booth\n");
  const auto r = tpe::test::run_tpe("compare --synth-only --arch " + dir + "/b.yaml --liberty " +
                                    tpe::test::test_liberty() + " --json " + dir + "/c.json");
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("gate-level simulator") == std::string::npos);
  CHECK(r.out.find("pJ/MAC") == std::string::npos);
  CHECK(r.out.find("| so_booth | os | booth | 4 | 4x128x4 | 521 |") != std::string::npos);
  const auto j = nlohmann::json::parse(read_file(dir + "/c.json"));
  CHECK(j["designs"][0]["fmax_mhz"].get<double>() > 20);
  CHECK_FALSE(j["designs"][0].contains("energy"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("tpe compare runs every design on one GEMM and the same PE alone gives the same figure") {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/tpe_compare_pe_" +
                          std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/a2.yaml", "name: pa2\nengine: systolic\nrows: 2\ncols: 2\n"
                                      "dataflow: os\n");
  write_file_atomic(dir + "/a4.yaml", "name: pa4x3\nengine: systolic\nrows: 4\ncols: 3\n"
                                      "dataflow: os\n");
  write_file_atomic(dir + "/t.yaml", "name: pt\nengine: adder_tree\ncols: 2\ndepth: 2\n");
  const auto r = tpe::test::run_tpe("compare --synth-only --arch " + dir + "/a2.yaml --arch " +
                                    dir + "/a4.yaml --arch " + dir + "/t.yaml --liberty " +
                                    tpe::test::test_liberty() + " --json " + dir + "/c.json");
  INFO(r.out);
  REQUIRE(r.status == 0);
  // the default GEMM: (2 x the largest rows) x 128 x (2 x the largest cols), for all
  const auto j = nlohmann::json::parse(read_file(dir + "/c.json"));
  REQUIRE(j["designs"].size() == 3);
  for (const auto& d : j["designs"])
    CHECK(d["gemm"] == "8x128x6");
  CHECK(r.out.find("| pt | ws | mac | 4 | 8x128x6 |") != std::string::npos);
  // the same PE (os mac int8 acc32) in a 2x2 and a 4x3 array: the same module alone
  const double a2 = j["designs"][0]["pe_alone"]["area_um2"];
  const double a4 = j["designs"][1]["pe_alone"]["area_um2"];
  CHECK(a2 > 0);
  CHECK(a2 == a4);
  CHECK(j["designs"][0]["pe_alone"]["fmax_mhz"] == j["designs"][1]["pe_alone"]["fmax_mhz"]);
  // the tree's PE is its own module (a dot product lane and its registers)
  CHECK(j["designs"][2]["pe_alone"]["area_um2"].get<double>() != a2);
  std::filesystem::remove_all(dir);
}

TEST_CASE("tpe power runs a lut_gemv netlist around its SRAM arrays and adds their energy") {
  const std::string d = tpe::test::scratch_dir("power", "lut");
  const std::string cfg = std::string(TPE_SOURCE_DIR) + "/configs/lut_gemv_tiny.yaml";
  tpe::test::write_text(d + "/w.csv", "Layer name, M, N, K,\nodd, 5, 7, 13,\ntall, 9, 3, 4,\n");
  const auto r = tpe::test::run_tpe("power --arch " + cfg + " --workload " + d +
                                    "/w.csv --seed 3 --json " + d + "/p.json");
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("odd (5x13x7): ") != std::string::npos);
  CHECK(r.out.find("gate-level outputs match the model") != std::string::npos);
  CHECK(r.out.find("SRAM arrays: 1 x 16 words x 4 bits 1rw1r at 130 nm") != std::string::npos);
  const auto j = nlohmann::json::parse(read_file(d + "/p.json"));
  const auto& e = j["energy_pj"];
  CHECK(e["switching"].get<double>() > 0);
  CHECK(e["internal"].get<double>() > 0);
  CHECK(e["total"].get<double>() ==
        Approx(e["switching"].get<double>() + e["internal"].get<double>() +
               e["leakage"].get<double>() + e["sram_arrays"].get<double>()));
  // the arrays' energy: the SRAM model over the model's own row counts of the same
  // operands (the seed's stream, layer by layer), at the power clock
  const ArchConfig a = parse_arch_file(cfg);
  const LutGemvParams p = lut_gemv_params(a);
  Rng rng(3);
  double sram = 0;
  int64_t cycles = 0;
  for (const auto& [name, M, K, N] :
       std::vector<std::tuple<std::string, int64_t, int64_t, int64_t>>{{"odd", 5, 13, 7},
                                                                       {"tall", 9, 4, 3}}) {
    const OperandMatrix A = fill_operands(M, K, p.arith.act_bits, OperandDist{}, rng);
    const OperandMatrix B = fill_operands(K, N, p.arith.weight_bits, OperandDist{}, rng);
    const LutModelRun m = run_lut_model(a, A, B);
    LayerResult lr;
    lr.name = name;
    lr.cycles = m.cycles;
    lr.lut_row_reads = m.row_reads;
    lr.lut_row_writes = m.row_writes;
    lr.lut_arrays_used = 1;
    sram += lut_gemv_sram_energy(a, lr, 10).energy.total();
    cycles += m.cycles;
    CHECK(m.row_reads > 0);
    CHECK(m.row_writes > 0);
  }
  CHECK(e["sram_arrays"].get<double>() == Approx(sram).epsilon(1e-12));
  CHECK(j["cycles"].get<int64_t>() == cycles);
  REQUIRE(j["layers"].size() == 2);
  CHECK(j["layers"][0]["sram_arrays_pj"].get<double>() > 0);
  // the Verilator gate-level build has no macro models: refused before the synthesis
  const auto v = tpe::test::run_tpe("power --arch " + cfg + " --gate-sim verilator");
  CHECK(v.status != 0);
  CHECK(v.out.find("--gate-sim verilator: the lut_gemv engine runs on the native gate-level "
                   "simulator only") != std::string::npos);
  CHECK(v.out.find("synthesizing") == std::string::npos);
  std::filesystem::remove_all(d);
}

TEST_CASE("tpe compare runs a lut_gemv design: arrays in its area and energy, no PE") {
  const std::string d = tpe::test::scratch_dir("power", "lut_compare");
  const std::string cfg = std::string(TPE_SOURCE_DIR) + "/configs/lut_gemv_tiny.yaml";
  tpe::test::write_text(d + "/w.csv", "Layer name, M, N, K,\nl0, 3, 2, 9,\n");
  const auto r = tpe::test::run_tpe("compare --arch " + cfg +
                                    " --gemm 3x8x2 --operands random "
                                    "--workload " +
                                    d + "/w.csv --json " + d + "/c.json");
  INFO(r.out);
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(read_file(d + "/c.json"));
  REQUIRE(j["designs"].size() == 1);
  const auto& x = j["designs"][0];
  CHECK(x["engine"] == "lut_gemv");
  CHECK(x["pe"] == "none");
  // the peak MACs per cycle stand for the PEs: two lanes' worth of 1-bit weights
  const ArchConfig a = parse_arch_file(cfg);
  CHECK(x["pes"].get<double>() == std::round(peak_macs_per_cycle(a)));
  CHECK(x["pe_alone"]["cells"].get<int64_t>() == 0); // no PE synthesized alone
  // area and TOPS/mm^2 over the cells and the SRAM macro together
  CHECK(x["sram_area_um2"].get<double>() > 0);
  CHECK(x["peak_tops"].get<double>() / x["tops_per_mm2"].get<double>() * 1e6 ==
        Approx(x["total_area_um2"].get<double>()).epsilon(1e-9));
  CHECK(x["energy"]["random"]["energy_pj_per_mac"].get<double>() > 0);
  REQUIRE(x["workloads"].size() == 1);
  CHECK(x["workloads"][0]["array_energy_uj"].get<double>() > 0);
  CHECK(x["workloads"][0]["sram_energy_uj"].get<double>() > 0); // the arrays
  std::filesystem::remove_all(d);
}
