// The behavioural SRAM array of an engine's generated Verilog (SramArraySpec in
// core/engine_info.h) as a macro of the native gate-level simulator (GateMacro in
// reports/gate_sim.h): `tpe power` runs the mapped netlist of the periphery around
// these models, as Verilator runs the RTL around the behavioural arrays. On a rising
// edge of clk: mem[waddr] <- wdata when we (addresses past the rows are dropped, as
// a Verilog array drops them), raddr_q <- raddr when re, and with read_latency L > 1
// an L - 1 stage pipeline shifts mem[raddr_q] (the values before the edge) in;
// rdata = mem[raddr_q] (L = 1) or the pipeline's oldest stage. A read past the rows
// gives zeros (Verilator's --x-initial 0). All state is zero at power-up.
#pragma once
#include "core/engine_info.h"
#include "reports/gate_sim.h"
#include <memory>

namespace tpe {

// The model of one instance of `spec`'s module, given the widths of the instance's
// connections (rdata and wdata give the row width, raddr and waddr the address
// width; rows = spec.words). Throws ToolError when a port is missing or the widths
// disagree.
std::unique_ptr<GateMacro> make_sram_macro_model(const SramArraySpec& spec,
                                                 const std::map<std::string, int>& widths);

// One factory per array module of `arrays`.
GateMacroFactories sram_macro_factories(const std::vector<SramArraySpec>& arrays);

} // namespace tpe
