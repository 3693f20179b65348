// Registration of the engines' element formats: the integers int1..int16 (two's
// complement; int4, int8 and int16 as before) and the element floats of issue 13
// (fp16, bf16, fp8_e4m3, fp8_e5m2, hif8, fp6_e3m2, fp6_e2m3, fp4_e2m1), whose codes
// the engines carry as unsigned W-bit values (docs/formats-engines.md), and the
// block-scaled formats (element codes as unsigned W-bit values; their scales travel
// in scale SRAMs, docs/formats-engines.md "Block-scaled operands"; the architecture
// parser says which engines take them and refuses nf4).
#include "pe_models/formats.h"
#include <stdexcept>

namespace tpe {

namespace {
Registrar<FormatInfo> r4("int4", {"int4", 4, true, "4-bit two's complement, -8..7"});
Registrar<FormatInfo> r8("int8", {"int8", 8, true, "8-bit two's complement, -128..127"});
Registrar<FormatInfo> r16("int16", {"int16", 16, true, "16-bit two's complement, -32768..32767"});

// int1, int2, int3, int5..int7, int9..int15. int1 is two's complement {-1, 0}: only
// engines without PEs take it (lut_gemv weights and activations); the PEs' format
// lists and the number-format library stop at int2.
const bool other_ints = [] {
  for (int b = 1; b <= 15; ++b) {
    if (b == 4 || b == 8) continue;
    const std::string n = "int" + std::to_string(b);
    FormatRegistry::instance().add(n, {n, b, true,
                                       std::to_string(b) + "-bit two's complement, " +
                                           std::to_string(-(1 << (b - 1))) + ".." +
                                           std::to_string((1 << (b - 1)) - 1)});
  }
  return true;
}();

Registrar<FormatInfo> rf16("fp16", {"fp16", 16, false, "IEEE binary16 (E5M10)"});
Registrar<FormatInfo> rbf16("bf16", {"bf16", 16, false, "bfloat16 (E8M7)"});
Registrar<FormatInfo> re4m3("fp8_e4m3", {"fp8_e4m3", 8, false, "OCP FP8 E4M3"});
Registrar<FormatInfo> re5m2("fp8_e5m2", {"fp8_e5m2", 8, false, "OCP FP8 E5M2"});
Registrar<FormatInfo> rhif8("hif8", {"hif8", 8, false, "HiFloat8 (tapered)"});
Registrar<FormatInfo> re3m2("fp6_e3m2", {"fp6_e3m2", 6, false, "OCP MX FP6 E3M2"});
Registrar<FormatInfo> re2m3("fp6_e2m3", {"fp6_e2m3", 6, false, "OCP MX FP6 E2M3"});
Registrar<FormatInfo> re2m1("fp4_e2m1", {"fp4_e2m1", 4, false, "OCP MX FP4 E2M1"});
Registrar<FormatInfo> rmx8a("mxfp8_e4m3", {"mxfp8_e4m3", 8, false, "OCP MXFP8 E4M3 (E8M0 per 32)"});
Registrar<FormatInfo> rmx8b("mxfp8_e5m2", {"mxfp8_e5m2", 8, false, "OCP MXFP8 E5M2 (E8M0 per 32)"});
Registrar<FormatInfo> rmx6a("mxfp6_e3m2", {"mxfp6_e3m2", 6, false, "OCP MXFP6 E3M2 (E8M0 per 32)"});
Registrar<FormatInfo> rmx6b("mxfp6_e2m3", {"mxfp6_e2m3", 6, false, "OCP MXFP6 E2M3 (E8M0 per 32)"});
Registrar<FormatInfo> rmx4("mxfp4", {"mxfp4", 4, false, "OCP MXFP4 E2M1 (E8M0 per 32)"});
Registrar<FormatInfo> rmxi8("mxint8", {"mxint8", 8, false, "OCP MXINT8 (E8M0 per 32)"});
Registrar<FormatInfo> rnv4("nvfp4", {"nvfp4", 4, false, "NVIDIA NVFP4 (E4M3 per 16, FP32 tensor)"});
Registrar<FormatInfo> rnf4("nf4", {"nf4", 4, false, "bitsandbytes NF4 (absmax per 64)"});
} // namespace

const FormatInfo& lookup_format(const std::string& name) {
  const FormatInfo* f = FormatRegistry::instance().find(name);
  if (!f) throw std::logic_error("format '" + name + "' is not registered");
  return *f;
}

const NumberFormat& FormatInfo::number_format() const {
  return lookup_number_format(name);
}
int FormatInfo::unpacked_sig_bits() const {
  return number_format().unpacked_sig_bits();
}
int FormatInfo::unpacked_exp_bits() const {
  return number_format().unpacked_exp_bits();
}

} // namespace tpe
