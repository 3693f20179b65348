// Building generated Verilog into a simulator with Verilator, cached by a hash of
// every input (Verilog, harness, its config header, Verilator version, flags).
#pragma once
#include "core/arch_config.h"
#include "rtl_gen/systolic_verilog.h"
#include "testbenches/sram_protocol.h"
#include <functional>
#include <string>
#include <vector>

namespace tpe {

struct RtlBinary {
  std::string path; // the Verilated simulator executable
  std::string hash; // cache key
  bool from_cache = false;
  double build_seconds = 0;
  bool stall = false; // built around the stall wrapper (its stimulus takes the stall line)
};
// "reused from cache (HASH)" or "built (HASH) in N s": the progress note of a build.
std::string build_note(const RtlBinary& bin);

// Cache directory: $TPE_CACHE_DIR, else $XDG_CACHE_HOME/tpe, else ~/.cache/tpe.
std::string tpe_cache_dir();
// Edits applied to the generated Verilog before it is built (fault injection in
// the checker's own tests); the edited text is what gets hashed.
using RtlMutation = std::function<void(GeneratedRtl&)>;

// The harness's view of the design (TPE_* defines of the Verilator harness).
harness::Geometry harness_geometry(const ArchConfig& arch);

// Generate, build (or reuse) the Verilated systolic simulator for `arch`.
// `mutate` edits the Verilog first (fault injection, or swapping in a gate-level
// netlist); `extra_flags` are added to Verilator's (and to the cache key). With
// `stall`, the top is the stall wrapper (rtl_gen/stall_wrapper.h), added after `mutate`
// and then edited by `mutate_wrapper` (fault injection into the wrapper).
// Throws ToolError when Verilator or the C++ build fails.
RtlBinary build_systolic_rtl(const ArchConfig& arch, const RtlMutation& mutate = nullptr,
                             const std::vector<std::string>& extra_flags = {}, bool stall = false,
                             const RtlMutation& mutate_wrapper = nullptr);

// Build (or reuse) any Verilog with a C++ harness (compiled beside the Verilated
// model, with `header` as tpe_harness_config.h); `what` names it in errors.
RtlBinary build_verilated(const GeneratedRtl& g, const std::string& harness,
                          const std::string& header, const std::string& what,
                          const std::vector<std::string>& extra_flags = {});

// The Verilog of a mapped netlist and its cell models, as a replacement for the
// generated RTL (same top module and ports): for gate-level simulation. An
// empty cells_v: a netlist of yosys internal gates, which needs no models.
RtlMutation use_gate_netlist(const std::string& netlist_v, const std::string& cells_v);
// Verilator flags for gate-level netlists (cell models trip style warnings).
const std::vector<std::string>& gate_level_flags();

} // namespace tpe
