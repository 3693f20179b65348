// The lut_gemv engine: its architecture keys (defaults, one-line errors, keys of other
// engines refused both ways), the closed form on hand-computed schedules, the stepped
// model (sim/lut_gemv_core.h) against the golden GEMM, lut_gemm and the closed form
// (dataflows/lut_gemv_mapping.h) on random shapes and configurations, the two cycle
// savings, and the commands: tpe sim and tpe gemm run it, the commands that need
// Verilog refuse it; L0: every 2-bit 1x2x1 GEMM at g = 2 through the model; the
// element limits of stepped runs. Random tests print their seed (TPE_SEED replays
// another).
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "dataflows/lut_gemv_mapping.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/int_arith.h"
#include "pe_models/lut_table.h"
#include "sim/engine.h"
#include "sim/lut_gemv_core.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

using namespace tpe;
using tpe::test::run_tpe;
using tpe::test::test_seed;

namespace {

const std::string kSrc = TPE_SOURCE_DIR;
const std::string kBase = "name: l\nengine: lut_gemv\nformat: {act: int8, weight: int4}\n";

std::string error_of(const std::string& text) {
  return test::arch_error_of(text, "a.yaml");
}

OperandMatrix operands(int64_t r, int64_t c, int bits, Rng& rng) {
  return random_operands(r, c, int_min(bits), int_max(bits), rng);
}

} // namespace

TEST_CASE("lut_gemv keys: defaults and values", "[keys]") {
  const ArchConfig a = parse_arch_text(kBase, "a.yaml");
  const LutGemvParams p = lut_gemv_params(a);
  CHECK(p.arith.table == LutTable::Weight);
  CHECK(p.arith.form == LutForm::Subset);
  CHECK(p.arith.index_code == LutIndexCode::Twos);
  CHECK(p.arith.group == 4);
  CHECK(p.arith.act_bits == 8);
  CHECK(p.arith.weight_bits == 4);
  CHECK(p.arith.entry_bits == 0);
  CHECK(p.arith.acc_bits == 32);
  CHECK(p.arrays == 16);
  CHECK(p.rows == 256);
  CHECK(p.cols == 256);
  CHECK(p.dual_port);
  CHECK(p.read_latency == 1);
  CHECK(p.batch == 16);
  CHECK(!p.skip_zero_index);
  CHECK(!p.batch_shared_lookup);
  CHECK(p.stream_bits == 256);
  CHECK(p.out_bits == 256);
  CHECK(a.shape() == "16 arrays 256x256 weight subset g4");
  // e = 4 + 2 = 6, E = 42 lanes: peak 16 x 42 x 4 / 8 MACs per cycle
  CHECK(peak_macs_per_cycle(a) == Approx(16.0 * 42 * 4 / 8));
  const ArchConfig b = parse_arch_text(
      "name: l\nengine: lut_gemv\ntable: activation\nform: signed\ngroup: 3\nindex_code: "
      "offset\nentry_bits: 9\nformat: {act: int1, weight: int1}\nacc_bits: 20\narrays: 2\n"
      "array: {rows: 8, cols: 128, ports: 1rw, read_latency: 2}\ntokens_per_pass: 3\nlanes: 5\n"
      "builder_entries_per_cycle: 2\nout_bits: 7\n",
      "b.yaml");
  const LutGemvParams q = lut_gemv_params(b);
  CHECK(q.arith.table == LutTable::Activation);
  CHECK(q.arith.form == LutForm::Signed);
  CHECK(q.arith.group == 3);
  CHECK(q.arith.index_code == LutIndexCode::Offset);
  CHECK(q.arith.entry_bits == 9);
  CHECK(q.arith.act_bits == 1);
  CHECK(q.arith.weight_bits == 1);
  CHECK(q.arith.acc_bits == 20);
  CHECK(q.arrays == 2);
  CHECK(q.rows == 8);
  CHECK(q.cols == 128);
  CHECK(!q.dual_port);
  CHECK(q.read_latency == 2);
  CHECK(q.tokens_per_pass == 3);
  CHECK(q.lanes == 5);
  CHECK(q.builder_entries_per_cycle == 2);
  CHECK(q.out_bits == 7);
  CHECK(b.engine_keys.at("array.ports") == "1rw");
  CHECK(engine_key(b, "batch") == "16"); // not given: the default
}

TEST_CASE("lut_gemv keys: one-line errors", "[keys]") {
  const std::string w = kBase; // lines 1..3
  const std::pair<std::string, std::string> cases[] = {
      {w + "group: 9\n", "a.yaml:4: group: value 9 out of range 1..8"},
      {w + "group: four\n", "a.yaml:4: group: expected an integer, got 'four'"},
      {w + "table: both\n", "a.yaml:4: table: unknown value 'both' (choose: weight, activation)"},
      {w + "entry_bits: wide\n", "a.yaml:4: entry_bits: expected an integer or auto, got 'wide'"},
      {w + "entry_bits: 5\n",
       "a.yaml:4: entry_bits: 5 is out of range 6..64 (a subset table of 4 4-bit weights needs 6 "
       "bits = n_v + ceil(log2 g))"},
      {w + "skip_zero_index: yes\n",
       "a.yaml:4: skip_zero_index: expected true or false, got 'yes'"},
      {w + "array: {rows: 4, banks: 2}\n",
       "a.yaml:4: array.banks: unknown key (known keys: rows, cols, ports, read_latency)"},
      {w + "array: 4\n", "a.yaml:4: array: expected a mapping"},
      {w + "array: {ports: 2rw}\n",
       "a.yaml:4: array.ports: unknown value '2rw' (choose: 1rw, 1rw1r)"},
      {w + "form: signed\nskip_zero_index: true\n",
       "a.yaml:5: skip_zero_index: needs form: subset (a signed table has no zero entry: T[0] = "
       "-sum V)"},
      {w + "lanes: 8\n",
       "a.yaml:4: lanes: is a key of table: activation (this design has table: weight)"},
      {w + "table: activation\nbatch: 8\n",
       "a.yaml:5: batch: is a key of table: weight (this design has table: activation)"},
      {w + "build_init_cycles: 2\n",
       "a.yaml:4: build_init_cycles: is a key of form: signed (the subset walk starts from T[0] = "
       "0)"},
      {w + "form: signed\ngroup: 2\nbuild_init_cycles: 3\n",
       "a.yaml:6: build_init_cycles: must be 1..group (2): one cycle with a g-input adder up to g "
       "cycles with one"},
      {w + "array: {cols: 5}\n",
       "a.yaml:4: array.cols: 5 bits hold no 6-bit entry (E = floor(cols / entry_bits) = 0)"},
      {w + "array: {rows: 14}\n",
       "a.yaml:4: array.rows: 14 rows hold no table of 15 rows (group 4, form subset)"},
      {w + "table: activation\narray: {cols: 64}\n",
       "a.yaml:5: array.cols: a row holds tokens_per_pass x rows x entry_bits = 2 x 15 x 10 = 300 "
       "bits, more than cols = 64"},
      {"name: l\nengine: lut_gemv\nformat: {act: int8, weight: int9}\n",
       "a.yaml:3: format.weight: engine 'lut_gemv' takes integer weights int1..int8 (got 'int9')"},
      {"name: l\nengine: lut_gemv\nformat: {act: fp16, weight: int4}\n",
       "a.yaml:3: format.act: engine 'lut_gemv' takes integer activations int1..int16 (got "
       "'fp16')"},
      {"name: l\nengine: lut_gemv\nformat: int4\naccumulate: fp32\n",
       "a.yaml:4: accumulate: engine 'lut_gemv' accumulates in 'int' only (got 'fp32')"},
      {w + "acc_bits: 64\nform: signed\n",
       "a.yaml:4: acc_bits: must be 2..63 with form: signed (A is acc_bits + 1 bits wide), got 64"},
      {w + "pe: mac\n", "a.yaml:4: pe: engine 'lut_gemv' has no PE; remove the key"},
      {w + "lmul_offset: const4\n",
       "a.yaml:4: lmul_offset: engine 'lut_gemv' has no PE; remove the key"},
      {w + "rows: 4\n",
       "a.yaml:4: rows: engine 'lut_gemv' takes no key 'rows' (no dimension keys: the arrays are "
       "sized by `arrays` and `array` (docs/lut-gemv.md))"},
      {w + "dataflow: os\n", "a.yaml:4: dataflow: engine 'lut_gemv' has no dataflow 'os' (choose: "
                             "lut)"},
      // lut_gemv keys on another engine, and int1 on a PE
      {"name: s\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\ngroup: 4\n",
       "a.yaml:6: group: engine 'systolic' takes no key 'group' (a key of engine 'lut_gemv')"},
      {"name: s\nengine: cube\nrows: 2\ncols: 2\ndepth: 2\narray: {rows: 4}\n",
       "a.yaml:6: array: engine 'cube' takes no key 'array' (a key of engine 'lut_gemv')"},
      {"name: s\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\nformat: int1\n",
       "a.yaml:6: format: PE 'mac' does not support format 'int1' (supports: int2, int3, int4, "
       "int5, int6, int7, int8, int9, int10, int11, int12, int13, int14, int15, int16, fp16, "
       "bf16, fp8_e4m3, fp8_e5m2, hif8, fp6_e3m2, fp6_e2m3, fp4_e2m1, mxfp8_e4m3, mxfp8_e5m2, "
       "mxfp6_e3m2, mxfp6_e2m3, mxfp4, mxint8, nvfp4, nf4)"},
  };
  for (const auto& [text, want] : cases) {
    INFO(text);
    CHECK(error_of(text) == want);
  }
}

TEST_CASE("lut_gemv closed form on hand-computed schedules", "[closed]") {
  // weight, subset, g = 2, int2 x int2, one array: e = 3, E = 85, S = 85 slots.
  // build: load ceil(2 x 1 x 2 / 256) = 1, walk 3 rows -> 4; lookups: 1 token x 2
  // planes = 2; flush 1; drain ceil(1 x 1 x 32 / 256) = 1: 8 cycles.
  ArchConfig a = parse_arch_text("name: l\nengine: lut_gemv\nformat: int2\ngroup: 2\narrays: 1\n");
  LutGemvParams p = lut_gemv_params(a);
  Rng rng(1);
  OperandMatrix A(1, 2), B(2, 1);
  A.at(0, 0) = 1;
  A.at(0, 1) = -2;
  B.at(0, 0) = -1;
  B.at(1, 0) = 1;
  const LutGemvCycles c = lut_gemv_cycles(p, A, 1);
  CHECK(c.build == 4);
  CHECK(c.lookup == 2);
  CHECK(c.flush == 1);
  CHECK(c.drain == 1);
  CHECK(c.total == 8);
  LutGemvCore core(p, A, B);
  CHECK(core.run() == 8);
  CHECK(core.C().at(0, 0) == -3);
  // signed, g = 3, build_init_cycles 3: walk = 3 + (4 - 1) = 6 per slot; stream 4 bits:
  // load ceil(3 x 2 x 2 / 4) = 3 per slot; 2 slots: 3 + 6 + 6 = 15
  a = parse_arch_text("name: l\nengine: lut_gemv\nformat: int2\ngroup: 3\nform: signed\narrays: "
                      "1\nbuild_init_cycles: 3\nstream_bits: 4\n");
  p = lut_gemv_params(a);
  CHECK(lut_weight_build_cycles(p, LutArith(p.arith), 2, 2) == 15);
  p.stream_bits = 1; // load 12 > walk 6: 12 + 6 + 12
  CHECK(lut_weight_build_cycles(p, LutArith(p.arith), 2, 2) == 30);
  // activation, g = 2, int2 weights (w = 2 planes), 2 tokens per row, 4 entries per cycle:
  // a row (2 x 2 entries) every cycle; 1rw1r: 1 + 3 x 2 + 1 = 8; 1rw: 3 + 6 + 1 = 10
  a = parse_arch_text("name: l\nengine: lut_gemv\nformat: int2\ngroup: 2\ntable: "
                      "activation\nform: signed\narrays: 1\nbuilder_entries_per_cycle: 4\n");
  p = lut_gemv_params(a);
  const LutArith ar(p.arith);
  CHECK(lut_act_first_block_cycles(p, ar, 2, 3) == 8);
  p.dual_port = false;
  CHECK(lut_act_first_block_cycles(p, ar, 2, 3) == 10);
  p.dual_port = true;
  p.builder_entries_per_cycle = 1; // 4 cycles a row > 2 planes: 3 x 4 + 2 + 1
  CHECK(lut_act_first_block_cycles(p, ar, 2, 3) == 15);
}

TEST_CASE("lut_gemv savings: zero indexes and shared lookups", "[savings]") {
  ArchConfig a = parse_arch_text("name: l\nengine: lut_gemv\nformat: int4\ngroup: 2\narrays: "
                                 "1\nbatch: 4\nskip_zero_index: true\n");
  LutGemvParams p = lut_gemv_params(a);
  // all-zero activations: every index is 0, no lookup cycle is left
  OperandMatrix A(4, 6, 0), B(6, 3, 1);
  LutGemvCycles c = lut_gemv_cycles(p, A, 3);
  CHECK(c.lookup == 0);
  CHECK(c.reads == 0);
  CHECK(c.plain_total - c.total == 4 * 3 * 4); // 4 tokens x 3 groups x 4 planes
  CHECK(c.skip_total == c.total);
  LutGemvCore core(p, A, B);
  CHECK(core.run() == c.total);
  CHECK(core.C().at(3, 2) == 0);
  // four equal tokens with sharing: one read per (group, plane) instead of four
  Rng rng(5);
  OperandMatrix X = operands(1, 6, 4, rng), Y(4, 6);
  for (int64_t m = 0; m < 4; ++m)
    for (int64_t k = 0; k < 6; ++k)
      Y.at(m, k) = X.at(0, k);
  p.skip_zero_index = false;
  p.batch_shared_lookup = true;
  c = lut_gemv_cycles(p, Y, 3);
  CHECK(c.lookup == 3 * 4);
  CHECK(c.plain_total - c.total == 3 * 3 * 4);
  CHECK(c.share_total == c.total);
  const OperandMatrix W = operands(6, 3, 4, rng);
  LutGemvCore shared(p, Y, W);
  CHECK(shared.run() == c.total);
  CHECK(shared.C().data == golden_gemm(Y, W, 32).data);
}

TEST_CASE("lut_gemv stepped model = golden GEMM = lut_gemm, cycles = closed form", "[model]") {
  const uint64_t seed = test_seed("lut_gemv model", 20261201);
  Rng rng(seed);
  int runs = 0, refused = 0;
  int seen[2][2][2][2][2] = {}; // table, form, code, skip, share
  while (runs < 400) {
    const bool weight = rng.uniform(0, 1) == 0, subset = rng.uniform(0, 1) == 0;
    const int g = static_cast<int>(rng.uniform(1, 6));
    const int wb = static_cast<int>(rng.uniform(1, 8));
    const int ab = static_cast<int>(rng.uniform(1, rng.uniform(0, 3) == 0 ? 16 : 8));
    const int vb = weight ? wb : ab;
    const int e = vb + (g > 1 ? (g > 2 ? (g > 4 ? 3 : 2) : 1) : 0); // + ceil(log2 g)
    const int R = subset ? (1 << g) - 1 : 1 << (g - 1);
    const int acc = rng.uniform(0, 2) == 0 ? static_cast<int>(rng.uniform(2, 20)) : 40;
    const bool skip = weight && subset && rng.uniform(0, 1) == 0;
    const bool share = weight && rng.uniform(0, 1) == 0;
    const bool code_offset = rng.uniform(0, 1) == 0;
    std::string y =
        "name: r\nengine: lut_gemv\ntable: " + std::string(weight ? "weight" : "activation") +
        "\nform: " + (subset ? "subset" : "signed") + "\ngroup: " + std::to_string(g) +
        "\nindex_code: " + (code_offset ? "offset" : "twos") + "\nformat: {act: int" +
        std::to_string(ab) + ", weight: int" + std::to_string(wb) +
        "}\nacc_bits: " + std::to_string(acc) + "\narrays: " + std::to_string(rng.uniform(1, 4)) +
        "\nout_bits: " + std::to_string(rng.uniform(1, 128)) + "\n";
    const int mt = static_cast<int>(rng.uniform(1, 3));
    const int rows = weight ? static_cast<int>(R * rng.uniform(1, 3) + rng.uniform(0, R - 1))
                            : static_cast<int>(rng.uniform(1, 4));
    const int cols = weight ? static_cast<int>(e * rng.uniform(1, 4) + rng.uniform(0, e - 1))
                            : mt * R * e + static_cast<int>(rng.uniform(0, e));
    y += "array: {rows: " + std::to_string(rows) + ", cols: " + std::to_string(cols) +
         ", ports: " + (rng.uniform(0, 1) ? "1rw1r" : "1rw") +
         ", read_latency: " + std::to_string(rng.uniform(1, 3)) + "}\n";
    if (weight) {
      y += "batch: " + std::to_string(rng.uniform(1, 5)) +
           "\nstream_bits: " + std::to_string(rng.uniform(1, 64)) +
           "\nskip_zero_index: " + (skip ? "true" : "false") +
           "\nbatch_shared_lookup: " + (share ? "true" : "false") + "\n";
      if (!subset) y += "build_init_cycles: " + std::to_string(rng.uniform(1, g)) + "\n";
    } else {
      y += "tokens_per_pass: " + std::to_string(mt) +
           "\nlanes: " + std::to_string(rng.uniform(1, 5)) +
           "\nbuilder_entries_per_cycle: " + std::to_string(rng.uniform(1, 8)) + "\n";
    }
    ArchConfig a;
    try {
      a = parse_arch_text(y, "r.yaml");
    } catch (const InputError& err) {
      ++refused; // e.g. acc_bits too narrow for the signed form's table
      continue;
    }
    const LutGemvParams p = lut_gemv_params(a);
    const int64_t M = rng.uniform(1, 9), K = rng.uniform(1, 20), N = rng.uniform(1, 9);
    // sparse activations now and then, so that zero indexes and repeats occur
    OperandMatrix A = operands(M, K, ab, rng);
    if (rng.uniform(0, 1))
      for (auto& x : A.data)
        if (rng.uniform(0, 2) != 0) x = 0;
    const OperandMatrix B = operands(K, N, wb, rng);
    INFO(y << "M " << M << " K " << K << " N " << N << " (seed " << seed << ", run " << runs
           << ")");
    const LutGemvCycles c = lut_gemv_cycles(p, A, N);
    LutGemvCore core(p, A, B);
    REQUIRE(core.run() == c.total);
    CHECK(core.row_reads() == c.reads);
    CHECK(core.row_writes() == c.table_writes);
    const ResultMatrix want = golden_gemm(A, B, acc);
    REQUIRE(core.C().data == want.data);
    const LutArith arith(p.arith);
    const LutGemvGeometry geo = lut_gemv_geometry(p, arith, M, K, N);
    CHECK(lut_gemm(A, B, arith, geo.slots).data == want.data);
    CHECK(c.plain_total >= c.total);
    // utilization <= 1, except with skip_zero_index, whose skipped lookups take no cycle
    if (!skip) CHECK(double(M * N * K) <= lut_gemv_peak_macs(p) * double(c.total));
    CHECK(c.skip_total <= c.plain_total);
    ++seen[weight][subset][code_offset][skip][share];
    ++runs;
  }
  std::cerr << "lut_gemv model: " << runs << " configurations, " << refused << " refused\n";
  // every orientation x form x code ran, and each saving alone and together
  for (int t = 0; t < 2; ++t)
    for (int f = 0; f < 2; ++f)
      for (int k = 0; k < 2; ++k)
        CHECK(seen[t][f][k][0][0] > 0);
  CHECK(seen[1][1][0][1][0] + seen[1][1][1][1][0] > 0);
  CHECK(seen[1][1][0][0][1] + seen[1][0][1][0][1] > 0);
  CHECK(seen[1][1][0][1][1] + seen[1][1][1][1][1] > 0);
}

TEST_CASE("tpe sim and tpe gemm run lut_gemv and the Verilog flow refuses an uncovered design",
          "[cli]") {
  const std::string cfg = kSrc + "/configs/lut_gemv_w4a8.yaml";
  auto r =
      run_tpe("sim --arch " + cfg + " --workload " + kSrc + "/workloads/tiny_gemm.csv --seed 3");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(r.out.find("g0                             37       53       29           2") !=
        std::string::npos);
  CHECK(r.out.find("values") != std::string::npos);
  // LLaMA-2-7B decode: the small layers stepped, the projections analytic
  r = run_tpe("sim --arch " + cfg + " --workload " + kSrc +
              "/workloads/llama2_7b_decode.csv --seed 1");
  CHECK(r.status == 0);
  CHECK(r.out.find("gate_proj                       1    11008     4096") != std::string::npos);
  CHECK(r.out.find("analytic") != std::string::npos);
  const std::string d = tpe::test::scratch_dir("lut_gemv", "cli");
  // the savings of each option alone, per layer (JSON) and over the workload (table)
  r = run_tpe("sim --arch " + cfg + " --workload " + kSrc +
              "/workloads/tiny_gemm.csv --seed 3 --operands normal:20 --json " + d + "/s.json");
  CHECK(r.status == 0);
  CHECK(r.out.find("lut_gemv savings (each alone, vs ") != std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(read_file(d + "/s.json"));
  for (const auto& l : j["layers"]) {
    INFO(l.dump());
    const auto& s = l["lut_gemv"];
    CHECK(s["cycles_without_savings"].get<int64_t>() == l["cycles"].get<int64_t>());
    CHECK(s["cycles_skip_zero_index_only"].get<int64_t>() <
          s["cycles_without_savings"].get<int64_t>());
    // one token (g2: M = 1) has nothing to share
    CHECK((s["cycles_batch_shared_lookup_only"].get<int64_t>() <
           s["cycles_without_savings"].get<int64_t>()) == (l["M"].get<int64_t>() > 1));
  }
  // the activation orientation has neither saving: no savings line, no JSON object
  tpe::test::write_text(d + "/act.yaml", kBase + "table: activation\nform: signed\n");
  r = run_tpe("sim --arch " + d + "/act.yaml --workload " + kSrc +
              "/workloads/tiny_gemm.csv --seed 3 --json " + d + "/act.json");
  CHECK(r.status == 0);
  CHECK(r.out.find("lut_gemv savings") == std::string::npos);
  CHECK(!nlohmann::json::parse(read_file(d + "/act.json"))["layers"][0].contains("lut_gemv"));
  tpe::test::write_text(d + "/a.csv", "1,-2,3\n0,1.4,-8\n");
  tpe::test::write_text(d + "/b.csv", "1,2\n-1,0\n7,-8\n");
  r = run_tpe("gemm --arch " + cfg + " --a " + d + "/a.csv --b " + d + "/b.csv");
  INFO(r.out);
  CHECK(r.status == 0);
  // C = [[1*1-2*-1+3*7, 1*2+3*-8], [0-1-56, 0+0+64]]
  CHECK(r.out.find("0,0,0x00000018,24,24,0") != std::string::npos);
  CHECK(r.out.find("0,1,0xffffffea,-22,-22,0") != std::string::npos);
  CHECK(r.out.find("1,0,0xffffffc7,-57,") != std::string::npos);
  CHECK(r.out.find("1,1,0x00000040,64,64,0") != std::string::npos);
  CHECK(r.out.find("mean relative error ") != std::string::npos);
  CHECK(r.out.find(", SQNR ") != std::string::npos);
  // --encoded: the reference is the value each code stands for (int8 code 255 is -1)
  tpe::test::write_text(d + "/ae.csv", "255,1\n");
  tpe::test::write_text(d + "/be.csv", "1\n1\n");
  r = run_tpe("gemm --arch " + cfg + " --a " + d + "/ae.csv --b " + d + "/be.csv --encoded");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(r.out.find("0,0,0x00000000,0,0,0\n") != std::string::npos);
  CHECK(r.out.find("max abs error 0,") != std::string::npos);
  // every command of the Verilog flow refuses a design the generator does not cover, at
  // its key's line
  tpe::test::write_text(d + "/narrow.yaml", "name: n\nengine: lut_gemv\narrays: 1\n"
                                            "format: {act: int2, weight: int4}\nacc_bits: 6\n");
  const std::string gap = "narrow.yaml:5: acc_bits: the Verilog needs accumulators wider than "
                          "entry_bits (`tpe ";
  const std::string narrow = " --arch " + d + "/narrow.yaml";
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"gen" + narrow + " --out " + d + "/rtl", "gen"},
      {"verify" + narrow + " --gemm 3x4x5", "verify"},
      {"synth" + narrow, "synth"},
      {"power" + narrow + " --gemm 3x4x5", "power"},
      {"calibrate" + narrow + " --out " + d + "/c.json", "calibrate"},
      {"compare" + narrow, "compare"},
      {"gemm" + narrow + " --rtl --a " + d + "/a.csv --b " + d + "/b.csv", "gemm --rtl"}};
  for (const auto& [c, cmd] : refused) {
    r = run_tpe(c);
    const std::string want = gap + cmd + "` needs the generated Verilog; `tpe sim` runs the model)";
    INFO(c << ": " << r.out);
    CHECK(r.status == 2);
    CHECK(r.out.find(want) != std::string::npos);
  }
}

TEST_CASE("tpe gen and tpe verify run lut_gemv", "[cli][rtl]") {
  const std::string d = tpe::test::scratch_dir("lut_gemv", "gen_verify");
  // one small array; K = 13 is not a multiple of g = 4, M = 5 not of batch = 2
  tpe::test::write_text(d + "/s.yaml", "name: lut_small\nengine: lut_gemv\narrays: 1\n"
                                       "format: {act: int6, weight: int3}\nacc_bits: 24\n"
                                       "array: {rows: 32, cols: 24}\nbatch: 2\n"
                                       "skip_zero_index: true\nbatch_shared_lookup: true\n");
  auto r = run_tpe("gen --arch " + d + "/s.yaml --out " + d + "/rtl");
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("gen: wrote 4 files to " + d + "/rtl (top module tpe_lut_small)") !=
        std::string::npos);
  CHECK(read_file(d + "/rtl/filelist.f") ==
        "tpe_lut_small_lut_sram.v\ntpe_lut_small_arr.v\ntpe_lut_small.v\n");
  r = run_tpe("verify --arch " + d +
              "/s.yaml --gemm 5x13x7 --trials 2 --seed 11 --operands "
              "student_t:3");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(r.out.find("verify: [2/2] gemm_5x13x7 (5x13x7, trial 2): ") != std::string::npos);
  CHECK(r.out.find(" row writes match") != std::string::npos);
  CHECK(r.out.find("verify: PASS lut_small (lut_gemv ") != std::string::npos);
  CHECK(r.out.find(": 2 runs, ") != std::string::npos);
  // tpe gemm --rtl: the user's matrices through model and RTL
  tpe::test::write_text(d + "/a.csv", "1,-2,3\n0,1.4,-8\n-32,31,7\n");
  tpe::test::write_text(d + "/b.csv", "1,2\n-1,0\n3,-4\n");
  r = run_tpe("gemm --arch " + d + "/s.yaml --rtl --a " + d + "/a.csv --b " + d + "/b.csv");
  INFO(r.out);
  CHECK(r.status == 0);
  // C[2] = [-32 - 31 + 21, -64 - 28]
  CHECK(r.out.find("2,0,0x") != std::string::npos);
  CHECK(r.out.find(",-42,-42,0\n") != std::string::npos);
  CHECK(r.out.find(",-92,-92,0\n") != std::string::npos);
  CHECK(r.out.find("; RTL bit- and cycle-exact with the model (") != std::string::npos);
  // the checker is not blind: the generated Verilog with the MSB plane's sign flipped,
  // given as the design under test, fails
  std::string v = read_file(d + "/rtl/tpe_lut_small_arr.v"); // the array unit's lanes
  const std::string from = "? accv - term", to = "? accv + term";
  REQUIRE(v.find(from) != std::string::npos);
  v.replace(v.find(from), from.size(), to);
  tpe::test::write_text(d + "/rtl/tpe_lut_small_arr.v", v);
  r = run_tpe("verify --arch " + d + "/s.yaml --gemm 5x13x7 --seed 11 --rtl " + d + "/rtl");
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK(r.out.find("verify: FAIL lut_small: gemm_5x13x7 (5x13x7, trial 1): ") != std::string::npos);
  // waveforms of this engine are not there yet: refused before any work
  r = run_tpe("verify --arch " + d + "/s.yaml --gemm 5x13x7 --vcd " + d + "/w");
  CHECK(r.status == 2);
  CHECK(r.out.find("--vcd: waveforms of engine lut_gemv are not available yet") !=
        std::string::npos);
  CHECK(r.out.find("verify: RTL") == std::string::npos);
}

TEST_CASE("lut_gemv stepped runs are bounded by the elements they hold", "[limits]") {
  const ArchConfig a = parse_arch_text(kBase + "arrays: 4\nbatch: 8\n", "a.yaml");
  const LutGemvParams p = lut_gemv_params(a);
  const LutArith arith(p.arith);
  // 8 x 64 x 100: G = 16 groups in one slot block (S = 17), E = 42, three output
  // blocks on three arrays: 3 x (16 x 15 x 42 + 8 x 42)
  const LutGemvGeometry g = lut_gemv_geometry(p, arith, 8, 64, 100);
  CHECK(g.tiles() == 3);
  CHECK(count_to_int64(lut_gemv_model_elements(p, g, 8, 100), "") == 3 * (16 * 15 * 42 + 8 * 42));
  const Layer l = parse_gemm_spec("8x64x100");
  RunOptions o;
  o.mode = SimMode::Auto;
  CHECK(run_layer(a, l, o).mode == SimMode::Values);
  // operands and results (8 x 64 + 64 x 100 + 8 x 100 = 7712) fit, the tables do not
  o.auto_values_max_elements = 20000;
  const LayerResult r = run_layer(a, l, o);
  CHECK(r.mode == SimMode::Analytic);
  o.mode = SimMode::Values;
  o.values_max_elements = 20000;
  CHECK_THROWS_WITH(run_layer(a, l, o),
                    Catch::Contains("values mode would hold 38960 operand, table, accumulator "
                                    "and result elements (limit 20000); use --mode analytic"));
  o.mode = SimMode::Analytic;
  CHECK(run_layer(a, l, o).cycles == r.cycles);
}

TEST_CASE("lut_gemv L0: every 2-bit 1x2x1 GEMM at g = 2, every orientation, form and code",
          "[L0]") {
  int runs = 0;
  for (const char* table : {"weight", "activation"})
    for (const char* form : {"subset", "signed"})
      for (const char* code : {"twos", "offset"})
        for (int saving = 0; saving < 4; ++saving) { // none, skip, share, both
          const bool weight = std::string(table) == "weight",
                     subset = std::string(form) == "subset";
          const bool skip = saving & 1, share = saving & 2;
          if ((skip && !(weight && subset)) || (share && !weight)) continue;
          const ArchConfig a = parse_arch_text(
              std::string("name: l0\nengine: lut_gemv\nformat: int2\ngroup: 2\narrays: 1\n") +
                  "table: " + table + "\nform: " + form + "\nindex_code: " + code + "\n" +
                  (skip ? "skip_zero_index: true\n" : "") +
                  (share ? "batch_shared_lookup: true\n" : ""),
              "l0.yaml");
          const LutGemvParams p = lut_gemv_params(a);
          for (int x = 0; x < 256; ++x) {
            OperandMatrix A(1, 2), B(2, 1);
            A.at(0, 0) = (x & 3) - 2;
            A.at(0, 1) = ((x >> 2) & 3) - 2;
            B.at(0, 0) = ((x >> 4) & 3) - 2;
            B.at(1, 0) = ((x >> 6) & 3) - 2;
            INFO(table << " " << form << " " << code << " saving " << saving << " x " << x);
            LutGemvCore core(p, A, B);
            CHECK(core.run() == lut_gemv_cycles(p, A, 1).total);
            CHECK(core.C().at(0, 0) == A.at(0, 0) * B.at(0, 0) + A.at(0, 1) * B.at(1, 0));
            ++runs;
          }
        }
  // weight: subset 2 codes x 4 savings, signed 2 codes x 2; activation: 2 forms x 2 codes
  CHECK(runs == 256 * (8 + 4 + 4));
}
