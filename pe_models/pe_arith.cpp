// PeArith (pe_arith.h): decode tables of the west and north formats (one Unpacked
// per code, W <= 16), the product operator chosen by the PE, and the accumulator
// chosen by `accumulate`, all from pe_models/fp_arith.h and pe_models/lmul.h.
#include "pe_models/pe_arith.h"
#include "core/bits.h"
#include "pe_models/formats.h"
#include "pe_models/int_arith.h"
#include "pe_models/pe.h"
#include <algorithm>
#include <stdexcept>

namespace tpe {

namespace {
int bit_length(uint64_t v) {
  int n = 0;
  while (v) {
    ++n;
    v >>= 1;
  }
  return n;
}

void code_range(const NumberFormat& f, int& lsb, int& top) {
  lsb = 1 << 20;
  top = -(1 << 20);
  for (uint32_t c = 0; c < f.code_count(); ++c) {
    const Unpacked u = f.decode(c);
    if (u.kind != Unpacked::Kind::Finite) continue;
    lsb = std::min(lsb, u.exp);
    top = std::max(top, u.exp + bit_length(u.sig));
  }
}

std::vector<Unpacked> decode_table(const NumberFormat& f) {
  std::vector<Unpacked> t(f.code_count());
  for (uint32_t c = 0; c < f.code_count(); ++c)
    t[c] = f.decode(c);
  return t;
}
} // namespace

void format_product_range(const NumberFormat& a, const NumberFormat& b, int& lsb_min,
                          int& top_max) {
  int la = 0, ta = 0, lb = 0, tb = 0;
  code_range(a, la, ta);
  code_range(b, lb, tb);
  lsb_min = la + lb;
  top_max = ta + tb;
}

FixedAccSpec fixed_accumulator_spec(const NumberFormat& a, const NumberFormat& b) {
  int lsb = 0, top = 0;
  format_product_range(a, b, lsb, top);
  return fixed_acc_spec(lsb, top);
}

FixedAccSpec group_sum_spec(const NumberFormat& a, const NumberFormat& b, int depth) {
  int lsb = 0, top = 0;
  format_product_range(a, b, lsb, top);
  return fixed_acc_spec(lsb, top, ceil_log2(depth));
}

PeArith::PeArith(const ArchConfig& a) {
  int_ = a.accumulate == "int";
  A_ = a.acc_bits;
  const bool is = a.dataflow == "is";
  const FormatInfo& wf = lookup_format(is ? a.weight() : a.act());
  const FormatInfo& nf = lookup_format(is ? a.act() : a.weight());
  Ww_ = wf.bits;
  Wn_ = nf.bits;
  const NumberFormat& wn = wf.number_format();
  const NumberFormat& nn = nf.number_format();
  wdec_ = decode_table(wn);
  ndec_ = decode_table(nn);
  wz_.resize(wdec_.size());
  nz_.resize(ndec_.size());
  for (size_t c = 0; c < wdec_.size(); ++c)
    wz_[c] = wdec_[c].kind == Unpacked::Kind::Zero;
  for (size_t c = 0; c < ndec_.size(); ++c)
    nz_[c] = ndec_[c].kind == Unpacked::Kind::Zero;
  const PeInfo* pe = PeRegistry::instance().find(a.pe);
  lmul_ = pe && pe->lmul;
  if (lmul_) {
    if (wn.kind != FormatKind::Float || a.act() != a.weight())
      throw std::invalid_argument("PeArith: L-Mul takes one float format");
    man_bits_ = wn.fl.man_bits;
    off_ = lmul_offset_from_name(a.lmul_offset);
  }
  if (int_) return;
  fixed_ = a.accumulate == "fixed";
  if (fixed_)
    fspec_ = fixed_accumulator_spec(wn, nn);
  else
    acc_layout_ = &float_accumulator_layout(a.accumulate);
  if (a.depth > 1) {
    gspec_ = group_sum_spec(wn, nn, a.depth);
    if (gspec_.width > kExactSumMaxWidth)
      throw std::invalid_argument("PeArith: group sum wider than " +
                                  std::to_string(kExactSumMaxWidth) + " bits");
  }
  if (wn.is_block() || nn.is_block()) {
    if (wn.is_block() && nn.is_block() && wn.block.size != nn.block.size)
      throw std::invalid_argument("PeArith: block sizes differ");
    block_ = wn.is_block() ? wn.block.size : nn.block.size;
    bspec_ = group_sum_spec(wn, nn, block_);
    if (bspec_.width > kExactSumMaxWidth)
      throw std::invalid_argument("PeArith: block sum wider than " +
                                  std::to_string(kExactSumMaxWidth) + " bits");
    if (wn.is_block()) wsdec_ = decode_table(lookup_number_format(wn.block.scale_format));
    if (nn.is_block()) nsdec_ = decode_table(lookup_number_format(nn.block.scale_format));
  }
}

FixedAcc PeArith::block_add(const FixedAcc& s, int64_t west, int64_t north) const {
  return fixed_accumulate(bspec_, s, product(west, north));
}

Unpacked PeArith::scale_product(int64_t west, int64_t north) const {
  Unpacked one;
  one.kind = Unpacked::Kind::Finite;
  one.sig = 1;
  const auto scale = [&](const std::vector<Unpacked>& t, int64_t v, int bits) {
    if (t.empty()) return one;
    return t[static_cast<size_t>((static_cast<uint64_t>(v) >> bits) & (t.size() - 1))];
  };
  return exact_product(scale(wsdec_, west, Ww_), scale(nsdec_, north, Wn_));
}

int64_t PeArith::block_close(int64_t acc, bool first, const FixedAcc& s, int64_t west,
                             int64_t north) const {
  return add(acc, first, exact_product(fixed_to_unpacked(bspec_, s), scale_product(west, north)));
}

Unpacked PeArith::product(int64_t west, int64_t north) const {
  const Unpacked& x = wdec_[idx(west, Ww_)];
  const Unpacked& y = ndec_[idx(north, Wn_)];
  return lmul_ ? lmul(x, y, man_bits_, off_) : exact_product(x, y);
}

FixedAcc PeArith::fixed_state(int64_t word) const {
  const uint64_t bus = static_cast<uint64_t>(word);
  const int w = fspec_.width;
  FixedAcc s;
  s.value = wrap_signed(bus & ((uint64_t(1) << w) - 1), w);
  s.neg_inf = (bus >> w) & 1;
  s.pos_inf = (bus >> (w + 1)) & 1;
  s.nan = (bus >> (w + 2)) & 1;
  return s;
}

int64_t PeArith::fixed_word(const FixedAcc& s) const {
  return wrap_signed(fixed_state_bus(fspec_, s), A_);
}

int64_t PeArith::add(int64_t acc, bool first, const Unpacked& x) const {
  if (fixed_) return fixed_word(fixed_accumulate(fspec_, first ? FixedAcc{} : fixed_state(acc), x));
  const uint64_t code = first ? 0 : static_cast<uint64_t>(acc) & ((uint64_t(1) << A_) - 1);
  return wrap_signed(fp_accumulate(*acc_layout_, code, x), A_);
}

Unpacked PeArith::value(int64_t word) const {
  if (fixed_) return fixed_to_unpacked(fspec_, fixed_state(word));
  return decode_float(*acc_layout_, static_cast<uint64_t>(word) & ((uint64_t(1) << A_) - 1));
}

Unpacked PeArith::group_dot(const int64_t* west, const int64_t* north, int n) const {
  if (n == 1) return product(west[0], north[0]);
  FixedAcc s;
  for (int p = 0; p < n; ++p)
    s = fixed_accumulate(gspec_, s, product(west[p], north[p]));
  return fixed_to_unpacked(gspec_, s);
}

} // namespace tpe
