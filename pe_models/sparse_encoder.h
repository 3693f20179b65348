// Serial PEs: the operand of the west edge is fed to the PEs as terms (digits or
// bits) over several cycles, a group of 4 K elements at a time.
//  - EntDigits (`opt3`, `opt4c`; the bit-weight paper, HPCA 2025, OPT3 / OPT4C): see below.
//  - Bits (`bitserial`, Stripes-style): W passes, one per bit position from the MSB
//    (weight -2^(W-1)) down; each cycle the 4 operands' bits at the pass's position
//    gate their b (all lanes at once, one cycle per group); the pair is shifted by
//    1 between passes.
//  - Oneffsets (`pragmatic`, Bit-Pragmatic-style): one pass; each lane issues the
//    positions of its operand's nonzero magnitude bits, lowest first, one per cycle
//    (all lanes at once; the sign negates every term); a group costs
//    max(1, most nonzero bits in a lane) cycles.
// Sparse encoder of EntDigits: For a group of consecutive K operands and one bit
// weight bw it takes each operand's EN-T digit at that weight, with the
// operand's sign applied (values -2, -1, 0, 1, 2), and issues the nonzero ones
// one per cycle, lowest position first; an all-zero group still costs one cycle.
// The PE adds digit * b (a select of +-b or +-2b, no multiplier) into a
// carry-save pair for the bit weight; after the last group of a weight the pair's
// sum, shifted left by 2 * bw, is added to the output accumulator.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tpe {

constexpr int kSparseGroup = 4; // K elements per group

enum class SerialScheme { EntDigits, Bits, Oneffsets };
struct SerialInfo {
  SerialScheme scheme = SerialScheme::EntDigits;
  int passes = 1;     // passes over K per fold
  int pass_shift = 0; // left shift of the carry-save pair between passes
};
SerialInfo serial_info(const std::string& pe, int W);
// Terms an operand contributes over all passes (nonzero EN-T digits, set bits
// of its W-bit two's complement, nonzero bits of its magnitude).
int serial_terms(int64_t a, int W, SerialScheme s);

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
