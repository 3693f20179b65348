// Emitters of the format decoders (rtl_gen/format_verilog.h): code -> Unpacked bus.
#include "rtl_gen/format_verilog.h"
#include <cmath>
#include <stdexcept>

namespace tpe {

namespace {

std::string num(int64_t v) {
  return std::to_string(v);
}
// A w-bit constant holding v modulo 2^w (two's complement for negative v).
std::string lit(int w, int64_t v) {
  const uint64_t m = w >= 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%d'h%llx", w, static_cast<unsigned long long>(uint64_t(v) & m));
  return buf;
}
std::string range(int w) {
  return "[" + num(w - 1) + ":0]";
}

std::string header(const std::string& name, const NumberFormat& f, const std::string& what) {
  return "`timescale 1ns/1ps\n// " + name + ": decoder of " + f.name + " (" + what +
         "): code -> { is_nan, is_inf, is_zero, neg, exp[" + num(f.unpacked_exp_bits() - 1) +
         ":0], sig[" + num(f.unpacked_sig_bits() - 1) + ":0] }\nmodule " + name + " (input " +
         range(f.bits) + " code, output " + range(unpacked_bus_bits(f)) + " u);\n";
}

std::string integer_body(const NumberFormat& f) {
  const int W = f.bits, EW = f.unpacked_exp_bits(), SW = f.unpacked_sig_bits();
  if (SW != W) throw std::logic_error("integer decoder: sig width != code width");
  std::string b;
  b += "  wire neg = code[" + num(W - 1) + "];\n";
  b += "  wire " + range(W) + " mag = neg ? (~code + " + lit(W, 1) + ") : code;\n";
  b += "  wire zero = ~|code;\n";
  b += "  assign u = {1'b0, 1'b0, zero, neg, zero ? " + lit(EW, 0) + " : " + lit(EW, f.int_exp) +
       ", mag};\n";
  return b;
}

std::string float_body(const NumberFormat& f) {
  const FloatLayout& fl = f.fl;
  const int E = fl.exp_bits, M = fl.man_bits, EW = f.unpacked_exp_bits(),
            SW = f.unpacked_sig_bits();
  if (SW != M + 1) throw std::logic_error("float decoder: sig width != m + 1");
  std::string b;
  b += fl.sign ? "  wire neg = code[" + num(E + M) + "];\n" : "  wire neg = 1'b0;\n";
  b += "  wire " + range(E) + " e = code[" + num(E + M - 1) + ":" + num(M) + "];\n";
  if (M > 0) b += "  wire " + range(M) + " m = code[" + num(M - 1) + ":0];\n";
  const std::string m_any = M > 0 ? "|m" : "1'b0", m_all = M > 0 ? "&m" : "1'b1";
  if (fl.specials != FloatSpecials::None) b += "  wire e_max = &e;\n";
  if (fl.subnormals) b += "  wire e_zero = ~|e;\n";
  std::string nan = "1'b0", inf = "1'b0", zero = "1'b0";
  if (fl.specials == FloatSpecials::IEEE) {
    nan = "e_max & " + m_any;
    inf = "e_max & ~" + m_any;
  } else if (fl.specials == FloatSpecials::NaNOnly) {
    nan = M > 0 ? "e_max & " + m_all : "e_max";
  }
  if (fl.subnormals) zero = M > 0 ? "e_zero & ~|m" : "e_zero";
  b += "  wire is_nan = " + nan + ";\n  wire is_inf = " + inf + ";\n  wire is_zero = " + zero +
       ";\n";
  b += "  wire special = is_nan | is_inf | is_zero;\n";
  // exponent: field - bias - m (normal), 1 - bias - m (subnormal), in EW bits
  std::string e_ext;
  if (EW > E)
    e_ext = EW == E + 1 ? "{1'b0, e}" : "{" + lit(EW - E, 0) + ", e}";
  else
    e_ext = EW == E ? "e" : "e[" + num(EW - 1) + ":0]";
  b += "  wire " + range(EW) + " exp_norm = " + e_ext + " - " + lit(EW, fl.bias + M) + ";\n";
  std::string exp = "exp_norm", hidden = "1'b1";
  if (fl.subnormals) {
    exp = "e_zero ? " + lit(EW, 1 - fl.bias - M) + " : exp_norm";
    hidden = "~e_zero";
  }
  const std::string sig = M > 0 ? "{" + hidden + ", m}" : hidden;
  b += "  wire " + range(EW) + " exp = special ? " + lit(EW, 0) + " : (" + exp + ");\n";
  b += "  wire " + range(SW) + " sig = special ? " + lit(SW, 0) + " : " + sig + ";\n";
  b += "  assign u = {is_nan, is_inf, is_zero, neg, exp, sig};\n";
  return b;
}

// HiF8: dot code 11 / 10 / 01 / 001 / 0001 / 0000 (ARITHMETIC.md section 1).
std::string hif8_body(const NumberFormat& f) {
  if (f.unpacked_sig_bits() != 4 || f.unpacked_exp_bits() != 6)
    throw std::logic_error("HiF8 decoder: unexpected bus widths");
  return "  wire neg = code[7];\n"
         "  wire [6:0] a = code[6:0];\n"
         "  wire is_nan = code == 8'h80;\n"
         "  wire is_inf = a == 7'h6f;\n"
         "  wire is_zero = code == 8'h00;\n"
         "  wire special = is_nan | is_inf | is_zero;\n"
         "  wire d11 = a[6] & a[5];\n"
         "  wire d10 = a[6] & ~a[5];\n"
         "  wire d01 = ~a[6] & a[5];\n"
         "  wire d001 = ~a[6] & ~a[5] & a[4];\n"
         "  wire es = (d11 | d10 | d01) ? a[4] : (d001 & a[3]);\n"
         "  wire [3:0] mag = d11 ? {1'b1, a[3:1]} : d10 ? {2'b01, a[3:2]} : d01 ? {3'b001, a[3]}\n"
         "                 : d001 ? 4'd1 : 4'd0;\n"
         "  wire [1:0] mb = d11 ? 2'd1 : d10 ? 2'd2 : 2'd3;\n"
         "  wire [5:0] e_signed = es ? 6'd0 - {2'b00, mag} : {2'b00, mag};\n"
         "  wire [5:0] exp_norm = e_signed - {4'b0000, mb};\n"
         "  wire [5:0] exp_den = {3'b000, a[2:0]} - 6'd23;\n"
         "  wire den = a[6:3] == 4'b0000;\n"
         "  wire [3:0] sig_norm = d11 ? {2'b00, 1'b1, a[0]} : d10 ? {1'b0, 1'b1, a[1:0]}\n"
         "                      : {1'b1, a[2:0]};\n"
         "  wire [5:0] exp = special ? 6'd0 : den ? exp_den : exp_norm;\n"
         "  wire [3:0] sig = special ? 4'd0 : den ? 4'd1 : sig_norm;\n"
         "  assign u = {is_nan, is_inf, is_zero, neg & ~is_nan, exp, sig};\n";
}

// NF4: a ROM of the table's binary32 significands and exponents.
std::string lookup_body(const NumberFormat& f) {
  const int EW = f.unpacked_exp_bits(), SW = f.unpacked_sig_bits(), U = unpacked_bus_bits(f);
  std::string b = "  reg " + range(U) + " r;\n  always @* begin\n    case (code)\n";
  for (uint32_t c = 0; c < f.code_count(); ++c) {
    const Unpacked x = f.decode(c);
    const bool z = x.kind == Unpacked::Kind::Zero;
    b += "      " + lit(f.bits, c) + ": r = {1'b0, 1'b0, " + (z ? "1'b1" : "1'b0") + ", " +
         (x.neg ? "1'b1" : "1'b0") + ", " + lit(EW, x.exp) + ", " + lit(SW, int64_t(x.sig)) +
         "};\n";
  }
  b += "      default: r = " + lit(U, 0) + ";\n    endcase\n  end\n  assign u = r;\n";
  return b;
}

} // namespace

uint64_t unpacked_bus_value(const NumberFormat& f, const Unpacked& u) {
  const int EW = f.unpacked_exp_bits(), SW = f.unpacked_sig_bits();
  const uint64_t flags = (u.kind == Unpacked::Kind::NaN ? 8u : 0u) |
                         (u.kind == Unpacked::Kind::Inf ? 4u : 0u) |
                         (u.kind == Unpacked::Kind::Zero ? 2u : 0u) | (u.neg ? 1u : 0u);
  const uint64_t em = (uint64_t(1) << EW) - 1, sm = (uint64_t(1) << SW) - 1;
  return flags << (EW + SW) | (uint64_t(int64_t(u.exp)) & em) << SW | (u.sig & sm);
}

int unpacked_bus_bits(const NumberFormat& f) {
  return 4 + f.unpacked_exp_bits() + f.unpacked_sig_bits();
}

std::string format_decoder_name(const std::string& prefix, const NumberFormat& f) {
  return prefix + "_dec_" + f.name;
}

std::string format_decoder_module(const std::string& prefix, const NumberFormat& f) {
  const std::string name = format_decoder_name(prefix, f);
  switch (f.kind) {
  case FormatKind::Integer:
    return header(name, f, "two's complement") + integer_body(f) + "endmodule\n";
  case FormatKind::Float:
    return header(name, f, "sign, exponent, mantissa") + float_body(f) + "endmodule\n";
  case FormatKind::Tapered:
    return header(name, f, "tapered HiF8") + hif8_body(f) + "endmodule\n";
  case FormatKind::Lookup:
    return header(name, f, "16-entry table") + lookup_body(f) + "endmodule\n";
  }
  throw std::logic_error("unknown format kind");
}

} // namespace tpe
