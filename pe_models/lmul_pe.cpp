// PE lmul: the L-Mul approximate product (pe_models/lmul.h, Luo and Sun 2024) in
// place of the exact product, then the accumulate rule of `accumulate` (fp32, fp16
// or bf16, one rounding per add). Operands: one of fp8_e4m3, fp8_e5m2, bf16, fp16
// for both act and weight; the offset is the architecture key lmul_offset.
#include "pe_models/pe.h"

namespace tpe {
namespace {
PeInfo lmul_info() {
  PeInfo p{"lmul",
           "L-Mul: the product as one integer add of the codes (arXiv:2410.00907), then "
           "a float accumulate",
           {"fp8_e4m3", "fp8_e5m2", "bf16", "fp16"},
           {"os", "ws", "is"}};
  p.accumulators = {"fp32", "fp16", "bf16"};
  p.lmul = true;
  return p;
}
Registrar<PeInfo> reg("lmul", lmul_info());
} // namespace
} // namespace tpe
