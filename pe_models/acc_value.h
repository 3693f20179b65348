// The value of one accumulator word of an engine, as `tpe gemm` reports C: an
// accumulator word is the A-bit code of ArchConfig::accumulate held in an int64,
// sign-extended from A = acc_bits bits (/work/FORMATS_CONTRACT.md point 2, the
// convention of the model's output SRAM and of the RTL harness). Keyed on
// `accumulate`:
//   int             the signed integer itself (two's complement, acc_bits wide);
//   fp32/fp16/bf16  the exact decode of the low A bits as that IEEE layout
//                   (pe_models/fp_arith.h decode_float);
//   fixed           the state bus {nan, pos_inf, neg_inf, value[W-1:0]} with
//                   W = acc_bits - 3 (fp_arith.h fixed_state_bus): NaN if `nan` or
//                   both Infs, else the Inf, else value * 2^lsb with value
//                   sign-extended from W bits and lsb = fixed_acc_lsb(arch).
#pragma once
#include "core/arch_config.h"
#include <cstdint>
#include <string>

namespace tpe {

// The weight (power of two) of the `fixed` accumulator's LSB: the smallest LSB
// exponent of an exact product of an act code and a weight code, i.e. the sum of
// the two formats' smallest Unpacked exponents over their finite nonzero codes
// (fp_arith.h product_range for IEEE layouts; 0 for plain integers).
int fixed_acc_lsb(const ArchConfig& arch);

// The value of accumulator word `word` (binary64; exact for int up to 2^53, for
// every fp32/fp16/bf16 code, and for fixed values of at most 53 significant bits).
// Throws std::invalid_argument for an unknown accumulator.
double accumulator_value(const ArchConfig& arch, int64_t word);

// The same value as text that reads back as the same binary64: the decimal
// integer for int (exact at any width), else "%.17g" (nan, inf, -inf for the
// specials).
std::string accumulator_value_text(const ArchConfig& arch, int64_t word);

// The word as an unsigned hex code of acc_bits bits ("0x0000002a").
std::string accumulator_word_hex(const ArchConfig& arch, int64_t word);

} // namespace tpe
