// Small integer helpers shared by the arithmetic models and the Verilog emitters.
#pragma once
#include <cstdint>

namespace tpe {

// ceil(log2(n)): the bits that index n items (0 for n <= 1); n <= 2^62.
inline int ceil_log2(int64_t n) {
  int b = 0;
  while ((int64_t(1) << b) < n)
    ++b;
  return b;
}

} // namespace tpe
