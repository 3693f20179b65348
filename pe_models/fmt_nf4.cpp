// Registers NF4 (bitsandbytes NormalFloat4): the code indexes a fixed 16-entry table
// of binary32 values (code 0 = -1, code 7 = 0, code 15 = 1, bitsandbytes' order);
// blocks of 64 along K share an FP32 absmax scale. Element encode is bitsandbytes'
// dQuantizeNF4: the nearest entry, a tie (x equal to a binary32 midpoint) takes the
// lower code, NaN takes code 0 (pe_models/number_format.cpp, block_quant.h).
#include "pe_models/number_format.h"

namespace tpe {
namespace {
Registrar<NumberFormat> reg("nf4", [] {
  NumberFormat f;
  f.name = "nf4";
  f.description = "bitsandbytes NF4: 16-entry table in [-1, 1], 64 along K share an FP32 absmax "
                  "scale; ties take the lower code";
  f.kind = FormatKind::Lookup;
  f.bits = 4;
  f.table = {-1.0f,
             -0.6961928009986877f,
             -0.5250730514526367f,
             -0.39491748809814453f,
             -0.28444138169288635f,
             -0.18477343022823334f,
             -0.09105003625154495f,
             0.0f,
             0.07958029955625534f,
             0.16093020141124725f,
             0.24611230194568634f,
             0.33791524171829224f,
             0.44070982933044434f,
             0.5626170039176941f,
             0.7229568362236023f,
             1.0f};
  f.block = {64, "fp32", false, BlockRule::NF4};
  return f.finalize();
}());
} // namespace
} // namespace tpe
