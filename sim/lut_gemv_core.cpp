// The stepped lut_gemv model (sim/lut_gemv_core.h). One call of step() is one rising
// edge: each array computes its next registers from the current ones (old values
// only: the loader and the builder both read the old buffer flags, the lanes consume
// the oldest read-pipeline stage while the reader fills the youngest), then the
// controller ends the phase when no array has work after this edge (the next edge
// is the next phase's first). Phases per round, docs/lut-gemv.md "Schedule":
//   weight:     Build, then per token block: Look (one row read per edge), Flush
//               (read_latency edges), Drain (output port);
//   activation: per output block: Look (block 0 also builds the rows; reads every w
//               edges, planes consumed from the held row), Drain.
#include "sim/lut_gemv_core.h"
#include "pe_models/int_arith.h"
#include <algorithm>
#include <stdexcept>

namespace tpe {

namespace {

struct Stage {
  bool valid = false;
  bool zero = false;   // subset index 0: no row read, adds nothing
  bool negate = false; // signed form, even index
  int plane = 0;
  int64_t group = 0;         // activation: the group of the row
  std::vector<int> tokens;   // weight: the tokens the entry is added into
  std::vector<int64_t> data; // the row read (dout)
};

struct Array {
  bool active = false;
  LutGemvTile tile;
  // loader and builder (weight orientation)
  int64_t ld_slot_q = 0, ld_cnt_q = 0;
  bool buf_full_q[2] = {false, false};
  std::vector<int64_t> buf_q[2]; // [lane * g + t]
  int64_t bld_slot_q = 0, bld_step_q = 0, bld_cnt_q = 0;
  bool bld_busy_q = false;
  std::vector<int64_t> bld_q; // per lane
  // both orientations
  std::vector<int64_t> sum_q;            // weight: per lane; activation: per token
  std::vector<std::vector<int64_t>> mem; // [row][entry]
  int64_t wr_rows_q = 0;                 // activation: rows written (and the build counter)
  // weight lookups
  int64_t lk_s_q = 0, lk_ptr_q = 0;
  int lk_b_q = 0;
  bool lk_done_q = true;
  // activation reads
  int64_t rd_row_q = 0, rd_wait_q = 0;
  std::vector<int64_t> hold_q;
  int64_t hold_group_q = 0;
  int plane_q = 0;
  std::vector<Stage> rd_pipe_q;
  std::vector<int64_t> acc_q;       // [token * acc_stride + lane]
  int64_t acc_stride = 0;           // lanes of this tile (weight) / of an output block (activation)
  std::vector<uint64_t> drain_bits; // the drained words, packed (trace_ports)
};

} // namespace

struct LutGemvCore::Impl {
  LutGemvParams p;
  LutArith arith;
  const OperandMatrix& A;
  const OperandMatrix& B;
  LutGemvGeometry geo;
  int64_t M, K, N;
  int g, w, L;
  bool weight, subset;
  ResultMatrix C;
  std::vector<Array> arr;
  Phase ctl_phase_q = Phase::Build;
  int64_t ctl_round_q = 0, ctl_blk_q = 0, ctl_cnt_q = 0, ctl_len_q = 0;
  int64_t cycle = 0;
  Count reads = 0, writes = 0;
  std::vector<LutPortWrite>* trace = nullptr;

  Impl(const LutGemvParams& p_, const OperandMatrix& A_, const OperandMatrix& B_)
      : p(p_), arith(p_.arith), A(A_), B(B_), M(A_.rows), K(A_.cols), N(B_.cols) {
    if (B.rows != K)
      throw std::invalid_argument("lut_gemv: A is " + std::to_string(M) + " x " +
                                  std::to_string(K) + ", B is " + std::to_string(B.rows) + " x " +
                                  std::to_string(N));
    for (int32_t x : A.data)
      if (x < int_min(p.arith.act_bits) || x > int_max(p.arith.act_bits))
        throw std::invalid_argument("lut_gemv: an activation does not fit act_bits");
    for (int32_t x : B.data)
      if (x < int_min(p.arith.weight_bits) || x > int_max(p.arith.weight_bits))
        throw std::invalid_argument("lut_gemv: a weight does not fit weight_bits");
    geo = lut_gemv_geometry(p, arith, M, K, N);
    g = arith.group();
    w = arith.u_bits();
    L = p.read_latency;
    weight = p.arith.table == LutTable::Weight;
    subset = p.arith.form == LutForm::Subset;
    C = ResultMatrix(M, N, 0);
    arr.resize(static_cast<size_t>(p.arrays));
    if (M == 0 || N == 0 || K == 0) {
      ctl_phase_q = Phase::Done;
      return;
    }
    enter_round(0);
  }

  // ---- operand access (padding: elements past K are V = 0, index bits 0) ----
  int elems(int64_t j) const { return static_cast<int>(std::min<int64_t>(g, K - j * g)); }
  // table operand of group j for lane/token `x` of the tile
  void v_of(int64_t j, int64_t x, std::vector<int64_t>& v) const {
    v.assign(static_cast<size_t>(g), 0);
    for (int t = 0; t < elems(j); ++t)
      v[static_cast<size_t>(t)] = weight ? B.at(j * g + t, x) : A.at(x, j * g + t);
  }
  unsigned idx_of(int64_t j, int64_t x, int b) const {
    int64_t u[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int t = 0; t < elems(j); ++t)
      u[t] = weight ? A.at(x, j * g + t) : B.at(j * g + t, x);
    return arith.index(u, elems(j), b);
  }

  int64_t lanes() const { return geo.lanesE; }
  int64_t toks() const { return geo.tok_block; }
  // the inner block's range: weight tokens / activation outputs
  int64_t blk0() const { return ctl_blk_q * (weight ? toks() : lanes()); }
  int64_t blkn() const { return std::min(weight ? toks() : lanes(), (weight ? M : N) - blk0()); }

  void enter_round(int64_t r) {
    ctl_round_q = r;
    ctl_blk_q = 0;
    for (int64_t i = 0; i < p.arrays; ++i) {
      Array& a = arr[static_cast<size_t>(i)];
      const int64_t t = r * p.arrays + i;
      a = Array();
      a.active = t < geo.tiles();
      if (!a.active) continue;
      a.tile = lut_gemv_tile(geo, M, N, t);
      a.rd_pipe_q.assign(static_cast<size_t>(L), Stage());
      if (weight) {
        a.mem.assign(static_cast<size_t>(a.tile.nj * arith.rows()),
                     std::vector<int64_t>(static_cast<size_t>(a.tile.no), 0));
        a.sum_q.assign(static_cast<size_t>(a.tile.no), 0);
        a.bld_q.assign(static_cast<size_t>(a.tile.no), 0);
        a.acc_stride = a.tile.no;
        a.acc_q.assign(static_cast<size_t>(std::min(toks(), M) * a.acc_stride), 0);
      } else {
        a.mem.assign(static_cast<size_t>(a.tile.nj),
                     std::vector<int64_t>(static_cast<size_t>(a.tile.no * arith.rows()), 0));
        a.sum_q.assign(static_cast<size_t>(a.tile.no), 0);
        a.acc_stride = std::min(lanes(), N);
        a.acc_q.assign(static_cast<size_t>(a.tile.no * a.acc_stride), 0);
        a.plane_q = w;
      }
    }
    if (weight)
      ctl_phase_q = Phase::Build;
    else
      enter_look();
  }

  // ---- weight lookups: the issue list of (slot s, plane b) for the token block ----
  struct Issue {
    unsigned idx;
    std::vector<int> tokens;
  };
  std::vector<Issue> issue_list(const Array& a, int64_t s, int b) const {
    const int64_t j = a.tile.j0 + s, m0 = blk0(), nm = blkn();
    std::vector<Issue> v;
    if (p.batch_shared_lookup) {
      std::vector<std::pair<unsigned, int>> it;
      for (int64_t m = 0; m < nm; ++m)
        it.emplace_back(idx_of(j, m0 + m, b), static_cast<int>(m));
      std::sort(it.begin(), it.end());
      for (const auto& [i, m] : it) {
        if (!v.empty() && v.back().idx == i)
          v.back().tokens.push_back(m);
        else
          v.push_back({i, {m}});
      }
    } else {
      for (int64_t m = 0; m < nm; ++m)
        v.push_back({idx_of(j, m0 + m, b), {static_cast<int>(m)}});
    }
    if (p.skip_zero_index && subset)
      v.erase(std::remove_if(v.begin(), v.end(), [](const Issue& x) { return x.idx == 0; }),
              v.end());
    return v;
  }
  // from (s, b, ptr): the first non-empty list at or after it (lk_done_q when none)
  void lk_settle(Array& a) const {
    while (a.lk_s_q < a.tile.nj) {
      if (a.lk_ptr_q < static_cast<int64_t>(issue_list(a, a.lk_s_q, a.lk_b_q).size())) return;
      a.lk_ptr_q = 0;
      if (++a.lk_b_q == w) {
        a.lk_b_q = 0;
        ++a.lk_s_q;
      }
    }
    a.lk_done_q = true;
  }

  void enter_look() {
    ctl_phase_q = Phase::Look;
    bool any = false;
    for (Array& a : arr) {
      if (!a.active) continue;
      if (weight) {
        a.lk_s_q = 0;
        a.lk_b_q = 0;
        a.lk_ptr_q = 0;
        a.lk_done_q = false;
        lk_settle(a);
        any = any || !a.lk_done_q;
      } else {
        a.rd_row_q = 0;
        a.rd_wait_q = 0;
        any = true;
      }
    }
    if (!any) enter_flush();
  }
  void enter_flush() {
    ctl_phase_q = Phase::Flush;
    ctl_cnt_q = 0;
    ctl_len_q = L;
  }
  void enter_drain() {
    ctl_phase_q = Phase::Drain;
    ctl_cnt_q = 0;
    ctl_len_q = 0;
    for (const Array& a : arr)
      if (a.active) ctl_len_q = std::max(ctl_len_q, lut_drain_cycles(p, blkn() * a.tile.no));
  }

  // ---- one edge of each phase ----
  // Build (weight): loader and builder; returns true while the array has work left.
  bool build_edge(Array& a) {
    const bool full0 = a.buf_full_q[0], full1 = a.buf_full_q[1];
    const bool full[2] = {full0, full1};
    const int64_t nj = a.tile.nj, no = a.tile.no;
    const int64_t Ld = (int64_t(g) * no * arith.v_bits() + p.stream_bits - 1) / p.stream_bits;
    // loader
    if (a.ld_slot_q < nj && !full[a.ld_slot_q % 2]) {
      if (++a.ld_cnt_q == Ld) {
        std::vector<int64_t>& buf = a.buf_q[a.ld_slot_q % 2];
        buf.assign(static_cast<size_t>(no * g), 0);
        std::vector<int64_t> v;
        for (int64_t l = 0; l < no; ++l) {
          v_of(a.tile.j0 + a.ld_slot_q, a.tile.o0 + l, v);
          std::copy(v.begin(), v.end(), buf.begin() + l * g);
        }
        a.buf_full_q[a.ld_slot_q % 2] = true;
        ++a.ld_slot_q;
        a.ld_cnt_q = 0;
      }
    }
    // builder
    if (!a.bld_busy_q && a.bld_slot_q < nj && full[a.bld_slot_q % 2]) {
      a.bld_busy_q = true;
      a.bld_step_q = 0;
      a.bld_cnt_q = 0;
      const std::vector<int64_t>& buf = a.buf_q[a.bld_slot_q % 2];
      const int n = elems(a.tile.j0 + a.bld_slot_q);
      for (int64_t l = 0; l < no; ++l) {
        a.sum_q[static_cast<size_t>(l)] =
            arith.add_sum(a.sum_q[static_cast<size_t>(l)], arith.group_sum(&buf[l * g], n));
        a.bld_q[static_cast<size_t>(l)] = 0; // T[0] (subset); the signed start overwrites
      }
    }
    if (a.bld_busy_q) {
      const auto& walk = arith.gray_schedule();
      const LutBuildStep& st = walk[static_cast<size_t>(a.bld_step_q)];
      const int64_t len = st.elem < 0 ? p.build_init_cycles : 1;
      if (++a.bld_cnt_q == len) {
        const std::vector<int64_t>& buf = a.buf_q[a.bld_slot_q % 2];
        const int n = elems(a.tile.j0 + a.bld_slot_q);
        for (int64_t l = 0; l < no; ++l) {
          int64_t& r = a.bld_q[static_cast<size_t>(l)];
          r = st.elem < 0 ? arith.gray_start(&buf[l * g], n)
                          : arith.gray_step(st, r, &buf[l * g], n);
          a.mem[static_cast<size_t>(a.bld_slot_q * arith.rows() + st.row)][static_cast<size_t>(l)] =
              r;
        }
        ++writes;
        a.bld_cnt_q = 0;
        if (++a.bld_step_q == static_cast<int64_t>(walk.size())) {
          a.bld_busy_q = false;
          a.buf_full_q[a.bld_slot_q % 2] = false;
          ++a.bld_slot_q;
        }
      }
    }
    return a.bld_slot_q < nj;
  }

  // The lanes: the oldest pipeline stage (issued read_latency edges ago) is added.
  void lanes_edge(Array& a, const Stage& out) {
    const int64_t E = a.acc_stride;
    if (weight) {
      if (!out.valid) return;
      for (int tok : out.tokens)
        for (int64_t l = 0; l < a.tile.no; ++l) {
          const int64_t e = out.zero ? 0
                                     : (out.negate ? -out.data[static_cast<size_t>(l)]
                                                   : out.data[static_cast<size_t>(l)]);
          int64_t& acc = a.acc_q[static_cast<size_t>(tok * E + l)];
          acc = arith.accumulate(acc, e, out.plane);
        }
      return;
    }
    const std::vector<int64_t>* row = nullptr;
    int b = 0;
    int64_t j = 0;
    if (out.valid) {
      a.hold_q = out.data;
      a.hold_group_q = out.group;
      a.plane_q = 1;
      row = &a.hold_q;
      j = out.group;
    } else if (a.plane_q < w) {
      b = a.plane_q++;
      row = &a.hold_q;
      j = a.hold_group_q;
    }
    if (!row) return;
    const int64_t n0 = blk0(), nn = blkn(), R = arith.rows();
    for (int64_t l = 0; l < nn; ++l) {
      const LutRead rd = arith.read(idx_of(j, n0 + l, b));
      for (int64_t tok = 0; tok < a.tile.no; ++tok) {
        const int64_t x = (*row)[static_cast<size_t>(tok * R + rd.row)];
        const int64_t e = rd.zero ? 0 : (rd.negate ? -x : x);
        int64_t& acc = a.acc_q[static_cast<size_t>(tok * E + l)];
        acc = arith.accumulate(acc, e, b);
      }
    }
  }

  // Look: one read issue per edge (weight) or the builder and a read every w edges
  // (activation); returns true while the array has work left after this edge.
  bool look_edge(Array& a, Stage& in) {
    if (weight) {
      if (a.lk_done_q) return false;
      const std::vector<Issue> list = issue_list(a, a.lk_s_q, a.lk_b_q);
      const Issue& is = list[static_cast<size_t>(a.lk_ptr_q)];
      const LutRead rd = arith.read(is.idx);
      in.valid = true;
      in.zero = rd.zero;
      in.negate = rd.negate;
      in.plane = a.lk_b_q;
      in.tokens = is.tokens;
      if (!rd.zero) {
        in.data = a.mem[static_cast<size_t>(a.lk_s_q * arith.rows() + rd.row)];
        ++reads;
      }
      ++a.lk_ptr_q;
      lk_settle(a);
      return !a.lk_done_q;
    }
    const int64_t nj = a.tile.nj, wr_old = a.wr_rows_q;
    // builder: a row of the tile's token tables every Brow edges (first block only)
    if (a.wr_rows_q < nj && ++a.bld_cnt_q == lut_act_build_row_cycles(p, arith, a.tile.no)) {
      const int64_t j = a.tile.j0 + a.wr_rows_q, R = arith.rows();
      std::vector<int64_t>& row = a.mem[static_cast<size_t>(a.wr_rows_q)];
      std::vector<int64_t> v;
      for (int64_t tok = 0; tok < a.tile.no; ++tok) {
        v_of(j, a.tile.o0 + tok, v);
        const std::vector<int64_t> t = arith.build_gray(v.data(), elems(j));
        std::copy(t.begin(), t.end(), row.begin() + tok * R);
        a.sum_q[static_cast<size_t>(tok)] =
            arith.add_sum(a.sum_q[static_cast<size_t>(tok)], arith.group_sum(v.data(), elems(j)));
      }
      ++a.wr_rows_q;
      ++writes;
      a.bld_cnt_q = 0;
    }
    // reader: row r once written (1rw1r) or once all rows are written (1rw), every w edges
    const bool ready = p.dual_port ? a.rd_row_q < wr_old : wr_old == nj;
    if (a.rd_row_q < nj && a.rd_wait_q == 0 && ready) {
      in.valid = true;
      in.group = a.tile.j0 + a.rd_row_q;
      in.data = a.mem[static_cast<size_t>(a.rd_row_q)];
      ++reads;
      ++a.rd_row_q;
      a.rd_wait_q = w - 1;
    } else if (a.rd_wait_q > 0) {
      --a.rd_wait_q;
    }
    bool pending = false; // reads in flight (stage 0 is this edge's)
    for (const Stage& s : a.rd_pipe_q)
      pending = pending || s.valid;
    return a.wr_rows_q < nj || a.rd_row_q < nj || pending || a.plane_q < w;
  }

  void drain_outputs() {
    const int64_t b0 = blk0(), nb = blkn();
    for (Array& a : arr) {
      if (!a.active) continue;
      const int64_t E = a.acc_stride, nl = weight ? a.tile.no : nb;
      const int ab = p.arith.acc_bits;
      a.drain_bits.assign(static_cast<size_t>(((weight ? nb : a.tile.no) * nl * ab + 63) / 64 + 1),
                          0);
      for (int64_t x = 0; x < (weight ? nb : a.tile.no); ++x)
        for (int64_t l = 0; l < nl; ++l) {
          int64_t& acc = a.acc_q[static_cast<size_t>(x * E + l)];
          const int64_t sum = a.sum_q[static_cast<size_t>(weight ? l : x)];
          const int64_t m = weight ? b0 + x : a.tile.o0 + x;
          const int64_t n = weight ? a.tile.o0 + l : b0 + l;
          const int64_t fin = arith.finish(acc, sum);
          C.at(m, n) = arith.add_partial(C.at(m, n), fin);
          acc = 0;
          if (trace)
            for (int i = 0; i < ab; ++i)
              if ((uint64_t(fin) >> i) & 1) {
                const int64_t bit = (x * nl + l) * ab + i;
                a.drain_bits[static_cast<size_t>(bit / 64)] |= uint64_t(1) << (bit % 64);
              }
        }
    }
  }

  // the drain port's chunk ctl_cnt_q of every active array
  void record_chunk() {
    const int ob = p.out_bits;
    for (size_t i = 0; i < arr.size(); ++i) {
      const Array& a = arr[i];
      if (!a.active) continue;
      LutPortWrite w;
      w.cycle = cycle;
      w.array = static_cast<int64_t>(i);
      w.tile = ctl_round_q * p.arrays + static_cast<int64_t>(i);
      w.blk = ctl_blk_q;
      w.chunk = ctl_cnt_q;
      w.data.assign(static_cast<size_t>((ob + 63) / 64), 0);
      for (int k = 0; k < ob; ++k) {
        const int64_t bit = ctl_cnt_q * ob + k;
        const size_t word = static_cast<size_t>(bit / 64);
        if (word < a.drain_bits.size() && ((a.drain_bits[word] >> (bit % 64)) & 1))
          w.data[static_cast<size_t>(k / 64)] |= uint64_t(1) << (k % 64);
      }
      trace->push_back(std::move(w));
    }
  }

  void step() {
    if (ctl_phase_q == Phase::Done) return;
    ++cycle;
    bool work = false;
    for (Array& a : arr) {
      if (!a.active) continue;
      // the read pipeline: the oldest stage reaches the lanes, the reader fills stage 0
      Stage out = std::move(a.rd_pipe_q.back());
      for (size_t i = a.rd_pipe_q.size() - 1; i > 0; --i)
        a.rd_pipe_q[i] = std::move(a.rd_pipe_q[i - 1]);
      a.rd_pipe_q[0] = Stage();
      lanes_edge(a, out);
      if (ctl_phase_q == Phase::Build) work = build_edge(a) || work;
      if (ctl_phase_q == Phase::Look) work = look_edge(a, a.rd_pipe_q[0]) || work;
    }
    switch (ctl_phase_q) {
    case Phase::Build:
      if (!work) enter_look();
      break;
    case Phase::Look:
      if (!work) {
        if (weight)
          enter_flush();
        else
          enter_drain();
      }
      break;
    case Phase::Flush:
      if (++ctl_cnt_q == ctl_len_q) enter_drain();
      break;
    case Phase::Drain:
      if (ctl_cnt_q == 0) drain_outputs();
      if (trace) record_chunk();
      if (++ctl_cnt_q == ctl_len_q) {
        if (++ctl_blk_q < geo.inner_blocks)
          enter_look();
        else if (ctl_round_q + 1 < geo.rounds)
          enter_round(ctl_round_q + 1);
        else
          ctl_phase_q = Phase::Done;
      }
      break;
    case Phase::Done:
      break;
    }
  }
};

LutGemvCore::LutGemvCore(const LutGemvParams& p, const OperandMatrix& A, const OperandMatrix& B)
    : d_(std::make_unique<Impl>(p, A, B)) {}
LutGemvCore::~LutGemvCore() = default;

void LutGemvCore::step() {
  d_->step();
}
bool LutGemvCore::done() const {
  return d_->ctl_phase_q == Phase::Done;
}
int64_t LutGemvCore::cycle() const {
  return d_->cycle;
}
LutGemvCore::Phase LutGemvCore::phase() const {
  return d_->ctl_phase_q;
}
void LutGemvCore::idle() {
  ++d_->cycle;
}
Count LutGemvCore::run(int64_t max_cycles, const StallPattern& stalled) {
  // the edge about to be taken ends cycle d_->cycle + 1 (step() counts it first, as the
  // harness counts the cycles after the reset edge)
  const StallPattern next =
      stalled ? StallPattern([this, &stalled](int64_t) { return stalled(d_->cycle + 1); })
              : StallPattern();
  run_on_systemc_clock(*this, max_cycles, nullptr, next);
  return d_->cycle;
}
const ResultMatrix& LutGemvCore::C() const {
  return d_->C;
}
Count LutGemvCore::row_reads() const {
  return d_->reads;
}
Count LutGemvCore::row_writes() const {
  return d_->writes;
}
void LutGemvCore::trace_ports(std::vector<LutPortWrite>* sink) {
  d_->trace = sink;
}

} // namespace tpe
