// Integer multiplier emulators (see int_multipliers.h for the structures).
#include "pe_models/int_multipliers.h"
#include "pe_models/int_arith.h"
#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace tpe {

CsaPlan wallace_plan(int n_words) {
  CsaPlan plan;
  std::vector<int> level;
  for (int i = 0; i < n_words; ++i)
    level.push_back(i);
  int next_index = n_words;
  while (level.size() > 2) {
    std::vector<int> next;
    size_t i = 0;
    for (; i + 3 <= level.size(); i += 3) {
      plan.push_back({level[i], level[i + 1], level[i + 2]});
      next.push_back(next_index++);
      next.push_back(next_index++);
    }
    for (; i < level.size(); ++i)
      next.push_back(level[i]);
    level = next;
  }
  return plan;
}

CsaPlan linear_plan(int n_words) {
  CsaPlan plan;
  if (n_words < 3) return plan;
  plan.push_back({0, 1, 2});
  int s = n_words, c = n_words + 1;
  for (int w = 3; w < n_words; ++w) {
    plan.push_back({s, c, w});
    s = n_words + 2 * static_cast<int>(plan.size() - 1);
    c = s + 1;
  }
  return plan;
}

std::pair<int, int> plan_result(const CsaPlan& plan, int n_words) {
  if (plan.empty()) return {0, n_words > 1 ? 1 : 0};
  // the result words are those not consumed by any CSA
  std::vector<bool> used(n_words + 2 * plan.size(), false);
  for (const auto& op : plan)
    used[op.x] = used[op.y] = used[op.z] = true;
  std::vector<int> left;
  for (size_t i = 0; i < used.size(); ++i)
    if (!used[i]) left.push_back(static_cast<int>(i));
  if (left.size() != 2) throw std::logic_error("a reduction plan must leave two words");
  return {left[0], left[1]};
}

std::vector<uint64_t> run_plan(std::vector<uint64_t> words, const CsaPlan& plan, int n) {
  const uint64_t m = low_mask(n);
  for (const auto& op : plan) {
    const uint64_t x = words[op.x], y = words[op.y], z = words[op.z];
    words.push_back((x ^ y ^ z) & m);
    words.push_back((((x & y) | (x & z) | (y & z)) << 1) & m);
  }
  return words;
}

CsaPair reduce(const std::vector<uint64_t>& words, const CsaPlan& plan, int n) {
  const auto all = run_plan(words, plan, n);
  const auto [i, j] = plan_result(plan, static_cast<int>(words.size()));
  return {all[i], words.size() > 1 ? all[j] : 0};
}

std::vector<uint64_t> digit_partial_products(const std::vector<int>& digits, int64_t b, int n) {
  const uint64_t m = low_mask(n);
  std::vector<uint64_t> pp;
  uint64_t neg = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    const int d = digits[i];
    const uint64_t mag = static_cast<uint64_t>(std::abs(d) == 2 ? 2 * b : std::abs(d) == 1 ? b : 0);
    uint64_t w = (d < 0 ? ~mag : mag) << (2 * i);
    pp.push_back(w & m);
    if (d < 0) neg |= uint64_t(1) << (2 * i);
  }
  pp.push_back(neg & m);
  return pp;
}

std::vector<int> booth_digits(int64_t a, int W) {
  const uint64_t u = static_cast<uint64_t>(a);
  auto bit = [&](int i) { return i < 0 ? 0 : static_cast<int>((u >> i) & 1); };
  std::vector<int> d;
  for (int i = 0; i < W / 2; ++i)
    d.push_back(-2 * bit(2 * i + 1) + bit(2 * i) + bit(2 * i - 1));
  return d;
}

EntCode ent_encode(int64_t a, int W) {
  EntCode e;
  e.negative = a < 0;
  const uint64_t mag = static_cast<uint64_t>(a < 0 ? -a : a);
  int carry = 0;
  for (int i = 0; i < W / 2; ++i) {
    const int t = static_cast<int>((mag >> (2 * i)) & 3) + carry;
    carry = t >= 3 ? 1 : 0;
    const int code = t & 3;
    e.digits.push_back(code == 3 ? -1 : code);
  }
  if (carry) throw std::logic_error("EN-T: magnitude does not fit W/2 digits");
  return e;
}

int ent_nonzero_digits(int64_t a, int W) {
  int n = 0;
  for (int d : ent_encode(a, W).digits)
    n += d != 0;
  return n;
}

std::vector<int> ent_signed_digits(const EntCode& e) {
  std::vector<int> d = e.digits;
  if (e.negative)
    for (int& x : d)
      x = -x;
  return d;
}

uint64_t ent_code_word(const EntCode& e) {
  uint64_t w = 0;
  for (size_t i = 0; i < e.digits.size(); ++i)
    w |= static_cast<uint64_t>(e.digits[i] & 3) << (2 * i); // -1 -> 11
  return w | (static_cast<uint64_t>(e.negative) << (2 * e.digits.size()));
}

EntCode ent_from_code_word(uint64_t code, int W) {
  EntCode e;
  for (int i = 0; i < W / 2; ++i) {
    const int c = static_cast<int>((code >> (2 * i)) & 3);
    e.digits.push_back(c == 3 ? -1 : c);
  }
  e.negative = (code >> W) & 1;
  return e;
}

std::vector<uint64_t> array_rows(int64_t a, int64_t b, int W, int n) {
  const uint64_t m = low_mask(n);
  const uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  std::vector<uint64_t> rows;
  for (int j = 0; j < W; ++j) {
    const bool on = (ua >> j) & 1;
    const uint64_t row = on ? (j == W - 1 ? ~ub : ub) << j : 0;
    rows.push_back(row & m);
  }
  rows.push_back(((ua >> (W - 1)) & 1) << (W - 1) & m); // +1 of the negated sign row
  return rows;
}

namespace {
int64_t finish(const CsaPair& p, int n) {
  return wrap_signed((p.s + p.c) & low_mask(n), n);
}
} // namespace

int64_t array_multiply(int64_t a, int64_t b, int W) {
  const auto rows = array_rows(a, b, W, 2 * W);
  return finish(reduce(rows, linear_plan(static_cast<int>(rows.size())), 2 * W), 2 * W);
}

int64_t booth_multiply(int64_t a, int64_t b, int W) {
  const auto pp = digit_partial_products(booth_digits(a, W), b, 2 * W);
  return finish(reduce(pp, wallace_plan(static_cast<int>(pp.size())), 2 * W), 2 * W);
}

int64_t ent_multiply(int64_t a, int64_t b, int W) {
  const auto pp = digit_partial_products(ent_signed_digits(ent_encode(a, W)), b, 2 * W);
  return finish(reduce(pp, wallace_plan(static_cast<int>(pp.size())), 2 * W), 2 * W);
}

CsaPair opt1_step(const CsaPair& acc, bool first, int64_t a, int64_t b, int W, int A) {
  auto words = digit_partial_products(booth_digits(a, W), b, A);
  words.push_back(first ? 0 : acc.s);
  words.push_back(first ? 0 : acc.c);
  return reduce(words, wallace_plan(static_cast<int>(words.size())), A);
}

int64_t opt1_value(const CsaPair& acc, int A) {
  return finish(acc, A);
}

int sbw_width(int W, int G, int TW) {
  int lg = 0;
  while ((1 << lg) < G)
    ++lg;
  return std::min(TW, W + 2 + lg);
}

int64_t sbw_dot(const std::vector<int64_t>& a, const std::vector<int64_t>& b, int W, int TW) {
  const int G = static_cast<int>(a.size()), n = sbw_width(W, G, TW);
  std::vector<std::vector<int>> digits;
  for (int64_t v : a)
    digits.push_back(ent_signed_digits(ent_encode(v, W)));
  std::vector<uint64_t> weights;
  for (int i = 0; i < W / 2 && 2 * i < TW; ++i) {
    std::vector<uint64_t> words;
    for (int k = 0; k < G; ++k) {
      const int d = digits[static_cast<size_t>(k)][static_cast<size_t>(i)];
      const uint64_t bk = static_cast<uint64_t>(b[static_cast<size_t>(k)]);
      const uint64_t mag = std::abs(d) == 2 ? 2 * bk : std::abs(d) == 1 ? bk : 0;
      words.push_back((d < 0 ? ~mag : mag) & low_mask(n));
    }
    for (int k = 0; k < G; ++k)
      words.push_back(digits[static_cast<size_t>(k)][static_cast<size_t>(i)] < 0 ? 1 : 0);
    const int64_t bw = finish(reduce(words, wallace_plan(2 * G), n), n);
    weights.push_back((static_cast<uint64_t>(bw) << (2 * i)) & low_mask(TW));
  }
  if (weights.size() == 1) return wrap_signed(weights[0], TW);
  return finish(reduce(weights, wallace_plan(static_cast<int>(weights.size())), TW), TW);
}

} // namespace tpe
