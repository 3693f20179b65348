// Verilog emitters of the PE library's arithmetic blocks, each the twin of its
// emulator in pe_models/int_multipliers: the partial products are written out
// word by word and reduced by the same carry-save plan (wallace_plan or
// linear_plan), so every intermediate word exists in both.
#pragma once
#include <string>

namespace tpe {

// Module `<prefix>_mul`: p = a * b (2W bits, signed) through the structure of
// `kind`: "array" (carry-save array of W rows + correction, then one add),
// "booth" (radix-4 Booth digits, Wallace tree, one add) or "ent" (input `a` is
// the W+1-bit EN-T code word from <prefix>_ent_enc, Wallace tree, one add).
std::string multiplier_module(const std::string& kind, const std::string& prefix, int W);

// Module `<prefix>_ent_enc`: the W+1-bit EN-T code word of a signed W-bit a.
std::string ent_encoder_module(const std::string& prefix, int W);

// Module `<prefix>_opt1_step`: one OPT1 cycle, combinational: the Booth partial
// products of a*b and the pair (s_in, c_in) (zero when `first`) through one
// Wallace tree at accumulator width A, giving (s_out, c_out).
std::string opt1_step_module(const std::string& prefix, int W, int A);

// Module `<prefix>_dot`: y = sum over G lanes of a_k * b_k, modulo 2^TW (TW at
// most 2W + ceil(log2 G): exact), for the cube, the 2D matrix and the adder
// trees: one multiplier per lane (behavioural for `mac`, else <prefix>_mul of
// `kind`; lane k of `a` is AW = pe_west_width bits) and a balanced tree of
// carry-propagate adds; for `ent` with G > 1 the OPT2 same-bit-weight tree.
// WA is the west operand's code width, W the north's (they differ only for `mac`,
// whose products are WA + W bits).
std::string dot_product_module(const std::string& kind, const std::string& prefix, int WA, int W,
                               int G, int TW);
// Does the `kind` dot product of G lanes use OPT2 same-bit-weight compression
// (sbw_dot in pe_models; `ent` with more than one lane) instead of multipliers?
bool dot_is_sbw(const std::string& kind, int G);
// Width of a G-lane dot product of WA-bit by W-bit operands kept by an A-bit
// accumulator: min(A, WA + W + ceil(log2 G)).
int dot_width(int WA, int W, int G, int A);

// Does `kind` replace the PE's multiplier with a multiplier_module?
bool pe_has_multiplier_module(const std::string& kind);
// Width of the west operand as it travels through the array: W, or W+1 for the
// EN-T code word of `ent`.
int pe_west_width(const std::string& kind, int W);

} // namespace tpe
