// Registers the number format fp6_e3m2: OCP MX FP6 E3M2 element; no specials, always saturates.
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("fp6_e3m2", [] {
  NumberFormat f = NumberFormat::floating(
      "fp6_e3m2", {3, 2, 3, true, true, FloatSpecials::None}, Overflow::Saturate,
      "OCP MX FP6 E3M2 (1-3-2, bias 3): max 28, min subnormal 0.0625, no Inf/NaN");
  return f.finalize();
}());
} // namespace
} // namespace tpe
