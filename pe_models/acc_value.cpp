// Accumulator word -> value (pe_models/acc_value.h): a switch on the accumulator
// name over the decoders of pe_models/fp_arith.h and the format library.
#include "pe_models/acc_value.h"
#include "pe_models/fp_arith.h"
#include "pe_models/number_format.h"
#include <algorithm>
#include <climits>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <stdexcept>

namespace tpe {
namespace {

uint64_t low_bits(int64_t word, int bits) {
  const uint64_t u = static_cast<uint64_t>(word);
  return bits >= 64 ? u : u & ((uint64_t(1) << bits) - 1);
}

int64_t sign_extend(uint64_t v, int bits) {
  if (bits >= 64) return static_cast<int64_t>(v);
  const uint64_t sign = uint64_t(1) << (bits - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

// Smallest Unpacked exponent over the finite nonzero codes of a format.
int min_lsb_exp(const NumberFormat& f) {
  int lo = INT_MAX;
  for (uint32_t c = 0; c < f.code_count(); ++c) {
    const Unpacked u = f.decode(c);
    if (u.kind == Unpacked::Kind::Finite) lo = std::min(lo, u.exp);
  }
  return lo == INT_MAX ? 0 : lo;
}

} // namespace

int fixed_acc_lsb(const ArchConfig& arch) {
  return min_lsb_exp(lookup_number_format(arch.act())) +
         min_lsb_exp(lookup_number_format(arch.weight()));
}

double accumulator_value(const ArchConfig& arch, int64_t word) {
  const int A = arch.acc_bits;
  if (arch.accumulate == "int") return static_cast<double>(word);
  if (arch.accumulate == "fixed") {
    const int w = A - 3;
    const uint64_t bus = low_bits(word, A);
    const bool nan = (bus >> (w + 2)) & 1, pos_inf = (bus >> (w + 1)) & 1, neg_inf = (bus >> w) & 1;
    if (nan || (pos_inf && neg_inf)) return std::numeric_limits<double>::quiet_NaN();
    if (pos_inf) return std::numeric_limits<double>::infinity();
    if (neg_inf) return -std::numeric_limits<double>::infinity();
    const int64_t v = sign_extend(low_bits(word, w), w);
    return std::ldexp(static_cast<double>(v), fixed_acc_lsb(arch));
  }
  const FpLayout& f = float_accumulator_layout(arch.accumulate); // throws if unknown
  return unpacked_to_double(decode_float(f, low_bits(word, f.bits())));
}

std::string accumulator_value_text(const ArchConfig& arch, int64_t word) {
  if (arch.accumulate == "int") return std::to_string(word);
  const double v = accumulator_value(arch, word);
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  return fmt::format("{:.17g}", v);
}

std::string accumulator_word_hex(const ArchConfig& arch, int64_t word) {
  return fmt::format("0x{:0{}x}", low_bits(word, arch.acc_bits), (arch.acc_bits + 3) / 4);
}

} // namespace tpe
