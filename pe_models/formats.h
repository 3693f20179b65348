// The number formats the engines accept, registered by name. A format says how wide
// an operand is and which values it holds; the PE models do the arithmetic. Every
// format tpe knows (floats, block formats, ...) is in the number-format library
// (pe_models/number_format.h); this list is the subset the architecture file takes.
#pragma once
#include "core/registry.h"
#include "pe_models/number_format.h"
#include <cstdint>
#include <string>

namespace tpe {

struct FormatInfo {
  std::string name;
  int bits = 0;           // storage width of one operand
  bool is_integer = true; // two's-complement integer
  std::string description;
  int64_t min_value() const { return -(int64_t(1) << (bits - 1)); }
  int64_t max_value() const { return (int64_t(1) << (bits - 1)) - 1; }
  // The same format in the number-format library (pe_models/number_format.h): exact
  // decode/encode and the widths of its Unpacked bus (pe_models/unpacked.h).
  const NumberFormat& number_format() const;
  int unpacked_sig_bits() const;
  int unpacked_exp_bits() const;
};

using FormatRegistry = Registry<FormatInfo>;

// The registered format; the name must have been validated (arch parser).
const FormatInfo& lookup_format(const std::string& name);

} // namespace tpe
