// Registers the number format fp8_e4m3: OCP FP8 E4M3 (E4M3FN); a cast is non-saturating like
// ml_dtypes (overflow -> NaN).
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("fp8_e4m3", [] {
  NumberFormat f = NumberFormat::floating(
      "fp8_e4m3", {4, 3, 7, true, true, FloatSpecials::NaNOnly}, Overflow::Special,
      "OCP FP8 E4M3 (1-4-3, bias 7): max 448, min subnormal 2^-9, no Inf, NaN S.1111.111");
  return f.finalize();
}());
} // namespace
} // namespace tpe
