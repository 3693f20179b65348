// Bundles of FP operator modules Verilated once each (unit harness, 64-bit in0/in1,
// out0/out1) for the model-vs-RTL tests (test_fp_arith_rtl.cpp, full_fp_arith_rtl.cpp).
// in0[63:60] selects which results appear on out0/out1; every result field (a
// "slot") has its emulator expectation, compared bit for bit.
//
// Bundle "fp8": a = in0[12:0], b = in0[25:13] are Unpacked buses of E4M3 or E5M2
// operands (13 bits each); in1 holds the accumulator codes {bf16, fp16, fp32} or the
// fixed accumulator's state.
//   sel 0 / 1: E4M3 / E5M2 exact product and L-Mul with the three offsets;
//   sel 2 / 3: one accumulate step of the E4M3 / E5M2 product into fp32, fp16, bf16;
//   sel 4: the fixed accumulator (E4M3 products), its new state converted to fp32, and
//   the fp32 converter of the product;
//   sel 5: fp32 accumulate of the E4M3 L-Mul (paper offset) product;
//   sel 6 / 7 / 8: FP6 E3M2 / FP6 E2M3 / FP4 E2M1 product and one accumulate step
//   into fp32, fp16, bf16;
//   sel 9: mixed operands (a E4M3, b E5M2): product and one accumulate step.
// Bundle "fp16": a = in0[20:0], b = in0[41:21] are fp16 or bf16 buses (21 bits).
//   sel 0: fp16 and bf16 exact products, fp16 L-Mul paper and const4;
//   sel 1: fp16 L-Mul none, bf16 L-Mul paper, const4, none;
//   sel 2: fp16 products into fp32 and fp16, bf16 products into fp32 and bf16;
//   sel 3: fp16 L-Mul into fp32, bf16 L-Mul into bf16, fp16 and bf16 converters;
//   sel 4: a wide exact addend (SW 40, EW 12: a block dot product) into fp32 and bf16.
#pragma once
#include "core/tensor.h"
#include "pe_models/fp_arith.h"
#include "pe_models/lmul.h"
#include "rtl_gen/fp_arith_verilog.h"
#include "testbenches/lib/unit_sim.h"
#include <catch2/catch.hpp>
#include <functional>
#include <iostream>

namespace tpe::fptest {

inline const FpLayout& e4m3() {
  static const FpLayout f{4, 3, 7, FpLayout::Specials::NanAllOnes, "e4m3"};
  return f;
}
inline const FpLayout& e5m2() {
  static const FpLayout f{5, 2, 15, FpLayout::Specials::Ieee, "e5m2"};
  return f;
}

// The MX element layouts (no Inf/NaN): FP6 E3M2, FP6 E2M3, FP4 E2M1.
inline const std::vector<FpLayout>& small_layouts() {
  static const std::vector<FpLayout> v = {{3, 2, 3, FpLayout::Specials::None, "e3m2"},
                                          {2, 3, 1, FpLayout::Specials::None, "e2m3"},
                                          {2, 1, 1, FpLayout::Specials::None, "e2m1"}};
  return v;
}

inline uint64_t field(uint64_t v, int lo, int w) {
  return w >= 64 ? v >> lo : (v >> lo) & ((uint64_t(1) << w) - 1);
}

struct Slot {
  int sel, word, off, width;
  std::string wire;
  std::function<uint64_t(uint64_t, uint64_t)> expect; // (in0, in1) -> field
  int fmt = -1; // when >= 0: checked only on vectors with in0[59] == fmt
};

struct Bundle {
  std::map<std::string, std::string> modules;
  std::string body; // instances inside unit_top
  std::vector<Slot> slots;

  std::string wrapper() const {
    std::string w = "`timescale 1ns/1ps\nmodule unit_top(input clk, input [63:0] in0, input [63:0] "
                    "in1, output [63:0] out0, output [63:0] out1);\n  wire [3:0] sel = "
                    "in0[63:60];\n" +
                    body;
    for (int word = 0; word < 2; ++word) {
      std::string e = "64'b0";
      for (int s = 15; s >= 0; --s) {
        std::string v;
        for (const Slot& sl : slots)
          if (sl.sel == s && sl.word == word)
            v += (v.empty() ? "" : " | ") + std::string("({") + std::to_string(64 - sl.width) +
                 "'b0, " + sl.wire + "} << " + std::to_string(sl.off) + ")";
        if (!v.empty()) e = "sel == 4'd" + std::to_string(s) + " ? (" + v + ") : " + e;
      }
      w += "  assign out" + std::to_string(word) + " = " + e + ";\n";
    }
    w += "  // verilator lint_off UNUSED\n  wire _unused = &{1'b0, clk, in0, in1};\n  // verilator "
         "lint_on UNUSED\nendmodule\n";
    return w;
  }

  // Run the vectors through the Verilated bundle; returns mismatching fields.
  int64_t check(const std::vector<UnitVector>& vec, const std::string& what) const {
    const auto out = run_unit(modules, wrapper(), vec, what);
    int64_t bad = 0, compared = 0;
    for (size_t i = 0; i < vec.size(); ++i) {
      const int sel = int(vec[i].first >> 60);
      for (const Slot& sl : slots) {
        if (sl.sel != sel || (sl.fmt >= 0 && int((vec[i].first >> 59) & 1) != sl.fmt)) continue;
        const uint64_t got = field(sl.word ? out[i].second : out[i].first, sl.off, sl.width);
        const uint64_t want = sl.expect(vec[i].first, vec[i].second);
        ++compared;
        if (got != want && bad++ < 8)
          UNSCOPED_INFO(sl.wire << ": in0 " << std::hex << vec[i].first << " in1 " << vec[i].second
                                << ": RTL " << got << " model " << want);
      }
    }
    std::cerr << what << ": " << vec.size() << " vectors, " << compared << " fields compared, "
              << bad << " mismatches\n";
    CHECK(compared >= int64_t(vec.size()));
    return bad;
  }
};

inline std::string inst(const std::string& mod, const std::string& name,
                        const std::vector<std::pair<std::string, std::string>>& ports) {
  std::string s = "  " + mod + " " + name + " (";
  for (size_t i = 0; i < ports.size(); ++i)
    s += (i ? ", ." : ".") + ports[i].first + "(" + ports[i].second + ")";
  return s + ");\n";
}

inline std::string wire(int w, const std::string& n) {
  return "  wire [" + std::to_string(w - 1) + ":0] " + n + ";\n";
}

// The fixed accumulator of E4M3 products.
inline FixedAccSpec e4m3_fixed_spec() {
  int lsb = 0, top = 0;
  product_range(e4m3(), e4m3(), lsb, top);
  return fixed_acc_spec(lsb, top);
}

inline FixedAcc fixed_from_bus(const FixedAccSpec& s, uint64_t bus) {
  FixedAcc a;
  a.value = static_cast<__int128>(int64_t(bus << (64 - s.width)) >> (64 - s.width));
  a.neg_inf = (bus >> s.width) & 1;
  a.pos_inf = (bus >> (s.width + 1)) & 1;
  a.nan = (bus >> (s.width + 2)) & 1;
  return a;
}

inline Bundle fp8_bundle() {
  Bundle b;
  const LmulOffset offs[] = {LmulOffset::Paper, LmulOffset::Const4, LmulOffset::None};
  const char* on[] = {"p", "c", "n"};
  const FpLayout* fmts[] = {&e4m3(), &e5m2()};
  const FpLayout* accs[] = {&fp32_layout(), &fp16_layout(), &bf16_layout()};
  for (int fi = 0; fi < 2; ++fi) {
    const FpLayout& L = *fmts[fi];
    const UnpackedWidths w = float_unpacked_widths(L), pw = product_widths(w, w);
    const std::string t = std::to_string(fi == 0 ? 4 : 5);
    const std::string a = "in0[" + std::to_string(w.bus_bits() - 1) + ":0]";
    const std::string bb =
        "in0[" + std::to_string(13 + w.bus_bits() - 1) + ":" + std::to_string(13) + "]";
    b.modules["prod" + t + ".v"] = fp_product_module("prod" + t, w, w);
    b.body += wire(pw.bus_bits(), "p" + t) +
              inst("prod" + t, "u_p" + t, {{"a", a}, {"b", bb}, {"p", "p" + t}});
    auto ops = [&L, w](uint64_t in0) {
      return std::pair{unpack_bus(field(in0, 0, w.bus_bits()), w),
                       unpack_bus(field(in0, 13, w.bus_bits()), w)};
    };
    b.slots.push_back({fi, 0, 0, pw.bus_bits(), "p" + t, [ops, pw](uint64_t i0, uint64_t) {
                         const auto [x, y] = ops(i0);
                         return pack_bus(exact_product(x, y), pw);
                       }});
    for (int k = 0; k < 3; ++k) {
      const UnpackedWidths lw = lmul_widths(w, offs[k]);
      const std::string m = "lmul" + t + on[k];
      b.modules[m + ".v"] = lmul_module(m, w, offs[k]);
      b.body += wire(lw.bus_bits(), "l" + t + on[k]) +
                inst(m, "u_" + m, {{"a", a}, {"b", bb}, {"p", "l" + t + on[k]}});
      const LmulOffset o = offs[k];
      b.slots.push_back({fi, k == 0 ? 0 : 1, k == 2 ? 32 : (k == 0 ? 32 : 0), lw.bus_bits(),
                         "l" + t + on[k], [ops, lw, o, &L](uint64_t i0, uint64_t) {
                           const auto [x, y] = ops(i0);
                           return pack_bus(lmul(x, y, L.man_bits, o), lw);
                         }});
    }
    // sel 2 / 3: one accumulate step of the product into fp32, fp16, bf16
    for (int ai = 0; ai < 3; ++ai) {
      const FpLayout& A = *accs[ai];
      const std::string m = "add" + t + "_" + A.name;
      const int acc_lo = ai == 0 ? 0 : (ai == 1 ? 32 : 48);
      b.modules[m + ".v"] = fp_accumulate_module(m, A, pw);
      b.body +=
          wire(A.bits(), "s" + m) + inst(m, "u_" + m,
                                         {{"acc", "in1[" + std::to_string(acc_lo + A.bits() - 1) +
                                                      ":" + std::to_string(acc_lo) + "]"},
                                          {"x", "p" + t},
                                          {"acc_new", "s" + m}});
      b.slots.push_back({2 + fi, ai == 2 ? 1 : 0, ai == 1 ? 32 : 0, A.bits(), "s" + m,
                         [ops, &A, acc_lo](uint64_t i0, uint64_t i1) {
                           const auto [x, y] = ops(i0);
                           return fp_accumulate(A, field(i1, acc_lo, A.bits()),
                                                exact_product(x, y));
                         }});
    }
  }
  // sel 4: fixed accumulator of E4M3 products, fp32 converter of the product
  const UnpackedWidths w4 = float_unpacked_widths(e4m3()), pw4 = product_widths(w4, w4);
  const FixedAccSpec fs = e4m3_fixed_spec();
  b.modules["fix4.v"] = fixed_accumulate_module("fix4", fs, pw4);
  b.body += wire(fs.width + 3, "fx") + inst("fix4", "u_fix4",
                                            {{"acc", "in1[" + std::to_string(fs.width + 2) + ":0]"},
                                             {"x", "p4"},
                                             {"acc_new", "fx"}});
  auto ops4 = [w4](uint64_t in0) {
    return std::pair{unpack_bus(field(in0, 0, w4.bus_bits()), w4),
                     unpack_bus(field(in0, 13, w4.bus_bits()), w4)};
  };
  b.slots.push_back({4, 0, 0, fs.width + 3, "fx", [ops4, fs](uint64_t i0, uint64_t i1) {
                       const auto [x, y] = ops4(i0);
                       const FixedAcc a = fixed_from_bus(fs, field(i1, 0, fs.width + 3));
                       return fixed_state_bus(fs, fixed_accumulate(fs, a, exact_product(x, y)));
                     }});
  // the new fixed state, converted: fixed_to_unpacked, then rounded to fp32 (out1[63:32])
  const UnpackedWidths fw = fixed_unpacked_widths(fs);
  b.modules["f2u.v"] = fixed_to_unpacked_module("f2u", fs);
  b.modules["rndf.v"] = fp_round_module("rndf", fp32_layout(), fw);
  b.modules["rndf_add.v"] = fp_accumulate_module("rndf_add", fp32_layout(), fw);
  b.body += wire(fw.bus_bits(), "fu") + inst("f2u", "u_f2u", {{"acc", "fx"}, {"u", "fu"}});
  b.body += wire(32, "rf") + inst("rndf", "u_rndf", {{"x", "fu"}, {"y", "rf"}});
  b.slots.push_back({4, 1, 32, 32, "rf", [ops4, fs](uint64_t i0, uint64_t i1) {
                       const auto [x, y] = ops4(i0);
                       const FixedAcc a = fixed_from_bus(fs, field(i1, 0, fs.width + 3));
                       return fixed_to_float(fp32_layout(), fs,
                                             fixed_accumulate(fs, a, exact_product(x, y)));
                     }});
  b.modules["rnd4.v"] = fp_round_module("rnd4", fp32_layout(), pw4);
  b.modules["rnd4_add.v"] = fp_accumulate_module("rnd4_add", fp32_layout(), pw4);
  b.body += wire(32, "r4") + inst("rnd4", "u_rnd4", {{"x", "p4"}, {"y", "r4"}});
  b.slots.push_back({4, 1, 0, 32, "r4", [ops4](uint64_t i0, uint64_t) {
                       const auto [x, y] = ops4(i0);
                       return round_to_float(fp32_layout(), exact_product(x, y));
                     }});
  // sel 5: fp32 accumulate of the E4M3 L-Mul product
  const UnpackedWidths lw4 = lmul_widths(w4, LmulOffset::Paper);
  b.modules["addl4.v"] = fp_accumulate_module("addl4", fp32_layout(), lw4);
  b.body += wire(32, "al4") +
            inst("addl4", "u_addl4", {{"acc", "in1[31:0]"}, {"x", "l4p"}, {"acc_new", "al4"}});
  b.slots.push_back({5, 0, 0, 32, "al4", [ops4](uint64_t i0, uint64_t i1) {
                       const auto [x, y] = ops4(i0);
                       return fp_accumulate(fp32_layout(), field(i1, 0, 32),
                                            lmul(x, y, 3, LmulOffset::Paper));
                     }});
  // sel 6, 7, 8: FP6 E3M2, FP6 E2M3, FP4 E2M1 products and one accumulate step into
  // fp32 (out1[31:0]), fp16 (out1[47:32]), bf16 (out0[63:48]); the product in out0
  for (size_t si = 0; si < small_layouts().size(); ++si) {
    const FpLayout& L = small_layouts()[si];
    const int sel = 6 + int(si);
    const UnpackedWidths w = float_unpacked_widths(L), pw = product_widths(w, w);
    const std::string t = L.name;
    b.modules["prod" + t + ".v"] = fp_product_module("prod" + t, w, w);
    b.body += wire(pw.bus_bits(), "p" + t) +
              inst("prod" + t, "u_p" + t,
                   {{"a", "in0[" + std::to_string(w.bus_bits() - 1) + ":0]"},
                    {"b", "in0[" + std::to_string(13 + w.bus_bits() - 1) + ":13]"},
                    {"p", "p" + t}});
    auto ops = [w](uint64_t in0) {
      return exact_product(unpack_bus(field(in0, 0, w.bus_bits()), w),
                           unpack_bus(field(in0, 13, w.bus_bits()), w));
    };
    b.slots.push_back({sel, 0, 0, pw.bus_bits(), "p" + t,
                       [ops, pw](uint64_t i0, uint64_t) { return pack_bus(ops(i0), pw); }});
    for (int ai = 0; ai < 3; ++ai) {
      const FpLayout& A = *accs[ai];
      const std::string m = "add" + t + "_" + A.name;
      const int acc_lo = ai == 0 ? 0 : (ai == 1 ? 32 : 48);
      b.modules[m + ".v"] = fp_accumulate_module(m, A, pw);
      b.body +=
          wire(A.bits(), "s" + m) + inst(m, "u_" + m,
                                         {{"acc", "in1[" + std::to_string(acc_lo + A.bits() - 1) +
                                                      ":" + std::to_string(acc_lo) + "]"},
                                          {"x", "p" + t},
                                          {"acc_new", "s" + m}});
      b.slots.push_back({sel, ai == 2 ? 0 : 1, acc_lo, A.bits(), "s" + m,
                         [ops, &A, acc_lo](uint64_t i0, uint64_t i1) {
                           return fp_accumulate(A, field(i1, acc_lo, A.bits()), ops(i0));
                         }});
    }
  }
  // sel 9: mixed operands, a = E4M3, b = E5M2: product and one accumulate step into
  // fp32 (out1[31:0]), fp16 (out1[47:32]), bf16 (out0[63:48])
  {
    const UnpackedWidths w5 = float_unpacked_widths(e5m2()), mw = product_widths(w4, w5);
    b.modules["prodmix.v"] = fp_product_module("prodmix", w4, w5);
    b.body += wire(mw.bus_bits(), "pmix") +
              inst("prodmix", "u_pmix",
                   {{"a", "in0[" + std::to_string(w4.bus_bits() - 1) + ":0]"},
                    {"b", "in0[" + std::to_string(13 + w5.bus_bits() - 1) + ":13]"},
                    {"p", "pmix"}});
    auto mix = [w4, w5](uint64_t in0) {
      return exact_product(unpack_bus(field(in0, 0, w4.bus_bits()), w4),
                           unpack_bus(field(in0, 13, w5.bus_bits()), w5));
    };
    b.slots.push_back({9, 0, 0, mw.bus_bits(), "pmix",
                       [mix, mw](uint64_t i0, uint64_t) { return pack_bus(mix(i0), mw); }});
    for (int ai = 0; ai < 3; ++ai) {
      const FpLayout& A = *accs[ai];
      const std::string m = "addmix_" + A.name;
      const int acc_lo = ai == 0 ? 0 : (ai == 1 ? 32 : 48);
      b.modules[m + ".v"] = fp_accumulate_module(m, A, mw);
      b.body +=
          wire(A.bits(), "s" + m) + inst(m, "u_" + m,
                                         {{"acc", "in1[" + std::to_string(acc_lo + A.bits() - 1) +
                                                      ":" + std::to_string(acc_lo) + "]"},
                                          {"x", "pmix"},
                                          {"acc_new", "s" + m}});
      b.slots.push_back({9, ai == 2 ? 0 : 1, acc_lo, A.bits(), "s" + m,
                         [mix, &A, acc_lo](uint64_t i0, uint64_t i1) {
                           return fp_accumulate(A, field(i1, acc_lo, A.bits()), mix(i0));
                         }});
    }
  }
  return b;
}

// Edge accumulator codes of f: zeros, subnormals, min normal, ones, the largest
// finite values, Inf, NaNs, and values near typical product magnitudes.
inline std::vector<uint64_t> edge_accs(const FpLayout& f) {
  const int M = f.man_bits, B = f.bits();
  const uint64_t S = uint64_t(1) << (B - 1), all = (uint64_t(1) << f.exp_bits) - 1;
  const uint64_t maxf = (all - 1) << M | ((uint64_t(1) << M) - 1);
  const uint64_t one = uint64_t(f.bias) << M;
  return {0,
          S,
          1,
          S | 1,
          (uint64_t(1) << M) - 1,
          uint64_t(1) << M,
          S | uint64_t(1) << M,
          one,
          S | one | uint64_t(1) << (M - 1),
          maxf,
          S | maxf,
          maxf - 1,
          all << M,
          S | all << M,
          canonical_nan(f),
          S | all << M | 1,
          uint64_t(f.bias + 3) << M | 5,     // ~ 8
          S | uint64_t(f.bias + 8) << M | 3, // ~ -256
          uint64_t(f.bias - 7) << M | 9,     // ~ 2^-7
          S | uint64_t(f.bias - 13) << M,    // -2^-13
          uint64_t(f.bias + 15) << M | (uint64_t(1) << M) - 1,
          S | uint64_t(std::max(f.bias - 20, 1)) << M | 1, // fp16: min normal + 1 ulp
          uint64_t(f.bias + 1) << M,                       // 4
          S | uint64_t(f.bias - 1) << M | 0x55};
}

// sel 2/3 vectors: every operand pair of the format with the first `n_acc` edge
// accumulator triples {bf16, fp16, fp32}.
inline void add_acc_vectors(std::vector<UnitVector>& v, int sel, const FpLayout& L, size_t n_acc) {
  const UnpackedWidths w = float_unpacked_widths(L);
  const auto a32 = edge_accs(fp32_layout()), a16 = edge_accs(fp16_layout()),
             ab = edge_accs(bf16_layout());
  for (size_t k = 0; k < std::min(n_acc, a32.size()); ++k) {
    const uint64_t in1 = a32[k] | a16[k] << 32 | ab[k] << 48;
    for (uint64_t x = 0; x < (uint64_t(1) << L.bits()); ++x)
      for (uint64_t y = 0; y < (uint64_t(1) << L.bits()); ++y)
        v.emplace_back(uint64_t(sel) << 60 | pack_bus(decode_float(L, y), w) << 13 |
                           pack_bus(decode_float(L, x), w),
                       in1);
  }
}

// sel 9 vectors: every (E4M3, E5M2) pair with the first n_acc edge accumulator triples.
inline void add_mixed_vectors(std::vector<UnitVector>& v, size_t n_acc) {
  const UnpackedWidths w4 = float_unpacked_widths(e4m3()), w5 = float_unpacked_widths(e5m2());
  const auto a32 = edge_accs(fp32_layout()), a16 = edge_accs(fp16_layout()),
             ab = edge_accs(bf16_layout());
  for (size_t k = 0; k < std::min(n_acc, a32.size()); ++k)
    for (uint64_t x = 0; x < 256; ++x)
      for (uint64_t y = 0; y < 256; ++y)
        v.emplace_back(uint64_t(9) << 60 | pack_bus(decode_float(e5m2(), y), w5) << 13 |
                           pack_bus(decode_float(e4m3(), x), w4),
                       a32[k] | a16[k] << 32 | ab[k] << 48);
}

inline std::vector<uint64_t> fixed_states() {
  const FixedAccSpec s = e4m3_fixed_spec();
  FixedAcc z, big, neg, flags;
  big.value = (__int128(1) << (s.width - 1)) - 5; // wraps on the next large product
  neg.value = -(__int128(1) << (s.width - 1));
  flags.value = 12345;
  flags.pos_inf = true;
  FixedAcc n2 = z;
  n2.nan = true;
  n2.value = -777;
  return {fixed_state_bus(s, z), fixed_state_bus(s, big), fixed_state_bus(s, neg),
          fixed_state_bus(s, flags), fixed_state_bus(s, n2)};
}

// Every E4M3 pair for sel 4 with the first n fixed states, and for sel 5 with the
// first n fp32 edge accumulators.
inline void add_fixed_lmul_vectors(std::vector<UnitVector>& v, size_t n) {
  const UnpackedWidths w = float_unpacked_widths(e4m3());
  const auto st = fixed_states();
  const auto a32 = edge_accs(fp32_layout());
  for (int sel : {4, 5}) {
    const auto& list = sel == 4 ? st : a32;
    for (size_t k = 0; k < std::min(n, list.size()); ++k)
      for (uint64_t x = 0; x < 256; ++x)
        for (uint64_t y = 0; y < 256; ++y)
          v.emplace_back(uint64_t(sel) << 60 | pack_bus(decode_float(e4m3(), y), w) << 13 |
                             pack_bus(decode_float(e4m3(), x), w),
                         list[k]);
  }
}

inline UnpackedWidths wide_widths() {
  return {40, 12};
}

inline Bundle fp16_bundle() {
  Bundle b;
  const UnpackedWidths wh = float_unpacked_widths(fp16_layout()),
                       wb = float_unpacked_widths(bf16_layout());
  const UnpackedWidths ph = product_widths(wh, wh), pb = product_widths(wb, wb);
  const std::string ah = "in0[20:0]", bh = "in0[41:21]";
  auto opsh = [wh](uint64_t in0) {
    return std::pair{unpack_bus(field(in0, 0, 21), wh), unpack_bus(field(in0, 21, 21), wh)};
  };
  auto opsb = [wb](uint64_t in0) {
    return std::pair{unpack_bus(field(in0, 0, 21), wb), unpack_bus(field(in0, 21, 21), wb)};
  };
  b.modules["prodh.v"] = fp_product_module("prodh", wh, wh);
  b.modules["prodb.v"] = fp_product_module("prodb", wb, wb);
  b.body += wire(ph.bus_bits(), "ph") + inst("prodh", "u_ph", {{"a", ah}, {"b", bh}, {"p", "ph"}});
  b.body += wire(pb.bus_bits(), "pb") + inst("prodb", "u_pb", {{"a", ah}, {"b", bh}, {"p", "pb"}});
  b.slots.push_back({0, 0, 0, ph.bus_bits(), "ph",
                     [opsh, ph](uint64_t i0, uint64_t) {
                       const auto [x, y] = opsh(i0);
                       return pack_bus(exact_product(x, y), ph);
                     },
                     0});
  b.slots.push_back({0, 0, 33, pb.bus_bits(), "pb",
                     [opsb, pb](uint64_t i0, uint64_t) {
                       const auto [x, y] = opsb(i0);
                       return pack_bus(exact_product(x, y), pb);
                     },
                     1});
  const LmulOffset offs[] = {LmulOffset::Paper, LmulOffset::Const4, LmulOffset::None};
  const char* on[] = {"p", "c", "n"};
  // (sel, word, off) of lh p, c, n and lb p, c, n
  const int place[6][3] = {{0, 1, 0}, {0, 1, 32}, {1, 0, 0}, {1, 0, 32}, {1, 1, 0}, {1, 1, 32}};
  for (int fi = 0; fi < 2; ++fi)
    for (int k = 0; k < 3; ++k) {
      const UnpackedWidths w = fi ? wb : wh, lw = lmul_widths(w, offs[k]);
      const std::string n = std::string("l") + (fi ? "b" : "h") + on[k];
      b.modules[n + ".v"] = lmul_module("m" + n, w, offs[k]);
      b.body += wire(lw.bus_bits(), n) + inst("m" + n, "u_" + n, {{"a", ah}, {"b", bh}, {"p", n}});
      const int* pl = place[fi * 3 + k];
      const LmulOffset o = offs[k];
      const int m = w.sig_bits - 1;
      b.slots.push_back({pl[0], pl[1], pl[2], lw.bus_bits(), n,
                         [w, lw, o, m](uint64_t i0, uint64_t) {
                           return pack_bus(lmul(unpack_bus(field(i0, 0, 21), w),
                                                unpack_bus(field(i0, 21, 21), w), m, o),
                                           lw);
                         },
                         fi});
    }
  // accumulators: {fp32 [31:0], fp16 [47:32], bf16 [63:48]} in in1
  struct Acc {
    std::string name, x;
    const FpLayout* f;
    UnpackedWidths xw;
    int sel, word, off;
    std::function<Unpacked(uint64_t)> value;
    int fmt;
  };
  const UnpackedWidths lhw = lmul_widths(wh, LmulOffset::Paper),
                       lbw = lmul_widths(wb, LmulOffset::Paper);
  auto prod_h = [opsh](uint64_t i0) {
    const auto [x, y] = opsh(i0);
    return exact_product(x, y);
  };
  auto prod_b = [opsb](uint64_t i0) {
    const auto [x, y] = opsb(i0);
    return exact_product(x, y);
  };
  auto lm_h = [opsh](uint64_t i0) {
    const auto [x, y] = opsh(i0);
    return lmul(x, y, 10, LmulOffset::Paper);
  };
  auto lm_b = [opsb](uint64_t i0) {
    const auto [x, y] = opsb(i0);
    return lmul(x, y, 7, LmulOffset::Paper);
  };
  const std::vector<Acc> list = {{"ah32", "ph", &fp32_layout(), ph, 2, 0, 0, prod_h, 0},
                                 {"ah16", "ph", &fp16_layout(), ph, 2, 0, 32, prod_h, 0},
                                 {"ab32", "pb", &fp32_layout(), pb, 2, 1, 0, prod_b, 1},
                                 {"abb", "pb", &bf16_layout(), pb, 2, 1, 32, prod_b, 1},
                                 {"alh32", "lhp", &fp32_layout(), lhw, 3, 0, 0, lm_h, 0},
                                 {"albb", "lbp", &bf16_layout(), lbw, 3, 0, 32, lm_b, 1}};
  for (const Acc& a : list) {
    const int lo = a.f == &fp32_layout() ? 0 : (a.f == &fp16_layout() ? 32 : 48);
    b.modules[a.name + ".v"] = fp_accumulate_module("m" + a.name, *a.f, a.xw);
    b.body +=
        wire(a.f->bits(), a.name) + inst("m" + a.name, "u_" + a.name,
                                         {{"acc", "in1[" + std::to_string(lo + a.f->bits() - 1) +
                                                      ":" + std::to_string(lo) + "]"},
                                          {"x", a.x},
                                          {"acc_new", a.name}});
    const FpLayout* f = a.f;
    const auto val = a.value;
    b.slots.push_back({a.sel, a.word, a.off, f->bits(), a.name,
                       [f, val, lo](uint64_t i0, uint64_t i1) {
                         return fp_accumulate(*f, field(i1, lo, f->bits()), val(i0));
                       },
                       a.fmt});
  }
  // sel 4: a wide exact addend (40-bit significand, as a block dot product) into fp32
  // (out0) and bf16 (out1): x = in0[55:0]
  const UnpackedWidths ww = wide_widths();
  for (const FpLayout* f : {&fp32_layout(), &bf16_layout()}) {
    const std::string n = "aw_" + f->name;
    const int lo = f == &fp32_layout() ? 0 : 48;
    b.modules[n + ".v"] = fp_accumulate_module("m" + n, *f, ww);
    b.body +=
        wire(f->bits(), n) +
        inst("m" + n, "u_" + n,
             {{"acc", "in1[" + std::to_string(lo + f->bits() - 1) + ":" + std::to_string(lo) + "]"},
              {"x", "in0[" + std::to_string(ww.bus_bits() - 1) + ":0]"},
              {"acc_new", n}});
    b.slots.push_back({4, lo ? 1 : 0, 0, f->bits(), n, [f, lo, ww](uint64_t i0, uint64_t i1) {
                         return fp_accumulate(*f, field(i1, lo, f->bits()),
                                              unpack_bus(field(i0, 0, ww.bus_bits()), ww));
                       }});
  }
  b.modules["rndh.v"] = fp_round_module("rndh", fp16_layout(), ph);
  b.modules["rndh_add.v"] = fp_accumulate_module("rndh_add", fp16_layout(), ph);
  b.modules["rndb.v"] = fp_round_module("rndb", bf16_layout(), pb);
  b.modules["rndb_add.v"] = fp_accumulate_module("rndb_add", bf16_layout(), pb);
  b.body += wire(16, "rh") + inst("rndh", "u_rndh", {{"x", "ph"}, {"y", "rh"}});
  b.body += wire(16, "rb") + inst("rndb", "u_rndb", {{"x", "pb"}, {"y", "rb"}});
  b.slots.push_back(
      {3, 1, 0, 16, "rh",
       [prod_h](uint64_t i0, uint64_t) { return round_to_float(fp16_layout(), prod_h(i0)); }, 0});
  b.slots.push_back(
      {3, 1, 32, 16, "rb",
       [prod_b](uint64_t i0, uint64_t) { return round_to_float(bf16_layout(), prod_b(i0)); }, 1});
  return b;
}

// Random fp16/bf16 vectors: random codes (a quarter from the special and edge
// codes), per selector, n each, plus every pair of the edge codes.
inline std::vector<UnitVector> fp16_vectors(uint64_t seed, int n) {
  Rng rng(seed);
  const UnpackedWidths wh = float_unpacked_widths(fp16_layout()),
                       wb = float_unpacked_widths(bf16_layout());
  const auto e32 = edge_accs(fp32_layout()), e16 = edge_accs(fp16_layout()),
             eb = edge_accs(bf16_layout());
  auto code = [&](bool bf) {
    const auto& e = bf ? eb : e16;
    return rng.uniform(0, 3) == 0 ? e[size_t(rng.uniform(0, int64_t(e.size()) - 1))]
                                  : uint64_t(rng.uniform(0, 0xFFFF));
  };
  auto acc = [&](const FpLayout& f, const std::vector<uint64_t>& e) {
    return rng.uniform(0, 2) == 0 ? e[size_t(rng.uniform(0, int64_t(e.size()) - 1))]
                                  : uint64_t(rng.uniform(0, (int64_t(1) << f.bits()) - 1));
  };
  std::vector<UnitVector> v;
  for (uint64_t sel = 0; sel < 4; ++sel)
    for (int i = 0; i < n; ++i) {
      // sel 2/3 use both formats' slots on the same buses: alternate the layout
      const bool bf = rng.uniform(0, 1);
      const UnpackedWidths w = bf ? wb : wh;
      const FpLayout& L = bf ? bf16_layout() : fp16_layout();
      const uint64_t in0 = sel << 60 | uint64_t(bf) << 59 |
                           pack_bus(decode_float(L, code(bf)), w) << 21 |
                           pack_bus(decode_float(L, code(bf)), w);
      v.emplace_back(in0, acc(fp32_layout(), e32) | acc(fp16_layout(), e16) << 32 |
                              acc(bf16_layout(), eb) << 48);
    }
  // sel 4: wide exact addends (contract: Finite has sig > 0; specials have sig = exp = 0)
  const UnpackedWidths ww = wide_widths();
  for (int i = 0; i < n; ++i) {
    Unpacked x;
    x.neg = rng.uniform(0, 1);
    const int64_t k = rng.uniform(0, 15);
    x.kind = k == 0 ? Unpacked::Kind::Zero
                    : (k == 1 ? Unpacked::Kind::Inf
                              : (k == 2 ? Unpacked::Kind::NaN : Unpacked::Kind::Finite));
    if (x.kind == Unpacked::Kind::Finite) {
      const int bits = int(rng.uniform(1, 40));
      x.sig = uint64_t(rng.uniform(0, (int64_t(1) << bits) - 1)) | uint64_t(1) << (bits - 1);
      x.exp = rng.uniform(0, 7) == 0 ? int(rng.uniform(-2048, 2047)) : int(rng.uniform(-200, 130));
    }
    v.emplace_back(uint64_t(4) << 60 | pack_bus(x, ww),
                   acc(fp32_layout(), e32) | acc(bf16_layout(), eb) << 48);
  }
  for (uint64_t sel = 0; sel < 4; ++sel)
    for (int bf = 0; bf < 2; ++bf) {
      const auto& e = bf ? eb : e16;
      const UnpackedWidths w = bf ? wb : wh;
      const FpLayout& L = bf ? bf16_layout() : fp16_layout();
      for (size_t i = 0; i < e.size(); ++i)
        for (size_t j = 0; j < e.size(); ++j) {
          const size_t k = (i * 7 + j) % e32.size();
          v.emplace_back(sel << 60 | uint64_t(bf) << 59 | pack_bus(decode_float(L, e[j]), w) << 21 |
                             pack_bus(decode_float(L, e[i]), w),
                         e32[k] | e16[k] << 32 | eb[k] << 48);
        }
    }
  return v;
}

} // namespace tpe::fptest
