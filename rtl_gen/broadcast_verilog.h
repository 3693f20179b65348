// Verilog-2005 generator for the broadcast engines: cube and matrix2d (a grid of
// dot products accumulated in place, with a drain buffer) and adder_tree (trees
// with stationary weights and an output accumulate stage). Same top ports and
// SRAM protocol as the systolic engine; every register mirrors sim/broadcast_core.
#pragma once
#include "rtl_gen/systolic_verilog.h"

namespace tpe {

GeneratedRtl generate_broadcast_verilog(const ArchConfig& arch, const std::string& regenerate_cmd);

} // namespace tpe
