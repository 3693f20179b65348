// Per-gate energy table for netlists of yosys's internal gates (runs without a
// Liberty library). Every entry is the size-1 SkyWater 130 nm cell of the same
// function in the typical corner at 1.8 V (sky130_fd_sc_hd__tt_025C_1v80: inv_1,
// buf_1, nand2_1, nor2_1, and2_1, or2_1, nand2b_1, nor2b_1, xor2_1, xnor2_1,
// mux2_1, mux2i_1, a21oi_1, o21ai_0, a22oi_1, o22ai_1, dfxtp_1 with edfxtp_1's
// enable and dfrtp_1's reset): input pin capacitance, internal energy per input
// transition at 0.1 ns slew, and internal energy per output transition at 0.1 ns
// slew and 5 fF load, rise and fall averaged. Leakage is not modelled (it is
// below 0.1% of the total at 100 MHz with the real library). See docs/energy.md.
#pragma once
#include <string>

namespace tpe {

constexpr double kGenericVolts = 1.8;

struct GenericPin {
  bool input = false, output = false, clock = false;
  double cap_ff = 0;      // input capacitance
  double internal_fj = 0; // internal energy per transition of this pin
};

// The pin `port` of yosys internal cell `type` ($_NAND_, $_DFFE_PP_, ...). Throws
// ToolError for a cell type the table does not know.
GenericPin generic_pin(const std::string& type, const std::string& port);

} // namespace tpe
