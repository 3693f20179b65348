// Registers the number format mxfp6_e2m3: OCP MX v1.0 MXFP6 with E2M3 elements (block quantizer:
// pe_models/block_quant.h).
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("mxfp6_e2m3", [] {
  NumberFormat f = NumberFormat::floating(
      "mxfp6_e2m3", {2, 3, 1, true, true, FloatSpecials::None}, Overflow::Saturate,
      "OCP MXFP6 E2M3: E2M3 elements, 32 along K share an E8M0 scale");
  f.block = {32, "e8m0", false, BlockRule::MX};
  return f.finalize();
}());
} // namespace
} // namespace tpe
