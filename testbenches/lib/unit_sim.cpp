// Unit simulation: build (cached) and run a wrapper with the unit harness; the
// vectors and results go through files in a private temporary directory.
#include "testbenches/lib/unit_sim.h"
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/process.h"
#include "testbenches/lib/rtl_build.h"
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace tpe {

extern const char* const kUnitHarnessSource;

std::vector<UnitVector> run_unit(const std::map<std::string, std::string>& modules,
                                 const std::string& wrapper, const std::vector<UnitVector>& vectors,
                                 const std::string& what) {
  namespace fs = std::filesystem;
  GeneratedRtl g;
  g.top = "unit_top";
  std::string filelist;
  for (const auto& [name, text] : modules) {
    g.files[name] = text;
    g.sources.push_back(name);
    filelist += name + "\n";
  }
  g.files["unit_top.v"] = wrapper;
  g.sources.push_back("unit_top.v");
  g.files["filelist.f"] = filelist + "unit_top.v\n";
  const RtlBinary bin = build_verilated(g, kUnitHarnessSource, "", what);
  const TempPath dir_guard = make_temp_dir("tpe_unit");
  const fs::path dir = dir_guard.path();
  {
    std::ofstream v(dir / "vectors.txt");
    char line[64];
    for (const auto& [a, b] : vectors) {
      std::snprintf(line, sizeof line, "%llx %llx\n", static_cast<unsigned long long>(a),
                    static_cast<unsigned long long>(b));
      v << line;
    }
  }
  const std::string log = (dir / "run.log").string();
  if (run_process({bin.path, (dir / "vectors.txt").string(), (dir / "out.txt").string()},
                  dir.string(), log) != 0)
    throw ToolError("unit simulation of " + what + " failed:\n" + tail_file(log, 10));
  std::vector<UnitVector> out;
  out.reserve(vectors.size());
  std::FILE* f = std::fopen((dir / "out.txt").string().c_str(), "r");
  unsigned long long a = 0, b = 0;
  while (f && std::fscanf(f, "%llx %llx", &a, &b) == 2)
    out.emplace_back(a, b);
  if (f) std::fclose(f);
  if (out.size() != vectors.size())
    throw ToolError("unit simulation of " + what + " returned " + std::to_string(out.size()) +
                    " results for " + std::to_string(vectors.size()) + " vectors");
  return out;
}

} // namespace tpe
