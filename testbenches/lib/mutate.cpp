// Mutation testing of the checker. Algorithm: each generated file is scanned
// line by line (comments, declarations, module headers, generate loops and
// lint-only `_unused` wires are skipped) for mutation sites of nine kinds:
// operator (+/-, &/|, &&/||, ==/!=, </<=, >/>=, ^/&, outside index brackets),
// not (a ~ or ! dropped), reset / enable (an if condition or a reset input
// inverted), constant (a decimal constant +-1, the last bit of a sized literal
// flipped), stuck (bit 0 or the top bit of an assigned register or wire forced
// to 1 or 0; bit 0 in 32-bit counters, whose top bit needs 2^31 SRAM words),
// drop-reg (a one-line clocked register made combinational), add-reg (a
// continuous assignment delayed by one register), swap (a signal in an
// expression replaced by another of the same declared width). Sites are listed
// deterministically; a seeded stream picks mutants round-robin over the kinds.
// Each mutant is built and checked by verify_systolic; a survivor goes to yosys
// (prove_equivalent): first the changed module alone, original against mutant
// with every input free (equal outputs from the zero state for every input
// sequence make the designs equal, the module being replaced by an equivalent
// one in an unchanged context), else the whole design. Survivors not proven
// equivalent are escapes.
#include "testbenches/lib/mutate.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/operand_dist.h"
#include "core/process.h"
#include "core/workload.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/verify.h"
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace tpe {

namespace {

struct Decl {
  std::string range; // "H:L" text, empty for a scalar
  std::string hi, lo;
  bool is_reg = false;
};

std::vector<std::string> split_lines(const std::string& t) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : t) {
    if (c == '\n') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines)
    s += l + "\n";
  return s;
}

// Length of the code part of a line (before a // comment).
size_t code_len(const std::string& l) {
  const size_t p = l.find("//");
  return p == std::string::npos ? l.size() : p;
}

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  const size_t b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

// Declarations of one module file: name -> width and kind.
std::map<std::string, Decl> parse_decls(const std::vector<std::string>& lines) {
  static const std::regex decl_re(
      R"(\b(wire|reg)\b\s*(signed\s+)?(\[([^\]]*)\])?\s*([A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*))");
  std::map<std::string, Decl> d;
  for (const auto& l : lines) {
    const std::string code = l.substr(0, code_len(l));
    std::smatch m;
    if (!std::regex_search(code, m, decl_re)) continue;
    if (code.find("genvar") != std::string::npos) continue;
    Decl x;
    x.is_reg = m[1] == "reg";
    x.range = m[4].matched ? std::string(m[4]) : "";
    if (!x.range.empty()) {
      const size_t c = x.range.rfind(':');
      if (c == std::string::npos || x.range.find("+:") != std::string::npos) continue;
      x.hi = trim(x.range.substr(0, c));
      x.lo = trim(x.range.substr(c + 1));
    }
    const bool port =
        code.find("input") != std::string::npos || code.find("output") != std::string::npos;
    std::string names = m[5];
    std::stringstream ss(names);
    std::string n;
    while (std::getline(ss, n, ',')) {
      n = trim(n);
      if (!n.empty()) d[n] = x;
      if (port) break;
    }
  }
  return d;
}

// Bracket depth ([...]) before each character of `code`.
std::vector<int> bracket_depth(const std::string& code) {
  std::vector<int> depth(code.size() + 1, 0);
  int dd = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '[') ++dd;
    depth[i] = dd;
    if (code[i] == ']') --dd;
  }
  depth[code.size()] = dd;
  return depth;
}

bool skip_line(const std::string& code) {
  const std::string t = trim(code);
  if (t.empty() || t[0] == '`') return true;
  for (const char* w : {"module ", "endmodule", "parameter ", "input ", "output ", "genvar",
                        "for (", "_unused", "localparam"})
    if (t.find(w) != std::string::npos) return true;
  return false;
}

// Index of the ')' closing the '(' at `open`, or npos.
size_t matching_paren(const std::string& s, size_t open) {
  int d = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '(') ++d;
    if (s[i] == ')' && --d == 0) return i;
  }
  return std::string::npos;
}

const std::set<std::string>& keywords() {
  static const std::set<std::string> k = {
      "if",  "else", "begin", "end",    "assign", "always",  "posedge", "negedge",  "wire",
      "reg", "or",   "and",   "signed", "case",   "endcase", "default", "generate", "endgenerate"};
  return k;
}

struct SiteCollector {
  std::string design, file;
  std::vector<Mutant>& out;
  void add(const std::string& kind, int line, const std::string& orig, const std::string& mut) {
    if (orig == mut) return;
    out.push_back({design, kind, file, line, orig, mut});
  }
};

// The mask (one-hot or its complement) text for bit `hi` or `lo` of a [hi:0]
// vector: {1'b1, {(hi){1'b0}}} or {{(hi){1'b0}}, 1'b1}.
std::string stuck_expr(const std::string& e, const Decl& d, bool top, bool one) {
  const std::string mask =
      top ? "{1'b1, {(" + d.hi + "){1'b0}}}" : "{{(" + d.hi + "){1'b0}}, 1'b1}";
  return one ? "(" + e + ") | " + mask : "(" + e + ") & ~" + mask;
}

void line_sites(SiteCollector& sc, int ln, const std::string& line,
                const std::map<std::string, Decl>& decls, bool has_clk) {
  const size_t cl = code_len(line);
  const std::string code = line.substr(0, cl), comment = line.substr(cl);
  if (skip_line(code)) return;
  const std::vector<int> depth = bracket_depth(code);
  auto with = [&](size_t pos, size_t len, const std::string& rep) {
    return code.substr(0, pos) + rep + code.substr(pos + len) + comment;
  };
  // operators
  static const std::vector<std::pair<std::string, std::string>> ops = {
      {" + ", " - "},   {" - ", " + "},   {" & ", " | "},   {" | ", " & "},
      {" && ", " || "}, {" || ", " && "}, {" == ", " != "}, {" != ", " == "},
      {" < ", " <= "},  {" > ", " >= "},  {" >= ", " > "},  {" ^ ", " & "}};
  for (const auto& [from, to] : ops)
    for (size_t p = code.find(from); p != std::string::npos; p = code.find(from, p + 1))
      if (depth[p] == 0) sc.add("operator", ln, line, with(p, from.size(), to));
  // dropped ~ and !
  for (size_t p = 0; p < code.size(); ++p)
    if ((code[p] == '~' && p + 1 < code.size() && code[p + 1] != '^' && code[p + 1] != '&' &&
         code[p + 1] != '|') ||
        (code[p] == '!' && p + 1 < code.size() && code[p + 1] != '='))
      sc.add("not", ln, line, with(p, 1, ""));
  // inverted conditions
  for (size_t p = code.find("if ("); p != std::string::npos; p = code.find("if (", p + 1)) {
    const size_t q = matching_paren(code, p + 3);
    if (q == std::string::npos) continue;
    const std::string cond = code.substr(p + 4, q - p - 4);
    const std::string kind = std::regex_search(cond, std::regex(R"(\brst\b)")) ? "reset" : "enable";
    sc.add(kind, ln, line, with(p, q - p + 1, "if (!(" + cond + "))"));
  }
  for (const char* r : {"rst ? ", ".rst(rst)"}) {
    const size_t p = code.find(r);
    if (p == std::string::npos) continue;
    sc.add("reset", ln, line,
           with(p, std::string(r).size(), std::string(r) == "rst ? " ? "!rst ? " : ".rst(!rst)"));
  }
  // constants: decimal numbers outside brackets, sized binary literals
  for (size_t p = 0; p < code.size();) {
    if (!std::isdigit(static_cast<unsigned char>(code[p])) ||
        (p > 0 && (is_ident_char(code[p - 1]) || code[p - 1] == '\'' || code[p - 1] == '.'))) {
      ++p;
      continue;
    }
    size_t q = p;
    while (q < code.size() && std::isdigit(static_cast<unsigned char>(code[q])))
      ++q;
    if (q < code.size() && code[q] == '\'') { // sized literal: flip its last bit
      size_t e = q + 2;
      while (e < code.size() && (code[e] == '0' || code[e] == '1'))
        ++e;
      if (q + 1 < code.size() && code[q + 1] == 'b' && e > q + 2) {
        std::string lit = code.substr(p, e - p);
        lit.back() = lit.back() == '0' ? '1' : '0';
        sc.add("constant", ln, line, with(p, e - p, lit));
      }
      p = e;
      continue;
    }
    if (depth[p] == 0 && (q >= code.size() || !is_ident_char(code[q]))) {
      const long v = std::stol(code.substr(p, q - p));
      sc.add("constant", ln, line, with(p, q - p, std::to_string(v + 1)));
      if (v > 0) sc.add("constant", ln, line, with(p, q - p, std::to_string(v - 1)));
    }
    p = q;
  }
  // statements: X <= E; (registers) and assign X = E; / wire [..] X = E; (wires)
  static const std::regex nba(R"(([A-Za-z_][A-Za-z0-9_]*)\s*<=\s*([^;]*);)");
  for (auto it = std::sregex_iterator(code.begin(), code.end(), nba); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    const size_t p = static_cast<size_t>(m.position(0));
    // an assignment follows the start of the line, ';', ')', 'else' or 'begin'
    const std::string before = trim(code.substr(0, p));
    if (!(before.empty() || before.back() == ';' || before.back() == ')' ||
          (before.size() >= 4 && before.compare(before.size() - 4, 4, "else") == 0) ||
          (before.size() >= 5 && before.compare(before.size() - 5, 5, "begin") == 0)))
      continue;
    const std::string name = m[1], rhs = m[2];
    const auto d = decls.find(name);
    if (d == decls.end()) continue;
    const size_t rp = static_cast<size_t>(m.position(2)), rl = static_cast<size_t>(m.length(2));
    if (d->second.range.empty()) {
      sc.add("stuck", ln, line, with(rp, rl, rhs == "1'b1" ? "1'b0" : "1'b1"));
    } else if (d->second.lo == "0") {
      const bool top = ln % 2 == 0 && d->second.hi != "31", one = (ln / 2) % 2 == 0;
      sc.add("stuck", ln, line, with(rp, rl, stuck_expr(rhs, d->second, top, one)));
    }
    // a one-line clocked register made combinational
    if (before == "always @(posedge clk)")
      sc.add("drop-reg", ln, line, with(0, code.size(), "  always @* " + name + " = " + rhs + ";"));
  }
  static const std::regex cont(
      R"(^(\s*)(assign\s+([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?|wire\s*(\[[^\]]*\])?\s*([A-Za-z_][A-Za-z0-9_]*))\s*=\s*([^;]*);)");
  std::smatch m;
  if (std::regex_search(code, m, cont)) {
    const bool is_assign = m[3].matched;
    const std::string name = is_assign ? m[3] : m[6];
    const std::string sel = m[4].matched ? std::string(m[4]) : "";
    const std::string rhs = m[7];
    const size_t rp = static_cast<size_t>(m.position(7)), rl = static_cast<size_t>(m.length(7));
    const auto d = decls.find(name);
    std::string reg_range; // range of the added register, "-" when unknown
    if (!sel.empty()) {
      static const std::regex plus(R"(\[[^\]]*\+:\s*([^\]]+)\])");
      std::smatch pm;
      if (std::regex_match(sel, pm, plus))
        reg_range = "[(" + trim(pm[1]) + ")-1:0] ";
      else if (sel.find(':') == std::string::npos)
        reg_range = "";
      else
        reg_range = "-";
    } else if (d != decls.end()) {
      reg_range = d->second.range.empty() ? "" : "[" + d->second.range + "] ";
      if (d->second.range.empty())
        sc.add("stuck", ln, line, with(rp, rl, rhs == "1'b1" ? "1'b0" : "1'b1"));
      else if (d->second.lo == "0")
        sc.add("stuck", ln, line,
               with(rp, rl,
                    stuck_expr(rhs, d->second, ln % 2 == 0 && d->second.hi != "31",
                               (ln / 2) % 2 == 0)));
    } else {
      reg_range = "-";
    }
    if (has_clk && reg_range != "-") {
      const std::string lhs = trim(
          code.substr(static_cast<size_t>(m.position(2)), rp - static_cast<size_t>(m.position(2))));
      sc.add("add-reg", ln, line,
             std::string(m[1]) + "reg " + reg_range +
                 "tpe_mut_q; always @(posedge clk) tpe_mut_q <= " + rhs + "; " + lhs +
                 " tpe_mut_q;" + comment);
    }
    // swapped wires: one identifier of the expression replaced by another
    // signal of the same declared width
    for (size_t p = 0; p < rhs.size();) {
      if (!std::isalpha(static_cast<unsigned char>(rhs[p])) && rhs[p] != '_') {
        p = is_ident_char(rhs[p]) ? p + 1 : p + 1;
        while (p < rhs.size() && p > 0 && is_ident_char(rhs[p - 1]) && is_ident_char(rhs[p]))
          ++p;
        continue;
      }
      size_t q = p;
      while (q < rhs.size() && is_ident_char(rhs[q]))
        ++q;
      const std::string id = rhs.substr(p, q - p);
      const bool prev_ok = p == 0 || (rhs[p - 1] != '.' && rhs[p - 1] != '\'');
      const auto di = decls.find(id);
      if (prev_ok && di != decls.end() && id != "clk" && !keywords().count(id)) {
        std::vector<std::string> same;
        for (const auto& [n, x] : decls)
          if (n != id && n != name && n != "clk" && x.range == di->second.range) same.push_back(n);
        if (!same.empty()) {
          const std::string partner = same[static_cast<size_t>(ln) % same.size()];
          sc.add("swap", ln, line, with(rp + p, id.size(), partner));
        }
      }
      p = q;
    }
  }
}

uint64_t name_hash(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

} // namespace

std::vector<Mutant> mutation_sites(const std::string& design, const GeneratedRtl& g) {
  std::vector<Mutant> out;
  for (const auto& file : g.sources) {
    const auto it = g.files.find(file);
    if (it == g.files.end()) continue;
    const std::vector<std::string> lines = split_lines(it->second);
    const auto decls = parse_decls(lines);
    const bool has_clk = decls.count("clk") > 0;
    SiteCollector sc{design, file, out};
    for (size_t i = 0; i < lines.size(); ++i)
      line_sites(sc, static_cast<int>(i + 1), lines[i], decls, has_clk);
  }
  return out;
}

std::vector<Mutant> pick_mutants(const std::string& design, const GeneratedRtl& g, uint64_t seed,
                                 int n) {
  std::map<std::string, std::vector<Mutant>> by_kind;
  for (auto& m : mutation_sites(design, g))
    by_kind[m.kind].push_back(m);
  std::mt19937_64 rng(seed ^ name_hash(design));
  for (auto& [k, v] : by_kind)
    std::shuffle(v.begin(), v.end(), rng);
  std::vector<Mutant> out;
  std::map<std::string, size_t> next;
  while (static_cast<int>(out.size()) < n) {
    bool any = false;
    for (auto& [k, v] : by_kind) {
      if (static_cast<int>(out.size()) >= n) break;
      if (next[k] < v.size()) {
        out.push_back(v[next[k]++]);
        any = true;
      }
    }
    if (!any) break;
  }
  return out;
}

GeneratedRtl apply_mutant(const GeneratedRtl& g, const Mutant& m) {
  GeneratedRtl out = g;
  auto it = out.files.find(m.file);
  if (it == out.files.end()) throw std::logic_error("mutant of unknown file " + m.file);
  std::vector<std::string> lines = split_lines(it->second);
  if (m.line < 1 || static_cast<size_t>(m.line) > lines.size() ||
      lines[static_cast<size_t>(m.line - 1)] != m.original)
    throw std::logic_error("mutant line " + m.file + ":" + std::to_string(m.line) + " not found");
  lines[static_cast<size_t>(m.line - 1)] = m.mutated;
  it->second = join_lines(lines);
  return out;
}

PdrVerdict parse_pdr_log(const std::string& text) {
  PdrVerdict v;
  static const std::regex cex(R"(was asserted in frame ([0-9]{1,9}))");
  std::smatch m;
  if (std::regex_search(text, m, cex)) {
    v.cex_frame = std::stoi(m[1]);
    return v;
  }
  v.proved = text.find("Property proved") != std::string::npos &&
             text.find("UNDECIDED") == std::string::npos &&
             text.find("Property FAILED") == std::string::npos;
  return v;
}

const char* fate_name(MutantFate f) {
  switch (f) {
  case MutantFate::Caught:
    return "caught";
  case MutantFate::Stillborn:
    return "stillborn";
  case MutantFate::Equivalent:
    return "equivalent";
  case MutantFate::Escape:
    return "ESCAPE";
  }
  return "?";
}

namespace {

namespace fs = std::filesystem;

void write_design(const GeneratedRtl& g, const fs::path& dir) {
  fs::create_directories(dir);
  for (const auto& [name, text] : g.files)
    write_file_atomic((dir / name).string(), text);
}

// Script lines that read `g` from `dir` and elaborate it from its top; with a
// `module` (a name `hierarchy` gives an instance of a submodule, parameters
// included), that module becomes the only top (the rest is removed).
std::string elaborate_script(const GeneratedRtl& g, const std::string& dir,
                             const std::string& module) {
  std::string s = "read_verilog -sv";
  for (const auto& f : g.sources)
    s += " " + dir + "/" + f;
  s += "\nhierarchy -check -top " + g.top + "\n";
  if (!module.empty()) s += "hierarchy -top " + module + "\n";
  return s;
}

std::string read_design_script(const GeneratedRtl& g, const std::string& dir, const std::string& as,
                               const std::string& module) {
  return elaborate_script(g, dir, module) + "proc\nflatten\nopt_clean -purge\nrename -top " + as +
         "\ndesign -stash " + as + "\n";
}

std::string both_designs(const GeneratedRtl& gold, const GeneratedRtl& gate,
                         const std::string& module = "") {
  return read_design_script(gold, "gold", "gold", module) +
         read_design_script(gate, "gate", "gate", module) +
         "design -copy-from gold -as gold gold\ndesign -copy-from gate -as gate gate\n";
}

int run_yosys(const fs::path& dir, const std::string& name, const std::string& script,
              std::string& log_text) {
  write_file_atomic((dir / (name + ".ys")).string(), script);
  const std::string log = (dir / (name + ".log")).string();
  const int rc = run_process({"timeout", "300", "yosys", "-q", "-l", log, name + ".ys"},
                             dir.string(), (dir / (name + ".out")).string());
  std::error_code ec; // no log when yosys did not start: the caller reports rc
  log_text = fs::exists(log, ec) ? read_tool_output(log, "yosys's log") : "";
  return rc;
}

// Signal names of the unproven $equiv points listed by equiv_status, as the
// designs name them: "Unproven $equiv CELL: \\NAME_gold [BIT] \\NAME_gate [BIT]"
// gives NAME.
std::vector<std::string> unproven_points(const std::string& log) {
  std::vector<std::string> out;
  static const std::regex re(R"(Unproven \$equiv \S+: \\?(\S+?)_gold( \[[0-9:]+\])? )");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), re); it != std::sregex_iterator();
       ++it)
    out.push_back((*it)[1]);
  return out;
}

} // namespace

GeneratedRtl with_protocol_wrapper(const GeneratedRtl& g) {
  // the scale SRAMs (ws_rd_*, ns_rd_*) and the output SRAM's second bank (ob_wr_data,
  // written with the output word) follow the same protocol (testbenches/sram_protocol.h)
  static const std::map<std::string, std::string> enable = {
      {"w_rd_addr", "w_rd_en"},   {"n_rd_addr", "n_rd_en"},  {"o_rd_addr", "o_rd_en"},
      {"o_wr_addr", "o_wr_en"},   {"o_wr_data", "o_wr_en"},  {"ob_wr_data", "o_wr_en"},
      {"ws_rd_addr", "ws_rd_en"}, {"ns_rd_addr", "ns_rd_en"}};
  static const std::regex port(R"(^\s*(input|output)\s+(wire|reg)?\s*(\[[^\]]*\])?\s*(\w+))");
  std::string header, wires, conns, assigns;
  bool in_header = false;
  for (const auto& l : split_lines(g.files.at(g.top + ".v"))) {
    if (!in_header && l.rfind("module " + g.top, 0) == 0) {
      in_header = true;
      header += "module " + g.top + "_proof" + l.substr(7 + g.top.size()) + "\n";
      continue;
    }
    if (!in_header) continue;
    // the wrapper drives its outputs by assign: an `output reg` of the top is a wire here
    static const std::regex out_reg(R"(^(\s*output\s+)reg )");
    header += std::regex_replace(l, out_reg, "$1wire") + "\n";
    if (trim(l) == ");") break;
    std::smatch m;
    if (!std::regex_search(l, m, port)) continue;
    const std::string name = m[4], range = m[3];
    if (!conns.empty()) conns += ", ";
    if (m[1] == "input") {
      conns += "." + name + "(" + name + ")";
      continue;
    }
    wires += "  wire " + range + " " + name + "_i;\n";
    conns += "." + name + "(" + name + "_i)";
    const auto e = enable.find(name);
    assigns += "  assign " + name + " = " +
               (e == enable.end() ? name + "_i" : e->second + "_i ? " + name + "_i : 0") + ";\n";
  }
  GeneratedRtl w = g;
  w.top = g.top + "_proof";
  w.files[w.top + ".v"] =
      header + wires + "  " + g.top + " u_dut (" + conns + ");\n" + assigns + "endmodule\n";
  w.sources.push_back(w.top + ".v");
  return w;
}

namespace {

// Stage 3 of prove_equivalent: the output miter of the two wrapped designs as an
// AIGER file with zero initial state, checked by ABC (scorr, then pdr). Fills
// `r` (induction and method "pdr" when proved, pdr_cex and bmc_fail_step on a
// counterexample, else only detail and log).
void run_pdr(const fs::path& dir, int seconds, EquivResult& r, bool scorr = true);

// The yosys commands that turn the elaborated top (flattened) into an AIGER
// file dir/miter.aig for ABC: undefined bits 0, every register starting at 0.
const char* const kAigerPrep = "setundef -undriven -zero\nasync2sync\ndffunmap\ntechmap\n"
                               "setundef -undriven -zero\nsetundef -zero -init\nopt -fast\n"
                               "dffunmap\naigmap\nopt_clean\nsetundef -zero\n"
                               "write_aiger -zinit miter.aig\n";

void prove_by_pdr(const fs::path& dir, const std::string& load, int seconds, EquivResult& r) {
  // undefined bits become 0 before any optimization can use them as don't-cares
  // (Verilator builds with --x-assign 0 --x-initial 0); every register starts at 0
  const std::string aig =
      load + "miter -equiv -flatten gold gate miter\nhierarchy -top miter\n" + kAigerPrep;
  std::string log;
  if (run_yosys(dir, "aiger", aig, log) != 0) {
    r.log = (dir / "aiger.log").string();
    r.detail = "the miter could not be written as AIGER (log " + r.log + ")";
    return;
  }
  run_pdr(dir, seconds, r);
}

// ABC's pdr on dir/miter.aig (its one output must stay 0), after scorr when
// `scorr`: fills `r` as prove_by_pdr does.
void run_pdr(const fs::path& dir, int seconds, EquivResult& r, bool scorr) {
  const std::string abc_log = (dir / "pdr.log").string();
  const std::string cmd = std::string("read_aiger miter.aig; strash; ") + (scorr ? "scorr; " : "") +
                          "pdr -T " + std::to_string(seconds);
  run_process({"timeout", std::to_string(seconds + 120), "yosys-abc", "-c", cmd}, dir.string(),
              abc_log);
  std::error_code ec;
  const PdrVerdict v =
      parse_pdr_log(fs::is_regular_file(abc_log, ec) ? read_file(abc_log, "the ABC log") : "");
  r.log = abc_log;
  if (v.proved) {
    r.induction = true;
    r.method = "pdr";
    r.detail = "proven: no output difference is reachable from the zero state (ABC scorr + pdr, "
               "an inductive invariant found)";
  } else if (v.cex_frame >= 0) {
    r.pdr_cex = true;
    r.bmc_fail_step = v.cex_frame + 1;
    r.detail = "ABC pdr found an output difference in cycle " + std::to_string(v.cex_frame + 1) +
               " from the zero state";
  } else {
    r.detail = "ABC pdr undecided within " + std::to_string(seconds) + " s";
  }
}

// Stages 1 and 2 of a proof (the same netlist, then induction over matched
// points) on the designs `gold` and `gate` written under `dir`, elaborated from
// `module` (empty: their tops) and loaded by `load`; `ports` are the names that
// must never be unmatched. Fills `r` when proven.
void prove_by_netlist_or_induction(const fs::path& dir, const GeneratedRtl& gold,
                                   const GeneratedRtl& gate, const std::string& module,
                                   const std::string& load, const std::set<std::string>& ports,
                                   EquivResult& r) {
  // cheap first: the same netlist after elaboration and optimization
  std::string log;
  auto netlist = [&](const GeneratedRtl& g, const std::string& sub) {
    return elaborate_script(g, sub, module) + "proc\nflatten\nopt -full\n" +
           "opt_clean -purge\nrename -enumerate\nwrite_verilog -noattr " + sub + ".net.v\n";
  };
  if (run_yosys(dir, "same", netlist(gold, "gold") + "design -reset\n" + netlist(gate, "gate"),
                log) == 0 &&
      read_file((dir / "gold.net.v").string()) == read_file((dir / "gate.net.v").string())) {
    r.induction = true;
    r.method = "netlist";
    r.detail = "proven: the same netlist as the original after elaboration and optimization "
               "(yosys proc; flatten; opt -full)";
    return;
  }
  // induction over matched points, unmatching unprovable internal ones
  std::set<std::string> blacklist;
  for (int round = 0; round < 4 && !r.induction; ++round) {
    std::string bl;
    for (const auto& b : blacklist)
      bl += b + "\n";
    write_file_atomic((dir / "blacklist.txt").string(), bl);
    const std::string script =
        load + "equiv_make -blacklist blacklist.txt gold gate equiv\n" +
        "hierarchy -top equiv\nequiv_struct equiv\nequiv_miter -assert base equiv\n" +
        "sat -prove-asserts -set-init-zero -seq 2 base\n" +
        "equiv_simple -seq 2 equiv\nequiv_induct -seq 2 equiv\n" + "equiv_status equiv\n";
    if (run_yosys(dir, "induct", script, log) != 0) {
      r.detail = "yosys failed (log " + (dir / "induct.log").string() + ")";
      break;
    }
    const bool base_ok = log.find("model found: FAIL!") == std::string::npos &&
                         log.find("no model found: SUCCESS!") != std::string::npos;
    const std::vector<std::string> up = unproven_points(log);
    const bool all_proven = log.find("Equivalence successfully proven!") != std::string::npos &&
                            log.find(" 0 are unproven.") != std::string::npos;
    if (all_proven && up.empty() && base_ok) {
      r.induction = true;
      r.method = "induction";
      r.detail = "proven: matched points equal in the zero state (SAT) and kept equal "
                 "(equiv_induct)" +
                 std::string(blacklist.empty() ? ""
                                               : ", " + std::to_string(blacklist.size()) +
                                                     " internal point(s) unmatched");
      break;
    }
    bool port_unproven = false, added = false;
    for (const auto& u : up) {
      if (ports.count(u))
        port_unproven = true;
      else if (blacklist.insert(u).second)
        added = true;
    }
    if (port_unproven || !added) break;
  }
}

// The one module a mutant changes, or "" when it changes more than one file or
// module: every line where `gold` and `gate` differ lies in the same module
// (the last `module NAME` line before it, in both); a file whose line count
// changed must hold one module.
std::string changed_module(const GeneratedRtl& gold, const GeneratedRtl& gate) {
  std::string file;
  for (const auto& [name, text] : gold.files) {
    const auto it = gate.files.find(name);
    if (it == gate.files.end()) return "";
    if (it->second == text) continue;
    if (!file.empty()) return "";
    file = name;
  }
  if (file.empty() || gold.files.size() != gate.files.size()) return "";
  const std::vector<std::string> a = split_lines(gold.files.at(file)),
                                 b = split_lines(gate.files.at(file));
  static const std::regex mod(R"(^\s*module\s+([A-Za-z_][A-Za-z0-9_]*))");
  auto modules = [](const std::vector<std::string>& lines) {
    std::vector<std::string> at; // the module each line lies in
    std::string cur;
    for (const auto& l : lines) {
      std::smatch m;
      if (std::regex_search(l, m, mod)) cur = m[1];
      at.push_back(cur);
    }
    return at;
  };
  const std::vector<std::string> ma = modules(a), mb = modules(b);
  if (a.size() != b.size()) {
    const std::set<std::string> sa(ma.begin(), ma.end()), sb(mb.begin(), mb.end());
    return sa.size() == 1 && sa == sb ? *sa.begin() : "";
  }
  std::string module;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    if (ma[i] != mb[i] || ma[i].empty() || (!module.empty() && module != ma[i])) return "";
    module = ma[i];
  }
  return module;
}

// The instances of `module` in the elaborated `g` (read from `dir`): the names
// `hierarchy` gives them (module, or $paramod...\module... per parameter set),
// each with its port names, from yosys's `select -list` of every port.
std::map<std::string, std::set<std::string>>
module_instances(const fs::path& dir, const GeneratedRtl& g, const std::string& module) {
  std::map<std::string, std::set<std::string>> out;
  std::string log;
  if (run_yosys(dir, "instances", elaborate_script(g, "gold", "") + "select -list */i:* */o:*\n",
                log) != 0)
    return out;
  const std::string tail = "\\" + module;
  for (const auto& line : split_lines(log)) {
    const size_t slash = line.rfind('/');
    if (slash == std::string::npos || slash == 0) continue;
    const std::string name = line.substr(0, slash), port = line.substr(slash + 1);
    const bool derived = name.rfind("$paramod", 0) == 0 &&
                         ((name.size() > tail.size() &&
                           name.compare(name.size() - tail.size(), tail.size(), tail) == 0) ||
                          name.find(tail + "\\") != std::string::npos);
    if ((name == module || derived) && !port.empty() &&
        port.find_first_of(" \t") == std::string::npos)
      out[name].insert(port);
  }
  return out;
}

// The registers a one-line mutant assigns differently: the names X of the
// non-blocking assignments "X <= E;" of the changed line whose E changed
// (empty when more than one line changed or the assignments do not pair up).
std::set<std::string> changed_registers(const GeneratedRtl& gold, const GeneratedRtl& gate) {
  std::set<std::string> out;
  std::string a, b;
  for (const auto& [name, text] : gold.files) {
    const auto it = gate.files.find(name);
    if (it == gate.files.end() || it->second == text) continue;
    const std::vector<std::string> x = split_lines(text), y = split_lines(it->second);
    if (x.size() != y.size() || !a.empty()) return {};
    for (size_t i = 0; i < x.size(); ++i) {
      if (x[i] == y[i]) continue;
      if (!a.empty()) return {};
      a = x[i];
      b = y[i];
    }
  }
  static const std::regex nba(R"(([A-Za-z_][A-Za-z0-9_]*)\s*<=\s*([^;]*);)");
  std::vector<std::pair<std::string, std::string>> pa, pb;
  auto assignments = [](const std::string& line) {
    std::vector<std::pair<std::string, std::string>> v;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), nba);
         it != std::sregex_iterator(); ++it)
      v.push_back({(*it)[1], (*it)[2]});
    return v;
  };
  pa = assignments(a);
  pb = assignments(b);
  if (pa.size() != pb.size()) return {};
  for (size_t i = 0; i < pa.size(); ++i) {
    if (pa[i].first != pb[i].first) return {};
    if (pa[i].second != pb[i].second) out.insert(pa[i].first);
  }
  return out;
}

// Ports of module `mod` in a yosys JSON netlist: name -> (direction, bits).
std::map<std::string, std::pair<std::string, size_t>> json_ports(const std::string& path,
                                                                 const std::string& mod) {
  std::map<std::string, std::pair<std::string, size_t>> out;
  const nlohmann::json j = nlohmann::json::parse(read_file(path, "yosys's JSON netlist"));
  for (const auto& [name, p] : j.at("modules").at(mod).at("ports").items())
    out[name] = {p.at("direction").get<std::string>(), p.at("bits").size()};
  return out;
}

// The shared-state check of the changed module (method "shared-pdr"): one
// copy of every register but the `apart` ones (the registers the mutant
// assigns differently; none when it changes no register assignment, a
// condition say), which gold and gate keep each their own; the shared
// registers follow gold's next state. ABC's pdr must show that on every
// reachable state gold and gate give the same outputs and the same next state
// of every shared register. Sound for any choice of `apart`, by induction over
// the cycles: the gate's state is then (shared, its own apart registers) on
// every cycle, so its outputs are gold's. A counterexample is not an output
// difference (the condition is sufficient, not necessary). With `apart` empty
// it reads: on every reachable state of gold, gate's next-state and output
// functions agree with gold's, so gate's states are gold's. ABC runs pdr alone.
// The registers ($dff cells after proc and async2sync) become ports by yosys's
// `expose -evert-dff` (Q an input NAME.tpe_q, D an output NAME.tpe_d); other
// state (latches, memories) stays in each copy, which keeps the argument sound.
// `proc` without its closing opt_expr: the registers keep the names of their
// declarations (opt_expr may turn a mutant's logic into a plain connection of a
// register to an output port, whose name opt_clean then gives the register).
const char* const kProcNoOpt = "proc_clean\nproc_rmdead\nproc_prune\nproc_init\nproc_arst\n"
                               "proc_rom\nproc_mux\nproc_dlatch\nproc_dff\nproc_memwr\n"
                               "proc_clean\n";

void prove_shared(const fs::path& dir, const GeneratedRtl& gold, const GeneratedRtl& gate,
                  const std::string& module, const std::set<std::string>& apart, int seconds,
                  EquivResult& r) {
  write_design(gold, dir / "gold");
  write_design(gate, dir / "gate");
  std::string s, log;
  for (const char* as : {"gold", "gate"})
    s += elaborate_script(std::string(as) == "gold" ? gold : gate, as, module) + kProcNoOpt +
         "flatten\nasync2sync\nopt_clean -purge\nrename -top " + as +
         "\nexpose -evert-dff -sep .tpe_ t:$dff\nwrite_verilog -noattr " + as +
         ".ev.v\nwrite_json " + as + ".ev.json\ndesign -reset\n";
  if (run_yosys(dir, "evert", s, log) != 0) {
    r.detail =
        "the shared-state check could not be built (log " + (dir / "evert.log").string() + ")";
    return;
  }
  const auto pg = json_ports((dir / "gold.ev.json").string(), "gold");
  if (pg != json_ports((dir / "gate.ev.json").string(), "gate")) {
    r.detail = "the shared-state check needs the same registers in both";
    return;
  }
  const std::string q = ".tpe_q", d = ".tpe_d";
  auto esc = [](const std::string& n) { return "\\" + n + " "; };
  auto rng = [](size_t w) { return "[" + std::to_string(w - 1) + ":0] "; };
  std::string head, body, conn_g, conn_m, clocked, trigger;
  int k = 0;
  size_t found = 0;
  for (const auto& [name, pd] : pg) {
    const auto& [dir_, w] = pd;
    const bool is_q =
        name.size() > q.size() && name.compare(name.size() - q.size(), q.size(), q) == 0;
    if (name.find(".tpe_") == std::string::npos) {
      if (dir_ == "input") {
        head += "  input wire " + rng(w) + esc(name) + ",\n";
        conn_g += "." + esc(name) + "(" + esc(name) + "), ";
        conn_m += "." + esc(name) + "(" + esc(name) + "), ";
      } else { // every output of the module (no internal signal is exposed)
        const std::string i = std::to_string(k++);
        body += "  wire " + rng(w) + "go" + i + ", mo" + i + ";\n";
        conn_g += "." + esc(name) + "(go" + i + "), ";
        conn_m += "." + esc(name) + "(mo" + i + "), ";
        trigger += " | (go" + i + " != mo" + i + ")";
      }
    } else if (is_q) {
      const std::string base = name.substr(0, name.size() - q.size()), i = std::to_string(k++);
      if (!pg.count(base + d)) return;
      // a register of the mutated module, also inside a flattened instance
      bool own = apart.count(base) > 0;
      for (const auto& x : apart)
        own = own || (base.size() > x.size() + 1 &&
                      base.compare(base.size() - x.size() - 1, x.size() + 1, "." + x) == 0);
      found += own;
      body += "  reg " + rng(w) + "sq" + i + (own ? ", mq" + i : "") + ";\n  wire " + rng(w) +
              "gd" + i + ", md" + i + ";\n";
      conn_g += "." + esc(name) + "(sq" + i + "), ." + esc(base + d) + "(gd" + i + "), ";
      conn_m += "." + esc(name) + "(" + (own ? "mq" : "sq") + i + "), ." + esc(base + d) + "(md" +
                i + "), ";
      clocked +=
          "    sq" + i + " <= gd" + i + ";\n" + (own ? "    mq" + i + " <= md" + i + ";\n" : "");
      if (!own) trigger += " | (gd" + i + " != md" + i + ")";
    }
  }
  if (found < apart.size() || !pg.count("clk") || trigger.empty()) {
    r.detail = "the shared-state check does not apply (a mutated register or the clock not "
               "found)";
    return;
  }
  auto strip = [](std::string c) { return c.substr(0, c.size() - 2); };
  const std::string wrapper =
      "module tpe_shared (\n" + head + "  output wire trigger\n);\n" + body + "  gold ug (" +
      strip(conn_g) + ");\n  gate um (" + strip(conn_m) + ");\n  always @(posedge " + esc("clk") +
      ") begin\n" + clocked + "  end\n  assign trigger = 1'b0" + trigger + ";\nendmodule\n";
  write_file_atomic((dir / "shared.v").string(), wrapper);
  if (run_yosys(dir, "aiger",
                "read_verilog -sv gold.ev.v gate.ev.v shared.v\nhierarchy -check -top "
                "tpe_shared\nproc\nflatten\n" +
                    std::string(kAigerPrep),
                log) != 0) {
    r.detail = "the shared-state check could not be written as AIGER (log " +
               (dir / "aiger.log").string() + ")";
    return;
  }
  // without scorr: its correspondences stop at the unshared registers, and the
  // reduced miter is harder for pdr (the cube's p_r mutant: proven in 1 s
  // without, undecided in 100 s with)
  run_pdr(dir, seconds, r, false);
  if (r.induction) {
    r.method = "shared-pdr";
    r.detail =
        "proven: with one copy of every register" +
        (found == 0 ? std::string() : " but " + std::to_string(found) + " (the mutated one(s))") +
        ", the outputs and the shared next state agree on every reachable state (ABC pdr)";
  } else {
    r.detail = r.pdr_cex
                   ? "the shared-state check failed (not an output difference)"
                   : "the shared-state check undecided within " + std::to_string(seconds) + " s";
    r.pdr_cex = false;
    r.bmc_fail_step = -1;
  }
}

// Stage 0 of prove_equivalent: the changed module alone, original against
// mutant, every input free, for each parameter set it is instantiated with.
// Fills `r` (method "module-...") when every instance is proven; else returns
// with `note` saying why not.
void prove_module(const fs::path& dir, const GeneratedRtl& gold, const GeneratedRtl& gate,
                  int pdr_seconds, EquivResult& r, std::string& note) {
  const std::string module = changed_module(gold, gate);
  if (module.empty() || module == gold.top) return;
  write_design(gold, dir / "gold");
  write_design(gate, dir / "gate");
  const auto inst = module_instances(dir, gold, module);
  const std::set<std::string> apart = changed_registers(gold, gate);
  if (inst.empty()) {
    note = "module " + module + " alone: no instance found";
    return;
  }
  std::string method, detail;
  int k = 0;
  for (const auto& [name, ports] : inst) {
    const fs::path sub = dir / ("i" + std::to_string(k++));
    write_design(gold, sub / "gold");
    write_design(gate, sub / "gate");
    const std::string load = both_designs(gold, gate, name);
    EquivResult m, sh;
    prove_by_netlist_or_induction(sub, gold, gate, name, load, ports, m);
    if (!m.induction) {
      prove_shared(sub / "shared", gold, gate, name, apart, pdr_seconds, sh);
      if (sh.induction) m = sh;
    }
    if (!m.induction) prove_by_pdr(sub, load, pdr_seconds, m);
    if (!m.induction) {
      note = "module " + module + " alone: " +
             (m.pdr_cex ? "its outputs differ with free inputs (" + m.detail + ")" : m.detail) +
             (sh.detail.empty() ? "" : "; " + sh.detail);
      return;
    }
    // the weakest method used over the instances names the proof
    if (method.empty() || m.method == "pdr" || m.method == "shared-pdr" ||
        (m.method == "induction" && method == "netlist")) {
      method = m.method;
      detail = m.detail;
    }
  }
  r.induction = true;
  r.method = "module-" + method;
  r.detail = "module " + module + " alone (" + std::to_string(inst.size()) +
             " parameter set(s), every input free) " + detail;
}

} // namespace

EquivResult prove_equivalent(const GeneratedRtl& gold_rtl, const GeneratedRtl& gate_rtl, int depth,
                             const std::string& workdir, int pdr_seconds) {
  if (find_tool("yosys").empty())
    throw ToolError("yosys not found on PATH (run 'make setup' to install it)");
  if (find_tool("yosys-abc").empty())
    throw ToolError("yosys-abc not found on PATH (run 'make setup' to install yosys)");
  EquivResult r;
  const fs::path dir(workdir);
  // the changed module alone first: its miter is much smaller than the design's
  std::string module_note;
  prove_module(dir / "module", gold_rtl, gate_rtl, pdr_seconds, r, module_note);
  if (r.induction) return r;
  const GeneratedRtl gold = with_protocol_wrapper(gold_rtl), gate = with_protocol_wrapper(gate_rtl);
  write_design(gold, dir / "gold");
  write_design(gate, dir / "gate");
  const std::string load = both_designs(gold, gate);
  // ports of the top: they must all be proven points
  std::set<std::string> ports;
  for (const auto& l : split_lines(gold_rtl.files.at(gold_rtl.top + ".v"))) {
    static const std::regex port(R"(^\s*(input|output)\s+(wire|reg)?\s*(\[[^\]]*\])?\s*(\w+))");
    std::smatch m;
    if (std::regex_search(l, m, port)) ports.insert(m[4]);
  }
  prove_by_netlist_or_induction(dir, gold, gate, "", load, ports, r);
  // the shared-state check on the whole design: the mutated registers of every
  // instance apart (a changed module whose inputs are free may differ where the
  // design never drives it)
  const std::set<std::string> apart = changed_registers(gold_rtl, gate_rtl);
  EquivResult sh;
  if (!r.induction) {
    prove_shared(dir / "shared", gold, gate, "", apart, pdr_seconds, sh);
    if (sh.induction) return sh;
  }
  if (!r.induction) prove_by_pdr(dir, load, pdr_seconds, r);
  // bounded model check of the outputs, when PDR decided nothing
  const std::string bmc = load +
                          "miter -equiv -flatten -make_assert -ignore_gold_x gold gate miter\n" +
                          "hierarchy -top miter\nsat -prove-asserts -set-init-zero -seq " +
                          std::to_string(depth) + " miter\n";
  if (!r.induction && !r.pdr_cex) {
    std::string blog;
    if (run_yosys(dir, "bmc", bmc, blog) == 0 &&
        blog.find("no model found: SUCCESS!") != std::string::npos)
      r.bmc_clean = true;
    else if (blog.find("model found: FAIL!") != std::string::npos)
      r.bmc_fail_step = depth;
    r.log = (dir / "bmc.log").string();
    r.detail = r.bmc_clean ? "no output difference within " + std::to_string(depth) +
                                 " cycles from the zero state, but no proof (" + r.detail + ")"
               : r.bmc_fail_step > 0
                   ? "yosys found an output difference within " + std::to_string(depth) +
                         " cycles from the zero state"
                   : "yosys could not decide (log " + r.log + "; " + r.detail + ")";
  }
  if (!r.induction && !sh.detail.empty()) r.detail += "; " + sh.detail;
  if (!r.induction && !module_note.empty()) r.detail += "; " + module_note;
  return r;
}

EquivResult prove_equivalent_module(const GeneratedRtl& gold, const GeneratedRtl& gate,
                                    const std::string& workdir, int pdr_seconds) {
  if (find_tool("yosys").empty() || find_tool("yosys-abc").empty())
    throw ToolError("yosys or yosys-abc not found on PATH (run 'make setup' to install yosys)");
  EquivResult r;
  std::string note;
  prove_module(fs::path(workdir), gold, gate, pdr_seconds, r, note);
  if (!r.induction) r.detail = note.empty() ? "no single changed submodule" : note;
  return r;
}

EquivResult prove_equivalent_shared(const GeneratedRtl& gold_rtl, const GeneratedRtl& gate_rtl,
                                    const std::string& workdir, int pdr_seconds) {
  if (find_tool("yosys").empty() || find_tool("yosys-abc").empty())
    throw ToolError("yosys or yosys-abc not found on PATH (run 'make setup' to install yosys)");
  EquivResult r;
  prove_shared(fs::path(workdir), with_protocol_wrapper(gold_rtl), with_protocol_wrapper(gate_rtl),
               "", changed_registers(gold_rtl, gate_rtl), pdr_seconds, r);
  return r;
}

EquivResult prove_equivalent_pdr(const GeneratedRtl& gold_rtl, const GeneratedRtl& gate_rtl,
                                 const std::string& workdir, int pdr_seconds) {
  if (find_tool("yosys").empty() || find_tool("yosys-abc").empty())
    throw ToolError("yosys or yosys-abc not found on PATH (run 'make setup' to install yosys)");
  EquivResult r;
  const GeneratedRtl gold = with_protocol_wrapper(gold_rtl), gate = with_protocol_wrapper(gate_rtl);
  const fs::path dir(workdir);
  write_design(gold, dir / "gold");
  write_design(gate, dir / "gate");
  prove_by_pdr(dir, both_designs(gold, gate), pdr_seconds, r);
  return r;
}

std::vector<MutationStimulus> mutation_stimuli(const ArchConfig& arch, int trials) {
  const int R = std::max(1, arch.rows), C = std::max(1, arch.cols), D = std::max(1, arch.depth);
  const int M = 2 * R + 1, N = 2 * C + 1, K = 2 * std::max(R, D) + 3;
  auto sh = [](int m, int k, int n) {
    return std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n);
  };
  return {
      {sh(M, K, N), "random", trials}, // several folds in every dimension, odd sizes
      {"1x1x1", "random", 1},          {sh(M, 1, N), "random", 1}, // K = 1
      {sh(1, K, N), "random", 1},                                  // M = 1
      {sh(M, K, 1), "random", 1},                                  // N = 1
      {sh(M, K, N), "min", 1}, // most negative operands (accumulators wrap)
      {sh(M, K, N), "max", 1},         {sh(R + 1, 3, C + 1), "zero", 1},
      {sh(M, K, N), "normal:2", 1}, // small values: zero digits for the serial PEs
  };
}

namespace {

// Mutants are built without C++ optimization: the designs are tiny and the
// runs short, so compile time dominates.
const std::vector<std::string>& mutant_flags() {
  static const std::vector<std::string> f = {"-MAKEFLAGS",
                                             "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0"};
  return f;
}

struct Design {
  ArchConfig arch;
  GeneratedRtl rtl;
};

// verify_systolic over the stimuli; "" when every run passes, else the first difference.
std::string check_stimuli_impl(const ArchConfig& arch, const std::vector<MutationStimulus>& stim,
                               uint64_t seed, const RtlMutation& mut) {
  for (const auto& s : stim) {
    VerifyOptions o;
    o.seed = seed;
    o.trials = s.trials;
    o.dist = parse_operand_dist(s.operands);
    o.mutate = mut;
    o.verilator_flags = mutant_flags();
    std::ostringstream progress;
    const VerifyOutcome r = verify_systolic(arch, {parse_gemm_spec(s.shape)}, o, progress);
    if (!r.pass) return s.shape + " " + s.operands + ": " + r.failure;
  }
  return "";
}

void remove_build(const RtlBinary& b) {
  std::error_code ec;
  fs::remove_all(fs::path(b.path).parent_path().parent_path(), ec);
}

// Remove the half-built directories a failed build of this process left.
void remove_failed_builds() {
  std::error_code ec;
  const fs::path root = fs::path(tpe_cache_dir()) / "verilator";
  const std::string tag = ".tmp." + std::to_string(getpid());
  for (const auto& e : fs::directory_iterator(root, ec)) {
    const std::string n = e.path().filename().string();
    if (n.size() > tag.size() && n.compare(n.size() - tag.size(), tag.size(), tag) == 0)
      fs::remove_all(e.path(), ec);
  }
}

std::string first_line(const std::string& s) {
  const size_t p = s.find('\n');
  return p == std::string::npos ? s : s.substr(0, p);
}

} // namespace

std::string check_stimuli(const ArchConfig& arch, const std::vector<MutationStimulus>& stim,
                          uint64_t seed, const RtlMutation& mutation) {
  return check_stimuli_impl(arch, stim, seed, mutation);
}

MutantOutcome run_mutant(const ArchConfig& arch, const GeneratedRtl& original, const Mutant& m,
                         const std::vector<MutationStimulus>& stim, uint64_t seed, int depth,
                         const std::string& workdir, int pdr_seconds) {
  const auto m0 = std::chrono::steady_clock::now();
  MutantOutcome o;
  o.mutant = m;
  const GeneratedRtl mutated = apply_mutant(original, m);
  const RtlMutation use = [&mutated](GeneratedRtl& g) { g = mutated; };
  RtlBinary bin;
  bool built = true;
  try {
    bin = build_systolic_rtl(arch, use, mutant_flags());
  } catch (const ToolError& e) {
    built = false;
    o.fate = MutantFate::Stillborn;
    o.detail = first_line(e.what());
    remove_failed_builds();
  }
  if (built) {
    const std::string diff = check_stimuli_impl(arch, stim, seed, use);
    if (!bin.from_cache) remove_build(bin);
    if (!diff.empty()) {
      o.fate = MutantFate::Caught;
      o.detail = diff;
    } else {
      const fs::path dir(workdir);
      const EquivResult e = prove_equivalent(original, mutated, depth, dir.string(), pdr_seconds);
      o.fate = e.induction ? MutantFate::Equivalent : MutantFate::Escape;
      o.method = e.method;
      o.detail = e.detail;
      std::error_code ec;
      if (e.induction) fs::remove_all(dir, ec);
    }
  }
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m0).count();
  return o;
}

MutationSummary run_mutation(const MutationOptions& opt, std::ostream& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  MutationSummary sum;
  std::vector<Design> designs;
  for (const auto& f : opt.arch_files) {
    Design d;
    d.arch = parse_arch_file(f);
    d.rtl = generate_systolic_verilog(d.arch, "tpe gen --arch " + f);
    designs.push_back(std::move(d));
  }
  progress << "mutate: seed " << opt.seed << " (replay with --seed " << opt.seed << "), "
           << opt.per_design << " mutants per design, " << designs.size() << " designs\n";
  const fs::path work = fs::temp_directory_path() / ("tpe_mutate." + std::to_string(getpid()));
  std::vector<std::vector<Mutant>> picks;
  size_t total = 0;
  for (const auto& d : designs) {
    picks.push_back(pick_mutants(d.arch.name, d.rtl, opt.seed, opt.per_design));
    total += picks.back().size();
  }
  for (const int i : opt.only)
    if (i < 1 || static_cast<size_t>(i) > total)
      throw InputError("--mutant " + std::to_string(i) + ": there are " + std::to_string(total) +
                       " mutants (numbered from 1 as --list prints them)");
  int index = 0;
  for (size_t di = 0; di < designs.size(); ++di) {
    const Design& d = designs[di];
    const std::vector<Mutant>& ms = picks[di];
    const auto stim = mutation_stimuli(d.arch, opt.trials);
    const int first = index + 1; // the number of this design's first mutant
    index += static_cast<int>(ms.size());
    auto chosen = [&opt](int i) { return opt.only.empty() || opt.only.count(i) > 0; };
    if (opt.list_only) {
      for (int i = first; i <= index; ++i) {
        const Mutant& m = ms[static_cast<size_t>(i - first)];
        if (chosen(i))
          progress << "mutant " << i << " " << m.design << " " << m.kind << " " << m.file << ":"
                   << m.line << "\n  - " << trim(m.original) << "\n  + " << trim(m.mutated) << "\n";
      }
      continue;
    }
    bool any = false;
    for (int i = first; i <= index; ++i)
      any = any || chosen(i);
    if (!any) continue;
    const std::string orig = check_stimuli_impl(d.arch, stim, opt.seed, nullptr);
    if (!orig.empty())
      throw ToolError("the unmutated design '" + d.arch.name + "' fails its checks: " + orig);
    for (int i = first; i <= index; ++i) {
      if (!chosen(i)) continue;
      const Mutant& m = ms[static_cast<size_t>(i - first)];
      const MutantOutcome o =
          run_mutant(d.arch, d.rtl, m, stim, opt.seed, opt.depth,
                     (work / ("m" + std::to_string(i))).string(), opt.pdr_seconds);
      switch (o.fate) {
      case MutantFate::Caught:
        ++sum.caught;
        break;
      case MutantFate::Stillborn:
        ++sum.stillborn;
        break;
      case MutantFate::Equivalent:
        ++sum.equivalent;
        break;
      case MutantFate::Escape:
        ++sum.escapes;
        break;
      }
      progress << "mutant " << i << " " << m.design << " " << m.kind << " " << m.file << ":"
               << m.line << ": " << fate_name(o.fate) << (o.method.empty() ? "" : " by " + o.method)
               << " (" << static_cast<int>(o.seconds) << " s)\n  - " << trim(m.original) << "\n  + "
               << trim(m.mutated) << "\n  " << o.detail << "\n";
      progress.flush();
      sum.mutants.push_back(std::move(o));
    }
  }
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!opt.json_path.empty()) {
    nlohmann::json j;
    j["seed"] = opt.seed;
    j["caught"] = sum.caught;
    j["stillborn"] = sum.stillborn;
    j["equivalent"] = sum.equivalent;
    j["escapes"] = sum.escapes;
    j["seconds"] = sum.seconds;
    for (const auto& o : sum.mutants)
      j["mutants"].push_back({{"design", o.mutant.design},
                              {"kind", o.mutant.kind},
                              {"file", o.mutant.file},
                              {"line", o.mutant.line},
                              {"original", o.mutant.original},
                              {"mutated", o.mutant.mutated},
                              {"fate", fate_name(o.fate)},
                              {"method", o.method},
                              {"detail", o.detail},
                              {"seconds", o.seconds}});
    write_file_atomic(opt.json_path, j.dump(1) + "\n");
  }
  std::error_code ec;
  if (sum.escapes == 0) fs::remove_all(work, ec);
  return sum;
}

const char* const kMutateHelp =
    "Mutation testing of the checker. For each --arch, the generated Verilog is\n"
    "scanned for mutation sites (operator: +/-, &/|, &&/||, ==/!=, </<=, >/>=, ^/&;\n"
    "not: a ~ or ! dropped; reset/enable: a condition or reset input inverted;\n"
    "constant: a number +-1 or a literal bit flipped; stuck: bit 0 or the top bit of\n"
    "an assigned register or wire forced to 0 or 1; drop-reg: a clocked register made\n"
    "combinational; add-reg: a continuous assignment delayed one cycle; swap: a\n"
    "signal replaced by another of the same width). --seed picks --per-design\n"
    "mutants round-robin over the kinds, numbered as --list prints them (--mutant N\n"
    "runs mutant N only, with the same --seed and --per-design). Each mutant is\n"
    "built with Verilator (a build or lint failure: stillborn) and checked like\n"
    "`tpe verify` on odd GEMMs over several folds, M, K or N = 1, random, min,\n"
    "max, zero and small operands (caught when any run differs). A survivor is\n"
    "handed to yosys. When it changes one submodule, that module alone is proven\n"
    "first (every input free, every output compared: equal outputs make the\n"
    "designs equal) by the stages below and a shared-state check (one copy of\n"
    "every register but the ones a one-line mutant assigns differently, if any;\n"
    "ABC pdr shows outputs and next state agree on every reachable state):\n"
    "methods module-netlist, module-induction, module-shared-pdr, module-pdr.\n"
    "Else the whole design, with SRAM addresses and write data masked by their\n"
    "enables: the same netlist after optimization, or an induction proof over\n"
    "matched signals (equiv_make, equiv_simple, equiv_induct -seq 2, base case\n"
    "by SAT from the zero state), or the shared-state check on the whole design\n"
    "(shared-pdr), or else an unbounded check of the output miter from the zero\n"
    "state by ABC (scorr, then pdr = IC3 for at most --pdr-seconds, each PDR run)\n"
    "makes it equivalent; the method is printed. A PDR counterexample, or no\n"
    "decision, leaves an escape; when PDR decides nothing a bounded model check of\n"
    "the outputs (--depth cycles from the zero state, every input free) says\n"
    "whether a difference exists. Exit status 0 when there is no escape, 1\n"
    "otherwise.";

} // namespace tpe
