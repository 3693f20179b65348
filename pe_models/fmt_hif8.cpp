// Registers HiF8 (Ascend HiFloat8, tapered precision; decode and encode in
// pe_models/number_format.cpp): sign, a prefix "dot" code giving the exponent width,
// a sign-magnitude exponent with an implicit leading 1, 1..3 mantissa bits; denormals
// 2^(M-23); 0x00 zero, 0x80 NaN, 0x6F/0xEF +-Inf, max finite 32768. Encode rounds half
// away from zero at the mantissa width of the value's binade (en_dtypes, Huawei CANN),
// |x| >= 40960 -> Inf (or 0x6E saturating), [2^-23, 2^-22) -> 2^-22, below -> 0.
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("hif8", [] {
  NumberFormat f;
  f.name = "hif8";
  f.description = "Ascend HiFloat8 (tapered): max 32768, min denormal 2^-22, +-Inf 0x6F/0xEF, "
                  "NaN 0x80, ties away from zero";
  f.kind = FormatKind::Tapered;
  f.bits = 8;
  f.rounding = Rounding::NearestAway;
  f.overflow = Overflow::Special;
  return f.finalize();
}());
} // namespace
} // namespace tpe
