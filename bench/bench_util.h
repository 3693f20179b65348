// Shared by the benchmarks: a monotonic wall clock in seconds.
#pragma once
#include <chrono>

namespace tpe::bench {

inline double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace tpe::bench
