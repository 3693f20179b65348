// Verilog-2005 generator for the systolic engine: PE, skew/deskew buffers, PE
// array, controller, accumulator stage and top, one module per file, plus a
// filelist.f. The module set and every register mirror sim/systolic_core.
#pragma once
#include "core/arch_config.h"
#include <map>
#include <string>

namespace tpe {

struct GeneratedRtl {
  std::string top;                          // top module name
  std::map<std::string, std::string> files; // file name -> contents (filelist.f included)
  std::vector<std::string> sources;         // .v files in compile order
};

GeneratedRtl generate_systolic_verilog(const ArchConfig& arch, const std::string& regenerate_cmd);

} // namespace tpe
