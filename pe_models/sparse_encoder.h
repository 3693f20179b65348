// Sparse encoder of the sparsity-encoded PEs `opt3` and `opt4c` (ARITHMETIC.md
// section 2, OPT3 / OPT4C). For a group of consecutive K operands and one bit
// weight bw it takes each operand's EN-T digit at that weight, with the
// operand's sign applied (values -2, -1, 0, 1, 2), and issues the nonzero ones
// one per cycle, lowest position first; an all-zero group still costs one cycle.
// The PE adds digit * b (a select of +-b or +-2b, no multiplier) into a
// carry-save pair for the bit weight; after the last group of a weight the pair's
// sum, shifted left by 2 * bw, is added to the output accumulator.
#pragma once
#include <cstdint>
#include <vector>

namespace tpe {

constexpr int kSparseGroup = 4; // K elements per group

// EN-T digit of a (W-bit signed) at bit weight bw, sign applied.
int ent_digit_at(int64_t a, int bw, int W);

struct GroupDigits {
  uint32_t mask = 0;      // bit p: operand p has a nonzero digit at this weight
  std::vector<int> value; // digit of each operand, sign applied
};
GroupDigits group_digits(const int32_t* a, int n, int bw, int W);

// Cycles the encoder spends on a group: max(1, nonzero digits).
inline int group_cycles(uint32_t mask) {
  const int n = __builtin_popcount(mask);
  return n ? n : 1;
}

} // namespace tpe
