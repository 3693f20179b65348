// Seeds: std::random_device mixed with the clock, so two runs started in the same
// second still differ.
#include "core/tensor.h"
#include <chrono>

namespace tpe {

uint64_t fresh_seed() {
  std::random_device rd;
  uint64_t s = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  s ^= static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  return s & 0xffffffffffffull; // 48 bits: short enough to type back
}

} // namespace tpe
