// Emitters of the FP operators' Verilog. Each module mirrors its emulator step by
// step (the algorithm comments of pe_models/fp_arith.cpp and pe_models/lmul.cpp):
// exponents are IE-bit two's-complement wires (IE wide enough that no sum or
// difference wraps), compared with $signed; leading-zero counts are log-depth
// trees; shifts by a variable amount are clamped so that an amount beyond the
// word gives 0 (and the sticky of everything).
#include "rtl_gen/fp_arith_verilog.h"
#include <algorithm>
#include <stdexcept>

namespace tpe {

namespace {

std::string num(int64_t v) {
  return std::to_string(v);
}

int bitlen(int64_t v) {
  int n = 0;
  while (v > 0) {
    ++n;
    v >>= 1;
  }
  return n;
}

// W-bit constant with the two's-complement bits of v.
std::string cst(int W, int64_t v) {
  const uint64_t m = W >= 64 ? ~uint64_t(0) : (uint64_t(1) << W) - 1;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(uint64_t(v) & m));
  return num(W) + "'h" + buf;
}

std::string range(int W) {
  return "[" + num(W - 1) + ":0]";
}

// Sign- or zero-extension of an n-bit wire to W >= n bits.
std::string sext(const std::string& v, int n, int W) {
  if (W == n) return v;
  return "{{" + num(W - n) + "{" + v + "[" + num(n - 1) + "]}}, " + v + "}";
}
std::string zext(const std::string& v, int n, int W) {
  if (W == n) return v;
  return "{" + num(W - n) + "'b0, " + v + "}";
}

// Appends `wire [LW-1:0] out` = the leading zeros of the n-bit vector v (n when v == 0),
// LW = bitlen(n), as a log-depth tree: v padded with ones below to P = 2^LW bits
// (P > n, so a one is always found), then pairs of groups combined level by level:
// zero = zero_hi & zero_lo, count = zero_hi ? {1, count_lo} : {0, count_hi}.
void lzc(std::string& s, const std::string& out, const std::string& v, int n) {
  const int k = bitlen(n), P = 1 << k;
  const std::string pv = out + "_pv";
  s += "  wire " + range(P) + " " + pv + " = {" + v + ", {" + num(P - n) + "{1'b1}}};\n";
  auto z = [&](int j, int i) { return out + "_z" + num(j) + "_" + num(i); };
  auto c = [&](int j, int i) { return out + "_c" + num(j) + "_" + num(i); };
  for (int i = 0; i < P / 2; ++i) {
    const std::string hi = pv + "[" + num(2 * i + 1) + "]", lo = pv + "[" + num(2 * i) + "]";
    s += "  wire " + z(1, i) + " = ~(" + hi + " | " + lo + ");\n";
    s += "  wire " + c(1, i) + " = ~" + hi + ";\n";
  }
  for (int j = 2; j <= k; ++j)
    for (int i = 0; i < (P >> j); ++i) {
      const std::string zh = z(j - 1, 2 * i + 1), zl = z(j - 1, 2 * i);
      s += "  wire " + z(j, i) + " = " + zh + " & " + zl + ";\n";
      s += "  wire " + range(j) + " " + c(j, i) + " = " + zh + " ? {1'b1, " + c(j - 1, 2 * i) +
           "} : {1'b0, " + c(j - 1, 2 * i + 1) + "};\n";
    }
  s += "  wire " + range(k) + " " + out + " = " + c(k, 0) + ";\n";
  s += "  // verilator lint_off UNUSED\n  wire " + out + "_unused = " + z(k, 0) +
       ";\n  // verilator lint_on UNUSED\n";
}

// Wires <p>_nan, _inf, _zero, _neg, _exp [EW], _sig [SW] of the bus `bus`.
std::string bus_fields(const std::string& p, const std::string& bus, UnpackedWidths w) {
  const int SW = w.sig_bits, EW = w.exp_bits, B = w.bus_bits();
  std::string s;
  s += "  wire " + p + "_nan = " + bus + "[" + num(B - 1) + "];\n";
  s += "  wire " + p + "_inf = " + bus + "[" + num(B - 2) + "];\n";
  s += "  wire " + p + "_zero = " + bus + "[" + num(B - 3) + "];\n";
  s += "  wire " + p + "_neg = " + bus + "[" + num(B - 4) + "];\n";
  s += "  wire " + range(EW) + " " + p + "_exp = " + bus + "[" + num(SW + EW - 1) + ":" + num(SW) +
       "];\n";
  s += "  wire " + range(SW) + " " + p + "_sig = " + bus + "[" + num(SW - 1) + ":0];\n";
  s += "  wire " + p + "_fin = ~" + p + "_nan & ~" + p + "_inf & ~" + p + "_zero;\n";
  return s;
}

std::string unused(const std::string& name, const std::string& bits) {
  return "  // verilator lint_off UNUSED\n  wire " + name + " = &{1'b0, " + bits +
         "};\n  // verilator lint_on UNUSED\n";
}

// Output flags and sign of a product-like operator (exact product, L-Mul).
std::string product_flags() {
  return "  wire nan = a_nan | b_nan | (a_inf & b_zero) | (a_zero & b_inf);\n"
         "  wire inf = ~nan & (a_inf | b_inf);\n"
         "  wire zero = ~nan & ~inf & (a_zero | b_zero);\n"
         "  wire fin = a_fin & b_fin;\n"
         "  wire neg = ~nan & (a_neg ^ b_neg);\n";
}

} // namespace

std::string fp_product_module(const std::string& name, UnpackedWidths a, UnpackedWidths b) {
  const UnpackedWidths p = product_widths(a, b);
  std::string s = "`timescale 1ns/1ps\n// Exact product of two Unpacked operands "
                  "(pe_models/fp_arith.h exact_product).\n"
                  "module " +
                  name + "(input " + range(a.bus_bits()) + " a, input " + range(b.bus_bits()) +
                  " b, output " + range(p.bus_bits()) + " p);\n";
  s += bus_fields("a", "a", a) + bus_fields("b", "b", b) + product_flags();
  s += "  wire " + range(p.sig_bits) + " sig = fin ? " + zext("a_sig", a.sig_bits, p.sig_bits) +
       " * " + zext("b_sig", b.sig_bits, p.sig_bits) + " : " + cst(p.sig_bits, 0) + ";\n";
  s += "  wire " + range(p.exp_bits) + " exp = fin ? " + sext("a_exp", a.exp_bits, p.exp_bits) +
       " + " + sext("b_exp", b.exp_bits, p.exp_bits) + " : " + cst(p.exp_bits, 0) + ";\n";
  s += "  assign p = {nan, inf, zero, neg, exp, sig};\nendmodule\n";
  return s;
}

std::string lmul_module(const std::string& name, UnpackedWidths a, LmulOffset o) {
  const int m = a.sig_bits - 1;
  const int F = lmul_frac_bits(m, o);
  const UnpackedWidths r = lmul_widths(a, o);
  const int EO = r.exp_bits + 1, LW = bitlen(m + 1);
  std::string s = "`timescale 1ns/1ps\n// L-Mul, integer-add form, offset " +
                  std::string(lmul_offset_name(o)) +
                  " (pe_models/lmul.h): normalize each operand (leading-zero count),\n"
                  "// add the m-bit fractions and the offset on F = " +
                  num(F) +
                  " bits, a carry increments the exponent.\n"
                  "module " +
                  name + "(input " + range(a.bus_bits()) + " a, input " + range(a.bus_bits()) +
                  " b, output " + range(r.bus_bits()) + " p);\n";
  s += bus_fields("a", "a", a) + bus_fields("b", "b", a) + product_flags();
  std::string unused_bits;
  for (const std::string x : {"a", "b"}) {
    lzc(s, x + "_lz", x + "_sig", m + 1);
    s += "  wire " + range(m + 1) + " " + x + "_n = " + x + "_sig << " + x + "_lz;\n";
    s += "  wire " + range(EO) + " " + x + "_e = " + sext(x + "_exp", a.exp_bits, EO) + " + " +
         cst(EO, m) + " - " + zext(x + "_lz", LW, EO) + ";\n";
    s += "  wire " + range(F + 2) + " " + x + "_f = {2'b0, " + x + "_n[" + num(m - 1) + ":0]" +
         (F > m ? ", " + num(F - m) + "'b0" : std::string()) + "};\n";
    unused_bits += ", " + x + "_n[" + num(m) + "]";
  }
  s += "  wire " + range(F + 2) + " s = a_f + b_f + " + cst(F + 2, lmul_offset_units(m, o)) + ";\n";
  s += "  wire " + range(EO) + " e = a_e + b_e + " +
       zext("s[" + num(F + 1) + ":" + num(F) + "]", 2, EO) + " - " + cst(EO, F) + ";\n";
  s += "  wire " + range(r.exp_bits) + " exp = fin ? e[" + num(r.exp_bits - 1) +
       ":0] : " + cst(r.exp_bits, 0) + ";\n";
  s += "  wire " + range(r.sig_bits) + " sig = fin ? {1'b1, s[" + num(F - 1) +
       ":0]} : " + cst(r.sig_bits, 0) + ";\n";
  s += unused("_unused", "e[" + num(EO - 1) + "]" + unused_bits);
  s += "  assign p = {nan, inf, zero, neg, exp, sig};\nendmodule\n";
  return s;
}

std::string fp_accumulate_module(const std::string& name, const FpLayout& f, UnpackedWidths x) {
  if (f.specials != FpLayout::Specials::Ieee)
    throw std::invalid_argument("fp_accumulate_module: " + f.name + " has no IEEE specials");
  const int E = f.exp_bits, M = f.man_bits, p = M + 1, FB = f.bits();
  const int SW = x.sig_bits, EW = x.exp_bits;
  const int Wm = std::max(p, SW), W = Wm + 4;
  const int IE = std::max(EW, E + 1) + bitlen(W) + 3;
  const int LA = bitlen(p), LX = bitlen(SW), LS = bitlen(W);
  const int RW = bitlen(W + 1); // clamped right-shift amount 0..W+1
  auto ie = [&](int64_t v) { return cst(IE, v); };
  auto sg = [](const std::string& v) { return "$signed(" + v + ")"; };
  std::string s = "`timescale 1ns/1ps\n// acc_new = RNE(acc + x) in " + f.name +
                  " (pe_models/fp_arith.h fp_accumulate): IEEE 754 round to nearest even,\n"
                  "// subnormals kept, overflow to Inf, canonical NaN " +
                  cst(FB, int64_t(canonical_nan(f))) + ".\nmodule " + name + "(input " + range(FB) +
                  " acc, input " + range(x.bus_bits()) + " x, output " + range(FB) + " acc_new);\n";
  // decode the accumulator
  s += "  wire a_neg = acc[" + num(FB - 1) + "];\n";
  s += "  wire " + range(E) + " a_ef = acc[" + num(FB - 2) + ":" + num(M) + "];\n";
  s += "  wire " + range(M) + " a_man = acc[" + num(M - 1) + ":0];\n";
  s += "  wire a_top = &a_ef, a_ez = ~|a_ef;\n";
  s += "  wire a_nan = a_top & |a_man, a_inf = a_top & ~|a_man, a_zero = a_ez & ~|a_man;\n";
  s += "  wire a_fin = ~a_top & ~a_zero;\n";
  s += "  wire " + range(p) + " a_sig = {~a_ez, a_man};\n";
  s += "  wire " + range(IE) + " a_exp = " + zext("(a_ez ? " + cst(E, 1) + " : a_ef)", E, IE) +
       " - " + ie(f.bias + M) + ";\n";
  s += bus_fields("x", "x", x);
  // step 2: normalize, compare
  lzc(s, "a_lz", "a_sig", p);
  lzc(s, "x_lz", "x_sig", SW);
  const std::string a_pad = Wm > p ? "{a_sig, " + num(Wm - p) + "'b0}" : "a_sig";
  const std::string x_pad = Wm > SW ? "{x_sig, " + num(Wm - SW) + "'b0}" : "x_sig";
  s += "  wire " + range(Wm) + " a_n = " + a_pad + " << a_lz;\n";
  s += "  wire " + range(Wm) + " x_n = " + x_pad + " << x_lz;\n";
  s += "  wire " + range(IE) + " ta = a_exp + " + ie(p - 1) + " - " + zext("a_lz", LA, IE) + ";\n";
  s += "  wire " + range(IE) + " tx = " + sext("x_exp", EW, IE) + " + " + ie(SW - 1) + " - " +
       zext("x_lz", LX, IE) + ";\n";
  s += "  wire a_big = ~x_fin | (a_fin & (" + sg("ta") + " > " + sg("tx") +
       " | (ta == tx & a_n >= x_n)));\n";
  s += "  wire " + range(Wm) + " big = a_big ? a_n : x_n;\n";
  s += "  wire " + range(Wm) + " sml = a_big ? (x_fin ? x_n : " + cst(Wm, 0) +
       ") : (a_fin ? a_n : " + cst(Wm, 0) + ");\n";
  s += "  wire " + range(IE) + " tb = a_big ? ta : tx;\n";
  s += "  wire " + range(IE) + " d = a_big ? ta - tx : tx - ta;\n";
  s += "  wire big_neg = a_big ? a_neg : x_neg;\n";
  // step 3: align with sticky
  s += "  wire far = " + sg("d") + " < " + sg(ie(0)) + " | " + sg("d") + " >= " + sg(ie(Wm + 3)) +
       ";\n";
  s += "  wire " + range(LS) + " d_lo = d[" + num(LS - 1) + ":0];\n";
  s += "  wire " + range(W) + " B = {1'b0, big, 3'b0};\n";
  s += "  wire " + range(W) + " S0 = {1'b0, sml, 3'b0};\n";
  s += "  wire " + range(W) + " S_sh = (S0 >> d_lo) | " +
       zext("|(S0 & ~({" + num(W) + "{1'b1}} << d_lo))", 1, W) + ";\n";
  s += "  wire " + range(W) + " S = far ? " + zext("|S0", 1, W) + " : S_sh;\n";
  // step 4: add
  s += "  wire eff_sub = a_neg ^ x_neg;\n";
  s += "  wire " + range(W) + " sum = eff_sub ? B - S : B + S;\n";
  // step 5: round
  lzc(s, "n", "sum", W);
  s += "  wire " + range(IE) + " top = tb + " + ie(1) + " - " + zext("n", LS, IE) + ";\n";
  s += "  wire " + range(IE) + " base = tb - " + ie(Wm + 2) + ";\n";
  s += "  wire " + range(IE) + " e_norm = top - " + ie(p - 1) + ";\n";
  s += "  wire " + range(IE) + " e_lsb = " + sg("e_norm") + " > " + sg(ie(f.emin() - M)) +
       " ? e_norm : " + ie(f.emin() - M) + ";\n";
  s += "  wire " + range(IE) + " r = e_lsb - base;\n";
  s += "  wire r_pos = " + sg("r") + " > " + sg(ie(0)) + ";\n";
  s += "  wire " + range(RW) + " rr = " + sg("r") + " > " + sg(ie(W + 1)) + " ? " + cst(RW, W + 1) +
       " : (r_pos ? r[" + num(RW - 1) + ":0] : " + cst(RW, 1) + ");\n";
  s += "  wire " + range(RW) + " rl = r_pos ? " + cst(RW, 0) + " : " + "(" + cst(RW, 0) + " - r[" +
       num(RW - 1) + ":0]);\n";
  s += "  wire " + range(RW) + " rr1 = rr - " + cst(RW, 1) + ";\n";
  s += "  wire " + range(W) + " q_r = sum >> rr;\n";
  s += "  wire " + range(W) + " q_l = sum << rl;\n";
  s += "  wire " + range(W) + " g_w = sum >> rr1;\n";
  s += "  wire guard = r_pos & g_w[0];\n";
  s += "  wire sticky = |(sum & ~({" + num(W) + "{1'b1}} << rr1));\n";
  s += "  wire " + range(p + 1) + " q = r_pos ? q_r[" + num(p) + ":0] : q_l[" + num(p) + ":0];\n";
  s +=
      "  wire " + range(p + 1) + " qr = q + " + zext("(guard & (sticky | q[0]))", 1, p + 1) + ";\n";
  s += "  wire " + range(M + 1) + " sig_f = qr[" + num(p) + "] ? qr[" + num(p) + ":1] : qr[" +
       num(p - 1) + ":0];\n";
  s += "  wire " + range(IE) + " e_fin = e_lsb + " + zext("qr[" + num(p) + "]", 1, IE) + ";\n";
  s += "  wire " + range(IE) + " ef = e_fin + " + ie(M + f.bias) + ";\n";
  s += "  wire ovf = sig_f[" + num(M) + "] & " + sg("ef") + " >= " + sg(ie((1 << E) - 1)) + ";\n";
  s += "  wire " + range(FB) + " rounded = ovf ? {big_neg, {" + num(E) + "{1'b1}}, " + cst(M, 0) +
       "} : {big_neg, sig_f[" + num(M) + "] ? ef[" + num(E - 1) + ":0] : " + cst(E, 0) +
       ", sig_f[" + num(M - 1) + ":0]};\n";
  // specials
  s += "  wire nan = a_nan | x_nan | (a_inf & x_inf & eff_sub);\n";
  s += "  wire inf = a_inf | x_inf;\n";
  s += "  wire inf_neg = a_inf ? a_neg : x_neg;\n";
  s += "  wire both_zero = a_zero & x_zero;\n";
  s += "  assign acc_new = nan ? " + cst(FB, int64_t(canonical_nan(f))) + " : inf ? {inf_neg, {" +
       num(E) + "{1'b1}}, " + cst(M, 0) + "} : both_zero ? {a_neg & x_neg, " + cst(FB - 1, 0) +
       "} : sum == " + cst(W, 0) + " ? " + cst(FB, 0) + " : rounded;\n";
  s += unused("_unused", "q_r[" + num(W - 1) + ":" + num(p + 1) + "], q_l[" + num(W - 1) + ":" +
                             num(p + 1) + "], g_w[" + num(W - 1) + ":1], ef[" + num(IE - 1) + ":" +
                             num(E) + "], d[" + num(IE - 1) + ":" + num(LS) + "], r[" +
                             num(IE - 1) + ":" + num(RW) + "]");
  s += "endmodule\n";
  return s;
}

std::string fp_round_module(const std::string& name, const FpLayout& f, UnpackedWidths x) {
  (void)fp_accumulate_module(name + "_add", f, x); // validates f
  std::string s = "`timescale 1ns/1ps\n// round_to_float: the exact value x rounded once to " +
                  f.name + " (an accumulate into -0).\nmodule " + name + "(input " +
                  range(x.bus_bits()) + " x, output " + range(f.bits()) + " y);\n";
  s += "  " + name + "_add u_add (.acc({1'b1, " + cst(f.bits() - 1, 0) +
       "}), .x(x), .acc_new(y));\nendmodule\n";
  return s;
}

std::string fixed_accumulate_module(const std::string& name, const FixedAccSpec& sp,
                                    UnpackedWidths x) {
  const int WD = sp.width, SW = x.sig_bits, EW = x.exp_bits;
  if (WD < SW) throw std::invalid_argument("fixed_accumulate_module: width below SW");
  const int LS = bitlen(WD);
  const int IE = std::max({EW, bitlen(std::abs(sp.lsb_exp)) + 1, LS + 1}) + 2;
  std::string s = "`timescale 1ns/1ps\n// Exact fixed-point accumulate (pe_models/fp_arith.h "
                  "fixed_accumulate): LSB 2^" +
                  num(sp.lsb_exp) + ", " + num(WD) +
                  " bits, wraps; sticky NaN/+Inf/-Inf flags.\nmodule " + name + "(input " +
                  range(WD + 3) + " acc, input " + range(x.bus_bits()) + " x, output " +
                  range(WD + 3) + " acc_new);\n";
  s += bus_fields("x", "x", x);
  s += "  wire " + range(IE) + " sh = " + sext("x_exp", EW, IE) + " - " + cst(IE, sp.lsb_exp) +
       ";\n";
  s += "  wire in_range = ~sh[" + num(IE - 1) + "] & $signed(sh) < $signed(" + cst(IE, WD) + ");\n";
  s += "  wire " + range(WD) + " mag = " + zext("x_sig", SW, WD) + " << sh[" + num(LS - 1) +
       ":0];\n";
  s += "  wire " + range(WD) + " add = (x_fin & in_range) ? (x_neg ? " + cst(WD, 0) +
       " - mag : mag) : " + cst(WD, 0) + ";\n";
  s += "  wire " + range(WD) + " value = acc[" + num(WD - 1) + ":0] + add;\n";
  s += "  assign acc_new = {acc[" + num(WD + 2) + "] | x_nan, acc[" + num(WD + 1) +
       "] | (x_inf & ~x_neg), acc[" + num(WD) + "] | (x_inf & x_neg), value};\n";
  s += unused("_unused", "sh[" + num(IE - 2) + ":" + num(LS) + "]");
  s += "endmodule\n";
  return s;
}

std::string fixed_to_unpacked_module(const std::string& name, const FixedAccSpec& sp) {
  const UnpackedWidths u = fixed_unpacked_widths(sp);
  const int WD = sp.width;
  std::string s = "`timescale 1ns/1ps\n// The fixed accumulator's state as an Unpacked bus "
                  "(pe_models/fp_arith.h fixed_to_unpacked).\nmodule " +
                  name + "(input " + range(WD + 3) + " acc, output " + range(u.bus_bits()) +
                  " u);\n";
  s += "  wire " + range(WD) + " v = acc[" + num(WD - 1) + ":0];\n";
  s += "  wire pinf = acc[" + num(WD + 1) + "], ninf = acc[" + num(WD) + "];\n";
  s += "  wire nan = acc[" + num(WD + 2) + "] | (pinf & ninf);\n";
  s += "  wire inf = ~nan & (pinf | ninf);\n";
  s += "  wire zero = ~nan & ~inf & ~|v;\n";
  s += "  wire fin = ~nan & ~inf & ~zero;\n";
  s += "  wire neg = inf ? ninf : (fin & v[" + num(WD - 1) + "]);\n";
  s += "  wire " + range(WD) + " mag = v[" + num(WD - 1) + "] ? " + cst(WD, 0) + " - v : v;\n";
  s += "  assign u = {nan, inf, zero, neg, fin ? " + cst(u.exp_bits, sp.lsb_exp) + " : " +
       cst(u.exp_bits, 0) + ", fin ? mag : " + cst(WD, 0) + "};\nendmodule\n";
  return s;
}

} // namespace tpe
