// What the parser and the reports need to know about an engine: its name, the
// dimension keys it takes, the dataflows and the PEs it accepts, and the GEMMs its
// energy calibration runs on, the keys of the architecture file that only it takes
// and their checks. Engines register an EngineInfo from their own file in sim/, so
// the parser and the reports never switch on engine names.
#pragma once
#include "core/registry.h"
#include "core/workload.h"
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tpe {

struct ArchConfig;

// The GEMMs of an engine's energy calibration (reports/energy_model.cpp): `busy`
// keeps the multipliers working in almost every cycle (fill and drain a few percent
// of the run) and gives the energy per cycle and per MAC; `idle` does far fewer PE
// MACs per cycle (short folds, or one-fold GEMMs run one after the other, each from
// power-up) and, where it writes more outputs per MAC than `busy`, gives the energy
// per output word. Each list is run as one gate-level power run.
struct CalibrationGemms {
  std::vector<Layer> busy, idle;
};

// A key of the architecture file that one engine takes and every other engine
// refuses (lut_gemv's keys of LUT_PIM.md 5.5). The parser checks its type and
// range at the key's line, stores its text in DesignFields::engine_keys and fills
// the default when the engine's file does not give it.
struct EngineKey {
  enum class Type { Int, Bool, Choice };
  std::string key; // path: "group", or "array.rows" for a key of the mapping `array`
  Type type = Type::Int;
  std::string def;                  // the default, as written in YAML
  int64_t lo = 0, hi = 0;           // Int: inclusive range
  std::vector<std::string> choices; // Choice: the words; Int: words also taken ("auto")
  std::string help;
};

// The commands that run an engine's generated Verilog, in the order of the flow:
// gen, verify, synth, power, calibrate, compare, and gemm (with --rtl).
inline std::vector<std::string> all_rtl_commands() {
  return {"gen", "verify", "synth", "power", "calibrate", "compare", "gemm --rtl"};
}

// An SRAM array that the engine's Verilog leaves to a macro: a `(* blackbox *)` module
// of the generated RTL, one instance per array. `tpe synth` keeps it out of the mapped
// area, takes its area from the SRAM macro model (reports/sram_model.h) and times its
// pins with a Liberty cell of OpenRAM's sky130 figures (reports/sram_liberty.h); `tpe
// power` simulates it with reports/sram_macro_sim.h around the gate-level netlist. The
// module's ports: clk, we, waddr, wdata (written on a rising edge with we), re, raddr
// (registered on a rising edge with re), rdata (the row at the registered address,
// read_latency - 1 edges later).
struct SramArraySpec {
  std::string module;   // the blackbox module's name in the generated Verilog
  int64_t words = 0;    // rows of one array
  int width_bits = 0;   // bits of one row
  std::string ports;    // "1rw" or "1rw1r" (OpenRAM)
  int read_latency = 1; // rising edges from the address to the data
};

// bad(key, problem): throws InputError at the line of `key` (the parser's).
using KeyError = std::function<void(const std::string& key, const std::string& problem)>;

struct EngineInfo {
  std::string name;
  std::string description;
  std::vector<std::string> dataflows; // the first is the default when only one is listed
  std::vector<std::string> dims;      // required dimension keys among rows, cols, depth
  std::vector<std::string> pes;       // PEs it accepts (empty: every PE)
  int max_depth = 1;                  // largest `depth` (1 when it takes none)
  std::string dims_help;              // what the dimension keys mean on this engine
  // the calibration GEMMs for a design of this engine (its dims and dataflow)
  CalibrationGemms (*calibration_gemms)(const ArchConfig&) = nullptr;
  std::vector<EngineKey> keys = {}; // keys only this engine takes (LUT_PIM 5.5 for lut_gemv)
  // false: the engine has no PE (key `pe` refused) and checks its operand formats and
  // accumulator itself in `check` (act and weight formats may differ in width)
  bool has_pe = true;
  // The commands of the Verilog flow that cover this engine's designs, among
  // all_rtl_commands(); the others refuse the design (require_rtl, core/arch_config.h).
  std::vector<std::string> rtl_commands = all_rtl_commands();
  // The designs the engine's generator does not cover yet: "" when it covers `a`,
  // else "key: problem" (require_rtl reports it at that key's line); nullptr: all.
  std::string (*rtl_gap)(const ArchConfig& a) = nullptr;
  // The SRAM arrays of a design whose generated top module is `top` (empty: none).
  std::vector<SramArraySpec> (*sram_arrays)(const ArchConfig& a, const std::string& top) = nullptr;
  // cross-key checks of the engine's own keys, run after the generic ones
  void (*check)(const ArchConfig&, const KeyError& bad) = nullptr;
  // engines whose size is not rows x cols x depth: the shape text of reports and
  // the peak MACs per cycle (the denominator of utilization, sim/engine.h)
  std::string (*shape)(const ArchConfig&) = nullptr;
  double (*peak_macs_per_cycle)(const ArchConfig&) = nullptr;
};

using EngineRegistry = Registry<EngineInfo>;

} // namespace tpe
