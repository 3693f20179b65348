// Bit-exact emulators of the integer multiplier structures that the PE library
// generates as Verilog (rtl_gen/pe_verilog.cpp). Both sides are driven by the
// same reduction plans, so the emulator computes every carry-save word the
// hardware computes:
//  - partial products are n-bit two's-complement words; a negative partial
//    product is the one's complement of its magnitude plus a 1 collected in a
//    separate "negation" word at the partial product's weight;
//  - a plan is an ordered list of 3:2 carry-save adders over word indices: a CSA
//    takes three words and appends sum = x^y^z and carry = maj(x,y,z) << 1
//    (both truncated to n bits); the last two words of the list are the result;
//  - `array` adds the rows one after another (a linear chain of CSAs, the
//    classic carry-save array multiplier); `booth` and `ent` reduce with a
//    Wallace tree (groups of three, level by level);
//  - a carry-propagate add of the final pair gives the product modulo 2^n.
// Radix-4 Booth digits: d_i = -2 a_{2i+1} + a_{2i} + a_{2i-1} in {-2..2}.
// EN-T digits (the bit-weight paper, HPCA 2025): sign and magnitude; the magnitude's
// radix-4 digits r_i become e_i in {-1, 0, 1, 2} with a carry into the next digit
// whenever r_i + c_i >= 3; the operand's sign negates every digit.
#pragma once
#include <cstdint>
#include <vector>

namespace tpe {

inline uint64_t low_mask(int n) {
  return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
}

struct CsaOp {
  int x, y, z; // indices of the words it adds; its sum and carry are appended
};
using CsaPlan = std::vector<CsaOp>;

// Words 0..n_words-1 reduced to two by a Wallace tree: at each level the words
// not yet consumed are taken in groups of three (in index order), one CSA each;
// the one or two left over pass to the next level unchanged.
CsaPlan wallace_plan(int n_words);
// Words reduced in order: CSA(w0, w1, w2), then CSA(sum, carry, w3), ... .
CsaPlan linear_plan(int n_words);
// The index of the two result words of a plan applied to n_words words.
std::pair<int, int> plan_result(const CsaPlan& plan, int n_words);

struct CsaPair {
  uint64_t s = 0, c = 0;
};
// All words after running the plan (inputs first, then sum/carry of each CSA).
std::vector<uint64_t> run_plan(std::vector<uint64_t> words, const CsaPlan& plan, int n);
CsaPair reduce(const std::vector<uint64_t>& words, const CsaPlan& plan, int n);

// Partial products of a signed digit vector times b: digit i selects 0, +-b or
// +-2b at weight 4^i; words are n bits; the negation word is the last one.
std::vector<uint64_t> digit_partial_products(const std::vector<int>& digits, int64_t b, int n);

std::vector<int> booth_digits(int64_t a, int W); // W/2 digits, a = sum d_i 4^i

struct EntCode {
  bool negative = false;
  std::vector<int> digits; // of |a|, each in {-1, 0, 1, 2}; |a| = sum d_i 4^i
};
EntCode ent_encode(int64_t a, int W);
int ent_nonzero_digits(int64_t a, int W);
// The signed digits the partial products use: the magnitude's digits, negated
// for a negative operand.
std::vector<int> ent_signed_digits(const EntCode& e);
// The code word the encoder sends along the array: bit 2i+1..2i = code of digit i
// (00 = 0, 01 = +1, 10 = +2, 11 = -1), the sign on top (W+1 bits).
uint64_t ent_code_word(const EntCode& e);
EntCode ent_from_code_word(uint64_t code, int W);

// Rows of a signed array multiplier: row j = a_j ? b << j : 0 (sign-extended to
// n bits); the sign row (weight -2^(W-1)) is (~b) << (W-1) with its +1 at bit W-1
// in a last correction word.
std::vector<uint64_t> array_rows(int64_t a, int64_t b, int W, int n);

// Products (2W bits, returned sign-extended) through each structure.
int64_t array_multiply(int64_t a, int64_t b, int W);
int64_t booth_multiply(int64_t a, int64_t b, int W);
int64_t ent_multiply(int64_t a, int64_t b, int W);

// One OPT1 cycle: the Booth partial products of a*b and the accumulator pair
// (zero when `first`) through one Wallace tree of CSAs, at accumulator width A.
CsaPair opt1_step(const CsaPair& acc, bool first, int64_t a, int64_t b, int W, int A);
int64_t opt1_value(const CsaPair& acc, int A); // (s + c) mod 2^A, signed

// OPT2 (same-bit-weight compression) dot product of G lanes: every a_k is EN-T
// encoded; for each digit position i the G selected partial products (+-b_k or
// +-2b_k, unshifted, one's complement when negative) and their G negation bits
// are reduced by one Wallace tree at n = min(TW, W + 2 + ceil(log2 G)) bits and one
// carry-propagate add gives bw_i; the bw_i, sign-extended to TW bits and shifted
// by 2i, go through a last Wallace tree and add. Result modulo 2^TW, signed.
int64_t sbw_dot(const std::vector<int64_t>& a, const std::vector<int64_t>& b, int W, int TW);
// Width of the per-bit-weight trees of sbw_dot.
int sbw_width(int W, int G, int TW);

} // namespace tpe
