// `tpe verify --vcd` on every engine: the SystemC model's waveform names each of
// its signals as the RTL does, with the same width, and shows the same value on
// every cycle of a passing run (addresses and write data while enabled) — the
// model's registers are the RTL's twins in the waveforms too. The second case
// sweeps the format families (integer, element FP, mixed pairs, group sums, block
// formats) over every engine: no model probe is dropped. Two Verilator builds per
// design (untraced and traced): label full.
#include "test_helpers.h"
#include "vcd_reader.h"
#include <catch2/catch.hpp>

using namespace tpe;
using namespace tpe::test;

namespace {

ArchConfig design(const std::string& name, const std::string& engine, int rows, int cols, int depth,
                  const std::string& df, const std::string& pe) {
  ArchConfig a;
  a.name = name;
  a.engine = engine;
  a.rows = rows;
  a.cols = cols;
  a.depth = depth;
  a.dataflow = df;
  a.pe = pe;
  a.format = "int8";
  a.acc_bits = 32;
  validate_arch(a);
  return a;
}

} // namespace

TEST_CASE("verify --vcd: the model's waveform equals the RTL's on every engine") {
  struct Case {
    ArchConfig arch;
    bool serial;        // a serial array: its dig_valid port is traced too
    std::string pe_reg; // a PE register of the last PE the model must trace
  };
  const std::vector<Case> cases = {
      {design("vcd_sys_os", "systolic", 2, 3, 1, "os", "mac"), false, pe_reg(1, 2, "acc")},
      {design("vcd_sys_ws", "systolic", 3, 2, 1, "ws", "mac"), false, pe_reg(2, 1, "ps")},
      {design("vcd_sys_is", "systolic", 2, 2, 1, "is", "booth"), false, pe_reg(1, 1, "wa")},
      {design("vcd_sys_opt3", "systolic", 2, 2, 1, "os", "opt3"), true, pe_reg(1, 1, "res")},
      {design("vcd_sys_bits", "systolic", 2, 2, 1, "os", "bitserial"), true, pe_reg(1, 1, "res")},
      {design("vcd_m2d", "matrix2d", 2, 3, 1, "os", "ent"), false, pe_reg(1, 2, "dr")},
      {design("vcd_m2d_opt4c", "matrix2d", 3, 1, 1, "os", "opt4c"), true, pe_reg(2, 0, "res")},
      {design("vcd_tree", "adder_tree", 1, 3, 4, "ws", "mac"), false, "u_array.g_tree[2].pe.t"},
  };
  for (const Case& c : cases) {
    INFO(c.arch.name);
    TempDir d(c.arch.name);
    const VerifyOutcome r = verify_vcd(c.arch, "5x9x4", d.p.string());
    REQUIRE(r.pass);
    const Vcd rtl = parse_vcd((d.p / "rtl.vcd").string());
    const Vcd model = parse_vcd((d.p / "model.vcd").string());
    const std::string top = "tpe_" + c.arch.name;
    check_same_names(rtl, model, top);
    if (c.serial) CHECK(model.width.count(top + ".dig_valid") == 1);
    CHECK(model.width.count(top + "." + c.pe_reg) == 1);
    check_same_values(rtl, model, top);
  }
}

TEST_CASE("verify --vcd: every engine and format family, no probe dropped, values the RTL's") {
  // tiny designs: the systolic dataflows, the cube, the 2D matrix and the adder
  // trees with integer, element FP (one format and mixed pairs), group sums and
  // block formats (test_vcd.cpp runs six of these kinds in make test)
  const std::vector<std::string> designs = {
      "name: vcd_f_is_int\nengine: systolic\nrows: 2\ncols: 2\ndataflow: is\nformat: int8\n",
      "name: vcd_f_os_opt1\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\npe: opt1\n"
      "format: int8\n",
      "name: vcd_f_ws_opt1\nengine: systolic\nrows: 2\ncols: 2\ndataflow: ws\npe: opt1\n"
      "format: int8\n",
      "name: vcd_f_os_mix\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n"
      "format: {act: fp8_e4m3, weight: fp8_e5m2}\naccumulate: fp16\n",
      "name: vcd_f_is_fp8\nengine: systolic\nrows: 2\ncols: 2\ndataflow: is\n"
      "format: fp8_e4m3\naccumulate: fp32\n",
      "name: vcd_f_os_mx4\nengine: systolic\nrows: 1\ncols: 1\ndataflow: os\nformat: mxfp4\n"
      "accumulate: fp32\n",
      "name: vcd_f_os_nv4\nengine: systolic\nrows: 2\ncols: 1\ndataflow: os\nformat: nvfp4\n"
      "accumulate: fp32\n",
      "name: vcd_f_ws_nv4\nengine: systolic\nrows: 1\ncols: 1\ndataflow: ws\nformat: nvfp4\n"
      "accumulate: bf16\n",
      "name: vcd_f_is_mx4\nengine: systolic\nrows: 2\ncols: 2\ndataflow: is\nformat: mxfp4\n"
      "accumulate: fp32\n",
      "name: vcd_f_cube_g16\nengine: cube\nrows: 1\ncols: 2\ndepth: 2\nformat: fp16\n"
      "accumulate: fp32\n",
      "name: vcd_f_cube_nv4\nengine: cube\nrows: 2\ncols: 1\ndepth: 2\nformat: nvfp4\n"
      "accumulate: fp16\n",
      "name: vcd_f_m2d_fp8\nengine: matrix2d\nrows: 2\ncols: 2\nformat: fp8_e4m3\n"
      "accumulate: fp32\n",
      "name: vcd_f_m2d_mxi\nengine: matrix2d\nrows: 2\ncols: 1\n"
      "format: {act: mxint8, weight: int8}\naccumulate: fp32\n",
      "name: vcd_f_tree_fp8\nengine: adder_tree\ncols: 2\ndepth: 1\nformat: fp8_e4m3\n"
      "accumulate: fp32\n",
      "name: vcd_f_tree_mx8\nengine: adder_tree\ncols: 1\ndepth: 2\nformat: mxfp8_e4m3\n"
      "accumulate: fp16\n",
      "name: vcd_f_tree_mxi\nengine: adder_tree\ncols: 2\ndepth: 2\n"
      "format: {act: mxint8, weight: int8}\naccumulate: bf16\n",
  };
  for (const std::string& yaml : designs)
    check_design_waveforms(yaml, "3x40x3");
}
