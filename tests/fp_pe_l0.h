// L0 of the engines' PE datapath from operand codes (issue 13 item 6): the modules a
// PE really instantiates (rtl_gen/fp_pe_verilog.h fp_pe_modules: the two format
// decoders, the exact product or L-Mul, P_fadd and the ws/is accumulator stage
// P_fadd2) for one operand pairing (act and weight format, pe, lmul_offset), with
// every accumulator the architecture parser accepts for it (fp32, fp16, bf16, fixed;
// a refusal is counted with the parser's message), Verilated once as one unit and
// compared bit for bit with the C++ operators (pe_models/fp_arith.h, lmul.h) and,
// for every rounding step into fp32/fp16/bf16, with GNU MPFR (the exact sum, one
// round to nearest even at the target precision and exponent range).
//
// in0[63:61] selects:
//   0: in0[WA-1:0] = a (west code, WA bits), in0[WA+WB-1:WA] = b (north code, WB
//      bits); in1 = accumulator
//      codes {bf16 [63:48], fp16 [47:32], fp32 [31:0]}; out0 = the new codes in the
//      same places, out1 = the product bus;
//   1: codes as 0; in1 = the fixed state; out0 = the new fixed state, out1 = product;
//   2: P_fadd2 of fp32 (in0[31:0] + in1[31:0]) and fp16 (in0[47:32] + in1[47:32]);
//   3: P_fadd2 of bf16 (in0[15:0] + in1[63:48]) into out0[15:0];
//   4: P_fadd2 of fixed (in0[60:0] + in1) into out0 (when the state fits 61 bits);
//   5: two lanes (a0, b0, a1, b1 side by side from in0[0], WA, WB, WA, WB bits):
//      P_fdot's exact group sum (the cube / adder tree with depth 2), then P_fadd into
//      the float accumulators of in1 (out0 as in 0), for the accumulators whose
//      depth-2 group sum the parser accepts (up to 120 bits) and WA + WB <= 30;
//   6: as 5 into the fixed state in1.
#pragma once
#include "core/arch_config.h"
#include "core/error.h"
#include "formats_sweep.h"
#include "fp_rtl_bundles.h"
#include "pe_models/formats.h"
#include "rtl_gen/fp_pe_verilog.h"
#include <array>
#include <mpfr.h>
#include <set>

namespace tpe::pel0 {

using fptest::field;

// ---- GNU MPFR: RNE(acc + x) at the layout's precision and exponent range ----------

inline void mpfr_set_unpacked(mpfr_t m, const Unpacked& u) {
  switch (u.kind) {
  case Unpacked::Kind::NaN:
    mpfr_set_nan(m);
    return;
  case Unpacked::Kind::Inf:
    mpfr_set_inf(m, u.neg ? -1 : 1);
    return;
  case Unpacked::Kind::Zero:
    mpfr_set_zero(m, u.neg ? -1 : 1);
    return;
  case Unpacked::Kind::Finite:
    break;
  }
  mpfr_set_ui_2exp(m, static_cast<unsigned long>(u.sig), u.exp, MPFR_RNDN); // exact
  if (u.sig_hi) { // a group sum wider than 64 bits: m (4096 bits) holds it exactly
    mpfr_t hi;
    mpfr_init2(hi, 64);
    mpfr_set_ui_2exp(hi, static_cast<unsigned long>(u.sig_hi), u.exp + 64, MPFR_RNDN);
    mpfr_add(m, m, hi, MPFR_RNDN);
    mpfr_clear(hi);
  }
  if (u.neg) mpfr_neg(m, m, MPFR_RNDN);
}

// The code of r, already rounded to f (every value of f is a binary64).
inline uint64_t mpfr_code(const FpLayout& f, mpfr_t r) {
  if (mpfr_nan_p(r)) return canonical_nan(f);
  const bool neg = mpfr_signbit(r);
  if (mpfr_inf_p(r)) return inf_code(f, neg);
  const uint64_t sign = uint64_t(neg) << (f.bits() - 1);
  if (mpfr_zero_p(r)) return sign;
  const double v = std::fabs(mpfr_get_d(r, MPFR_RNDN));
  const int e = std::ilogb(v), M = f.man_bits;
  if (e >= f.emin())
    return sign | uint64_t(e + f.bias) << M | (uint64_t(std::ldexp(v, M - e)) - (uint64_t(1) << M));
  return sign | uint64_t(std::ldexp(v, M - f.emin()));
}

inline uint64_t mpfr_accumulate(const FpLayout& f, uint64_t acc, const Unpacked& x) {
  const mpfr_exp_t emin0 = mpfr_get_emin(), emax0 = mpfr_get_emax();
  mpfr_set_emin(mpfr_get_emin_min());
  mpfr_set_emax(mpfr_get_emax_max());
  mpfr_t a, b, s, r;
  mpfr_inits2(4096, a, b, s, static_cast<mpfr_ptr>(nullptr));
  mpfr_init2(r, f.precision());
  mpfr_set_unpacked(a, decode_float(f, acc));
  mpfr_set_unpacked(b, x);
  mpfr_add(s, a, b, MPFR_RNDN); // exact: 4096 bits hold every sum here
  int t = mpfr_set(r, s, MPFR_RNDN);
  mpfr_set_emin(f.emin() - f.man_bits + 1); // MPFR's significand is in [1/2, 1)
  mpfr_set_emax(f.emax() + 1);
  t = mpfr_check_range(r, t, MPFR_RNDN);
  mpfr_subnormalize(r, t, MPFR_RNDN);
  mpfr_set_emin(emin0);
  mpfr_set_emax(emax0);
  const uint64_t c = mpfr_code(f, r);
  mpfr_clears(a, b, s, r, static_cast<mpfr_ptr>(nullptr));
  return c;
}

// ---- one pairing ---------------------------------------------------------------

struct Pairing {
  std::string act, weight, pe = "mac", offset = "paper";
  std::string label() const {
    return act + (weight != act ? "_x_" + weight : "") + (pe == "lmul" ? "_lmul_" + offset : "");
  }
};

struct AccUnit {
  std::string acc; // fp32, fp16, bf16, fixed
  FpPeArith f;
  std::string P;           // module prefix
  bool group = false;      // the depth-2 group sum is built (modes 5 / 6)
  FixedAccSpec group_spec; // its exact sum
};

// The accumulators the parser accepts for the pairing (refusals in `refused`).
inline std::vector<AccUnit> accumulators(const Pairing& p, std::vector<std::string>& refused) {
  std::vector<AccUnit> out;
  for (const std::string acc : {"fp32", "fp16", "bf16", "fixed"}) {
    const std::string yaml =
        "name: l0\nengine: systolic\nrows: 1\ncols: 1\ndataflow: os\n" +
        (p.act == p.weight ? "format: " + p.act + "\n"
                           : "format: {act: " + p.act + ", weight: " + p.weight + "}\n") +
        "accumulate: " + acc + "\n" +
        (p.pe == "lmul" ? "pe: lmul\nlmul_offset: " + p.offset + "\n" : std::string());
    try {
      const ArchConfig a = parse_arch_text(yaml, p.label() + "_" + acc + ".yaml");
      AccUnit u;
      u.acc = acc;
      u.f = fp_pe_arith(a);
      u.P = "u" + acc;
      try { // depth 2 on a cube: the parser's own check
        parse_arch_text("name: l0\nengine: cube\nrows: 1\ncols: 1\ndepth: 2\n" +
                        yaml.substr(yaml.find("format:")));
        u.group = u.f.WW + u.f.WN <= 30;
        if (u.group) u.group_spec = group_sum_spec(u.f, 2);
      } catch (const InputError&) {
        u.group = false;
      }
      out.push_back(u);
    } catch (const InputError& e) {
      refused.push_back(e.what());
    }
  }
  return out;
}

// A `bits`-wide Verilog expression zero-extended to 64 bits (no zero-width
// replication when it is 64 bits already).
inline std::string zext64(const std::string& w, int bits) {
  return bits == 64 ? w : "{" + std::to_string(64 - bits) + "'b0, " + w + "}";
}

inline int acc_lo(const std::string& acc) {
  return acc == "fp16" ? 32 : (acc == "bf16" ? 48 : 0);
}

struct Unit {
  Pairing p;
  std::vector<std::string> refused; // before accs: filled while accs is built
  std::vector<AccUnit> accs;
  const FpPeArith* any = nullptr; // the product is the same in every unit
  const AccUnit* fixed = nullptr;
  bool group = false; // some accumulator has its depth-2 group sum
  std::map<std::string, std::string> modules;
  std::string wrapper;

  explicit Unit(const Pairing& pr) : p(pr), refused(), accs(accumulators(pr, refused)) {
    REQUIRE(!accs.empty());
    any = &accs.front().f;
    const int WA = any->WW, WB = any->WN, PB = any->prod_w.bus_bits();
    REQUIRE(WA + WB <= 61);
    REQUIRE(PB <= 64);
    auto rng = [](int w, int lo) {
      return "[" + std::to_string(lo + w - 1) + ":" + std::to_string(lo) + "]";
    };
    std::string body = "  wire [2:0] mode = in0[63:61];\n  wire [" + std::to_string(WA - 1) +
                       ":0] a = in0" + rng(WA, 0) + ";\n  wire [" + std::to_string(WB - 1) +
                       ":0] b = in0" + rng(WB, WA) + ";\n";
    std::string o0 = "64'b0", o2 = "64'b0", o3 = "64'b0", o4 = "64'b0", o1 = "64'b0", o5 = "64'b0",
                o6 = "64'b0";
    for (const AccUnit& u : accs) {
      for (const auto& [file, text] : fp_pe_modules(u.P, u.f, true, 0))
        modules[file] = text;
      const int A = u.f.A;
      const std::string in1 = u.f.fixed ? "in1" + rng(A, 0) : "in1" + rng(A, acc_lo(u.acc));
      body += "  wire [" + std::to_string(PB - 1) + ":0] p_" + u.acc + ";\n  " + u.P + "_fmul m_" +
              u.acc + " (.a(a), .b(b), .p(p_" + u.acc + "));\n";
      body += "  wire [" + std::to_string(A - 1) + ":0] n_" + u.acc + ";\n  " + u.P + "_fadd s_" +
              u.acc + " (.acc(" + in1 + "), .x(p_" + u.acc + "), .acc_new(n_" + u.acc + "));\n";
      std::string b2;
      if (u.acc == "fp32") b2 = "in0[31:0]";
      if (u.acc == "fp16") b2 = "in0[47:32]";
      if (u.acc == "bf16") b2 = "in0[15:0]";
      if (u.f.fixed && A <= 61) b2 = "in0" + rng(A, 0);
      if (!b2.empty())
        body += "  wire [" + std::to_string(A - 1) + ":0] y_" + u.acc + ";\n  " + u.P +
                "_fadd2 t_" + u.acc + " (.acc(" + in1 + "), .b(" + b2 + "), .y(y_" + u.acc +
                "));\n";
      auto put = [&](std::string& e, const std::string& w, int lo) {
        e += " | (" + zext64(w, A) + " << " + std::to_string(lo) + ")";
      };
      if (u.group) {
        group = true;
        const std::string G = "g" + u.acc;
        for (const auto& [file, text] : fp_pe_modules(G, u.f, false, 2))
          modules[file] = text;
        const int DB = dot_bus_widths(u.f, 2).bus_bits();
        const std::string ab = "{in0" + rng(WA, WA + WB) + ", in0" + rng(WA, 0) + "}";
        const std::string bb = "{in0" + rng(WB, 2 * WA + WB) + ", in0" + rng(WB, WA) + "}";
        body += "  wire [" + std::to_string(DB - 1) + ":0] d_" + u.acc + ";\n  " + G + "_fdot gd_" +
                u.acc + " (.a(" + ab + "), .b(" + bb + "), .d(d_" + u.acc + "));\n  wire [" +
                std::to_string(A - 1) + ":0] g_" + u.acc + ";\n  " + G + "_fadd gs_" + u.acc +
                " (.acc(" + in1 + "), .x(d_" + u.acc + "), .acc_new(g_" + u.acc + "));\n";
        put(u.f.fixed ? o6 : o5, "g_" + u.acc, u.f.fixed ? 0 : acc_lo(u.acc));
      }
      if (u.f.fixed) {
        fixed = &u;
        put(o1, "n_" + u.acc, 0);
        if (!b2.empty()) put(o4, "y_" + u.acc, 0);
      } else {
        put(o0, "n_" + u.acc, acc_lo(u.acc));
        if (u.acc != "bf16")
          put(o2, "y_" + u.acc, acc_lo(u.acc));
        else
          put(o3, "y_" + u.acc, 0);
      }
    }
    const std::string pw = zext64("p_" + accs.front().acc, PB);
    wrapper = "`timescale 1ns/1ps\nmodule unit_top(input clk, input [63:0] in0, input [63:0] in1, "
              "output [63:0] out0, output [63:0] out1);\n" +
              body + "  assign out0 = mode == 3'd0 ? (" + o0 + ") : mode == 3'd1 ? (" + o1 +
              ") : mode == 3'd2 ? (" + o2 + ") : mode == 3'd3 ? (" + o3 + ") : mode == 3'd4 ? (" +
              o4 + ") : mode == 3'd5 ? (" + o5 + ") : (" + o6 +
              ");\n  assign out1 = mode <= 3'd1 ? " + pw +
              " : 64'b0;\n  // verilator lint_off UNUSED\n  wire _unused = &{1'b0, clk, in0, "
              "in1};\n  // verilator lint_on UNUSED\nendmodule\n";
  }

  const FpLayout* layout(const std::string& acc) const {
    for (const AccUnit& u : accs)
      if (u.acc == acc && !u.f.fixed) return &u.f.layout;
    return nullptr;
  }

  Unpacked product(uint64_t a, uint64_t b) const {
    const Unpacked ua = any->west->decode(uint32_t(a)), ub = any->north->decode(uint32_t(b));
    return any->lmul ? lmul(ua, ub, any->west->unpacked_sig_bits() - 1, any->offset)
                     : exact_product(ua, ub);
  }
};

// The fixed state bus <-> FixedAcc.
inline FixedAcc fixed_of(const FixedAccSpec& s, uint64_t bus) {
  return fptest::fixed_from_bus(s, bus);
}

// Edge fixed states of a spec: zero, +-1 LSB, just below the wrap, the most
// negative value, each flag with a value beside it.
inline std::vector<uint64_t> fixed_edges(const FixedAccSpec& s) {
  std::vector<FixedAcc> v(9);
  v[1].value = 1;
  v[2].value = -1;
  v[3].value = (__int128(1) << (s.width - 1)) - 5;
  v[4].value = -(__int128(1) << (s.width - 1));
  v[5].value = 12345;
  v[5].pos_inf = true;
  v[6].value = -777;
  v[6].nan = true;
  v[7].neg_inf = true;
  v[7].value = 3;
  v[8].pos_inf = v[8].neg_inf = true;
  std::vector<uint64_t> out;
  for (const FixedAcc& a : v)
    out.push_back(fixed_state_bus(s, a));
  return out;
}

// Edge codes of a W-bit format: small magnitudes, the binade boundaries (every
// power of two and its neighbours), the largest finite values, both signs.
inline std::vector<uint64_t> edge_codes(const NumberFormat& f) {
  std::set<uint64_t> s;
  const uint64_t n = f.code_count(), half = n >> 1;
  auto add = [&](int64_t c) {
    if (c >= 0 && uint64_t(c) < n) {
      s.insert(uint64_t(c));
      s.insert(uint64_t(c) ^ half);
    }
  };
  for (int64_t c = 0; c < 4; ++c)
    add(c);
  for (int k = 1; k < f.bits; ++k)
    for (int d = -1; d <= 1; ++d)
      add((int64_t(1) << k) + d);
  for (int64_t c = int64_t(half) - 4; c < int64_t(half); ++c)
    add(c);
  add(f.max_code());
  add(int64_t(f.max_code()) - 1);
  add(int64_t(f.max_code()) + 1);
  return {s.begin(), s.end()};
}

struct Counts {
  int64_t vectors = 0, fields = 0, rtl_bad = 0, mpfr_steps = 0, mpfr_bad = 0;
};

// The vectors: every code pair (exhaustive when 2W <= 16, else `random_pairs` random
// pairs plus every pair of edge codes) with the first `n_acc` float edge triples and
// `n_fixed` fixed edge states; the accumulator stage on every pair of the first
// `n_stage` edge accumulators plus `random_stage` random pairs; `group_quads` random
// two-lane group sums plus edge ones (mode 5 / 6, when built). Runs them and
// compares; with `mpfr` every float rounding step is also checked against MPFR.
inline Counts run_unit_check(const Unit& u, uint64_t seed, size_t n_acc, size_t n_fixed,
                             int64_t random_pairs, size_t n_stage, int64_t random_stage,
                             int64_t group_quads, bool mpfr) {
  Rng rng(seed);
  const int WA = u.any->WW, WB = u.any->WN; // west and north code bits
  const NumberFormat& fa = *u.any->west;
  const NumberFormat& fb = *u.any->north;
  std::vector<std::pair<uint64_t, uint64_t>> pairs;
  if (WA + WB <= 16) {
    for (uint64_t a = 0; a < fa.code_count(); ++a)
      for (uint64_t b = 0; b < fb.code_count(); ++b)
        pairs.emplace_back(a, b);
  } else {
    for (uint64_t a : edge_codes(fa))
      for (uint64_t b : edge_codes(fb))
        pairs.emplace_back(a, b);
    for (int64_t i = 0; i < random_pairs; ++i)
      pairs.emplace_back(uint64_t(rng.uniform(0, fa.code_count() - 1)),
                         uint64_t(rng.uniform(0, fb.code_count() - 1)));
  }
  // the edge sets, each code masked to its width (never spilling into the next field)
  auto masked = [](const FpLayout& f) {
    std::vector<uint64_t> e = fptest::edge_accs(f);
    for (uint64_t& c : e)
      c &= (uint64_t(1) << f.bits()) - 1;
    return e;
  };
  const auto e32 = masked(fp32_layout()), e16 = masked(fp16_layout()), eb = masked(bf16_layout());
  const std::vector<uint64_t> fx =
      u.fixed ? fixed_edges(u.fixed->f.acc_spec) : std::vector<uint64_t>{};
  std::vector<UnitVector> v;
  for (const auto& [a, b] : pairs) {
    const uint64_t codes = b << WA | a;
    for (size_t k = 0; k < std::min(n_acc, e32.size()); ++k)
      v.emplace_back(codes, e32[k] | e16[k] << 32 | eb[k] << 48);
    for (size_t k = 0; k < std::min(n_fixed, fx.size()); ++k)
      v.emplace_back(uint64_t(1) << 61 | codes, fx[k]);
  }
  // the accumulator stage
  auto stage = [&](uint64_t b32, uint64_t b16, uint64_t bb, uint64_t a32, uint64_t a16,
                   uint64_t ab) {
    v.emplace_back(uint64_t(2) << 61 | b16 << 32 | b32, a32 | a16 << 32 | ab << 48);
    v.emplace_back(uint64_t(3) << 61 | bb, a32 | a16 << 32 | ab << 48);
  };
  const size_t ns = std::min(n_stage, e32.size());
  for (size_t i = 0; i < ns; ++i)
    for (size_t j = 0; j < ns; ++j)
      stage(e32[i], e16[i], eb[i], e32[j], e16[j], eb[j]);
  for (int64_t i = 0; i < random_stage; ++i) {
    auto r = [&](int bits) { return uint64_t(rng.uniform(0, (int64_t(1) << bits) - 1)); };
    stage(r(32), r(16), r(16), r(32), r(16), r(16));
  }
  const bool fixed_stage = u.fixed && u.fixed->f.A <= 61;
  if (fixed_stage) {
    const int A = u.fixed->f.A;
    for (uint64_t x : fx)
      for (uint64_t y : fx)
        v.emplace_back(uint64_t(4) << 61 | x, y);
    for (int64_t i = 0; i < random_stage; ++i) {
      const uint64_t m = (uint64_t(1) << (A - 3)) - 1;
      v.emplace_back(uint64_t(4) << 61 | (uint64_t(rng.uniform(0, int64_t(m))) & m),
                     uint64_t(rng.uniform(0, int64_t(m))) & m);
    }
  }
  // two-lane group sums: random quadruples, half of them with lane 1 cancelling lane 0
  // (the sign flipped, or the integer negated: an exact zero sum), and edge pairs
  if (u.group) {
    const uint64_t mask = (uint64_t(1) << WA) - 1, half = uint64_t(1) << (WA - 1);
    auto neg = [&](uint64_t c) {
      return fa.kind == FormatKind::Integer ? (~c + 1) & mask : c ^ half;
    };
    std::vector<std::array<uint64_t, 4>> quads;
    for (int64_t i = 0; i < group_quads; ++i) {
      const uint64_t a0 = uint64_t(rng.uniform(0, fa.code_count() - 1)),
                     b0 = uint64_t(rng.uniform(0, fb.code_count() - 1));
      uint64_t a1 = uint64_t(rng.uniform(0, fa.code_count() - 1)),
               b1 = uint64_t(rng.uniform(0, fb.code_count() - 1));
      if (i % 2) {
        a1 = neg(a0);
        b1 = b0;
      }
      quads.push_back({a0, b0, a1, b1});
    }
    const auto ea = edge_codes(fa), eb2 = edge_codes(fb);
    for (size_t i = 0; i < ea.size(); ++i)
      for (size_t j = 0; j < eb2.size(); ++j)
        quads.push_back(
            {ea[i], eb2[j], ea[(i * 7 + j) % ea.size()], eb2[(j * 5 + i) % eb2.size()]});
    for (const auto& q : quads) {
      const uint64_t codes = q[3] << (2 * WA + WB) | q[2] << (WA + WB) | q[1] << WA | q[0];
      const size_t k = size_t(rng.uniform(0, int64_t(e32.size()) - 1));
      v.emplace_back(uint64_t(5) << 61 | codes, e32[k] | e16[k] << 32 | eb[k] << 48);
      if (!fx.empty())
        v.emplace_back(uint64_t(6) << 61 | codes,
                       fx[size_t(rng.uniform(0, int64_t(fx.size()) - 1))]);
    }
  }
  const std::vector<UnitVector> out = run_unit(u.modules, u.wrapper, v, "L0 " + u.p.label());
  Counts c;
  c.vectors = int64_t(v.size());
  auto cmp = [&](uint64_t got, uint64_t want, const std::string& what, const UnitVector& in) {
    ++c.fields;
    if (got != want && c.rtl_bad++ < 8)
      UNSCOPED_INFO(u.p.label() << " " << what << ": in0 " << std::hex << in.first << " in1 "
                                << in.second << ": RTL " << got << " model " << want);
  };
  auto check_mpfr = [&](const FpLayout& f, uint64_t acc, const Unpacked& x, uint64_t model,
                        const std::string& what) {
    if (!mpfr) return;
    ++c.mpfr_steps;
    const uint64_t want = mpfr_accumulate(f, acc, x);
    if (want != model && c.mpfr_bad++ < 8)
      UNSCOPED_INFO(u.p.label() << " " << what << " vs MPFR: acc " << std::hex << acc << ": model "
                                << model << " MPFR " << want);
  };
  for (size_t i = 0; i < v.size(); ++i) {
    const uint64_t in0 = v[i].first, in1 = v[i].second;
    const int mode = int(in0 >> 61);
    if (mode >= 5) {
      for (const AccUnit& a : u.accs) {
        if (!a.group || a.f.fixed != (mode == 6)) continue;
        FixedAcc g;
        g = fixed_accumulate(a.group_spec, g, u.product(field(in0, 0, WA), field(in0, WA, WB)));
        g = fixed_accumulate(a.group_spec, g,
                             u.product(field(in0, WA + WB, WA), field(in0, 2 * WA + WB, WB)));
        const Unpacked d = fixed_to_unpacked(a.group_spec, g);
        if (a.f.fixed) {
          const FixedAccSpec& s = a.f.acc_spec;
          cmp(field(out[i].first, 0, a.f.A),
              fixed_state_bus(s, fixed_accumulate(s, fixed_of(s, in1), d)), "fixed group", v[i]);
          continue;
        }
        const uint64_t acc = field(in1, acc_lo(a.acc), a.f.A);
        const uint64_t m = fp_accumulate(a.f.layout, acc, d);
        cmp(field(out[i].first, acc_lo(a.acc), a.f.A), m, a.acc + " group", v[i]);
        check_mpfr(a.f.layout, acc, d, m, a.acc + " group");
      }
    } else if (mode <= 1) {
      const Unpacked p = u.product(field(in0, 0, WA), field(in0, WA, WB));
      cmp(out[i].second, pack_bus(p, u.any->prod_w), "product", v[i]);
      for (const AccUnit& a : u.accs) {
        if (a.f.fixed != (mode == 1)) continue;
        if (a.f.fixed) {
          const FixedAccSpec& s = a.f.acc_spec;
          cmp(field(out[i].first, 0, a.f.A),
              fixed_state_bus(s, fixed_accumulate(s, fixed_of(s, in1), p)), "fixed step", v[i]);
          continue;
        }
        const uint64_t acc = field(in1, acc_lo(a.acc), a.f.A);
        const uint64_t m = fp_accumulate(a.f.layout, acc, p);
        cmp(field(out[i].first, acc_lo(a.acc), a.f.A), m, a.acc + " step", v[i]);
        check_mpfr(a.f.layout, acc, p, m, a.acc + " step");
      }
    } else {
      for (const AccUnit& a : u.accs) {
        if (a.f.fixed != (mode == 4)) continue;
        if (a.f.fixed) {
          const FixedAccSpec& s = a.f.acc_spec;
          const FixedAcc b = fixed_of(s, field(in0, 0, a.f.A));
          cmp(field(out[i].first, 0, a.f.A),
              fixed_state_bus(s, fixed_accumulate(s, fixed_of(s, in1), fixed_to_unpacked(s, b))),
              "fixed stage", v[i]);
          continue;
        }
        if ((mode == 3) != (a.acc == "bf16")) continue;
        const uint64_t acc = field(in1, acc_lo(a.acc), a.f.A);
        const uint64_t b = field(in0, a.acc == "fp16" ? 32 : 0, a.f.A);
        const Unpacked ub = decode_float(a.f.layout, b);
        const uint64_t m = fp_accumulate(a.f.layout, acc, ub);
        cmp(field(out[i].first, mode == 3 ? 0 : acc_lo(a.acc), a.f.A), m, a.acc + " stage", v[i]);
        check_mpfr(a.f.layout, acc, ub, m, a.acc + " stage");
      }
    }
  }
  std::cerr << "L0 " << u.p.label() << " (accumulators:";
  for (const AccUnit& a : u.accs)
    std::cerr << " " << a.acc << (a.group ? "+group2" : "");
  std::cerr << "; refused " << u.refused.size()
            << (fixed_stage || !u.fixed ? "" : "; fixed stage state > 61 bits: not driven")
            << "): " << c.vectors << " vectors, " << c.fields << " fields, " << c.rtl_bad
            << " RTL mismatches, " << c.mpfr_steps << " MPFR steps, " << c.mpfr_bad
            << " MPFR mismatches, seed " << seed << "\n";
  for (const std::string& r : u.refused)
    std::cerr << "  refused: " << r << "\n";
  return c;
}

// Every pairing of the formats the engines take: each format alone (pe mac), L-Mul
// on each of its formats with each offset, every ordered mixed pair of one code
// width, and the pairs of two widths of the formats sweep (sweep::mixed_width_pairs).
// `max_bits`: only formats up to that width. Block-scaled formats are left out: their
// PE adds a scaled block sum, not a product (P_bprod), proven by the block engines'
// RTL tests (tests/test_block_engines_rtl.cpp, full_block_engines_rtl.cpp) and the
// formats sweep, not by this unit.
inline std::vector<Pairing> all_pairings(const std::vector<std::string>& all, int max_bits) {
  std::vector<std::string> formats;
  for (const auto& f : all)
    if (!lookup_number_format(f).is_block()) formats.push_back(f);
  std::vector<Pairing> out;
  auto bits = [](const std::string& f) { return lookup_format(f).bits; };
  for (const auto& f : formats)
    if (bits(f) <= max_bits) out.push_back({f, f, "mac", "paper"});
  for (const auto& f : {"fp8_e4m3", "fp8_e5m2", "bf16", "fp16"})
    if (bits(f) <= max_bits)
      for (const auto& o : {"paper", "const4", "none"})
        out.push_back({f, f, "lmul", o});
  for (const auto& a : formats)
    for (const auto& w : formats)
      if (a != w && bits(a) == bits(w) && bits(a) <= max_bits)
        out.push_back({a, w, "mac", "paper"});
  for (const auto& [a, w] : sweep::mixed_width_pairs(formats))
    if (bits(a) <= max_bits && bits(w) <= max_bits) out.push_back({a, w, "mac", "paper"});
  return out;
}

} // namespace tpe::pel0
