// Broadcast cores, one rising edge per step(). Algorithm per edge: (1) the
// cycle's combinational outputs from the current registers (SRAM read enables and
// addresses, flags of the word being read, the output write and its data); (2)
// every register from the old values: datapath stages from the last to the
// first, then the SRAM read registers, then the controller counters. Every
// controller counter counts down to 1 or reloads a saved value, as in the RTL.
#include "sim/broadcast_core.h"
#include "core/arch_config.h"
#include "core/engine_info.h"
#include "core/workload.h"
#include "pe_models/int_arith.h"
#include "sim/engine.h"
#include <algorithm>
#include <stdexcept>

namespace tpe {

void BroadcastCore::reset(const SystolicMapping& m, const SramImages* images, bool values,
                          bool trace) {
  if (values && !images) throw std::logic_error("BroadcastCore::load: values need SRAM images");
  map_ = &m;
  img_ = images;
  values_ = values;
  tracing_ = trace;
  omem_.assign(values ? static_cast<size_t>(m.o_words * m.C) : 0, 0);
  trace_.clear();
  cnt_ = SystolicCounters{};
  if (values) cnt_.pe_macs_one_zero = cnt_.pe_macs_two_zero = cnt_.pe_macs_held_zero = 0;
  la_.assign(values ? static_cast<size_t>(m.multipliers) : 0, 0);
  lb_.assign(la_.size(), 0);
  cycle_ = 0;
  start_pending_ = busy_ = done_q_ = false;
}

void BroadcastCore::count_classes(const int64_t* a, const int64_t* b, int n, size_t lane0) {
  const auto zero_a = [this](int64_t v) { return ar_ ? ar_->zero_west(v) : v == 0; };
  const auto zero_b = [this](int64_t v) { return ar_ ? ar_->zero_north(v) : v == 0; };
  for (int p = 0; p < n; ++p) {
    const size_t l = lane0 + static_cast<size_t>(p);
    const bool za = zero_a(a[p]), zb = zero_b(b[p]);
    if (za && zb) {
      ++cnt_.pe_macs_two_zero;
    } else if (za || zb) {
      ++cnt_.pe_macs_one_zero;
      if (za ? zero_a(la_[l]) : zero_b(lb_[l])) ++cnt_.pe_macs_held_zero;
    }
    la_[l] = a[p];
    lb_[l] = b[p];
  }
}

int64_t BroadcastCore::dot(const int64_t* a, const int64_t* b, int n, size_t lane0) {
  int64_t s = 0;
  for (int p = 0; p < n; ++p)
    s = mac_wrap(s, a[p], b[p], A_);
  count_classes(a, b, n, lane0);
  return s;
}

Unpacked BroadcastCore::dot_exact(const int64_t* a, const int64_t* b, int n, size_t lane0) {
  count_classes(a, b, n, lane0);
  return ar_->group_dot(a, b, n);
}

void BroadcastCore::write_output(int64_t addr, std::vector<int64_t> data) {
  const size_t C = data.size();
  for (size_t j = 0; j < C; ++j)
    omem_[static_cast<size_t>(addr) * C + j] = data[j];
  if (tracing_) trace_.push_back(OutputWrite{cycle_, addr, std::move(data)});
}

std::vector<Probe> BroadcastCore::control_probes() const {
  return {probe("start", 1, [this] { return int64_t(start_pending_); }),
          probe("busy", 1, [this] { return int64_t(busy_); }),
          probe("done", 1, [this] { return int64_t(done_q_); })};
}

// ---------------------------------------------------------------- grid

GridCore::GridCore(int rows, int cols, int depth, int west_bits, int north_bits, int acc_bits,
                   std::shared_ptr<const PeArith> arith)
    : BroadcastCore(west_bits, north_bits, acc_bits, std::move(arith)), R_(rows), C_(cols),
      D_(depth) {}

void GridCore::load(const SystolicMapping& m, const SramImages* images, bool values, bool trace) {
  if (m.kind != EngineKind::Grid || m.R != R_ || m.C != C_ || m.group != D_)
    throw std::logic_error("GridCore::load: mapping does not match the grid");
  reset(m, images, values, trace);
  c_k_ = c_mt_ = c_nt_ = c_p_ = 0;
  iss_ = false;
  icnt_ = pcnt_ = mtc_ = ntc_ = waddr_ = wbase_ = naddr_ = 0;
  wq_.assign(static_cast<size_t>(R_) * D_, 0);
  nq_.assign(static_cast<size_t>(C_) * D_, 0);
  f1_ = 0;
  acc_.assign(static_cast<size_t>(R_) * C_, 0);
  dr_.assign(static_cast<size_t>(R_) * C_, 0);
  ow_act_ = ow_final_ = false;
  ow_d_ = 0;
  oaddr_ = 0;
  wsq_.assign(R_, 0);
  nsq_.assign(C_, 0);
  wsbase_ = nsbase_ = 0;
  bs_.assign(values && m.block > 0 ? static_cast<size_t>(R_) * C_ : 0, FixedAcc{});
}

void GridCore::step() {
  if (!map_) throw std::logic_error("GridCore::step before load");
  const size_t R = R_, C = C_, D = D_;
  // ---- combinational outputs of this cycle
  const bool rd_en = iss_ && icnt_ != 0;
  const bool last = icnt_ == 1, last_fold = mtc_ == 1 && ntc_ == 1;
  uint8_t fl = rd_en ? uint8_t(FV | (icnt_ == c_k_ ? FFIRST : 0) | (last ? FLAST : 0) |
                               (last && last_fold ? FFINAL : 0))
                     : 0;
  // block-scaled operands: groups of D lanes per block (gpb), group index gi
  const int64_t gpb = map_->block > 0 ? map_->block / D_ : 0, gi = c_k_ - icnt_;
  const bool srd = gpb > 0 && rd_en && gi % gpb == 0; // scale read at a block's start
  if (gpb > 0 && rd_en)
    fl = uint8_t((fl & ~FFIRST) | (gi == std::min(gpb, c_k_) - 1 ? FFIRST : 0) |
                 (gi % gpb == gpb - 1 || last ? FBEND : 0));
  if (ow_act_) {
    ++cnt_.o_writes;
    if (values_)
      write_output(oaddr_,
                   std::vector<int64_t>(dr_.begin() + ow_d_ * C, dr_.begin() + (ow_d_ + 1) * C));
  }
  const bool finish = ow_act_ && ow_d_ == R_ - 1 && ow_final_;
  const bool fold_end = iss_ && pcnt_ == 1;
  const bool start_taken = start_pending_ && !busy_;

  // ---- register updates
  if (f1_ & FV) {
    cnt_.pe_macs += map_->multipliers;
    if (values_)
      for (size_t i = 0; i < R; ++i)
        for (size_t j = 0; j < C; ++j) {
          const size_t p = i * C + j;
          if (!ar_) {
            const int64_t d = dot(&wq_[i * D], &nq_[j * D], D_, p * D);
            acc_[p] = add_wrap((f1_ & FFIRST) ? 0 : acc_[p], d, A_);
          } else if (gpb > 0) { // exact block register; scale and round at the block end
            const FixedAcc s = fixed_accumulate(ar_->block_spec(), bs_[p],
                                                dot_exact(&wq_[i * D], &nq_[j * D], D_, p * D));
            if (f1_ & FBEND) {
              acc_[p] = ar_->block_close(acc_[p], f1_ & FFIRST, s, wsq_[i] << Ww_, nsq_[j] << Wn_);
              bs_[p] = FixedAcc{};
            } else {
              bs_[p] = s;
            }
          } else {
            acc_[p] =
                ar_->add(acc_[p], f1_ & FFIRST, dot_exact(&wq_[i * D], &nq_[j * D], D_, p * D));
          }
          if (f1_ & FLAST) dr_[p] = acc_[p]; // (the last group always ends a block)
        }
  }
  done_q_ = finish;
  if (finish) busy_ = false;
  if (ow_act_) {
    ++oaddr_;
    if (ow_d_ == R_ - 1)
      ow_act_ = false;
    else
      ++ow_d_;
  }
  if ((f1_ & FV) && (f1_ & FLAST)) {
    ow_act_ = true;
    ow_d_ = 0;
    ow_final_ = f1_ & FFINAL;
  }
  if (rd_en) {
    ++cnt_.w_reads;
    ++cnt_.n_reads;
    if (values_) {
      for (size_t l = 0; l < R * D; ++l)
        wq_[l] = img_->west[static_cast<size_t>(waddr_) * R * D + l];
      for (size_t l = 0; l < C * D; ++l)
        nq_[l] = img_->north[static_cast<size_t>(naddr_) * C * D + l];
    }
  }
  if (srd) { // the scale read registers hold their word over the block
    if (map_->west_scaled) ++cnt_.ws_reads;
    if (map_->north_scaled) ++cnt_.ns_reads;
    if (values_) {
      const int64_t b = gi / gpb;
      for (size_t i = 0; map_->west_scaled && i < R; ++i)
        wsq_[i] = img_->west_scale[static_cast<size_t>(wsbase_ + b) * R + i];
      for (size_t j = 0; map_->north_scaled && j < C; ++j)
        nsq_[j] = img_->north_scale[static_cast<size_t>(nsbase_ + b) * C + j];
    }
  }
  f1_ = fl;
  if (iss_) {
    if (rd_en) {
      ++waddr_;
      ++naddr_;
      --icnt_;
    }
    if (fold_end) {
      icnt_ = c_k_;
      pcnt_ = c_p_;
      if (ntc_ == 1) {
        ntc_ = c_nt_;
        naddr_ = 0;
        nsbase_ = 0;
        wbase_ = waddr_;
        if (mtc_ == 1) {
          iss_ = false;
        } else {
          --mtc_;
          wsbase_ += map_->KB;
        }
      } else {
        --ntc_;
        waddr_ = wbase_;
        nsbase_ += map_->KB;
      }
    } else {
      --pcnt_;
    }
  }
  if (start_taken) {
    c_k_ = map_->G;
    c_mt_ = map_->MT;
    c_nt_ = map_->NT;
    c_p_ = std::max<int64_t>(c_k_, R_);
    busy_ = iss_ = true;
    icnt_ = c_k_;
    pcnt_ = c_p_;
    mtc_ = c_mt_;
    ntc_ = c_nt_;
    waddr_ = wbase_ = naddr_ = oaddr_ = 0;
    wsbase_ = nsbase_ = 0;
  }
  start_pending_ = false;
  ++cycle_;
}

// The top's ports and each PE's accumulator and drain register, as in step().
std::vector<Probe> GridCore::probes() const {
  const int R = R_, C = C_, D = D_;
  std::vector<Probe> p = control_probes();
  const auto rd = [this] { return int64_t(iss_ && icnt_ != 0); };
  p.push_back(probe("w_rd_en", 1, rd));
  p.push_back(probe("n_rd_en", 1, rd));
  p.push_back(probe("w_rd_addr", 32, [this] { return waddr_; }));
  p.push_back(probe("n_rd_addr", 32, [this] { return naddr_; }));
  p.push_back(
      Probe{"w_rd_data", Ww_, R * D, [this](int l) { return wq_[static_cast<size_t>(l)]; }});
  p.push_back(
      Probe{"n_rd_data", Wn_, C * D, [this](int l) { return nq_[static_cast<size_t>(l)]; }});
  p.push_back(probe("o_wr_en", 1, [this] { return int64_t(ow_act_); }));
  p.push_back(probe("o_wr_addr", 32, [this] { return oaddr_; }));
  p.push_back(Probe{"o_wr_data", A_, C,
                    [this, C](int j) { return dr_[static_cast<size_t>(ow_d_ * C + j)]; }});
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < C; ++j) {
      const size_t k = static_cast<size_t>(i * C + j);
      p.push_back(probe(pe_reg(i, j, "acc"), A_, [this, k] { return acc_[k]; }));
      p.push_back(probe(pe_reg(i, j, "dr"), A_, [this, k] { return dr_[k]; }));
    }
  return p;
}

// ---------------------------------------------------------------- tree

TreeCore::TreeCore(int trees, int depth, int west_bits, int north_bits, int acc_bits,
                   std::shared_ptr<const PeArith> arith, UnpackedWidths dot_w)
    : BroadcastCore(west_bits, north_bits, acc_bits, std::move(arith)), C_(trees), D_(depth),
      dot_w_(dot_w) {}

void TreeCore::load(const SystolicMapping& m, const SramImages* images, bool values, bool trace) {
  if (m.kind != EngineKind::Tree || m.C != C_ || m.group != D_)
    throw std::logic_error("TreeCore::load: mapping does not match the trees");
  reset(m, images, values, trace);
  c_t_ = c_nt_ = c_kt_ = 0;
  iss_ = false;
  mcnt_ = ktc_ = ntc_ = waddr_ = naddr_ = oa_ = obase_ = 0;
  wq_.assign(static_cast<size_t>(D_), 0);
  nq_.assign(static_cast<size_t>(C_) * D_, 0);
  oq_.assign(static_cast<size_t>(C_), 0);
  f1_ = f2_ = f3_ = 0;
  oa1_ = oa2_ = oa3_ = 0;
  aq_.assign(static_cast<size_t>(D_), 0);
  wt_.assign(static_cast<size_t>(C_) * D_, 0);
  tq_.assign(static_cast<size_t>(C_), 0);
  tqx_.assign(static_cast<size_t>(C_), Unpacked{});
  tqx_set_.assign(static_cast<size_t>(C_), 0);
  bdata_.assign(static_cast<size_t>(C_), 0);
  byp_ = false;
  bpt_ = m.block > 0 ? m.block / D_ : 0;
  bpos_ = wsaddr_ = nsaddr_ = wsq_ = as1_ = as2_ = 0;
  nsq_.assign(static_cast<size_t>(C_), 0);
  wts_ = ts_ = nsq_;
  bmem_.assign(values && bpt_ > 0 ? static_cast<size_t>(m.o_words * C_) : 0, FixedAcc{});
  bq_.assign(static_cast<size_t>(C_), FixedAcc{});
  bbd_ = bq_;
}

int64_t TreeCore::acc_out(size_t j, FixedAcc* part) const {
  const bool acc = f3_ & FACC;
  const int64_t old = acc ? (byp_ ? bdata_[j] : oq_[j]) : 0;
  if (!ar_) return add_wrap(old, tq_[j], A_);
  if (bpt_ == 0) return ar_->add(old, !acc, tqx_[j]);
  // block-scaled: the tree's exact sum adds into the exact block partial (from 0 in
  // a block's first K-tile); at the block's end the partial times the scale product
  // is added to the word with one rounding (RNE(+0 + x) in the first block, whose
  // words stay +0 until then), else the word passes through unchanged
  const FixedAcc prev = (f3_ & FBCONT) ? (byp_ ? bbd_[j] : bq_[j]) : FixedAcc{};
  const FixedAcc s = fixed_accumulate(ar_->block_spec(), prev, tqx_[j]);
  const bool end = f3_ & FBEND;
  if (part) *part = end ? FixedAcc{} : s;
  return end ? ar_->block_close(old, false, s, as2_ << Ww_, ts_[j] << Wn_) : old;
}

void TreeCore::step() {
  if (!map_) throw std::logic_error("TreeCore::step before load");
  const size_t C = C_, D = D_;
  // ---- combinational outputs of this cycle
  const bool rd = iss_;
  const bool first_row = mcnt_ == c_t_, last_row = mcnt_ == 1;
  const bool first_kt = ktc_ == c_kt_, last_kt = ktc_ == 1, last_nt = ntc_ == 1;
  const bool bend = bpt_ > 0 && (bpos_ == bpt_ - 1 || last_kt); // a block ends this K-tile
  const uint8_t fl = rd ? uint8_t(FV | (first_row ? FLOAD : 0) | (first_kt ? 0 : FACC) |
                                  (last_row && last_kt && last_nt ? FFINAL : 0) |
                                  (bend ? FBEND : 0) | (bpt_ > 0 && bpos_ != 0 ? FBCONT : 0))
                        : 0;
  const bool rd_n = rd && first_row;
  // block-scaled: the scales are read in a block's last K-tile, with the rows and
  // with the weights
  const bool rd_ws = map_->west_scaled && rd && bend, rd_ns = map_->north_scaled && rd_n && bend;
  const bool rd_o = (f2_ & FV) && (f2_ & FACC);
  const bool wr = f3_ & FV;
  std::vector<int64_t> sum;
  std::vector<FixedAcc> part(bmem_.empty() ? 0 : C);
  if (wr) {
    ++cnt_.o_writes;
    if (values_) {
      sum.resize(C);
      for (size_t j = 0; j < C; ++j)
        sum[j] = acc_out(j, part.empty() ? nullptr : &part[j]);
    }
  }
  const bool byp_next = rd_o && wr && oa2_ == oa3_;
  const bool finish = wr && (f3_ & FFINAL);
  const bool start_taken = start_pending_ && !busy_;

  // ---- register updates
  if (byp_next && values_) {
    bdata_ = sum;
    if (!part.empty()) bbd_ = part;
  }
  byp_ = byp_next;
  if (rd_o) { // the SRAM read sees the memory before this edge's write
    ++cnt_.o_reads;
    if (values_)
      for (size_t j = 0; j < C; ++j) {
        oq_[j] = omem_[static_cast<size_t>(oa2_) * C + j];
        if (!bmem_.empty()) bq_[j] = bmem_[static_cast<size_t>(oa2_) * C + j];
      }
  }
  if (wr && values_) {
    for (size_t j = 0; j < part.size(); ++j)
      bmem_[static_cast<size_t>(oa3_) * C + j] = part[j];
    write_output(oa3_, std::move(sum));
  }
  if (f2_ & FV) {
    cnt_.pe_macs += map_->multipliers;
    if (values_) {
      as2_ = as1_; // the block scales travel with the row's tree results
      ts_ = wts_;
    }
    if (values_)
      for (size_t j = 0; j < C; ++j) {
        if (!ar_)
          tq_[j] = dot(aq_.data(), &wt_[j * D], D_, j * D);
        else {
          tqx_[j] = dot_exact(aq_.data(), &wt_[j * D], D_, j * D);
          tqx_set_[j] = 1;
        }
      }
  }
  if (f1_ & FV) {
    if (values_) {
      aq_ = wq_;
      as1_ = wsq_;
      if (f1_ & FLOAD) {
        wt_ = nq_;
        wts_ = nsq_;
      }
    }
  }
  done_q_ = finish;
  if (finish) busy_ = false;
  f3_ = f2_;
  oa3_ = oa2_;
  f2_ = f1_;
  oa2_ = oa1_;
  if (rd) {
    ++cnt_.w_reads;
    if (values_)
      for (size_t p = 0; p < D; ++p)
        wq_[p] = img_->west[static_cast<size_t>(waddr_) * D + p];
  }
  if (rd_n) {
    ++cnt_.n_reads;
    if (values_)
      for (size_t l = 0; l < C * D; ++l)
        nq_[l] = img_->north[static_cast<size_t>(naddr_) * C * D + l];
  }
  if (rd_ws) {
    ++cnt_.ws_reads;
    if (values_) wsq_ = img_->west_scale[static_cast<size_t>(wsaddr_)];
  }
  if (rd_ns) {
    ++cnt_.ns_reads;
    if (values_)
      for (size_t j = 0; j < C; ++j)
        nsq_[j] = img_->north_scale[static_cast<size_t>(nsaddr_) * C + j];
  }
  f1_ = fl;
  oa1_ = oa_;
  if (iss_) {
    ++waddr_;
    ++oa_;
    if (rd_ws) ++wsaddr_;
    if (rd_ns) ++nsaddr_;
    if (last_row) {
      mcnt_ = c_t_;
      ++naddr_;
      bpos_ = bend ? 0 : bpos_ + 1;
      if (last_kt) {
        ktc_ = c_kt_;
        waddr_ = 0;
        wsaddr_ = 0;
        obase_ = oa_;
        if (last_nt)
          iss_ = false;
        else
          --ntc_;
      } else {
        --ktc_;
        oa_ = obase_;
      }
    } else {
      --mcnt_;
    }
  }
  if (start_taken) {
    c_t_ = map_->Mp;
    c_nt_ = map_->NT;
    c_kt_ = map_->KT;
    busy_ = iss_ = true;
    mcnt_ = c_t_;
    ktc_ = c_kt_;
    ntc_ = c_nt_;
    waddr_ = naddr_ = oa_ = obase_ = 0;
    bpos_ = wsaddr_ = nsaddr_ = 0;
  }
  start_pending_ = false;
  ++cycle_;
}

int64_t TreeCore::dot_bus_bit(size_t j, int b) const {
  if (!tqx_set_[j]) return 0; // the RTL's t before its first write: the all-zero bus
  const Unpacked& u = tqx_[j];
  const int SW = dot_w_.sig_bits, EW = dot_w_.exp_bits;
  const bool fin = u.kind == Unpacked::Kind::Finite;
  if (b < SW) return fin && b < 128 ? int64_t(wide_sig(u) >> b) & 1 : 0;
  if (b < SW + EW) return fin ? (int64_t(u.exp) >> std::min(b - SW, 62)) & 1 : 0;
  switch (b - SW - EW) {
  case 0:
    return u.neg;
  case 1:
    return u.kind == Unpacked::Kind::Zero;
  case 2:
    return u.kind == Unpacked::Kind::Inf;
  default:
    return u.kind == Unpacked::Kind::NaN;
  }
}

// The top's ports, and each tree's weights and result register, as in step().
std::vector<Probe> TreeCore::probes() const {
  const int C = C_, D = D_;
  std::vector<Probe> p = control_probes();
  p.push_back(probe("w_rd_en", 1, [this] { return int64_t(iss_); }));
  p.push_back(probe("w_rd_addr", 32, [this] { return waddr_; }));
  p.push_back(probe("n_rd_en", 1, [this] { return int64_t(iss_ && mcnt_ == c_t_); }));
  p.push_back(probe("n_rd_addr", 32, [this] { return naddr_; }));
  p.push_back(probe("o_rd_en", 1, [this] { return int64_t((f2_ & FV) && (f2_ & FACC)); }));
  p.push_back(probe("o_rd_addr", 32, [this] { return oa2_; }));
  p.push_back(Probe{"w_rd_data", Ww_, D, [this](int l) { return wq_[static_cast<size_t>(l)]; }});
  p.push_back(
      Probe{"n_rd_data", Wn_, C * D, [this](int l) { return nq_[static_cast<size_t>(l)]; }});
  p.push_back(Probe{"o_rd_data", A_, C, [this](int j) { return oq_[static_cast<size_t>(j)]; }});
  p.push_back(probe("o_wr_en", 1, [this] { return int64_t(f3_ & FV); }));
  p.push_back(probe("o_wr_addr", 32, [this] { return oa3_; }));
  p.push_back(Probe{"o_wr_data", A_, C, [this](int j) {
                      const size_t k = static_cast<size_t>(j);
                      return acc_out(k);
                    }});
  for (int j = 0; j < C; ++j) {
    const std::string pe = "u_array.g_tree[" + std::to_string(j) + "].pe.";
    if (ar_) // the exact dot product as the RTL's Unpacked bus, one bit a lane
      p.push_back(Probe{pe + "t", 1, dot_w_.bus_bits(),
                        [this, j](int b) { return dot_bus_bit(static_cast<size_t>(j), b); }});
    else
      p.push_back(probe(pe + "t", A_, [this, j] { return tq_[static_cast<size_t>(j)]; }));
    p.push_back(Probe{pe + "wt", Wn_, D,
                      [this, j, D](int l) { return wt_[static_cast<size_t>(j * D + l)]; }});
  }
  return p;
}

} // namespace tpe

namespace tpe {
namespace {

// The broadcast engines and the PEs that make sense on them: a fixed-latency
// multiplier per lane (OPT1's carry-save accumulator is not generated for them
// yet). The 2D matrix also takes the serial PEs: their lockstep broadcast array
// (sim/sparse_core.h) is a 2D matrix, and the OPT4C column its one-column case.
const std::vector<std::string> kBroadcastPes = {"array", "booth", "ent", "lmul", "mac"};
const std::vector<std::string> kMatrixPes = {"array", "bitserial", "booth", "ent",      "lmul",
                                             "mac",   "opt3",      "opt4c", "pragmatic"};

// M x K x N; the name says what the GEMM is for
Layer gemm(int64_t M, int64_t K, int64_t N) {
  return parse_gemm_spec(std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N));
}

// Cube: busy, four folds of 16 K groups each (a fold starts every max(G, M)
// cycles); idle, 16 folds of one K group (one fold per M cycles: 1/M of the peak,
// half for M = 2). The 2D matrix is the cube with K = 1.
CalibrationGemms grid_calibration(const ArchConfig& a) {
  return {{gemm(2 * a.rows, 16 * a.depth, 2 * a.cols)}, {gemm(4 * a.rows, a.depth, 4 * a.cols)}};
}
// Adder trees: busy, four folds of 32 rows (cycles = folds x M + 4); idle, one
// GEMV of 16 one-row folds (a weight load per cycle of work), as the ws array's.
CalibrationGemms tree_calibration(const ArchConfig& a) {
  return {{gemm(32, 2 * a.depth, 2 * a.cols)}, {gemm(1, 4 * a.depth, 4 * a.cols)}};
}

Registrar<EngineInfo> cube("cube", {"cube",
                                    "Ascend-style 3D cube: R x C dot products of depth K per "
                                    "cycle, outputs accumulated in place",
                                    {"os"},
                                    {"rows", "cols", "depth"},
                                    kBroadcastPes,
                                    64,
                                    "rows: M, cols: N, depth: K of the M x K x N cube",
                                    grid_calibration});
Registrar<EngineInfo> matrix2d("matrix2d", {"matrix2d",
                                            "R x C grid of MACs, operands broadcast along rows "
                                            "and columns, outputs accumulated in place",
                                            {"os"},
                                            {"rows", "cols"},
                                            kMatrixPes,
                                            1,
                                            "rows and cols: the PE grid",
                                            grid_calibration});
Registrar<EngineInfo> tree("adder_tree", {"adder_tree",
                                          "N multiplier-adder trees of width K, weights "
                                          "stationary, one activation vector per cycle",
                                          {"ws"},
                                          {"cols", "depth"},
                                          kBroadcastPes,
                                          256,
                                          "cols: number of trees (N), depth: tree width (K)",
                                          tree_calibration});
Registrar<EngineRunner> cube_runner("cube", run_array_layer);
Registrar<EngineRunner> matrix2d_runner("matrix2d", run_array_layer);
Registrar<EngineRunner> tree_runner("adder_tree", run_array_layer);

} // namespace
} // namespace tpe
