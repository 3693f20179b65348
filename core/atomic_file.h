// Output files are written to a temporary file beside the target and renamed
// into place, so a killed run never leaves a half-written report.
#pragma once
#include <string>

namespace tpe {

// Write `contents` to `path` atomically (parent directories are created).
void write_file_atomic(const std::string& path, const std::string& contents);
std::string read_file(const std::string& path); // throws InputError when unreadable

} // namespace tpe
