// The fixed-latency engines' FP datapath (rtl_gen/fp_pe_verilog.h): integer designs
// generate the same Verilog as before it (golden hashes of the whole text); every
// FP design (systolic os/ws/is, cube, matrix2d, adder_tree; fp8_e4m3 into fp32,
// bf16 into fp32, fp16 into fp16, fp8_e5m2 x fp8_e4m3, fixed, L-Mul on fp8_e4m3) is
// lint-clean under verilator -Wall; one synthesizes with yosys; small Verilated
// arrays (1x1 os, 1x2 ws, 2x1 is, a 1x1x3 cube, two adder trees; through the engine
// harness, unsigned W-bit codes in the operand SRAMs) compute GEMMs of random code
// streams, specials included, exactly as the C++ operators (exact product or L-Mul,
// then fp_accumulate / fixed_accumulate from +0, in the contract's order) say, and
// the check catches a PE that does not restart at +0.
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/operand_dist.h"
#include "core/process.h"
#include "core/tensor.h"
#include "core/text.h"
#include "pe_models/fp_arith.h"
#include "pe_models/lmul.h"
#include "pe_models/number_format.h"
#include "rtl_gen/fp_pe_verilog.h"
#include "rtl_gen/systolic_verilog.h"
#include "test_helpers.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace tpe;

namespace {

// An architecture built in code (the parser does not take float formats here).
ArchConfig fp_arch(const std::string& engine, const std::string& df, int r, int c, int d,
                   const std::string& act, const std::string& weight, const std::string& acc,
                   const std::string& pe = "mac") {
  ArchConfig a;
  a.engine = engine;
  a.dataflow = df;
  a.rows = r;
  a.cols = c;
  a.depth = d;
  a.pe = pe;
  a.format = act;
  if (weight != act) {
    a.act_format = act;
    a.weight_format = weight;
  }
  a.accumulate = acc;
  a.acc_bits = 0;
  a.name = "f_" + engine + df + std::to_string(r) + std::to_string(c) + std::to_string(d) + "_" +
           act + (weight != act ? "_" + weight : "") + "_" + acc + (pe == "mac" ? "" : "_" + pe);
  if (acc == "fixed") {
    int lsb = 0, top = 0;
    engine_product_range(lookup_number_format(act), lookup_number_format(weight), pe == "lmul",
                         LmulOffset::Paper, lsb, top);
    a.acc_bits = fixed_acc_spec(lsb, top).width + 3;
  } else {
    a.acc_bits = float_accumulator_layout(acc).bits();
  }
  return a;
}

std::string temp_dir(const std::string& tag) {
  const std::string d = std::filesystem::temp_directory_path().string() + "/tpe_fpe_" + tag + "_" +
                        std::to_string(getpid());
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

std::string write_rtl(const ArchConfig& a, const std::string& tag) {
  const std::string dir = temp_dir(tag);
  const GeneratedRtl g = generate_systolic_verilog(a, "test");
  for (auto& [f, t] : g.files)
    write_file_atomic(dir + "/" + f, t);
  return dir;
}

} // namespace

TEST_CASE("integer designs generate the same Verilog as before the FP datapath") {
  // FNV-1a of every generated file (name and text, in file order). Refresh with
  // TPE_PRINT_RTL_HASHES=1 only after checking the change against `tpe gen` of the
  // previous binary.
  struct Case {
    const char* yaml;
    uint64_t hash;
  };
  const Case cases[] = {
      {"name: g1\nengine: systolic\nrows: 3\ncols: 4\ndataflow: os\n", 0x181422f8b8ec296aull},
      {"name: g2\nengine: systolic\nrows: 3\ncols: 4\ndataflow: ws\npe: booth\n",
       0xf1cc1507ffaf7cdcull},
      {"name: g3\nengine: systolic\nrows: 2\ncols: 2\ndataflow: is\nformat: int4\nacc_bits: 12\n",
       0xe24df89702500c77ull},
      {"name: g4\nengine: systolic\nrows: 2\ncols: 3\ndataflow: os\npe: opt1\n",
       0x9f72c1c41299ba06ull},
      {"name: g5\nengine: cube\nrows: 2\ncols: 2\ndepth: 4\npe: ent\n", 0x545f240787acd814ull},
      {"name: g6\nengine: matrix2d\nrows: 3\ncols: 2\n", 0x4eab11beb7885ac5ull},
      {"name: g7\nengine: adder_tree\ncols: 4\ndepth: 4\n", 0xeba093b17153fdbbull},
      {"name: g8\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\npe: opt3\n",
       0x9b8f015525621c54ull},
  };
  const bool print = std::getenv("TPE_PRINT_RTL_HASHES") != nullptr;
  for (const Case& c : cases) {
    const ArchConfig a = parse_arch_text(c.yaml);
    const GeneratedRtl g = generate_systolic_verilog(a, "tpe gen --arch <architecture file>");
    std::string all;
    for (const auto& [f, t] : g.files)
      all += f + "\n" + t;
    const uint64_t h = fnv1a(all);
    if (print) std::cout << a.name << " 0x" << std::hex << h << std::dec << "\n";
    INFO(a.name);
    CHECK(h == c.hash);
    CHECK(all.find("_fmul") == std::string::npos);
  }
}

namespace {

// The FP designs of the lint test (small shapes: the PE count does not change the text).
std::vector<ArchConfig> fp_designs() {
  return {
      fp_arch("systolic", "os", 2, 2, 1, "fp8_e4m3", "fp8_e4m3", "fp32"),
      fp_arch("systolic", "ws", 2, 2, 1, "fp8_e4m3", "fp8_e4m3", "fp32"),
      fp_arch("systolic", "is", 2, 2, 1, "fp8_e4m3", "fp8_e4m3", "fp32"),
      fp_arch("systolic", "os", 1, 2, 1, "bf16", "bf16", "fp32"),
      fp_arch("systolic", "ws", 2, 1, 1, "fp16", "fp16", "fp16"),
      fp_arch("systolic", "is", 2, 2, 1, "fp8_e5m2", "fp8_e4m3", "fp32"),
      fp_arch("systolic", "os", 2, 2, 1, "fp8_e4m3", "fp8_e4m3", "fixed"),
      fp_arch("systolic", "ws", 2, 2, 1, "fp8_e4m3", "fp8_e4m3", "fixed"),
      fp_arch("systolic", "os", 2, 2, 1, "fp8_e4m3", "fp8_e4m3", "fp32", "lmul"),
      fp_arch("systolic", "ws", 2, 2, 1, "bf16", "bf16", "bf16", "lmul"),
      fp_arch("cube", "os", 2, 2, 4, "fp8_e4m3", "fp8_e4m3", "fp32"),
      fp_arch("cube", "os", 2, 2, 2, "fp8_e4m3", "fp8_e4m3", "fixed"),
      fp_arch("cube", "os", 2, 2, 3, "fp8_e4m3", "fp8_e4m3", "fp16", "lmul"),
      fp_arch("matrix2d", "os", 2, 3, 1, "bf16", "bf16", "fp32"),
      fp_arch("matrix2d", "os", 2, 2, 1, "fp8_e5m2", "fp8_e4m3", "bf16"),
      fp_arch("adder_tree", "ws", 1, 2, 4, "fp8_e4m3", "fp8_e4m3", "fp32"),
      fp_arch("adder_tree", "ws", 1, 2, 1, "fp16", "fp16", "fp16"),
      fp_arch("adder_tree", "ws", 1, 3, 2, "fp8_e4m3", "fp8_e4m3", "fixed"),
      fp_arch("systolic", "os", 2, 2, 1, "hif8", "hif8", "fp32"),
      fp_arch("systolic", "os", 2, 2, 1, "fp4_e2m1", "fp4_e2m1", "bf16"),
      fp_arch("systolic", "ws", 2, 2, 1, "int8", "int8", "fp32"),
  };
}

} // namespace

TEST_CASE("FP engine Verilog is lint-clean under verilator -Wall") {
  int n = 0;
  for (const ArchConfig& a : fp_designs()) {
    INFO(a.name);
    const std::string dir = write_rtl(a, "l" + std::to_string(n++));
    test::check_verilator_lint(dir, "tpe_" + a.name);
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("FP engine datapath: the modules per engine and the refused combinations") {
  const ArchConfig mixed = fp_arch("systolic", "os", 2, 2, 1, "fp8_e5m2", "fp8_e4m3", "fp32");
  const GeneratedRtl os = generate_systolic_verilog(mixed, "test");
  const std::string P = "tpe_" + mixed.name;
  CHECK(os.files.count(P + "_dec_fp8_e5m2.v") == 1);
  CHECK(os.files.count(P + "_dec_fp8_e4m3.v") == 1);
  CHECK(os.files.count(P + "_fmul.v") == 1);
  CHECK(os.files.count(P + "_fadd2.v") == 0);
  // is: the weight format enters west
  const FpPeArith is =
      fp_pe_arith(fp_arch("systolic", "is", 2, 2, 1, "fp8_e5m2", "fp8_e4m3", "fp32"));
  CHECK(is.west->name == "fp8_e4m3");
  CHECK(is.north->name == "fp8_e5m2");
  const ArchConfig ws = fp_arch("systolic", "ws", 2, 2, 1, "fp8_e4m3", "fp8_e4m3", "bf16");
  CHECK(generate_systolic_verilog(ws, "t").files.count("tpe_" + ws.name + "_fadd2.v") == 1);
  // e4m3 x e4m3 products: LSB 2^-18, |p| < 2^18; fixed: 37 + 16 guard bits + 3 flags
  const FpPeArith fx =
      fp_pe_arith(fp_arch("systolic", "os", 1, 1, 1, "fp8_e4m3", "fp8_e4m3", "fixed"));
  CHECK(fx.lsb_min == -18);
  CHECK(fx.top_max == 18);
  CHECK(fx.A == 56);
  CHECK(group_sum_spec(fx, 4).width == 39);
  ArchConfig bad = fp_arch("systolic", "os", 1, 1, 1, "fp8_e5m2", "fp8_e5m2", "fp32");
  bad.accumulate = "fixed"; // 81-bit value: the state bus does not fit 64 bits
  CHECK_THROWS_AS(fp_pe_arith(bad), std::invalid_argument);
  CHECK_THROWS_WITH(fp_pe_arith(bad), "fixed accumulator state of 84 bits does not fit 64");
  // a fixed state that fits: fp8_e4m3 x fp8_e4m3, 56 bits (a 53-bit value + 3 flags)
  CHECK(fp_pe_arith(fp_arch("systolic", "os", 1, 1, 1, "fp8_e4m3", "fp8_e4m3", "fixed")).A == 56);
  CHECK_THROWS_AS(
      fp_pe_arith(fp_arch("systolic", "os", 1, 1, 1, "fp8_e4m3", "fp8_e5m2", "fp32", "lmul")),
      std::invalid_argument);
  // block formats on every engine (tests/test_block_engines_rtl.cpp), a group of lanes
  // inside one block
  CHECK(fp_pe_arith(fp_arch("systolic", "ws", 1, 1, 1, "mxfp4", "mxfp4", "fp32")).block == 32);
  CHECK(fp_pe_arith(fp_arch("adder_tree", "ws", 1, 1, 4, "mxfp4", "mxfp4", "fp32")).block == 32);
  CHECK_THROWS_AS(fp_pe_arith(fp_arch("adder_tree", "ws", 1, 1, 3, "mxfp4", "mxfp4", "fp32")),
                  std::invalid_argument);
  ArchConfig wide = fp_arch("cube", "os", 1, 1, 2, "bf16", "bf16", "fp32");
  CHECK_THROWS_AS(generate_systolic_verilog(wide, "t"), std::invalid_argument);
  // fp16 group sums wider than 64 bits: plain wider buses (82 bits for 2 lanes)
  const FpPeArith f16 = fp_pe_arith(fp_arch("cube", "os", 1, 1, 2, "fp16", "fp16", "fp32"));
  CHECK(group_sum_spec(f16, 2).width == 82);
  CHECK(group_sum_spec(f16, 64).width == 87);
  CHECK(dot_bus_widths(f16, 2).sig_bits == 82);
  wide.depth = 1;
  CHECK(generate_systolic_verilog(wide, "t").files.size() > 5);
  ArchConfig acc = fp_arch("systolic", "os", 1, 1, 1, "fp16", "fp16", "fp16");
  acc.acc_bits = 32;
  CHECK_THROWS_AS(fp_pe_arith(acc), std::invalid_argument);
}

TEST_CASE("an FP engine synthesizes with yosys (2x2 os, fp8_e4m3 into fp32)") {
  const ArchConfig a = fp_arch("systolic", "os", 2, 2, 1, "fp8_e4m3", "fp8_e4m3", "fp32");
  const std::string dir = write_rtl(a, "syn");
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

namespace {

// The contract's arithmetic (docs/formats-engines.md, FORMATS contract item 3) on
// the codes of A (M x K, act) and B (K x N, weight): C as accumulator words, held
// sign-extended from A bits like the harness's output words.
struct RefGemm {
  const ArchConfig& a;
  FpPeArith f;
  const NumberFormat& act;
  const NumberFormat& wt;
  explicit RefGemm(const ArchConfig& arch)
      : a(arch), f(fp_pe_arith(arch)), act(lookup_number_format(arch.act())),
        wt(lookup_number_format(arch.weight())) {}

  Unpacked product(int32_t x, int32_t y) const {
    const Unpacked ux = act.decode(uint32_t(x)), uy = wt.decode(uint32_t(y));
    return f.lmul ? lmul(ux, uy, act.unpacked_sig_bits() - 1, f.offset) : exact_product(ux, uy);
  }
  // ADD(acc, x): acc an accumulator word (code or fixed state bus)
  uint64_t add(uint64_t acc, const Unpacked& x) const {
    if (!f.fixed) return fp_accumulate(f.layout, acc, x);
    const int w = f.acc_spec.width;
    FixedAcc s;
    s.nan = (acc >> (w + 2)) & 1;
    s.pos_inf = (acc >> (w + 1)) & 1;
    s.neg_inf = (acc >> w) & 1;
    const uint64_t v = acc & ((uint64_t(1) << w) - 1);
    s.value = (__int128)(int64_t(v << (64 - w)) >> (64 - w));
    return fixed_state_bus(f.acc_spec, fixed_accumulate(f.acc_spec, s, x));
  }
  // the exact value of an accumulator word (ws/is accumulator stage)
  Unpacked decode_acc(uint64_t acc) const {
    if (!f.fixed) return decode_float(f.layout, acc);
    const int w = f.acc_spec.width;
    FixedAcc s;
    s.nan = (acc >> (w + 2)) & 1;
    s.pos_inf = (acc >> (w + 1)) & 1;
    s.neg_inf = (acc >> w) & 1;
    const uint64_t v = acc & ((uint64_t(1) << w) - 1);
    s.value = (__int128)(int64_t(v << (64 - w)) >> (64 - w));
    return fixed_to_unpacked(f.acc_spec, s);
  }
  // d: the exact sum of the products k0 .. k1-1 (one product: itself)
  Unpacked group(const OperandMatrix& A, const OperandMatrix& B, int64_t m, int64_t n, int64_t k0,
                 int64_t k1) const {
    if (k1 - k0 == 1) return product(A.at(m, k0), B.at(k0, n));
    int G = a.depth;
    const FixedAccSpec gs = group_sum_spec(f, G);
    FixedAcc s;
    for (int64_t k = k0; k < k1; ++k)
      s = fixed_accumulate(gs, s, product(A.at(m, k), B.at(k, n)));
    return fixed_to_unpacked(gs, s);
  }

  ResultMatrix run(const OperandMatrix& A, const OperandMatrix& B) const {
    const int64_t M = A.rows, K = A.cols, N = B.cols;
    ResultMatrix C(M, N);
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) {
        uint64_t c = 0;
        if (a.engine == "systolic" && a.dataflow == "os") {
          for (int64_t k = 0; k < K; ++k)
            c = add(k ? c : 0, product(A.at(m, k), B.at(k, n)));
        } else if (a.engine == "systolic") { // ws / is: K-tiles of R rows
          for (int64_t t = 0; t * a.rows < K; ++t) {
            uint64_t ps = 0;
            for (int64_t k = t * a.rows; k < std::min<int64_t>(K, (t + 1) * a.rows); ++k)
              ps = add(ps, product(A.at(m, k), B.at(k, n)));
            c = t ? add(c, decode_acc(ps)) : ps;
          }
        } else { // cube, matrix2d, adder_tree: groups of depth lanes
          for (int64_t g = 0; g * a.depth < K; ++g)
            c = add(g ? c : 0,
                    group(A, B, m, n, g * a.depth, std::min<int64_t>(K, (g + 1) * a.depth)));
        }
        const int sh = 64 - f.A;
        C.at(m, n) = int64_t(c << sh) >> sh;
      }
    return C;
  }
};

// Random codes of a format: mostly finite, with zeros, subnormals, the extremes
// and (with probability `special`) NaN / Inf codes.
int32_t random_code(const NumberFormat& fmt, Rng& rng, double special) {
  for (;;) {
    const uint32_t c = uint32_t(rng.uniform(0, fmt.code_count() - 1));
    const Unpacked u = fmt.decode(c);
    const bool sp = u.kind == Unpacked::Kind::NaN || u.kind == Unpacked::Kind::Inf;
    const double r = double(rng.uniform(0, 999)) / 1000.0;
    if (sp && r >= special) continue;
    if (r < 0.05) return 0;
    if (r < 0.08) return int32_t(fmt.code_count() >> 1); // -0 of a float, min of an int
    return int32_t(c);
  }
}

// Verilate `a` once (cached; `mutate` edits the Verilog first), run GEMMs of the
// given shapes on random codes, and compare every C element with RefGemm. Returns
// the number of elements that differ; with `stop` the first difference fails.
int64_t check_rtl_against_operators(const ArchConfig& a, uint64_t seed,
                                    const std::vector<Layer>& layers, double special,
                                    const RtlMutation& mutate = nullptr, bool stop = true) {
  INFO(a.name);
  const RtlBinary bin = build_systolic_rtl(a, mutate);
  const RefGemm ref(a);
  Rng rng(seed);
  const std::string dir = temp_dir("run");
  int64_t compared = 0, differ = 0;
  for (int trial = 0; trial < 12; ++trial)
    for (const Layer& L : layers) {
      const SystolicMapping m = map_systolic(a, L);
      OperandMatrix A(L.M, L.K), B(L.K, L.N);
      for (auto& v : A.data)
        v = random_code(ref.act, rng, special);
      for (auto& v : B.data)
        v = random_code(ref.wt, rng, special);
      const RtlTrace tr = run_rtl(bin, m, make_images(m, A, B), dir);
      std::vector<int64_t> out(size_t(m.o_words * m.C), 0);
      for (const OutputWrite& w : tr.writes)
        for (size_t j = 0; j < w.data.size(); ++j)
          out[size_t(w.addr * m.C) + j] = w.data[j];
      const ResultMatrix got = extract_result(m, out), want = ref.run(A, B);
      for (int64_t i = 0; i < L.M; ++i)
        for (int64_t j = 0; j < L.N; ++j) {
          INFO("trial " << trial << " C[" << i << "][" << j << "] K=" << L.K);
          if (stop) REQUIRE(got.at(i, j) == want.at(i, j));
          differ += got.at(i, j) != want.at(i, j);
          ++compared;
        }
    }
  CHECK(compared >= 12 * 4);
  std::filesystem::remove_all(dir);
  return differ;
}

Layer layer(int64_t M, int64_t N, int64_t K) {
  Layer L;
  L.name = "g";
  L.M = M;
  L.N = N;
  L.K = K;
  return L;
}

} // namespace

TEST_CASE("Verilated FP engines accumulate code streams as the C++ operators do") {
  // a 1x1 os array: one PE, every K step through the harness (unsigned W-bit codes)
  check_rtl_against_operators(fp_arch("systolic", "os", 1, 1, 1, "fp8_e5m2", "fp8_e4m3", "fp16"),
                              11, {layer(2, 2, 7), layer(1, 3, 20)}, 0.03);
  // ws 1x2 (K-tiles of 1 row: every add after the first is in the accumulator stage)
  check_rtl_against_operators(fp_arch("systolic", "ws", 1, 2, 1, "fp8_e4m3", "fp8_e4m3", "fixed"),
                              12, {layer(3, 2, 5), layer(2, 3, 9)}, 0.03);
  // is 2x1, mixed formats: the weight (E4M3) enters west, K-tiles of 2 rows
  check_rtl_against_operators(fp_arch("systolic", "is", 2, 1, 1, "fp8_e5m2", "fp8_e4m3", "fp32"),
                              17, {layer(3, 2, 5), layer(2, 1, 8)}, 0.02);
  // L-Mul into fp32, output stationary
  check_rtl_against_operators(
      fp_arch("systolic", "os", 1, 1, 1, "fp8_e4m3", "fp8_e4m3", "fp32", "lmul"), 13,
      {layer(2, 2, 9), layer(1, 1, 30)}, 0.02);
  // a 1x1 cube of depth 3: fused exact group sums, one rounding into bf16
  check_rtl_against_operators(fp_arch("cube", "os", 1, 1, 3, "fp8_e4m3", "fp8_e4m3", "bf16"), 14,
                              {layer(2, 2, 7), layer(1, 2, 12)}, 0.02);
  // two adder trees of depth 2: K-tiles added in the accumulator stage, fixed state
  check_rtl_against_operators(fp_arch("adder_tree", "ws", 1, 2, 2, "fp8_e4m3", "fp8_e4m3", "fixed"),
                              15, {layer(3, 2, 5), layer(2, 3, 4)}, 0.02);
}

TEST_CASE("tpe verify's checker: exact group sums over 64 bits, RTL = model = golden") {
  // the parser's path, as `tpe verify`: fp16, hif8 and fp8_e5m2 group sums of 66 to 83
  // bits (wider than 64) on the cube and the adder tree, random codes (NaN, Inf, -0,
  // subnormals) and normal values, odd shapes
  const auto gemm = [](int64_t M, int64_t K, int64_t N) {
    Layer l;
    l.M = M;
    l.K = K;
    l.N = N;
    l.name = "g" + std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N);
    return l;
  };
  const std::vector<Layer> shapes = {gemm(1, 1, 1), gemm(3, 5, 2), gemm(7, 11, 5), gemm(2, 13, 3)};
  for (const std::string body : {"name: wc1\nengine: cube\nrows: 2\ncols: 2\ndepth: 2\n"
                                 "format: fp16\naccumulate: fp32\n",
                                 "name: wc2\nengine: cube\nrows: 2\ncols: 1\ndepth: 3\n"
                                 "format: hif8\naccumulate: fp16\n",
                                 "name: wt1\nengine: adder_tree\ncols: 2\ndepth: 2\n"
                                 "format: fp8_e5m2\naccumulate: bf16\n",
                                 "name: wt2\nengine: adder_tree\ncols: 3\ndepth: 3\n"
                                 "format: fp16\naccumulate: fp16\n"}) {
    const ArchConfig a = parse_arch_text(body, "w.yaml");
    for (const char* ops : {"random", "normal:1"}) {
      INFO(body << ops);
      VerifyOptions o;
      o.seed = 31;
      o.dist = parse_operand_dist(ops);
      std::ostringstream progress;
      const VerifyOutcome r = verify_systolic(a, shapes, o, progress);
      CHECK(r.failure == "");
      CHECK(r.pass);
      CHECK(r.runs == 4);
    }
  }
  // L3: the cube's 82-bit group sum cut to 64 bits (zero-extended) is caught
  VerifyOptions o;
  o.seed = 31;
  o.mutate = [](GeneratedRtl& g) {
    std::string& t = g.files.at("tpe_wc1_fdot.v");
    const std::string from = "wire [81:0] v = t0[81:0] + t1[81:0];";
    const size_t at = t.find(from);
    REQUIRE(at != std::string::npos);
    t.replace(at, from.size(), "wire [81:0] v = {18'd0, t0[63:0] + t1[63:0]};");
  };
  std::ostringstream progress;
  const ArchConfig a =
      parse_arch_text("name: wc1\nengine: cube\nrows: 2\ncols: 2\ndepth: 2\nformat: fp16\n"
                      "accumulate: fp32\n",
                      "w.yaml");
  const VerifyOutcome r = verify_systolic(a, shapes, o, progress);
  CHECK(!r.pass);
  CHECK(r.failure.find("RTL") != std::string::npos);
}

TEST_CASE("the FP engine check catches a PE that does not restart at +0") {
  // the os PE adds the first product of a fold to the old accumulator
  const ArchConfig a = fp_arch("systolic", "os", 1, 1, 1, "fp8_e4m3", "fp8_e4m3", "fp32");
  const RtlMutation no_restart = [&](GeneratedRtl& g) {
    std::string& pe = g.files.at("tpe_" + a.name + "_pe.v");
    const std::string from = ".acc(f_in[1] ? {A{1'b0}} : acc)";
    const size_t at = pe.find(from);
    REQUIRE(at != std::string::npos);
    pe.replace(at, from.size(), ".acc(acc)");
  };
  CHECK(check_rtl_against_operators(a, 16, {layer(2, 2, 3)}, 0.0, no_restart, false) > 0);
}
