// SCALE-Sim v2's cycle, stall and utilization figures (dataflows/scalesim_v2.h;
// docs/scalesim-compat.md). The demand of one row is computed from its fold and
// local row, lane intervals instead of SCALE-Sim's demand matrices; the read
// buffers run over the operand's prefetch stream set by set with a window of A sets
// and a multiplicity map; the OFMAP write buffer keeps its undrained lines.
#include "dataflows/scalesim_v2.h"
#include "core/error.h"
#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <functional>
#include <unordered_map>
#include <vector>

namespace tpe {
namespace {

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

constexpr int64_t kInvalid = -1;                    // no request in this lane
constexpr int64_t kMaxSramWords = int64_t(1) << 26; // 65,536 kB of one-byte words
constexpr int64_t kMaxDemandRows = int64_t(1) << 34;
constexpr int64_t kMaxAddresses = int64_t(1) << 62;

// The layer as SCALE-Sim's topology row (a GEMM is its `-i gemm` conv: H = M, W = K,
// a 1 x K filter on one channel).
struct Geometry {
  int64_t H = 0, W = 0, Fh = 0, Fw = 0, Ch = 0, N = 0, sh = 1, sw = 1;
  int64_t Eh = 0, Ew = 0, M = 0, K = 0;
  // IFMAP element (m, k) of the im2col matrix: its address (HWC), or kInvalid where
  // the window sticks out of the map
  int64_t ifmap(int64_t m, int64_t k) const {
    const int64_t ir = (m / Ew) * sh, ic = (m % Ew) * sw;
    const int64_t fr = k / (Fw * Ch), rem = k % (Fw * Ch), fc = rem / Ch, ch = rem % Ch;
    if (ir + fr >= H || ic + fc >= W) return kInvalid;
    return ((ir + fr) * W + (ic + fc)) * Ch + ch;
  }
  int64_t filter(int64_t k, int64_t n) const { return n * K + k; }
  // valid entries of the im2col matrix (windows clamped to the map)
  int64_t ifmap_valid() const {
    int64_t rows = 0, cols = 0;
    for (int64_t o = 0; o < Eh; ++o)
      rows += std::clamp<int64_t>(H - o * sh, 0, Fh);
    for (int64_t o = 0; o < Ew; ++o)
      cols += std::clamp<int64_t>(W - o * sw, 0, Fw);
    return Ch * rows * cols;
  }
};

Geometry geometry_of(const Layer& l, const std::string& source) {
  Geometry g;
  if (l.is_conv) {
    g.H = l.conv.ifmap_h;
    g.W = l.conv.ifmap_w;
    g.Fh = l.conv.filt_h;
    g.Fw = l.conv.filt_w;
    g.Ch = l.conv.channels;
    g.N = l.conv.filters;
    g.sh = l.conv.stride;
    g.sw = l.conv.stride_w;
    if (g.Fh > g.H || g.Fw > g.W)
      throw InputError(source, l.line, "Filter Height",
                       "a filter larger than its IFMAP (SCALE-Sim asserts Filter Height <= "
                       "IFMAP Height and Filter Width <= IFMAP Width)");
  } else {
    g.H = l.M;
    g.W = l.K;
    g.Fh = 1;
    g.Fw = l.K;
    g.Ch = 1;
    g.N = l.N;
  }
  g.Eh = ceil_div(g.H - g.Fh + g.sh, g.sh);
  g.Ew = ceil_div(g.W - g.Fw + g.sw, g.sw);
  g.M = g.Eh * g.Ew;
  g.K = g.Fh * g.Fw * g.Ch;
  return g;
}

// The fold structure of one dataflow: Sr x Sc on the array, T in time.
struct Folds {
  int64_t R = 0, C = 0, Sr = 0, Sc = 0, T = 0, row_fold = 0, col_fold = 0, Rf = 0;
  int64_t ru(int64_t fr) const { return std::min(R, Sr - fr * R); }
  int64_t cu(int64_t fc) const { return std::min(C, Sc - fc * C); }
};

// One operand's prefetch stream (its elements once, in the dataflow's fold order,
// read out anti-diagonally or row-major; holes skipped), restartable.
class Stream {
public:
  Stream(int64_t rows, int64_t cols, bool diagonal, std::function<int64_t(int64_t, int64_t)> at)
      : rows_(rows), cols_(cols), diag_(diagonal), at_(std::move(at)) {
    reset();
  }
  void reset() {
    d_ = 0;
    row_ = 0;
    if (diag_) row_ = std::min<int64_t>(0, rows_ - 1);
  }
  // the next element; false past the end
  bool next(int64_t& out) {
    while (true) {
      int64_t r = 0, c = 0;
      if (diag_) {
        if (d_ > rows_ + cols_ - 2) return false;
        r = row_;
        c = d_ - row_;
        // advance: row decreases within a diagonal, then the next diagonal
        if (row_ - 1 >= std::max<int64_t>(0, d_ - cols_ + 1)) {
          --row_;
        } else {
          ++d_;
          row_ = std::min(d_, rows_ - 1);
        }
      } else {
        if (d_ >= rows_ * cols_) return false;
        r = d_ / cols_;
        c = d_ % cols_;
        ++d_;
      }
      const int64_t a = at_(r, c);
      if (a != kInvalid) {
        out = a;
        return true;
      }
    }
  }

private:
  int64_t rows_, cols_;
  bool diag_;
  std::function<int64_t(int64_t, int64_t)> at_;
  int64_t d_ = 0, row_ = 0;
};

// The addresses in a read buffer's window, with multiplicity: a dense counter per
// address when the operand's address space is small enough (up to 2^24 addresses,
// 64 MiB), else a hash map.
class Multiset {
public:
  explicit Multiset(int64_t space) {
    if (space <= (int64_t(1) << 24)) dense_.assign(static_cast<size_t>(space), 0);
  }
  bool has(int64_t a) const {
    if (!dense_.empty()) return dense_[static_cast<size_t>(a)] > 0;
    return sparse_.count(a) > 0;
  }
  void add(int64_t a) {
    if (!dense_.empty())
      ++dense_[static_cast<size_t>(a)];
    else
      ++sparse_[a];
  }
  void remove(int64_t a) {
    if (!dense_.empty()) {
      --dense_[static_cast<size_t>(a)];
      return;
    }
    auto it = sparse_.find(a);
    if (--it->second == 0) sparse_.erase(it);
  }

private:
  std::vector<int32_t> dense_;
  std::unordered_map<int64_t, int64_t> sparse_;
};

// A double-buffered read SRAM under InterfaceBandwidth USER: a window of A sets of
// the stream; a miss slides it by P sets, one DRAM burst of L request cycles each.
// The window is the multiset of the addresses between two cursors over the stream
// (sets enter at the head and leave at the tail, both wrapping after the last set),
// so no set is stored.
class ReadBuffer {
public:
  // `space`: one more than the operand's largest address
  ReadBuffer(int64_t words, int64_t bw, int64_t stream_len, int64_t space, const Stream& stream)
      : head_{stream}, tail_{stream}, count_(space) {
    const int64_t active = ceil_div(words, 2), half = words - active;
    eps_ = ceil_div(words, 100);
    q_ = stream_len;
    n_ = q_ / eps_ + 1; // the last set holds q mod eps elements (maybe none)
    a_ = std::min(n_, ceil_div(active, eps_));
    p_ = std::min(n_ - a_, ceil_div(half, eps_));
    l_ = ceil_div(half, bw);
    for (int64_t i = 0; i < a_; ++i)
      walk_set(head_, [this](int64_t a) { count_.add(a); });
  }
  bool never_misses() const { return p_ == 0; }
  int64_t burst_cycles() const { return l_; }
  // the demand of one address: the refills (window slides) it needs, 0 on a hit
  int64_t refills_for(int64_t addr) {
    int64_t r = 0;
    while (!count_.has(addr)) {
      for (int64_t i = 0; i < p_; ++i)
        walk_set(tail_, [this](int64_t a) { count_.remove(a); });
      for (int64_t i = 0; i < p_; ++i)
        walk_set(head_, [this](int64_t a) { count_.add(a); });
      ++r;
    }
    return r;
  }

private:
  struct Cursor {
    Stream stream;
    int64_t set = 0; // the set it visits next
  };
  // visit the addresses of the cursor's set, then move it to the next set
  template <class F> void walk_set(Cursor& c, F visit) {
    const int64_t len = c.set == n_ - 1 ? q_ - (n_ - 1) * eps_ : eps_;
    for (int64_t i = 0; i < len; ++i) {
      int64_t a = 0;
      if (!c.stream.next(a)) throw std::logic_error("scalesim_v2: prefetch stream too short");
      visit(a);
    }
    if (++c.set == n_) {
      c.set = 0;
      c.stream.reset();
    }
  }
  Cursor head_, tail_;
  Multiset count_;
  int64_t eps_ = 1, q_ = 0, n_ = 1, a_ = 1, p_ = 0, l_ = 1;
};

// The OFMAP write SRAM: words fill lines of B; when no drain is in flight and the
// occupancy passes the drain half, a drain of up to ceil(D / B) lines starts and
// frees its words at once; a word that finds the SRAM full waits for the drain.
class WriteBuffer {
public:
  WriteBuffer(int64_t words, int64_t line) : b_(line) {
    active_ = ceil_div(words, 2);
    ld_ = ceil_div(words - active_, line);
    free_ = words;
  }
  // k words of one row offered at cycle c; returns the cycle they are serviced
  int64_t service(int64_t c, int64_t k) {
    int64_t cc = c;
    for (int64_t w = 0; w < k; ++w) {
      ++cur_;
      --free_;
      if (cur_ == b_) {
        lines_.push_back(b_);
        cur_ = 0;
      }
      if (cc < drain_end_) {
        if (free_ <= 0) cc = drain_end_;
      } else if (free_ < active_) {
        if (cur_ > 0) {
          lines_.push_back(cur_);
          cur_ = 0;
        }
        drain_end_ = drain(cc);
      }
    }
    return cc;
  }
  // the words left after the last row (outside Total Cycles)
  void empty_all(int64_t cyc) {
    if (cur_ > 0) {
      lines_.push_back(cur_);
      cur_ = 0;
    }
    while (!lines_.empty()) {
      drain_end_ = drain(cyc);
      cyc = drain_end_ + 1;
    }
  }
  int64_t words_drained() const { return drained_; }

private:
  int64_t drain(int64_t s) {
    const int64_t nl = std::min<int64_t>(ld_, static_cast<int64_t>(lines_.size()));
    // SCALE-Sim removes only the last drained line's padding
    const int64_t data = nl * b_ - (b_ - lines_[static_cast<size_t>(nl - 1)]);
    free_ += data;
    drained_ += data;
    lines_.erase(lines_.begin(), lines_.begin() + nl);
    return s + nl - 1;
  }
  int64_t b_, active_ = 0, ld_ = 1, free_ = 0, cur_ = 0, drain_end_ = 0, drained_ = 0;
  std::deque<int64_t> lines_;
};

} // namespace

void check_scalesim_v2_config(const ScaleSimV2Config& cfg, const std::string& source) {
  if (cfg.dataflow != "os" && cfg.dataflow != "ws" && cfg.dataflow != "is")
    throw InputError(source, 0, "Dataflow",
                     "SCALE-Sim models systolic os, ws and is only, not '" + cfg.dataflow + "'");
  if (cfg.rows < 1 || cfg.cols < 1)
    throw InputError(source, 0, "ArrayHeight", "the array needs at least one row and column");
  for (const auto& [key, w] :
       {std::pair{"IfmapSramSzkB", cfg.ifmap_words}, std::pair{"FilterSramSzkB", cfg.filter_words},
        std::pair{"OfmapSramSzkB", cfg.ofmap_words}}) {
    if (w < 2) throw InputError(source, 0, key, "an SRAM of at least 2 words is needed");
    // a read window is held as a multiset of its addresses, the OFMAP buffer's lines
    // one by one
    if (w > kMaxSramWords)
      throw InputError(source, 0, key, "--compat scalesim models SRAMs of up to 65536 kB");
  }
  if (cfg.user_bandwidth && cfg.bandwidth < 1)
    throw InputError(source, 0, "Bandwidth", "must be at least 1 word per cycle");
}

ScaleSimV2Layer scalesim_v2_layer(const ScaleSimV2Config& cfg, const Layer& layer,
                                  const std::string& source) {
  try {
    check_scalesim_v2_config(cfg, "");
  } catch (const InputError& e) {
    throw std::invalid_argument(std::string("scalesim_v2_layer: unchecked configuration: ") +
                                e.what());
  }
  const Geometry g = geometry_of(layer, source);
  if (Count(g.H) * g.W * g.Ch > kMaxAddresses)
    throw InputError(source, layer.line, "IFMAP Height",
                     "layer '" + layer.name +
                         "': an IFMAP of more than 2^62 addresses (IFMAP Height x IFMAP Width x "
                         "Channels) is beyond --compat scalesim");
  const char df = cfg.dataflow[0];
  Folds f;
  f.R = cfg.rows;
  f.C = cfg.cols;
  // os: M x N on the array, K in time; ws: K x N, M; is: K x M, N
  f.Sr = df == 'o' ? g.M : g.K;
  f.Sc = df == 'i' ? g.M : g.N;
  f.T = df == 'o' ? g.K : (df == 'w' ? g.M : g.N);
  f.row_fold = ceil_div(f.Sr, f.R);
  f.col_fold = ceil_div(f.Sc, f.C);
  f.Rf = df == 'o' ? f.T + f.R + f.C - 2 : f.T + 2 * f.R + f.C - 2;
  const Count rows = Count(f.row_fold) * f.col_fold * f.Rf;
  if (rows > kMaxDemandRows)
    throw InputError(source, layer.line, "M*N*K",
                     "layer '" + layer.name + "': SCALE-Sim's count runs " + count_str(rows) +
                         " demand rows (one a cycle), more than --compat scalesim's limit 2^34");
  const int64_t F = f.row_fold * f.col_fold, NR = F * f.Rf;
  const int64_t R = f.R, C = f.C, M = g.M, K = g.K, N = g.N;

  ScaleSimV2Layer out;
  out.folds = F;
  out.demand_rows = NR;
  // per-fold utilizations in fold order (column fold outer), as SCALE-Sim sums them
  const int64_t cycles_fold = df == 'o' ? f.T + R + C - 2 : f.T + 2 * R + 2 * C - 3;
  double map_sum = 0, util_sum = 0;
  for (int64_t fc = 0; fc < f.col_fold; ++fc)
    for (int64_t fr = 0; fr < f.row_fold; ++fr) {
      const int64_t used = f.ru(fr) * f.cu(fc);
      map_sum += static_cast<double>(used) / static_cast<double>(R * C);
      util_sum += static_cast<double>(used * f.T) / static_cast<double>(R * C * cycles_fold);
    }
  out.mapping_efficiency = map_sum / static_cast<double>(F) * 100;
  out.compute_util = util_sum / static_cast<double>(F) * 100;
  // SRAM counts from block shapes (IFMAP holes counted); os adds R + C writes per fold
  if (df == 'o') {
    out.sram_ifmap_reads = Count(f.col_fold) * M * K;
    out.sram_filter_reads = Count(f.row_fold) * K * N;
    out.sram_ofmap_writes = Count(M) * N + Count(F) * (R + C);
  } else if (df == 'w') {
    out.sram_ifmap_reads = Count(f.col_fold) * M * K;
    out.sram_filter_reads = Count(K) * N;
    out.sram_ofmap_writes = Count(f.row_fold) * M * N;
  } else {
    out.sram_ifmap_reads = Count(M) * K;
    out.sram_filter_reads = Count(f.col_fold) * K * N;
    out.sram_ofmap_writes = Count(f.row_fold) * M * N;
  }

  // read buffers over the prefetch streams (USER only): `folds` blocks of `span` rows
  // (the operand's temporal index t) by `lanes` columns (its spatial index s = fold *
  // lanes + column, valid below `limit`), read out anti-diagonally or by rows
  std::unique_ptr<ReadBuffer> ifb, flb;
  if (cfg.user_bandwidth) {
    struct Prefetch {
      int64_t folds, span, lanes, limit;
      bool diagonal;
      std::function<int64_t(int64_t, int64_t)> at; // (t, s) -> address
    };
    const auto buffer = [&](int64_t words, int64_t stream_len, int64_t space, Prefetch p) {
      return std::make_unique<ReadBuffer>(
          words, cfg.bandwidth, stream_len, space,
          Stream(p.folds * p.span, p.lanes, p.diagonal, [p](int64_t row, int64_t col) {
            const int64_t sp = (row / p.span) * p.lanes + col;
            return sp < p.limit ? p.at(row % p.span, sp) : kInvalid;
          }));
    };
    const auto if_mk = [&g](int64_t t, int64_t m) { return g.ifmap(m, t); };
    const auto if_km = [&g](int64_t m, int64_t k) { return g.ifmap(m, k); };
    const auto fl_kn = [&g](int64_t k, int64_t n) { return g.filter(k, n); }; // FL[t][n]
    const auto fl_nk = [&g](int64_t t, int64_t k) { return g.filter(k, t); }; // FL[k][t]
    const int64_t vif = g.ifmap_valid();
    if (df == 'o') {
      ifb = buffer(cfg.ifmap_words, vif, g.H * g.W * g.Ch, {f.row_fold, K, R, M, true, if_mk});
      flb = buffer(cfg.filter_words, K * N, K * N, {f.col_fold, K, C, N, true, fl_kn});
    } else if (df == 'w') {
      ifb = buffer(cfg.ifmap_words, vif, g.H * g.W * g.Ch, {f.row_fold, M, R, K, true, if_km});
      flb = buffer(cfg.filter_words, K * N, K * N, {f.col_fold, K, C, N, false, fl_kn});
    } else {
      ifb = buffer(cfg.ifmap_words, vif, g.H * g.W * g.Ch, {f.col_fold, K, C, M, false, if_mk});
      flb = buffer(cfg.filter_words, K * N, K * N, {f.row_fold, N, R, K, true, fl_nk});
    }
  }
  WriteBuffer ofb(cfg.ofmap_words, cfg.user_bandwidth ? cfg.bandwidth : C);

  // the refills one row's demand of an operand needs (0: all hits), lanes in order
  const auto row_refills = [&](ReadBuffer* rb, bool is_ifmap, int64_t u, int64_t fc,
                               int64_t fr) -> int64_t {
    if (!rb || rb->never_misses()) return 0;
    int64_t refills = 0;
    const auto demand = [&](int64_t a) {
      if (a != kInvalid) refills += rb->refills_for(a);
    };
    if (df == 'o') {
      if (is_ifmap) { // lane r: element (m = fr R + r, t = u - r)
        const int64_t lo = std::max<int64_t>(0, u - K + 1), hi = std::min(u, f.ru(fr) - 1);
        for (int64_t r = lo; r <= hi; ++r)
          demand(g.ifmap(fr * R + r, u - r));
      } else { // lane c: element (t = u - c, n = fc C + c)
        const int64_t lo = std::max<int64_t>(0, u - K + 1), hi = std::min(u, f.cu(fc) - 1);
        for (int64_t c = lo; c <= hi; ++c)
          demand(g.filter(u - c, fc * C + c));
      }
    } else if (df == 'w') {
      if (is_ifmap) { // lane r: element (t = u - r - R, k = fr R + r)
        const int64_t v = u - R;
        const int64_t lo = std::max<int64_t>(0, v - M + 1), hi = std::min(v, f.ru(fr) - 1);
        for (int64_t r = lo; r <= hi; ++r)
          demand(g.ifmap(v - r, fr * R + r));
      } else if (u < R) { // weight load, flipped: k = fr R + R - 1 - u
        const int64_t k = fr * R + (R - 1 - u);
        if (k < K)
          for (int64_t c = 0; c < f.cu(fc); ++c)
            demand(g.filter(k, fc * C + c));
      }
    } else {
      if (is_ifmap) { // input load, flipped: k = fr R + R - 1 - u, lane c: m = fc C + c
        if (u < R) {
          const int64_t k = fr * R + (R - 1 - u);
          if (k < K)
            for (int64_t c = 0; c < f.cu(fc); ++c)
              demand(g.ifmap(fc * C + c, k));
        }
      } else { // lane r: element (k = fr R + r, t = u - r - R)
        const int64_t v = u - R;
        const int64_t lo = std::max<int64_t>(0, v - N + 1), hi = std::min(v, f.ru(fr) - 1);
        for (int64_t r = lo; r <= hi; ++r)
          demand(g.filter(fr * R + r, v - r));
      }
    }
    return refills;
  };
  // valid OFMAP lanes of local row u: one interval
  const auto ofmap_words = [&](int64_t u, int64_t fc, int64_t fr) -> int64_t {
    int64_t lo = 0, hi = -1;
    if (df == 'o') {
      const int64_t b = u - (K - 1);
      lo = std::max<int64_t>(0, b - (R - 1));
      hi = std::min(f.cu(fc) - 1, b - (R - f.ru(fr)));
    } else {
      const int64_t b = u - (2 * R - 1), t = f.T;
      lo = std::max<int64_t>(0, b - (t - 1));
      hi = std::min(f.cu(fc) - 1, b);
    }
    return std::max<int64_t>(0, hi - lo + 1);
  };

  int64_t S = 0, last_oc = 0, if_last = -1, fl_last = -1;
  Count if_stall = 0, fl_stall = 0, of_stall = 0;
  for (int64_t i = 0; i < NR; ++i) {
    const int64_t fold = i / f.Rf, u = i % f.Rf;
    const int64_t fc = fold / f.row_fold, fr = fold % f.row_fold;
    const int64_t c = i + S;
    int64_t sI = 0, sF = 0;
    if (const int64_t n = row_refills(ifb.get(), true, u, fc, fr)) {
      if_last += n * (ifb->burst_cycles() + 1);
      out.ifmap_refills += n;
      sI = std::max<int64_t>(0, if_last - c - 1);
    }
    if (const int64_t n = row_refills(flb.get(), false, u, fc, fr)) {
      fl_last += n * (flb->burst_cycles() + 1);
      out.filter_refills += n;
      sF = std::max<int64_t>(0, fl_last - c - 1);
    }
    const int64_t oc = ofb.service(c, ofmap_words(u, fc, fr));
    const int64_t sO = oc - c;
    if_stall += sI;
    fl_stall += sF;
    of_stall += sO;
    S += std::max({sI, sF, sO});
    last_oc = oc;
  }
  if (last_oc == 0)
    throw InputError(source, layer.line, "M*N*K",
                     "layer '" + layer.name +
                         "': SCALE-Sim counts 0 cycles for it and stops (its utilization divides "
                         "by the cycles)");
  ofb.empty_all(last_oc);
  out.total_cycles = last_oc;
  out.stall_cycles = S;
  out.ifmap_stall = if_stall;
  out.filter_stall = fl_stall;
  out.ofmap_stall = of_stall;
  out.dram_ofmap_writes = ofb.words_drained();
  out.dram_ifmap_reads = out.dram_filter_reads = -1;
  if (cfg.user_bandwidth) {
    // the initial fill (the active half, whole lines of Bandwidth words, at most the
    // prefetch matrix) plus full bursts
    const auto dram_reads = [&](int64_t words, int64_t numel, Count refills) {
      const int64_t active = ceil_div(words, 2), half = words - active;
      const int64_t lines = ceil_div(numel, cfg.bandwidth);
      const int64_t n0 = std::min(ceil_div(active, cfg.bandwidth), lines);
      return Count(n0) * cfg.bandwidth + refills * ceil_div(half, cfg.bandwidth) * cfg.bandwidth;
    };
    const int64_t if_numel =
        df == 'o' ? f.row_fold * K * R : (df == 'w' ? f.row_fold * M * R : f.col_fold * K * C);
    const int64_t fl_numel =
        df == 'o' ? f.col_fold * K * C : (df == 'w' ? f.col_fold * K * C : f.row_fold * N * R);
    out.dram_ifmap_reads = dram_reads(cfg.ifmap_words, if_numel, out.ifmap_refills);
    out.dram_filter_reads = dram_reads(cfg.filter_words, fl_numel, out.filter_refills);
  }
  // one division of two integers, as SCALE-Sim's Python does
  out.overall_util =
      static_cast<double>(Count(M) * N * K * 100) / static_cast<double>(out.total_cycles * R * C);
  return out;
}

std::string python_float_repr(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  char buf[64];
  // shortest round-trip digits in scientific form: [-]d[.ddd]e[+-]XX
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  std::string sign;
  if (s[0] == '-') {
    sign = "-";
    s.erase(0, 1);
  }
  const size_t e = s.find('e');
  const int exp = std::stoi(s.substr(e + 1));
  std::string digits = s.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  if (x == 0) return sign + "0.0";
  if (exp < -4 || exp >= 16) {
    std::string m = digits.substr(0, 1);
    if (digits.size() > 1) m += "." + digits.substr(1);
    const int a = std::abs(exp);
    return sign + m + "e" + (exp < 0 ? "-" : "+") + (a < 10 ? "0" : "") + std::to_string(a);
  }
  if (exp < 0) return sign + "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  const size_t int_len = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_len)
    return sign + digits + std::string(int_len - digits.size(), '0') + ".0";
  return sign + digits.substr(0, int_len) + "." + digits.substr(int_len);
}

} // namespace tpe
