// The stall wrapper (rtl_gen/stall_wrapper.h). Algorithm: read the engine top's ANSI
// header as the generators write it (an optional "#(" parameter list, then one port per
// line "input|output wire [RANGE] NAME"), then emit a module with the same parameters and
// ports plus `stall`: a clock-gate latch, the engine instance on the gated clock with
// every parameter passed on, and each output assigned from the instance, the strobes
// gated by the latched enable.
#include "rtl_gen/stall_wrapper.h"
#include "core/error.h"
#include "rtl_gen/verilog_text.h"
#include <regex>
#include <sstream>
#include <stdexcept>

namespace tpe {

namespace {

struct Port {
  std::string dir, range, name;
};

// SRAM strobes: *_en, the serial encoders' dig_valid, lut_gemv's row_rd / row_wr
bool is_strobe(const std::string& name) {
  return name == "dig_valid" || name == "row_rd" || name == "row_wr" ||
         (name.size() > 3 && name.compare(name.size() - 3, 3, "_en") == 0);
}

} // namespace

GeneratedRtl add_stall_wrapper(GeneratedRtl g) {
  const std::string file = g.top + ".v";
  const auto it = g.files.find(file);
  const auto refuse = [&](const std::string& why) {
    return InputError("--stall-rate", 0, "",
                      "cannot put the stall wrapper around " + g.top + ": " + why +
                          " (it reads an ANSI header, one `input|output wire [RANGE] NAME` per "
                          "line, with clk)");
  };
  if (it == g.files.end()) throw refuse("no file " + file);
  const std::string& text = it->second;
  const size_t head = text.find("module " + g.top + " ");
  const size_t end = text.find(");", head);
  if (head == std::string::npos || end == std::string::npos) throw refuse("no module header");
  const std::string header = text.substr(head, end - head);
  // parameters: "parameter NAME = VALUE" up to the port list
  std::vector<std::pair<std::string, std::string>> params;
  const size_t ports_at =
      header.find(") (") != std::string::npos ? header.find(") (") : header.find('(');
  const std::regex param_re(R"(parameter\s+(\w+)\s*=\s*([^,\n]+))");
  const std::string param_text = header.substr(0, ports_at);
  for (std::sregex_iterator m(param_text.begin(), param_text.end(), param_re), e; m != e; ++m)
    params.emplace_back((*m)[1], (*m)[2]);
  std::vector<Port> ports;
  const std::regex port_re(R"(^\s*(input|output)\s+wire\s*(\[[^\]]*\])?\s*(\w+)\s*,?\s*(//.*)?$)");
  const std::regex any_port(R"(^\s*(input|output)\b.*)");
  std::istringstream lines(header.substr(ports_at));
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, port_re))
      ports.push_back({m[1], m[2], m[3]});
    else if (std::regex_match(line, any_port)) // a port this reader does not know
      throw refuse("cannot read the port line '" + line + "'");
  }
  // localparam statements of the top that size its ports (lut_gemv declares them after
  // the port list): copied into the wrapper in the same place
  std::string sizes;
  {
    std::string used;
    for (const Port& p : ports)
      used += p.range + " ";
    const std::regex lp_re(R"(^\s*localparam\s+([^;]*);)");
    const std::regex name_re(R"((\w+)\s*=)");
    std::istringstream body(text.substr(end));
    for (std::string line; std::getline(body, line);) {
      std::smatch m;
      if (!std::regex_search(line, m, lp_re)) continue;
      const std::string decl = m[1];
      bool needed = false;
      for (std::sregex_iterator n(decl.begin(), decl.end(), name_re), e; n != e; ++n)
        needed = needed || std::regex_search(used, std::regex("\\b" + (*n)[1].str() + "\\b"));
      if (needed) sizes += "  localparam " + decl + ";\n";
    }
  }
  bool has_clk = false;
  for (const Port& p : ports)
    has_clk = has_clk || (p.name == "clk" && p.dir == "input");
  if (!has_clk || ports.size() < 3) throw refuse("no clk input or too few ports");

  const std::string top = g.top + "_stall";
  std::ostringstream v;
  v << generated_banner("stall wrapper of '" + g.top + "'",
                        "tpe verify --stall-rate (rtl_gen/stall_wrapper.cpp)")
    << (text.find("`timescale") != std::string::npos ? "`timescale 1ns/1ps\n" : "") << "// "
    << g.top << " behind a stall input: when `stall` is high in a cycle, the rising\n"
    << "// edge that ends it leaves the engine unchanged (its clock is gated) and no SRAM\n"
    << "// is read or written in it (the strobes are forced low).\n"
    << "module " << top;
  if (!params.empty()) {
    v << " #(\n";
    for (size_t i = 0; i < params.size(); ++i)
      v << "  parameter " << params[i].first << " = " << params[i].second
        << (i + 1 < params.size() ? ",\n" : "\n");
    v << ")";
  }
  v << " (\n  input  wire stall";
  for (const Port& p : ports)
    v << ",\n  " << p.dir << (p.dir == "input" ? "  " : " ") << "wire " << p.range
      << (p.range.empty() ? "" : " ") << p.name;
  v << "\n);\n" << sizes;
  v << "  // integrated clock gate: the enable is latched while clk is low\n"
    << "  reg en_l;\n"
    << "  /* verilator lint_off LATCH */\n"
    << "  always @(*) if (!clk) en_l = !stall;\n"
    << "  /* verilator lint_on LATCH */\n"
    << "  wire gclk = clk & en_l;\n";
  for (const Port& p : ports)
    if (p.dir == "output")
      v << "  wire " << p.range << (p.range.empty() ? "" : " ") << "e_" << p.name << ";\n";
  v << "  " << g.top;
  if (!params.empty()) {
    v << " #(";
    for (size_t i = 0; i < params.size(); ++i)
      v << (i ? ", " : "") << "." << params[i].first << "(" << params[i].first << ")";
    v << ")";
  }
  v << " u_engine (";
  for (size_t i = 0; i < ports.size(); ++i) {
    const Port& p = ports[i];
    v << (i ? ", " : "") << "." << p.name << "("
      << (p.name == "clk"     ? std::string("gclk")
          : p.dir == "output" ? "e_" + p.name
                              : p.name)
      << ")";
  }
  v << ");\n";
  for (const Port& p : ports) {
    if (p.dir != "output") continue;
    if (is_strobe(p.name))
      v << "  assign " << p.name << " = e_" << p.name << " & {$bits(e_" << p.name
        << "){~stall}};\n";
    else
      v << "  assign " << p.name << " = e_" << p.name << ";\n";
  }
  v << "endmodule\n";
  g.files[top + ".v"] = v.str();
  g.sources.push_back(top + ".v");
  std::string list;
  for (const auto& s : g.sources)
    list += s + "\n";
  g.files["filelist.f"] = list;
  g.top = top;
  return g;
}

} // namespace tpe
