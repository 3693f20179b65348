// PE arithmetic emitters. Algorithm: build the list of partial-product words as
// Verilog expressions (one wire each, n bits), then walk the same reduction plan
// as the emulator, writing each 3:2 CSA as two assigns (sum = x^y^z, carry =
// majority shifted left by one), and add the two words the plan leaves.
#include "rtl_gen/pe_verilog.h"
#include "pe_models/int_multipliers.h"
#include "rtl_gen/verilog_text.h"
#include <algorithm>
#include <stdexcept>
#include <vector>

namespace tpe {

namespace {

std::string num(int v) {
  return std::to_string(v);
}

// wires w0..w{k-1} already declared and assigned; appends the CSA wires of
// `plan` and returns "wX + wY" of the two result words (n bits each).
std::string reduce_text(std::string& body, const CsaPlan& plan, int n_words, int n,
                        const std::string& w = "w") {
  int next = n_words;
  for (const auto& op : plan) {
    const std::string x = w + num(op.x), y = w + num(op.y), z = w + num(op.z);
    const std::string s = w + num(next), c = w + num(next + 1);
    body += "  wire [" + num(n - 1) + ":0] " + s + " = " + x + " ^ " + y + " ^ " + z + ";\n";
    body += "  wire [" + num(n - 1) + ":0] " + c + "_m = (" + x + " & " + y + ") | (" + x + " & " +
            z + ") | (" + y + " & " + z + ");\n";
    body +=
        "  wire [" + num(n - 1) + ":0] " + c + " = {" + c + "_m[" + num(n - 2) + ":0], 1'b0};\n";
    body += "  // verilator lint_off UNUSED\n  wire _unused_" + c + " = " + c + "_m[" + num(n - 1) +
            "];\n  // verilator lint_on UNUSED\n";
    next += 2;
  }
  const auto [i, j] = plan_result(plan, n_words);
  return w + num(i) + " + " + w + num(j);
}

// Digit-selected partial products (Booth or EN-T): per digit i, one/two/neg
// (declared by the caller) select 0, +-b or +-2b (n-bit, b sign-extended),
// shifted by 2i; the negation bits form the last word w<digits> (neg_i at bit 2i).
void digit_words(std::string& body, int digits, int n, const std::string& bname, int W) {
  body += "  wire [" + num(n - 1) + ":0] bx = {{" + num(n - W) + "{" + bname + "[" + num(W - 1) +
          "]}}, " + bname + "};\n";
  body += "  wire [" + num(n - 1) + ":0] bx2 = {bx[" + num(n - 2) + ":0], 1'b0};\n";
  for (int i = 0; i < digits; ++i) {
    const std::string I = num(i);
    body += "  wire [" + num(n - 1) + ":0] mag" + I + " = two" + I + " ? bx2 : (one" + I +
            " ? bx : {" + num(n) + "{1'b0}});\n";
    const std::string sel = "(neg" + I + " ? ~mag" + I + " : mag" + I + ")";
    if (i == 0) {
      body += "  wire [" + num(n - 1) + ":0] w0 = " + sel + ";\n";
    } else {
      body += "  wire [" + num(n - 1) + ":0] sel" + I + " = " + sel + ";\n";
      body += "  wire [" + num(n - 1) + ":0] w" + I + " = {sel" + I + "[" + num(n - 1 - 2 * i) +
              ":0], " + num(2 * i) + "'b0};\n";
      body += "  // verilator lint_off UNUSED\n  wire _unused_sel" + I + " = &{1'b0, sel" + I +
              "[" + num(n - 1) + ":" + num(n - 2 * i) +
              "], 1'b0};\n  // verilator lint_on UNUSED\n";
    }
  }
  std::string cat;
  for (int i = digits - 1; i >= 0; --i)
    cat += (cat.empty() ? "" : ", ") + std::string("neg") + num(i) + (i > 0 ? ", 1'b0" : "");
  const int used = 2 * digits - 1;
  body += "  wire [" + num(n - 1) + ":0] w" + num(digits) + " = {" +
          (n > used ? "{" + num(n - used) + "{1'b0}}, " : "") + cat + "};\n";
}

// Radix-4 Booth digit selects of operand a: digit i = -2a[2i+1] + a[2i] + a[2i-1]
// as one_i (|d| = 1), two_i (|d| = 2) and neg_i (d < 0), for digit_words.
void booth_selects(std::string& body, int W) {
  body += "  wire [" + num(W) + ":0] ae = {a, 1'b0};\n";
  for (int i = 0; i < W / 2; ++i) {
    const std::string I = num(i), t = "ae[" + num(2 * i + 2) + ":" + num(2 * i) + "]";
    body += "  wire [2:0] t" + I + " = " + t + ";\n";
    body += "  wire one" + I + " = t" + I + "[1] ^ t" + I + "[0];\n";
    body += "  wire two" + I + " = (t" + I + " == 3'b011) | (t" + I + " == 3'b100);\n";
    body += "  wire neg" + I + " = t" + I + "[2] & ~(t" + I + "[1] & t" + I + "[0]);\n";
  }
}

} // namespace

bool pe_has_multiplier_module(const std::string& kind) {
  return kind == "array" || kind == "booth" || kind == "ent";
}

int pe_west_width(const std::string& kind, int W) {
  return kind == "ent" ? W + 1 : W;
}

std::string multiplier_module(const std::string& kind, const std::string& prefix, int W) {
  const int n = 2 * W;
  std::string body;
  int n_words = 0;
  CsaPlan plan;
  std::string a_decl = "  input  wire [" + num(W - 1) + ":0] a,\n";
  std::string doc;
  if (kind == "array") {
    doc = "carry-save array multiplier: row j = a[j] ? b << j : 0, the sign row\n"
          "// (~b) << (W-1) with its +1 in a correction word; rows added one after another by\n"
          "// 3:2 carry-save adders, then one carry-propagate add.";
    body += "  wire [" + num(n - 1) + ":0] bx = {{" + num(W) + "{b[" + num(W - 1) + "]}}, b};\n";
    for (int j = 0; j < W; ++j) {
      const std::string src = j == W - 1 ? "~bx" : "bx";
      const std::string sh = j == 0 ? src
                                    : "{" + std::string(j == W - 1 ? "bxn" : "bx") + "[" +
                                          num(n - 1 - j) + ":0], " + num(j) + "'b0}";
      if (j == W - 1)
        body += "  wire [" + num(n - 1) +
                ":0] bxn = ~bx;\n  // verilator lint_off UNUSED\n"
                "  wire _unused_bxn = &{1'b0, bxn[" +
                num(n - 1) + ":" + num(n - j) + "], 1'b0};\n  // verilator lint_on UNUSED\n";
      body += "  wire [" + num(n - 1) + ":0] w" + num(j) + " = a[" + num(j) + "] ? " +
              (j == 0 ? src : sh) + " : {" + num(n) + "{1'b0}};\n";
    }
    body += "  wire [" + num(n - 1) + ":0] w" + num(W) + " = {{" + num(n - W) + "{1'b0}}, a[" +
            num(W - 1) + "], {" + num(W - 1) + "{1'b0}}};\n";
    n_words = W + 1;
    plan = linear_plan(n_words);
  } else if (kind == "booth") {
    doc = "radix-4 Booth multiplier: digit i = -2a[2i+1] + a[2i] + a[2i-1] selects\n"
          "// 0, +-b or +-2b at weight 4^i (negative: one's complement + a 1 in the negation\n"
          "// word); Wallace tree of 3:2 carry-save adders, then one carry-propagate add.";
    booth_selects(body, W);
    digit_words(body, W / 2, n, "b", W);
    n_words = W / 2 + 1;
    plan = wallace_plan(n_words);
  } else if (kind == "ent") {
    doc = "EN-T multiplier: `a` is the EN-T code word (digit codes 00 = 0, 01 = +1,\n"
          "// 10 = +2, 11 = -1, the operand's sign on top); each nonzero digit selects +-b or\n"
          "// +-2b at weight 4^i; Wallace tree of 3:2 carry-save adders, one carry-propagate add.";
    a_decl = "  input  wire [" + num(W) + ":0] a,     // EN-T code word\n";
    body += "  wire sgn = a[" + num(W) + "];\n";
    for (int i = 0; i < W / 2; ++i) {
      const std::string I = num(i), c = "a[" + num(2 * i + 1) + ":" + num(2 * i) + "]";
      body += "  wire [1:0] c" + I + " = " + c + ";\n";
      body += "  wire one" + I + " = c" + I + "[0];\n";
      body += "  wire two" + I + " = c" + I + " == 2'b10;\n";
      body += "  wire neg" + I + " = (c" + I + " != 2'b00) & ((c" + I + " == 2'b11) ^ sgn);\n";
    }
    digit_words(body, W / 2, n, "b", W);
    n_words = W / 2 + 1;
    plan = wallace_plan(n_words);
  } else {
    throw std::invalid_argument("no multiplier module for PE kind '" + kind + "'");
  }
  const std::string sum = reduce_text(body, plan, n_words, n);
  return "`timescale 1ns/1ps\n// " + doc + "\nmodule " + prefix + "_mul (\n" + a_decl +
         "  input  wire [" + num(W - 1) + ":0] b,\n  output wire [" + num(n - 1) + ":0] p\n);\n" +
         body + "  assign p = " + sum + ";\nendmodule\n";
}

std::string ent_encoder_module(const std::string& prefix, int W) {
  std::string body;
  body += "  wire [" + num(W - 1) + ":0] m = a[" + num(W - 1) + "] ? (~a + 1'b1) : a;\n";
  body += "  wire c0 = 1'b0;\n";
  std::string codes;
  for (int i = 0; i < W / 2; ++i) {
    const std::string I = num(i), N = num(i + 1);
    body += "  wire [2:0] t" + I + " = {1'b0, m[" + num(2 * i + 1) + ":" + num(2 * i) +
            "]} + {2'b00, c" + I + "};\n";
    body += "  wire c" + N + " = t" + I + " >= 3'd3;\n";
    codes = "t" + I + "[1:0]" + (codes.empty() ? "" : ", " + codes);
  }
  body += "  // verilator lint_off UNUSED\n  wire _unused = &{1'b0, c" + num(W / 2);
  for (int i = 0; i < W / 2; ++i)
    body += ", t" + num(i) + "[2]";
  body += ", 1'b0};\n  // verilator lint_on UNUSED\n";
  return "`timescale 1ns/1ps\n// EN-T encoder: magnitude of a in radix-4 digits r_i; with carry "
         "c_i,\n"
         "// t_i = r_i + c_i, code_i = t_i mod 4 (11 = -1), c_(i+1) = [t_i >= 3]; the sign of a\n"
         "// on top. The magnitude of the most negative value fits W bits unsigned.\nmodule " +
         prefix + "_ent_enc (\n  input  wire [" + num(W - 1) + ":0] a,\n  output wire [" + num(W) +
         ":0] code\n);\n" + body + "  assign code = {a[" + num(W - 1) + "], " + codes +
         "};\nendmodule\n";
}

std::string opt1_step_module(const std::string& prefix, int W, int A) {
  std::string body;
  booth_selects(body, W);
  digit_words(body, W / 2, A, "b", W);
  const int k = W / 2 + 1;
  body +=
      "  wire [" + num(A - 1) + ":0] w" + num(k) + " = first ? {" + num(A) + "{1'b0}} : s_in;\n";
  body += "  wire [" + num(A - 1) + ":0] w" + num(k + 1) + " = first ? {" + num(A) +
          "{1'b0}} : c_in;\n";
  const CsaPlan plan = wallace_plan(k + 2);
  reduce_text(body, plan, k + 2, A);
  const auto [i, j] = plan_result(plan, k + 2);
  return "`timescale 1ns/1ps\n// OPT1 step (compressed accumulation): the radix-4 Booth partial "
         "products of\n// a*b and the accumulator pair (s_in, c_in), zero on 'first', through one "
         "Wallace\n// tree of 3:2 carry-save adders at accumulator width; no carry-propagate add.\n"
         "module " +
         prefix + "_opt1_step (\n  input  wire [" + num(W - 1) + ":0] a,\n  input  wire [" +
         num(W - 1) + ":0] b,\n  input  wire         first,\n  input  wire [" + num(A - 1) +
         ":0] s_in,\n  input  wire [" + num(A - 1) + ":0] c_in,\n  output wire [" + num(A - 1) +
         ":0] s_out,\n  output wire [" + num(A - 1) + ":0] c_out\n);\n" + body +
         "  assign s_out = w" + num(i) + ";\n  assign c_out = w" + num(j) + ";\nendmodule\n";
}

int dot_width(int WA, int W, int G, int A) {
  int lg = 0;
  while ((1 << lg) < G)
    ++lg;
  return std::min(A, WA + W + lg);
}

namespace {

// OPT2 (same-bit-weight compression), the twin of sbw_dot in pe_models: per digit
// position i, the G selected partial products and G negation bits through one
// Wallace tree and one add (bw_i), then the bw_i shifted by 2i through a last tree.
std::string sbw_dot_module(const std::string& prefix, int W, int G, int TW) {
  const int AW = W + 1, n = sbw_width(W, G, TW);
  std::string body;
  for (int k = 0; k < G; ++k) {
    const std::string K = num(k);
    body += "  wire sgn" + K + " = a[" + num(k * AW + W) + "];\n";
    // b_k at the tree width: sign-extended, or its low n bits (a narrow accumulator)
    if (n > W)
      body += "  wire [" + num(n - 1) + ":0] bx" + K + " = {{" + num(n - W) + "{b[" +
              num(k * W + W - 1) + "]}}, b[" + num(k * W) + " +: " + num(W) + "]};\n";
    else
      body +=
          "  wire [" + num(n - 1) + ":0] bx" + K + " = b[" + num(k * W) + " +: " + num(n) + "];\n";
    if (n < W)
      body += "  // verilator lint_off UNUSED\n  wire _unused_b" + K + " = &{1'b0, b[" +
              num(k * W + W - 1) + ":" + num(k * W + n) +
              "], 1'b0};\n  // verilator lint_on UNUSED\n";
    body += "  wire [" + num(n - 1) + ":0] bx2_" + K + " = {bx" + K + "[" + num(n - 2) +
            ":0], 1'b0};\n";
  }
  std::vector<std::string> finals;
  for (int i = 0; i < W / 2 && 2 * i < TW; ++i) {
    const std::string I = num(i), w = "w" + I + "_";
    for (int k = 0; k < G; ++k) {
      const std::string K = num(k), IK = I + "_" + K, c = "c" + IK;
      body += "  wire [1:0] " + c + " = a[" + num(k * AW + 2 * i + 1) + ":" + num(k * AW + 2 * i) +
              "];\n";
      body +=
          "  wire neg" + IK + " = (" + c + " != 2'b00) & ((" + c + " == 2'b11) ^ sgn" + K + ");\n";
      body += "  wire [" + num(n - 1) + ":0] mag" + IK + " = (" + c + " == 2'b10) ? bx2_" + K +
              " : (" + c + "[0] ? bx" + K + " : {" + num(n) + "{1'b0}});\n";
      body += "  wire [" + num(n - 1) + ":0] " + w + K + " = neg" + IK + " ? ~mag" + IK + " : mag" +
              IK + ";\n";
    }
    for (int k = 0; k < G; ++k)
      body += "  wire [" + num(n - 1) + ":0] " + w + num(G + k) + " = {" +
              (n > 1 ? "{" + num(n - 1) + "{1'b0}}, " : "") + "neg" + I + "_" + num(k) + "};\n";
    const std::string sum = reduce_text(body, wallace_plan(2 * G), 2 * G, n, w);
    body += "  wire [" + num(n - 1) + ":0] bw" + I + " = " + sum + ";\n";
    const std::string ext =
        TW > n ? "{{" + num(TW - n) + "{bw" + I + "[" + num(n - 1) + "]}}, bw" + I + "}" : "bw" + I;
    body += "  wire [" + num(TW - 1) + ":0] e" + I + " = " + ext + ";\n";
    const std::string f = "f" + num(static_cast<int>(finals.size()));
    if (i == 0) {
      body += "  wire [" + num(TW - 1) + ":0] " + f + " = e0;\n";
    } else {
      body += "  wire [" + num(TW - 1) + ":0] " + f + " = {e" + I + "[" + num(TW - 1 - 2 * i) +
              ":0], " + num(2 * i) + "'b0};\n";
      body += "  // verilator lint_off UNUSED\n  wire _unused_e" + I + " = &{1'b0, e" + I + "[" +
              num(TW - 1) + ":" + num(TW - 2 * i) + "], 1'b0};\n  // verilator lint_on UNUSED\n";
    }
    finals.push_back(f);
  }
  // digits at weights 4^i >= 2^TW do not reach the result
  std::string skipped;
  for (int i = (TW + 1) / 2; i < W / 2; ++i)
    for (int k = 0; k < G; ++k)
      skipped += ", a[" + num(k * AW + 2 * i + 1) + ":" + num(k * AW + 2 * i) + "]";
  if (!skipped.empty())
    body += "  // verilator lint_off UNUSED\n  wire _unused_digits = &{1'b0" + skipped +
            ", 1'b0};\n  // verilator lint_on UNUSED\n";
  const int m = static_cast<int>(finals.size());
  const std::string y = m == 1 ? "f0" : reduce_text(body, wallace_plan(m), m, TW, "f");
  return "`timescale 1ns/1ps\n// OPT2 dot product of " + num(G) +
         " lanes (same-bit-weight compression): lane k's `a` is\n"
         "// the EN-T code word of a_k; for each digit position i the G selected partial\n"
         "// products (+-b_k or +-2b_k, unshifted; one's complement when negative) and their G\n"
         "// negation bits go through one Wallace tree of 3:2 CSAs at " +
         num(n) +
         " bits and one add (bw_i);\n// y = sum of bw_i << 2i through a last tree and add, "
         "modulo 2^" +
         num(TW) + ".\nmodule " + prefix + "_dot (\n  input  wire [" + num(G * AW - 1) +
         ":0] a,\n  input  wire [" + num(G * W - 1) + ":0] b,\n  output wire [" + num(TW - 1) +
         ":0] y\n);\n" + body + "  assign y = " + y + ";\nendmodule\n";
}

} // namespace

bool dot_is_sbw(const std::string& kind, int G) {
  return kind == "ent" && G > 1;
}

std::string dot_product_module(const std::string& kind, const std::string& prefix, int WA, int W,
                               int G, int TW) {
  if ((dot_is_sbw(kind, G) || pe_has_multiplier_module(kind)) && WA != W)
    throw std::logic_error("dot_product_module: PE '" + kind + "' with operands of two widths");
  if (dot_is_sbw(kind, G)) return sbw_dot_module(prefix, W, G, TW);
  const int AW = pe_west_width(kind, WA), n = WA + W;
  std::string body;
  for (int k = 0; k < G; ++k) {
    const std::string K = num(k), a = "a[" + num(k * AW) + " +: " + num(AW) + "]",
                      b = "b[" + num(k * W) + " +: " + num(W) + "]";
    if (pe_has_multiplier_module(kind)) {
      body += "  wire [" + num(n - 1) + ":0] p" + K + ";\n  " + prefix + "_mul u_mul" + K +
              " (.a(" + a + "), .b(" + b + "), .p(p" + K + "));\n";
    } else {
      body += "  wire signed [" + num(n - 1) + ":0] p" + K + " = $signed(" + a + ") * $signed(" +
              b + ");\n";
    }
    // the product at the tree's width: sign-extended, or its low TW bits
    if (TW > n)
      body += "  wire [" + num(TW - 1) + ":0] s0_" + K + " = {{" + num(TW - n) + "{p" + K + "[" +
              num(n - 1) + "]}}, p" + K + "};\n";
    else if (TW == n)
      body += "  wire [" + num(TW - 1) + ":0] s0_" + K + " = p" + K + ";\n";
    else
      body += "  wire [" + num(TW - 1) + ":0] s0_" + K + " = p" + K + "[" + num(TW - 1) +
              ":0];\n  // verilator lint_off UNUSED\n  wire _unused_p" + K + " = &{1'b0, p" + K +
              "[" + num(n - 1) + ":" + num(TW) + "], 1'b0};\n  // verilator lint_on UNUSED\n";
  }
  // balanced adder tree: level l adds pairs of level l-1, an odd word passes
  int words = G, level = 0;
  while (words > 1) {
    const std::string L = num(level), N = num(level + 1);
    for (int k = 0; k < (words + 1) / 2; ++k) {
      const std::string x = "s" + L + "_" + num(2 * k), y = "s" + L + "_" + num(2 * k + 1);
      body += "  wire [" + num(TW - 1) + ":0] s" + N + "_" + num(k) + " = " +
              (2 * k + 1 < words ? x + " + " + y : x) + ";\n";
    }
    words = (words + 1) / 2;
    ++level;
  }
  const std::string mul_doc = pe_has_multiplier_module(kind)
                                  ? "one " + prefix + "_mul (" + kind + ") per lane"
                                  : std::string("behavioural multipliers");
  return "`timescale 1ns/1ps\n// Dot product of " + num(G) + " lanes: " + mul_doc +
         ", products at " + num(TW) +
         " bits,\n// summed by a balanced tree of carry-propagate adds (modulo 2^" + num(TW) +
         ").\nmodule " + prefix + "_dot (\n  input  wire [" + num(G * AW - 1) +
         ":0] a,\n  input  wire [" + num(G * W - 1) + ":0] b,\n  output wire [" + num(TW - 1) +
         ":0] y\n);\n" + body + "  assign y = s" + num(level) + "_0;\nendmodule\n";
}

} // namespace tpe
