// A Liberty cell for an SRAM macro left as a blackbox in synthesis, so that OpenSTA
// times the paths into and out of the array instead of failing on an unknown cell.
// The pins are the blackbox module's ports (names, directions, widths); the timing is
// OpenRAM's sky130 1 KB dual-port macro (sky130_sram_1kbyte_1rw1r_32x256_8, TT 1.8 V
// 25 C, the 2023 re-characterized library at VLSIDA/sky130_sram_macros commit 261a97b;
// ../shared/LUT_PIM.md section 4.1), the slowest of the three re-characterized macros
// (clock-to-dout 2.14..3.38 ns, minimum period 5.156..6.875 ns), taken for every array
// size: every input is registered at the rising clock edge (setup / hold), the data
// leave after the falling edge (OpenRAM reads on the falling edge), and the clock has a
// minimum period. docs/lut-gemv.md "Synthesis" says what this times and what it does not.
#pragma once
#include <string>
#include <vector>

namespace tpe {

// One port of the macro's module.
struct MacroPin {
  std::string name;
  bool output = false;
  int width = 1; // bits; 1 is written as a scalar pin
};

// The figures written into the cell, ns and pF (the worst of port 0 and port 1 of the
// 1 KB macro over its load and slew table, each rounded the conservative way).
struct SramMacroTiming {
  double setup_ns = -0.248;      // inputs before the rising edge (negative: may arrive after)
  double hold_ns = 1.766;        // inputs held after the rising edge
  double clk_to_dout_ns = 3.382; // after the falling edge
  double dout_transition_ns = 0.392;
  double min_period_ns = 6.875; // the clock pin's minimum period
  double min_pulse_width_ns = 3.4375;
  double pin_capacitance_pf = 0.00689;
};

// The Liberty library (one cell named `cell`, area `area_um2`) for a macro whose clock
// input is `clock_pin`. Throws std::invalid_argument when `pins` lacks `clock_pin` as
// an input or has an empty name or a width below 1.
std::string sram_macro_liberty(const std::string& cell, const std::vector<MacroPin>& pins,
                               const std::string& clock_pin, double area_um2,
                               const SramMacroTiming& t = {});

} // namespace tpe
