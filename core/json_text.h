// JSON report text that never throws on user text: nlohmann::json::dump throws
// on bytes that are not valid UTF-8 (a file name echoed in a report can hold
// any bytes), so reports are dumped with such bytes replaced by U+FFFD.
// Control characters are escaped by JSON itself (\u001b).
#pragma once
#include "core/count.h"
#include <nlohmann/json.hpp>
#include <string>

namespace tpe {

// Indented by 2, ends with a newline; exact 128-bit counts (count_json) as numbers.
inline std::string json_text(const nlohmann::json& j) {
  return dump_json(j, 2) + "\n";
}

} // namespace tpe
