// The broadcast engines as clocked state machines, register for register the
// twins of rtl_gen/broadcast_verilog.cpp (schedules in dataflows/broadcast_mapping.cpp):
//  - GridCore (cube, matrix2d): R x C dot products of `depth` lanes fed straight
//    from the operand SRAMs' read registers, accumulated in place, copied to a
//    drain buffer at a fold's last group and written one row per cycle;
//  - TreeCore (adder_tree): C trees of `depth` lanes with stationary weights, an
//    activation register, a tree-result register and an accumulate stage that
//    adds the partial sum read back from the output SRAM (with a bypass when the
//    read meets the write of the same word).
// step() is one rising clock edge: combinational outputs of the cycle first, then
// every register from its old neighbours.
#pragma once
#include "pe_models/pe_arith.h"
#include "sim/array_core.h"
#include <cstdint>
#include <memory>
#include <vector>

namespace tpe {

class BroadcastCore : public ArrayCore {
public:
  // arith: the PEs' arithmetic for a non-int accumulator (null: integer, inline)
  // west_bits / north_bits: the code widths of the west (A) and north (B) operands
  BroadcastCore(int west_bits, int north_bits, int acc_bits, std::shared_ptr<const PeArith> arith)
      : Ww_(west_bits), Wn_(north_bits), A_(acc_bits), ar_(std::move(arith)) {}
  void start() override { start_pending_ = true; }
  void idle() override { ++cycle_; } // a stalled edge: every register holds
  bool done() const override { return done_q_; }
  const SystolicCounters& counters() const override { return cnt_; }
  const std::vector<int64_t>& out_memory() const override { return omem_; }
  const std::vector<OutputWrite>& trace() const override { return trace_; }

protected:
  // (block-scaled grid: FFIRST marks the first block's end, FBEND every block's;
  // trees: FBEND a K-tile that ends a block, FBCONT one that continues a block)
  enum : uint8_t {
    FV = 1,
    FFIRST = 2,
    FLAST = 4,
    FFINAL = 8,
    FLOAD = 16,
    FACC = 32,
    FBEND = 64,
    FBCONT = 128
  };
  int Ww_, Wn_, A_;
  std::shared_ptr<const PeArith> ar_; // null: integer formats into `int`
  const SystolicMapping* map_ = nullptr;
  const SramImages* img_ = nullptr;
  bool values_ = true, tracing_ = false, start_pending_ = false, busy_ = false, done_q_ = false;
  std::vector<int64_t> omem_;
  std::vector<OutputWrite> trace_;
  SystolicCounters cnt_;
  int64_t cycle_ = 0;

  void reset(const SystolicMapping& m, const SramImages* images, bool values, bool trace);
  // The dot product of `n` lanes a[p] * b[p], modulo 2^A, counting operand classes;
  // lane0: the first multiplier's index (held zeros: la_, lb_ hold each
  // multiplier's previous operands).
  int64_t dot(const int64_t* a, const int64_t* b, int n, size_t lane0);
  // The exact group sum of `n` lanes (non-int accumulators), counting operand classes.
  Unpacked dot_exact(const int64_t* a, const int64_t* b, int n, size_t lane0);
  // MACs with one / two zero operands and held zeros of lanes lane0.. (la_, lb_).
  void count_classes(const int64_t* a, const int64_t* b, int n, size_t lane0);
  std::vector<int64_t> la_, lb_;
  void write_output(int64_t addr, std::vector<int64_t> data);
  std::vector<Probe> control_probes() const; // start, busy, done
};

class GridCore : public BroadcastCore {
public:
  GridCore(int rows, int cols, int depth, int west_bits, int north_bits, int acc_bits,
           std::shared_ptr<const PeArith> arith = nullptr);
  void load(const SystolicMapping& m, const SramImages* images, bool values, bool trace) override;
  void step() override;
  std::vector<Probe> probes() const override;

private:
  int R_, C_, D_;
  int64_t c_k_ = 0, c_mt_ = 0, c_nt_ = 0, c_p_ = 0; // groups, tiles, fold period
  bool iss_ = false;
  int64_t icnt_ = 0, pcnt_ = 0, mtc_ = 0, ntc_ = 0, waddr_ = 0, wbase_ = 0, naddr_ = 0;
  std::vector<int64_t> wq_, nq_; // SRAM read registers
  uint8_t f1_ = 0;               // flags registered with them
  std::vector<int64_t> acc_, dr_;
  // block-scaled operands: scale read registers (held over a block), the scale
  // SRAM word of the fold's first block, the PEs' exact block registers
  std::vector<int64_t> wsq_, nsq_;
  int64_t wsbase_ = 0, nsbase_ = 0;
  std::vector<FixedAcc> bs_;
  bool ow_act_ = false, ow_final_ = false;
  int ow_d_ = 0;
  int64_t oaddr_ = 0;
};

class TreeCore : public BroadcastCore {
public:
  // dot_w: with a non-int accumulator, the widths of the RTL's tree register t,
  // the exact dot product as an Unpacked bus (rtl_gen/fp_pe_verilog.h dot_bus_widths)
  TreeCore(int trees, int depth, int west_bits, int north_bits, int acc_bits,
           std::shared_ptr<const PeArith> arith = nullptr, UnpackedWidths dot_w = {});
  void load(const SystolicMapping& m, const SramImages* images, bool values, bool trace) override;
  void step() override;
  std::vector<Probe> probes() const override;

private:
  int C_, D_;
  UnpackedWidths dot_w_;
  int64_t c_t_ = 0, c_nt_ = 0, c_kt_ = 0; // rows M, N tiles, K tiles
  bool iss_ = false;
  int64_t mcnt_ = 0, ktc_ = 0, ntc_ = 0, waddr_ = 0, naddr_ = 0, oa_ = 0, obase_ = 0;
  std::vector<int64_t> wq_, nq_, oq_; // SRAM read registers
  uint8_t f1_ = 0, f2_ = 0, f3_ = 0;  // pipeline flags
  int64_t oa1_ = 0, oa2_ = 0, oa3_ = 0;
  std::vector<int64_t> aq_, wt_, tq_, bdata_;
  std::vector<Unpacked> tqx_;    // the tree results of a non-int accumulator (exact)
  std::vector<uint8_t> tqx_set_; // tqx_[j] was written (before: the RTL's t is all zeros)
  // bit b of tree j's t as the RTL's bus {nan, inf, zero, neg, exp, sig}
  int64_t dot_bus_bit(size_t j, int b) const;
  // the accumulate stage's output word of tree j: (FACC ? old : +0) + tree result;
  // block-scaled operands: `part` gets the tree's new exact block partial
  int64_t acc_out(size_t j, FixedAcc* part = nullptr) const;
  bool byp_ = false;
  // block-scaled operands: K-tiles per block (bpt_), the K-tile's place in its
  // block (bpos_), the scale SRAM addresses and read registers, the scales held
  // with the weights (wts_) and carried with the rows (as1_, as2_, ts_), the exact
  // block partials beside the output words (bmem_, read register bq_, bypass bbd_)
  int64_t bpt_ = 0, bpos_ = 0, wsaddr_ = 0, nsaddr_ = 0, wsq_ = 0, as1_ = 0, as2_ = 0;
  std::vector<int64_t> nsq_, wts_, ts_;
  std::vector<FixedAcc> bmem_, bq_, bbd_;
};

} // namespace tpe
