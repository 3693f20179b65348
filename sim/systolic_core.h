// The systolic array as one clocked state machine: every register of the
// generated RTL (controller, SRAM read registers, skew buffers, PE registers,
// deskew buffers, output sequencer) has a twin here, and step() is one rising
// clock edge. The SystemC engine calls step() once per clock; the array is
// updated as a whole, never as one process per PE. With values off, only the
// control and flag registers move (the cycle count does not depend on data).
#pragma once
#include "pe_models/pe_arith.h"
#include "sim/array_core.h"
#include <cstdint>
#include <memory>
#include <vector>

namespace tpe {

class SystolicCore : public ArrayCore {
public:
  // arith: the PEs' arithmetic for a non-int accumulator (null: integer, inline);
  // carry_save: the RTL's PEs keep their accumulator as a carry-save pair (the
  // opt1 PE), which the model resolves, so probes() offers no acc / ps register
  // west_bits / north_bits: the code widths of the west and north operands
  SystolicCore(int rows, int cols, int west_bits, int north_bits, int acc_bits,
               bool output_stationary, std::shared_ptr<const PeArith> arith = nullptr,
               bool carry_save = false);

  void load(const SystolicMapping& m, const SramImages* images, bool values, bool trace) override;
  void start() override { start_pending_ = true; }
  void step() override;              // one rising clock edge
  void idle() override { ++cycle_; } // a stalled edge: every register holds
  bool done() const override { return done_q_; }
  int64_t cycle() const { return cycle_; }
  const SystolicCounters& counters() const override { return cnt_; }
  const std::vector<int64_t>& out_memory() const override { return omem_; }
  const std::vector<OutputWrite>& trace() const override { return trace_; }
  std::vector<Probe> probes() const override;

private:
  // flag bits carried with west-edge data
  // (block-scaled operands: FFIRST marks the first block's end, FBEND every block's)
  enum : uint8_t { FV = 1, FFIRST = 2, FLAST = 4, FSWAP = 8, FBEND = 16 };

  int R_, C_, Ww_, Wn_, A_; // rows, cols, west and north code bits, accumulator bits
  bool os_, carry_save_;
  std::shared_ptr<const PeArith> ar_; // null: integer formats into `int`
  bool values_ = true, tracing_ = false;
  const SystolicMapping* map_ = nullptr;
  const SramImages* img_ = nullptr;
  std::vector<int64_t> omem_;
  std::vector<OutputWrite> trace_;
  SystolicCounters cnt_;
  int64_t cycle_ = 0;
  bool start_pending_ = false;

  // configuration registers (loaded at start)
  int64_t c_k_ = 0, c_t_ = 0, c_mt_ = 0, c_nt_ = 0, c_kt_ = 0, c_pd_ = 0;
  bool busy_ = false, done_q_ = false;

  // os issue sequencer
  bool iss_ = false;
  int64_t s_ = 0, mt_ = 0, nt_ = 0, wbase_ = 0, nbase_ = 0;
  int64_t wsbase_ = 0, nsbase_ = 0; // scale SRAM word of the fold's first block
  // ws issue sequencer
  int phase_ = 0; // 0 idle, 1 initial preload, 2 run
  int64_t ic_ = 0, c_ = 0, kt_ = 0, nnext_ = 0;

  // SRAM read registers and the flags registered with them
  // (block-scaled operands: wq_ / nq_ hold (scale << W) | code, the scale read
  // registers wsq_ / nsq_ riding beside the element lanes)
  std::vector<int64_t> wq_, nq_, oq_, wsq_, nsq_;
  uint8_t f1_ = 0;
  bool f1pv_ = false;

  // skew buffers: row i has i stages, column j has j stages (flat, triangular)
  std::vector<int64_t> ask_, bsk_;
  std::vector<uint8_t> fsk_, psk_;
  std::vector<int> arow_off_, bcol_off_;

  // PE registers, index i*C + j
  std::vector<int64_t> ha_, vb_, acc_, sh_, wa_;
  std::vector<uint8_t> hf_, dv_;
  std::vector<FixedAcc> bs_; // block registers (block-scaled operands)
  // ws/is with block-scaled operands: each PE passes down its exact block partial
  // bps_ beside the fp partial acc_; the top of column j takes the output word and
  // the block partial read back for the row (oq_, bq_; +0 and 0 in K-tile 0)
  // through j skew stages (otk_, btk_); the bottom writes both back (bmem_ beside
  // omem_) through the deskew (bdk_) and the output stage (bdata2_)
  std::vector<FixedAcc> bps_, bq_, btk_, bdk_, bdata2_, bmem_;
  std::vector<int64_t> otk_;
  bool wsb_ = false; // block-scaled operands on the ws controller

  // deskew: column j has C-1-j stages
  std::vector<int64_t> dk_;
  std::vector<int> dk_off_;

  // os output sequencer
  bool ow_act_ = false, ow_final_ = false;
  int64_t ow_d_ = 0, ow_addr_ = 0, mto_ = 0, nto_ = 0;
  // ws output stage
  bool wr_pend_ = false, wr_acc_ = false, wr_last_ = false; // row leaves the deskew
  bool wr2_pend_ = false, wr2_last_ = false;                // registered sum is written
  int64_t wr_addr_ = 0, wr2_addr_ = 0, mo_ = 0, kto_ = 0;
  std::vector<int64_t> wdata2_;

  int64_t& pe(std::vector<int64_t>& v, int i, int j) { return v[static_cast<size_t>(i * C_ + j)]; }
  int64_t rowin(int i) const;
  // operands of each PE's previous MAC (held zeros)
  std::vector<int64_t> la_, lb_;
  // operand classes of PE p's MAC (zero: code 0, or a float format's -0 too)
  void count_class(size_t p, int64_t a, int64_t b) {
    const auto zero_a = [this](int64_t v) { return ar_ ? ar_->zero_west(v) : v == 0; };
    const auto zero_b = [this](int64_t v) { return ar_ ? ar_->zero_north(v) : v == 0; };
    const bool za = zero_a(a), zb = zero_b(b);
    if (za && zb) {
      ++cnt_.pe_macs_two_zero;
    } else if (za || zb) {
      ++cnt_.pe_macs_one_zero;
      if (za ? zero_a(la_[p]) : zero_b(lb_[p])) ++cnt_.pe_macs_held_zero;
    }
    la_[p] = a;
    lb_[p] = b;
  }
  uint8_t rowflag(int i) const;
  int64_t colin(int j) const;
  bool colpv(int j) const;
  uint8_t flag_in(int i, int j) const;
  int64_t bottom(int j) const;
  int64_t outv(int j) const;
  FixedAcc boutv(int j) const;
  int64_t topin(int j) const;
  FixedAcc btopin(int j) const;
  // bit l of PE k's ws/is partial sum register ps = {block partial state, the
  // accumulator's A bits} (block-scaled operands; the state as fixed_state_bus lays it out)
  int64_t partial_bit(size_t k, int l, int A) const;
  void shift_deskew();
  void shift_west_skew();
  void step_os();
  void step_ws();
};

} // namespace tpe
