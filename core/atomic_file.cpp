// Atomic write: <path>.tmp.<pid> is written, flushed and renamed over <path>.
#include "core/atomic_file.h"
#include "core/error.h"
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace tpe {

void write_file_atomic(const std::string& path, const std::string& contents) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path, 0, "", "cannot write the output file");
    out << contents;
    out.flush();
    if (!out) throw InputError(path, 0, "", "error while writing the output file");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw InputError(path, 0, "", "cannot rename the temporary output into place");
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "", "cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace tpe
