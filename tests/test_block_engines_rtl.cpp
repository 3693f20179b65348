// Block-scaled formats on the systolic os engine, RTL side (issue 13 items 5, 6):
// the generated Verilog of every block format (and of mixed block x element
// designs) is lint-clean under verilator -Wall; one design synthesizes with yosys;
// `tpe verify`'s checker proves small Verilated arrays bit- and cycle-exact against
// the model (and the model against the golden GEMM) on odd shapes (K = 1, K < block,
// K = block, several blocks with a partial last one), special scales included
// (E8M0 NaN, 2^-127, 2^127); and it catches injected faults in the block-scale
// logic: a scale exponent off by one and a block-end flag one element late (L3).
// The grid engines (cube, matrix2d) with block % depth == 0: lint, verify, one
// fault in their block controller. The adder trees (block % depth == 0, the exact
// block partial kept beside the output word when a block spans several K-tiles):
// lint, verify on odd shapes (one-row folds: the bypass), faults in the scale,
// the block partial and the block controller. Systolic ws/is: lint, verify on 1x1,
// 2x2 and 3x2 arrays (blocks spanning K-tiles), faults in the scale, the block end
// and the block partial read back across K-tiles.
#include "core/atomic_file.h"
#include "core/operand_dist.h"
#include "core/process.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/number_format.h"
#include "rtl_gen/fp_pe_verilog.h"
#include "rtl_gen/systolic_verilog.h"
#include "test_helpers.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <tuple>
#include <unistd.h>

using namespace tpe;
using test::block_designs;
using test::gemm_layer;

namespace {

// The YAML lines of an R x C systolic engine of dataflow `df`.
std::string systolic(const std::string& df, int R, int C) {
  return "engine: systolic\nrows: " + std::to_string(R) + "\ncols: " + std::to_string(C) +
         "\ndataflow: " + df + "\n";
}

ArchConfig block_arch(const std::string& name, const std::string& fmt, const std::string& acc,
                      int R = 2, int C = 2, const std::string& df = "os") {
  return parse_arch_text("name: " + name + "\n" + systolic(df, R, C) + fmt +
                             "\naccumulate: " + acc + "\n",
                         name + ".yaml");
}

std::string write_rtl(const ArchConfig& a) {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/tpe_blk_" + a.name +
                          "_" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const GeneratedRtl g = generate_systolic_verilog(a, "test");
  for (auto& [f, t] : g.files)
    write_file_atomic(dir + "/" + f, t);
  return dir;
}

std::string verify_text(const ArchConfig& a, const std::vector<Layer>& gemms, uint64_t seed,
                        const RtlMutation& mut = {}) {
  VerifyOptions o;
  o.seed = seed;
  o.mutate = mut;
  std::ostringstream progress;
  const VerifyOutcome r = verify_systolic(a, gemms, o, progress);
  return r.pass ? "" : r.failure;
}

// verilator --lint-only -Wall on the generated Verilog of `a`: clean
void check_lint_clean(const ArchConfig& a) {
  const std::string dir = write_rtl(a);
  test::check_verilator_lint(dir, "tpe_" + a.name);
  std::filesystem::remove_all(dir);
}

// Replace the first `from` in file `file` of the generated RTL by `to`.
RtlMutation replace_in(const std::string& file, const std::string& from, const std::string& to) {
  return [=](GeneratedRtl& g) {
    std::string& t = g.files.at(file);
    const size_t at = t.find(from);
    REQUIRE(at != std::string::npos);
    t.replace(at, from.size(), to);
  };
}

} // namespace

TEST_CASE("block-format Verilog is lint-clean under verilator -Wall") {
  int n = 0;
  for (const auto& [fmt, acc] : block_designs()) {
    const ArchConfig a = block_arch("bl" + std::to_string(n++), fmt, acc, 2, 3);
    INFO(fmt << " " << acc);
    check_lint_clean(a);
  }
}

TEST_CASE("block-format Verilog: the modules and the scale SRAM ports") {
  const GeneratedRtl mx = generate_systolic_verilog(block_arch("bm", "format: mxfp4", "fp32"), "t");
  for (const char* m :
       {"_bterm.v", "_bgsum.v", "_bscale.v", "_bsprod.v", "_bprod.v", "_dec_e8m0.v"})
    CHECK(mx.files.count(std::string("tpe_bm") + m) == 1);
  const std::string& top = mx.files.at("tpe_bm.v");
  CHECK(top.find("ws_rd_data") != std::string::npos);
  CHECK(top.find("ns_rd_data") != std::string::npos);
  // an element-format act has no west scale SRAM
  const GeneratedRtl mix = generate_systolic_verilog(
      block_arch("bx", "format: {act: fp8_e4m3, weight: mxfp8_e4m3}", "fp32"), "t");
  CHECK(mix.files.at("tpe_bx.v").find("ws_rd_data") == std::string::npos);
  CHECK(mix.files.at("tpe_bx.v").find("ns_rd_data") != std::string::npos);
  // the description line names the operands' formats
  CHECK(top.find(", mxfp4 operands, 32-bit accumulators (act mxfp4, weight mxfp4,") !=
        std::string::npos);
  CHECK(mix.files.at("tpe_bx.v").find(", fp8_e4m3 x mxfp8_e4m3 operands, 32-bit accumulators") !=
        std::string::npos);
  CHECK(mix.files.at("tpe_bx.v").find("int8") == std::string::npos);
  const GeneratedRtl tree = generate_systolic_verilog(
      parse_arch_text("name: bxt\nengine: adder_tree\ncols: 2\ndepth: 4\n"
                      "format: {act: mxint8, weight: int8}\naccumulate: bf16\n"),
      "t");
  CHECK(tree.files.at("tpe_bxt.v").find(", mxint8 x int8 operands, 16-bit accumulators") !=
        std::string::npos);
  const FpPeArith nv = fp_pe_arith(block_arch("bn", "format: nvfp4", "fp32"));
  CHECK(nv.block == 16);
  CHECK(nv.west_scale->name == "fp8_e4m3");
  // e2m1 x e2m1 products: LSB 2^-2, |p| < 2^6; 16 of them: 8 + 1 sign + 4 guard bits
  CHECK(nv.block_spec.lsb_exp == -2);
  CHECK(nv.block_spec.width == 13);
}

TEST_CASE("a block-format engine synthesizes with yosys (1x1 os, mxfp4 into fp32)") {
  const ArchConfig a = block_arch("bsyn", "format: mxfp4", "fp32", 1, 1);
  const std::string dir = write_rtl(a);
  std::string reads;
  for (const auto& f : generate_systolic_verilog(a, "test").sources)
    reads += " " + f;
  const std::string log = dir + "/yosys.log";
  const int rc = run_process(
      {"yosys", "-q", "-p", "read_verilog" + reads + "; synth -top tpe_" + a.name + "; stat"}, dir,
      log);
  INFO(tail_file(log, 20));
  CHECK(rc == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("tpe verify's checker: block formats, Verilated RTL = model = golden on odd shapes") {
  const std::vector<Layer> shapes = {gemm_layer(1, 1, 1),  gemm_layer(3, 5, 2),
                                     gemm_layer(2, 16, 3), gemm_layer(3, 32, 3),
                                     gemm_layer(2, 33, 1), gemm_layer(3, 70, 5)};
  // four designs here; every block format in tests/full_block_engines_rtl.cpp
  CHECK(test::verify_designs(
            test::cross_designs({systolic("os", 2, 2)},
                                {{"format: mxfp8_e4m3", "fp32"},
                                 {"format: nvfp4", "fp32"},
                                 {"format: mxfp8_e5m2", "fp16"}, // a 70-bit exact block sum
                                 {"format: {act: fp8_e4m3, weight: mxfp8_e4m3}", "fp32"}}),
            shapes, "bv", 17, 0) == 4);
}

TEST_CASE("tpe verify's checker: block formats on the cube and matrix2d") {
  const std::vector<Layer> shapes = {gemm_layer(1, 1, 1), gemm_layer(3, 5, 2), gemm_layer(3, 33, 5),
                                     gemm_layer(2, 70, 3)};
  int n = 0;
  for (const auto& [eng, fmt, acc] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"engine: cube\nrows: 2\ncols: 3\ndepth: 4\n", "format: mxfp8_e4m3", "fp32"},
           {"engine: cube\nrows: 2\ncols: 2\ndepth: 8\n", "format: nvfp4", "fp16"},
           {"engine: matrix2d\nrows: 2\ncols: 2\n", "format: {act: mxint8, weight: int8}",
            "bf16"}}) {
    const std::string name = "bg" + std::to_string(n++);
    const ArchConfig a = parse_arch_text(
        "name: " + name + "\n" + eng + fmt + "\naccumulate: " + acc + "\n", "g.yaml");
    INFO(eng << fmt << " " << acc);
    check_lint_clean(a);
    CHECK(verify_text(a, shapes, 23) == "");
    if (n == 1) // L3: the block position off after the first block (block ends misplaced)
      CHECK(verify_text(a, {gemm_layer(2, 70, 3)}, 23,
                        replace_in("tpe_" + name + "_ctrl.v", "bpos <= bend ? 8'd0 : bpos + 8'd1;",
                                   "bpos <= bend ? 8'd1 : bpos + 8'd1;"))
                .find("RTL") != std::string::npos);
  }
}

TEST_CASE("block formats: special scales in the Verilated RTL (NaN, 2^-127, 2^127)") {
  const ArchConfig a = block_arch("bsp", "format: mxfp8_e4m3", "fp32");
  const RtlBinary bin = build_systolic_rtl(a, {}, {});
  const Layer l = gemm_layer(3, 70, 3);
  Rng rng(9);
  for (uint32_t special : {0xFFu, 0x00u, 0xFEu, 0x01u}) {
    INFO("scale code " << special);
    OperandMatrix A = fill_operands(l.M, l.K, a.act(), OperandDist{}, rng);
    OperandMatrix B = fill_operands(l.K, l.N, a.weight(), OperandDist{}, rng);
    attach_block_scales(A, a.act(), false, a.accumulate, rng);
    attach_block_scales(B, a.weight(), true, a.accumulate, rng);
    // the special scale on block 1 of row 0 of A and on block 2 of column 1 of B
    for (int64_t k = 32; k < 64; ++k)
      A.at(0, k) = (A.at(0, k) & 0xff) | int32_t(special << 8);
    for (int64_t k = 64; k < 70; ++k)
      B.at(k, 1) = (B.at(k, 1) & 0xff) | int32_t(special << 8);
    const ModelRun mr = run_model_on(a, l, A, B);
    CHECK(extract_result(mr.map, mr.out_memory).data == golden_gemm(A, B, a).data);
    const std::string dir =
        std::filesystem::temp_directory_path().string() + "/tpe_blk_sp_" + std::to_string(getpid());
    std::filesystem::create_directories(dir);
    const RtlTrace rt = run_rtl(bin, mr.map, mr.images, dir);
    CHECK(compare_traces(mr.map, mr.writes, mr.counts, mr.cycles, rt) == "");
    std::filesystem::remove_all(dir);
    if (special == 0xFF) { // row 0 of C is NaN (canonical fp32 NaN), C[1][1] too
      const ResultMatrix c = extract_result(mr.map, mr.out_memory);
      CHECK((uint64_t(c.at(0, 0)) & 0xffffffffu) == 0x7FC00000u);
      CHECK((uint64_t(c.at(1, 1)) & 0xffffffffu) == 0x7FC00000u);
    }
  }
}

TEST_CASE("the block-format check catches faults in the block-scale logic (L3)") {
  const ArchConfig a = block_arch("bl3", "format: mxfp8_e4m3", "fp32");
  const std::vector<Layer> shapes = {gemm_layer(3, 70, 3)};
  // the west scale exponent off by one (the scale code plus one: twice the scale)
  CHECK(verify_text(a, shapes, 3, replace_in("tpe_bl3_bscale.v", ".code(sa)", ".code(sa + 8'd1)"))
            .find("RTL") != std::string::npos);
  // the block-end flag one element late (on the next block's first element)
  CHECK(verify_text(a, shapes, 3,
                    replace_in("tpe_bl3_ctrl.v", "wire        bend = (bpos == {LB{1'b1}})",
                               "wire        bend = (bpos == {LB{1'b0}})"))
            .find("RTL") != std::string::npos);
  // the accumulator not restarting at +0 at the first block's end
  CHECK(verify_text(a, shapes, 3,
                    replace_in("tpe_bl3_pe.v", ".acc(f_in[1] ? {A{1'b0}} : acc)", ".acc(acc)"))
            .find("RTL") != std::string::npos);
}

TEST_CASE("tpe verify's checker: block formats on the adder trees") {
  // trees x depth 1x1, 2x2, 3x2 (blocks of 32, 8, 16 K-tiles: the exact partial
  // travels with the output word) and 1x16 with nvfp4 (every K-tile ends a block)
  const std::vector<Layer> shapes = {gemm_layer(1, 1, 1), gemm_layer(3, 5, 2), gemm_layer(1, 40, 3),
                                     gemm_layer(3, 33, 2), gemm_layer(7, 70, 5)};
  int n = 0;
  for (const auto& [eng, fmt, acc] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"cols: 1\ndepth: 1\n", "format: mxfp8_e4m3", "fp16"},
           {"cols: 2\ndepth: 2\n", "format: nvfp4", "fp32"},
           {"cols: 3\ndepth: 2\n", "format: {act: mxint8, weight: int8}", "bf16"},
           {"cols: 1\ndepth: 16\n", "format: {act: fp4_e2m1, weight: nvfp4}", "fp32"}}) {
    const std::string name = "bt" + std::to_string(n++);
    const ArchConfig a = parse_arch_text("name: " + name + "\nengine: adder_tree\n" + eng + fmt +
                                             "\naccumulate: " + acc + "\n",
                                         "t.yaml");
    INFO(eng << fmt << " " << acc);
    const GeneratedRtl g = generate_systolic_verilog(a, "t");
    CHECK((g.files.at("tpe_" + name + ".v").find("ob_rd_data") != std::string::npos) == (n < 4));
    CHECK((g.files.at("tpe_" + name + ".v").find("ws_rd_data") != std::string::npos) == (n < 4));
    check_lint_clean(a);
    CHECK(verify_text(a, shapes, 29) == "");
    if (n != 2) continue;
    // L3 on the 2x2 nvfp4 trees: the row's scale code plus one, the block partial
    // not carried to the next K-tile, the block position off after the first block
    const std::string acc_v = "tpe_" + name + "_accum.v", ctrl_v = "tpe_" + name + "_ctrl.v";
    for (const RtlMutation& m :
         {replace_in(acc_v, "u_bscale (.sa(sa),", "u_bscale (.sa(sa + 8'd1),"),
          replace_in(acc_v, "bp = bcont ?", "bp = 1'b0 ?"),
          replace_in(ctrl_v, "bpos <= bend ? 8'd0 : bpos + 8'd1;",
                     "bpos <= bend ? 8'd1 : bpos + 8'd1;")})
      CHECK(verify_text(a, {gemm_layer(3, 33, 2)}, 29, m).find("RTL") != std::string::npos);
  }
  CHECK(n == 4);
}

TEST_CASE("tpe verify's checker: block formats on systolic ws and is") {
  // K-tiles of 1..3 rows: blocks of 32 (16) span K-tiles, K not a multiple of the block
  const std::vector<Layer> shapes = {gemm_layer(1, 1, 1), gemm_layer(3, 33, 2),
                                     gemm_layer(7, 70, 5), gemm_layer(2, 16, 3)};
  CHECK(test::verify_designs(
            {{systolic("ws", 2, 2), "format: mxfp8_e4m3", "fp32"},
             {systolic("is", 3, 2), "format: nvfp4", "fp16"},
             {systolic("ws", 1, 1), "format: {act: fp4_e2m1, weight: nvfp4}", "bf16"},
             {systolic("is", 2, 2), "format: {act: mxint8, weight: int8}", "fp32"}},
            shapes, "bw", 29, 0, check_lint_clean) == 4);
}

TEST_CASE("the ws/is block-format check catches faults in the block-scale logic (L3)") {
  const ArchConfig a = block_arch("bw3", "format: mxfp8_e4m3", "fp32", 2, 2, "ws");
  const std::vector<Layer> shapes = {gemm_layer(3, 70, 3)};
  // the west scale exponent off by one
  CHECK(verify_text(a, shapes, 3, replace_in("tpe_bw3_bscale.v", ".code(sa)", ".code(sa + 8'd1)"))
            .find("RTL") != std::string::npos);
  // the block partial not restarting at 0 after a block's end
  CHECK(verify_text(a, shapes, 3,
                    replace_in("tpe_bw3_pe.v", "bend ? {{(AC-A){1'b0}}, acc_sum}",
                               "bend ? {bsum_new, acc_sum}"))
            .find("RTL") != std::string::npos);
  // the exact block partial not carried across K-tiles (blocks of 32 over 2 rows)
  CHECK(verify_text(a, shapes, 3,
                    replace_in("tpe_bw3.v", "{ob_rd_data[e*BS +: BS], o_rd_data[e*A +: A]}",
                               "{{BS{1'b0}}, o_rd_data[e*A +: A]}"))
            .find("RTL") != std::string::npos);
}
