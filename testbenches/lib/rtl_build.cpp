// Verilator build with a content-addressed cache. Algorithm: generate the RTL and
// the harness config header, hash them with the harness source, the Verilator
// version and the flags (FNV-1a 64), and reuse <cache>/verilator/<hash> when it
// holds a simulator; otherwise build in <hash>.tmp.<pid> and rename it into place,
// so concurrent builds of the same design never see a half-built directory.
// Every build compiles the same Verilator runtime and harness objects: when ccache
// is installed, Verilator's make compiles through it (OBJCACHE), with the cache's
// verilator/ directory as ccache's base so that the per-build paths hash alike.
#include "testbenches/lib/rtl_build.h"
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/process.h"
#include "core/text.h"
#include "pe_models/number_format.h"
#include "pe_models/pe.h"
#include "pe_models/pe_arith.h"
#include "pe_models/sparse_encoder.h"
#include "rtl_gen/fp_pe_verilog.h"
#include "rtl_gen/stall_wrapper.h"
#include "rtl_gen/systolic_verilog.h"
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace tpe {

extern const char* const kRtlHarnessSource;
extern const char* const kSramProtocolSource;

namespace {

const std::string& verilator_version() {
  static std::string v;
  if (v.empty()) {
    if (find_tool("verilator").empty())
      throw ToolError("verilator not found on PATH (run 'make setup' to install it)");
    const TempPath dir = make_temp_dir("tpe_verilator_version");
    const std::string log = dir.path() + "/log";
    if (run_process({"verilator", "--version"}, ".", log) != 0)
      throw ToolError("'verilator --version' failed: " + tail_file(log, 3));
    v = tail_file(log, 1);
  }
  return v;
}

// The first error of a Verilator or compiler log (Verilator's own error, else
// its first warning, which -Werror made fatal, else a compiler error, else the
// last line), so a failed build is one line.
std::string first_error(const std::string& log) {
  std::ifstream in(log);
  std::string line, warning, compiler;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
      line.pop_back();
    if (line.rfind("%Error", 0) == 0 && line.find("Exiting due to") == std::string::npos)
      return line;
    if (warning.empty() && line.rfind("%Warning", 0) == 0) warning = line;
    if (compiler.empty() && line.find("error:") != std::string::npos) compiler = line;
  }
  if (!warning.empty()) return warning;
  if (!compiler.empty()) return compiler;
  std::string t = tail_file(log, 1);
  while (!t.empty() && t.back() == '\n')
    t.pop_back();
  return t;
}

} // namespace

std::string tpe_cache_dir() {
  if (const char* d = std::getenv("TPE_CACHE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/tpe";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/tpe";
  return std::filesystem::temp_directory_path().string() + "/tpe-cache";
}

RtlMutation use_gate_netlist(const std::string& netlist_v, const std::string& cells_v) {
  return [netlist_v, cells_v](GeneratedRtl& g) {
    g.files.clear();
    g.files["netlist.v"] = read_file(netlist_v);
    if (cells_v.empty()) { // yosys internal gates are written as expressions
      g.files["filelist.f"] = "netlist.v\n";
      g.sources = {"netlist.v"};
      return;
    }
    g.files["cells.v"] = read_file(cells_v);
    g.files["filelist.f"] = "cells.v\nnetlist.v\n";
    g.sources = {"cells.v", "netlist.v"};
  };
}

const std::vector<std::string>& gate_level_flags() {
  // a mapped netlist runs for few cycles but is large: compile its C++ without
  // optimization (the later OPT_FAST/OPT_GLOBAL on make's command line win)
  static const std::vector<std::string> f = {"-Wno-fatal", "-Wno-lint",
                                             "-Wno-style", "-Wno-UNOPTFLAT",
                                             "-MAKEFLAGS", "OPT_FAST=-O0 OPT_GLOBAL=-O0"};
  return f;
}

harness::Geometry harness_geometry(const ArchConfig& arch) {
  const PeInfo* pe = PeRegistry::instance().find(arch.pe);
  const int sparse = pe ? pe->sparse_group : 0;
  harness::Geometry g;
  g.os = arch.dataflow == "os";
  g.R = arch.rows;
  g.C = arch.cols;
  g.WW = arch.west_bits();
  g.WN = arch.north_bits();
  g.A = arch.acc_bits;
  g.G = sparse ? sparse : arch.depth; // K elements per lane of an operand word
  g.sparse = sparse != 0;
  g.DV =
      sparse && serial_info(arch.pe, arch.operand_bits()).scheme != SerialScheme::EntDigits ? 4 : 1;
  const bool tree = arch.engine == "adder_tree";
  if (!sparse) { // block-scaled operands: scale SRAMs
    const bool is = arch.engine == "systolic" && arch.dataflow == "is"; // west = weight
    const NumberFormat& wf = lookup_number_format(is ? arch.weight() : arch.act());
    const NumberFormat& nf = lookup_number_format(is ? arch.act() : arch.weight());
    g.wscale = wf.is_block();
    g.nscale = nf.is_block();
    const int block = wf.is_block() ? wf.block.size : nf.is_block() ? nf.block.size : 0;
    if (tree) {
      // the trees keep a block's exact partial beside the output word between K-tiles
      if (block > arch.depth) g.BP = group_sum_spec(wf, nf, block).width + 3;
    } else if (!g.os && block) { // ws/is: {block end, scale} lanes, block partials
      g.SL = 9;
      g.BP = fp_pe_arith(arch).block_spec.width + 3;
    }
  }
  return g;
}

RtlBinary build_systolic_rtl(const ArchConfig& arch, const RtlMutation& mutate,
                             const std::vector<std::string>& extra_flags, bool stall,
                             const RtlMutation& mutate_wrapper) {
  GeneratedRtl g = generate_systolic_verilog(arch, "tpe gen --arch <architecture file>");
  if (mutate) mutate(g);
  if (stall) g = add_stall_wrapper(std::move(g));
  if (stall && mutate_wrapper) mutate_wrapper(g);
  g.files["sram_protocol.h"] = kSramProtocolSource; // included by the harness (not in filelist.f)
  const harness::Geometry hg = harness_geometry(arch);
  const std::string header =
      "// Generated by tpe verify for design '" + arch.name + "'.\n#define TPE_OS " +
      (hg.os ? "1" : "0") + "\n#define TPE_R " + std::to_string(hg.R) + "\n#define TPE_C " +
      std::to_string(hg.C) + "\n#define TPE_WW " + std::to_string(hg.WW) + "\n#define TPE_WN " +
      std::to_string(hg.WN) + "\n#define TPE_A " + std::to_string(hg.A) + "\n#define TPE_G " +
      std::to_string(hg.G) + "\n#define TPE_SPARSE " + (hg.sparse ? "1" : "0") +
      "\n#define TPE_DV " + std::to_string(hg.DV) + "\n" +
      (hg.wscale || hg.nscale ? std::string("#define TPE_WSCALE ") + (hg.wscale ? "1" : "0") +
                                    "\n#define TPE_NSCALE " + (hg.nscale ? "1" : "0") + "\n"
                              : std::string()) +
      (hg.SL != 8 ? "#define TPE_SL " + std::to_string(hg.SL) + "\n" : std::string()) +
      (hg.BP ? "#define TPE_BP " + std::to_string(hg.BP) + "\n" : std::string()) +
      (stall ? "#define TPE_STALL 1\n" : std::string());
  RtlBinary bin =
      build_verilated(g, kRtlHarnessSource, header, "design '" + arch.name + "'", extra_flags);
  bin.stall = stall;
  return bin;
}

RtlBinary build_verilated(const GeneratedRtl& g, const std::string& harness,
                          const std::string& header, const std::string& what,
                          const std::vector<std::string>& extra_flags) {
  namespace fs = std::filesystem;
  std::vector<std::string> flags = {
      "--cc",        "--exe", "--build",    "-j",
      "2",           "-O3",   "--x-assign", "0",
      "--x-initial", "0",     "-MAKEFLAGS", "OPT_FAST=-O1 OPT_SLOW=-O0 OPT_GLOBAL=-O1"};
  flags.insert(flags.end(), extra_flags.begin(), extra_flags.end());
  uint64_t h = kFnv1aStart;
  for (const auto& [name, text] : g.files)
    h = fnv1a(text, fnv1a(name, h));
  h = fnv1a(harness, h);
  h = fnv1a(header, h);
  h = fnv1a(verilator_version(), h);
  for (auto& f : flags)
    h = fnv1a(f, h);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  RtlBinary out;
  out.hash = hex;
  const fs::path root = fs::path(tpe_cache_dir()) / "verilator";
  const fs::path dir = root / hex;
  out.path = (dir / "obj" / "tpe_rtl_sim").string();
  if (fs::exists(out.path)) {
    out.from_cache = true;
    return out;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path tmp = root / (std::string(hex) + ".tmp." + std::to_string(getpid()));
  std::error_code ec;
  fs::remove_all(tmp, ec);
  TempPath tmp_guard(tmp.string(), true); // a failed or killed build leaves nothing
  fs::create_directories(tmp / "src");
  for (const auto& [name, text] : g.files)
    write_file_atomic((tmp / "src" / name).string(), text);
  write_file_atomic((tmp / "src" / "rtl_harness.cpp").string(), harness);
  write_file_atomic((tmp / "src" / "tpe_harness_config.h").string(), header);
  if (!find_tool("ccache").empty()) {
    setenv("OBJCACHE", "ccache", 0);
    setenv("CCACHE_BASEDIR", root.c_str(), 1);
  }
  std::vector<std::string> argv = {"verilator"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  const std::vector<std::string> rest = {"--top-module",
                                         g.top,
                                         "--prefix",
                                         "Vtop",
                                         "-Mdir",
                                         (tmp / "obj").string(),
                                         "-o",
                                         "tpe_rtl_sim",
                                         "-CFLAGS",
                                         "-I" + (tmp / "src").string(),
                                         "-f",
                                         "filelist.f",
                                         (tmp / "src" / "rtl_harness.cpp").string()};
  argv.insert(argv.end(), rest.begin(), rest.end());
  const std::string log = (tmp / "build.log").string();
  if (run_process(argv, (tmp / "src").string(), log) != 0)
    throw ToolError("Verilator build of " + what + " failed: " + first_error(log) + " (full log " +
                    log + ")");
  fs::rename(tmp, dir, ec);
  if (ec) { // another process finished the same build first
    tmp_guard.remove();
    if (!fs::exists(out.path))
      throw ToolError("Verilator build cache at " + dir.string() + " is unusable");
  }
  tmp_guard.release();
  out.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

std::string build_note(const RtlBinary& bin) {
  return bin.from_cache ? "reused from cache (" + bin.hash + ")"
                        : "built (" + bin.hash + ") in " +
                              std::to_string(static_cast<int>(bin.build_seconds)) + " s";
}

} // namespace tpe
