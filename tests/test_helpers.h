// Shared helpers for the Catch2 tests: building configs in code and running the
// tpe binary as a user would.
#pragma once
#include "core/arch_config.h"
#include "core/error.h"
#include "core/process.h"
#include "core/workload.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/verify.h"
#include <array>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace tpe::test {

inline ArchConfig make_arch(int r, int c, const std::string& df, const std::string& fmt = "int8",
                            int acc = 32, const std::string& pe = "mac") {
  ArchConfig a;
  a.name = "t" + std::to_string(r) + "x" + std::to_string(c) + "_" + df + "_" + fmt + "_a" +
           std::to_string(acc) + (pe == "mac" ? "" : "_" + pe);
  a.pe = pe;
  a.engine = "systolic";
  a.rows = r;
  a.cols = c;
  a.dataflow = df;
  a.format = fmt;
  a.acc_bits = acc;
  validate_arch(a);
  return a;
}

// The seed of a random test: TPE_SEED from the environment (to replay a run), else
// `fallback`; printed with `name` so that a failure can be replayed. A TPE_SEED
// that is not a decimal unsigned 64-bit number throws std::invalid_argument (the
// test fails naming it) instead of running some other seed.
inline uint64_t test_seed(const char* name, uint64_t fallback) {
  const char* env = std::getenv("TPE_SEED");
  uint64_t seed = fallback;
  if (env) {
    const std::string text = env;
    errno = 0;
    char* end = nullptr;
    seed = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
        errno == ERANGE || *end != '\0')
      throw std::invalid_argument("TPE_SEED='" + text + "': not a decimal unsigned 64-bit number");
  }
  std::cerr << name << ": seed " << seed << " (set TPE_SEED to replay another)\n";
  return seed;
}

// The one-line InputError of parsing architecture text `text` as file `file`
// ("" when it parses).
inline std::string arch_error_of(const std::string& text, const std::string& file = "a.yaml") {
  try {
    parse_arch_text(text, file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

struct CmdResult {
  int status = -1;
  std::string out; // stdout and stderr interleaved
};

// Run a shell command line (stdout and stderr together).
inline CmdResult run_shell(const std::string& cmd) {
  CmdResult r;
  FILE* p = popen(("(" + cmd + ") 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
    r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// Run `tpe <args>` (args pass through the shell as written).
inline CmdResult run_tpe(const std::string& args) {
  return run_shell(std::string(TPE_TPE_BIN) + " " + args);
}

// The Liberty library of the area/timing/energy tests: $TPE_LIBERTY, else the
// vendored library the build unpacked (TPE_TEST_LIBERTY, set in tests/CMakeLists.txt).
inline std::string test_liberty() {
  const char* e = std::getenv("TPE_LIBERTY");
  return e && *e ? e : TPE_TEST_LIBERTY;
}

// A fresh, empty scratch directory /tmp/tpe_PREFIX_TAG_PID.
inline std::string scratch_dir(const std::string& prefix, const std::string& tag) {
  const std::string d = std::filesystem::temp_directory_path().string() + "/tpe_" + prefix + "_" +
                        tag + "_" + std::to_string(getpid());
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}
inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}
inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
// The lines of a command's output that do not start with `skip` (its summary and
// progress lines, for example "gemm:").
inline std::vector<std::string> lines_without(const std::string& out, const std::string& skip) {
  std::vector<std::string> v;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);)
    if (l.rfind(skip, 0) != 0) v.push_back(l);
  return v;
}

inline std::string last_line(const std::string& s) {
  std::string t = s;
  while (!t.empty() && t.back() == '\n')
    t.pop_back();
  const size_t p = t.rfind('\n');
  return p == std::string::npos ? t : t.substr(p + 1);
}

// Fault injection: replace the first `needle` in every generated file that has
// it by `with` (the needle must occur somewhere).
inline RtlMutation replace_in_rtl(const std::string& needle, const std::string& with) {
  return [needle, with](GeneratedRtl& g) {
    bool hit = false;
    for (auto& [name, text] : g.files) {
      const size_t p = text.find(needle);
      if (p != std::string::npos) {
        text.replace(p, needle.size(), with);
        hit = true;
      }
    }
    REQUIRE(hit);
  };
}

// `tpe verify` on GEMM shapes ("MxKxN"), progress discarded.
inline VerifyOutcome verify_gemms(const ArchConfig& a, const std::vector<std::string>& shapes,
                                  const OperandDist& dist, uint64_t seed,
                                  const RtlMutation& mutate = nullptr, int trials = 1) {
  std::vector<Layer> g;
  for (auto& s : shapes)
    g.push_back(parse_gemm_spec(s));
  VerifyOptions o;
  o.seed = seed;
  o.dist = dist;
  o.mutate = mutate;
  o.trials = trials;
  std::ostringstream progress;
  return verify_systolic(a, g, o, progress);
}

// A GEMM layer MxKxN named "gMxKxN".
inline Layer gemm_layer(int64_t M, int64_t K, int64_t N) {
  Layer l;
  l.name = "g" + std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N);
  l.M = M;
  l.K = K;
  l.N = N;
  return l;
}

// The block-scaled designs of the block RTL tests (format line, accumulator): every
// block format, and mixed block x element operands.
inline const std::vector<std::pair<std::string, std::string>>& block_designs() {
  static const std::vector<std::pair<std::string, std::string>> d = {
      {"format: mxfp8_e4m3", "fp32"},
      {"format: mxfp8_e5m2", "fp32"},
      {"format: mxfp6_e3m2", "bf16"},
      {"format: mxfp6_e2m3", "fp32"},
      {"format: mxfp4", "fp32"},
      {"format: mxint8", "fp16"},
      {"format: nvfp4", "fp32"},
      {"format: {act: fp8_e4m3, weight: mxfp8_e4m3}", "fp32"},
      {"format: {act: mxint8, weight: int8}", "bf16"},
  };
  return d;
}

// One design of a verify sweep: the engine's YAML lines ("engine: ...\n" and its
// shape, each ending in a newline), the format line ("format: ...") and the
// accumulator ("fp32").
struct DesignSpec {
  std::string engine, format, accumulate;
};
// Every engine with every (format line, accumulator) design, engines outermost.
inline std::vector<DesignSpec>
cross_designs(const std::vector<std::string>& engines,
              const std::vector<std::pair<std::string, std::string>>& designs) {
  std::vector<DesignSpec> out;
  for (const auto& e : engines)
    for (const auto& [fmt, acc] : designs)
      out.push_back({e, fmt, acc});
  return out;
}

// `tpe verify`'s checker (Verilated RTL = model = golden GEMM, cycle-exact) on every
// shape of `shapes` for each design i of `designs`, named `prefix` + i, with seed
// `seed` + i * `seed_step`; `before(a)` (if set) runs first on each design (a lint,
// say). Each design is a Catch2 section named after it (`-c fb3` replays one).
// CHECKs that each run passes with one run per shape; returns the number of designs.
inline int verify_designs(const std::vector<DesignSpec>& designs, const std::vector<Layer>& shapes,
                          const std::string& prefix, uint64_t seed, uint64_t seed_step,
                          const std::function<void(const ArchConfig&)>& before = nullptr) {
  for (size_t i = 0; i < designs.size(); ++i) {
    const DesignSpec& d = designs[i];
    const std::string name = prefix + std::to_string(i);
    DYNAMIC_SECTION(name) {
      const ArchConfig a = parse_arch_text("name: " + name + "\n" + d.engine + d.format +
                                               "\naccumulate: " + d.accumulate + "\n",
                                           name + ".yaml");
      INFO(d.engine << d.format << " " << d.accumulate);
      if (before) before(a);
      VerifyOptions o;
      o.seed = seed + i * seed_step;
      std::ostringstream progress;
      const VerifyOutcome r = verify_systolic(a, shapes, o, progress);
      CHECK(r.failure == "");
      CHECK(r.pass);
      CHECK(r.runs == int(shapes.size()));
    }
  }
  return int(designs.size());
}

// verilator --lint-only -Wall on the generated Verilog written to `dir` (its
// filelist.f), top module `top`: no error and no warning (CHECKed, the log's tail
// shown on failure).
inline void check_verilator_lint(const std::string& dir, const std::string& top) {
  const std::string log = dir + "/lint.log";
  const int rc = run_process(
      {"verilator", "--lint-only", "-Wall", "--top-module", top, "-f", "filelist.f"}, dir, log);
  INFO(tail_file(log, 20));
  CHECK(rc == 0);
  CHECK(tail_file(log, 5).empty());
}

} // namespace tpe::test
