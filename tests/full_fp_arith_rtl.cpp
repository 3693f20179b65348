// Long L0 suite (label full): one accumulate step of every E4M3 and E5M2 product
// pair into fp32, fp16 and bf16 from the whole edge set of accumulator values
// (zeros, subnormals, min normal, the largest finite values, Inf, NaNs, ordinary
// values), the fixed accumulator from every edge state and the fp32 accumulate of
// every E4M3 L-Mul product from every edge accumulator, and the same accumulate
// step for every FP6 (E3M2, E2M3), FP4 (E2M1) and mixed E4M3 x E5M2 pair; RTL vs model
// bit for bit. Also the operators' area and delay on the test library (printed).
#include "fp_rtl_bundles.h"
#include "reports/liberty.h"
#include "reports/synth_flow.h"
#include <chrono>

using namespace tpe;
using namespace tpe::fptest;

TEST_CASE("L0 full: every E4M3/E5M2 pair x every edge accumulator, model vs RTL") {
  const auto t0 = std::chrono::steady_clock::now();
  const Bundle b = fp8_bundle();
  std::vector<UnitVector> v;
  add_acc_vectors(v, 2, e4m3(), 1000);
  add_acc_vectors(v, 3, e5m2(), 1000);
  add_fixed_lmul_vectors(v, 1000);
  for (size_t i = 0; i < small_layouts().size(); ++i)
    add_acc_vectors(v, 6 + int(i), small_layouts()[i], 1000);
  add_mixed_vectors(v, 1000);
  CHECK(b.check(v, "L0 fp8 operators") == 0);
  std::cerr << "L0 full fp8: " << v.size() << " vectors in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
            << " s\n";
}

namespace {
// The operator between input and output registers, synthesized and timed on the
// test library: area (um^2) and critical path (ns).
SynthReport synth_registered(const std::string& name, const std::string& module_text, int in_a,
                             int in_b, int out, const std::string& ports) {
  std::string w = "`timescale 1ns/1ps\nmodule reg_top(input clk, input [" +
                  std::to_string(in_a - 1) + ":0] a_d, input [" + std::to_string(in_b - 1) +
                  ":0] b_d, output reg [" + std::to_string(out - 1) + ":0] q);\n  reg [" +
                  std::to_string(in_a - 1) + ":0] a;\n  reg [" + std::to_string(in_b - 1) +
                  ":0] b;\n  wire [" + std::to_string(out - 1) + ":0] r;\n  " + name + " u (" +
                  ports +
                  ");\n  always @(posedge clk) begin\n    a <= a_d;\n    b <= b_d;\n"
                  "    q <= r;\n  end\nendmodule\n";
  GeneratedRtl g;
  g.top = "reg_top";
  g.files[name + ".v"] = module_text;
  g.files["reg_top.v"] = w;
  g.sources = {name + ".v", "reg_top.v"};
  SynthOptions so;
  so.lib = choose_library(TPE_TEST_LIBERTY);
  so.flatten = true;
  return synthesize_rtl(g, name, so);
}
} // namespace

TEST_CASE("FP operator areas and delays on the test library (printed)") {
  const UnpackedWidths w4 = float_unpacked_widths(e4m3()),
                       wb = float_unpacked_widths(bf16_layout());
  const UnpackedWidths p4 = product_widths(w4, w4), pb = product_widths(wb, wb);
  const FixedAccSpec fs = e4m3_fixed_spec();
  struct Op {
    std::string name, text;
    int a, b, out;
    std::string ports;
  };
  const std::vector<Op> ops = {
      {"prod_e4m3", fp_product_module("prod_e4m3", w4, w4), w4.bus_bits(), w4.bus_bits(),
       p4.bus_bits(), ".a(a), .b(b), .p(r)"},
      {"lmul_e4m3", lmul_module("lmul_e4m3", w4, LmulOffset::Paper), w4.bus_bits(), w4.bus_bits(),
       lmul_widths(w4, LmulOffset::Paper).bus_bits(), ".a(a), .b(b), .p(r)"},
      {"prod_bf16", fp_product_module("prod_bf16", wb, wb), wb.bus_bits(), wb.bus_bits(),
       pb.bus_bits(), ".a(a), .b(b), .p(r)"},
      {"lmul_bf16", lmul_module("lmul_bf16", wb, LmulOffset::Paper), wb.bus_bits(), wb.bus_bits(),
       lmul_widths(wb, LmulOffset::Paper).bus_bits(), ".a(a), .b(b), .p(r)"},
      {"add_fp32_e4m3", fp_accumulate_module("add_fp32_e4m3", fp32_layout(), p4), 32, p4.bus_bits(),
       32, ".acc(a), .x(b), .acc_new(r)"},
      {"add_fp32_bf16", fp_accumulate_module("add_fp32_bf16", fp32_layout(), pb), 32, pb.bus_bits(),
       32, ".acc(a), .x(b), .acc_new(r)"},
      {"fix_e4m3", fixed_accumulate_module("fix_e4m3", fs, p4), fs.width + 3, p4.bus_bits(),
       fs.width + 3, ".acc(a), .x(b), .acc_new(r)"}};
  const Liberty lib = parse_liberty(choose_library(TPE_TEST_LIBERTY).synth_lib);
  const double dff = lib.cell("sky130_fd_sc_hd__dfxtp_1")->area;
  for (const Op& o : ops) {
    const SynthReport r = synth_registered(o.name, o.text, o.a, o.b, o.out, o.ports);
    std::cerr << o.name << ": area " << r.area << " " << r.area_unit << ", without its " << r.flops
              << " registers " << r.area - double(r.flops) * dff << ", " << r.cells
              << " cells, critical path " << r.critical_path_ns << " ns\n";
    CHECK(r.flops == o.a + o.b + o.out);
    CHECK(r.area > double(r.flops) * dff);
    CHECK(r.timed);
  }
}
