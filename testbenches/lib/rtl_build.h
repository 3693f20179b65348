// Building generated Verilog into a simulator with Verilator, cached by a hash of
// every input (Verilog, harness, its config header, Verilator version, flags).
#pragma once
#include "core/arch_config.h"
#include "rtl_gen/systolic_verilog.h"
#include <functional>
#include <string>

namespace tpe {

struct RtlBinary {
  std::string path; // the Verilated simulator executable
  std::string hash; // cache key
  bool from_cache = false;
  double build_seconds = 0;
};

// Cache directory: $TPE_CACHE_DIR, else $XDG_CACHE_HOME/tpe, else ~/.cache/tpe.
std::string tpe_cache_dir();
// Edits applied to the generated Verilog before it is built (fault injection in
// the checker's own tests); the edited text is what gets hashed.
using RtlMutation = std::function<void(GeneratedRtl&)>;

// Generate, build (or reuse) the Verilated systolic simulator for `arch`.
// Throws ToolError when Verilator or the C++ build fails.
RtlBinary build_systolic_rtl(const ArchConfig& arch, const RtlMutation& mutate = nullptr);

} // namespace tpe
