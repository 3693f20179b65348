// `tpe verify --vcd` on every engine: the SystemC model's waveform names each of
// its signals as the RTL does, with the same width, and shows the same value on
// every cycle of a passing run (addresses and write data while enabled) — the
// model's registers are the RTL's twins in the waveforms too. Two Verilator
// builds per design (untraced and traced): label full.
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
