// The README is a contract (issue 12 item 9): every command line it shows runs, and
// every option it documents is the program's.
//
// 1. Commands: every line of the README's ```sh blocks and every inline code span
//    that starts with `build/tpe`, `build/bench/` or `make` (placeholders such as
//    A.yaml, DIR or <size> excluded) must be listed in kCommands below, and the
//    list must hold nothing else, so a command added to or changed in the README
//    fails this test until it is run here. Each is run from a scratch directory
//    that links configs/, workloads/, tests/ and build/ (outputs land in its out/), either
//    as written or, where it takes minutes, as the smaller variant given beside
//    it. `make` lines are checked with `make -n` (the target exists and expands).
// 2. Options: for every subcommand, each option of `tpe X --help` appears in the
//    README section of `tpe X`; each option the section's tables document exists;
//    a default stated in the help text ("default V") appears in the README's row.
//    Every `tpe X --option` mentioned anywhere in the README is an option of X.
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace tpe::test;
namespace fs = std::filesystem;

namespace {

const std::string kSrc = TPE_SOURCE_DIR;

std::string readme() {
  std::ifstream in(kSrc + "/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string collapse_spaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

bool is_placeholder_command(const std::string& c) {
  static const std::regex ph(
      R"((\b[A-Z][A-Za-z0-9_]*\.(yaml|csv|cfg|json|lib)\b)|\bDIR\b|\bFILE\b|<[a-z_]+>|\.\.\.|\bMxKxN\b|(^|\s)[A-Z](\s|$))");
  return std::regex_search(c, ph);
}

// The README's runnable command lines, in order of appearance, without duplicates.
std::vector<std::string> readme_commands(const std::string& text) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  const auto add = [&](std::string c) {
    c = collapse_spaces(c);
    if (!c.empty() && seen.insert(c).second) out.push_back(c);
  };
  size_t pos = 0;
  std::string prose;
  while (true) {
    const size_t open = text.find("```sh\n", pos);
    prose += text.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
    if (open == std::string::npos) break;
    const size_t close = text.find("```", open + 6);
    std::string block = text.substr(open + 6, close - open - 6);
    block = std::regex_replace(block, std::regex("\\\\\n"), " ");
    std::istringstream lines(block);
    for (std::string line; std::getline(lines, line);)
      add(std::regex_replace(line, std::regex(R"(\s+#\s.*$)"), ""));
    pos = close + 3;
  }
  static const std::regex span("`((build/tpe |build/bench/|make\\b)[^`]*)`");
  for (std::sregex_iterator it(prose.begin(), prose.end(), span), end; it != end; ++it) {
    const std::string c =
        collapse_spaces(std::regex_replace((*it)[1].str(), std::regex("\n"), " "));
    if (!is_placeholder_command(c)) add(c);
  }
  return out;
}

// README command -> what this test runs ("=" as written; "make" checked with make -n).
struct Entry {
  std::string readme, run;
};
const std::vector<Entry> kCommands = {
    {"make setup", "make"},
    {"make", "make"},
    {"make test", "make"},
    {"make run", "make"},
    {"make synth", "make"},
    {"make engines", "make"},
    {"make formats", "make"},
    {"make lut", "make"},
    {"make lut-calibrations", "make"},
    {"make lut-scaling-check", "make"},
    {"make example", "make"},
    {"build/examples/tpe_tlm_platform --arch configs/cube_4x4x4.yaml --gemm 7x19x5 --style at",
     "="},
    {"make roofline", "make"},
    {"make test-full", "make"},
    {"make bench", "make"},
    {"make lint", "make"},
    {"build/tpe sim --arch configs/systolic_16x16_ws.yaml --workload "
     "workloads/bert_base_seq512.csv --json out/bert.json --out out/bert",
     "="},
    {"build/tpe sim --scalesim-config tests/fixtures/scalesim-v2/ref/configs/pub_os8x8_bw1.cfg "
     "--topology tests/fixtures/scalesim-v2/ref/topology.csv --compat scalesim --out "
     "out/scalesim_os8x8_bw1",
     "="},
    {"build/tpe sim --arch configs/memory/tree16x16_bw16.yaml --workload "
     "workloads/llama2_7b_decode_weights.csv",
     "="},
    {"build/tpe sim --arch configs/memory/sa16x16_os_ddr4.yaml --workload workloads/resnet50.csv "
     "--mode analytic",
     "="},
    {"build/tpe gen --arch configs/systolic_4x4_ws.yaml --out out/rtl", "="},
    {"build/tpe gen --arch configs/lut_gemv_small.yaml --out out/lut_rtl", "="},
    {"build/tpe lut --arch configs/lut_gemv_w4a8.yaml --workload "
     "workloads/llama2_7b_decode_weights.csv --batch 16 --weight-bits 4 --periphery "
     "configs/calibration/lut_gemv_small.json --json out/lut.json",
     "="},
    {"build/tpe roofline --arch configs/adder_tree_16x16.yaml --workload "
     "workloads/llama2_7b_decode.csv --bytes-per-cycle 4,16,64 --dram hbm2_stack",
     "="},
    {"build/tpe verify --arch configs/cube_4x4x4.yaml --gemm 9x21x7 --trials 2 --seed 5 "
     "--stall-rate 0.3",
     "="},
    {"build/tpe verify --arch configs/systolic_4x4_os.yaml --gemm 37x29x53 --trials 3 --seed 42",
     "="},
    {"build/tpe verify --arch configs/systolic_8x8_ws.yaml --workload workloads/tiny_gemm.csv",
     "="},
    {"build/tpe verify --arch configs/systolic_4x4_is.yaml --trials 10",
     "build/tpe verify --arch configs/systolic_4x4_is.yaml --trials 2"},
    {"build/tpe verify --arch configs/lut_gemv_small.yaml --gemm 5x13x7 --trials 2 --seed 3 "
     "--operands student_t:3",
     "="},
    {"build/tpe verify --arch configs/systolic_4x4_os.yaml --gemm 37x29x53 --seed 42 --vcd wave",
     "="},
    {"gtkwave wave/rtl.vcd &", "test -s wave/rtl.vcd"},
    {"gtkwave wave/model.vcd &", "test -s wave/model.vcd"},
    {"build/tpe synth --arch configs/systolic_16x16_os.yaml --clock-ns 10 --json out/synth.json",
     "build/tpe synth --arch configs/systolic_4x4_os.yaml --clock-ns 10 --json out/synth.json"},
    {"build/tpe synth --arch configs/lut_gemv_small.yaml --json out/synth_lut.json",
     "build/tpe synth --arch configs/lut_gemv_tiny.yaml --json out/synth_lut.json"},
    {"for n in 4 8 16; do build/tpe compare --arch configs/systolic_${n}x${n}_os.yaml --arch "
     "configs/systolic_${n}x${n}_ws.yaml --gemm $((2*n))x128x$((2*n)) --operands "
     "random,normal:25 --seed 1 --markdown out/compare_${n}.md; done",
     "for n in 4; do build/tpe compare --arch configs/systolic_${n}x${n}_os.yaml --arch "
     "configs/systolic_${n}x${n}_ws.yaml --gemm $((2*n))x16x$((2*n)) --operands "
     "random,normal:25 --seed 1 --markdown out/compare_${n}.md; done"},
    {"build/tpe power --arch configs/systolic_4x4_os.yaml --gemm 32x64x32 --operands random "
     "--clock-ns 10 --json out/power.json",
     "build/tpe power --arch configs/systolic_4x4_os.yaml --gemm 8x16x8 --operands random "
     "--clock-ns 10 --json out/power.json"},
    {"build/tpe calibrate --arch configs/systolic_4x4_os.yaml --operands random --out "
     "out/cal_4x4_os.json",
     "="},
    {"build/tpe sim --arch configs/systolic_4x4_os.yaml --workload workloads/resnet50.csv "
     "--energy out/cal_4x4_os.json",
     "="},
    {"build/tpe compare --arch configs/systolic_4x4_os.yaml --arch configs/systolic_8x8_ws.yaml "
     "--operands random,normal:25 --seed 1 --markdown out/compare.md --json out/compare.json",
     "build/tpe compare --arch configs/systolic_4x4_os.yaml --arch configs/systolic_8x8_ws.yaml "
     "--synth-only --operands random,normal:25 --seed 1 --markdown out/compare.md --json "
     "out/compare.json"},
    {"build/tpe compare --gemm 32x128x32 --operands random,normal:25 --seed 1 $(for df in os ws; "
     "do for pe in mac array booth ent opt1; do printf -- \"--arch configs/pe/sa16x16_%s_%s.yaml "
     "\" $df $pe; done; done) $(for pe in opt3 opt4c bitserial pragmatic; do printf -- \"--arch "
     "configs/pe/sa16x16_os_%s.yaml \" $pe; done)",
     "build/tpe compare --synth-only --gemm 8x16x8 --operands random,normal:25 --seed 1 $(for df "
     "in os ws; do for pe in mac opt1; do printf -- \"--arch configs/pe/sa4x4_%s_%s.yaml \" $df "
     "$pe; done; done) $(for pe in opt3 pragmatic; do printf -- \"--arch "
     "configs/pe/sa4x4_os_%s.yaml \" $pe; done)"},
    {"build/tpe compare --synth-only --operands normal:25 --seed 1 $(for d in sa16x16 col1x32; do "
     "for pe in opt3 opt4c bitserial pragmatic; do printf -- \"--arch configs/pe/%s_os_%s.yaml \" "
     "$d $pe; done; done) --arch configs/pe/col1x32_os_mac.yaml",
     "build/tpe compare --synth-only --gemm 8x16x8 --operands normal:25 --seed 1 $(for d in "
     "sa4x4; do for pe in opt4c bitserial; do printf -- \"--arch configs/pe/%s_os_%s.yaml \" $d "
     "$pe; done; done) --arch configs/pe/col1x32_os_mac.yaml"},
    {"build/bench/bench_systolic",
     "build/bench/bench_systolic --workload workloads/tiny_gemm.csv --layer g1"},
    {"build/bench/bench_gate_sim",
     "build/bench/bench_gate_sim --arch configs/systolic_4x4_os.yaml --gemm 8x16x8"},
    {"build/bench/bench_workload", "build/bench/bench_workload --rows 100000"},
    {"build/tpe gen --arch configs/systolic_4x4_os.yaml --out out/my_rtl", "="},
    {"build/tpe verify --arch configs/systolic_4x4_os.yaml --rtl out/my_rtl --gemm 37x29x53 "
     "--seed 1",
     "="},
    {"make fuzz", "make"},
    {"make fuzz FUZZ_SECONDS=300", "make"},
    {"make fuzz-smoke", "make"},
    {"make test-asan", "make"},
    {"make mutate", "make"},
    {"make formats-sweep", "make"},
    {"build/tpe mutate --arch configs/mutation/sa2x2_os_mac.yaml --per-design 12 --seed 12",
     "build/tpe mutate --arch configs/mutation/sa2x2_os_mac.yaml --per-design 2 --seed 12"},
    {"build/tpe mutate --arch configs/mutation/sa2x2_os_mac.yaml --list --per-design 20", "="},
    {"build/tpe mutate --arch configs/mutation/sa2x2_os_bitserial.yaml --per-design 14 --seed 12 "
     "--mutant 10",
     "build/tpe mutate --arch configs/mutation/sa2x2_os_bitserial.yaml --per-design 14 --seed 12 "
     "--mutant 10 --list"},
    {"build/tpe mutate --arch configs/mutation/sa2x2_os_bitserial.yaml --per-design 14 --seed 12 "
     "--json out/mutate_sa2x2_os_bitserial.json",
     "build/tpe mutate --arch configs/mutation/sa2x2_os_bitserial.yaml --per-design 14 --seed 12 "
     "--list"},
    {"build/tpe mutate --arch configs/mutation/sa2x2_ws_mac.yaml --arch "
     "configs/mutation/sa1x2_os_opt4c.yaml --arch configs/mutation/m2d2x2_booth.yaml "
     "--per-design 14 --seed 12 --json out/mutate_a.json",
     "build/tpe mutate --arch configs/mutation/sa2x2_ws_mac.yaml --arch "
     "configs/mutation/sa1x2_os_opt4c.yaml --arch configs/mutation/m2d2x2_booth.yaml "
     "--per-design 14 --seed 12 --list"},
    {"build/tpe quantize --format mxfp8_e4m3 configs/matrices/a_4x40.csv --out "
     "out/a_mxfp8.csv",
     "="},
    {"build/tpe quantize --format mxfp8_e4m3 --mx-scale up configs/matrices/a_4x40.csv", "="},
    {"build/tpe quantize --format nvfp4 configs/matrices/a_4x40.csv", "="},
    {"build/tpe gemm --arch configs/systolic_4x4_os.yaml --a configs/matrices/gemm_a_3x4.csv --b "
     "configs/matrices/gemm_b_4x2.csv",
     "="},
    {"build/tpe gemm --arch configs/systolic_4x4_os.yaml --a configs/matrices/gemm_a_3x4.csv --b "
     "configs/matrices/gemm_b_4x2.csv --rtl --out out/c.csv",
     "="},
    {"build/tpe formats --arch configs/formats/fp8_e4m3.yaml --arch "
     "configs/formats/lmul_fp8_e4m3.yaml --arch configs/formats/mxfp4.yaml --accuracy-only",
     "="},
    {"build/tpe formats --arch configs/formats/int8.yaml --arch configs/formats/fp8_e4m3.yaml "
     "--json out/formats_2.json",
     "build/tpe formats --arch configs/formats/int8.yaml --arch configs/formats/fp8_e4m3.yaml "
     "--accuracy-only --accuracy-gemm 8x32x8 --json out/formats_2.json"},
    {"build/tpe formats --arch configs/formats/mxfp8_e4m3.yaml --arch configs/formats/mxfp4.yaml "
     "--arch configs/formats/nvfp4.yaml",
     "build/tpe formats --arch configs/formats/mxfp8_e4m3.yaml --arch configs/formats/mxfp4.yaml "
     "--arch configs/formats/nvfp4.yaml --accuracy-only"},
    {"build/tpe formats --arch configs/formats/w4a8_int.yaml --arch configs/formats/w4a8_mx.yaml",
     "build/tpe formats --arch configs/formats/w4a8_int.yaml --arch configs/formats/w4a8_mx.yaml "
     "--accuracy-only"},
};

struct Scratch {
  std::string dir;
  Scratch() {
    dir = fs::temp_directory_path().string() + "/tpe_readme_" + std::to_string(getpid());
    fs::remove_all(dir);
    fs::create_directories(dir + "/out");
    for (const char* d : {"configs", "workloads", "tests"})
      fs::create_directory_symlink(kSrc + "/" + d, dir + "/" + d);
    fs::create_directory_symlink(fs::path(TPE_TPE_BIN).parent_path(), dir + "/build");
  }
  ~Scratch() { fs::remove_all(dir); }
};

CmdResult run_in(const std::string& cwd, const std::string& cmd) {
  return run_shell("cd '" + cwd + "' && " + cmd);
}

std::vector<std::string> subcommands() {
  const CmdResult r = run_tpe("--help");
  std::vector<std::string> out;
  const size_t s = r.out.find("Subcommands:");
  std::istringstream in(r.out.substr(s == std::string::npos ? r.out.size() : s));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream w(line);
    std::string name;
    if (w >> name) out.push_back(name);
  }
  return out;
}

// option name -> help text (description and default) of `tpe cmd --help`
std::map<std::string, std::string> help_options(const std::string& cmd) {
  const CmdResult r = run_tpe(cmd + " --help");
  std::map<std::string, std::string> out;
  static const std::regex opt(R"(^\s+(?:-\w,)?(--[a-z0-9-]+)(.*)$)");
  std::istringstream in(r.out);
  std::string last;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, opt)) {
      last = m[1];
      out[last] = m[2];
    } else if (!last.empty()) {
      out[last] += " " + line;
    }
  }
  out.erase("--help");
  return out;
}

// The README text of the section about `tpe cmd` (its ### heading to the next heading
// of level 2 or 3).
std::string command_section(const std::string& text, const std::string& cmd) {
  const std::regex head("\n### [^\n]*`tpe " + cmd + "`");
  std::smatch m;
  if (!std::regex_search(text, m, head)) return "";
  const size_t start = m.position(0) + 1;
  size_t end = text.find("\n## ", start);
  const size_t next3 = text.find("\n### ", start + 4);
  if (next3 < end) end = next3;
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

} // namespace

TEST_CASE("every command line the README shows is run by this test") {
  const std::vector<std::string> cmds = readme_commands(readme());
  std::set<std::string> known;
  for (const auto& e : kCommands)
    known.insert(e.readme);
  for (const auto& c : cmds) {
    INFO("README command not covered by tests/test_readme.cpp kCommands: " << c);
    CHECK(known.count(c) == 1);
  }
  const std::set<std::string> shown(cmds.begin(), cmds.end());
  for (const auto& e : kCommands) {
    INFO("kCommands lists a command the README no longer shows: " << e.readme);
    CHECK(shown.count(e.readme) == 1);
  }
}

TEST_CASE("the README's commands run") {
  Scratch s;
  for (const auto& e : kCommands) {
    const std::string cmd = e.run == "=" ? e.readme : e.run;
    INFO("README: " << e.readme << "\nran: " << cmd);
    if (cmd == "make") {
      const CmdResult r = run_in(kSrc, "make -n " + e.readme.substr(4));
      INFO(r.out);
      CHECK(r.status == 0);
      continue;
    }
    const CmdResult r = run_in(s.dir, cmd);
    INFO(r.out);
    CHECK(r.status == 0);
  }
}

TEST_CASE("every option of every command is documented in its README section") {
  const std::string text = readme();
  const std::vector<std::string> cmds = subcommands();
  REQUIRE(cmds.size() >= 7);
  for (const auto& cmd : cmds) {
    INFO("tpe " << cmd);
    const std::string sec = command_section(text, cmd);
    CHECK(!sec.empty());
    const auto help = help_options(cmd);
    for (const auto& [name, desc] : help) {
      INFO("option " << name << " of tpe " << cmd << " is not in its README section");
      CHECK(sec.find("`" + name) != std::string::npos);
      std::smatch m;
      static const std::regex dflt(R"(default:? ([^;,)\s]+))");
      if (std::regex_search(desc, m, dflt) && m[1].str()[0] != '$') {
        // the README row of the option states the same default
        const size_t row = sec.find("| `" + name);
        if (row == std::string::npos) continue;
        const std::string line = sec.substr(row, sec.find('\n', row) - row);
        INFO("help says default " << m[1] << "; README row: " << line);
        CHECK(line.find(m[1].str()) != std::string::npos);
      }
    }
    static const std::regex row(R"(\n\| `(--[a-z0-9-]+))");
    for (std::sregex_iterator it(sec.begin(), sec.end(), row), end; it != end; ++it) {
      INFO("README documents " << (*it)[1] << " for tpe " << cmd << ", which has no such option");
      CHECK(help.count((*it)[1]) == 1);
    }
  }
}

TEST_CASE("every `tpe COMMAND --option` the README mentions exists") {
  const std::string text = readme();
  std::map<std::string, std::map<std::string, std::string>> help;
  for (const auto& cmd : subcommands())
    help[cmd] = help_options(cmd);
  static const std::regex mention(R"(tpe ([a-z]+)((?: [^`\n]*?)?) (--[a-z0-9-]+))");
  for (std::sregex_iterator it(text.begin(), text.end(), mention), end; it != end; ++it) {
    const std::string cmd = (*it)[1], opt = (*it)[3];
    if (!help.count(cmd) || opt == "--help") continue; // "tpe is", "tpe keeps": prose
    INFO("README mentions tpe " << cmd << " " << opt);
    CHECK(help[cmd].count(opt) == 1);
  }
}
