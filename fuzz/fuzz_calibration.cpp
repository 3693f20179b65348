// libFuzzer target: the energy-calibration reader (reports/energy_model.cpp,
// parse_calibration_text: JSON text to EnergyCalibration), as `tpe sim --energy`
// reads it.
#include "fuzz/fuzz_common.h"
#include "reports/energy_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tpe::fuzz::expect_result_or_input_error(
      [&] { (void)tpe::parse_calibration_text(tpe::fuzz::text_of(data, size), "fuzz.json"); });
  return 0;
}
