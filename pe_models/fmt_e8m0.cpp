// Registers the number format e8m0: the OCP MX E8M0 scale (unsigned power of two; 0xFF is NaN).
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("e8m0", [] {
  NumberFormat f = NumberFormat::floating(
      "e8m0", {8, 0, 127, false, false, FloatSpecials::NaNOnly}, Overflow::Special,
      "OCP MX E8M0 scale: 2^(E-127), 2^-127..2^127, 0xFF NaN, no sign, no zero");
  return f.finalize();
}());
} // namespace
} // namespace tpe
