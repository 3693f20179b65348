// Sparse (serial) core: one rising edge per step(). Algorithm per edge: (1)
// evaluate the cycle's combinational signals from the current registers:
// all_last (no row has more than one term left in any lane it issues from), hold (E's fold end must
// wait for the drain), adv (E takes the next group), the SRAM read enable and the output write; (2)
// update the drain registers, the PEs from E (each row's terms of this cycle by the PE's scheme),
// the row encoders and column registers (E), the SRAM output registers (F) and the controller. The
// register set and update rules are those of rtl_gen/sparse_verilog.cpp.
#include "sim/sparse_core.h"
#include "pe_models/int_arith.h"
#include "pe_models/sparse_encoder.h"
#include <algorithm>
#include <stdexcept>

namespace tpe {

SparseCore::SparseCore(int rows, int cols, int operand_bits, int acc_bits, const SerialInfo& scheme)
    : R_(rows), C_(cols), W_(operand_bits), A_(acc_bits), D_(scheme.passes), si_(scheme) {}

void SparseCore::load(const SystolicMapping& m, const SramImages* images, bool values, bool trace) {
  if (m.R != R_ || m.C != C_ || !m.data_dependent || m.group != P_ || m.passes != D_)
    throw std::logic_error("SparseCore::load: mapping does not match the array");
  if (!values || !images)
    throw std::logic_error("SparseCore::load: the sparse array's timing needs operand values");
  map_ = &m;
  img_ = images;
  tracing_ = trace;
  wdig_.clear();
  if (si_.scheme == SerialScheme::EntDigits) {
    wdig_.resize(images->west.size() * static_cast<size_t>(D_));
    for (size_t e = 0; e < images->west.size(); ++e)
      for (int bw = 0; bw < D_; ++bw)
        wdig_[e * D_ + bw] = static_cast<int8_t>(ent_digit_at(images->west[e], bw, W_));
  }
  omem_.assign(static_cast<size_t>(m.o_words * C_), 0);
  trace_.clear();
  cnt_ = SystolicCounters{};
  cnt_.digit_issues = 0;
  cnt_.pe_busy_cycles = 0;
  cycle_ = 0;
  start_pending_ = busy_ = done_q_ = false;
  c_g_ = c_mt_ = c_nt_ = 0;
  iss_ = false;
  gcnt_ = bwc_ = ntc_ = mtc_ = waddr_ = wbase_ = naddr_ = nbase_ = 0;
  fv_ = f_glast_ = f_flast_ = f_final_ = false;
  f_w_ = f_n_ = f_bw_ = 0;
  e_valid_ = e_glast_ = e_flast_ = e_final_ = false;
  mask_.assign(R_, 0);
  dval_.assign(static_cast<size_t>(R_) * P_, 0);
  lm_.assign(static_cast<size_t>(R_) * P_, 0);
  lsg_.assign(static_cast<size_t>(R_) * P_, 0);
  e_msb_ = false;
  eb_.assign(static_cast<size_t>(C_) * P_, 0);
  const size_t pes = static_cast<size_t>(R_) * C_;
  ps_.assign(pes, 0);
  res_.assign(pes, 0);
  dr_act_ = dr_final_ = false;
  dr_d_ = oaddr_ = 0;
  fe_q_ = fe_final_ = clr_ = false;
}

SparseCore::Comb SparseCore::comb() const {
  Comb cb;
  if (si_.scheme == SerialScheme::EntDigits) {
    for (int i = 0; i < R_; ++i)
      if (mask_[i] & (mask_[i] - 1)) cb.all_last = false;
  } else if (si_.scheme == SerialScheme::Oneffsets) {
    for (uint32_t m : lm_)
      if (m & (m - 1)) cb.all_last = false;
  }
  // a fold end at this cycle loads the drain registers at the next edge: the
  // previous drain must then be idle or at its last write
  const bool drain_busy_next = (fe_q_ && R_ > 1) || (dr_act_ && dr_d_ + 2 < R_);
  const bool hold = e_valid_ && e_flast_ && cb.all_last && drain_busy_next;
  cb.adv = !e_valid_ || (cb.all_last && !hold);
  cb.run = e_valid_ && !hold;
  cb.rd_en = iss_ && (cb.adv || !fv_);
  return cb;
}

// The top's ports and each PE's drain register, as in step(). The SRAM read
// data is the word at the address F kept (0 before the first read), dig_valid
// the terms each row issues in a running cycle (one bit per row for EN-T
// digits, one per row and lane for bits and oneffsets).
std::vector<Probe> SparseCore::probes() const {
  const int R = R_, C = C_;
  const int dv = si_.scheme == SerialScheme::EntDigits ? 1 : P_;
  std::vector<Probe> p = {
      Probe{"w_rd_data", W_, R * P_,
            [this, R](int l) {
              return cnt_.w_reads ? img_->west[static_cast<size_t>(f_w_ * R * P_ + l)] : 0;
            }},
      Probe{"n_rd_data", W_, C * P_,
            [this, C](int l) {
              return cnt_.n_reads ? img_->north[static_cast<size_t>(f_n_ * C * P_ + l)] : 0;
            }},
      Probe{"dig_valid", dv, R,
            [this, dv](int i) {
              if (!comb().run) return int64_t(0);
              if (dv == 1) return int64_t(mask_[static_cast<size_t>(i)] != 0);
              int64_t bits = 0;
              for (int q = 0; q < P_; ++q)
                if (lm_[static_cast<size_t>(i * P_ + q)]) bits |= int64_t(1) << q;
              return bits;
            }},
      probe("start", 1, [this] { return int64_t(start_pending_); }),
      probe("busy", 1, [this] { return int64_t(busy_); }),
      probe("done", 1, [this] { return int64_t(done_q_); }),
      probe("w_rd_en", 1, [this] { return int64_t(comb().rd_en); }),
      probe("n_rd_en", 1, [this] { return int64_t(comb().rd_en); }),
      probe("w_rd_addr", 32, [this] { return waddr_; }),
      probe("n_rd_addr", 32, [this] { return naddr_; }),
      probe("o_wr_en", 1, [this] { return int64_t(dr_act_); }),
      probe("o_wr_addr", 32, [this] { return oaddr_; }),
      Probe{"o_wr_data", A_, C,
            [this, R, C](int j) { return res_[static_cast<size_t>((R - 1) * C + j)]; }},
  };
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < C; ++j) {
      const size_t k = static_cast<size_t>(i * C + j);
      p.push_back(probe(pe_reg(i, j, "res"), A_, [this, k] { return res_[k]; }));
    }
  return p;
}

void SparseCore::step() {
  if (!map_) throw std::logic_error("SparseCore::step before load");
  const int R = R_, C = C_;
  // ---- combinational signals of this cycle
  const Comb cb = comb();
  const bool adv = cb.adv, run = cb.run, rd_en = cb.rd_en;
  const bool pass_end = run && adv && e_glast_;
  const bool fold_end = pass_end && e_flast_;
  const bool finish = dr_act_ && dr_d_ == R - 1 && dr_final_;
  const bool start_taken = start_pending_ && !busy_;
  if (dr_act_) {
    ++cnt_.o_writes;
    OutputWrite w{cycle_, oaddr_, std::vector<int64_t>(C)};
    for (int j = 0; j < C; ++j) {
      w.data[j] = res_[static_cast<size_t>((R - 1) * C + j)];
      omem_[static_cast<size_t>(oaddr_ * C + j)] = w.data[j];
    }
    if (tracing_) trace_.push_back(std::move(w));
  }

  // ---- drain registers shift down (the top row takes the RTL's res_up, 0);
  // the pair of a fold that ended last cycle is added into them
  // (carry-propagate add from the registered pair)
  if (dr_act_) {
    for (int i = R - 1; i >= 1; --i)
      for (int j = 0; j < C; ++j)
        res_[static_cast<size_t>(i * C + j)] = res_[static_cast<size_t>((i - 1) * C + j)];
    std::fill(res_.begin(), res_.begin() + C, 0);
    ++oaddr_;
    if (dr_d_ == R - 1)
      dr_act_ = false;
    else
      ++dr_d_;
  }
  if (fe_q_) {
    res_ = ps_;
    cnt_.pe_macs += int64_t(R) * C * c_g_ * P_;
    dr_act_ = true;
    dr_d_ = 0;
    dr_final_ = fe_final_;
  }
  // ---- PEs: the pair starts from zero after a fold end (clr); Horner across
  // passes: at a pass end that is not the fold's end the pair is shifted by 2
  if (run) {
    ++cnt_.pe_busy_cycles;
    std::vector<int64_t> term(static_cast<size_t>(C)); // this row's addend per column
    for (int i = 0; i < R; ++i) {
      std::fill(term.begin(), term.end(), 0);
      if (si_.scheme == SerialScheme::EntDigits) { // one lane's digit
        const uint32_t mk = mask_[i];
        if (mk) {
          const int p = __builtin_ctz(mk);
          const int d = dval_[static_cast<size_t>(i * P_ + p)];
          ++cnt_.digit_issues;
          for (int j = 0; j < C; ++j)
            term[j] = d * eb_[static_cast<size_t>(j * P_ + p)];
        }
      } else { // every lane's bit: gated b (Bits) or b shifted by the bit's position
        for (int p = 0; p < P_; ++p) {
          const uint32_t m = lm_[static_cast<size_t>(i * P_ + p)];
          if (!m) continue;
          ++cnt_.digit_issues;
          const int e = si_.scheme == SerialScheme::Bits ? 0 : __builtin_ctz(m);
          const bool neg =
              si_.scheme == SerialScheme::Bits ? e_msb_ : lsg_[static_cast<size_t>(i * P_ + p)];
          for (int j = 0; j < C; ++j) {
            const int64_t v = static_cast<int64_t>(
                static_cast<uint64_t>(eb_[static_cast<size_t>(j * P_ + p)]) << e);
            term[j] = add_wrap(term[j], neg ? -v : v, A_);
          }
        }
      }
      for (int j = 0; j < C; ++j) {
        const size_t q = static_cast<size_t>(i * C + j);
        const int64_t ps_n = add_wrap(clr_ ? 0 : ps_[q], term[j], A_);
        ps_[q] = pass_end && !fold_end
                     ? wrap_signed(static_cast<uint64_t>(ps_n) << si_.pass_shift, A_)
                     : ps_n;
      }
    }
  }
  fe_q_ = fold_end;
  if (fold_end) fe_final_ = e_final_;
  if (fold_end)
    clr_ = true;
  else if (run)
    clr_ = false;
  // ---- E: row encoders and column registers
  if (adv) {
    e_valid_ = fv_;
    if (fv_) {
      e_glast_ = f_glast_;
      e_flast_ = f_flast_;
      e_final_ = f_final_;
      e_msb_ = f_bw_ == W_ - 1;
      for (int i = 0; i < R; ++i) {
        uint32_t mk = 0;
        for (int p = 0; p < P_; ++p) {
          const size_t e = static_cast<size_t>((f_w_ * R + i) * P_ + p);
          const size_t l = static_cast<size_t>(i * P_ + p);
          const int64_t a = img_->west[e];
          if (si_.scheme == SerialScheme::EntDigits) {
            const int8_t d = wdig_[e * D_ + f_bw_];
            dval_[l] = d;
            if (d) mk |= 1u << p;
          } else if (si_.scheme == SerialScheme::Bits) {
            lm_[l] = static_cast<uint32_t>((static_cast<uint64_t>(a) >> f_bw_) & 1);
          } else {
            lm_[l] = static_cast<uint32_t>(a < 0 ? -a : a);
            lsg_[l] = a < 0;
          }
        }
        mask_[i] = mk;
      }
      for (size_t e = 0; e < eb_.size(); ++e)
        eb_[e] = img_->north[static_cast<size_t>(f_n_ * C * P_) + e];
    } else {
      std::fill(mask_.begin(), mask_.end(), 0);
      std::fill(lm_.begin(), lm_.end(), 0);
    }
  } else if (run) {
    for (auto& mk : mask_)
      mk &= mk - 1;
    if (si_.scheme == SerialScheme::Oneffsets)
      for (auto& m : lm_)
        m &= m - 1;
  }
  // ---- F: SRAM output registers, and the controller's issue side
  if (rd_en) {
    ++cnt_.w_reads;
    ++cnt_.n_reads;
    fv_ = true;
    f_w_ = waddr_;
    f_n_ = naddr_;
    f_bw_ = bwc_;
    f_glast_ = gcnt_ == 1;
    f_flast_ = f_glast_ && bwc_ == 0;
    f_final_ = f_flast_ && mtc_ == 1 && ntc_ == 1;
    if (gcnt_ == 1) { // pass end
      gcnt_ = c_g_;
      if (bwc_ == 0) { // fold end
        bwc_ = D_ - 1;
        if (ntc_ == 1) {
          ntc_ = c_nt_;
          nbase_ = naddr_ = 0;
          wbase_ = waddr_ = waddr_ + 1;
          if (mtc_ == 1)
            iss_ = false;
          else
            --mtc_;
        } else {
          --ntc_;
          nbase_ = naddr_ = naddr_ + 1;
          waddr_ = wbase_;
        }
      } else {
        --bwc_;
        waddr_ = wbase_;
        naddr_ = nbase_;
      }
    } else {
      --gcnt_;
      ++waddr_;
      ++naddr_;
    }
  } else if (adv) {
    fv_ = false;
  }
  done_q_ = finish;
  if (finish) busy_ = false;
  if (start_taken) {
    c_g_ = map_->G;
    c_mt_ = map_->MT;
    c_nt_ = map_->NT;
    busy_ = iss_ = true;
    gcnt_ = c_g_;
    bwc_ = D_ - 1;
    mtc_ = c_mt_;
    ntc_ = c_nt_;
    waddr_ = wbase_ = naddr_ = nbase_ = 0;
    oaddr_ = 0;
  }
  start_pending_ = false;
  ++cycle_;
}

} // namespace tpe
