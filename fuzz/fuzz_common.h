// The oracle shared by the fuzz targets: a parser given any bytes either returns
// or throws tpe::InputError (one FILE:LINE: key: problem line). Any other
// exception escapes to libFuzzer (std::terminate, reported as a crash), as do
// sanitizer reports, timeouts (-timeout) and huge allocations (-malloc_limit_mb).
#pragma once
#include "core/error.h"
#include <cstddef>
#include <cstdint>
#include <string>

namespace tpe::fuzz {

inline std::string text_of(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Run `parse`; an InputError must carry a message.
template <typename F> void expect_result_or_input_error(F&& parse) {
  try {
    parse();
  } catch (const InputError& e) {
    const std::string m = e.what();
    if (m.empty()) __builtin_trap();
  }
}

} // namespace tpe::fuzz
