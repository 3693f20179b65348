// Verilog decoders of the number formats, each the twin of its C++ decoder
// (NumberFormat::decode, pe_models/number_format.h): a combinational module from one
// element code to the Unpacked bus of pe_models/unpacked.h,
//   u = { is_nan, is_inf, is_zero, neg, exp[EW-1:0], sig[SW-1:0] }
// with SW = unpacked_sig_bits(), EW = unpacked_exp_bits() of the format. Integers
// negate to a magnitude; floats split sign/exponent/mantissa, restore the hidden
// bit and subtract bias + m from the exponent field; HiF8 decodes its prefix (dot)
// code with a priority chain; NF4 is a 16-entry ROM of binary32 significands. A
// block format's decoder decodes its element (the scales are applied by the PE).
#pragma once
#include "pe_models/number_format.h"
#include <string>

namespace tpe {

// Name of the decoder module of format f: "<prefix>_dec_<f.name>".
std::string format_decoder_name(const std::string& prefix, const NumberFormat& f);

// Module `<prefix>_dec_<name>`: input [f.bits-1:0] code, output [unpacked_bus_bits(f)-1:0] u.
std::string format_decoder_module(const std::string& prefix, const NumberFormat& f);

// The bus value the decoder outputs for an Unpacked of format f (for tests and the
// model side of RTL comparisons).
uint64_t unpacked_bus_value(const NumberFormat& f, const Unpacked& u);

// Width of the Unpacked bus of f: 4 + EW + SW.
int unpacked_bus_bits(const NumberFormat& f);

} // namespace tpe
