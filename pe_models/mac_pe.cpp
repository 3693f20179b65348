// The baseline PE: an exact product followed by the accumulate rule of the
// architecture's `accumulate` key. Integer formats into `int`: a behavioural signed
// multiply and a carry-propagate accumulate that wraps modulo 2^acc_bits
// (pe_models/int_arith.h mac_wrap); any element format into fp32/fp16/bf16/fixed:
// exact_product, then one rounding per add (pe_models/pe_arith.h).
#include "pe_models/pe.h"

namespace tpe {

// Every element format of the engines (pe_models/formats.cpp).
const std::vector<std::string>& element_formats() {
  static const std::vector<std::string> f = [] {
    std::vector<std::string> v;
    for (int b = 2; b <= 16; ++b)
      v.push_back("int" + std::to_string(b));
    for (const char* n :
         {"fp16", "bf16", "fp8_e4m3", "fp8_e5m2", "hif8", "fp6_e3m2", "fp6_e2m3", "fp4_e2m1"})
      v.push_back(n);
    return v;
  }();
  return f;
}

namespace {
// element formats and the block-scaled formats (the parser says where these run)
std::vector<std::string> mac_formats() {
  std::vector<std::string> v = element_formats();
  for (const char* n :
       {"mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e3m2", "mxfp6_e2m3", "mxfp4", "mxint8", "nvfp4", "nf4"})
    v.push_back(n);
  return v;
}

PeInfo mac_info() {
  PeInfo p{"mac",
           "behavioural multiply + carry-propagate accumulate (baseline)",
           mac_formats(),
           {"os", "ws", "is"}};
  p.accumulators = {"int", "fp32", "fp16", "bf16", "fixed"};
  p.mixed_formats = true;
  return p;
}
Registrar<PeInfo> reg("mac", mac_info());
} // namespace
} // namespace tpe
