// Text helpers: ASCII-only, locale-independent.
#include "core/text.h"
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace tpe {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
    ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
    --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

uint64_t fnv1a(const std::string& s, uint64_t h) {
  for (const unsigned char c : s)
    h = (h ^ c) * 1099511628211ull;
  return h;
}

bool parse_int64(const std::string& s, int64_t& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

size_t utf8_sequence(const std::string& s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned c = b(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return n;
}

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

namespace {
bool c1_at(const std::string& s, size_t i, size_t n) { // U+0080..U+009F is C2 80..C2 9F
  return n == 2 && static_cast<unsigned char>(s[i]) == 0xC2 &&
         static_cast<unsigned char>(s[i + 1]) < 0xA0;
}
} // namespace

bool has_control(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return true;
    const size_t n = std::max<size_t>(1, utf8_sequence(s, i));
    if (c1_at(s, i, n)) return true;
    i += n;
  }
  return false;
}

std::string printable(const std::string& s) {
  static const char* hex = "0123456789abcdef";
  std::string r;
  r.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = utf8_sequence(s, i);
    if (n == 0 || c < 0x20 || c == 0x7F) {
      r += "\\x";
      r += hex[c >> 4];
      r += hex[c & 15];
      ++i;
    } else if (c1_at(s, i, n)) {
      const unsigned char d = static_cast<unsigned char>(s[i + 1]);
      r += "\\u00";
      r += hex[d >> 4];
      r += hex[d & 15];
      i += 2;
    } else {
      r.append(s, i, n);
      i += n;
    }
  }
  return r;
}

std::string utf8_prefix(const std::string& s, size_t n) {
  size_t i = 0;
  for (size_t k = 0; k < n && i < s.size(); ++k)
    i += std::max<size_t>(1, utf8_sequence(s, i));
  return s.substr(0, i);
}

} // namespace tpe
