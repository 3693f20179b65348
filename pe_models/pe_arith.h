// The arithmetic of one architecture's PEs on operand codes and accumulator words,
// built once from the ArchConfig: the exact product (PE mac) or the L-Mul product
// (PE lmul, pe_models/lmul.h) of a west and a north code, one accumulate step with
// one rounding (fp32/fp16/bf16: fp_accumulate; fixed: fixed_accumulate), the add of
// two accumulator words (the ws/is accumulator stage) and the exact dot product of
// a group of lanes (cube, matrix2d, adder_tree). Rules: FORMATS_CONTRACT item 3 and
// docs/formats-engines.md. For `accumulate: int` the engines keep their inline
// integer path (pe_models/int_arith.h); this object serves every other accumulator.
//
// Data: operand codes as the OperandMatrix holds them (float formats: unsigned
// W-bit codes; integer formats: signed values); an accumulator word is the A-bit
// accumulator code (fixed: the state bus {nan, pos_inf, neg_inf, value}) held in an
// int64 sign-extended from A bits, like an int accumulator. Block-scaled formats
// (systolic os, cube, matrix2d, adder_tree): a block's products add exactly into a
// block register (FixedAcc of group_sum_spec over the block size), and at the
// block's end the register times the product of the two block scales is added into
// the accumulator with one rounding (block_add, block_close).
#pragma once
#include "core/arch_config.h"
#include "pe_models/fp_arith.h"
#include "pe_models/lmul.h"
#include "pe_models/number_format.h"
#include "pe_models/unpacked.h"
#include <cstdint>
#include <vector>

namespace tpe {

// The product range of two formats: lsb_min = the sum of the smallest LSB exponents
// of their finite nonzero codes, top_max = the sum of the largest (exp + bit length
// of sig), so every exact product is a multiple of 2^lsb_min below 2^top_max (for
// IEEE-style layouts this equals product_range of fp_arith.h).
void format_product_range(const NumberFormat& a, const NumberFormat& b, int& lsb_min, int& top_max);
// The `fixed` accumulator of two operand formats: fixed_acc_spec over their product
// range with kFixedGuardBits; its word is the state bus, width + 3 bits.
FixedAccSpec fixed_accumulator_spec(const NumberFormat& a, const NumberFormat& b);
// The exact group sum of `depth` products (cube/adder_tree lanes): the product range
// with ceil(log2(depth)) guard bits. The engines take it only when width <=
// kExactSumMaxWidth (120; wider than 64 bits, its Unpacked fills sig_hi).
FixedAccSpec group_sum_spec(const NumberFormat& a, const NumberFormat& b, int depth);

class PeArith {
public:
  // Throws std::invalid_argument for a combination the arithmetic cannot do (the
  // architecture parser refuses those first with a FILE:LINE error).
  explicit PeArith(const ArchConfig& a);

  bool integer() const { return int_; } // accumulate: int (callers stay inline)
  int acc_bits() const { return A_; }

  // zero codes (either sign) of the west / north operand
  bool zero_west(int64_t code) const { return wz_[idx(code, Ww_)]; }
  bool zero_north(int64_t code) const { return nz_[idx(code, Wn_)]; }
  // exact product (mac) or L-Mul product (lmul) of a west and a north code
  Unpacked product(int64_t west, int64_t north) const;
  // ADD(acc, x) with one rounding: first ? ADD(+0, x) : ADD(acc, x); returns the word
  int64_t add(int64_t acc, bool first, const Unpacked& x) const;
  int64_t mac(int64_t acc, bool first, int64_t west, int64_t north) const {
    return add(acc, first, product(west, north));
  }
  // ADD2(c_old, psum): both accumulator words; psum is decoded exactly
  int64_t add_words(int64_t c_old, int64_t psum) const { return add(c_old, false, value(psum)); }
  // the exact sum of n lanes' products (n == 1: the product itself)
  Unpacked group_dot(const int64_t* west, const int64_t* north, int n) const;
  // the exact value an accumulator word stands for
  Unpacked value(int64_t word) const;

  // Block-scaled operands (docs/formats-engines.md "Block-scaled operands"): an
  // operand value is (scale code << W) | element code, W that operand's element code
  // width; an operand without blocks has no scale bits and takes scale 1.
  int block() const { return block_; } // elements per block along K (0: no blocks)
  // the exact block register after adding the product of the element codes
  FixedAcc block_add(const FixedAcc& s, int64_t west, int64_t north) const;
  // the block's end: RNE(acc + s x scale(west) x scale(north)), one rounding
  // (first: acc is +0); the scales are the codes' bits above W
  int64_t block_close(int64_t acc, bool first, const FixedAcc& s, int64_t west,
                      int64_t north) const;
  // the exact product of the two block scales of the operand values
  Unpacked scale_product(int64_t west, int64_t north) const;
  const FixedAccSpec& block_spec() const { return bspec_; }

private:
  bool int_ = true, lmul_ = false, fixed_ = false;
  int A_ = 32, Ww_ = 8, Wn_ = 8, man_bits_ = 0; // Ww_, Wn_: west, north code bits
  LmulOffset off_ = LmulOffset::Paper;
  const FpLayout* acc_layout_ = nullptr;
  FixedAccSpec fspec_{}, gspec_{};
  std::vector<Unpacked> wdec_, ndec_;
  int block_ = 0;
  FixedAccSpec bspec_{};
  std::vector<Unpacked> wsdec_, nsdec_; // scale decode tables (empty: scale 1)
  std::vector<uint8_t> wz_, nz_;

  static size_t idx(int64_t code, int bits) {
    return static_cast<size_t>(static_cast<uint64_t>(code) & ((uint64_t(1) << bits) - 1));
  }
  FixedAcc fixed_state(int64_t word) const;
  int64_t fixed_word(const FixedAcc& s) const;
};

} // namespace tpe
