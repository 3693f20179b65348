// L0 tests of the PE library's arithmetic: every INT4 and INT8 operand pair and a
// million random INT16 pairs through each multiplier structure (array, Booth,
// EN-T) in the emulator and in the generated Verilog (Verilated), against the
// exact product; the EN-T encoder's code words; OPT1 accumulation sequences with
// the carry-save state compared every cycle, including wraparound.
#include "core/tensor.h"
#include "pe_models/int_arith.h"
#include "pe_models/int_multipliers.h"
#include "rtl_gen/pe_verilog.h"
#include "testbenches/lib/unit_sim.h"
#include <catch2/catch.hpp>
#include <iostream>

using namespace tpe;

namespace {

const int kWidths[] = {4, 8, 16};

uint64_t field(uint64_t v, int lo, int w) {
  return (v >> lo) & low_mask(w);
}

// in0 = {a16, a8, a4}, in1 = {b16, b8, b4}: every INT8 pair (INT4 pairs cycle
// within them), then random INT16 pairs; INT16 is random throughout.
std::vector<UnitVector> pair_vectors(uint64_t seed, int random16) {
  Rng rng(seed);
  std::vector<UnitVector> v;
  for (uint64_t x = 0; x < 65536 + uint64_t(random16); ++x) {
    const uint64_t a16 = rng.engine()() & 0xffff, b16 = rng.engine()() & 0xffff;
    const uint64_t a8 = x < 65536 ? x >> 8 : rng.engine()() & 0xff;
    const uint64_t b8 = x < 65536 ? x & 0xff : rng.engine()() & 0xff;
    const uint64_t a4 = x < 65536 ? (x >> 4) & 0xf : rng.engine()() & 0xf;
    const uint64_t b4 = x & 0xf;
    v.emplace_back(a4 | a8 << 4 | a16 << 12, b4 | b8 << 4 | b16 << 12);
  }
  return v;
}

std::string mul_wrapper(const std::string& kind) {
  std::string w = "`timescale 1ns/1ps\nmodule unit_top(input clk, input [63:0] in0, input [63:0] "
                  "in1, output [63:0] out0, output [63:0] out1);\n";
  std::string codes = "33'b0", prods = "8'b0";
  int lo = 0;
  for (int W : kWidths) {
    const std::string n = std::to_string(W);
    const std::string m = "m" + n;
    w += "  wire [" + std::to_string(W - 1) + ":0] a" + n + " = in0[" + std::to_string(lo + W - 1) +
         ":" + std::to_string(lo) + "];\n";
    w += "  wire [" + std::to_string(W - 1) + ":0] b" + n + " = in1[" + std::to_string(lo + W - 1) +
         ":" + std::to_string(lo) + "];\n";
    w += "  wire [" + std::to_string(2 * W - 1) + ":0] p" + n + ";\n";
    std::string a_in = "a" + n;
    if (kind == "ent") {
      w += "  wire [" + std::to_string(W) + ":0] c" + n + ";\n  " + m + "_ent_enc e" + n +
           " (.a(a" + n + "), .code(c" + n + "));\n";
      a_in = "c" + n;
      codes = codes + ", c" + n;
    }
    w += "  " + m + "_mul u" + n + " (.a(" + a_in + "), .b(b" + n + "), .p(p" + n + "));\n";
    prods = prods + ", p" + n;
    lo += W;
  }
  // out0 = {8'b0, p16, p8, p4}; out1 = {33'b0, c16, c8, c4} (ent) or 0
  auto rev = [](const std::string& list) { // "x, p4, p8, p16" -> "x, p16, p8, p4"
    std::vector<std::string> parts;
    size_t p = 0;
    while (true) {
      const size_t e = list.find(", ", p);
      parts.push_back(list.substr(p, e == std::string::npos ? std::string::npos : e - p));
      if (e == std::string::npos) break;
      p = e + 2;
    }
    std::string o = parts[0];
    for (size_t i = parts.size() - 1; i >= 1; --i)
      o += ", " + parts[i];
    return o;
  };
  w += "  assign out0 = {" + rev(prods) + "};\n";
  w += kind == "ent" ? "  assign out1 = {" + rev(codes) + "};\n" : "  assign out1 = 64'b0;\n";
  w += "  // verilator lint_off UNUSED\n  wire _unused = &{1'b0, clk, in0[63:28], in1[63:28], "
       "1'b0};\n  // verilator lint_on UNUSED\nendmodule\n";
  return w;
}

int64_t emulate(const std::string& kind, int64_t a, int64_t b, int W) {
  if (kind == "array") return array_multiply(a, b, W);
  if (kind == "booth") return booth_multiply(a, b, W);
  return ent_multiply(a, b, W);
}

} // namespace

TEST_CASE("L0 model: every INT4/INT8 pair and random INT16 pairs multiply exactly") {
  for (const char* kind : {"array", "booth", "ent"}) {
    INFO(kind);
    for (int W : {4, 8}) {
      for (int64_t a = int_min(W); a <= int_max(W); ++a)
        for (int64_t b = int_min(W); b <= int_max(W); ++b)
          if (emulate(kind, a, b, W) != a * b) FAIL(kind << " W=" << W << ": " << a << "*" << b);
    }
    Rng rng(7);
    for (int i = 0; i < 200000; ++i) {
      const int64_t a = wrap_signed(rng.engine()(), 16), b = wrap_signed(rng.engine()(), 16);
      if (emulate(kind, a, b, 16) != a * b) FAIL(kind << " W=16: " << a << "*" << b);
    }
    CHECK(emulate(kind, -32768, -32768, 16) == int64_t(1) << 30);
  }
}

TEST_CASE("EN-T encoding: digits in -1..2 represent the magnitude, codes round-trip") {
  for (int W : kWidths) {
    for (int64_t a = int_min(W); a <= int_max(W); ++a) {
      const EntCode e = ent_encode(a, W);
      REQUIRE(e.digits.size() == size_t(W / 2));
      int64_t v = 0, p = 1;
      for (int d : e.digits) {
        REQUIRE(d >= -1);
        REQUIRE(d <= 2);
        v += d * p;
        p *= 4;
      }
      REQUIRE(v == (a < 0 ? -a : a));
      const EntCode back = ent_from_code_word(ent_code_word(e), W);
      REQUIRE(back.digits == e.digits);
      REQUIRE(back.negative == e.negative);
    }
  }
  // the documented examples: 127 = 2*64 - 1, -128 = -(2*64)
  CHECK(ent_encode(127, 8).digits == std::vector<int>{-1, 0, 0, 2});
  CHECK(ent_encode(-128, 8).digits == std::vector<int>{0, 0, 0, 2});
  CHECK(ent_nonzero_digits(0, 8) == 0);
  CHECK(ent_nonzero_digits(127, 8) == 2);
  CHECK(ent_nonzero_digits(85, 8) == 4); // 1111 in radix 4
}

TEST_CASE("L0 RTL: array, Booth and EN-T multipliers match the emulator on every INT4/INT8 pair") {
  const uint64_t seed = 20261123;
  std::cerr << "L0 multipliers: seed " << seed << "\n";
  const auto vec = pair_vectors(seed, 1000000 - 65536);
  for (const char* kind : {"array", "booth", "ent"}) {
    INFO(kind);
    std::map<std::string, std::string> mods;
    for (int W : kWidths) {
      const std::string m = "m" + std::to_string(W);
      mods[m + "_mul.v"] = multiplier_module(kind, m, W);
      if (std::string(kind) == "ent") mods[m + "_enc.v"] = ent_encoder_module(m, W);
    }
    const auto out = run_unit(mods, mul_wrapper(kind), vec, std::string("L0 ") + kind);
    int64_t bad = 0;
    for (size_t i = 0; i < vec.size(); ++i) {
      int lo_in = 0, lo_p = 0, lo_c = 0;
      for (int W : kWidths) {
        const int64_t a = wrap_signed(field(vec[i].first, lo_in, W), W);
        const int64_t b = wrap_signed(field(vec[i].second, lo_in, W), W);
        const int64_t p = wrap_signed(field(out[i].first, lo_p, 2 * W), 2 * W);
        if (p != a * b || p != emulate(kind, a, b, W)) {
          if (bad++ < 5) UNSCOPED_INFO("W=" << W << " " << a << "*" << b << " RTL " << p);
        }
        if (std::string(kind) == "ent" &&
            field(out[i].second, lo_c, W + 1) != ent_code_word(ent_encode(a, W))) {
          if (bad++ < 5) UNSCOPED_INFO("W=" << W << " EN-T code of " << a);
        }
        lo_in += W;
        lo_p += 2 * W;
        lo_c += W + 1;
      }
    }
    CHECK(bad == 0);
  }
}

TEST_CASE("L0 RTL: a multiplier with one wrong partial-product select is caught") {
  std::map<std::string, std::string> mods;
  for (int W : kWidths) {
    const std::string m = "m" + std::to_string(W);
    mods[m + "_mul.v"] = multiplier_module("booth", m, W);
  }
  std::string& v = mods["m8_mul.v"];
  const size_t p = v.find("two1 ? bx2 : (one1 ? bx");
  REQUIRE(p != std::string::npos);
  v.replace(p, 10, "two1 ? bx "); // +-2b becomes +-b in digit 1
  const auto vec = pair_vectors(5, 0);
  const auto out = run_unit(mods, mul_wrapper("booth"), vec, "L0 booth (fault injected)");
  int64_t wrong = 0;
  for (size_t i = 0; i < vec.size(); ++i) {
    const int64_t a = wrap_signed(field(vec[i].first, 4, 8), 8);
    const int64_t b = wrap_signed(field(vec[i].second, 4, 8), 8);
    wrong += wrap_signed(field(out[i].first, 8, 16), 16) != a * b;
  }
  CHECK(wrong > 1000);
}

TEST_CASE("L0: OPT1 carry-save accumulation, state compared every cycle, with wraparound") {
  for (auto [W, A] : std::vector<std::pair<int, int>>{{4, 9}, {8, 32}, {8, 12}, {16, 40}}) {
    INFO("W=" << W << " A=" << A);
    const uint64_t seed = 1000 + W * 100 + A;
    std::cerr << "L0 opt1 W=" << W << " A=" << A << ": seed " << seed << "\n";
    Rng rng(seed);
    const std::string Ws = std::to_string(W), As = std::to_string(A);
    const std::string wrapper =
        "`timescale 1ns/1ps\nmodule unit_top(input clk, input [63:0] in0, input [63:0] in1, "
        "output [63:0] out0, output [63:0] out1);\n  reg [" +
        std::to_string(A - 1) + ":0] s, c;\n  wire [" + std::to_string(A - 1) +
        ":0] s_n, c_n;\n  u_opt1_step st (.a(in0[" + std::to_string(W - 1) + ":0]), .b(in0[" +
        std::to_string(2 * W - 1) + ":" + Ws + "]), .first(in0[" + std::to_string(2 * W) +
        "]), .s_in(s), .c_in(c), .s_out(s_n), .c_out(c_n));\n"
        "  always @(posedge clk) begin s <= s_n; c <= c_n; end\n  assign out0 = {{" +
        std::to_string(64 - A) + "{1'b0}}, s};\n  assign out1 = {{" + std::to_string(64 - A) +
        "{1'b0}}, c};\n  // verilator lint_off UNUSED\n  wire _unused = &{1'b0, in0[63:" +
        std::to_string(2 * W + 1) + "], in1, 1'b0};\n  // verilator lint_on UNUSED\nendmodule\n";
    std::vector<UnitVector> vec;
    std::vector<std::tuple<bool, int64_t, int64_t>> ops;
    for (int i = 0; i < 20000; ++i) {
      const bool first = i == 0 || rng.engine()() % 16 == 0;
      int64_t a = wrap_signed(rng.engine()(), W), b = wrap_signed(rng.engine()(), W);
      if (rng.engine()() % 8 == 0) a = int_min(W);
      if (rng.engine()() % 8 == 0) b = rng.engine()() % 2 ? int_min(W) : int_max(W);
      ops.emplace_back(first, a, b);
      vec.emplace_back((uint64_t(a) & low_mask(W)) | (uint64_t(b) & low_mask(W)) << W |
                           uint64_t(first) << (2 * W),
                       0);
    }
    const auto out = run_unit({{"opt1_step.v", opt1_step_module("u", W, A)}}, wrapper, vec,
                              "L0 opt1 W" + Ws + " A" + As);
    CsaPair st;
    int64_t exact = 0;
    int64_t bad = 0;
    for (size_t i = 0; i < ops.size(); ++i) {
      const auto [first, a, b] = ops[i];
      // outputs of vector i are the state before its edge
      if (i > 0 && (out[i].first != st.s || out[i].second != st.c)) {
        if (bad++ < 5)
          UNSCOPED_INFO("cycle " << i << ": RTL (" << out[i].first << "," << out[i].second
                                 << ") model (" << st.s << "," << st.c << ")");
      }
      st = opt1_step(st, first, a, b, W, A);
      exact = mac_wrap(first ? 0 : exact, a, b, A);
      if (opt1_value(st, A) != exact) {
        if (bad++ < 5) UNSCOPED_INFO("cycle " << i << ": s+c != running sum");
      }
    }
    CHECK(bad == 0);
  }
}
