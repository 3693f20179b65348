// Registers the number format mxfp8_e5m2: OCP MX v1.0 MXFP8 with E5M2 elements (block quantizer:
// pe_models/block_quant.h).
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("mxfp8_e5m2", [] {
  NumberFormat f = NumberFormat::floating(
      "mxfp8_e5m2", {5, 2, 15, true, true, FloatSpecials::IEEE}, Overflow::Saturate,
      "OCP MXFP8 E5M2: E5M2 elements, 32 along K share an E8M0 scale");
  f.block = {32, "e8m0", false, BlockRule::MX};
  return f.finalize();
}());
} // namespace
} // namespace tpe
