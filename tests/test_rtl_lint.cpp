// The generated Verilog passes `verilator --lint-only -Wall` without a single
// warning across shapes, dataflows, formats and accumulator widths, and yosys
// synthesizes it without errors. The port-list emitter of the tops aligns names.
#include "core/atomic_file.h"
#include "core/process.h"
#include "rtl_gen/systolic_verilog.h"
#include "rtl_gen/verilog_text.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <unistd.h>

using namespace tpe;
using tpe::test::make_arch;

namespace {
std::string write_rtl(const ArchConfig& a, const std::string& tag) {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/tpe_lint_" + tag +
                          "_" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  const GeneratedRtl g = generate_systolic_verilog(a, "test");
  for (auto& [f, t] : g.files)
    write_file_atomic(dir + "/" + f, t);
  return dir;
}
// verilator --lint-only -Wall on the design's Verilog: no error, no warning.
void lint_clean(const ArchConfig& a, const std::string& tag) {
  INFO(a.name);
  const std::string dir = write_rtl(a, tag);
  test::check_verilator_lint(dir, "tpe_" + a.name);
  std::filesystem::remove_all(dir);
}
} // namespace

TEST_CASE("generated Verilog is lint-clean under verilator -Wall") {
  int n = 0;
  for (const char* df : {"os", "ws", "is"})
    for (auto rc : {std::pair{1, 1}, {1, 5}, {6, 1}, {2, 3}, {8, 8}})
      for (auto fa :
           {std::pair{"int8", 32}, {"int4", 8}, {"int8", 16}, {"int8", 12}, {"int16", 64}}) {
        lint_clean(make_arch(rc.first, rc.second, df, fa.first, fa.second),
                   "l" + std::to_string(n++));
      }
}

TEST_CASE("the PE library's Verilog is lint-clean in every dataflow and width") {
  int n = 0;
  for (const char* pe : {"array", "booth", "ent", "opt1"})
    for (const char* df : {"os", "ws"})
      for (auto fa : {std::pair{"int4", 5}, {"int8", 12}, {"int8", 32}, {"int16", 64}}) {
        lint_clean(make_arch(2, 3, df, fa.first, fa.second, pe), "p" + std::to_string(n++));
      }
  // serial PEs: output stationary only
  for (const char* pe : {"opt3", "opt4c", "bitserial", "pragmatic"})
    for (auto rc : {std::pair{1, 1}, {2, 3}, {5, 1}})
      for (auto fa : {std::pair{"int4", 5}, {"int8", 12}, {"int8", 32}, {"int16", 64}}) {
        lint_clean(make_arch(rc.first, rc.second, "os", fa.first, fa.second, pe),
                   "s" + std::to_string(n++));
      }
}

TEST_CASE("generated Verilog synthesizes with yosys") {
  for (const char* df : {"os", "ws"}) {
    const ArchConfig a = make_arch(3, 4, df);
    const std::string dir = write_rtl(a, std::string("y") + df);
    std::string reads;
    for (const auto& f : generate_systolic_verilog(a, "test").sources)
      reads += " " + f;
    const std::string log = dir + "/yosys.log";
    const int rc = run_process(
        {"yosys", "-q", "-p", "read_verilog" + reads + "; synth -top tpe_" + a.name + "; stat"},
        dir, log);
    INFO(tail_file(log, 20));
    CHECK(rc == 0);
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("every generated file names how to regenerate it") {
  const GeneratedRtl g =
      generate_systolic_verilog(make_arch(2, 2, "ws"), "tpe gen --arch x.yaml --out y");
  CHECK(g.top == "tpe_t2x2_ws_int8_a32");
  CHECK(g.files.count("filelist.f") == 1);
  for (auto& f : g.sources) {
    INFO(f);
    CHECK(g.files.at(f).find("Regenerate with: tpe gen --arch x.yaml --out y") !=
          std::string::npos);
  }
}

TEST_CASE("the tops' port lists: aligned names, SRAM port directions, the last without a comma") {
  CHECK(port_decl({"input", "[31:0]", "cfg_k"}, 10) == "  input  wire [31:0]    cfg_k");
  CHECK(port_decl({"output", "", "busy"}, 12) == "  output wire             busy");
  CHECK(port_decl({"output", "[C*A-1:0]", "o_wr_data", "reg"}, 12) ==
        "  output reg  [C*A-1:0]   o_wr_data");
  // a range as wide as the column still gets one space
  CHECK(port_decl({"input", "[C*100-1:0]", "d"}, 10) == "  input  wire [C*100-1:0] d");
  const std::vector<VerilogPort> rd = sram_port("o_rd", "C*A"), wr = sram_port("o_wr", "C*A");
  CHECK(rd[2].dir == "input");
  CHECK(wr[2].dir == "output");
  CHECK(rd[0].name == "o_rd_en");
  CHECK(port_list({rd[0], {"", "", "  raw line,\n"}, rd[1]}, 10) ==
        "  output wire           o_rd_en,\n  raw line,\n  output wire [31:0]    o_rd_addr\n");
  const std::string head =
      top_module_head({"R", "@@PARAMS@@"}, cfg_ports({"cfg_k"}), "R*W", "C*W", wr, 10);
  CHECK(head.find("module @@TOP@@ #(\n  parameter R = @@R@@,\n@@PARAMS@@\n) (\n") !=
        std::string::npos);
  CHECK(head.find("  input  wire [31:0]    cfg_k,\n  output wire           busy,\n") !=
        std::string::npos);
  CHECK(head.find("  input  wire [C*W-1:0] n_rd_data,\n") != std::string::npos);
  const std::string end = "  output wire [C*A-1:0] o_wr_data\n);\n";
  CHECK(head.substr(head.size() - end.size()) == end);
}
