// Unit (L0) simulation of small arithmetic blocks: a wrapper module `unit_top`
// (clk, in0, in1, out0, out1, 64 bits each) around the block under test is
// Verilated with testbenches/unit_harness.cpp (cached like every build) and run
// on a list of input vectors, one clock edge per vector.
#pragma once
#include "rtl_gen/systolic_verilog.h"
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tpe {

using UnitVector = std::pair<uint64_t, uint64_t>;

// `modules`: Verilog files (name -> text) besides the wrapper; `wrapper`: the
// text of module unit_top. Returns (out0, out1) per vector. Throws ToolError.
std::vector<UnitVector> run_unit(const std::map<std::string, std::string>& modules,
                                 const std::string& wrapper, const std::vector<UnitVector>& vectors,
                                 const std::string& what);

} // namespace tpe
