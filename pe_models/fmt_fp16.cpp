// Registers the number format fp16: IEEE 754 binary16; casts round to nearest even and overflow to
// Inf.
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("fp16", [] {
  NumberFormat f = NumberFormat::floating("fp16", {5, 10, 15, true, true, FloatSpecials::IEEE},
                                          Overflow::Special,
                                          "IEEE binary16 (1-5-10, bias 15): max 65504, min normal "
                                          "2^-14, min subnormal 2^-24, Inf, NaN");
  return f.finalize();
}());
} // namespace
} // namespace tpe
