// libFuzzer target: the CSV matrix parser of `tpe quantize` (core/matrix_csv.cpp)
// through parse_real_matrix_text.
#include "core/matrix_csv.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tpe::fuzz::expect_result_or_input_error(
      [&] { (void)tpe::parse_real_matrix_text(tpe::fuzz::text_of(data, size), "fuzz.csv"); });
  return 0;
}
