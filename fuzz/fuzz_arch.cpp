// libFuzzer target: the architecture-file parser (core/arch_config.cpp) on
// arbitrary bytes, through parse_arch_text (the same code as parse_arch_file).
#include "core/arch_config.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tpe::fuzz::expect_result_or_input_error(
      [&] { (void)tpe::parse_arch_text(tpe::fuzz::text_of(data, size), "fuzz.yaml"); });
  return 0;
}
