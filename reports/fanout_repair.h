// Fanout repair on a mapped netlist: ABC buffers and sizes the combinational
// logic it maps, but a net driven by a flip-flop, by a module input port or by a
// submodule's output never passes through ABC, so a register that enables 512
// flops would reach timing analysis as one gate driving 512 pins. This pass gives
// every such net a buffer tree, as a placement tool's repair step would.
#pragma once
#include "reports/liberty.h"
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace tpe {

struct FanoutRepairOptions {
  int max_fanout = 16; // loads one driver (or one inserted buffer) may drive
};

struct FanoutRepairStats {
  std::string buffer_cell;
  int64_t nets = 0;         // nets that got a tree
  int64_t buffers = 0;      // buffer instances inserted (per module definition)
  int64_t worst_before = 0; // largest fanout found, clock nets excluded
};

// The library's buffer for trees: a single-input cell whose output function is
// its input, not dont_use, and among those the one whose area is closest to twice
// the smallest buffer's (sky130: buf_4). Empty when the library has no buffer.
std::string choose_tree_buffer(const Liberty& lib);

// Rewrites a yosys JSON netlist (write_json) in place: in every module, each net
// with more than max_fanout loads (library input pins, submodule input ports,
// module output ports) gets a tree of buffers of at most max_fanout loads each.
// Clock nets (nets reaching a Liberty clock pin) are left to the ideal clock.
FanoutRepairStats repair_fanout(nlohmann::json& netlist, const Liberty& lib,
                                const FanoutRepairOptions& opt);

} // namespace tpe
