// Registers the number format nvfp4: NVIDIA NVFP4 as TransformerEngine quantizes it
// (pe_models/block_quant.h).
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("nvfp4", [] {
  NumberFormat f = NumberFormat::floating(
      "nvfp4", {2, 1, 1, true, true, FloatSpecials::None}, Overflow::Saturate,
      "NVIDIA NVFP4: E2M1 elements, 16 along K share an E4M3 scale, plus an FP32 tensor scale");
  f.block = {16, "fp8_e4m3", true, BlockRule::NVFP4};
  return f.finalize();
}());
} // namespace
} // namespace tpe
