// Emitters of the engines' FP datapath (rtl_gen/fp_pe_verilog.h): wrappers that
// wire the format decoders and the FP operators of rtl_gen/format_verilog.h and
// rtl_gen/fp_arith_verilog.h into the PE's multiply and add. Nothing here does
// arithmetic of its own except the group sum of P_fdot, a plain two's-complement
// sum of the aligned terms (exact: its width has ceil(log2 G) guard bits).
#include "rtl_gen/fp_pe_verilog.h"
#include "core/bits.h"
#include "pe_models/pe_arith.h"
#include "rtl_gen/format_verilog.h"
#include "rtl_gen/fp_arith_verilog.h"
#include "rtl_gen/verilog_text.h"
#include <algorithm>
#include <climits>
#include <stdexcept>
#include <tuple>

namespace tpe {

namespace {

std::string num(int64_t v) {
  return std::to_string(v);
}
std::string range(int w) {
  return "[" + num(w - 1) + ":0]";
}
int bitlen(uint64_t v) {
  int n = 0;
  for (; v; v >>= 1)
    ++n;
  return n;
}
// Smallest LSB exponent, smallest leading-bit exponent and largest exp + bitlen(sig)
// over the finite nonzero codes of f.
void code_range(const NumberFormat& f, int& lsb, int& lead, int& top) {
  lsb = lead = INT_MAX;
  top = INT_MIN;
  for (uint32_t c = 0; c < f.code_count(); ++c) {
    const Unpacked u = f.decode(c);
    if (u.kind != Unpacked::Kind::Finite) continue;
    const int n = bitlen(u.sig);
    lsb = std::min(lsb, u.exp);
    lead = std::min(lead, u.exp + n - 1);
    top = std::max(top, u.exp + n);
  }
}

UnpackedWidths bus_widths(const NumberFormat& f) {
  return {f.unpacked_sig_bits(), f.unpacked_exp_bits()};
}

// A decoder of an IEEE-style accumulator code into the Unpacked bus (decode_float).
std::string acc_decoder_module(const std::string& name, const FpLayout& f) {
  const UnpackedWidths w = float_unpacked_widths(f);
  const int E = f.exp_bits, M = f.man_bits, FB = f.bits(), EW = w.exp_bits;
  const int IE = std::max(EW, E + 1) + 1;
  std::string s = "`timescale 1ns/1ps\n// " + name + ": an " + f.name +
                  " accumulator code as an Unpacked bus (pe_models/fp_arith.h decode_float).\n" +
                  "module " + name + "(input " + range(FB) + " code, output " +
                  range(w.bus_bits()) + " u);\n";
  s += "  wire neg = code[" + num(FB - 1) + "];\n";
  s += "  wire " + range(E) + " e = code[" + num(FB - 2) + ":" + num(M) + "];\n";
  s += "  wire " + range(M) + " m = code[" + num(M - 1) + ":0];\n";
  s += "  wire top = &e, ez = ~|e;\n";
  s += "  wire nan = top & |m, inf = top & ~|m, zero = ez & ~|m;\n";
  s += "  wire fin = ~top & ~zero;\n";
  s += "  wire " + range(IE) + " ex = {" + num(IE - E) + "'b0, ez ? " + num(E) + "'d1 : e} - " +
       num(IE) + "'d" + num(f.bias + M) + ";\n";
  s += "  assign u = {nan, inf, zero, neg, fin ? ex[" + num(EW - 1) + ":0] : " + num(EW) +
       "'d0, fin ? {~ez, m} : " + num(M + 1) + "'d0};\n";
  s += "  // verilator lint_off UNUSED\n  wire _unused = &{1'b0, ex[" + num(IE - 1) + ":" +
       num(EW) + "]};\n  // verilator lint_on UNUSED\nendmodule\n";
  return s;
}

} // namespace

bool uses_fp_datapath(const ArchConfig& a) {
  return a.accumulate != "int" || a.pe == "lmul";
}

std::string fp_design_note(const ArchConfig& a) {
  if (!uses_fp_datapath(a)) return "";
  return " (act " + a.act() + ", weight " + a.weight() + ", accumulate " + a.accumulate +
         (a.pe == "lmul" ? ", L-Mul offset " + a.lmul_offset : std::string()) + ")";
}

std::string design_formats_desc(const ArchConfig& a) {
  return (a.act() == a.weight() ? a.act() : a.act() + " x " + a.weight()) + " operands, " +
         std::to_string(a.acc_bits) + "-bit accumulators" + fp_design_note(a);
}

void engine_product_range(const NumberFormat& a, const NumberFormat& b, bool lmul, LmulOffset o,
                          int& lsb_min, int& top_max) {
  if (!lmul) {
    format_product_range(a, b, lsb_min, top_max); // the model's range (pe_models/pe_arith.h)
    return;
  }
  int la, lda, ta, lb, ldb, tb;
  code_range(a, la, lda, ta);
  code_range(b, lb, ldb, tb);
  const int F = lmul_frac_bits(a.unpacked_sig_bits() - 1, o);
  lsb_min = lda + ldb - F;
  top_max = ta + tb + 1;
}

FpPeArith fp_pe_arith(const ArchConfig& a) {
  const bool west_weight = a.engine == "systolic" && a.dataflow == "is";
  FpPeArith f;
  f.west = &lookup_number_format(west_weight ? a.weight() : a.act());
  f.north = &lookup_number_format(west_weight ? a.act() : a.weight());
  if (f.west->is_block() || f.north->is_block()) {
    if (f.west->is_block() && f.north->is_block() && f.west->block.size != f.north->block.size)
      throw std::invalid_argument("block formats of different block sizes");
    f.block = f.west->is_block() ? f.west->block.size : f.north->block.size;
    if (f.west->is_block()) f.west_scale = &lookup_number_format(f.west->block.scale_format);
    if (f.north->is_block()) f.north_scale = &lookup_number_format(f.north->block.scale_format);
    f.block_spec = group_sum_spec(*f.west, *f.north, f.block);
    if (f.block_spec.width > kExactSumMaxWidth)
      throw std::invalid_argument("the exact block sum needs more than " + num(kExactSumMaxWidth) +
                                  " bits");
    f.west_scale_w = bus_widths(f.west_scale ? *f.west_scale : *f.north_scale);
    f.north_scale_w = bus_widths(f.north_scale ? *f.north_scale : *f.west_scale);
    f.scale_w = product_widths(f.west_scale_w, f.north_scale_w);
    if (a.engine != "systolic" && f.block % a.depth != 0)
      throw std::invalid_argument("a group of lanes straddles a block");
    f.bsum_w = fixed_unpacked_widths(f.block_spec);
    f.bx_w = product_widths(f.bsum_w, f.scale_w);
  }
  f.WW = f.west->bits;
  f.WN = f.north->bits;
  f.west_w = bus_widths(*f.west);
  f.north_w = bus_widths(*f.north);
  f.lmul = a.pe == "lmul";
  if (f.lmul) {
    if (f.west != f.north) throw std::invalid_argument("lmul takes act and weight in one format");
    const std::string& n = f.west->name;
    if (n != "fp8_e4m3" && n != "fp8_e5m2" && n != "bf16" && n != "fp16")
      throw std::invalid_argument("lmul does not take " + n);
    f.offset = lmul_offset_from_name(a.lmul_offset);
    f.prod_w = lmul_widths(f.west_w, f.offset);
  } else {
    if (a.pe != "mac") throw std::invalid_argument("PE " + a.pe + " has no FP datapath");
    f.prod_w = product_widths(f.west_w, f.north_w);
  }
  engine_product_range(*f.west, *f.north, f.lmul, f.offset, f.lsb_min, f.top_max);
  if (a.accumulate == "fixed") {
    f.fixed = true;
    f.acc_spec = fixed_acc_spec(f.lsb_min, f.top_max);
    if (f.acc_spec.width > 61)
      throw std::invalid_argument("fixed accumulator state of " + num(f.acc_spec.width + 3) +
                                  " bits does not fit 64");
    f.A = f.acc_spec.width + 3;
  } else {
    f.layout = float_accumulator_layout(a.accumulate);
    f.A = f.layout.bits();
  }
  if (a.acc_bits != f.A)
    throw std::invalid_argument("acc_bits " + num(a.acc_bits) + " is not the " + a.accumulate +
                                " accumulator width " + num(f.A));
  return f;
}

FixedAccSpec group_sum_spec(const FpPeArith& f, int G) {
  const FixedAccSpec s = fixed_acc_spec(f.lsb_min, f.top_max, ceil_log2(G));
  if (s.width > kExactSumMaxWidth)
    throw std::invalid_argument("the exact sum of " + num(G) + " products needs " + num(s.width) +
                                " bits (more than " + num(kExactSumMaxWidth) + ")");
  return s;
}

UnpackedWidths dot_bus_widths(const FpPeArith& f, int G) {
  return G <= 1 ? f.prod_w : fixed_unpacked_widths(group_sum_spec(f, G));
}

std::vector<std::pair<std::string, std::string>>
fp_pe_modules(const std::string& P, const FpPeArith& f, bool add2, int G) {
  std::vector<std::pair<std::string, std::string>> out;
  // a module is emitted once: an element format may also be the other operand's
  // block scale format (fp8_e4m3 x nvfp4, whose scales are E4M3)
  auto add = [&](const std::string& name, const std::string& text) {
    for (const auto& [file, t] : out)
      if (file == name + ".v") {
        if (t != text) throw std::logic_error("fp_pe_modules: two modules named " + name);
        return;
      }
    out.emplace_back(name + ".v", text);
  };
  // decoders and the product
  add(format_decoder_name(P, *f.west), format_decoder_module(P, *f.west));
  if (f.north != f.west) add(format_decoder_name(P, *f.north), format_decoder_module(P, *f.north));
  add(P + "_fprod", f.lmul ? lmul_module(P + "_fprod", f.west_w, f.offset)
                           : fp_product_module(P + "_fprod", f.west_w, f.north_w));
  const int PB = f.prod_w.bus_bits();
  add(P + "_fmul",
      "`timescale 1ns/1ps\n// " + P + "_fmul: decode the west (" + f.west->name + ") and north (" +
          f.north->name + ") codes, then the " +
          (f.lmul ? "L-Mul product (offset " + std::string(lmul_offset_name(f.offset)) + ")"
                  : std::string("exact product")) +
          ".\nmodule " + P + "_fmul(input " + range(f.WW) + " a, input " + range(f.WN) +
          " b, output " + range(PB) + " p);\n  wire " + range(f.west_w.bus_bits()) +
          " ua;\n  wire " + range(f.north_w.bus_bits()) + " ub;\n  " +
          format_decoder_name(P, *f.west) + " u_dec_a (.code(a), .u(ua));\n  " +
          format_decoder_name(P, *f.north) + " u_dec_b (.code(b), .u(ub));\n  " + P +
          "_fprod u_prod (.a(ua), .b(ub), .p(p));\nendmodule\n");
  // the group sum
  UnpackedWidths x = f.prod_w;
  if (G > 1) {
    const FixedAccSpec gs = group_sum_spec(f, G);
    const int GW = gs.width, S = GW + 3;
    const UnpackedWidths d = fixed_unpacked_widths(gs);
    add(P + "_fterm", fixed_accumulate_module(P + "_fterm", gs, f.prod_w));
    add(P + "_fgsum", fixed_to_unpacked_module(P + "_fgsum", gs));
    std::string s = "`timescale 1ns/1ps\n// " + P + "_fdot: the exact sum of " + num(G) +
                    " lanes' products (fixed point, LSB 2^" + num(gs.lsb_exp) + ", " + num(GW) +
                    " bits with " + num(ceil_log2(G)) +
                    " guard bits: never wraps), NaN/Inf flags ORed,\n// as an exact Unpacked "
                    "bus (one rounding happens in the accumulator).\nmodule " +
                    P + "_fdot(input " + range(G * f.WW) + " a, input " + range(G * f.WN) +
                    " b, output " + range(d.bus_bits()) + " d);\n";
    std::string sum, fn, fp, fm;
    for (int k = 0; k < G; ++k) {
      const std::string K = num(k);
      s += "  wire " + range(PB) + " p" + K + ";\n  wire " + range(S) + " t" + K + ";\n";
      s += "  " + P + "_fmul u_mul" + K + " (.a(a[" + num(k * f.WW) + " +: " + num(f.WW) +
           "]), .b(b[" + num(k * f.WN) + " +: " + num(f.WN) + "]), .p(p" + K + "));\n";
      s += "  " + P + "_fterm u_term" + K + " (.acc(" + num(S) + "'d0), .x(p" + K +
           "), .acc_new(t" + K + "));\n";
      const std::string sep = k ? " | " : "";
      sum += (k ? " + " : "") + std::string("t") + K + range(GW);
      fn += sep + "t" + K + "[" + num(GW + 2) + "]";
      fp += sep + "t" + K + "[" + num(GW + 1) + "]";
      fm += sep + "t" + K + "[" + num(GW) + "]";
    }
    s += "  wire " + range(GW) + " v = " + sum + ";\n";
    s += "  " + P + "_fgsum u_gsum (.acc({" + fn + ", " + fp + ", " + fm + ", v}), .u(d));\n";
    s += "endmodule\n";
    add(P + "_fdot", s);
    x = d;
  } else if (G == 1) {
    add(P + "_fdot", "`timescale 1ns/1ps\n// " + P +
                         "_fdot: one lane, the product itself.\nmodule " + P + "_fdot(input " +
                         range(f.WW) + " a, input " + range(f.WN) + " b, output " + range(PB) +
                         " d);\n  " + P + "_fmul u_mul0 (.a(a), .b(b), .p(d));\nendmodule\n");
  }
  if (f.block > 0) {
    // the scale decoders (a constant 1 on the side without blocks) and their product
    const auto one_bus = [](UnpackedWidths w) {
      Unpacked one;
      one.kind = Unpacked::Kind::Finite;
      one.sig = 1;
      return num(w.bus_bits()) + "'d" + std::to_string(pack_bus(one, w));
    };
    std::string dec_a = one_bus(f.west_scale_w), dec_b = one_bus(f.north_scale_w);
    for (const NumberFormat* sf : {f.west_scale, f.north_scale})
      if (sf) add(format_decoder_name(P, *sf), format_decoder_module(P, *sf));
    add(P + "_bsprod", fp_product_module(P + "_bsprod", f.west_scale_w, f.north_scale_w));
    std::string s = "`timescale 1ns/1ps\n// " + P +
                    "_bscale: the exact product of the two block scales (codes sa, sb; an "
                    "operand without blocks\n// takes scale 1).\nmodule " +
                    P + "_bscale(input [7:0] sa, input [7:0] sb, output " +
                    range(f.scale_w.bus_bits()) + " p);\n";
    s += "  wire " + range(f.west_scale_w.bus_bits()) + " ua;\n  wire " +
         range(f.north_scale_w.bus_bits()) + " ub;\n";
    if (f.west_scale)
      s += "  " + format_decoder_name(P, *f.west_scale) + " u_dec_a (.code(sa), .u(ua));\n";
    else
      s += "  assign ua = " + dec_a + ";\n";
    if (f.north_scale)
      s += "  " + format_decoder_name(P, *f.north_scale) + " u_dec_b (.code(sb), .u(ub));\n";
    else
      s += "  assign ub = " + dec_b + ";\n";
    s += "  " + P + "_bsprod u_prod (.a(ua), .b(ub), .p(p));\n";
    s += "  // verilator lint_off UNUSED\n  wire _unused = &{1'b0, sa, sb, 1'b0};\n"
         "  // verilator lint_on UNUSED\nendmodule\n";
    add(P + "_bscale", s);
    add(P + "_bterm", fixed_accumulate_module(P + "_bterm", f.block_spec, x));
    add(P + "_bgsum", fixed_to_unpacked_module(P + "_bgsum", f.block_spec));
    add(P + "_bprod", fp_product_module(P + "_bprod", f.bsum_w, f.scale_w));
    x = f.bx_w;
  }
  // the accumulate step
  add(P + "_fadd", f.fixed ? fixed_accumulate_module(P + "_fadd", f.acc_spec, x)
                           : fp_accumulate_module(P + "_fadd", f.layout, x));
  if (add2) {
    const UnpackedWidths cw =
        f.fixed ? fixed_unpacked_widths(f.acc_spec) : float_unpacked_widths(f.layout);
    if (f.fixed)
      add(P + "_fcdec", fixed_to_unpacked_module(P + "_fcdec", f.acc_spec));
    else
      add(P + "_fcdec", acc_decoder_module(P + "_fcdec", f.layout));
    add(P + "_fadd2x", f.fixed ? fixed_accumulate_module(P + "_fadd2x", f.acc_spec, cw)
                               : fp_accumulate_module(P + "_fadd2x", f.layout, cw));
    add(P + "_fadd2", "`timescale 1ns/1ps\n// " + P +
                          "_fadd2: acc + b for two accumulator words, b decoded exactly.\nmodule " +
                          P + "_fadd2(input " + range(f.A) + " acc, input " + range(f.A) +
                          " b, output " + range(f.A) + " y);\n  wire " + range(cw.bus_bits()) +
                          " ub;\n  " + P + "_fcdec u_dec (." + (f.fixed ? "acc" : "code") +
                          "(b), .u(ub));\n  " + P +
                          "_fadd2x u_add (.acc(acc), .x(ub), .acc_new(y));\nendmodule\n");
  }
  return out;
}

ScaleSramVerilog scale_ports_verilog(const std::vector<ScalePort>& ops, int lane_bits, int col) {
  const auto line = [&](const char* dir, const std::string& range, const std::string& name) {
    return port_decl({dir, range, name}, col) + ",\n";
  };
  const std::string lb = std::to_string(lane_bits);
  ScaleSramVerilog v;
  for (const ScalePort& o : ops) {
    const bool one = o.lanes == "1";
    if (o.scaled) {
      v.ports += line("output", "", o.s + "_rd_en") + line("output", "[31:0]", o.s + "_rd_addr") +
                 line("input",
                      one ? "[" + std::to_string(lane_bits - 1) + ":0]"
                          : "[" + o.lanes + "*" + lb + "-1:0]",
                      o.s + "_rd_data");
      v.lanes += "  assign " + o.s + "_rd_en = " + o.en + ";\n  assign " + o.s +
                 "_rd_addr = " + o.addr + ";\n  assign " + o.s + "_now = " + o.now + ";\n";
    } else {
      v.lanes += "  assign " + o.s +
                 "_now = " + (one ? lb + "'d0" : "{(" + o.lanes + "*" + lb + "){1'b0}}") +
                 "; // scale 1 (no blocks)\n";
      v.idle += o.idle;
    }
  }
  return v;
}

ScaleSramVerilog scale_sram_verilog(const FpPeArith& f, int lane_bits, bool held, int col) {
  std::vector<ScalePort> ops;
  for (const auto& [scaled, s, lanes, el] :
       {std::tuple<bool, std::string, std::string, std::string>{f.west_scale != nullptr, "ws", "R",
                                                                "w"},
        {f.north_scale != nullptr, "ns", "C", "n"}})
    ops.push_back(
        held ? ScalePort{scaled, s, lanes, "s_rd_en", s + "_addr",
                         "s_v ? " + s + "_rd_data : " + s + "_hold",
                         ", " + s + "_addr, " + s + "_hold"}
             : ScalePort{scaled, s, lanes, el + "_rd_en", el + "_rd_addr", s + "_rd_data", ""});
  ScaleSramVerilog v = scale_ports_verilog(ops, lane_bits, col);
  if (!v.idle.empty())
    v.unused = "  // the operand without blocks has no scale SRAM\n"
               "  // verilator lint_off UNUSED\n  wire _unused_scale = &{1'b0" +
               v.idle + ", 1'b0};\n  // verilator lint_on UNUSED\n";
  return v;
}

} // namespace tpe
