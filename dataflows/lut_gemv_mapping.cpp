// lut_gemv tiling and closed-form cycles (dataflows/lut_gemv_mapping.h). The closed
// form walks the rounds of the tile grid and, per round, takes each phase's maximum
// over the round's arrays (they run in lockstep); the data-dependent read counts of
// the weight orientation are counted from the activations (per group, plane and
// token block: zero indexes, distinct indexes). docs/lut-gemv.md "Schedule" and
// "Closed form" derive every term; sources LUT_PIM.md 5.3 and 5.4.
#include "dataflows/lut_gemv_mapping.h"
#include "core/engine_info.h"
#include <algorithm>
#include <stdexcept>

namespace tpe {
namespace {

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

[[noreturn]] void bad(const std::string& key, const std::string& what) {
  throw std::invalid_argument(key + ": " + what);
}

// intN -> N for the integer formats 1..16 bits, else 0
int int_bits(const std::string& f) {
  if (f.size() < 4 || f.compare(0, 3, "int") != 0) return 0;
  int n = 0;
  for (size_t i = 3; i < f.size(); ++i) {
    if (f[i] < '0' || f[i] > '9') return 0;
    n = n * 10 + (f[i] - '0');
    if (n > 64) return 0;
  }
  return n >= 1 && n <= 16 ? n : 0;
}

bool given(const ArchConfig& a, const char* key) {
  return a.engine_keys.count(key) != 0;
}

} // namespace

LutGemvParams lut_gemv_params(const ArchConfig& a) {
  LutGemvParams p;
  LutConfig& c = p.arith;
  const bool split = !a.act_format.empty() || !a.weight_format.empty();
  c.act_bits = int_bits(a.act());
  c.weight_bits = int_bits(a.weight());
  if (c.act_bits == 0)
    bad(split ? "format.act" : "format",
        "engine 'lut_gemv' takes integer activations int1..int16 (got '" + a.act() + "')");
  if (c.weight_bits == 0 || c.weight_bits > 8)
    bad(split ? "format.weight" : "format",
        "engine 'lut_gemv' takes integer weights int1..int8 (got '" + a.weight() + "')");
  if (a.accumulate != "int")
    bad("accumulate", "engine 'lut_gemv' accumulates in 'int' only (got '" + a.accumulate + "')");
  c.acc_bits = a.acc_bits;
  c.table = lut_table_from(engine_key(a, "table"));
  c.form = lut_form_from(engine_key(a, "form"));
  c.index_code = lut_index_code_from(engine_key(a, "index_code"));
  c.group = static_cast<int>(engine_key_int(a, "group"));
  const std::string eb = engine_key(a, "entry_bits");
  c.entry_bits = eb == "auto" ? 0 : static_cast<int>(engine_key_int(a, "entry_bits"));
  p.arrays = static_cast<int>(engine_key_int(a, "arrays"));
  p.rows = static_cast<int>(engine_key_int(a, "array.rows"));
  p.cols = static_cast<int>(engine_key_int(a, "array.cols"));
  p.dual_port = engine_key(a, "array.ports") == "1rw1r";
  p.read_latency = static_cast<int>(engine_key_int(a, "array.read_latency"));
  p.batch = static_cast<int>(engine_key_int(a, "batch"));
  p.tokens_per_pass = static_cast<int>(engine_key_int(a, "tokens_per_pass"));
  p.lanes = static_cast<int>(engine_key_int(a, "lanes"));
  p.skip_zero_index = engine_key_bool(a, "skip_zero_index");
  p.batch_shared_lookup = engine_key_bool(a, "batch_shared_lookup");
  p.builder_entries_per_cycle = static_cast<int>(engine_key_int(a, "builder_entries_per_cycle"));
  p.build_init_cycles = static_cast<int>(engine_key_int(a, "build_init_cycles"));
  p.stream_bits = static_cast<int>(engine_key_int(a, "stream_bits"));
  p.out_bits = static_cast<int>(engine_key_int(a, "out_bits"));

  const LutArith arith(c); // throws "key: problem" for group, entry_bits, acc_bits
  const bool weight = c.table == LutTable::Weight;
  const char* other = weight ? "activation" : "weight";
  // keys of the other orientation are refused, not ignored
  for (const char* k :
       weight ? std::vector<const char*>{"tokens_per_pass", "lanes", "builder_entries_per_cycle"}
              : std::vector<const char*>{"batch", "skip_zero_index", "batch_shared_lookup",
                                         "build_init_cycles", "stream_bits"})
    if (given(a, k))
      bad(k, std::string("is a key of table: ") + other +
                 " (this design has table: " + lut_name(c.table) + ")");
  if (p.skip_zero_index && c.form == LutForm::Signed)
    bad("skip_zero_index", "needs form: subset (a signed table has no zero entry: T[0] = -sum V)");
  if (given(a, "build_init_cycles") && c.form != LutForm::Signed)
    bad("build_init_cycles", "is a key of form: signed (the subset walk starts from T[0] = 0)");
  if (p.build_init_cycles > c.group)
    bad("build_init_cycles", "must be 1..group (" + std::to_string(c.group) +
                                 "): one cycle with a g-input adder up to g cycles with one");
  const int64_t e = arith.entry_bits(), R = arith.rows();
  if (weight) {
    if (p.cols / e < 1)
      bad("array.cols", std::to_string(p.cols) + " bits hold no " + std::to_string(e) +
                            "-bit entry (E = floor(cols / entry_bits) = 0)");
    if (p.rows < R)
      bad("array.rows", std::to_string(p.rows) + " rows hold no table of " + std::to_string(R) +
                            " rows (group " + std::to_string(c.group) + ", form " +
                            lut_name(c.form) + ")");
  } else {
    if (int64_t(p.tokens_per_pass) * R * e > p.cols)
      bad("array.cols",
          "a row holds tokens_per_pass x rows x entry_bits = " + std::to_string(p.tokens_per_pass) +
              " x " + std::to_string(R) + " x " + std::to_string(e) + " = " +
              std::to_string(int64_t(p.tokens_per_pass) * R * e) +
              " bits, more than cols = " + std::to_string(p.cols));
    if (int64_t(p.lanes) * c.group > 65536)
      bad("lanes", "lanes x group weight bits per cycle exceed 65536");
  }
  return p;
}

LutGemvGeometry lut_gemv_geometry(const LutGemvParams& p, const LutArith& arith, int64_t M,
                                  int64_t K, int64_t N) {
  LutGemvGeometry g;
  g.e = arith.entry_bits();
  g.R = arith.rows();
  g.planes = arith.u_bits();
  g.G = ceil_div(K, arith.group());
  g.weight = arith.config().table == LutTable::Weight;
  if (g.weight) {
    g.lanesE = p.cols / g.e;
    g.slots = p.rows / g.R;
    g.tok_block = p.batch;
    g.tiles_a = ceil_div(N, g.lanesE);
    g.tiles_b = ceil_div(g.G, g.slots);
    g.inner_blocks = ceil_div(M, g.tok_block);
  } else {
    g.lanesE = p.lanes;
    g.slots = p.rows;
    g.tok_block = p.tokens_per_pass;
    g.tiles_a = ceil_div(M, g.tok_block);
    g.tiles_b = ceil_div(g.G, g.slots);
    g.inner_blocks = ceil_div(N, g.lanesE);
  }
  g.rounds = ceil_div(g.tiles(), p.arrays);
  return g;
}

LutGemvTile lut_gemv_tile(const LutGemvGeometry& g, int64_t M, int64_t N, int64_t t) {
  LutGemvTile r;
  const int64_t a = t / g.tiles_b, b = t % g.tiles_b;
  const int64_t outer = g.weight ? g.lanesE : g.tok_block;
  r.o0 = a * outer;
  r.no = std::min(outer, (g.weight ? N : M) - r.o0);
  r.j0 = b * g.slots;
  r.nj = std::min(g.slots, g.G - r.j0);
  return r;
}

int64_t lut_weight_build_cycles(const LutGemvParams& p, const LutArith& arith, int64_t no,
                                int64_t nj) {
  const int64_t Ld = ceil_div(int64_t(arith.group()) * no * arith.v_bits(), p.stream_bits);
  const int64_t Bd = arith.config().form == LutForm::Subset
                         ? arith.rows()
                         : p.build_init_cycles + arith.rows() - 1;
  return Ld + Bd + (nj - 1) * std::max(Ld, Bd);
}

namespace {

// The indexes of one group j for tokens [m0, m0+nm), summed over the planes: tokens
// with index 0, distinct indexes, and planes whose distinct indexes include 0.
struct GroupIdx {
  int64_t zeros = 0, distinct = 0, distinct_zero = 0;
};

GroupIdx group_idx(const LutArith& arith, const OperandMatrix& A, int64_t m0, int64_t nm,
                   int64_t j) {
  const int g = arith.group();
  const int64_t k0 = j * g;
  const int n = static_cast<int>(std::min<int64_t>(g, A.cols - k0));
  std::vector<unsigned> idx(static_cast<size_t>(nm));
  int64_t u[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  GroupIdx r;
  for (int b = 0; b < arith.u_bits(); ++b) {
    for (int64_t m = 0; m < nm; ++m) {
      for (int t = 0; t < n; ++t)
        u[t] = A.at(m0 + m, k0 + t);
      idx[static_cast<size_t>(m)] = arith.index(u, n, b);
    }
    r.zeros += static_cast<int64_t>(std::count(idx.begin(), idx.end(), 0u));
    std::sort(idx.begin(), idx.end());
    r.distinct += static_cast<int64_t>(std::unique(idx.begin(), idx.end()) - idx.begin());
    r.distinct_zero += idx.front() == 0 ? 1 : 0;
  }
  return r;
}

// Issue cycles and row reads of nj groups whose summed statistics are s.
int64_t tally(const LutArith& arith, const GroupIdx& s, int64_t nm, int64_t nj, bool skip,
              bool share, int64_t* rows_read) {
  const bool subset = arith.config().form == LutForm::Subset;
  const int64_t issues = share ? s.distinct : nm * nj * arith.u_bits();
  const int64_t zeros = !subset ? 0 : share ? s.distinct_zero : s.zeros; // a signed 0 reads
  if (rows_read) *rows_read += issues - zeros;
  return skip && subset ? issues - zeros : issues;
}

} // namespace

int64_t lut_weight_reads(const LutGemvParams& p, const LutArith& arith, const OperandMatrix& A,
                         int64_t m0, int64_t nm, int64_t j0, int64_t nj, bool skip, bool share,
                         int64_t* rows_read) {
  (void)p;
  GroupIdx s;
  for (int64_t j = j0; j < j0 + nj; ++j) {
    const GroupIdx x = group_idx(arith, A, m0, nm, j);
    s.zeros += x.zeros;
    s.distinct += x.distinct;
    s.distinct_zero += x.distinct_zero;
  }
  return tally(arith, s, nm, nj, skip, share, rows_read);
}

int64_t lut_act_build_row_cycles(const LutGemvParams& p, const LutArith& arith, int64_t nm) {
  return ceil_div(nm * arith.rows(), p.builder_entries_per_cycle);
}

int64_t lut_act_first_block_cycles(const LutGemvParams& p, const LutArith& arith, int64_t nm,
                                   int64_t nj) {
  const int64_t Brow = lut_act_build_row_cycles(p, arith, nm), w = arith.u_bits(),
                L = p.read_latency;
  if (!p.dual_port) return nj * Brow + nj * w + L;
  return Brow <= w ? Brow + nj * w + L : nj * Brow + w + L;
}

int64_t lut_drain_cycles(const LutGemvParams& p, int64_t words) {
  return ceil_div(words * p.arith.acc_bits, p.out_bits);
}

namespace {

// The closed form with the savings as given (skip, share).
// prefix[token block][j]: the GroupIdx of groups 0 .. j-1 summed (weight orientation;
// the lookup counts depend on the tokens and the group only, not on the outputs)
using Prefix = std::vector<std::vector<GroupIdx>>;

Prefix index_prefix(const LutArith& arith, const LutGemvGeometry& g, const OperandMatrix& A) {
  Prefix pre;
  if (!g.weight) return pre;
  for (int64_t m0 = 0; m0 < A.rows; m0 += g.tok_block) {
    const int64_t nm = std::min(g.tok_block, A.rows - m0);
    std::vector<GroupIdx> v(static_cast<size_t>(g.G + 1));
    for (int64_t j = 0; j < g.G; ++j) {
      const GroupIdx x = group_idx(arith, A, m0, nm, j);
      v[size_t(j + 1)] = {v[size_t(j)].zeros + x.zeros, v[size_t(j)].distinct + x.distinct,
                          v[size_t(j)].distinct_zero + x.distinct_zero};
    }
    pre.push_back(std::move(v));
  }
  return pre;
}

LutGemvCycles closed_form(const LutGemvParams& p, const LutArith& arith, const OperandMatrix& A,
                          int64_t N, bool skip, bool share, const Prefix& prefix) {
  const int64_t M = A.rows, K = A.cols;
  const LutGemvGeometry g = lut_gemv_geometry(p, arith, M, K, N);
  LutGemvCycles c;
  c.rounds = g.rounds;
  const bool weight = arith.config().table == LutTable::Weight;
  const int64_t L = p.read_latency, w = arith.u_bits();
  for (int64_t r = 0; r < g.rounds; ++r) {
    std::vector<LutGemvTile> tiles;
    for (int64_t t = r * p.arrays; t < std::min(g.tiles(), (r + 1) * int64_t(p.arrays)); ++t)
      tiles.push_back(lut_gemv_tile(g, M, N, t));
    if (weight) {
      int64_t build = 0;
      for (const auto& t : tiles) {
        build = std::max(build, lut_weight_build_cycles(p, arith, t.no, t.nj));
        c.table_writes += t.nj * arith.rows();
      }
      c.build += build;
      for (int64_t m0 = 0; m0 < M; m0 += g.tok_block) {
        const int64_t nm = std::min(g.tok_block, M - m0);
        int64_t look = 0, drain = 0;
        for (const auto& t : tiles) {
          int64_t rows = 0;
          const std::vector<GroupIdx>& pre = prefix[static_cast<size_t>(m0 / g.tok_block)];
          GroupIdx st;
          st.zeros = pre[size_t(t.j0 + t.nj)].zeros - pre[size_t(t.j0)].zeros;
          st.distinct = pre[size_t(t.j0 + t.nj)].distinct - pre[size_t(t.j0)].distinct;
          st.distinct_zero =
              pre[size_t(t.j0 + t.nj)].distinct_zero - pre[size_t(t.j0)].distinct_zero;
          const int64_t n = tally(arith, st, nm, t.nj, skip, share, &rows);
          c.reads += rows;
          c.issues += n;
          c.reads_plain += nm * t.nj * w;
          look = std::max(look, n);
          drain = std::max(drain, lut_drain_cycles(p, nm * t.no));
        }
        c.lookup += look;
        c.flush += L;
        c.drain += drain;
      }
    } else {
      int64_t first = 0, look = 0;
      for (const auto& t : tiles) {
        first = std::max(first, lut_act_first_block_cycles(p, arith, t.no, t.nj));
        look = std::max(look, t.nj * w);
        c.table_writes += t.nj;
      }
      for (int64_t n0 = 0; n0 < N; n0 += g.lanesE) {
        const int64_t nn = std::min(g.lanesE, N - n0);
        int64_t drain = 0;
        for (const auto& t : tiles) {
          drain = std::max(drain, lut_drain_cycles(p, t.no * nn));
          c.reads += t.nj;
          c.issues += t.nj;
          c.reads_plain += t.nj;
        }
        if (n0 == 0) c.build += first - look - L;
        c.lookup += look;
        c.flush += L;
        c.drain += drain;
      }
    }
  }
  c.total = c.build + c.lookup + c.flush + c.drain;
  return c;
}

} // namespace

LutGemvCycles lut_gemv_cycles(const LutGemvParams& p, const OperandMatrix& A, int64_t N) {
  const LutArith arith(p.arith);
  const bool weight = p.arith.table == LutTable::Weight;
  const bool subset = p.arith.form == LutForm::Subset;
  const Prefix prefix = index_prefix(arith, lut_gemv_geometry(p, arith, A.rows, A.cols, N), A);
  LutGemvCycles c = closed_form(p, arith, A, N, p.skip_zero_index, p.batch_shared_lookup, prefix);
  const auto total = [&](bool skip, bool share) {
    if (skip == p.skip_zero_index && share == p.batch_shared_lookup) return c.total;
    return closed_form(p, arith, A, N, skip, share, prefix).total;
  };
  c.plain_total = total(false, false);
  c.skip_total = weight && subset ? total(true, false) : c.plain_total;
  c.share_total = weight ? total(false, true) : c.plain_total;
  return c;
}

Count lut_gemv_model_elements(const LutGemvParams& p, const LutGemvGeometry& g, int64_t M,
                              int64_t N) {
  const Count active = std::min<Count>(g.tiles(), p.arrays);
  const Count slots = std::min(g.slots, g.G), R = g.R;
  if (g.weight) {
    const Count E = std::min<int64_t>(g.lanesE, N), Bt = std::min<int64_t>(g.tok_block, M);
    return count_mul(active,
                     count_add(count_product({slots, R, E}, "table entries"),
                               count_mul(Bt, E, "accumulators"), "model elements"),
                     "model elements");
  }
  const Count Mt = std::min<int64_t>(g.tok_block, M), Nl = std::min<int64_t>(g.lanesE, N);
  return count_mul(active,
                   count_add(count_product({slots, Mt, R}, "table entries"),
                             count_mul(Mt, Nl, "accumulators"), "model elements"),
                   "model elements");
}

double lut_gemv_peak_macs(const LutGemvParams& p) {
  const LutArith arith(p.arith);
  const double g = arith.group(), w = arith.u_bits();
  if (p.arith.table == LutTable::Weight) // a shared read feeds up to `batch` adders per lane
    return double(p.arrays) * double(p.cols / arith.entry_bits()) * g / w *
           (p.batch_shared_lookup ? p.batch : 1);
  return double(p.arrays) * p.tokens_per_pass * p.lanes * g / w;
}

std::string lut_gemv_shape(const LutGemvParams& p) {
  return std::to_string(p.arrays) + (p.arrays == 1 ? " array " : " arrays ") +
         std::to_string(p.rows) + "x" + std::to_string(p.cols) + " " + lut_name(p.arith.table) +
         " " + lut_name(p.arith.form) + " g" + std::to_string(p.arith.group);
}

} // namespace tpe
