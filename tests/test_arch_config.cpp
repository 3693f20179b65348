// Architecture-file parsing: defaults, and one clear FILE:LINE: key: error for
// every kind of bad input.
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "pe_models/formats.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>

using namespace tpe;

namespace {
const char* kGood = R"(name: sa
engine: systolic
rows: 3
cols: 5
dataflow: ws
)";

std::string error_of(const std::string& text) {
  return test::arch_error_of(text, "a.yaml");
}
} // namespace

TEST_CASE("a minimal architecture file gets documented defaults") {
  const ArchConfig a = parse_arch_text(kGood, "a.yaml");
  CHECK(a.rows == 3);
  CHECK(a.cols == 5);
  CHECK(a.dataflow == "ws");
  CHECK(a.pe == "mac");
  CHECK(a.format == "int8");
  CHECK(a.acc_bits == 32);
  CHECK(a.operand_bits() == 8);
  CHECK(a.memory.model == "ideal");
  CHECK(a.memory.ifmap_sram_kb == 64);
}

TEST_CASE("every shipped architecture file parses") {
  int n = 0;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(std::string(TPE_SOURCE_DIR) + "/configs")) {
    if (e.path().extension() != ".yaml") continue;
    INFO(e.path().string());
    CHECK_NOTHROW(parse_arch_file(e.path().string()));
    ++n;
  }
  CHECK(n >= 34); // 14 in configs/, 20 in configs/pe/
}

TEST_CASE("bad architecture files give FILE:LINE: key: problem") {
  const std::string base = kGood;
  CHECK(error_of(base + "colour: red\n") ==
        "a.yaml:6: colour: unknown key (known keys: name, engine, rows, cols, "
        "depth, dataflow, pe, format, accumulate, acc_bits, lmul_offset, clock_mhz, memory)");
  CHECK(error_of("name: sa\nengine: systolic\nrows: x\ncols: 5\ndataflow: os\n") ==
        "a.yaml:3: rows: expected an integer, got 'x'");
  CHECK(error_of("name: sa\nengine: systolic\nrows: 0\ncols: 5\ndataflow: os\n") ==
        "a.yaml:3: rows: value 0 out of range 1..256");
  CHECK(error_of("name: sa\nengine: systolic\nrows: 4\ncols: 257\ndataflow: os\n") ==
        "a.yaml:4: cols: value 257 out of range 1..256");
  CHECK(error_of("name: sa\nengine: systolic\nrows: 4\ndataflow: os\n") ==
        "a.yaml:2: cols: engine 'systolic' needs key 'cols' (rows and cols: the PE grid)");
  CHECK(error_of("name: sa\nengine: systolic\nrows: 4\ncols: 4\ndataflow: rs\n") ==
        "a.yaml:5: dataflow: engine 'systolic' has no dataflow 'rs' (choose: os, ws, is)");
  CHECK(error_of(base + "format: fp64\n") ==
        "a.yaml:6: format: unknown format 'fp64' (implemented: " +
            FormatRegistry::instance().joined_names() + ")");
  CHECK(error_of(base + "pe: laconic\n") ==
        "a.yaml:6: pe: unknown PE 'laconic' (implemented: array, bitserial, booth, ent, lmul, mac, "
        "opt1, opt3, opt4c, pragmatic)");
  CHECK(error_of(base + "pe: opt1\nacc_bits: 8\n") ==
        "a.yaml:7: acc_bits: PE 'opt1' needs an accumulator wider than its 8-bit operands");
  CHECK(error_of("name: sa\nengine: hexagon\nrows: 4\ncols: 4\ndataflow: os\n") ==
        "a.yaml:2: engine: unknown engine 'hexagon' (implemented: adder_tree, cube, lut_gemv, "
        "matrix2d, systolic)");
  CHECK(error_of(base + "acc_bits: 65\n") == "a.yaml:6: acc_bits: value 65 out of range 2..64");
  CHECK(error_of(base + "clock_mhz: fast\n") ==
        "a.yaml:6: clock_mhz: expected a number, got 'fast'");
  CHECK(error_of(base + "memory:\n  ifmap_sram_kb: 0\n") ==
        "a.yaml:7: memory.ifmap_sram_kb: value 0 out of range 1..1048576");
  CHECK(error_of(base + "memory:\n  banks: 4\n") ==
        "a.yaml:7: memory.banks: unknown key (known keys: model, dram, dram_latency_ns, "
        "dram_burst_bytes, dram_pj_per_bit, double_buffer, ifmap_sram_kb, filter_sram_kb, "
        "ofmap_sram_kb, dram_bytes_per_cycle)");
  CHECK(error_of(base + "memory:\n  model: banked\n") ==
        "a.yaml:7: memory.model: unknown memory model 'banked' (choose: ideal, dram)");
  CHECK(error_of(base + "memory: 5\n") == "a.yaml:6: memory: expected a mapping");
  CHECK(error_of(base + "rows: 4\n") == "a.yaml:6: rows: duplicate key");
  CHECK(error_of(base + "name: [a, b]\n").find("a.yaml:6: name: ") == 0);
  CHECK(error_of("name: sa\n  rows: : :\n").find("a.yaml:2: YAML syntax error") == 0);
  CHECK(error_of("") == "a.yaml:1: the architecture file is empty (expected a mapping)");
  CHECK(error_of("- 1\n- 2\n") == "a.yaml:1: expected a mapping of keys at the top level");
  CHECK(error_of("name: 'a b'\nengine: systolic\nrows: 4\ncols: 4\ndataflow: os\n") ==
        "a.yaml:1: name: 'a b' may hold only letters, digits, '_', '-' and '.'");
}

TEST_CASE("format sets both operands or act and weight apart: accumulate names the accumulator") {
  const std::string base = kGood;
  const ArchConfig a = parse_arch_text(base + "format: {act: int4, weight: int4}\n", "a.yaml");
  CHECK(a.format == "int4"); // one format for both: the shorthand
  CHECK(a.act_format.empty());
  CHECK(a.act() == "int4");
  CHECK(a.weight() == "int4");
  CHECK(a.operand_bits() == 4);
  CHECK(a.accumulate == "int");
  const ArchConfig b = parse_arch_text(base + "format: int16\naccumulate: int\n", "a.yaml");
  CHECK(b.act() == "int16");
  CHECK(b.weight() == "int16");
  // PE mac takes act and weight of two widths; each array edge carries its operand's
  const ArchConfig m = parse_arch_text(base + "format:\n  act: int4\n  weight: int8\n", "a.yaml");
  CHECK(m.act() == "int4");
  CHECK(m.weight() == "int8");
  CHECK(m.west_format() == "int4");
  CHECK(m.west_bits() == 4);
  CHECK(m.north_bits() == 8);
  CHECK_THROWS_AS(m.operand_bits(), std::logic_error);
  ArchConfig is = m;
  is.dataflow = "is"; // B (the weights) enters at the west edge
  CHECK(is.west_format() == "int8");
  CHECK(is.west_bits() == 8);
  CHECK(is.north_bits() == 4);
  CHECK(error_of(base + "pe: booth\nformat:\n  act: int4\n  weight: int8\n") ==
        "a.yaml:9: format.weight: PE 'booth' takes act and weight in one format (got act int4, "
        "weight int8)");
  CHECK(error_of(base + "format:\n  act: int5x\n  weight: int8\n") ==
        "a.yaml:7: format.act: unknown format 'int5x' (implemented: " +
            FormatRegistry::instance().joined_names() + ")");
  CHECK(error_of(base + "format:\n  act: int8\n") ==
        "a.yaml:7: format.weight: required key is missing");
  CHECK(error_of(base + "format:\n  act: int8\n  weight: int8\n  bias: int8\n") ==
        "a.yaml:9: format.bias: unknown key (known keys: act, weight)");
  CHECK(error_of(base + "format: [int8]\n") == "a.yaml:6: format: expected a string or mapping");
  CHECK(error_of(base + "accumulate: fp64\n") ==
        "a.yaml:6: accumulate: unknown accumulator 'fp64' (choose: int, fp32, fp16, bf16, fixed)");
  for (const char* acc : {"fp32", "fp16", "bf16", "fixed"}) {
    INFO(acc);
    const std::string err = error_of(base + "pe: booth\naccumulate: " + acc + "\n");
    // refused by every PE that does not implement it, naming the PE
    CHECK(err.find("a.yaml:7: accumulate: PE 'booth' does not implement accumulator '" +
                   std::string(acc) + "' (implements: ") == 0);
  }
}

TEST_CASE("a missing architecture file is an error naming it") {
  CHECK_THROWS_WITH(
      parse_arch_file("/nonexistent/x.yaml"),
      "/nonexistent/x.yaml: cannot open the architecture file: no such file or directory");
}

TEST_CASE("the README documents every architecture key") {
  const std::string readme = read_file(std::string(TPE_SOURCE_DIR) + "/README.md");
  for (const auto& d : arch_param_docs()) {
    INFO(d.key);
    CHECK(readme.find("| `" + d.key + "` | " + d.type + " | ") != std::string::npos);
  }
}

TEST_CASE("element formats and float accumulators on PEs mac and lmul (issue 13)") {
  const std::string base = kGood;
  // the default accumulator: int for integers, fp32 when an operand is a float
  CHECK(parse_arch_text(base + "format: int5\n", "a.yaml").accumulate == "int");
  const ArchConfig f = parse_arch_text(base + "format: fp8_e4m3\n", "a.yaml");
  CHECK(f.accumulate == "fp32");
  CHECK(f.acc_bits == 32);
  CHECK(f.operand_bits() == 8);
  CHECK(parse_arch_text(base + "format: bf16\naccumulate: fp16\n", "a.yaml").acc_bits == 16);
  CHECK(parse_arch_text(base + "format: int8\naccumulate: bf16\n", "a.yaml").acc_bits == 16);
  // fixed: E4M3 products span 2^-18..2^18: 36 + 1 sign + 16 guard bits, + 3 flags
  CHECK(parse_arch_text(base + "format: fp8_e4m3\naccumulate: fixed\n", "a.yaml").acc_bits == 56);
  const ArchConfig m =
      parse_arch_text(base + "format: {act: fp8_e5m2, weight: fp8_e4m3}\n", "a.yaml");
  CHECK(m.act() == "fp8_e5m2");
  CHECK(m.weight() == "fp8_e4m3");
  CHECK(m.accumulate == "fp32");
  const ArchConfig l =
      parse_arch_text(base + "pe: lmul\nformat: bf16\nlmul_offset: const4\n", "a.yaml");
  CHECK(l.lmul_offset == "const4");
  CHECK(parse_arch_text(base + "pe: lmul\nformat: fp16\n", "a.yaml").lmul_offset == "paper");
  const std::string cube = "name: c\nengine: cube\nrows: 2\ncols: 2\ndepth: 4\n";
  CHECK(parse_arch_text(cube + "format: fp8_e4m3\n", "a.yaml").depth == 4);
  CHECK(parse_arch_text(cube + "format: {act: fp8_e5m2, weight: fp8_e4m3}\n", "a.yaml").depth == 4);

  // refusals, one line each
  CHECK(error_of(base + "format: fp8_e4m3\naccumulate: int\n") ==
        "a.yaml:7: accumulate: accumulator 'int' takes integer formats only (got act fp8_e4m3, "
        "weight fp8_e4m3); choose fp32, fp16, bf16 or fixed");
  CHECK(parse_arch_text(base + "format: mxfp4\n", "a.yaml").act() == "mxfp4");
  CHECK(parse_arch_text(base + "format:\n  act: fp4_e2m1\n  weight: nvfp4\n", "a.yaml").weight() ==
        "nvfp4");
  CHECK(parse_arch_text("name: t\nengine: adder_tree\ncols: 2\ndepth: 4\nformat: mxfp4\n", "a.yaml")
            .act() == "mxfp4");
  CHECK(parse_arch_text("name: sa\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\nformat: "
                        "mxfp4\n",
                        "a.yaml")
            .acc_bits == 32);
  const ArchConfig w = parse_arch_text(base + "format: {act: int8, weight: fp16}\n", "a.yaml");
  CHECK(w.accumulate == "fp32"); // an operand is a float
  CHECK(w.north_bits() == 16);
  CHECK(error_of(base + "format: fp8_e4m3\nacc_bits: 32\n") ==
        "a.yaml:7: acc_bits: is derived from accumulate 'fp32' (32 bits); remove the key");
  CHECK(error_of(base + "format: bf16\naccumulate: fixed\n") ==
        "a.yaml:7: accumulate: the fixed accumulator of bf16 x bf16: the exact sum would need "
        "539 bits (more than 128); choose fp32, fp16 or bf16");
  CHECK(error_of(base + "format: fp8_e5m2\naccumulate: fixed\n") ==
        "a.yaml:7: accumulate: the fixed accumulator of fp8_e5m2 x fp8_e5m2 needs 84 bits of "
        "state (more than 64)");
  CHECK(error_of(base + "pe: lmul\nformat: int8\n") ==
        "a.yaml:7: format: PE 'lmul' does not support format 'int8' (supports: fp8_e4m3, "
        "fp8_e5m2, bf16, fp16)");
  CHECK(error_of(base + "pe: lmul\nformat: {act: fp8_e4m3, weight: fp8_e5m2}\n") ==
        "a.yaml:7: format.weight: PE 'lmul' takes act and weight in one format (got act "
        "fp8_e4m3, weight fp8_e5m2)");
  CHECK(error_of(base + "pe: lmul\nformat: fp16\naccumulate: fixed\n") ==
        "a.yaml:8: accumulate: PE 'lmul' does not implement accumulator 'fixed' (implements: "
        "fp32, fp16, bf16)");
  CHECK(error_of(base + "lmul_offset: none\n") ==
        "a.yaml:6: lmul_offset: only PE 'lmul' takes this key (pe is 'mac')");
  CHECK(error_of(base + "lmul_offset: paper\n") ==
        "a.yaml:6: lmul_offset: only PE 'lmul' takes this key (pe is 'mac')");
  CHECK(error_of(base + "pe: lmul\nformat: bf16\nlmul_offset: foo\n") ==
        "a.yaml:8: lmul_offset: unknown L-Mul offset 'foo' (choose: paper, const4, none)");
  CHECK(error_of(base + "pe: booth\nformat: fp8_e4m3\n") ==
        "a.yaml:7: format: PE 'booth' does not support format 'fp8_e4m3' (supports: int4, int8, "
        "int16)");
  // exact group sums wider than 64 bits (up to kExactSumMaxWidth) are taken
  CHECK(parse_arch_text(cube + "format: fp16\n", "a.yaml").depth == 4);
  CHECK(parse_arch_text(cube + "format: fp8_e5m2\n", "a.yaml").depth == 4);
  CHECK(parse_arch_text("name: t\nengine: adder_tree\ncols: 2\ndepth: 64\nformat: fp16\n", "a.yaml")
            .depth == 64);
  CHECK(parse_arch_text("name: t\nengine: adder_tree\ncols: 2\ndepth: 2\nformat: hif8\n", "a.yaml")
            .depth == 2);
  CHECK(error_of(cube + "format: bf16\n") ==
        "a.yaml:5: depth: the exact sum of 4 bf16 x bf16 products needs 525 bits (the limit is "
        "120; a Kulisch-style register that wide is not built, see docs/formats-engines.md): "
        "engine 'cube' takes bf16 with depth 1 only");
  CHECK(error_of(cube + "format: {act: fp16, weight: bf16}\n")
            .find("a.yaml:5: depth: the exact sum of 4 fp16 x bf16 products needs ") == 0);
  CHECK(error_of(cube + "pe: lmul\nformat: fp8_e4m3\n") ==
        "a.yaml:5: depth: PE 'lmul' takes depth 1 only so far (got 4)");
  CHECK(parse_arch_text("name: t\nengine: adder_tree\ncols: 2\ndepth: 1\nformat: hif8\n", "a.yaml")
            .depth == 1);
  // validate_arch on a programmatic config: acc_bits must be the derived width
  ArchConfig v = f;
  v.source = "v.yaml";
  v.acc_bits = 16;
  CHECK_THROWS_WITH(validate_arch(v), "v.yaml: acc_bits: must be 32 for accumulate 'fp32'");
}
