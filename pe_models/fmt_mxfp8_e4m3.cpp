// Registers the number format mxfp8_e4m3: OCP MX v1.0 MXFP8 with E4M3 elements (block quantizer:
// pe_models/block_quant.h).
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("mxfp8_e4m3", [] {
  NumberFormat f = NumberFormat::floating(
      "mxfp8_e4m3", {4, 3, 7, true, true, FloatSpecials::NaNOnly}, Overflow::Saturate,
      "OCP MXFP8 E4M3: E4M3 elements, 32 along K share an E8M0 scale");
  f.block = {32, "e8m0", false, BlockRule::MX};
  return f.finalize();
}());
} // namespace
} // namespace tpe
