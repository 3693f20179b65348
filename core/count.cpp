// Checked 128-bit count arithmetic (GCC/Clang overflow builtins) and the exact
// JSON form of counts beyond int64_t: count_json() stores such a count as a string
// "\x01\x02tpe-count:DIGITS" (control characters no report text holds), and dump_json()
// replaces each quoted placeholder by DIGITS.
#include "core/count.h"

namespace tpe {

namespace {
// the placeholder's prefix, as count_json() stores it and as dump() escapes it
const std::string kRaw = "\x01\x02tpe-count:";
const std::string kMark = "\\u0001\\u0002tpe-count:";
} // namespace

Count count_add(Count a, Count b, const char* what) {
  Count r;
  if (__builtin_add_overflow(a, b, &r)) throw CountOverflow(std::string(what) + " overflows");
  return r;
}

Count count_mul(Count a, Count b, const char* what) {
  Count r;
  if (__builtin_mul_overflow(a, b, &r)) throw CountOverflow(std::string(what) + " overflows");
  return r;
}

Count count_product(std::initializer_list<Count> factors, const char* what) {
  Count r = 1;
  for (Count f : factors)
    r = count_mul(r, f, what);
  return r;
}

Count count_ceil_div(Count a, Count b) {
  return a / b + (a % b != 0 ? 1 : 0);
}

int64_t count_to_int64(Count x, const char* what) {
  int64_t r;
  if (__builtin_add_overflow(x, 0, &r))
    throw CountOverflow(std::string(what) + " " + count_str(x) + " exceeds 2^63-1");
  return r;
}

int64_t mul_int64(int64_t a, int64_t b, const char* what) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw CountOverflow(std::string(what) + " overflows");
  return r;
}

std::string count_str(Count x) {
  if (x == 0) return "0";
  const bool neg = x < 0;
  unsigned __int128 u =
      neg ? -static_cast<unsigned __int128>(x) : static_cast<unsigned __int128>(x);
  std::string s;
  while (u) {
    s += static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  }
  if (neg) s += '-';
  return std::string(s.rbegin(), s.rend());
}

nlohmann::json count_json(Count x) {
  int64_t v;
  if (!__builtin_add_overflow(x, 0, &v)) return v;
  return kRaw + count_str(x);
}

std::string dump_json(const nlohmann::json& j, int indent) {
  // bytes that are not UTF-8 (user text) become U+FFFD instead of an exception
  std::string s = j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  size_t m;
  while ((m = s.find(kMark, pos)) != std::string::npos) {
    const size_t digits = m + kMark.size(), end = s.find('"', digits);
    const bool placeholder = m > 0 && s[m - 1] == '"' && end != std::string::npos && end > digits &&
                             s.find_first_not_of("-0123456789", digits) == end;
    if (!placeholder) { // not ours: copy through
      out.append(s, pos, digits - pos);
      pos = digits;
      continue;
    }
    out.append(s, pos, m - 1 - pos);
    out.append(s, digits, end - digits);
    pos = end + 1;
  }
  out.append(s, pos, std::string::npos);
  return out;
}

} // namespace tpe
