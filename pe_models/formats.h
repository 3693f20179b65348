// Number formats known to tpe, registered by name. A format says how wide an
// operand is and which values it holds; the PE models do the arithmetic.
#pragma once
#include "core/registry.h"
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
};

using FormatRegistry = Registry<FormatInfo>;

// The registered format; the name must have been validated (arch parser).
const FormatInfo& lookup_format(const std::string& name);

} // namespace tpe
