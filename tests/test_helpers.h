// Shared helpers for the Catch2 tests: building configs in code and running the
// tpe binary as a user would.
#pragma once
#include "core/arch_config.h"
#include "core/process.h"
#include "core/workload.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/verify.h"
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
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

struct CmdResult {
  int status = -1;
  std::string out; // stdout and stderr interleaved
};

// Run `tpe <args>` (args are passed through the shell as written).
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
