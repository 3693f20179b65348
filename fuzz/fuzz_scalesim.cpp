// libFuzzer target: the SCALE-Sim .cfg parser (core/scalesim_config.cpp) through
// parse_scalesim_text; the notes on ignored keys are discarded.
#include "core/scalesim_config.h"
#include "fuzz/fuzz_common.h"
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::ostringstream notes;
  tpe::fuzz::expect_result_or_input_error(
      [&] { (void)tpe::parse_scalesim_text(tpe::fuzz::text_of(data, size), "fuzz.cfg", notes); });
  return 0;
}
