// Accumulator word -> value (pe_models/acc_value.h): a switch on the accumulator
// name over the decoders of pe_models/fp_arith.h and the format library.
#include "pe_models/acc_value.h"
#include "pe_models/fp_arith.h"
#include "pe_models/int_arith.h"
#include "pe_models/number_format.h"
#include "pe_models/pe_arith.h"
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

} // namespace

int fixed_acc_lsb(const ArchConfig& arch) {
  return fixed_accumulator_spec(lookup_number_format(arch.act()),
                                lookup_number_format(arch.weight()))
      .lsb_exp;
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
    const int64_t v = wrap_signed(low_bits(word, w), w);
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
