// Registers MXINT8 (OCP MX v1.0): int8 elements of weight 2^-6 (value = code / 64),
// 32 along K share an E8M0 scale; the quantizer clamps elements to +-127 and never
// writes -128, as microxcaling does (pe_models/block_quant.h). Decode accepts -128.
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("mxint8", [] {
  NumberFormat f = NumberFormat::integer(
      "mxint8", 8, "OCP MXINT8: int8 elements times 2^-6, 32 along K share an E8M0 scale");
  f.int_exp = -6;
  f.int_symmetric = true;
  f.block = {32, "e8m0", false, BlockRule::MX};
  return f.finalize();
}());
} // namespace
} // namespace tpe
