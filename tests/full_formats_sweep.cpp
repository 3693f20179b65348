// Long suite (make test-full, label "full"; also `make formats-sweep`): the L1
// formats sweep of tests/formats_sweep.h, every configuration through `tpe verify`'s
// code path, one test case per engine column (each well under ctest's 3000 s
// timeout). Environment: TPE_SEED (base seed, default kSweepSeed; printed),
// TPE_SWEEP_ONLY (run only the configurations whose id contains it), TPE_SWEEP_DIR
// (where the architecture files of the replay lines and the coverage tables go;
// default formats-sweep in the working directory): coverage-<column>.md per test
// case, coverage.md over every case this process ran. Every run prints its seed and
// a `tpe verify` line that replays it.
//
// Resuming: each configuration that passed or was refused leaves DIR/done/<id>.json
// with a key (FNV-1a of this test executable's bytes, the base seed and the
// configuration's architecture text); a rerun of the same executable with the same
// seed takes those results instead of running them again, so an interrupted sweep
// (a killed run, a session that ends) goes on where it stopped. A rebuilt
// executable, another seed or an edited configuration runs afresh; a failure is
// never kept (its rerun shows the difference again). TPE_SWEEP_FRESH=1 ignores
// every kept result.
#include "core/atomic_file.h"
#include "formats_sweep.h"
#include "sweep_resume.h"
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>

using namespace tpe;
using namespace tpe::sweep;

namespace {

std::vector<Config> g_cfgs; // every configuration this process ran, with its result
std::vector<ConfigResult> g_res;
double g_secs = 0;
int g_kept = 0;

std::string report(const std::vector<Config>& cfgs, const std::vector<ConfigResult>& res,
                   uint64_t base, double secs, int kept) {
  int failed = 0, refused = 0, runs = 0;
  for (const ConfigResult& r : res) {
    refused += r.refused;
    failed += !r.failure.empty();
    runs += r.runs;
  }
  std::ostringstream md;
  md << "Formats sweep, base seed " << base << ": " << cfgs.size() << " configurations, " << refused
     << " refused by the parser, " << failed << " failing, " << runs << " verify runs, "
     << int(secs) << " s"
     << (kept ? " (" + std::to_string(kept) + " results kept from an earlier run of this build)"
              : "")
     << "\n\n";
  for (const char* k : {"grid", "acc", "lmul", "mixed", "mixed_width"}) {
    const std::string t = coverage_table(cfgs, res, k);
    if (t.find("\n|", t.find("|---")) != std::string::npos) md << t << "\n";
  }
  md << "Refusals (the parser's messages):\n\n" << refusal_summary(res);
  for (size_t i = 0; i < res.size(); ++i)
    if (!res[i].failure.empty()) md << "\nFAIL " << cfgs[i].id << ": " << res[i].failure << "\n";
  return md.str();
}

void sweep_column(const std::string& column) {
  const char* env_seed = std::getenv("TPE_SEED");
  const uint64_t base = env_seed ? std::strtoull(env_seed, nullptr, 10) : kSweepSeed;
  const char* env_only = std::getenv("TPE_SWEEP_ONLY");
  const std::string only = env_only ? env_only : "";
  const char* env_dir = std::getenv("TPE_SWEEP_DIR");
  const std::string dir = std::filesystem::absolute(env_dir ? env_dir : "formats-sweep").string();
  const char* env_fresh = std::getenv("TPE_SWEEP_FRESH");
  const bool fresh = env_fresh && std::string(env_fresh) == "1";
  std::cerr << "formats sweep (" << column << "): base seed " << base << " (set TPE_SEED to replay)"
            << (only.empty() ? "" : ", only ids containing '" + only + "'")
            << (fresh ? "" : ", results kept in " + dir + "/done (TPE_SWEEP_FRESH=1 ignores them)")
            << "\n";
  std::filesystem::create_directories(dir + "/done");
  std::vector<Config> cfgs;
  for (const Config& c : sweep_configs())
    if (c.column == column && (only.empty() || c.id.find(only) != std::string::npos))
      cfgs.push_back(c);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<ConfigResult> res;
  int kept_here = 0;
  for (size_t i = 0; i < cfgs.size(); ++i) {
    std::cerr << "[" << column << " " << i + 1 << "/" << cfgs.size() << "] ";
    const std::string file = dir + "/done/" + cfgs[i].id + ".json";
    const std::string key = result_key(cfgs[i], base, executable_hash());
    ConfigResult kept;
    if (!fresh && load_kept(file, key, kept)) {
      std::cerr << "sweep: " << cfgs[i].id << ": kept result of this build (" << key << "): "
                << (kept.refused ? "refused" : std::to_string(kept.passed) + " runs passed")
                << "\n";
      res.push_back(kept);
      ++kept_here;
      continue;
    }
    res.push_back(run_config(cfgs[i], base, dir + "/arch", std::cerr));
    CHECK(res.back().failure == "");
    keep(file, key, res.back());
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  g_cfgs.insert(g_cfgs.end(), cfgs.begin(), cfgs.end());
  g_res.insert(g_res.end(), res.begin(), res.end());
  g_secs += secs;
  g_kept += kept_here;
  std::filesystem::create_directories(dir);
  const std::string mine = report(cfgs, res, base, secs, kept_here);
  write_file_atomic(dir + "/coverage-" + column + ".md", mine);
  write_file_atomic(dir + "/coverage.md", report(g_cfgs, g_res, base, g_secs, g_kept));
  std::cerr << mine << "coverage tables: " << dir << "/coverage-" << column << ".md, " << dir
            << "/coverage.md\n";
}

} // namespace

TEST_CASE("formats sweep: systolic os") {
  sweep_column("os");
}
TEST_CASE("formats sweep: systolic ws") {
  sweep_column("ws");
}
TEST_CASE("formats sweep: systolic is") {
  sweep_column("is");
}
TEST_CASE("formats sweep: cube") {
  sweep_column("cube");
}
TEST_CASE("formats sweep: adder_tree") {
  sweep_column("adder_tree");
}
TEST_CASE("formats sweep: matrix2d") {
  sweep_column("matrix2d");
}
