// The lut_gemv arithmetic (pe_models/lut_table.h): tables of one group by definition
// and by the Gray-code walk of LUT_PIM.md 5.3 item 2 (one add/sub per written row),
// plane indexes per index code (5.1), the signed form's half-table mirror (5.1, T-MAC
// 2.1), the shift-accumulate and the sum correction, wrapped like the golden integer
// GEMM (pe_models/int_arith.h: two's complement modulo 2^width). The order of the adds
// is that of docs/lut-gemv.md; modulo arithmetic makes the result independent of it.
#include "pe_models/lut_table.h"
#include "core/bits.h"
#include "pe_models/int_arith.h"
#include <algorithm>
#include <stdexcept>

namespace tpe {
namespace {

[[noreturn]] void bad(const std::string& key, const std::string& what) {
  throw std::invalid_argument(key + ": " + what);
}

unsigned gray(unsigned k) {
  return k ^ (k >> 1);
}

int lowest_bit(unsigned x) {
  if (x == 0) throw std::logic_error("lut_table: a Gray step changes no bit");
  int t = 0;
  while (!((x >> t) & 1u))
    ++t;
  return t;
}

int64_t elem(const int64_t* v, int n, int t) {
  return t < n ? v[t] : 0;
}

void check_range(int64_t x, int bits, const char* what) {
  if (x < int_min(bits) || x > int_max(bits))
    throw std::invalid_argument(std::string(what) + ": value " + std::to_string(x) +
                                " does not fit " + std::to_string(bits) + " bits");
}

void check_group(const int64_t* x, int n, int g, int bits, const char* what) {
  if (n < 0 || n > g)
    throw std::invalid_argument(std::string(what) + ": " + std::to_string(n) +
                                " elements for a group of " + std::to_string(g));
  for (int t = 0; t < n; ++t)
    check_range(x[t], bits, what);
}

// The tables of one V vector (one per group, built by the walk) and their sums V.
struct GroupTables {
  std::vector<std::vector<int64_t>> table;
  std::vector<int64_t> sum;
};

GroupTables build_tables(const LutArith& ar, const int64_t* v, int64_t K) {
  GroupTables gt;
  const int g = ar.group();
  for (int64_t k0 = 0; k0 < K; k0 += g) {
    const int n = static_cast<int>(std::min<int64_t>(g, K - k0));
    gt.table.push_back(ar.build_gray(v + k0, n));
    gt.sum.push_back(ar.group_sum(v + k0, n));
  }
  return gt;
}

// One output: passes of pass_groups groups; per pass A = 0, then group-major,
// plane-minor shift-accumulates, the correction, and the output buffer's add.
int64_t table_output(const LutArith& ar, const GroupTables& gt, const int64_t* u, int64_t K,
                     int64_t pass_groups, std::vector<int64_t>* plane_sums) {
  const int g = ar.group();
  const int64_t G = static_cast<int64_t>(gt.table.size());
  const int64_t P = pass_groups > 0 ? pass_groups : (G > 0 ? G : 1);
  if (plane_sums) plane_sums->assign(static_cast<size_t>(ar.u_bits()), 0);
  int64_t y = 0;
  for (int64_t p0 = 0; p0 < G || p0 == 0; p0 += P) {
    int64_t A = 0, S = 0;
    for (int64_t j = p0; j < std::min(G, p0 + P); ++j) {
      const int n = static_cast<int>(std::min<int64_t>(g, K - j * g));
      S = ar.add_sum(S, gt.sum[static_cast<size_t>(j)]);
      for (int b = 0; b < ar.u_bits(); ++b) {
        const int64_t x = ar.lookup(gt.table[static_cast<size_t>(j)], ar.index(u + j * g, n, b));
        A = ar.accumulate(A, x, b);
        if (plane_sums) (*plane_sums)[static_cast<size_t>(b)] += x;
      }
    }
    const int64_t part = ar.finish(A, S);
    y = p0 == 0 ? part : ar.add_partial(y, part);
  }
  return y;
}

} // namespace

const char* lut_name(LutTable t) {
  return t == LutTable::Weight ? "weight" : "activation";
}
const char* lut_name(LutForm f) {
  return f == LutForm::Subset ? "subset" : "signed";
}
const char* lut_name(LutIndexCode c) {
  return c == LutIndexCode::Twos ? "twos" : "offset";
}

LutTable lut_table_from(const std::string& s) {
  if (s == "weight") return LutTable::Weight;
  if (s == "activation") return LutTable::Activation;
  bad("table", "'" + s + "' is not weight or activation");
}
LutForm lut_form_from(const std::string& s) {
  if (s == "subset") return LutForm::Subset;
  if (s == "signed") return LutForm::Signed;
  bad("form", "'" + s + "' is not subset or signed");
}
LutIndexCode lut_index_code_from(const std::string& s) {
  if (s == "twos") return LutIndexCode::Twos;
  if (s == "offset") return LutIndexCode::Offset;
  bad("index_code", "'" + s + "' is not twos or offset");
}

int LutArith::min_entry_bits(int v_bits, int g) {
  return v_bits + ceil_log2(g);
}

LutArith::LutArith(const LutConfig& c) : c_(c) {
  if (c.group < 1 || c.group > 8) bad("group", "must be 1..8, got " + std::to_string(c.group));
  if (c.weight_bits < 1 || c.weight_bits > 8)
    bad("format.weight", "weights take 1..8 bits, got " + std::to_string(c.weight_bits));
  if (c.act_bits < 1 || c.act_bits > 16)
    bad("format.act", "activations take 1..16 bits, got " + std::to_string(c.act_bits));
  const bool signed_form = c.form == LutForm::Signed;
  if (c.acc_bits < 2 || c.acc_bits > (signed_form ? 63 : 64))
    bad("acc_bits", signed_form
                        ? "must be 2..63 with form: signed (A is acc_bits + 1 bits wide), got " +
                              std::to_string(c.acc_bits)
                        : "must be 2..64, got " + std::to_string(c.acc_bits));
  const bool weight_table = c.table == LutTable::Weight;
  v_bits_ = weight_table ? c.weight_bits : c.act_bits;
  u_bits_ = weight_table ? c.act_bits : c.weight_bits;
  const int need = min_entry_bits(v_bits_, c.group);
  if (c.entry_bits == 0)
    e_ = need;
  else if (c.entry_bits < need || c.entry_bits > 64)
    bad("entry_bits", std::to_string(c.entry_bits) + " is out of range " + std::to_string(need) +
                          "..64 (a " + lut_name(c.form) + " table of " + std::to_string(c.group) +
                          " " + std::to_string(v_bits_) + "-bit " +
                          (weight_table ? "weights" : "activations") + " needs " +
                          std::to_string(need) + " bits = n_v + ceil(log2 g))");
  else
    e_ = c.entry_bits;
  a_bits_ = c.acc_bits + (signed_form ? 1 : 0);
  const unsigned g = static_cast<unsigned>(c.group);
  if (signed_form) {
    rows_ = 1 << (g - 1);
    walk_.push_back({0, 1u, -1, 0});
    for (unsigned k = 1; k < (1u << (g - 1)); ++k) {
      const unsigned gk = gray(k);
      walk_.push_back({static_cast<int>(gk), (gk << 1) | 1u, lowest_bit(gk ^ gray(k - 1)) + 1,
                       gk & (gk ^ gray(k - 1)) ? 1 : -1});
    }
  } else {
    rows_ = (1 << g) - 1;
    for (unsigned k = 1; k < (1u << g); ++k) {
      const unsigned i = gray(k);
      walk_.push_back({static_cast<int>(i) - 1, i, lowest_bit(i ^ gray(k - 1)),
                       i & (i ^ gray(k - 1)) ? 1 : -1});
    }
  }
}

bool LutArith::needs_sum() const {
  return c_.form == LutForm::Signed || c_.index_code == LutIndexCode::Offset;
}

int64_t LutArith::entry(unsigned index, const int64_t* v, int n) const {
  check_group(v, n, c_.group, v_bits_, "table operand");
  int64_t s = 0;
  for (int t = 0; t < c_.group; ++t) {
    const bool on = (index >> t) & 1u;
    if (c_.form == LutForm::Subset)
      s += on ? elem(v, n, t) : 0;
    else
      s += on ? elem(v, n, t) : -elem(v, n, t);
  }
  return s;
}

std::vector<int64_t> LutArith::build_direct(const int64_t* v, int n) const {
  std::vector<int64_t> t(static_cast<size_t>(rows_));
  for (int r = 0; r < rows_; ++r) {
    const unsigned i = c_.form == LutForm::Subset ? unsigned(r + 1) : (unsigned(r) << 1) | 1u;
    t[static_cast<size_t>(r)] = entry(i, v, n);
  }
  return t;
}

int64_t LutArith::gray_start(const int64_t* v, int n) const {
  if (c_.form == LutForm::Subset) return 0;
  check_group(v, n, c_.group, v_bits_, "table operand");
  uint64_t s = static_cast<uint64_t>(elem(v, n, 0));
  for (int t = 1; t < c_.group; ++t)
    s -= static_cast<uint64_t>(elem(v, n, t));
  return wrap_signed(s, e_);
}

int64_t LutArith::gray_step(const LutBuildStep& s, int64_t prev, const int64_t* v, int n) const {
  if (s.elem < 0 || s.elem >= c_.group) throw std::logic_error("gray_step: not an add step");
  const uint64_t d = static_cast<uint64_t>(elem(v, n, s.elem))
                     << (c_.form == LutForm::Signed ? 1 : 0);
  const uint64_t p = static_cast<uint64_t>(prev);
  return wrap_signed(s.sign > 0 ? p + d : p - d, e_);
}

std::vector<int64_t> LutArith::build_gray(const int64_t* v, int n) const {
  check_group(v, n, c_.group, v_bits_, "table operand");
  std::vector<int64_t> t(static_cast<size_t>(rows_));
  int64_t reg = gray_start(v, n);
  for (const LutBuildStep& s : walk_) {
    if (s.elem >= 0) reg = gray_step(s, reg, v, n);
    t[static_cast<size_t>(s.row)] = reg;
  }
  return t;
}

int64_t LutArith::group_sum(const int64_t* v, int n) const {
  check_group(v, n, c_.group, v_bits_, "table operand");
  int64_t s = 0;
  for (int t = 0; t < n; ++t)
    s += v[t];
  return s;
}

uint64_t LutArith::plane_code(int64_t u) const {
  check_range(u, u_bits_, "index operand");
  const uint64_t code = static_cast<uint64_t>(u) & ((uint64_t(1) << u_bits_) - 1);
  return c_.index_code == LutIndexCode::Offset ? code ^ (uint64_t(1) << (u_bits_ - 1)) : code;
}

unsigned LutArith::index(const int64_t* u, int n, int b) const {
  if (b < 0 || b >= u_bits_) throw std::logic_error("index: plane out of range");
  if (n < 0 || n > c_.group)
    throw std::invalid_argument("index operand: too many elements for a group");
  unsigned idx = 0;
  for (int t = 0; t < n; ++t)
    idx |= static_cast<unsigned>((plane_code(u[t]) >> b) & 1u) << t;
  return idx;
}

int LutArith::plane_sign(int b) const {
  return c_.index_code == LutIndexCode::Twos && b == u_bits_ - 1 ? -1 : 1;
}

LutRead LutArith::read(unsigned index) const {
  if (index >= (1u << c_.group)) throw std::logic_error("read: index out of range");
  if (c_.form == LutForm::Subset)
    return index == 0 ? LutRead{true, 0, false} : LutRead{false, int(index) - 1, false};
  if (index & 1u) return {false, int(index >> 1), false};
  return {false, int((index >> 1) ^ unsigned(rows_ - 1)), true};
}

int64_t LutArith::lookup(const std::vector<int64_t>& table, unsigned index) const {
  const LutRead r = read(index);
  if (r.zero) return 0;
  const int64_t x = table.at(static_cast<size_t>(r.row));
  return r.negate ? -x : x;
}

int64_t LutArith::accumulate(int64_t acc, int64_t value, int b) const {
  const uint64_t term = static_cast<uint64_t>(value) << b;
  const uint64_t a = static_cast<uint64_t>(acc);
  return wrap_signed(plane_sign(b) < 0 ? a - term : a + term, a_bits_);
}

int64_t LutArith::add_sum(int64_t s, int64_t x) const {
  return add_wrap(s, x, a_bits_);
}

int64_t LutArith::finish(int64_t A, int64_t sum_v) const {
  const uint64_t a = static_cast<uint64_t>(A), s = static_cast<uint64_t>(sum_v);
  if (c_.form == LutForm::Signed) {
    const int64_t d = wrap_signed(a - s, a_bits_);
    if (d & 1) throw std::logic_error("finish: A - sum V is odd");
    return d >> 1;
  }
  if (c_.index_code == LutIndexCode::Offset)
    return wrap_signed(a - (s << (u_bits_ - 1)), c_.acc_bits);
  return wrap_signed(a, c_.acc_bits);
}

int64_t LutArith::add_partial(int64_t y, int64_t partial) const {
  return add_wrap(y, partial, c_.acc_bits);
}

int64_t LutArith::dot(const int64_t* v, const int64_t* u, int64_t K, int64_t pass_groups,
                      std::vector<int64_t>* plane_sums) const {
  return table_output(*this, build_tables(*this, v, K), u, K, pass_groups, plane_sums);
}

ResultMatrix lut_gemm(const OperandMatrix& A, const OperandMatrix& B, const LutArith& ar,
                      int64_t pass_groups) {
  if (A.cols != B.rows)
    throw std::invalid_argument("lut_gemm: A is " + std::to_string(A.rows) + " x " +
                                std::to_string(A.cols) + " but B has " + std::to_string(B.rows) +
                                " rows");
  const int64_t M = A.rows, K = A.cols, N = B.cols;
  for (int32_t x : A.data)
    check_range(x, ar.config().act_bits, "lut_gemm: activation");
  for (int32_t x : B.data)
    check_range(x, ar.config().weight_bits, "lut_gemm: weight");
  // rows of A (tokens) and columns of B (outputs) as K-vectors
  std::vector<std::vector<int64_t>> act(static_cast<size_t>(M)), wt(static_cast<size_t>(N));
  for (int64_t m = 0; m < M; ++m)
    act[static_cast<size_t>(m)].assign(A.data.begin() + m * K, A.data.begin() + (m + 1) * K);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t k = 0; k < K; ++k)
      wt[static_cast<size_t>(n)].push_back(B.at(k, n));
  const bool weight_table = ar.config().table == LutTable::Weight;
  const auto& owners = weight_table ? wt : act; // table operand V
  const auto& others = weight_table ? act : wt; // index operand U
  ResultMatrix C(M, N, 0);
  for (size_t o = 0; o < owners.size(); ++o) {
    const GroupTables gt = build_tables(ar, owners[o].data(), K);
    for (size_t x = 0; x < others.size(); ++x) {
      const int64_t y = table_output(ar, gt, others[x].data(), K, pass_groups, nullptr);
      if (weight_table)
        C.at(int64_t(x), int64_t(o)) = y;
      else
        C.at(int64_t(o), int64_t(x)) = y;
    }
  }
  return C;
}

} // namespace tpe
