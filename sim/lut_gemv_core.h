// The cycle-by-cycle SystemC model of the lut_gemv engine (LUT-GEMV on SRAM-PIM
// arrays), the register-for-register description its Verilog follows
// (docs/lut-gemv.md "Schedule"), stepped as a whole on the SystemC clock like the
// array engines' cores (sim/clocked_host.h). step() is one rising clock edge: every array does
// this edge's work from the registers of the previous edge (loader, Gray-code
// builder, row read into the SRAM's read pipeline, lane shift-accumulate, drain), then
// the controller moves to the next phase when no array has work left (the arrays of
// a round run in lockstep). The SRAM is behavioural with the OpenRAM port timing of
// LUT_PIM.md 4.1: the address is registered on a rising edge and the data is usable
// read_latency edges later. Arithmetic: pe_models/lut_table.h (LutArith), so C equals
// lut_gemm and the golden integer GEMM; cycles equal lut_gemv_cycles
// (dataflows/lut_gemv_mapping.h).
//
// Register names (the RTL's): ctl_phase_q, ctl_round_q, ctl_blk_q (token block in
// weight orientation, output block in activation orientation), ctl_cnt_q (fixed-length
// phases); per array: ld_slot_q, ld_cnt_q, buf_full_q[2], buf_q[2] (the loaded V of a
// slot), bld_slot_q, bld_step_q, bld_cnt_q, bld_q[lane] (the builder's entry
// register), wr_rows_q (rows written), sum_q[lane|token] (sum V), mem (the array),
// lk_s_q, lk_b_q, lk_ptr_q (weight lookups), rd_row_q, rd_wait_q (activation reads),
// rd_pipe_q[read_latency] (address, plane, sign, token mask in flight), hold_q,
// plane_q (activation: the row held for the planes), acc_q[token][lane].
#pragma once
#include "core/count.h"
#include "core/tensor.h"
#include "dataflows/lut_gemv_mapping.h"
#include "pe_models/lut_table.h"
#include "sim/clocked_host.h"
#include <cstdint>
#include <memory>
#include <vector>

namespace tpe {

// One output write of an array's drain port (the RTL's o_wr_*): on drain edge `chunk`
// of (tile, token block `blk`), bits chunk * out_bits .. of the block's packed words
// (word x * no + l = the corrected partial sum of token x, lane l, acc_bits each).
struct LutPortWrite {
  int64_t cycle = 0; // the edge (1 = the first step())
  int64_t array = 0, tile = 0, blk = 0, chunk = 0;
  std::vector<uint64_t> data; // out_bits, little-endian 64-bit words

  bool operator==(const LutPortWrite& o) const {
    return cycle == o.cycle && array == o.array && tile == o.tile && blk == o.blk &&
           chunk == o.chunk && data == o.data;
  }
};

// A ClockedCore (sim/clocked_host.h): run() steps it on the SystemC clock, one
// step() per rising edge, as the array engines' cores.
class LutGemvCore : public ClockedCore {
public:
  // A: M x K activations (act_bits), B: K x N weights (weight_bits); values are
  // checked against the formats (std::invalid_argument). The model keeps references
  // to A and B: they must outlive it.
  LutGemvCore(const LutGemvParams& p, const OperandMatrix& A, const OperandMatrix& B);
  ~LutGemvCore() override;

  enum class Phase { Build, Look, Flush, Drain, Done };
  void step() override;       // one rising edge
  void idle() override;       // a stalled edge: every register holds, the cycle advances
  bool done() const override; // every round drained
  int64_t cycle() const;      // edges stepped so far
  Phase phase() const;        // ctl_phase_q
  // Step on the SystemC clock until done; returns the edges stepped since
  // construction. Throws std::runtime_error after max_cycles edges of this call.
  // `stalled` names the edges that idle (tpe verify --stall-rate).
  Count run(int64_t max_cycles = int64_t(1) << 40, const StallPattern& stalled = nullptr);
  const ResultMatrix& C() const; // the output buffer (M x N)
  Count row_reads() const;       // SRAM row reads issued
  Count row_writes() const;      // SRAM row writes
  // Record every drain-port write into `sink` from now on (nullptr: stop).
  void trace_ports(std::vector<LutPortWrite>* sink);

private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

} // namespace tpe
