// Registers the two's-complement integer formats int2 .. int16 (every width): value
// = the code as a signed integer; encode rounds to nearest (ties to even by default)
// and saturates to -2^(n-1) .. 2^(n-1) - 1. int4/int8/int16 are also the engines'
// formats (pe_models/formats.h).
#include "pe_models/number_format.h"

namespace tpe {
namespace {
struct RegisterIntegers {
  RegisterIntegers() {
    for (int n = 2; n <= 16; ++n) {
      const std::string name = "int" + std::to_string(n);
      const int64_t lo = -(int64_t(1) << (n - 1)), hi = (int64_t(1) << (n - 1)) - 1;
      NumberFormatRegistry::instance().add(
          name, NumberFormat::integer(name, n,
                                      std::to_string(n) + "-bit two's complement, " +
                                          std::to_string(lo) + ".." + std::to_string(hi))
                    .finalize());
    }
  }
} reg;
} // namespace
} // namespace tpe
