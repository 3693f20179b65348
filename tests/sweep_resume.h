// Resuming the L1 formats sweep (tests/full_formats_sweep.cpp): a configuration
// that passed or was refused is kept as DIR/done/<id>.json with a key, the FNV-1a
// hash (tpe::fnv1a, core/text.h) of the test executable's bytes, the base seed and
// the configuration's architecture text. A later run takes a kept result only under the same key
// (the same build, seed and configuration); a failure is never kept.
#pragma once
#include "core/atomic_file.h"
#include "core/text.h"
#include "formats_sweep.h"
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tpe::sweep {

// FNV-1a of this executable's bytes: a rebuilt test (other code) never takes
// results kept by another build.
inline uint64_t executable_hash() {
  static const uint64_t h = [] {
    std::ifstream in("/proc/self/exe", std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    if (!in && !in.eof()) throw std::runtime_error("cannot read /proc/self/exe");
    return fnv1a(all.str());
  }();
  return h;
}

// The key of `c`'s result under base seed `base` and build hash `build`
// (16 hex digits).
inline std::string result_key(const Config& c, uint64_t base, uint64_t build) {
  const uint64_t h = fnv1a(c.yaml, fnv1a(std::to_string(base), build));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// Reads the result kept in `file` under `key` into `r`; false when there is none
// (a missing or unreadable file, another key, or a result that did not pass).
inline bool load_kept(const std::string& file, const std::string& key, ConfigResult& r) {
  std::ifstream in(file);
  if (!in) return false;
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("key", "") != key) return false;
  ConfigResult k;
  k.refused = j.value("refused", false);
  k.refusal = j.value("refusal", "");
  k.runs = j.value("runs", 0);
  k.passed = j.value("passed", 0);
  if (!k.refused && (k.runs <= 0 || k.passed != k.runs)) return false;
  r = k;
  return true;
}

// Keeps `r` in `file` under `key` (atomically); a failed result is not kept.
inline void keep(const std::string& file, const std::string& key, const ConfigResult& r) {
  if (!r.failure.empty()) return;
  const nlohmann::json j = {{"key", key},
                            {"refused", r.refused},
                            {"refusal", r.refusal},
                            {"runs", r.runs},
                            {"passed", r.passed}};
  write_file_atomic(file, j.dump() + "\n");
}

} // namespace tpe::sweep
