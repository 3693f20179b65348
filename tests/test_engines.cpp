// The broadcast engines (cube, matrix2d, adder_tree): architecture keys and their
// errors; the model against the golden GEMM and its own closed form; the
// generated Verilog lint-clean and bit- and cycle-exact against the model on odd
// GEMMs (K = 1, N = 1, M = 1 included) at three sizes per engine, for every PE
// they accept and for INT4 / INT16 and wrapping accumulators; injected faults
// caught; every shipped workload through every engine in `tpe sim`.
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/dram_preset.h"
#include "core/error.h"
#include "core/process.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/int_arith.h"
#include "pe_models/int_multipliers.h"
#include "reports/compare.h"
#include "rtl_gen/systolic_verilog.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <unistd.h>

using namespace tpe;
using tpe::test::replace_in_rtl;
using tpe::test::run_tpe;

namespace {

// An engine configuration in code: dims are (rows, cols, depth) as the engine takes them.
ArchConfig engine_arch(const std::string& engine, int rows, int cols, int depth,
                       const std::string& pe = "mac", const std::string& fmt = "int8",
                       int acc = 32) {
  ArchConfig a;
  a.engine = engine;
  a.rows = engine == "adder_tree" ? 1 : rows;
  a.cols = cols;
  a.depth = engine == "matrix2d" ? 1 : depth;
  a.dataflow = engine == "adder_tree" ? "ws" : "os";
  a.pe = pe;
  a.format = fmt;
  a.acc_bits = acc;
  a.name = engine + "_" + std::to_string(a.rows) + "x" + std::to_string(cols) + "x" +
           std::to_string(a.depth) + "_" + pe + "_" + fmt + "_a" + std::to_string(acc);
  validate_arch(a);
  return a;
}

std::string error_of(const std::string& text) {
  return test::arch_error_of(text, "e.yaml");
}

// Three sizes of each engine (the degenerate 1-wide ones included).
const std::vector<ArchConfig>& engine_sizes() {
  static const std::vector<ArchConfig> v = {
      engine_arch("cube", 1, 1, 1),       engine_arch("cube", 3, 2, 5),
      engine_arch("cube", 4, 4, 4),       engine_arch("matrix2d", 1, 1, 1),
      engine_arch("matrix2d", 3, 5, 1),   engine_arch("matrix2d", 4, 4, 1),
      engine_arch("adder_tree", 1, 1, 1), engine_arch("adder_tree", 1, 3, 5),
      engine_arch("adder_tree", 1, 4, 8)};
  return v;
}

} // namespace

TEST_CASE("engine keys: each engine takes its own dimensions") {
  const ArchConfig c = parse_arch_text("name: c\nengine: cube\nrows: 8\ncols: 8\ndepth: 4\n");
  CHECK(c.dataflow == "os");
  CHECK(c.multipliers() == 256);
  CHECK(c.shape() == "8x8x4");
  const ArchConfig t = parse_arch_text("name: t\nengine: adder_tree\ncols: 16\ndepth: 16\n");
  CHECK(t.rows == 1);
  CHECK(t.dataflow == "ws");
  CHECK(t.multipliers() == 256);
  CHECK(t.shape() == "16 trees x 16");
  const ArchConfig m = parse_arch_text("name: m\nengine: matrix2d\nrows: 16\ncols: 16\n");
  CHECK(m.depth == 1);
  CHECK(m.multipliers() == 256);
  CHECK(error_of("name: c\nengine: cube\nrows: 8\ncols: 8\n") ==
        "e.yaml:2: depth: engine 'cube' needs key 'depth' (rows: M, cols: N, depth: K of the M x "
        "K x N cube)");
  CHECK(error_of("name: t\nengine: adder_tree\nrows: 2\ncols: 16\ndepth: 16\n") ==
        "e.yaml:3: rows: engine 'adder_tree' takes no key 'rows' (cols: number of trees (N), "
        "depth: tree width (K))");
  CHECK(error_of("name: m\nengine: matrix2d\nrows: 4\ncols: 4\ndepth: 2\n") ==
        "e.yaml:5: depth: engine 'matrix2d' takes no key 'depth' (rows and cols: the PE grid)");
  CHECK(error_of("name: s\nengine: systolic\nrows: 4\ncols: 4\n") ==
        "e.yaml:2: dataflow: engine 'systolic' needs key 'dataflow' (choose: os, ws, is)");
  CHECK(error_of("name: c\nengine: cube\nrows: 4\ncols: 4\ndepth: 65\n") ==
        "e.yaml:5: depth: must be 1..64 on engine 'cube'");
  CHECK(error_of("name: c\nengine: cube\nrows: 4\ncols: 4\ndepth: 4\ndataflow: ws\n") ==
        "e.yaml:6: dataflow: engine 'cube' has no dataflow 'ws' (choose: os)");
  CHECK(error_of("name: t\nengine: adder_tree\ncols: 4\ndepth: 4\npe: opt4c\n") ==
        "e.yaml:5: pe: engine 'adder_tree' has no PE 'opt4c' (choose: array, booth, ent, lmul, "
        "mac)");
  CHECK(error_of("name: m\nengine: matrix2d\nrows: 4\ncols: 4\npe: opt1\n") ==
        "e.yaml:5: pe: engine 'matrix2d' has no PE 'opt1' (choose: array, bitserial, booth, ent, "
        "lmul, mac, opt3, opt4c, pragmatic)");
}

TEST_CASE("OPT2 same-bit-weight dot product: emulator exact, RTL structure") {
  // the emulator equals the exact dot product modulo 2^TW, extremes included
  Rng rng(31);
  for (int W : {4, 8, 16})
    for (int G : {1, 2, 3, 16})
      for (int TW : {2, 5, 2 * W + 5}) {
        INFO("W " << W << " G " << G << " TW " << TW);
        for (int t = 0; t < 200; ++t) {
          std::vector<int64_t> a(G), b(G);
          int64_t exact = 0;
          for (int k = 0; k < G; ++k) {
            const bool extreme = t < 4;
            a[k] =
                extreme ? (t & 1 ? int_min(W) : int_max(W)) : rng.uniform(int_min(W), int_max(W));
            b[k] =
                extreme ? (t & 2 ? int_min(W) : int_max(W)) : rng.uniform(int_min(W), int_max(W));
            exact += a[k] * b[k];
          }
          REQUIRE(sbw_dot(a, b, W, TW) == wrap_signed(static_cast<uint64_t>(exact), TW));
        }
      }
  // the adder tree with `ent` is built from it: no multipliers, one tree per bit weight
  const GeneratedRtl g = generate_systolic_verilog(engine_arch("adder_tree", 1, 4, 16, "ent"), "t");
  const std::string p = "tpe_adder_tree_1x4x16_ent_int8_a32";
  CHECK(g.files.count(p + "_mul.v") == 0);
  CHECK(g.files.count(p + "_ent_enc.v") == 1);
  const std::string& dot = g.files.at(p + "_dot.v");
  CHECK(dot.find("OPT2 dot product of 16 lanes") != std::string::npos);
  CHECK(dot.find("wire [13:0] bw3 =") != std::string::npos); // 8 + 2 + log2(16) bits
  // a 2D matrix PE has one lane: the EN-T multiplier
  const GeneratedRtl m = generate_systolic_verilog(engine_arch("matrix2d", 2, 2, 1, "ent"), "t");
  CHECK(m.files.count("tpe_matrix2d_2x2x1_ent_int8_a32_mul.v") == 1);
}

TEST_CASE("the equal-peak configurations have 256 multipliers each") {
  for (const char* f : {"systolic_16x16_os", "cube_8x8x4", "adder_tree_16x16", "matrix2d_16x16"}) {
    INFO(f);
    CHECK(parse_arch_file(std::string(TPE_SOURCE_DIR) + "/configs/" + f + ".yaml").multipliers() ==
          256);
  }
}

TEST_CASE("broadcast engine models equal the golden GEMM and their closed form") {
  RunOptions values, analytic;
  values.mode = SimMode::Values;
  values.seed = 77;
  analytic.mode = SimMode::Analytic;
  for (const ArchConfig& a : engine_sizes())
    for (const char* g :
         {"37x29x53", "1x1x1", "9x1x17", "11x13x1", "1x40x9", "2x17x3", "16x4x16"}) {
      INFO(a.name << " " << g);
      const Layer l = parse_gemm_spec(g);
      const LayerResult v = run_layer(a, l, values); // throws if the model is wrong
      const LayerResult n = run_layer(a, l, analytic);
      CHECK(v.values_checked);
      CHECK(v.cycles == n.cycles);
      CHECK(v.pe_macs == n.pe_macs);
      CHECK(v.ifmap_reads == n.ifmap_reads);
      CHECK(v.filter_reads == n.filter_reads);
      CHECK(v.ofmap_reads == n.ofmap_reads);
      CHECK(v.ofmap_writes == n.ofmap_writes);
      // every multiplier works on a whole fold: padding included, never fewer MACs
      CHECK(v.pe_macs >= v.macs);
      CHECK(v.pe_macs_one_zero + v.pe_macs_two_zero <= v.pe_macs);
    }
}

TEST_CASE("broadcast engine schedules: the documented cycle counts") {
  const SystolicMapping cube =
      map_systolic(engine_arch("cube", 8, 8, 4), parse_gemm_spec("16x48x16"));
  // G = 12 groups per fold, P = max(12, 8), 4 folds: 3*12 + 12 + 8 + 2
  CHECK(cube.cycles() == 58);
  const SystolicMapping m2d =
      map_systolic(engine_arch("matrix2d", 16, 16, 1), parse_gemm_spec("16x4x16"));
  // K = 4 < R = 16: the drain sets the period; one fold: 4 + 16 + 2
  CHECK(m2d.cycles() == 22);
  const SystolicMapping tree =
      map_systolic(engine_arch("adder_tree", 1, 16, 16), parse_gemm_spec("1x4096x4096"));
  // GEMV: one fold per cycle, 256 x 256 folds, 4 cycles of pipeline
  CHECK(tree.cycles() == 256 * 256 + 4);
}

TEST_CASE("broadcast engine Verilog is lint-clean under verilator -Wall") {
  int n = 0;
  std::vector<ArchConfig> archs = engine_sizes();
  for (const char* pe : {"array", "booth", "ent"})
    for (const char* e : {"cube", "matrix2d", "adder_tree"})
      archs.push_back(engine_arch(e, 2, 3, 3, pe));
  archs.push_back(engine_arch("cube", 2, 2, 3, "mac", "int4", 5));
  archs.push_back(engine_arch("adder_tree", 1, 2, 7, "ent", "int16", 64));
  archs.push_back(engine_arch("adder_tree", 1, 2, 4, "ent", "int8", 5));
  archs.push_back(engine_arch("cube", 2, 1, 2, "ent", "int4", 2));
  for (const ArchConfig& a : archs) {
    INFO(a.name);
    const std::string dir = std::filesystem::temp_directory_path().string() + "/tpe_elint_" +
                            std::to_string(getpid()) + "_" + std::to_string(n++);
    std::filesystem::remove_all(dir);
    const GeneratedRtl g = generate_systolic_verilog(a, "test");
    for (auto& [f, t] : g.files)
      write_file_atomic(dir + "/" + f, t);
    const std::string log = dir + "/lint.log";
    const int rc = run_process(
        {"verilator", "--lint-only", "-Wall", "--top-module", g.top, "-f", "filelist.f"}, dir, log);
    INFO(tail_file(log, 20));
    CHECK(rc == 0);
    CHECK(tail_file(log, 5).empty());
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("broadcast engines: RTL equals model on odd GEMMs at three sizes each") {
  const uint64_t seed = 515;
  INFO("seed " << seed);
  for (const ArchConfig& a : engine_sizes()) {
    INFO(a.name);
    VerifyOutcome r = tpe::test::verify_gemms(
        a, {"37x29x53", "1x1x1", "9x1x17", "11x13x1", "1x40x9"}, OperandDist{}, seed);
    CHECK(r.failure == "");
    CHECK(r.runs == 5);
    r = tpe::test::verify_gemms(a, {"7x9x5"}, OperandDist(OperandFill::Min), seed);
    CHECK(r.failure == "");
  }
}

TEST_CASE("broadcast engines: RTL equals model for every PE, format and wrapping accumulator") {
  const uint64_t seed = 616;
  INFO("seed " << seed);
  for (const char* e : {"cube", "matrix2d", "adder_tree"}) {
    for (const char* pe : {"array", "booth", "ent"}) {
      INFO(e << " " << pe);
      const ArchConfig a = engine_arch(e, 3, 2, 5, pe);
      CHECK(tpe::test::verify_gemms(a, {"13x9x7", "1x11x1"}, OperandDist{}, seed).failure == "");
      CHECK(tpe::test::verify_gemms(a, {"5x7x4"}, OperandDist(OperandFill::Min), seed).failure ==
            "");
    }
    INFO(e);
    // INT4 into a 9-bit accumulator (wraps), INT16 into 40 bits at the extremes,
    // INT8 into 13 bits (the dot product itself is cut to the accumulator)
    CHECK(tpe::test::verify_gemms(engine_arch(e, 2, 3, 4, "booth", "int4", 9), {"11x19x5"},
                                  OperandDist{}, seed)
              .failure == "");
    CHECK(tpe::test::verify_gemms(engine_arch(e, 2, 2, 3, "mac", "int16", 40), {"6x11x5"},
                                  OperandDist(OperandFill::Max), seed)
              .failure == "");
    CHECK(tpe::test::verify_gemms(engine_arch(e, 3, 2, 5, "ent", "int8", 13), {"9x23x4"},
                                  OperandDist(OperandFill::Min), seed)
              .failure == "");
  }
}

TEST_CASE("serial PEs on the 2D matrix: the OPT4C column and its wider grids") {
  const uint64_t seed = 717;
  INFO("seed " << seed);
  for (auto rc : {std::pair{4, 1}, {3, 2}})
    for (const char* pe : {"opt4c", "opt3", "bitserial", "pragmatic"}) {
      const ArchConfig a = engine_arch("matrix2d", rc.first, rc.second, 1, pe);
      INFO(a.name);
      const VerifyOutcome r = tpe::test::verify_gemms(a, {"9x13x3", "1x1x1", "5x1x2", "2x9x1"},
                                                      OperandDist(OperandFill::Normal, 25.0), seed);
      CHECK(r.failure == "");
      CHECK(r.runs == 4);
    }
  // the one-column OPT4C matrix is the same hardware as the 1-column opt4c systolic array
  ArchConfig m = engine_arch("matrix2d", 8, 1, 1, "opt4c"), s = m;
  s.engine = "systolic";
  s.name = m.name;
  CHECK(generate_systolic_verilog(m, "t").files == generate_systolic_verilog(s, "t").files);
}

TEST_CASE("the checker catches faults injected into the broadcast engines") {
  const OperandDist d;
  // cube: the drain buffer takes the old accumulator (one group short)
  VerifyOutcome r =
      tpe::test::verify_gemms(engine_arch("cube", 3, 2, 2), {"7x9x5"}, d, 5,
                              replace_in_rtl("if (f[2]) dr <= nacc;", "if (f[2]) dr <= acc;"));
  CHECK_FALSE(r.pass);
  CHECK(r.failure.find("(RTL)") != std::string::npos);
  // grid: the fold period one cycle short of the drain
  r = tpe::test::verify_gemms(
      engine_arch("matrix2d", 4, 3, 1), {"9x2x5"}, d, 5,
      replace_in_rtl("(cfg_k > R) ? cfg_k : R", "(cfg_k > R) ? cfg_k : R - 1"));
  CHECK_FALSE(r.pass);
  // adder tree: no bypass when a one-row fold reads the word it is writing
  r = tpe::test::verify_gemms(engine_arch("adder_tree", 1, 3, 4), {"1x13x5"}, d, 5,
                              replace_in_rtl("byp ? bdata[j*A +: A]", "1'b0 ? bdata[j*A +: A]"));
  CHECK_FALSE(r.pass);
  CHECK(r.failure.find("expected") != std::string::npos);
  // adder tree: weights loaded one fold late
  r = tpe::test::verify_gemms(engine_arch("adder_tree", 1, 3, 4), {"5x13x5"}, d, 5,
                              replace_in_rtl(".load(v1 & load)", ".load(v2 & load)"));
  CHECK_FALSE(r.pass);
}

TEST_CASE("every shipped workload runs through every engine in tpe sim") {
  const std::string src = TPE_SOURCE_DIR;
  for (const char* cfg : {"cube_8x8x4", "adder_tree_16x16", "matrix2d_16x16"})
    for (const auto& e : std::filesystem::directory_iterator(src + "/workloads")) {
      if (e.path().extension() != ".csv") continue;
      INFO(cfg << " " << e.path().filename().string());
      const auto r = run_tpe("sim --arch " + src + "/configs/" + cfg + ".yaml --workload " +
                             e.path().string() + " --mode analytic --seed 1");
      CHECK(r.status == 0);
      CHECK(r.out.find("TOTAL") != std::string::npos);
    }
  // auto mode (Values for the small layers, checked against the golden GEMM) on one
  const auto r = run_tpe("sim --arch " + src + "/configs/adder_tree_16x16.yaml --workload " + src +
                         "/workloads/llama2_7b_decode.csv --seed 1");
  CHECK(r.status == 0);
  CHECK(r.out.find("99.98") != std::string::npos); // GEMV keeps the trees busy
}

TEST_CASE("tpe compare with workloads: cycles, utilization, time and energy per workload") {
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/tpe_cmpw_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/w.csv", "Layer name, M, N, K,\nfc1, 3, 5, 9,\nfc2, 1, 7, 13,\n");
  write_file_atomic(dir + "/t.yaml", "name: cmp_tree\nengine: adder_tree\ncols: 2\ndepth: 4\n");
  CompareOptions o;
  o.synth.lib = choose_library(tpe::test::test_liberty());
  o.operands = {"random"};
  o.gemm = "4x8x4";
  o.workloads = {dir + "/w.csv"};
  std::ostringstream progress;
  const auto rows = compare_designs({dir + "/t.yaml"}, o, progress);
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].workloads.size() == 1);
  const WorkloadRow& w = rows[0].workloads[0];
  // closed forms: fc1 folds 3 x 3 rows + 4, fc2 folds 4 x 4 x 1 row + 4
  CHECK(w.cycles == (3 * 3 * 3 + 4) + (4 * 4 * 1 + 4));
  CHECK(w.macs == 3 * 5 * 9 + 7 * 13);
  CHECK(w.utilization == Approx(double(w.macs) / (double(w.cycles) * 8)));
  CHECK(w.ms_at_fmax == Approx(double(w.cycles) / (rows[0].synth.fmax_mhz * 1e3)));
  CHECK(w.array_uj > 0);
  CHECK(w.sram_uj > 0);
  CHECK(w.dram_uj > 0);
  const std::string md = compare_markdown(rows, o);
  CHECK(md.find("| cmp_tree | adder_tree | 2 trees x 4 | 8 |") != std::string::npos);
  CHECK(md.find("stall share") == std::string::npos); // ideal memory: no memory columns
  CHECK(w.memory == "ideal");
  CHECK(w.stall_cycles == 0);

  // --memory: each workload on ideal memory and on a DRAM preset with the design's
  // buffers, at the design's fmax; the same synthesis and calibration
  o.memories = {"ideal", "lpddr5_6400_x16"};
  std::ostringstream progress2;
  const auto mem = compare_designs({dir + "/t.yaml"}, o, progress2);
  REQUIRE(mem[0].workloads.size() == 2);
  const WorkloadRow &ideal = mem[0].workloads[0], &dram = mem[0].workloads[1];
  CHECK(ideal.memory == "ideal");
  CHECK(ideal.cycles == w.cycles);
  CHECK(ideal.dram_uj == Approx(w.dram_uj));
  CHECK(dram.memory == "lpddr5_6400_x16");
  CHECK(dram.stall_cycles > 0); // 39.25 ns of latency before the first tile at least
  CHECK(dram.cycles == ideal.cycles + dram.stall_cycles);
  CHECK(dram.array_uj > ideal.array_uj);        // the clock runs through the stalls
  CHECK(dram.dram_uj != Approx(ideal.dram_uj)); // the preset's pJ/bit and whole bursts
  const std::string md2 = compare_markdown(mem, o);
  CHECK(md2.find("| w.csv | lpddr5_6400_x16 | " + std::to_string(int64_t(dram.cycles)) + " | ") !=
        std::string::npos);
  CHECK(md2.find("| w.csv | ideal | " + std::to_string(int64_t(ideal.cycles)) + " | 0.0% |") !=
        std::string::npos);
  const nlohmann::json j = compare_json(mem, o);
  CHECK(j["designs"][0]["workloads"][1]["stall_cycles"] == int64_t(dram.stall_cycles));
  std::filesystem::remove_all(dir);
}

TEST_CASE("tpe compare --memory: an unknown memory or an engine without the DRAM model, one line") {
  CompareOptions o;
  o.synth.lib = choose_library(tpe::test::test_liberty());
  o.operands = {"random"};
  o.workloads = {std::string(TPE_SOURCE_DIR) + "/workloads/llama2_7b_decode.csv"};
  o.memories = {"ddr5"};
  std::ostringstream progress;
  const std::string cfg = std::string(TPE_SOURCE_DIR) + "/configs/";
  CHECK_THROWS_WITH(compare_designs({cfg + "adder_tree_16x16.yaml"}, o, progress),
                    "--memory: unknown memory 'ddr5' (choose: ideal, " +
                        DramPresetRegistry::instance().joined_names() + ")");
  o.memories = {"hbm2_stack"};
  CHECK_THROWS_WITH(compare_designs({cfg + "lut_gemv_tiny.yaml"}, o, progress),
                    cfg +
                        "lut_gemv_tiny.yaml:6: engine: --memory hbm2_stack: engine 'lut_gemv' has "
                        "no DRAM memory model (its operands live in its SRAM-PIM arrays); "
                        "compare it on --memory ideal");
  o.workloads.clear();
  CHECK_THROWS_WITH(compare_designs({cfg + "adder_tree_16x16.yaml"}, o, progress),
                    "--memory: memories apply to the workloads (give --workload)");
}
