// Model vs RTL for the FP operators (rtl_gen/fp_arith_verilog.h against
// pe_models/fp_arith.h and pe_models/lmul.h), bit for bit: every E4M3 and E5M2
// operand pair through the exact product and L-Mul (three offsets), one accumulate
// step of every E4M3/E5M2 product into fp32, fp16 and bf16 from 3 edge
// accumulators (all 24 in full_fp_arith_rtl.cpp) and of every FP6 E3M2 / E2M3 and
// FP4 E2M1 product (exact product too) from all 24 edge accumulators, every mixed
// (E4M3 x E5M2) pair from 3, the fixed accumulator and the converter; seeded random fp16/bf16 sets
// plus every pair of edge codes; a fault in the adder's sticky logic is caught. Every emitted
// module is lint-clean under verilator -Wall and synthesizes with yosys.
#include "core/atomic_file.h"
#include "core/process.h"
#include "fp_rtl_bundles.h"
#include <filesystem>
#include <unistd.h>

using namespace tpe;
using namespace tpe::fptest;

namespace {

std::string temp_dir(const std::string& tag) {
  const std::string d = std::filesystem::temp_directory_path().string() + "/tpe_fp_" + tag + "_" +
                        std::to_string(getpid());
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// Every module of the library across operand and accumulator formats.
std::map<std::string, std::string> all_modules() {
  std::map<std::string, std::string> m;
  const FpLayout* ops[] = {&e4m3(), &e5m2(), &fp16_layout(), &bf16_layout()};
  const FpLayout* accs[] = {&fp32_layout(), &fp16_layout(), &bf16_layout()};
  int i = 0;
  for (const FpLayout* L : ops) {
    const UnpackedWidths w = float_unpacked_widths(*L), pw = product_widths(w, w);
    const std::string n = L->name;
    m["prod_" + n] = fp_product_module("prod_" + n, w, w);
    m["prodmix_" + n] = fp_product_module("prodmix_" + n, w, float_unpacked_widths(e4m3()));
    for (LmulOffset o : {LmulOffset::Paper, LmulOffset::Const4, LmulOffset::None}) {
      const std::string ln = "lmul_" + n + "_" + lmul_offset_name(o);
      m[ln] = lmul_module(ln, w, o);
      const std::string an = "addl_" + n + "_" + lmul_offset_name(o);
      m[an] = fp_accumulate_module(an, fp32_layout(), lmul_widths(w, o));
    }
    for (const FpLayout* A : accs) {
      const std::string an = "add_" + A->name + "_" + n;
      m[an] = fp_accumulate_module(an, *A, pw);
      const std::string rn = "rnd_" + A->name + "_" + n;
      m[rn] = fp_round_module(rn, *A, pw);
      m[rn + "_add"] = fp_accumulate_module(rn + "_add", *A, pw);
    }
    int lsb = 0, top = 0;
    product_range(*L, *L, lsb, top);
    if (L->exp_bits <= 5) {
      const std::string fn = "fix_" + n;
      m[fn] = fixed_accumulate_module(fn, fixed_acc_spec(lsb, top), pw);
      m["f2u_" + n] = fixed_to_unpacked_module("f2u_" + n, fixed_acc_spec(lsb, top));
    }
    ++i;
  }
  // a wide exact addend (a block dot product): 40-bit significand
  m["add_fp32_wide"] = fp_accumulate_module("add_fp32_wide", fp32_layout(), {40, 12});
  return m;
}

} // namespace

TEST_CASE("FP operator Verilog is lint-clean under verilator -Wall") {
  const std::string dir = temp_dir("lint");
  int n = 0;
  const auto mods = all_modules();
  for (const auto& [name, text] : mods)
    write_file_atomic(dir + "/" + name + ".v", text);
  for (const auto& [name, text] : mods) {
    INFO(name);
    const std::string log = dir + "/" + name + ".log";
    const int rc = run_process(
        {"verilator", "--lint-only", "-Wall", "--top-module", name, name + ".v"}, dir, log);
    INFO(tail_file(log, 30));
    CHECK(rc == 0);
    CHECK(tail_file(log, 5).empty());
    ++n;
  }
  CHECK(n > 40);
  std::filesystem::remove_all(dir);
}

TEST_CASE("FP operator Verilog synthesizes with yosys (E4M3 product, L-Mul, fp32 adder, fixed)") {
  const std::string dir = temp_dir("synth");
  const UnpackedWidths w = float_unpacked_widths(e4m3()), pw = product_widths(w, w);
  const UnpackedWidths lw = lmul_widths(w, LmulOffset::Paper);
  const FixedAccSpec fs = e4m3_fixed_spec();
  std::string v = fp_product_module("sp", w, w) + lmul_module("sl", w, LmulOffset::Paper) +
                  fp_accumulate_module("sa", fp32_layout(), pw) +
                  fixed_accumulate_module("sf", fs, pw);
  const auto bw = [](int b) { return std::to_string(b - 1); };
  v += "module synth_top(input [" + bw(w.bus_bits()) + ":0] a, b, input [31:0] acc, input [" +
       bw(fs.width + 3) + ":0] facc, output [31:0] acc_new, output [" + bw(fs.width + 3) +
       ":0] facc_new, output [" + bw(lw.bus_bits()) + ":0] l);\n  wire [" + bw(pw.bus_bits()) +
       ":0] p;\n  sp u_p (.a(a), .b(b), .p(p));\n  sl u_l (.a(a), .b(b), .p(l));\n  sa u_a "
       "(.acc(acc), .x(p), .acc_new(acc_new));\n  sf u_f (.acc(facc), .x(p), .acc_new(facc_new));\n"
       "endmodule\n";
  write_file_atomic(dir + "/fp.v", v);
  const std::string log = dir + "/yosys.log";
  const int rc =
      run_process({"yosys", "-q", "-p", "read_verilog fp.v; synth -top synth_top; stat"}, dir, log);
  INFO(tail_file(log, 20));
  CHECK(rc == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("L0 RTL: E4M3/E5M2 products, L-Mul, accumulate steps, fixed, converter match the model") {
  const Bundle b = fp8_bundle();
  const UnpackedWidths w4 = float_unpacked_widths(e4m3()), w5 = float_unpacked_widths(e5m2());
  std::vector<UnitVector> v;
  for (uint64_t x = 0; x < 256; ++x)
    for (uint64_t y = 0; y < 256; ++y) {
      v.emplace_back(
          pack_bus(decode_float(e4m3(), y), w4) << 13 | pack_bus(decode_float(e4m3(), x), w4), 0);
      v.emplace_back(uint64_t(1) << 60 | pack_bus(decode_float(e5m2(), y), w5) << 13 |
                         pack_bus(decode_float(e5m2(), x), w5),
                     0);
    }
  add_acc_vectors(v, 2, e4m3(), 3);
  add_acc_vectors(v, 3, e5m2(), 3);
  add_fixed_lmul_vectors(v, 2);
  for (size_t i = 0; i < small_layouts().size(); ++i)
    add_acc_vectors(v, 6 + int(i), small_layouts()[i], 24);
  add_mixed_vectors(v, 3);
  std::cerr << "L0 fp8 bundle: " << v.size() << " vectors\n";
  CHECK(b.check(v, "L0 fp8 operators") == 0);
}

TEST_CASE(
    "L0 RTL: random fp16/bf16 products, L-Mul, accumulate steps and wide addends match the model") {
  const uint64_t seed = 20261130;
  std::cerr << "L0 fp16/bf16 bundle: seed " << seed << "\n";
  const Bundle b = fp16_bundle();
  const auto v = fp16_vectors(seed, 250000);
  CHECK(b.check(v, "L0 fp16 operators") == 0);
}

TEST_CASE("L0 RTL: an adder whose alignment sticky is wrong is caught") {
  Bundle b = fp8_bundle();
  std::string& t = b.modules["add4_bf16.v"];
  const size_t p = t.find("|(S0 & ~(");
  REQUIRE(p != std::string::npos);
  t[p] = '&'; // the sticky of the bits shifted out: OR-reduction becomes AND-reduction
  std::vector<UnitVector> v;
  add_acc_vectors(v, 2, e4m3(), 24);
  CHECK(b.check(v, "L0 fp8 operators (fault injected)") > 100);
}

TEST_CASE("L0 RTL: a converter rounding ties away from zero is caught") {
  Bundle b = fp16_bundle();
  std::string& t = b.modules["rndh_add.v"];
  const size_t p = t.find("(guard & (sticky | q[0]))");
  REQUIRE(p != std::string::npos);
  t.replace(p, 25, "(guard)"); // round half away from zero instead of to even
  const auto v = fp16_vectors(20261131, 20000);
  CHECK(b.check(v, "L0 fp16 operators (converter fault)") > 10);
}

TEST_CASE("L0 RTL: an adder that does not normalize its addend is caught") {
  Bundle b = fp8_bundle();
  std::string& t = b.modules["add4_fp32.v"];
  const size_t p = t.find(" << x_lz;");
  REQUIRE(p != std::string::npos);
  t.replace(p, 9, " << 1'b0;"); // the addend's leading-zero shift is lost
  std::vector<UnitVector> v;
  add_acc_vectors(v, 2, e4m3(), 3);
  CHECK(b.check(v, "L0 fp8 operators (normalizer fault)") > 1000);
}
