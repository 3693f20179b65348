// Small text helpers shared by the parsers.
#pragma once
#include <cstdint>
#include <string>

namespace tpe {

std::string trim(const std::string& s);               // strip leading and trailing white space
std::string lower(std::string s);                     // ASCII lower case
bool parse_int64(const std::string& s, int64_t& out); // whole string, base 10

// UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
// Returns the length of the valid sequence at s[i], 0 when it is not valid.
size_t utf8_sequence(const std::string& s, size_t i);
bool valid_utf8(const std::string& s);
// A control character: C0 (U+0000..U+001F), DEL (U+007F) or C1 (U+0080..U+009F).
bool has_control(const std::string& s);
// `s` safe to print on a terminal in one line: control characters and bytes that
// are not valid UTF-8 become \xNN (C1 controls \u0080..\u009F); the rest is kept.
std::string printable(const std::string& s);
// The longest prefix of at most `n` code points (never splits a UTF-8 sequence;
// an invalid byte counts as one).
std::string utf8_prefix(const std::string& s, size_t n);

// 64-bit FNV-1a (Fowler, Noll, Vo; IETF draft-eastlake-fnv): for each byte b of
// `s`, h = (h XOR b) * 1099511628211 mod 2^64 (the 64-bit FNV prime,
// 2^40 + 2^8 + 0xb3), starting from `h`. Chain calls (fnv1a(b, fnv1a(a))) to hash
// a sequence of strings. The default start, kFnv1aStart = 1469598103934665603, is
// NOT the standard offset basis 14695981039346656037 (0xcbf29ce484222325): it is
// that number with its last digit lost, as tpe has always used it; it is kept
// because Verilator build-cache keys, sweep resume keys and the recorded Verilog
// hashes of tests/test_fp_engines_rtl.cpp depend on it. Pass kFnv1aOffsetBasis for
// the standard hash. Not cryptographic.
constexpr uint64_t kFnv1aStart = 1469598103934665603ull;
constexpr uint64_t kFnv1aOffsetBasis = 14695981039346656037ull;
uint64_t fnv1a(const std::string& s, uint64_t h = kFnv1aStart);

} // namespace tpe
