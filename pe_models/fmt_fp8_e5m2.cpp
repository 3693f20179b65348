// Registers the number format fp8_e5m2: OCP FP8 E5M2; a cast is non-saturating like ml_dtypes
// (overflow -> Inf).
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("fp8_e5m2", [] {
  NumberFormat f = NumberFormat::floating(
      "fp8_e5m2", {5, 2, 15, true, true, FloatSpecials::IEEE}, Overflow::Special,
      "OCP FP8 E5M2 (1-5-2, bias 15): max 57344, min subnormal 2^-16, Inf, NaN");
  return f.finalize();
}());
} // namespace
} // namespace tpe
