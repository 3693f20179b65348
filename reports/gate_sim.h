// A native, cycle-based, zero-delay simulator of a mapped netlist (yosys JSON),
// for gate-level switching activity without a Verilator build (which takes an
// hour for a 16x16 array's netlist on two cores). Algorithm:
//  1. flatten the hierarchy from the top: every module instance maps its local
//     bit numbers to global nets (port bits join the parent's nets, with a
//     union-find for bits a module passes straight through);
//  2. every library cell output becomes a truth table over at most six inputs,
//     computed from its Liberty `function` (bit masks of the inputs combined by
//     the expression's operators); flip-flops keep their ff group (clocked_on,
//     next_state, clear, preset) as truth tables over their pins and state.
//     Without a library the yosys internal gates ($_AND_, $_DFF_P_, $_SDFFE_...)
//     get the same descriptions from a built-in table;
//  3. the combinational cells are levelized once (a loop is an error);
//  4. eval(): settle the combinational logic in level order, clock every flop
//     whose clocked_on rose since the last eval (next states computed from the
//     settled values, then all applied at once, then asynchronous clear/preset),
//     settle again; then count, per net, a toggle when its settled value differs
//     from the previous eval's. This is the semantics of a Verilated netlist
//     driven by the same harness, whose toggle coverage tpe used before.
// Toggles are reported per module, summed over its instances, keyed by the net
// names Verilator's coverage would use, so one energy computation serves both.
#pragma once
#include "reports/liberty.h"
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace tpe {

// Verilator's name of a signal in coverage files: every character outside
// [A-Za-z0-9_] written as "__0" + two hex digits.
std::string coverage_name(const std::string& net);

// Truth table of a Liberty boolean function over `vars` (at most 6; bit k of the
// result is the value when input i has the value of bit i of k). Throws ToolError
// naming the function on a syntax error or an unknown variable.
uint64_t liberty_truth_table(const std::string& function, const std::vector<std::string>& vars);
// The variables of a Liberty function, in order of first use (the simulator's
// truth tables are over these).
std::vector<std::string> liberty_function_vars(const std::string& function);

// A cell that the simulator takes from a C++ model instead of gates: a memory macro
// left as a blackbox module in the netlist (an engine's SRAM arrays). Its outputs are
// a function of its state alone, and its state changes on the rising edges of its
// clock pin only, from the input values settled before the edge (the port timing of
// OpenRAM's macros and of the generated behavioural arrays). Its own energy is not in
// the toggle counts: the nets around it are (its input pins carry no load here).
class GateMacro {
public:
  struct Pin {
    std::string name;
    int width = 1;
    bool output = false;
  };
  virtual ~GateMacro() = default;
  virtual std::vector<Pin> pins() const = 0;
  virtual std::string clock() const = 0; // an input pin of one bit
  virtual void power_up() = 0;           // the state of a fresh simulation (all zeros)
  // A rising clock edge; in[i] holds the bits of input pin i of pins() (lsb first;
  // empty for outputs).
  virtual void edge(const std::vector<std::vector<uint8_t>>& in) = 0;
  // The output pins' bits from the current state (out[i] sized to pin i's width;
  // inputs' entries are left alone).
  virtual void drive(std::vector<std::vector<uint8_t>>& out) const = 0;
};
// cell type -> a new model for each instance of that type, given the widths of the
// instance's connections by pin name
using GateMacroFactories =
    std::map<std::string,
             std::function<std::unique_ptr<GateMacro>(const std::map<std::string, int>&)>>;

class GateSim {
public:
  // `lib` null: the netlist is of yosys internal gates. Cells whose type is a key of
  // `macros` are simulated by its models. Throws ToolError for a cell type it cannot
  // simulate (latches, unknown cells), a macro pin the netlist does not connect as the
  // model declares, or a combinational loop.
  GateSim(const nlohmann::json& netlist, const std::string& top, const Liberty* lib,
          const GateMacroFactories& macros = {});
  ~GateSim();
  GateSim(const GateSim&) = delete;
  GateSim& operator=(const GateSim&) = delete;

  // Every net and flip-flop to 0 (as Verilator's --x-initial 0), inputs included;
  // toggle counts cleared. The constructor ends here.
  void power_up();
  bool has_port(const std::string& port) const;
  int port_width(const std::string& port) const;
  // n <= 64 bits of a top-level port from bit lo
  void set(const std::string& port, int lo, int n, uint64_t value);
  uint64_t get(const std::string& port, int lo, int n) const;
  void eval();
  void zero_toggles();
  // module (JSON name) -> coverage key "net" or "net[bit]" -> toggles summed over
  // the module's instances; every name of a bit carries the bit's count
  std::map<std::string, std::map<std::string, int64_t>> toggles() const;
  int64_t cell_count() const;
  int64_t net_count() const;

private:
  struct Impl;
  std::unique_ptr<Impl> p_;
};

} // namespace tpe
