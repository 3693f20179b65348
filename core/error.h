// Errors for bad user input. Every message names the file, the line and the key
// path ("FILE:LINE: key.path: problem") so a user can fix the input at once; the
// CLI prints the message as one line and exits with status 2.
#pragma once
#include <stdexcept>
#include <string>

namespace tpe {

class InputError : public std::runtime_error {
public:
  explicit InputError(const std::string& msg) : std::runtime_error(msg) {}
  // FILE:LINE: key: problem (line <= 0 omits the line, empty key omits the key).
  InputError(const std::string& file, int line, const std::string& key, const std::string& problem)
      : std::runtime_error(format(file, line, key, problem)) {}

  static std::string format(const std::string& file, int line, const std::string& key,
                            const std::string& problem) {
    std::string s = file;
    if (line > 0) s += ":" + std::to_string(line);
    s += ": ";
    if (!key.empty()) s += key + ": ";
    return s + problem;
  }
};

// A required external tool (verilator, yosys, a C++ compiler) is missing or failed.
class ToolError : public std::runtime_error {
public:
  explicit ToolError(const std::string& msg) : std::runtime_error(msg) {}
};

} // namespace tpe
