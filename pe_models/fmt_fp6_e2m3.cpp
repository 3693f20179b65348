// Registers the number format fp6_e2m3: OCP MX FP6 E2M3 element; no specials, always saturates.
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("fp6_e2m3", [] {
  NumberFormat f = NumberFormat::floating(
      "fp6_e2m3", {2, 3, 1, true, true, FloatSpecials::None}, Overflow::Saturate,
      "OCP MX FP6 E2M3 (1-2-3, bias 1): max 7.5, min subnormal 0.125, no Inf/NaN");
  return f.finalize();
}());
} // namespace
} // namespace tpe
