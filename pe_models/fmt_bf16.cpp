// Registers the number format bf16: bfloat16, the upper half of binary32; casts round to nearest
// even and overflow to Inf.
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("bf16", [] {
  NumberFormat f = NumberFormat::floating("bf16", {8, 7, 127, true, true, FloatSpecials::IEEE},
                                          Overflow::Special,
                                          "bfloat16 (1-8-7, bias 127): max ~3.39e38, min normal "
                                          "2^-126, min subnormal 2^-133, Inf, NaN");
  return f.finalize();
}());
} // namespace
} // namespace tpe
