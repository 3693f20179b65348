// libFuzzer target: the workload CSV parser (core/workload.cpp), both the GEMM and
// the SCALE-Sim convolution forms, through parse_workload_text.
#include "core/workload.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tpe::fuzz::expect_result_or_input_error(
      [&] { (void)tpe::parse_workload_text(tpe::fuzz::text_of(data, size), "fuzz.csv"); });
  return 0;
}
