// Operand distributions for simulated GEMMs (tpe sim --operands, verify, power,
// calibrate, compare): uniform over the format, all most-negative, all
// most-positive, all zero, normal (given standard deviation and mean, rounded to
// the nearest integer, values outside the format's range redrawn), or Student-t
// quantized per row by its absolute maximum (the way LLM activations are quantized
// per token: SmoothQuant, LLM.int8); any of them with a sparsity fraction (each
// element is zero with that probability).
#pragma once
#include "core/tensor.h"
#include <string>

namespace tpe {

enum class OperandFill { Random, Min, Max, Zero, Normal, StudentT };

struct OperandDist {
  OperandFill fill = OperandFill::Random;
  double sd = 0, mean = 0; // Normal only (sd holds the degrees of freedom for StudentT)
  double sparsity = 0;     // probability of a zero element, 0..1
  OperandDist(OperandFill f = OperandFill::Random, double sd_ = 0, double mean_ = 0,
              double sparsity_ = 0)
      : fill(f), sd(sd_), mean(mean_), sparsity(sparsity_) {}
};

// "random" (or "uniform"), "min", "max", "zero", "normal:SD", "normal:SD:MEAN" or
// "student_t:DOF" (DOF in 1..1e6), optionally followed by "@F" for a sparsity
// fraction F in [0, 1] (for example normal:20@0.5). Throws InputError naming
// --operands.
OperandDist parse_operand_dist(const std::string& s);

// A rows x cols matrix of `bits`-wide signed operands drawn from `rng`. StudentT:
// each row's nonzero elements are drawn from Student's t with DOF degrees of freedom,
// then the row is scaled so that its largest magnitude becomes the format's largest
// positive value 2^(bits-1) - 1 and rounded to the nearest integer (ties to even):
// symmetric absmax quantization per row (per token for A, the activations); a row
// of zeros stays zero.
OperandMatrix fill_operands(int64_t rows, int64_t cols, int bits, const OperandDist& d, Rng& rng);
// Operands of an engine format (pe_models/formats.h). Integer formats: the function
// above with the format's width (the same draws). Float formats hold unsigned W-bit
// codes: random = uniform over all 2^W codes (NaN, Inf, -0 included); normal:SD[:MEAN]
// = real draws encoded with the format's default rounding and overflow rule;
// student_t:DOF = each row's draws scaled so that its largest magnitude becomes the
// format's largest finite value, then encoded the same way; min /
// max = the most negative / most positive finite value; zero and sparsity = +0
// (code 0).
OperandMatrix fill_operands(int64_t rows, int64_t cols, const std::string& format,
                            const OperandDist& d, Rng& rng);
// Block-scaled formats (docs/formats-engines.md "Block-scaled operands"): give each
// block of `format`'s block size along K (along a row of A, k_along_rows false; down
// a column of B, true; blocks start at k = 0) a random scale code, stored above the
// element code's W bits of every element of the block: E8M0 codes 107..147
// (2^-20..2^20; 115..127 for an fp16 accumulator), E4M3 codes 0x08..0x7E (positive
// normals 2^-6..448; 0x08..0x40 for fp16), so the accumulator stays mostly finite.
// Element-wise formats are left as they are.
void attach_block_scales(OperandMatrix& M, const std::string& format, bool k_along_rows,
                         const std::string& accumulate, Rng& rng);

} // namespace tpe
