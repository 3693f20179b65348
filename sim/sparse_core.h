// Output-stationary array of serial PEs (opt3, opt4c, bitserial, pragmatic) as one
// clocked state machine, register for register the twin of
// rtl_gen/sparse_verilog.cpp. Described here for the EN-T digits of opt3/opt4c;
// bitserial and pragmatic differ in the terms a row issues per cycle
// (pe_models/sparse_encoder.h) and in the number of passes.
// Pipeline: the controller reads one group word per operand SRAM (4 K elements
// of every row / column) into the SRAM output registers (F); when the execute
// stage (E) advances, the row encoders load the F word's EN-T digits at the
// pass's bit weight and the column registers its B values. Each E cycle every row
// issues its lowest remaining nonzero digit to its PEs (+-b or +-2b of the
// selected column value into the PE's partial sum); E advances when no row has
// more than one digit left (lockstep rows; an all-zero group takes one cycle).
// Passes run from the highest bit weight down (Horner): at a pass's last group
// the PE's carry-save pair is shifted left by 2 (x4). After the fold's last pass
// (bit weight 0) the pair is kept one cycle (the next fold's first cycle reads
// it as zero) and its sum goes into the drain registers at the next edge; they
// shift down the columns and write R output words, bottom row first. A fold may
// not end while the previous drain would still need its registers then (E
// holds). Values are required: the timing depends on them.
#pragma once
#include "pe_models/sparse_encoder.h"
#include "sim/array_core.h"
#include <cstdint>
#include <vector>

namespace tpe {

class SparseCore : public ArrayCore {
public:
  SparseCore(int rows, int cols, int operand_bits, int acc_bits, const SerialInfo& scheme);

  void load(const SystolicMapping& m, const SramImages* images, bool values, bool trace) override;
  void start() override { start_pending_ = true; }
  void step() override;
  void idle() override { ++cycle_; } // a stalled edge: every register holds
  bool done() const override { return done_q_; }
  const SystolicCounters& counters() const override { return cnt_; }
  const std::vector<int64_t>& out_memory() const override { return omem_; }
  const std::vector<OutputWrite>& trace() const override { return trace_; }
  std::vector<Probe> probes() const override;

private:
  int R_, C_, W_, A_, D_;
  SerialInfo si_;
  static constexpr int P_ = 4; // K elements per group
  const SystolicMapping* map_ = nullptr;
  const SramImages* img_ = nullptr;
  bool tracing_ = false;
  std::vector<int8_t> wdig_; // EN-T digit (sign applied) of every west element at every weight
  std::vector<int64_t> omem_;
  std::vector<OutputWrite> trace_;
  SystolicCounters cnt_;
  int64_t cycle_ = 0;
  bool start_pending_ = false, busy_ = false, done_q_ = false;

  // configuration and issue counters
  int64_t c_g_ = 0, c_mt_ = 0, c_nt_ = 0;
  bool iss_ = false;
  int64_t gcnt_ = 0, bwc_ = 0, ntc_ = 0, mtc_ = 0, waddr_ = 0, wbase_ = 0, naddr_ = 0, nbase_ = 0;
  // F: the SRAM output registers hold group words (addresses kept) and their flags
  bool fv_ = false, f_glast_ = false, f_flast_ = false, f_final_ = false;
  int64_t f_w_ = 0, f_n_ = 0, f_bw_ = 0;
  // E: row encoders, column registers and flags
  bool e_valid_ = false, e_glast_ = false, e_flast_ = false, e_final_ = false;
  // EntDigits: per row, a mask of the lanes with a digit left and each lane's
  // digit; Bits and Oneffsets: per row x lane, the bits left to issue and the
  // lane's sign (Oneffsets); Bits: the pass is the MSB's (negative weight)
  std::vector<uint32_t> mask_;
  std::vector<int8_t> dval_;
  std::vector<uint32_t> lm_;
  std::vector<uint8_t> lsg_;
  bool e_msb_ = false;
  std::vector<int64_t> eb_; // per column x P
  // PEs (i*C + j): the carry-save pair's value, drain register
  std::vector<int64_t> ps_, res_;
  // fold end registered (the drain registers load from the pair next cycle),
  // and the PEs' pair to be read as zero at the next running cycle
  bool fe_q_ = false, fe_final_ = false, clr_ = false;
  // drain / output sequencer
  bool dr_act_ = false, dr_final_ = false;
  int64_t dr_d_ = 0, oaddr_ = 0;

  struct Comb { // combinational signals of the current cycle
    bool all_last = true, adv = false, run = false, rd_en = false;
  };
  Comb comb() const;
};

} // namespace tpe
