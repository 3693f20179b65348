// Registration of the integer formats INT4, INT8 and INT16 (two's complement).
#include "pe_models/formats.h"
#include <stdexcept>

namespace tpe {

namespace {
Registrar<FormatInfo> r4("int4", {"int4", 4, true, "4-bit two's complement, -8..7"});
Registrar<FormatInfo> r8("int8", {"int8", 8, true, "8-bit two's complement, -128..127"});
Registrar<FormatInfo> r16("int16", {"int16", 16, true, "16-bit two's complement, -32768..32767"});
} // namespace

const FormatInfo& lookup_format(const std::string& name) {
  const FormatInfo* f = FormatRegistry::instance().find(name);
  if (!f) throw std::logic_error("format '" + name + "' is not registered");
  return *f;
}

const NumberFormat& FormatInfo::number_format() const {
  return lookup_number_format(name);
}
int FormatInfo::unpacked_sig_bits() const {
  return number_format().unpacked_sig_bits();
}
int FormatInfo::unpacked_exp_bits() const {
  return number_format().unpacked_exp_bits();
}

} // namespace tpe
