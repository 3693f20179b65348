// A Liberty (.lib) library read into memory: per cell its area, leakage,
// dont_use flag, whether it is sequential, and per pin its direction,
// capacitance, function and internal-power tables. Enough for area, net loads
// and switching/internal/leakage energy; timing stays with OpenSTA.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace tpe {

// A 1-D or 2-D lookup table (index_2 empty for 1-D); values row-major over index_1.
struct LibTable {
  std::vector<double> index1, index2, values;
  bool empty() const { return values.empty(); }
  // Bilinear interpolation, linear extrapolation outside the table.
  double lookup(double x1, double x2 = 0) const;
};

struct LibPower {
  std::string related_pin;
  LibTable rise, fall; // energy per output (or input) transition
};

struct LibPin {
  std::string name;
  std::string direction; // input, output, inout, internal
  double capacitance = 0;
  std::string function;
  bool clock = false;
  std::vector<LibPower> power;
};

// The ff group of a sequential cell (Liberty names: IQ and IQN are its state
// variables; the strings are Liberty boolean functions of its pins and state).
struct LibFF {
  std::string iq, iqn, clocked_on, next_state, clear, preset;
  char clear_preset_var1 = 'L', clear_preset_var2 = 'H'; // IQ, IQN when both are active
};

struct LibCell {
  std::string name;
  double area = 0;
  double leakage = 0; // cell_leakage_power, in the library's leakage unit
  bool dont_use = false;
  bool sequential = false; // has an ff or latch group
  bool has_ff = false;     // the sequential part is one ff group (in `ff`)
  LibFF ff;
  std::vector<LibPin> pins;
  const LibPin* pin(const std::string& n) const;
};

struct Liberty {
  std::string name, path;
  double time_unit_ns = 1;    // time_unit in ns
  double cap_unit_pf = 1;     // capacitive_load_unit in pF
  double leakage_unit_nw = 1; // leakage_power_unit in nW
  double voltage = 0;         // nom_voltage in V
  std::map<std::string, LibCell> cells;
  const LibCell* cell(const std::string& n) const;
};

// Parse a Liberty file. Throws InputError("FILE:LINE: ...") on syntax errors.
Liberty parse_liberty(const std::string& path);
// The same on the file's text; `path` names the file in messages.
Liberty parse_liberty_text(const std::string& text, const std::string& path);

} // namespace tpe
