// Verilog emitters of the FP operators, each beside its bit-exact emulator
// (pe_models/fp_arith.h, pe_models/lmul.h), FloPoCo style: the C++ emitter takes
// the operand bus widths (SW, EW of the Unpacked bus {is_nan, is_inf, is_zero, neg,
// exp[EW-1:0], sig[SW-1:0]}, pe_models/unpacked.h) and the accumulator format, and
// writes one combinational Verilog-2005 module with every width fixed. The
// accumulator register itself belongs to the PE (state = the format's code, or the
// fixed accumulator's {nan, pos_inf, neg_inf, value}).
#pragma once
#include "pe_models/fp_arith.h"
#include "pe_models/lmul.h"
#include <string>

namespace tpe {

// module NAME(input [A-1:0] a, input [B-1:0] b, output [P-1:0] p): exact product,
// P = product_widths(a, b).bus_bits().
std::string fp_product_module(const std::string& name, UnpackedWidths a, UnpackedWidths b);

// module NAME(input [A-1:0] a, input [A-1:0] b, output [R-1:0] p): L-Mul of two
// operands of a float format with m = a.sig_bits - 1, R = lmul_widths(a, o).bus_bits().
std::string lmul_module(const std::string& name, UnpackedWidths a, LmulOffset o);

// module NAME(input [F-1:0] acc, input [X-1:0] x, output [F-1:0] acc_new):
// acc_new = RNE(acc + x) in f (fp32 / fp16 / bf16), as fp_accumulate; X = x.bus_bits().
// Datapath: decode, leading-zero counts, swap, align with sticky, add/subtract,
// leading-zero count, round (normal or subnormal LSB), pack with overflow and specials.
std::string fp_accumulate_module(const std::string& name, const FpLayout& f, UnpackedWidths x);

// module NAME(input [X-1:0] x, output [F-1:0] y): the rounding converter
// round_to_float, an accumulate into -0: it instantiates NAME_add, which is
// fp_accumulate_module(NAME + "_add", f, x) (emit both).
std::string fp_round_module(const std::string& name, const FpLayout& f, UnpackedWidths x);

// module NAME(input [S-1:0] acc, input [X-1:0] x, output [S-1:0] acc_new): the fixed
// accumulator step of fixed_accumulate, S = s.width + 3 ({nan, pos_inf, neg_inf,
// value}). Addends with x.exp < s.lsb_exp are outside its contract (add 0).
std::string fixed_accumulate_module(const std::string& name, const FixedAccSpec& s,
                                    UnpackedWidths x);

// module NAME(input [S-1:0] acc, output [U-1:0] u): the fixed accumulator's state as
// an Unpacked bus of widths fixed_unpacked_widths(s) (fixed_to_unpacked), to feed
// fp_round_module for the output conversion.
std::string fixed_to_unpacked_module(const std::string& name, const FixedAccSpec& s);

} // namespace tpe
