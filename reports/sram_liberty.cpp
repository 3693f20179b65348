// Liberty text of a blackboxed SRAM macro (reports/sram_liberty.h): units of the
// sky130 standard-cell library (ns, pF, V), scalar tables, one bus type per width.
#include "reports/sram_liberty.h"
#include <fmt/format.h>
#include <set>
#include <stdexcept>

namespace tpe {

namespace {

std::string scalar(const std::string& group, double v) {
  return fmt::format("        {}(scalar) {{ values(\"{:.4f}\"); }}\n", group, v);
}

std::string constraint(const std::string& type, const std::string& clock, double v) {
  return "      timing() {\n        timing_type : " + type + ";\n        related_pin : \"" + clock +
         "\";\n" + scalar("rise_constraint", v) + scalar("fall_constraint", v) + "      }\n";
}

} // namespace

std::string sram_macro_liberty(const std::string& cell, const std::vector<MacroPin>& pins,
                               const std::string& clock_pin, double area_um2,
                               const SramMacroTiming& t) {
  bool clock = false;
  std::set<int> widths;
  for (const auto& p : pins) {
    if (p.name.empty() || p.width < 1)
      throw std::invalid_argument("sram_macro_liberty: pin '" + p.name + "' of width " +
                                  std::to_string(p.width));
    if (p.name == clock_pin && !p.output && p.width == 1) clock = true;
    if (p.width > 1) widths.insert(p.width);
  }
  if (!clock)
    throw std::invalid_argument("sram_macro_liberty: " + cell + " has no 1-bit input '" +
                                clock_pin + "' (its clock)");
  std::string s = "/* Timing model of the SRAM macro " + cell +
                  ", written by tpe synth (reports/sram_liberty.h).\n"
                  "   Source: OpenRAM sky130_sram_1kbyte_1rw1r_32x256_8_TT_1p8V_25C.lib, "
                  "VLSIDA/sky130_sram_macros commit 261a97b\n"
                  "   (../shared/LUT_PIM.md section 4.1): the worst of its two ports; inputs "
                  "registered at the rising edge,\n"
                  "   data out after the falling edge. Area: reports/sram_model.h. */\n";
  s += "library (" + cell +
       ") {\n  delay_model : table_lookup;\n  time_unit : \"1ns\";\n"
       "  voltage_unit : \"1V\";\n  current_unit : \"1mA\";\n  resistance_unit : \"1kohm\";\n"
       "  capacitive_load_unit (1, pf);\n  leakage_power_unit : \"1mW\";\n"
       "  nom_process : 1.0;\n  nom_voltage : 1.8;\n  nom_temperature : 25;\n"
       "  input_threshold_pct_rise : 50;\n  input_threshold_pct_fall : 50;\n"
       "  output_threshold_pct_rise : 50;\n  output_threshold_pct_fall : 50;\n"
       "  slew_lower_threshold_pct_rise : 10;\n  slew_upper_threshold_pct_rise : 90;\n"
       "  slew_lower_threshold_pct_fall : 10;\n  slew_upper_threshold_pct_fall : 90;\n";
  for (int w : widths)
    s += fmt::format("  type (tpe_bus_{0}) {{\n    base_type : array;\n    data_type : bit;\n"
                     "    bit_width : {0};\n    bit_from : {1};\n    bit_to : 0;\n"
                     "    downto : true;\n  }}\n",
                     w, w - 1);
  s += fmt::format("  cell ({}) {{\n    area : {:.3f};\n    dont_use : true;\n"
                   "    dont_touch : true;\n    interface_timing : true;\n",
                   cell, area_um2);
  for (const auto& p : pins) {
    std::string body;
    if (p.name == clock_pin) {
      body = "      clock : true;\n" + constraint("minimum_period", clock_pin, t.min_period_ns) +
             constraint("min_pulse_width", clock_pin, t.min_pulse_width_ns);
    } else if (p.output) {
      body = "      timing() {\n        timing_type : falling_edge;\n"
             "        timing_sense : non_unate;\n        related_pin : \"" +
             clock_pin + "\";\n" + scalar("cell_rise", t.clk_to_dout_ns) +
             scalar("cell_fall", t.clk_to_dout_ns) +
             scalar("rise_transition", t.dout_transition_ns) +
             scalar("fall_transition", t.dout_transition_ns) + "      }\n";
    } else {
      body = constraint("setup_rising", clock_pin, t.setup_ns) +
             constraint("hold_rising", clock_pin, t.hold_ns);
    }
    const std::string dir =
        fmt::format("      direction : {};\n", p.output ? "output" : "input") +
        (p.output ? std::string()
                  : fmt::format("      capacitance : {:.5f};\n", t.pin_capacitance_pf));
    if (p.width == 1)
      s += "    pin (" + p.name + ") {\n" + dir + body + "    }\n";
    else
      s += fmt::format("    bus ({0}) {{\n      bus_type : tpe_bus_{1};\n{2}"
                       "    pin ({0}[{3}:0]) {{\n{4}    }}\n    }}\n",
                       p.name, p.width, dir, p.width - 1, body);
  }
  s += "  }\n}\n";
  return s;
}

} // namespace tpe
