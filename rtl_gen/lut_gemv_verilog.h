// Verilog-2005 generator of the lut_gemv engine (LUT-GEMV on SRAM-PIM arrays), both
// orientations (table: weight and table: activation) with P arrays in lockstep: the top
// module `<name>` (the controller) and P instances of the array unit `<name>_arr`
// (weight: loader, Gray-code builder, lookup issue, read pipeline, lanes, drain;
// activation: row builder, row reader, read pipeline, lanes on the held row, drain),
// register for register the stepped model sim/lut_gemv_core (same names), and the
// behavioural array `<name>_lut_sram` (OpenRAM port timing: the address registered on a
// rising edge, the data usable read_latency edges later; blackboxed in synthesis).
// Ports and what is proved: docs/lut-gemv.md "Verilog".
#pragma once
#include "core/arch_config.h"
#include "rtl_gen/systolic_verilog.h"
#include <cstdint>
#include <string>

namespace tpe {

// True when the generator covers `arch` (engine lut_gemv, either table, any arrays,
// acc_bits wider than entry_bits); else `why` (if given) receives "key: problem".
bool lut_gemv_rtl_supported(const ArchConfig& arch, std::string* why = nullptr);

// The flip-flop bits of the generated RTL of a lut_gemv design, from the generator's own
// register tables (RegDecl) and read pipeline: `unit` per array unit (`<top>_arr`, P of
// them), `controller` in the top; the arrays (`<top>_lut_sram`) are not counted. Throws
// std::invalid_argument("key: problem") as generate_lut_gemv_verilog.
struct LutGemvRegisterBits {
  int64_t unit = 0, controller = 0;
  int arrays = 0;
  int64_t total() const { return unit * arrays + controller; }
};
LutGemvRegisterBits lut_gemv_register_bits(const ArchConfig& arch);

// The Verilog of a lut_gemv design: files "<top>.v", "<top>_arr.v", "<top>_lut_sram.v"
// and filelist.f. Throws std::invalid_argument("key: problem") for a design the
// generator does not cover (lut_gemv_rtl_supported).
GeneratedRtl generate_lut_gemv_verilog(const ArchConfig& arch, const std::string& regenerate_cmd);

} // namespace tpe
