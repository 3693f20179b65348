// Dispatch to the engine's registered Verilog generator (rtl_gen/rtl_generator.h).
#include "rtl_gen/rtl_generator.h"

namespace tpe {

GeneratedRtl generate_verilog(const ArchConfig& arch, const std::string& regenerate_cmd) {
  const RtlGenerator* g = RtlGeneratorRegistry::instance().find(arch.engine);
  return g ? g->generate(arch, regenerate_cmd) : generate_systolic_verilog(arch, regenerate_cmd);
}

} // namespace tpe
