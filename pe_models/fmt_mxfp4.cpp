// Registers the number format mxfp4: OCP MX v1.0 MXFP4 with E2M1 elements (block quantizer:
// pe_models/block_quant.h).
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("mxfp4", [] {
  NumberFormat f = NumberFormat::floating(
      "mxfp4", {2, 1, 1, true, true, FloatSpecials::None}, Overflow::Saturate,
      "OCP MXFP4: E2M1 elements, 32 along K share an E8M0 scale");
  f.block = {32, "e8m0", false, BlockRule::MX};
  return f.finalize();
}());
} // namespace
} // namespace tpe
