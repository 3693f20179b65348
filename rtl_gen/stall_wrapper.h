// The stall wrapper of a generated engine (issue 15 item 2; docs/memory-model.md
// "Stalls in the RTL"): a top `<top>_stall` with the engine top's parameters and ports
// plus one input, `stall`, high in a cycle when the memory cannot serve that cycle. The
// rising edge that ends such a cycle leaves the whole engine unchanged: an integrated
// clock gate (the enable latched while clk is low, ANDed with clk) clocks the engine, and
// every memory strobe (`*_rd_en`, `*_wr_en`, lut_gemv's `row_rd` / `row_wr`) and `dig_valid`
// are forced low in the cycle, so
// no SRAM is read or written and the SRAMs' read data hold. With stall low on every cycle the
// wrapper is the engine, cycle for cycle. `done` and `busy` pass through (done stays high
// over a stall of its cycle). Localparams of the top that size its ports (lut_gemv's,
// declared after the port list) are copied. The SystemC model's twin is ClockedCore::idle.
#pragma once
#include "rtl_gen/systolic_verilog.h"

namespace tpe {

// `g` with the wrapper added (file `<top>_stall.v`, last in filelist.f) and made the top.
// Throws InputError ("--stall-rate: cannot put the stall wrapper around TOP: ...") when
// the top's module header cannot be read: never for a generated design (tested on every
// shipped one), possibly for the user's own Verilog (tpe verify --rtl).
GeneratedRtl add_stall_wrapper(GeneratedRtl g);

} // namespace tpe
