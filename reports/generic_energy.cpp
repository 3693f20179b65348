// The generic per-gate energy table (see generic_energy.h for its provenance).
// Combinational gates: one input capacitance and one input internal energy for
// all data inputs (the mean over the cell's pins), a separate select pin for the
// multiplexers; flip-flops: clock, data, enable, reset/set and output pins.
#include "reports/generic_energy.h"
#include "core/error.h"
#include <map>

namespace tpe {

namespace {

struct GateRow {
  double in_cap_ff, in_fj, out_fj;
  double sel_cap_ff = 0, sel_fj = 0; // $_MUX_/$_NMUX_ select S
};

const std::map<std::string, GateRow>& gates() {
  static const std::map<std::string, GateRow> t = {{"$_NOT_", {2.30, 0.00, 2.63}},
                                                   {"$_BUF_", {2.10, 0.00, 7.92}},
                                                   {"$_NAND_", {2.32, 0.24, 3.53}},
                                                   {"$_NOR_", {2.36, 0.24, 4.03}},
                                                   {"$_AND_", {1.48, 0.15, 9.69}},
                                                   {"$_OR_", {1.47, 0.11, 9.10}},
                                                   {"$_ANDNOT_", {1.90, 2.74, 4.47}},
                                                   {"$_ORNOT_", {1.93, 2.55, 4.89}},
                                                   {"$_XOR_", {4.36, 0.00, 7.83}},
                                                   {"$_XNOR_", {4.54, 0.00, 12.69}},
                                                   {"$_MUX_", {1.72, 0.35, 10.20, 3.40, 4.23}},
                                                   {"$_NMUX_", {2.24, 0.97, 6.21, 4.65, 7.03}},
                                                   {"$_AOI3_", {2.33, 0.19, 5.89}},
                                                   {"$_OAI3_", {1.71, 0.26, 3.92}},
                                                   {"$_AOI4_", {2.35, 0.21, 9.11}},
                                                   {"$_OAI4_", {2.37, 0.84, 7.19}}};
  return t;
}

bool is_flop(const std::string& type) {
  return type.rfind("$_DFF", 0) == 0 || type.rfind("$_SDFF", 0) == 0 ||
         type.rfind("$_DFFSR", 0) == 0;
}

} // namespace

GenericPin generic_pin(const std::string& type, const std::string& port) {
  GenericPin p;
  if (is_flop(type)) {
    if (port == "Q") {
      p.output = true;
      p.internal_fj = 19.24;
    } else if (port == "C") {
      p = {true, false, true, 1.79, 19.92};
    } else if (port == "D") {
      p = {true, false, false, 1.68, 2.36};
    } else if (port == "E") {
      p = {true, false, false, 3.29, 5.29};
    } else if (port == "R" || port == "S") {
      p = {true, false, false, 3.60, 0.0};
    } else {
      throw ToolError("generic energy table: flip-flop " + type + " has no pin " + port);
    }
    return p;
  }
  auto it = gates().find(type);
  if (it == gates().end())
    throw ToolError("generic energy table has no entry for yosys cell type " + type);
  const GateRow& g = it->second;
  if (port == "Y") {
    p.output = true;
    p.internal_fj = g.out_fj;
  } else if (port == "S" && g.sel_cap_ff > 0) {
    p = {true, false, false, g.sel_cap_ff, g.sel_fj};
  } else {
    p = {true, false, false, g.in_cap_ff, g.in_fj};
  }
  return p;
}

} // namespace tpe
