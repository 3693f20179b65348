// Registers the number format fp4_e2m1: OCP MX FP4 E2M1 element; no specials, always saturates.
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("fp4_e2m1", [] {
  NumberFormat f = NumberFormat::floating(
      "fp4_e2m1", {2, 1, 1, true, true, FloatSpecials::None}, Overflow::Saturate,
      "OCP FP4 E2M1 (1-2-1, bias 1): 0, 0.5, 1, 1.5, 2, 3, 4, 6, no Inf/NaN");
  return f.finalize();
}());
} // namespace
} // namespace tpe
