// SCALE-Sim cfg parser: INI sections, "key: value" or "key = value", '#' and ';'
// comments; a key given twice is an error naming both lines. Array size, SRAM sizes, bandwidth
// (words of one byte per cycle) and dataflow map onto ArchConfig; the result is validated like a
// tpe YAML file.
#include "core/scalesim_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/text.h"
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>

namespace tpe {

ArchConfig parse_scalesim_config(const std::string& path, std::ostream& notes) {
  return parse_scalesim_text(read_file(path, "the SCALE-Sim configuration"), path, notes);
}

ArchConfig parse_scalesim_text(const std::string& text, const std::string& path,
                               std::ostream& notes) {
  ArchConfig a;
  a.engine = "systolic";
  a.source = path;
  a.name = std::filesystem::path(path).stem().string();
  std::map<std::string, int> seen;
  std::istringstream is(text);
  std::string raw, section_name;
  int line = 0;
  auto int_value = [&](const std::string& key, const std::string& v) {
    int64_t x = 0;
    if (!parse_int64(v, x) || x < 1)
      throw InputError(path, line, key, "expected a positive integer, got '" + v + "'");
    return x;
  };
  // SRAM sizes and bandwidth within the architecture file's ranges (memory.*)
  auto bounded = [&](const std::string& key, const std::string& v, int64_t hi) {
    const int64_t x = int_value(key, v);
    if (x > hi)
      throw InputError(path, line, key, "value " + v + " out of range 1.." + std::to_string(hi));
    return x;
  };
  while (std::getline(is, raw)) {
    ++line;
    std::string t = trim(raw);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[') {
      if (t.back() != ']') throw InputError(path, line, "", "malformed section header '" + t + "'");
      section_name = trim(t.substr(1, t.size() - 2));
      continue;
    }
    const size_t p = t.find_first_of(":=");
    if (p == std::string::npos)
      throw InputError(path, line, "", "expected 'key: value', got '" + t + "'");
    const std::string key = trim(t.substr(0, p)), val = trim(t.substr(p + 1));
    const std::string k = lower(key);
    // keys are case-insensitive (as in SCALE-Sim's configparser) and tpe reads
    // them whatever their section, so a second one anywhere is ambiguous
    if (auto it = seen.find(k); it != seen.end())
      throw InputError(path, line, (section_name.empty() ? "" : section_name + ".") + key,
                       "duplicate key (first at line " + std::to_string(it->second) + ")");
    seen[k] = line;
    a.memory.scalesim_keys.insert(k);
    if (k == "run_name") {
      std::string n;
      for (char c : val)
        n += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')
                 ? c
                 : '_';
      if (!n.empty()) a.name = n;
    } else if (k == "arrayheight") {
      a.rows = static_cast<int>(std::min<int64_t>(int_value(key, val), 1 << 20));
    } else if (k == "arraywidth") {
      a.cols = static_cast<int>(std::min<int64_t>(int_value(key, val), 1 << 20));
    } else if (k == "ifmapsramszkb") {
      a.memory.ifmap_sram_kb = bounded(key, val, 1 << 20);
    } else if (k == "filtersramszkb") {
      a.memory.filter_sram_kb = bounded(key, val, 1 << 20);
    } else if (k == "ofmapsramszkb") {
      a.memory.ofmap_sram_kb = bounded(key, val, 1 << 20);
    } else if (k == "bandwidth") {
      // SCALE-Sim takes a comma-separated list and uses its first value
      int64_t first = 0;
      std::istringstream list(val);
      for (std::string v; std::getline(list, v, ',');) {
        const int64_t x = bounded(key, trim(v), 1000000);
        if (first == 0) first = x;
      }
      a.memory.dram_bytes_per_cycle = static_cast<double>(first);
    } else if (k == "interfacebandwidth") {
      const std::string m = lower(val);
      if (m != "user" && m != "calc")
        throw InputError(path, line, key, "expected USER or CALC, got '" + val + "'");
      a.memory.scalesim_interface_bandwidth = m == "user" ? "USER" : "CALC";
    } else if (k == "dataflow") {
      a.dataflow = lower(val);
    } else {
      // the operand address offsets separate SCALE-Sim's three SRAMs' address spaces:
      // no count depends on them (docs/scalesim-compat.md)
      const bool offset = k == "ifmapoffset" || k == "filteroffset" || k == "ofmapoffset";
      notes << path << ":" << line << ": " << key
            << (offset ? ": ignored (an address offset changes no cycle count, in tpe or in "
                         "SCALE-Sim)\n"
                       : ": ignored (not a key tpe reads)\n");
    }
  }
  const std::pair<const char*, const char*> required[] = {
      {"arrayheight", "ArrayHeight"}, {"arraywidth", "ArrayWidth"}, {"dataflow", "Dataflow"}};
  for (const auto& [k, name] : required)
    if (!seen.count(k)) throw InputError(path, 0, name, "required key is missing");
  if (a.rows > 256) throw InputError(path, seen["arrayheight"], "ArrayHeight", "must be 1..256");
  if (a.cols > 256) throw InputError(path, seen["arraywidth"], "ArrayWidth", "must be 1..256");
  if (a.dataflow != "os" && a.dataflow != "ws" && a.dataflow != "is")
    throw InputError(path, seen["dataflow"], "Dataflow",
                     "expected os, ws or is, got '" + a.dataflow + "'");
  validate_arch(a);
  return a;
}

} // namespace tpe
