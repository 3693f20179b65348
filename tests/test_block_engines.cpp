// Block-scaled formats (MX, NVFP4) on every engine: systolic os, ws and is, the grid
// engines and the adder trees (issue 13 item 3, docs/formats-engines.md
// "Block-scaled operands"): the SystemC model against the golden GEMM on odd shapes
// (K = 1, K < block, K a multiple of the block, several blocks with a partial last
// one, blocks spanning K-tiles) for every block format, accumulator and a mixed
// design; hand-computed fp16 results that hold only with one rounding per block and
// an exact scale; special scales (E8M0 NaN, 2^-127, 2^127); the scale SRAM traffic
// and the cycle count against the element-format design (os, trees) and the closed
// form (ws, is).
#include "core/arch_config.h"
#include "core/error.h"
#include "core/operand_dist.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/number_format.h"
#include "sim/array_core.h"
#include "sim/engine.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <tuple>

using namespace tpe;

namespace {

Layer gemm(int64_t M, int64_t K, int64_t N) {
  Layer l;
  l.name = std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N);
  l.M = M;
  l.K = K;
  l.N = N;
  return l;
}

ArchConfig os_arch(const std::string& fmt, const std::string& acc, int R = 3, int C = 2,
                   const std::string& df = "os") {
  return parse_arch_text("name: b\nengine: systolic\nrows: " + std::to_string(R) +
                             "\ncols: " + std::to_string(C) + "\ndataflow: " + df + "\n" + fmt +
                             "\naccumulate: " + acc + "\n",
                         "b.yaml");
}

struct CoreRun {
  ResultMatrix C;
  SystolicCounters cnt;
  int64_t steps = 0; // clock edges until done
};

CoreRun run_core(const ArchConfig& a, const OperandMatrix& A, const OperandMatrix& B) {
  const SystolicMapping m = map_systolic(a, gemm(A.rows, A.cols, B.cols));
  const SramImages img = make_images(m, A, B);
  const std::unique_ptr<ArrayCore> core = make_array_core(a, m);
  core->load(m, &img, true, false);
  core->start();
  int64_t steps = 0;
  for (; steps < 100000 && !core->done(); ++steps)
    core->step();
  REQUIRE(core->done());
  return {extract_result(m, core->out_memory()), core->counters(), steps};
}

// (scale << W) | code of value x in block format f with scale code s
int32_t op(const NumberFormat& f, double x, uint32_t s) {
  const uint32_t c = f.encode(x);
  REQUIRE(f.to_double(c) == x);
  return static_cast<int32_t>(c | (s << f.bits));
}

double f32v(int64_t w) {
  const uint32_t b = uint32_t(w);
  float v = 0;
  std::memcpy(&v, &b, sizeof v);
  return double(v);
}

double fp16(int64_t w) {
  return lookup_number_format("fp16").to_double(uint32_t(w) & 0xffff);
}

// run_layer in values mode (it throws on any model/golden difference) on every
// shape and operand distribution; returns the number of runs
int check_golden(const ArchConfig& a, const std::string& what, const std::vector<Layer>& shapes,
                 const std::vector<const char*>& dists, uint64_t seed) {
  int runs = 0;
  for (const auto& l : shapes)
    for (const char* ops : dists) {
      INFO(what << " " << l.name << " " << ops);
      RunOptions ro;
      ro.mode = SimMode::Values;
      ro.dist = parse_operand_dist(ops);
      ro.seed = seed;
      LayerResult r;
      CHECK_NOTHROW(r = run_layer(a, l, ro));
      CHECK(r.values_checked);
      ++runs;
    }
  return runs;
}

// random operand codes of layer l for design a, with random block scales
std::pair<OperandMatrix, OperandMatrix> block_operands(const ArchConfig& a, const Layer& l,
                                                       uint64_t seed) {
  Rng rng(seed);
  OperandMatrix A = fill_operands(l.M, l.K, a.act(), OperandDist{}, rng);
  OperandMatrix B = fill_operands(l.K, l.N, a.weight(), OperandDist{}, rng);
  attach_block_scales(A, a.act(), false, a.accumulate, rng);
  attach_block_scales(B, a.weight(), true, a.accumulate, rng);
  return {A, B};
}

// One GEMM of random codes with random block scales (seed 3) on the block design a
// and on its element-format twin e (which ignores the scale bits): both runs, the
// mapping of a, and whether a's C is the golden GEMM's.
struct PairRun {
  CoreRun r, re;
  SystolicMapping m;
  bool golden = false;
};
PairRun run_pair(const ArchConfig& a, const ArchConfig& e, const Layer& l) {
  const auto [A, B] = block_operands(a, l, 3);
  PairRun p{run_core(a, A, B), run_core(e, A, B), map_systolic(a, l)};
  p.golden = p.r.C.data == golden_gemm(A, B, a).data;
  return p;
}

} // namespace

TEST_CASE("block formats: the grid model (cube, matrix2d) equals the golden GEMM") {
  const std::vector<Layer> shapes = {gemm(1, 1, 1), gemm(4, 5, 3), gemm(3, 33, 5), gemm(4, 70, 3)};
  const std::vector<std::string> engines = {
      "engine: cube\nrows: 2\ncols: 3\ndepth: 4\n", "engine: cube\nrows: 3\ncols: 2\ndepth: 16\n",
      "engine: cube\nrows: 2\ncols: 2\ndepth: 1\n", "engine: matrix2d\nrows: 2\ncols: 3\n"};
  int runs = 0;
  for (const auto& e : engines)
    for (const auto& [fmt, acc] : std::vector<std::pair<std::string, std::string>>{
             {"format: mxfp8_e4m3", "fp32"},
             {"format: nvfp4", "fp16"},
             {"format: mxint8", "bf16"},
             {"format: mxfp8_e5m2", "fp32"},
             {"format: {act: fp8_e4m3, weight: mxfp8_e4m3}", "fp32"}}) {
      const ArchConfig a =
          parse_arch_text("name: g\n" + e + fmt + "\naccumulate: " + acc + "\n", "g.yaml");
      runs += check_golden(a, e + fmt + " " + acc, shapes, {"random", "normal:2"}, 8);
    }
  CHECK(runs == 4 * 5 * 4 * 2);
  // cube, depth 4, one output (fp16): the same hand-computed 520 as os (block sums exact)
  const ArchConfig c = parse_arch_text(
      "name: g\nengine: cube\nrows: 1\ncols: 1\ndepth: 4\nformat: mxfp8_e4m3\naccumulate: fp16\n",
      "g.yaml");
  const NumberFormat& f = lookup_number_format("mxfp8_e4m3");
  OperandMatrix A(1, 32), B(32, 1);
  for (int64_t k = 0; k < 32; ++k) {
    A.at(0, k) = op(f, k == 0 ? 256 : 0.125, 129);
    B.at(k, 0) = op(f, 1, 126);
  }
  const CoreRun r = run_core(c, A, B);
  CHECK(fp16(r.C.at(0, 0)) == 520);
  CHECK(r.cnt.ws_reads == 1);
  CHECK(r.cnt.ns_reads == 1);
}

TEST_CASE("block formats: the adder-tree model equals the golden GEMM") {
  // blocks of 1, 2, 8 and 32 K-tiles (depth 32, 16, 4, 1 with block 32; 16, 8, 2
  // with nvfp4's 16): K < block, K = block, partial last blocks, one-row folds
  // (the bypass of the exact block partial) and several N tiles
  const std::vector<Layer> shapes = {gemm(1, 1, 1),  gemm(7, 70, 5), gemm(3, 33, 2),
                                     gemm(1, 65, 3), gemm(2, 32, 4), gemm(4, 5, 3)};
  int runs = 0;
  for (int depth : {1, 2, 4, 16, 32})
    for (const auto& [fmt, acc] : std::vector<std::pair<std::string, std::string>>{
             {"format: mxfp8_e4m3", "fp32"},
             {"format: mxfp6_e3m2", "bf16"},
             {"format: mxfp6_e2m3", "fp16"},
             {"format: mxfp4", "fp32"},
             {"format: mxint8", "bf16"},
             {"format: nvfp4", "fp16"},
             {"format: {act: fp8_e4m3, weight: mxfp8_e4m3}", "fp32"},
             {"format: {act: mxint8, weight: int8}", "fp32"}}) {
      if (depth == 32 && fmt == "format: nvfp4") continue; // refused (block 16)
      const ArchConfig a =
          parse_arch_text("name: t\nengine: adder_tree\ncols: 2\ndepth: " + std::to_string(depth) +
                              "\n" + fmt + "\naccumulate: " + acc + "\n",
                          "t.yaml");
      runs += check_golden(a, "depth " + std::to_string(depth) + " " + fmt + " " + acc, shapes,
                           {"random", "normal:2"}, 11);
    }
  CHECK(runs == (5 * 8 - 1) * 6 * 2);
}

TEST_CASE("block formats: the adder trees round once per block, scale reads per block") {
  // the hand-computed 520 of os (fp16): one block of 32 over 8 K-tiles of depth 4,
  // its exact partial kept beside the output word between the K-tiles
  const NumberFormat& f = lookup_number_format("mxfp8_e4m3");
  for (int depth : {1, 4, 32}) {
    const ArchConfig t =
        parse_arch_text("name: t\nengine: adder_tree\ncols: 1\ndepth: " + std::to_string(depth) +
                            "\nformat: mxfp8_e4m3\naccumulate: fp16\n",
                        "t.yaml");
    OperandMatrix A(1, 40), B(40, 1);
    for (int64_t k = 0; k < 40; ++k) {
      const bool b0 = k < 32;
      A.at(0, k) = op(f, k == 0 ? 256 : (b0 ? 0.125 : 1), b0 ? 129 : 127);
      B.at(k, 0) = op(f, 1, b0 ? 126 : 127);
    }
    const CoreRun r = run_core(t, A, B);
    INFO("depth " << depth);
    CHECK(fp16(r.C.at(0, 0)) == 528);
    CHECK(r.cnt.ws_reads == 2);
    CHECK(r.cnt.ns_reads == 2);
  }
  // scale reads: NT x KB x M west words (one lane), NT x KB north words (C lanes);
  // cycles, element reads and output traffic as the element-format design's
  for (const char* fmt :
       {"format: mxfp8_e4m3", "format: nvfp4", "format: {act: fp8_e4m3, weight: mxfp8_e4m3}"}) {
    const auto tree = [](const std::string& fm) {
      return parse_arch_text("name: t\nengine: adder_tree\ncols: 2\ndepth: 4\n" + fm +
                                 "\naccumulate: fp32\n",
                             "t.yaml");
    };
    const ArchConfig a = tree(fmt);
    const ArchConfig e =
        tree(std::string(fmt).find("nvfp4") != std::string::npos ? "format: fp4_e2m1"
                                                                 : "format: fp8_e4m3");
    for (const Layer& l : {gemm(3, 70, 5), gemm(2, 1, 2), gemm(4, 16, 3), gemm(1, 40, 3)}) {
      INFO(fmt << " " << l.name);
      const auto [r, re, m, golden] = run_pair(a, e, l);
      CHECK(r.steps == re.steps);
      CHECK(r.steps == count_to_int64(m.cycles(), "t"));
      CHECK(r.cnt.w_reads == re.cnt.w_reads);
      CHECK(r.cnt.n_reads == re.cnt.n_reads);
      CHECK(r.cnt.o_reads == re.cnt.o_reads);
      CHECK(r.cnt.o_writes == re.cnt.o_writes);
      CHECK(r.cnt.ws_reads == count_to_int64(m.ws_reads(), "t"));
      CHECK(r.cnt.ns_reads == count_to_int64(m.ns_reads(), "t"));
      CHECK(r.cnt.ns_reads == m.NT * m.KB);
      CHECK(r.cnt.ws_reads == (a.act() == "fp8_e4m3" ? 0 : m.NT * m.KB * l.M));
      CHECK(golden);
    }
  }
}

TEST_CASE("block formats: C is the same on os, ws, is, the cube, matrix2d and the trees") {
  for (const char* fmt : {"format: mxfp8_e4m3", "format: nvfp4"})
    for (const char* acc : {"fp16", "bf16"}) {
      const std::string tail = std::string(fmt) + "\naccumulate: " + acc + "\n";
      std::vector<ArchConfig> archs = {os_arch(fmt, acc), os_arch(fmt, acc, 2, 3, "ws"),
                                       os_arch(fmt, acc, 3, 2, "is")};
      for (const char* e :
           {"engine: cube\nrows: 2\ncols: 3\ndepth: 8\n", "engine: matrix2d\nrows: 3\ncols: 2\n",
            "engine: adder_tree\ncols: 3\ndepth: 2\n", "engine: adder_tree\ncols: 1\ndepth: 16\n"})
        archs.push_back(parse_arch_text("name: e\n" + std::string(e) + tail, "e.yaml"));
      Rng rng(21);
      const Layer l = gemm(5, 70, 4);
      OperandMatrix A =
          fill_operands(l.M, l.K, archs[0].act(), parse_operand_dist("normal:2"), rng);
      OperandMatrix B = fill_operands(l.K, l.N, archs[0].weight(), OperandDist{}, rng);
      attach_block_scales(A, archs[0].act(), false, archs[0].accumulate, rng);
      attach_block_scales(B, archs[0].weight(), true, archs[0].accumulate, rng);
      const ResultMatrix c = golden_gemm(A, B, archs[0]);
      for (const ArchConfig& a : archs) {
        INFO(fmt << " " << acc << " " << a.engine << " " << a.shape());
        CHECK(run_core(a, A, B).C.data == c.data);
      }
    }
}

TEST_CASE("block formats: the os model equals the golden GEMM on odd shapes") {
  const std::vector<Layer> shapes = {gemm(1, 1, 1),  gemm(4, 5, 3),  gemm(3, 16, 2), gemm(2, 31, 3),
                                     gemm(5, 32, 2), gemm(3, 33, 5), gemm(4, 70, 3)};
  const std::vector<std::pair<std::string, std::string>> designs = {
      {"format: mxfp8_e4m3", "fp32"},
      {"format: mxfp8_e4m3", "fp16"},
      {"format: mxfp6_e3m2", "bf16"},
      {"format: mxfp6_e2m3", "fp32"},
      {"format: mxfp4", "fp32"},
      {"format: mxint8", "fp32"},
      {"format: nvfp4", "fp32"},
      {"format: nvfp4", "bf16"},
      {"format: {act: mxfp8_e4m3, weight: fp8_e4m3}", "fp32"},
      {"format: {act: fp4_e2m1, weight: nvfp4}", "fp16"},
      {"format: {act: mxint8, weight: mxfp8_e4m3}", "fp32"},
      {"format: mxfp8_e5m2", "fp16"},
      {"format: {act: mxfp8_e5m2, weight: mxfp8_e4m3}", "bf16"}};
  int runs = 0;
  for (const auto& [fmt, acc] : designs) {
    const ArchConfig a = os_arch(fmt, acc);
    runs += check_golden(a, fmt + " " + acc, shapes, {"random", "normal:2", "normal:1:0.5@0.3"}, 5);
  }
  CHECK(runs == 13 * 7 * 3);
}

TEST_CASE("block formats: the ws and is models equal the golden GEMM on odd shapes") {
  // blocks spanning K-tiles (rows 1..4 with blocks of 32 or 16; the exact block
  // partial goes through the output buffer), K not a multiple of the block, K < rows;
  // then several blocks inside one K-tile (rows 32 and 64)
  const std::vector<Layer> shapes = {gemm(1, 1, 1),  gemm(3, 33, 2), gemm(7, 70, 5),
                                     gemm(2, 31, 3), gemm(4, 16, 1), gemm(5, 64, 3)};
  const std::vector<std::pair<std::string, std::string>> designs = {
      {"format: mxfp8_e4m3", "fp32"},
      {"format: mxfp6_e3m2", "bf16"},
      {"format: mxfp6_e2m3", "fp16"},
      {"format: mxfp4", "fp32"},
      {"format: mxint8", "fp32"},
      {"format: nvfp4", "fp16"},
      {"format: {act: mxfp8_e4m3, weight: fp8_e4m3}", "fp32"},
      {"format: {act: fp4_e2m1, weight: nvfp4}", "bf16"}};
  const std::vector<std::pair<int, int>> arrays = {{1, 1}, {2, 3}, {3, 2}, {4, 1}, {1, 2}};
  int runs = 0;
  for (const char* df : {"ws", "is"})
    for (const auto& [fmt, acc] : designs)
      for (const auto& [R, C] : arrays) {
        const ArchConfig a = os_arch(fmt, acc, R, C, df);
        runs += check_golden(a,
                             std::string(df) + " " + fmt + " " + acc + " " + std::to_string(R) +
                                 "x" + std::to_string(C),
                             shapes, {"random", "normal:1:0.5@0.3"}, 11);
      }
  CHECK(runs == 2 * 8 * 5 * 6 * 2);
  // several blocks inside one K-tile: rows 32 with blocks of 16 (nvfp4) and rows 64
  // with blocks of 32, K spanning two and three K-tiles
  for (const auto& [fmt, R] :
       std::vector<std::pair<std::string, int>>{{"format: nvfp4", 32}, {"format: mxfp4", 64}})
    for (const char* df : {"ws", "is"}) {
      const ArchConfig a = os_arch(fmt, "fp16", R, 2, df);
      for (const Layer& l : {gemm(3, 70, 2), gemm(2, 150, 3)}) {
        INFO(df << " " << fmt << " " << l.name);
        RunOptions ro;
        ro.mode = SimMode::Values;
        ro.seed = 12;
        CHECK_NOTHROW(run_layer(a, l, ro));
      }
    }
}

TEST_CASE("block formats: ws/is scale reads with every element word, the fold period") {
  for (const char* df : {"ws", "is"})
    for (const char* fmt :
         {"format: mxfp8_e4m3", "format: nvfp4", "format: {act: fp8_e4m3, weight: mxfp8_e4m3}"}) {
      const ArchConfig a = os_arch(fmt, "fp32", 2, 3, df);
      for (const Layer& l : {gemm(3, 70, 5), gemm(2, 1, 2), gemm(7, 33, 3)}) {
        INFO(df << " " << fmt << " " << l.name);
        const auto [A, B] = block_operands(a, l, 3);
        const SystolicMapping m = map_systolic(a, l);
        const CoreRun r = run_core(a, A, B);
        CHECK(r.C.data == golden_gemm(A, B, a).data);
        CHECK(m.period == std::max<int64_t>(m.Mp, 2 + 3 + 3)); // R + C + 3
        CHECK(r.steps == count_to_int64(m.cycles(), "t"));
        CHECK(r.cnt.ws_reads == count_to_int64(m.ws_reads(), "t"));
        CHECK(r.cnt.ns_reads == count_to_int64(m.ns_reads(), "t"));
        CHECK(r.cnt.o_reads == count_to_int64(m.o_reads(), "t"));
        // the act (west in ws, north in is) is scaled only when it is a block format
        const bool act_scaled = a.act() != "fp8_e4m3";
        const bool is = std::string(df) == "is";
        CHECK(r.cnt.ws_reads == ((is || act_scaled) ? r.cnt.w_reads : 0));
        CHECK(r.cnt.ns_reads == ((!is || act_scaled) ? r.cnt.n_reads : 0));
      }
    }
}

TEST_CASE("block formats: mxfp8_e5m2's 70-bit exact block sum keeps 2^-32 beside 57344^2") {
  // one block: 57344^2 + 2^-16 * 2^-16 - 57344^2 = 2^-32 exactly, times the scales
  // 2^2 * 2^-1 (E8M0 codes 129, 126): 2^-31 in fp32. Rounding per product, or a
  // 64-bit window, loses it.
  const NumberFormat& f = lookup_number_format("mxfp8_e5m2");
  OperandMatrix A(1, 32), B(32, 1);
  const double a[3] = {57344, std::ldexp(1, -16), -57344},
               b[3] = {57344, std::ldexp(1, -16), 57344};
  for (int64_t k = 0; k < 32; ++k) {
    A.at(0, k) = op(f, k < 3 ? a[k] : 0, 129);
    B.at(k, 0) = op(f, k < 3 ? b[k] : 0, 126);
  }
  for (const std::string e :
       {"engine: systolic\nrows: 1\ncols: 1\ndataflow: os\n",
        "engine: systolic\nrows: 1\ncols: 1\ndataflow: ws\n",
        "engine: systolic\nrows: 2\ncols: 1\ndataflow: is\n",
        "engine: cube\nrows: 1\ncols: 1\ndepth: 4\n", "engine: matrix2d\nrows: 1\ncols: 1\n",
        "engine: adder_tree\ncols: 1\ndepth: 4\n"}) {
    INFO(e);
    const ArchConfig c =
        parse_arch_text("name: g\n" + e + "format: mxfp8_e5m2\naccumulate: fp32\n", "g.yaml");
    const CoreRun r = run_core(c, A, B);
    CHECK(r.C.at(0, 0) == golden_gemm(A, B, c).at(0, 0));
    CHECK(f32v(r.C.at(0, 0)) == std::ldexp(1, -31));
  }
}

TEST_CASE("block formats: one exact block sum, an exact scale, one rounding (hand-computed)") {
  // os, and ws/is where the first block spans 32 K-tiles (rows 1) or 11 (rows 3) and
  // where one K-tile holds both blocks (rows 64)
  for (const auto& [df, R, C] : std::vector<std::tuple<std::string, int, int>>{
           {"os", 1, 1}, {"ws", 1, 1}, {"ws", 3, 2}, {"is", 2, 1}, {"is", 64, 1}}) {
    INFO(df << " " << R << "x" << C);
    const ArchConfig a = os_arch("format: mxfp8_e4m3", "fp16", R, C, df);
    const NumberFormat& f = lookup_number_format("mxfp8_e4m3");
    // block 0: 256 + 31 x 0.125 = 259.875 exactly; times 2^2 x 2^-1 = 519.75, one RNE
    // to fp16 (spacing 0.5 in [512, 1024)): a tie -> 520 (even). Rounding each add
    // would lose every 0.125 (256 + 0.125 ties to 256): 512.
    // block 1 (8 elements, scales 1): + 8 -> 528 exactly.
    const int64_t K = 40;
    OperandMatrix A(1, K), B(K, 1);
    for (int64_t k = 0; k < K; ++k) {
      const bool b0 = k < 32;
      A.at(0, k) = op(f, k == 0 ? 256 : (b0 ? 0.125 : 1), b0 ? 129 : 127);
      B.at(k, 0) = op(f, 1, b0 ? 126 : 127);
    }
    CoreRun r = run_core(a, A, B);
    CHECK(r.C.at(0, 0) == golden_gemm(A, B, a).at(0, 0));
    CHECK(fp16(r.C.at(0, 0)) == 528);
    // K = 32 only (one block): 520
    OperandMatrix A1(1, 32), B1(32, 1);
    for (int64_t k = 0; k < 32; ++k) {
      A1.at(0, k) = A.at(0, k);
      B1.at(k, 0) = B.at(k, 0);
    }
    CHECK(fp16(run_core(a, A1, B1).C.at(0, 0)) == 520);
    // a NaN scale (E8M0 0xFF) on block 1 of A makes the result NaN (fp16 canonical)
    for (int64_t k = 32; k < K; ++k)
      A.at(0, k) = op(f, 1, 0xFF);
    r = run_core(a, A, B);
    CHECK(r.C.at(0, 0) == golden_gemm(A, B, a).at(0, 0));
    CHECK((uint64_t(r.C.at(0, 0)) & 0xffff) == 0x7E00);
  }
}

TEST_CASE("block formats: extreme scales in fp32 and the NVFP4 E4M3 scale product") {
  const ArchConfig a = os_arch("format: mxfp4", "fp32", 1, 1);
  const NumberFormat& f = lookup_number_format("mxfp4");
  OperandMatrix A(1, 64), B(64, 1);
  for (int64_t k = 0; k < 64; ++k) {
    A.at(0, k) = op(f, k < 32 ? 6 : 1, k < 32 ? 0xFE : 0x00); // 2^127, 2^-127
    B.at(k, 0) = op(f, 0.5, k < 32 ? 0x7F - 30 : 0xFE);       // 2^-30, 2^127
  }
  // block 0: 32 x 3 x 2^97 = 96 x 2^97; block 1: 32 x 0.5 x 2^0 = 16
  const ResultMatrix c = run_core(a, A, B).C;
  CHECK(c.at(0, 0) == golden_gemm(A, B, a).at(0, 0));
  CHECK(f32v(c.at(0, 0)) == std::ldexp(96.0, 97));
  // NVFP4: E4M3 scales 1.5 x 0.875 (exact 1.3125), block of 16 x (6 x 1.5) = 144
  const ArchConfig n = os_arch("format: nvfp4", "fp32", 1, 1);
  const NumberFormat& nv = lookup_number_format("nvfp4");
  const NumberFormat& e4m3 = lookup_number_format("fp8_e4m3");
  const uint32_t s15 = e4m3.encode(1.5), s0875 = e4m3.encode(0.875);
  OperandMatrix An(1, 16), Bn(16, 1);
  for (int64_t k = 0; k < 16; ++k) {
    An.at(0, k) = op(nv, 6, s15);
    Bn.at(k, 0) = op(nv, 1.5, s0875);
  }
  const ResultMatrix cn = run_core(n, An, Bn).C;
  CHECK(f32v(cn.at(0, 0)) == 144 * 1.3125);
}

TEST_CASE("block formats: scale SRAM reads once per block and fold, cycles unchanged") {
  for (const char* fmt :
       {"format: mxfp8_e4m3", "format: nvfp4", "format: {act: fp8_e4m3, weight: mxfp8_e4m3}"}) {
    const ArchConfig a = os_arch(fmt, "fp32", 2, 2);
    const ArchConfig e =
        os_arch(std::string(fmt).find("nvfp4") != std::string::npos ? "format: fp4_e2m1"
                                                                    : "format: fp8_e4m3",
                "fp32", 2, 2);
    for (const Layer& l : {gemm(3, 70, 5), gemm(2, 1, 2), gemm(4, 16, 3)}) {
      INFO(fmt << " " << l.name);
      const auto [r, re, m, golden] = run_pair(a, e, l);
      CHECK(r.steps == re.steps);
      CHECK(r.cnt.w_reads == re.cnt.w_reads);
      CHECK(r.cnt.n_reads == re.cnt.n_reads);
      CHECK(r.cnt.ws_reads == count_to_int64(m.ws_reads(), "t"));
      CHECK(r.cnt.ns_reads == count_to_int64(m.ns_reads(), "t"));
      CHECK(r.cnt.ns_reads == m.folds * m.KB);
      CHECK(r.cnt.ws_reads == (a.act() == "fp8_e4m3" ? 0 : m.folds * m.KB));
      CHECK(golden);
    }
  }
}

TEST_CASE("block formats: the refusals, one line each") {
  const auto err = [](const std::string& body) {
    try {
      parse_arch_text("name: b\n" + body, "b.yaml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string os = "engine: systolic\nrows: 2\ncols: 2\ndataflow: os\n";
  CHECK(err(os + "format: mxfp8_e5m2\n") == "accepted"); // a 70-bit exact block sum
  CHECK(err(os + "format: nf4\n").find("b.yaml:6: format: nf4 is a weight storage format") == 0);
  CHECK(err(os + "format: {act: mxfp4, weight: nvfp4}\n") ==
        "b.yaml:6: format.weight: block formats of act and weight must share the block size "
        "(got act mxfp4, blocks of 32, weight nvfp4, blocks of 16)");
  CHECK(err(os + "format: mxfp4\naccumulate: fixed\n") ==
        "b.yaml:7: accumulate: block-scaled format 'mxfp4' takes accumulate fp32, fp16 or bf16 "
        "(got 'fixed')");
  CHECK(err("engine: systolic\nrows: 2\ncols: 2\ndataflow: ws\nformat: mxfp4\n") == "accepted");
  CHECK(err("engine: systolic\nrows: 2\ncols: 2\ndataflow: is\nformat: {act: fp4_e2m1, weight: "
            "nvfp4}\n") == "accepted");
  CHECK(err("engine: adder_tree\ncols: 2\ndepth: 4\nformat: {act: int8, weight: mxint8}\n") ==
        "accepted");
  CHECK(err("engine: adder_tree\ncols: 2\ndepth: 64\nformat: mxfp4\n") ==
        "b.yaml:4: depth: a group of 64 lanes must lie inside one block of 32 mxfp4 elements "
        "(block % depth == 0)");
  CHECK(err("engine: cube\nrows: 2\ncols: 2\ndepth: 32\nformat: nvfp4\n") ==
        "b.yaml:5: depth: a group of 32 lanes must lie inside one block of 16 nvfp4 elements "
        "(block % depth == 0)");
  CHECK(err("engine: cube\nrows: 2\ncols: 2\ndepth: 3\nformat: mxfp4\n") ==
        "b.yaml:5: depth: a group of 3 lanes must lie inside one block of 32 mxfp4 elements "
        "(block % depth == 0)");
  CHECK(err(os + "format: {act: mxfp4, weight: int8}\n") == "accepted"); // int8 takes scale 1
  CHECK(err(os + "pe: lmul\nformat: mxfp8_e4m3\n").find("does not support format") !=
        std::string::npos);
}
