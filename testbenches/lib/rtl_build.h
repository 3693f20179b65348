// Building generated Verilog into a simulator with Verilator, cached by a hash of
// every input (Verilog, harness, its config header, Verilator version, flags).
#pragma once
#include "core/arch_config.h"
#include <string>

namespace tpe {

struct RtlBinary {
  std::string path;      // the Verilated simulator executable
  std::string hash;      // cache key
  bool from_cache = false;
  double build_seconds = 0;
};

// Cache directory: $TPE_CACHE_DIR, else $XDG_CACHE_HOME/tpe, else ~/.cache/tpe.
std::string tpe_cache_dir();
// Generate, build (or reuse) the Verilated systolic simulator for `arch`.
// Throws ToolError when Verilator or the C++ build fails.
RtlBinary build_systolic_rtl(const ArchConfig& arch);

} // namespace tpe
