// PE microarchitectures, registered by name. Each entry says which formats and
// dataflows it supports; its bit-exact arithmetic lives beside it in pe_models/
// and its Verilog emitter in rtl_gen/.
#pragma once
#include "core/registry.h"
#include <string>
#include <vector>

namespace tpe {

struct PeInfo {
  std::string name;
  std::string description;
  std::vector<std::string> formats;     // formats it accepts (for act and weight)
  std::vector<std::string> dataflows;   // systolic dataflows it accepts
  bool acc_wider_than_operands = false; // needs acc_bits > operand bits
  bool ent_west = false;                // the west operand is EN-T encoded
  // sparsity-encoded, variable latency: K elements per group (0: fixed latency)
  int sparse_group = 0;
  // The utilization rule: the most MACs one PE can do per cycle with W-bit operands
  // (null: 1, a multiplier per PE). Utilization = MACs / (cycles x multipliers x
  // this), so it never exceeds 100%.
  double (*peak_macs_per_cycle)(int operand_bits) = nullptr;
  // accumulators it implements (architecture key `accumulate`)
  std::vector<std::string> accumulators = {"int"};
  // act and weight may be given in different formats (of any two code widths)
  bool mixed_formats = false;
  // the product is L-Mul's (pe_models/lmul.h), offset from the key lmul_offset
  bool lmul = false;
};

using PeRegistry = Registry<PeInfo>;

} // namespace tpe
