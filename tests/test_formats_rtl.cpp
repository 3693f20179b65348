// The format decoders' Verilog (rtl_gen/format_verilog.h): every decoder is
// lint-clean under `verilator --lint-only -Wall` and synthesized by yosys, and one Verilated bundle
// of all of them (the format picked by in1) decodes every code of every format to the same Unpacked
// bus, bit for bit, as the C++ decoder (NumberFormat::decode).
#include "core/atomic_file.h"
#include "core/process.h"
#include "pe_models/number_format.h"
#include "rtl_gen/format_verilog.h"
#include "testbenches/lib/unit_sim.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <unistd.h>

using namespace tpe;

namespace {

std::vector<const NumberFormat*> all_formats() {
  std::vector<const NumberFormat*> v;
  for (const auto& n : NumberFormatRegistry::instance().names())
    v.push_back(&lookup_number_format(n));
  return v;
}

} // namespace

TEST_CASE("every format decoder is lint-clean under verilator -Wall and synthesizes with yosys") {
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/tpe_fmt_lint_" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::string files;
  for (const NumberFormat* f : all_formats()) {
    INFO(f->name);
    const std::string name = format_decoder_name("tpe", *f);
    write_file_atomic(dir + "/" + name + ".v", format_decoder_module("tpe", *f));
    const std::string log = dir + "/" + name + ".log";
    const int rc = run_process(
        {"verilator", "--lint-only", "-Wall", "--top-module", name, name + ".v"}, dir, log);
    INFO(tail_file(log, 20));
    CHECK(rc == 0);
    CHECK(tail_file(log, 5).empty());
    files += " " + name + ".v";
  }
  // and yosys synthesizes all of them
  const std::string log = dir + "/yosys.log";
  const int rc =
      run_process({"yosys", "-q", "-p", "read_verilog" + files + "; synth; stat"}, dir, log);
  INFO(tail_file(log, 20));
  CHECK(rc == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the Verilated decoders match the C++ decode on every code of every format") {
  const auto fmts = all_formats();
  REQUIRE(fmts.size() < 256);
  std::map<std::string, std::string> mods;
  std::string w = "`timescale 1ns/1ps\nmodule unit_top(input clk, input [63:0] in0, input [63:0] "
                  "in1, output [63:0] out0, output [63:0] out1);\n";
  std::string sel = "  reg [63:0] r;\n  always @* begin\n    case (in1[7:0])\n";
  for (size_t i = 0; i < fmts.size(); ++i) {
    const NumberFormat& f = *fmts[i];
    const std::string name = format_decoder_name("tpe", f), k = std::to_string(i);
    const int U = unpacked_bus_bits(f);
    REQUIRE(U <= 64);
    mods[name + ".v"] = format_decoder_module("tpe", f);
    w += "  wire [" + std::to_string(U - 1) + ":0] u" + k + ";\n  " + name + " d" + k +
         " (.code(in0[" + std::to_string(f.bits - 1) + ":0]), .u(u" + k + "));\n";
    sel += "      8'd" + k +
           ": r = " + (U == 64 ? "u" + k : "{" + std::to_string(64 - U) + "'b0, u" + k + "}") +
           ";\n";
  }
  w += sel + "      default: r = 64'b0;\n    endcase\n  end\n  assign out0 = r;\n"
             "  assign out1 = in1;\nendmodule\n";
  std::vector<UnitVector> vec;
  for (size_t i = 0; i < fmts.size(); ++i)
    for (uint32_t c = 0; c < fmts[i]->code_count(); ++c)
      vec.emplace_back(c, i);
  const auto out = run_unit(mods, w, vec, "format decoders");
  REQUIRE(out.size() == vec.size());
  std::map<std::string, int> bad;
  for (size_t j = 0; j < vec.size(); ++j) {
    const NumberFormat& f = *fmts[vec[j].second];
    const uint64_t want = unpacked_bus_value(f, f.decode(uint32_t(vec[j].first)));
    if (out[j].first != want && ++bad[f.name] <= 3)
      FAIL_CHECK(f.name << " code 0x" << std::hex << vec[j].first << ": RTL 0x" << out[j].first
                        << ", C++ 0x" << want);
  }
  CHECK(bad.empty());
}

TEST_CASE("the bus value packs the Unpacked fields in the documented order") {
  const NumberFormat& f = lookup_number_format("fp8_e4m3"); // EW 5, SW 4
  REQUIRE(f.unpacked_exp_bits() == 5);
  REQUIRE(f.unpacked_sig_bits() == 4);
  // 1.0 = 0x38: sig 0b1000, exp -3 -> {0, 0, 0, 0, 5'b11101, 4'b1000}
  CHECK(unpacked_bus_value(f, f.decode(0x38)) == ((0x1dull << 4) | 0x8));
  CHECK(unpacked_bus_value(f, f.decode(0xff)) == (0x9ull << 9)); // -NaN: is_nan, neg
  CHECK(unpacked_bus_value(f, f.decode(0x80)) == (0x3ull << 9)); // -0: is_zero, neg
}
