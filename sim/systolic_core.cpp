// Systolic core: one rising edge per step(). Algorithm per edge: (1) evaluate the
// cycle's combinational outputs (SRAM read enables/addresses, the output write)
// from the current registers; (2) update registers in an order that lets each
// one read its neighbours' old values: deskew before PEs, PEs from bottom-right
// to top-left, skew buffers after PEs, SRAM read registers and controller last.
// The register set and the update rules are those of rtl_gen/systolic_verilog.cpp
// one for one; README "Timing model" derives the resulting schedule.
#include "sim/systolic_core.h"
#include "pe_models/int_arith.h"
#include <algorithm>
#include <stdexcept>

namespace tpe {

SystolicCore::SystolicCore(int rows, int cols, int west_bits, int north_bits, int acc_bits,
                           bool output_stationary, std::shared_ptr<const PeArith> arith,
                           bool carry_save)
    : R_(rows), C_(cols), Ww_(west_bits), Wn_(north_bits), A_(acc_bits), os_(output_stationary),
      carry_save_(carry_save), ar_(std::move(arith)) {
  arow_off_.assign(R_ + 1, 0);
  for (int i = 0; i < R_; ++i)
    arow_off_[i + 1] = arow_off_[i] + i;
  bcol_off_.assign(C_ + 1, 0);
  for (int j = 0; j < C_; ++j)
    bcol_off_[j + 1] = bcol_off_[j] + j;
  dk_off_.assign(C_ + 1, 0);
  for (int j = 0; j < C_; ++j)
    dk_off_[j + 1] = dk_off_[j] + (C_ - 1 - j);
}

void SystolicCore::load(const SystolicMapping& m, const SramImages* images, bool values,
                        bool trace) {
  if (m.R != R_ || m.C != C_ || m.output_stationary != os_)
    throw std::logic_error("SystolicCore::load: mapping does not match the array");
  if (values && !images) throw std::logic_error("SystolicCore::load: values need SRAM images");
  map_ = &m;
  img_ = images;
  values_ = values;
  tracing_ = trace;
  omem_.assign(values ? static_cast<size_t>(m.o_words * C_) : 0, 0);
  trace_.clear();
  cnt_ = SystolicCounters{};
  if (values) cnt_.pe_macs_one_zero = cnt_.pe_macs_two_zero = cnt_.pe_macs_held_zero = 0;
  cycle_ = 0;
  start_pending_ = false;
  busy_ = done_q_ = false;
  iss_ = false;
  s_ = mt_ = nt_ = wbase_ = nbase_ = 0;
  phase_ = 0;
  ic_ = c_ = kt_ = nnext_ = 0;
  const size_t pes = static_cast<size_t>(R_) * C_;
  wq_.assign(R_, 0);
  nq_.assign(C_, 0);
  oq_.assign(C_, 0);
  wsq_.assign(R_, 0);
  nsq_.assign(C_, 0);
  bs_.assign(values && m.block > 0 ? pes : 0, FixedAcc{});
  wsbase_ = nsbase_ = 0;
  f1_ = 0;
  f1pv_ = false;
  ask_.assign(arow_off_[R_], 0);
  fsk_.assign(arow_off_[R_], 0);
  bsk_.assign(bcol_off_[C_], 0);
  psk_.assign(bcol_off_[C_], 0);
  ha_.assign(pes, 0);
  la_.assign(values ? pes : 0, 0);
  lb_.assign(la_.size(), 0);
  vb_.assign(pes, 0);
  acc_.assign(pes, 0);
  sh_.assign(pes, 0);
  wa_.assign(pes, 0);
  hf_.assign(pes, 0);
  dv_.assign(pes, 0);
  dk_.assign(dk_off_[C_], 0);
  ow_act_ = ow_final_ = false;
  ow_d_ = ow_addr_ = mto_ = nto_ = 0;
  wr_pend_ = wr_acc_ = wr_last_ = wr2_pend_ = wr2_last_ = false;
  wr_addr_ = wr2_addr_ = mo_ = kto_ = nto_ = 0;
  wdata2_.assign(C_, 0);
  wsb_ = !m.output_stationary && m.block > 0;
  const size_t bn = values && wsb_ ? pes : 0;
  bps_.assign(bn, FixedAcc{});
  bq_.assign(bn ? C_ : 0, FixedAcc{});
  bdata2_.assign(bq_.size(), FixedAcc{});
  btk_.assign(bn ? bcol_off_[C_] : 0, FixedAcc{});
  otk_.assign(btk_.size(), 0);
  bdk_.assign(bn ? dk_off_[C_] : 0, FixedAcc{});
  bmem_.assign(bn ? omem_.size() : 0, FixedAcc{});
}

int64_t SystolicCore::rowin(int i) const {
  return i == 0 ? wq_[0] : ask_[arow_off_[i] + i - 1];
}
uint8_t SystolicCore::rowflag(int i) const {
  return i == 0 ? f1_ : fsk_[arow_off_[i] + i - 1];
}
int64_t SystolicCore::colin(int j) const {
  return j == 0 ? nq_[0] : bsk_[bcol_off_[j] + j - 1];
}
bool SystolicCore::colpv(int j) const {
  return j == 0 ? f1pv_ : psk_[bcol_off_[j] + j - 1] != 0;
}
uint8_t SystolicCore::flag_in(int i, int j) const {
  return j == 0 ? rowflag(i) : hf_[static_cast<size_t>(i * C_ + j - 1)];
}
int64_t SystolicCore::bottom(int j) const {
  return acc_[static_cast<size_t>((R_ - 1) * C_ + j)];
}
int64_t SystolicCore::outv(int j) const {
  return j == C_ - 1 ? bottom(j) : dk_[dk_off_[j] + (C_ - 2 - j)];
}
FixedAcc SystolicCore::boutv(int j) const {
  return j == C_ - 1 ? bps_[static_cast<size_t>((R_ - 1) * C_ + j)]
                     : bdk_[dk_off_[j] + (C_ - 2 - j)];
}
int64_t SystolicCore::topin(int j) const {
  return j == 0 ? oq_[0] : otk_[bcol_off_[j] + j - 1];
}
FixedAcc SystolicCore::btopin(int j) const {
  return j == 0 ? bq_[0] : btk_[bcol_off_[j] + j - 1];
}

void SystolicCore::step() {
  if (!map_) throw std::logic_error("SystolicCore::step before load");
  if (os_)
    step_os();
  else
    step_ws();
  ++cycle_;
}

namespace {
// Shift a triangular skew line of n stages: stage 0 takes `in`.
template <typename T> void shift_line(T* line, int n, T in) {
  for (int d = n - 1; d >= 1; --d)
    line[d] = line[d - 1];
  if (n > 0) line[0] = in;
}
} // namespace

// Deskew lines take the bottom row (call before the PEs update it).
void SystolicCore::shift_deskew() {
  if (!values_) return;
  for (int j = 0; j + 1 < C_; ++j)
    shift_line(&dk_[dk_off_[j]], C_ - 1 - j, bottom(j));
  for (int j = 0; j + 1 < C_ && !bdk_.empty(); ++j)
    shift_line(&bdk_[dk_off_[j]], C_ - 1 - j, bps_[static_cast<size_t>((R_ - 1) * C_ + j)]);
}

// West skew lines take the registered SRAM word and its flags (call after the PEs).
void SystolicCore::shift_west_skew() {
  for (int i = 1; i < R_; ++i) {
    shift_line(&fsk_[arow_off_[i]], i, f1_);
    if (values_) shift_line(&ask_[arow_off_[i]], i, wq_[i]);
  }
}

void SystolicCore::step_os() {
  const int R = R_, C = C_;
  // ---- combinational outputs of this cycle
  const bool rd_en = iss_ && s_ < c_k_;
  const int64_t waddr = wbase_ + s_, naddr = nbase_ + s_;
  const int64_t B = map_->block;                  // block-scaled operands (0: none)
  const bool srd = B > 0 && rd_en && s_ % B == 0; // scale SRAM read at a block's start
  const int64_t saddr_off = B > 0 ? s_ / B : 0;
  uint8_t fl = rd_en ? uint8_t(FV | (s_ == 0 ? FFIRST : 0) | (s_ == c_k_ - 1 ? FLAST : 0)) : 0;
  if (B > 0 && rd_en)
    fl = uint8_t(FV | (s_ == std::min(B, c_k_) - 1 ? FFIRST : 0) | (s_ == c_k_ - 1 ? FLAST : 0) |
                 (s_ % B == B - 1 || s_ == c_k_ - 1 ? FBEND : 0));
  if (ow_act_) {
    ++cnt_.o_writes;
    if (values_) {
      OutputWrite w{cycle_, ow_addr_, std::vector<int64_t>(C)};
      for (int j = 0; j < C; ++j) {
        w.data[j] = outv(j);
        omem_[static_cast<size_t>(ow_addr_ * C + j)] = w.data[j];
      }
      if (tracing_) trace_.push_back(std::move(w));
    }
  }
  const uint8_t fin = flag_in(R - 1, C - 1);
  const bool ostart = (fin & FV) && (fin & FLAST);
  std::vector<uint8_t> dstart(C);
  for (int j = 0; j < C; ++j) {
    const uint8_t f = flag_in(R - 1, j);
    dstart[j] = (f & FV) && (f & FLAST);
  }
  const bool finish = ow_act_ && ow_d_ == R - 1 && ow_final_;
  const bool start_taken = start_pending_ && !busy_;

  // ---- register updates
  shift_deskew();
  for (int i = R - 1; i >= 0; --i)
    for (int j = C - 1; j >= 0; --j) {
      const size_t p = static_cast<size_t>(i * C + j);
      const uint8_t f = flag_in(i, j);
      if (values_) {
        const int64_t a = j == 0 ? rowin(i) : ha_[p - 1];
        const int64_t b = i == 0 ? colin(j) : vb_[p - C];
        if (f & FV) {
          if (!ar_) {
            acc_[p] = mac_wrap((f & FFIRST) ? 0 : acc_[p], a, b, A_);
          } else if (B > 0) { // exact block register; scale and round at the block end
            const FixedAcc bsum = ar_->block_add(bs_[p], a, b);
            if (f & FBEND) {
              acc_[p] = ar_->block_close(acc_[p], f & FFIRST, bsum, a, b);
              bs_[p] = FixedAcc{};
            } else {
              bs_[p] = bsum;
            }
          } else {
            acc_[p] = ar_->mac(acc_[p], f & FFIRST, a, b);
          }
          count_class(p, a, b);
        } else if (dv_[p]) {
          acc_[p] = acc_[p - C];
        }
        ha_[p] = a;
        vb_[p] = b;
        dv_[p] = i == 0 ? 0 : (dstart[j] ? 1 : dv_[p - C]);
      }
      if (f & FV) ++cnt_.pe_macs;
      hf_[p] = f;
    }
  shift_west_skew();
  if (values_)
    for (int j = 1; j < C; ++j)
      shift_line(&bsk_[bcol_off_[j]], j, nq_[j]);
  if (rd_en) {
    ++cnt_.w_reads;
    ++cnt_.n_reads;
    if (values_) {
      for (int i = 0; i < R; ++i)
        wq_[i] = img_->west[static_cast<size_t>(waddr * R + i)];
      for (int j = 0; j < C; ++j)
        nq_[j] = img_->north[static_cast<size_t>(naddr * C + j)];
    }
  }
  if (srd) { // the scale read registers hold their word over the block
    if (map_->west_scaled) ++cnt_.ws_reads;
    if (map_->north_scaled) ++cnt_.ns_reads;
    if (values_) {
      for (int i = 0; map_->west_scaled && i < R; ++i)
        wsq_[i] = img_->west_scale[static_cast<size_t>((wsbase_ + saddr_off) * R + i)];
      for (int j = 0; map_->north_scaled && j < C; ++j)
        nsq_[j] = img_->north_scale[static_cast<size_t>((nsbase_ + saddr_off) * C + j)];
    }
  }
  if (B > 0 && rd_en && values_) {
    for (int i = 0; i < R; ++i)
      wq_[i] |= wsq_[i] << Ww_;
    for (int j = 0; j < C; ++j)
      nq_[j] |= nsq_[j] << Wn_;
  }
  f1_ = fl;

  // output sequencer (loads a fold at ostart; folds never overlap here)
  done_q_ = finish;
  if (finish) busy_ = false;
  if (ow_act_) {
    ++ow_addr_;
    if (ow_d_ == R - 1)
      ow_act_ = false;
    else
      ++ow_d_;
  }
  if (ostart) {
    ow_act_ = true;
    ow_d_ = 0;
    ow_final_ = mto_ == c_mt_ - 1 && nto_ == c_nt_ - 1;
    if (nto_ == c_nt_ - 1) {
      nto_ = 0;
      ++mto_;
    } else {
      ++nto_;
    }
  }
  // issue sequencer
  if (iss_) {
    if (s_ == c_k_ + R - 2) {
      s_ = 0;
      if (nt_ == c_nt_ - 1) {
        nt_ = 0;
        nbase_ = 0;
        nsbase_ = 0;
        if (mt_ == c_mt_ - 1)
          iss_ = false;
        else {
          ++mt_;
          wbase_ += c_k_;
          wsbase_ += map_->KB;
        }
      } else {
        ++nt_;
        nbase_ += c_k_;
        nsbase_ += map_->KB;
      }
    } else {
      ++s_;
    }
  }
  if (start_taken) {
    c_k_ = map_->K;
    c_mt_ = map_->MT;
    c_nt_ = map_->NT;
    busy_ = true;
    iss_ = true;
    s_ = mt_ = nt_ = wbase_ = nbase_ = 0;
    wsbase_ = nsbase_ = 0;
    mto_ = nto_ = ow_addr_ = 0;
  }
  start_pending_ = false;
}

void SystolicCore::step_ws() {
  const int R = R_, C = C_;
  // ---- combinational outputs of this cycle
  const bool rd_w = phase_ == 2 && c_ < c_t_;
  const int64_t waddr = wbase_ + c_;
  const uint8_t fl = rd_w ? uint8_t(FV | (c_ == 0 ? FSWAP : 0)) : 0;
  const bool has_next = !(kt_ == c_kt_ - 1 && nt_ == c_nt_ - 1);
  const bool rd_n = phase_ == 1 || (phase_ == 2 && has_next && c_ >= R - 1 && c_ < 2 * R - 1);
  const int64_t naddr = nnext_;
  const uint8_t fin = flag_in(R - 1, C - 1);
  const bool fin_v = fin & FV;
  // block-scaled operands read the output word back at the top, with the west word
  const bool rd_o = wsb_ ? rd_w && kt_ != 0 : fin_v && kto_ != 0;
  const int64_t o_addr = nto_ * c_t_ + mo_; // output word of the row entering the last PE
  const int64_t o_raddr = wsb_ ? nt_ * c_t_ + c_ : o_addr;
  if (wr2_pend_) ++cnt_.o_writes;
  // accumulate stage: partial sum read back + row leaving the deskew, registered
  std::vector<int64_t> sum;
  std::vector<FixedAcc> bsum; // block partials leaving the deskew (block-scaled operands)
  if (wr_pend_ && values_) {
    sum.resize(C);
    for (int j = 0; wsb_ && j < C; ++j)
      bsum.push_back(boutv(j));
    for (int j = 0; j < C; ++j)
      sum[j] = !wr_acc_ || wsb_ ? outv(j)
               : ar_            ? ar_->add_words(oq_[j], outv(j))
                                : add_wrap(oq_[j], outv(j), A_);
  }
  const bool finish = wr2_pend_ && wr2_last_;
  const bool start_taken = start_pending_ && !busy_;
  std::vector<uint8_t> pv(C);
  for (int j = 0; j < C; ++j)
    pv[j] = colpv(j);

  // ---- register updates
  shift_deskew();
  for (int i = R - 1; i >= 0; --i)
    for (int j = C - 1; j >= 0; --j) {
      const size_t p = static_cast<size_t>(i * C + j);
      const uint8_t f = flag_in(i, j);
      if (values_) {
        const int64_t a = j == 0 ? rowin(i) : ha_[p - 1];
        if (f & FV) {
          const int64_t w = (f & FSWAP) ? sh_[p] : wa_[p];
          if (!ar_) {
            acc_[p] = mac_wrap(i == 0 ? 0 : acc_[p - C], a, w, A_);
          } else if (wsb_) { // block partial down the column; scale and round at its end
            const int64_t ps = i == 0 ? topin(j) : acc_[p - C];
            const FixedAcc bsum = ar_->block_add(i == 0 ? btopin(j) : bps_[p - C], a, w);
            const int sb = map_->scale_bits; // the block-end bits above the scales
            if (((a >> (Ww_ + sb)) | (w >> (Wn_ + sb))) & 1) {
              acc_[p] = ar_->block_close(ps, false, bsum, a, w);
              bps_[p] = FixedAcc{};
            } else {
              acc_[p] = ps;
              bps_[p] = bsum;
            }
          } else {
            acc_[p] = ar_->mac(i == 0 ? 0 : acc_[p - C], i == 0, a, w);
          }
          count_class(p, a, w);
          if (f & FSWAP) wa_[p] = sh_[p];
        }
        if (pv[j]) sh_[p] = i == 0 ? colin(j) : sh_[p - C];
        ha_[p] = a;
      }
      if (f & FV) ++cnt_.pe_macs;
      hf_[p] = f;
    }
  for (int j = 0; j < C; ++j)
    if (pv[j]) cnt_.preload_shifts += R;
  shift_west_skew();
  for (int j = 1; j < C; ++j) {
    shift_line(&psk_[bcol_off_[j]], j, uint8_t(f1pv_));
    if (values_) shift_line(&bsk_[bcol_off_[j]], j, nq_[j]);
    if (!btk_.empty()) {
      shift_line(&otk_[bcol_off_[j]], j, oq_[j]);
      shift_line(&btk_[bcol_off_[j]], j, bq_[j]);
    }
  }
  // SRAM reads see the memory before this edge's write
  if (rd_w) {
    ++cnt_.w_reads;
    if (values_)
      for (int i = 0; i < R; ++i)
        wq_[i] = img_->west[static_cast<size_t>(waddr * R + i)];
    if (wsb_ && map_->west_scaled) { // {block end, scale} lanes beside the codes
      ++cnt_.ws_reads;
      for (int i = 0; values_ && i < R; ++i)
        wq_[i] |= int64_t(img_->west_scale[static_cast<size_t>(waddr * R + i)]) << Ww_;
    }
    if (wsb_ && values_ && kt_ == 0) { // K-tile 0 starts from +0 and an empty block
      std::fill(oq_.begin(), oq_.end(), 0);
      std::fill(bq_.begin(), bq_.end(), FixedAcc{});
    }
  }
  if (rd_n) {
    ++nnext_;
    ++cnt_.n_reads;
    if (values_)
      for (int j = 0; j < C; ++j)
        nq_[j] = img_->north[static_cast<size_t>(naddr * C + j)];
    if (wsb_ && map_->north_scaled) {
      ++cnt_.ns_reads;
      for (int j = 0; values_ && j < C; ++j)
        nq_[j] |= int64_t(img_->north_scale[static_cast<size_t>(naddr * C + j)]) << Wn_;
    }
  }
  if (rd_o) {
    ++cnt_.o_reads;
    if (values_)
      for (int j = 0; j < C; ++j) {
        oq_[j] = omem_[static_cast<size_t>(o_raddr * C + j)];
        if (wsb_) bq_[j] = bmem_[static_cast<size_t>(o_raddr * C + j)];
      }
  }
  if (wr2_pend_ && values_) {
    for (int j = 0; j < C; ++j)
      omem_[static_cast<size_t>(wr2_addr_ * C + j)] = wdata2_[j];
    for (int j = 0; wsb_ && j < C; ++j)
      bmem_[static_cast<size_t>(wr2_addr_ * C + j)] = bdata2_[j];
    if (tracing_) trace_.push_back(OutputWrite{cycle_, wr2_addr_, wdata2_});
  }
  if (wr_pend_ && values_) {
    wdata2_ = std::move(sum);
    if (wsb_) bdata2_ = std::move(bsum);
  }
  f1_ = fl;
  f1pv_ = rd_n;

  // output stage
  done_q_ = finish;
  if (finish) busy_ = false;
  wr2_pend_ = wr_pend_;
  wr2_addr_ = wr_addr_;
  wr2_last_ = wr_last_;
  wr_pend_ = fin_v;
  wr_acc_ = kto_ != 0;
  wr_addr_ = o_addr;
  wr_last_ = fin_v && mo_ == c_t_ - 1 && kto_ == c_kt_ - 1 && nto_ == c_nt_ - 1;
  if (fin_v) {
    if (mo_ == c_t_ - 1) {
      mo_ = 0;
      if (kto_ == c_kt_ - 1) {
        kto_ = 0;
        ++nto_;
      } else {
        ++kto_;
      }
    } else {
      ++mo_;
    }
  }
  // issue sequencer
  if (phase_ == 1) {
    if (ic_ == R - 1) {
      phase_ = 2;
      c_ = 0;
    } else {
      ++ic_;
    }
  } else if (phase_ == 2) {
    if (c_ == c_pd_ - 1) {
      c_ = 0;
      if (kt_ == c_kt_ - 1) {
        kt_ = 0;
        wbase_ = 0;
        if (nt_ == c_nt_ - 1)
          phase_ = 0;
        else
          ++nt_;
      } else {
        ++kt_;
        wbase_ += c_t_;
      }
    } else {
      ++c_;
    }
  }
  if (start_taken) {
    c_t_ = map_->Mp;
    c_kt_ = map_->KT;
    c_nt_ = map_->NT;
    c_pd_ = std::max<int64_t>({c_t_, 2 * int64_t(R) - 1, 3, wsb_ ? ws_block_period(R, C) : 0});
    busy_ = true;
    phase_ = 1;
    ic_ = c_ = kt_ = nt_ = wbase_ = 0;
    nnext_ = 0;
    mo_ = kto_ = nto_ = 0;
  }
  start_pending_ = false;
}

int64_t SystolicCore::partial_bit(size_t k, int l, int A) const {
  if (l < A) return (acc_[k] >> l) & 1;
  if (bps_.empty()) return 0;                           // not a values run: no block partials
  const int b = l - A, width = ar_->block_spec().width; // {nan, pos_inf, neg_inf, value}
  const FixedAcc& s = bps_[k];
  if (b < width) return int64_t(s.value >> b) & 1;
  return b == width ? s.neg_inf : b == width + 1 ? s.pos_inf : s.nan;
}

// The top's ports and the PE registers, each as the RTL computes it in the
// cycle (the combinational outputs by the formulas step_os/step_ws use).
std::vector<Probe> SystolicCore::probes() const {
  const int R = R_, C = C_, A = A_;
  std::vector<Probe> p = {
      probe("start", 1, [this] { return int64_t(start_pending_); }),
      probe("busy", 1, [this] { return int64_t(busy_); }),
      probe("done", 1, [this] { return int64_t(done_q_); }),
      Probe{"w_rd_data", Ww_, R, [this](int l) { return wq_[static_cast<size_t>(l)]; }},
      Probe{"n_rd_data", Wn_, C, [this](int l) { return nq_[static_cast<size_t>(l)]; }},
  };
  if (os_) {
    const auto rd = [this] { return int64_t(iss_ && s_ < c_k_); };
    p.push_back(probe("w_rd_en", 1, rd));
    p.push_back(probe("n_rd_en", 1, rd));
    p.push_back(probe("w_rd_addr", 32, [this] { return wbase_ + s_; }));
    p.push_back(probe("n_rd_addr", 32, [this] { return nbase_ + s_; }));
    p.push_back(probe("o_wr_en", 1, [this] { return int64_t(ow_act_); }));
    p.push_back(probe("o_wr_addr", 32, [this] { return ow_addr_; }));
    p.push_back(Probe{"o_wr_data", A, C, [this](int j) { return outv(j); }});
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) {
        const size_t k = static_cast<size_t>(i * C + j);
        if (!carry_save_) p.push_back(probe(pe_reg(i, j, "acc"), A, [this, k] { return acc_[k]; }));
        p.push_back(probe(pe_reg(i, j, "dv"), 1, [this, k] { return int64_t(dv_[k]); }));
      }
    return p;
  }
  p.push_back(probe("w_rd_en", 1, [this] { return int64_t(phase_ == 2 && c_ < c_t_); }));
  p.push_back(probe("w_rd_addr", 32, [this] { return wbase_ + c_; }));
  p.push_back(probe("n_rd_en", 1, [this, R] {
    const bool has_next = !(kt_ == c_kt_ - 1 && nt_ == c_nt_ - 1);
    return int64_t(phase_ == 1 || (phase_ == 2 && has_next && c_ >= R - 1 && c_ < 2 * R - 1));
  }));
  p.push_back(probe("n_rd_addr", 32, [this] { return nnext_; }));
  p.push_back(probe("o_rd_en", 1, [this, R, C] {
    if (wsb_) return int64_t(phase_ == 2 && c_ < c_t_ && kt_ != 0);
    return int64_t((flag_in(R - 1, C - 1) & FV) && kto_ != 0);
  }));
  p.push_back(
      probe("o_rd_addr", 32, [this] { return wsb_ ? nt_ * c_t_ + c_ : nto_ * c_t_ + mo_; }));
  p.push_back(Probe{"o_rd_data", A, C, [this](int j) { return oq_[static_cast<size_t>(j)]; }});
  p.push_back(probe("o_wr_en", 1, [this] { return int64_t(wr2_pend_); }));
  p.push_back(probe("o_wr_addr", 32, [this] { return wr2_addr_; }));
  p.push_back(Probe{"o_wr_data", A, C, [this](int j) { return wdata2_[static_cast<size_t>(j)]; }});
  // the stationary lanes: {block end, scale, code} with block-scaled operands
  const int LW = wsb_ ? Wn_ + map_->scale_bits + 1 : Wn_;
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < C; ++j) {
      const size_t k = static_cast<size_t>(i * C + j);
      // ps = {block partial state [BS], accumulator [A]}: one bit a lane; none when the
      // RTL's ps is the carry-save pair {c, s}
      if (wsb_)
        p.push_back(Probe{pe_reg(i, j, "ps"), 1, A + ar_->block_spec().width + 3,
                          [this, k, A](int l) { return partial_bit(k, l, A); }});
      else if (!carry_save_)
        p.push_back(probe(pe_reg(i, j, "ps"), A, [this, k] { return acc_[k]; }));
      p.push_back(probe(pe_reg(i, j, "sh"), LW, [this, k] { return sh_[k]; }));
      p.push_back(probe(pe_reg(i, j, "wa"), LW, [this, k] { return wa_[k]; }));
    }
  return p;
}

} // namespace tpe
