// The one SRAM model in the energy reports (reports/energy_model.h): the operand
// buffers of every engine and the lut_gemv PIM arrays are charged with the figures of
// reports/sram_model.h, term by term (reads, writes, clocked idle cycles per port,
// leakage), recomputed here from the documented rules and the layer's counts; the
// buffers beyond the model's domain are refused with one line; the port rule of
// sram_energy(); the lut_gemv row reads and writes against hand counts.
#include "core/atomic_file.h"
#include "core/engine_info.h"
#include "core/text.h"
#include "reports/energy_model.h"
#include "reports/sram_model.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>

using namespace tpe;

namespace {

const std::string kSrc = TPE_SOURCE_DIR;

EnergyCalibration calibration_for(const ArchConfig& a, double node_nm, double volts) {
  EnergyCalibration c;
  c.design = a;
  c.library = "sky130";
  c.operands = "random";
  c.clock_ns = 10;
  c.volts = volts;
  c.node_nm = node_nm;
  c.pj_per_cycle = 30;
  c.pj_per_pe_mac = 4.7;
  c.pj_one_nonzero = 2;
  c.pj_two_nonzero = 4.7;
  c.frac_two_nonzero = 1;
  return c;
}

// One buffer's energy by the documented rule: a 1rw1r macro, writes on port 0, reads
// on port 1, each port idle on the cycles without its access, leakage over the cycles
// at the calibration clock.
double buffer_pj(const SramMacro& m, double reads, double writes, double cycles, double clock_ns) {
  return reads * sram_read_pj(m, 1) + writes * sram_write_pj(m) +
         (cycles - writes) * sram_idle_pj_per_cycle(m, 0) +
         (cycles - reads) * sram_idle_pj_per_cycle(m, 1) +
         sram_leakage_uw(m) * cycles * clock_ns * 1e-3;
}

} // namespace

TEST_CASE("the energy report's SRAM figures are the SRAM model's, buffer by buffer") {
  // per design: the elements of one ifmap and filter word (hand-derived: a row or
  // column of the array, times the K lanes of the cube and the trees) and the macros
  // side by side of the filter word (the trees' 2048-bit word: two of 1024 bits)
  struct Case {
    std::string config;
    int in_lanes, filter_lanes, filter_macros;
  };
  const Case cases[] = {{"systolic_16x16_os", 16, 16, 1},
                        {"cube_8x8x4", 32, 32, 1},
                        {"adder_tree_16x16", 16, 256, 2},
                        {"matrix2d_16x16", 16, 16, 1}};
  const std::string dir = std::filesystem::temp_directory_path().string() + "/tpe_sram_energy_" +
                          std::to_string(getpid());
  std::filesystem::create_directories(dir);
  const std::string wl = dir + "/w.csv";
  write_file_atomic(wl, "Layer name, M, N, K,\nl0, 37, 53, 29,\nl1, 1, 96, 130,\n");
  for (const auto& tc : cases)
    for (const auto& [node, volts] : {std::pair<double, double>{130, 1.8}, {45, 1.0}}) {
      INFO(tc.config << " at " << node << " nm");
      const ArchConfig a = parse_arch_file(kSrc + "/configs/" + tc.config + ".yaml");
      const EnergyCalibration c = calibration_for(a, node, volts);
      const SramMacro in{a.memory.ifmap_sram_kb * 8192 / (tc.in_lanes * 8), tc.in_lanes * 8,
                         SramPorts::k1rw1r, node, volts};
      const SramMacro filter{a.memory.filter_sram_kb * 8192 / (tc.filter_lanes * 8),
                             tc.filter_lanes * 8 / tc.filter_macros, SramPorts::k1rw1r, node,
                             volts};
      const SramMacro out{a.memory.ofmap_sram_kb * 8192 / (a.cols * 32), a.cols * 32,
                          SramPorts::k1rw1r, node, volts};
      const OperandSrams m = operand_srams(a, node, volts, "cal");
      CHECK(m.ifmap.macro.words == in.words);
      CHECK(m.ifmap.macro.width_bits == in.width_bits);
      CHECK(m.filter.macro.words == filter.words);
      CHECK(m.filter.macro.width_bits == filter.width_bits);
      CHECK(m.filter.macros == tc.filter_macros);
      CHECK(m.ofmap.macro.width_bits == out.width_bits);
      CHECK(m.extrapolation.find("ifmap: " + sram_extrapolation(in)) == 0);
      if (tc.filter_macros > 1)
        CHECK(m.extrapolation.find("filter: 2048-bit words: 2 macros of 1024 bits side by "
                                   "side, each: " +
                                   sram_extrapolation(filter)) != std::string::npos);
      // through tpe sim --energy: every layer's buffers and the macros' figures
      const std::string cal = dir + "/cal.json", json = dir + "/sim.json";
      write_file_atomic(cal, calibration_json(c).dump(2));
      const auto r =
          tpe::test::run_tpe("sim --arch " + kSrc + "/configs/" + tc.config + ".yaml --workload " +
                             wl + " --energy " + cal + " --mode analytic --json " + json);
      INFO(r.out);
      REQUIRE(r.status == 0);
      CHECK(r.out.find("SRAM model (docs/sram-model.md): 1rw1r macros") != std::string::npos);
      const auto j = nlohmann::json::parse(read_file(json));
      const auto& mj = j["sram_macros"]["ifmap"];
      CHECK(mj["words"].get<long long>() == in.words);
      CHECK(mj["read_port1_pj"].get<double>() == Approx(sram_read_pj(in, 1)).epsilon(1e-12));
      CHECK(mj["write_pj"].get<double>() == Approx(sram_write_pj(in)).epsilon(1e-12));
      CHECK(mj["idle_pj_per_cycle"].get<double>() ==
            Approx(sram_idle_pj_per_cycle(in, 0)).epsilon(1e-12));
      CHECK(j["sram_macros"]["filter"]["macros_side_by_side"] == tc.filter_macros);
      CHECK(j["sram_macros"]["ofmap"]["area_um2"].get<double>() ==
            Approx(sram_area_um2(out)).epsilon(1e-12));
      RunOptions ro;
      ro.mode = SimMode::Analytic;
      const Workload w = parse_workload_file(wl);
      for (size_t i = 0; i < w.layers.size(); ++i) {
        const Layer& l = w.layers[i];
        const LayerResult lr = run_layer(a, l, ro);
        const double cycles = count_double(lr.cycles);
        const double mk = double(l.M) * double(l.K), kn = double(l.K) * double(l.N),
                     mn = double(l.M) * double(l.N);
        const double want_in = buffer_pj(in, count_double(lr.ifmap_reads) / tc.in_lanes,
                                         mk / tc.in_lanes, cycles, c.clock_ns);
        const double want_filter =
            tc.filter_macros * buffer_pj(filter, count_double(lr.filter_reads) / tc.filter_lanes,
                                         kn / tc.filter_lanes, cycles, c.clock_ns);
        const double want_out =
            buffer_pj(out, (count_double(lr.ofmap_reads) + mn) / a.cols,
                      count_double(lr.ofmap_writes) / a.cols, cycles, c.clock_ns);
        const LayerEnergy e = layer_energy(a, lr, c);
        CHECK(e.ifmap_sram_pj == Approx(want_in).epsilon(1e-12));
        CHECK(e.filter_sram_pj == Approx(want_filter).epsilon(1e-12));
        CHECK(e.ofmap_sram_pj == Approx(want_out).epsilon(1e-12));
        const auto& je = j["layers"][i]["energy_pj"];
        CHECK(je["ifmap_sram"].get<double>() == Approx(want_in).epsilon(1e-12));
        CHECK(je["filter_sram"].get<double>() == Approx(want_filter).epsilon(1e-12));
        CHECK(je["ofmap_sram"].get<double>() == Approx(want_out).epsilon(1e-12));
      }
    }
  std::filesystem::remove_all(dir);
}

TEST_CASE("no engine's counts put more than one access per cycle on a buffer port") {
  // every shipped MAC-engine design that can be calibrated (configs/, configs/pe,
  // configs/formats, configs/mutation; not the serial PEs), its buffers shrunk into the SRAM
  // model's domain where the shipped size is beyond it, on GEMMs with each dimension 1 and odd
  // shapes: every layer's buffers are charged without a refusal (sram_energy refuses a port with
  // more accesses than cycles)
  std::vector<std::string> files;
  for (const char* sub : {"", "/pe", "/formats", "/mutation"})
    for (const auto& e : std::filesystem::directory_iterator(kSrc + "/configs" + sub))
      if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  const std::vector<std::string> shapes = {"1x1x1",    "1x1x300", "300x1x1", "1x300x1",
                                           "37x29x53", "1x96x40", "70x5x33", "16x256x16"};
  int designs = 0;
  for (const std::string& f : files) {
    ArchConfig a = parse_arch_file(f);
    const EngineInfo* eng = EngineRegistry::instance().find(a.engine);
    if (!eng || !eng->has_pe) continue; // lut_gemv: its arrays are tested below
    INFO(f);
    try {
      require_calibratable(a, f);
    } catch (const InputError&) {
      continue; // the serial PEs have no energy calibration
    }
    for (int64_t* kb : {&a.memory.ifmap_sram_kb, &a.memory.filter_sram_kb, &a.memory.ofmap_sram_kb})
      while (*kb > 1) {
        try {
          operand_srams(a, 130, 1.8, "cal");
          break;
        } catch (const InputError&) {
          *kb /= 2;
        }
      }
    const EnergyCalibration c = calibration_for(a, 130, 1.8);
    RunOptions ro;
    ro.mode = SimMode::Analytic;
    for (const std::string& g : shapes) {
      INFO(g);
      const LayerResult r = run_layer(a, parse_gemm_spec(g), ro);
      LayerEnergy e;
      CHECK_NOTHROW(e = layer_energy(a, r, c));
      CHECK(e.ifmap_sram_pj > 0);
      CHECK(e.filter_sram_pj > 0);
      CHECK(e.ofmap_sram_pj > 0);
    }
    ++designs;
  }
  CHECK(designs >= 40);
}

TEST_CASE("operand buffers beyond the SRAM model's domain are refused with one line") {
  ArchConfig a = tpe::test::make_arch(2, 2, "os"); // 64 KiB of 16-bit words: 32768 words
  a.source = "a.yaml";
  const auto refusal = [&](double node, double volts) -> std::string {
    try {
      operand_srams(a, node, volts, "cal.json");
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(refusal(130, 1.8).find("a.yaml: memory.ifmap_sram_kb: the ifmap SRAM (64 KiB of 16-bit "
                               "words: 32768 words, 1rw1r at 130 nm) is beyond the SRAM model's "
                               "domain (docs/sram-model.md): sram words: 32768 is outside "
                               "16..16384") == 0);
  a.memory.ifmap_sram_kb = a.memory.filter_sram_kb = 16; // 8192 words
  CHECK(refusal(130, 1.8).empty());
  CHECK(refusal(100, 1.8).find("cal.json: node_nm: the ifmap SRAM") == 0);
  CHECK(refusal(45, 1.8).find("cal.json: volts: the ifmap SRAM") == 0); // 1.8 V at 45 nm
  CHECK(refusal(45, 1.0).empty());
  // lut_gemv has no operand buffers of PE lanes and no calibration
  const ArchConfig lut = parse_arch_file(kSrc + "/configs/lut_gemv_w4a8.yaml");
  CHECK_THROWS_WITH(operand_srams(lut, 130, 1.8, "cal.json"),
                    Catch::StartsWith("cal.json: design.engine: engine 'lut_gemv' has no energy "
                                      "calibration"));
  // tpe sim refuses before the first layer
  const std::string dir = std::filesystem::temp_directory_path().string() + "/tpe_sram_refuse_" +
                          std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/a.yaml",
                    "name: t2\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n");
  write_file_atomic(dir + "/cal.json", calibration_json(calibration_for(a, 130, 1.8)).dump(2));
  const auto r = tpe::test::run_tpe("sim --arch " + dir + "/a.yaml --workload " + kSrc +
                                    "/workloads/tiny_gemm.csv --energy " + dir + "/cal.json");
  CHECK(r.status == 2);
  CHECK(tpe::test::last_line(r.out).find("tpe: error: " + dir +
                                         "/a.yaml: memory.ifmap_sram_kb: the ifmap SRAM") == 0);
  CHECK(r.out.find("sim: [1/") == std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("sram_energy charges each port its accesses or its clocked idle cycle") {
  const SramMacro dual{512, 32, SramPorts::k1rw1r, 130, 0};
  const SramMacro single{512, 32, SramPorts::k1rw, 130, 0};
  // 100 cycles, 30 reads, 20 writes, 10 ns: the 512 x 32 macro's own figures
  const SramEnergy d = sram_energy(dual, {30, 20, 100}, 10);
  CHECK(d.read_pj == Approx(30 * sram_read_pj(dual, 1)));
  CHECK(d.write_pj == Approx(20 * sram_write_pj(dual)));
  CHECK(d.idle_pj ==
        Approx(80 * sram_idle_pj_per_cycle(dual, 0) + 70 * sram_idle_pj_per_cycle(dual, 1)));
  CHECK(d.leakage_pj == Approx(sram_leakage_uw(dual) * 100 * 10 * 1e-3));
  const SramEnergy s = sram_energy(single, {30, 20, 100}, 10);
  CHECK(s.read_pj == Approx(30 * sram_read_pj(single, 0)));
  CHECK(s.idle_pj == Approx(50 * sram_idle_pj_per_cycle(single, 0)));
  CHECK(s.total() == Approx(s.read_pj + s.write_pj + s.idle_pj + s.leakage_pj));
  // the table's 512 x 32 figures (docs/sram-model.md): 5.39 pJ port-1 read, 5.35 write
  CHECK(d.read_pj / 30 == Approx(5.39).epsilon(1e-3));
  CHECK(d.write_pj / 20 == Approx(5.35).epsilon(1e-3));
  // more accesses on a port than cycles: refused
  const auto msg = [](const SramMacro& m, SramActivity act) -> std::string {
    try {
      sram_energy(m, act, 10);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  CHECK(msg(single, {60, 50, 100}) == "sram port 0: 110 accesses in 100 cycles, more than one "
                                      "per cycle");
  CHECK(msg(dual, {60, 50, 100}).empty());
  CHECK(msg(dual, {101, 0, 100}) == "sram port 1: 101 accesses in 100 cycles, more than one per "
                                    "cycle");
  CHECK(msg(dual, {1, 0, -1}).find("sram cycles: -1") == 0);
}

TEST_CASE("lut_gemv's SRAM arrays are charged their counted row reads, writes and idle cycles") {
  // weight tables, subset form, g = 4 (15 stored rows per table), 6-bit entries: a
  // 64 x 64 array holds 4 slots x 10 lanes; two arrays
  ArchConfig a = parse_arch_text("name: lut_small\nengine: lut_gemv\ntable: weight\nform: subset\n"
                                 "group: 4\nformat: {act: int8, weight: int4}\nacc_bits: 32\n"
                                 "arrays: 2\narray: {rows: 64, cols: 64, ports: 1rw1r}\n"
                                 "batch: 1\nclock_mhz: 100\n",
                                 "lut_small.yaml");
  RunOptions ro;
  ro.mode = SimMode::Values; // the stepped model checks the closed form's reads
  ro.dist = parse_operand_dist("max");
  // hand counts: activations 127 (0b01111111): planes 0..6 index 15 (one row read per
  // group and plane), plane 7 index 0 (T[0] = 0 is not stored: no read); K = 8: two
  // groups, 15 rows written per group; N = 5: one tile (one array), N = 25: three
  // tiles of 10 lanes on the two arrays
  struct Case {
    int64_t n, reads, writes, arrays_used;
  };
  for (const Case& tc : {Case{5, 14, 30, 1}, Case{25, 42, 90, 2}}) {
    INFO("N = " << tc.n);
    Layer l;
    l.name = "gemv";
    l.M = 1;
    l.K = 8;
    l.N = tc.n;
    const LayerResult r = run_layer(a, l, ro);
    CHECK(r.lut_row_reads == tc.reads);
    CHECK(r.lut_row_writes == tc.writes);
    CHECK(r.lut_arrays_used == tc.arrays_used);
    const LutSramEnergy e = lut_gemv_sram_energy(a, r);
    const SramMacro m{64, 64, SramPorts::k1rw1r, 130, 0};
    const double clocked = double(tc.arrays_used) * count_double(r.cycles);
    CHECK(e.energy.read_pj == Approx(double(tc.reads) * sram_read_pj(m, 1)).epsilon(1e-12));
    CHECK(e.energy.write_pj == Approx(double(tc.writes) * sram_write_pj(m)).epsilon(1e-12));
    CHECK(e.energy.idle_pj == Approx((clocked - double(tc.writes)) * sram_idle_pj_per_cycle(m, 0) +
                                     (clocked - double(tc.reads)) * sram_idle_pj_per_cycle(m, 1))
                                  .epsilon(1e-12));
    CHECK(e.energy.leakage_pj ==
          Approx(sram_leakage_uw(m) * clocked * 10 * 1e-3).epsilon(1e-12)); // 100 MHz
    CHECK(e.area_um2 == Approx(2 * sram_area_um2(m)).epsilon(1e-12));
    CHECK(e.extrapolation == sram_extrapolation(m));
  }
  // tpe sim reports the arrays' energy, labelled as SRAM only, and no total
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/tpe_lut_sram_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/w.csv", "Layer name, M, N, K,\nl0, 1, 25, 8,\nl1, 1, 5, 8,\n");
  write_file_atomic(dir + "/a.yaml", "name: lut_small\nengine: lut_gemv\ntable: weight\n"
                                     "form: subset\ngroup: 4\nformat: {act: int8, weight: int4}\n"
                                     "acc_bits: 32\narrays: 2\n"
                                     "array: {rows: 64, cols: 64, ports: 1rw1r}\nbatch: 1\n"
                                     "clock_mhz: 100\n");
  const auto r = tpe::test::run_tpe("sim --arch " + dir + "/a.yaml --workload " + dir +
                                    "/w.csv --operands max --seed 1 --json " + dir + "/s.json");
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find(
            "SRAM arrays energy (the periphery is not included: --energy with a `tpe calibrate` "
            "file adds it): ") != std::string::npos);
  CHECK(r.out.find("energy: ") == std::string::npos);
  const auto j = nlohmann::json::parse(read_file(dir + "/s.json"));
  CHECK(j["sram_arrays"]["periphery_included"] == false);
  CHECK(!j.contains("energy_pj"));
  double sum = 0;
  for (const auto& layer : j["layers"])
    sum += layer["sram_arrays"]["energy_pj"]["total"].get<double>();
  CHECK(j["sram_arrays"]["energy_pj"]["total"].get<double>() == Approx(sum));
  CHECK(j["layers"][0]["sram_arrays"]["row_reads"] == 42);
  CHECK(j["layers"][1]["sram_arrays"]["row_writes"] == 30);
  // an array beyond the SRAM model's domain: the energy is not reported, with the reason
  write_file_atomic(dir + "/tiny.yaml", "name: lut_tiny\nengine: lut_gemv\ntable: weight\n"
                                        "form: subset\ngroup: 2\nformat: {act: int8, weight: "
                                        "int4}\nacc_bits: 32\narrays: 1\n"
                                        "array: {rows: 8, cols: 64, ports: 1rw1r}\nbatch: 1\n");
  const auto t =
      tpe::test::run_tpe("sim --arch " + dir + "/tiny.yaml --workload " + dir + "/w.csv --seed 1");
  INFO(t.out);
  CHECK(t.status == 0);
  CHECK(t.out.find("SRAM arrays energy: not reported: sram words: 8 is outside 16..16384") !=
        std::string::npos);
  std::filesystem::remove_all(dir);
}
