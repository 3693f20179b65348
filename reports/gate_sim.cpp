// Native gate-level simulator: see the algorithm at the top of gate_sim.h.
#include "reports/gate_sim.h"
#include "core/error.h"
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <numeric>

namespace tpe {

std::string coverage_name(const std::string& n) {
  static const char* hex = "0123456789abcdef";
  std::string o;
  for (unsigned char c : n) {
    if (std::isalnum(c) || c == '_') {
      o += static_cast<char>(c);
    } else {
      o += "__0";
      o += hex[c >> 4];
      o += hex[c & 15];
    }
  }
  return o;
}

namespace {

// Recursive descent over Liberty's boolean syntax; values are 64-entry truth
// tables (bit k: the value when variable i equals bit i of k). Precedence, high
// to low: ! and postfix ', ^, & (also * and juxtaposition), | (also +).
class TruthParser {
public:
  TruthParser(const std::string& f, const std::vector<std::string>& vars) : f_(f), vars_(vars) {}
  uint64_t parse() {
    const uint64_t v = parse_or();
    skip();
    if (p_ != f_.size()) fail("unexpected '" + std::string(1, f_[p_]) + "'");
    return v;
  }

private:
  static constexpr uint64_t kVar[6] = {0xAAAAAAAAAAAAAAAAull, 0xCCCCCCCCCCCCCCCCull,
                                       0xF0F0F0F0F0F0F0F0ull, 0xFF00FF00FF00FF00ull,
                                       0xFFFF0000FFFF0000ull, 0xFFFFFFFF00000000ull};
  [[noreturn]] void fail(const std::string& why) const {
    throw ToolError("Liberty function \"" + f_ + "\": " + why);
  }
  // '(' and '!' nest at most kMaxDepth deep (the recursion stays on the stack)
  static constexpr int kMaxDepth = 256;
  int depth_ = 0;
  void enter() {
    if (++depth_ > kMaxDepth) fail("nested deeper than " + std::to_string(kMaxDepth));
  }
  void skip() {
    while (p_ < f_.size() && (f_[p_] == ' ' || f_[p_] == '\t'))
      ++p_;
  }
  bool starts_primary() {
    skip();
    if (p_ >= f_.size()) return false;
    const char c = f_[p_];
    return c == '(' || c == '!' || c == '0' || c == '1' ||
           std::isalpha(static_cast<unsigned char>(c)) || c == '_';
  }
  uint64_t parse_or() {
    uint64_t v = parse_and();
    for (;;) {
      skip();
      if (p_ < f_.size() && (f_[p_] == '|' || f_[p_] == '+')) {
        ++p_;
        v |= parse_and();
      } else {
        return v;
      }
    }
  }
  uint64_t parse_and() {
    uint64_t v = parse_xor();
    for (;;) {
      skip();
      if (p_ < f_.size() && (f_[p_] == '&' || f_[p_] == '*')) {
        ++p_;
        v &= parse_xor();
      } else if (starts_primary()) { // juxtaposition
        v &= parse_xor();
      } else {
        return v;
      }
    }
  }
  uint64_t parse_xor() {
    uint64_t v = parse_unary();
    for (;;) {
      skip();
      if (p_ < f_.size() && f_[p_] == '^') {
        ++p_;
        v ^= parse_unary();
      } else {
        return v;
      }
    }
  }
  uint64_t parse_unary() {
    skip();
    if (p_ < f_.size() && f_[p_] == '!') {
      ++p_;
      enter();
      const uint64_t v = ~parse_unary();
      --depth_;
      return v;
    }
    uint64_t v = parse_primary();
    for (;;) {
      skip();
      if (p_ < f_.size() && f_[p_] == '\'') {
        ++p_;
        v = ~v;
      } else {
        return v;
      }
    }
  }
  uint64_t parse_primary() {
    skip();
    if (p_ >= f_.size()) fail("ends early");
    const char c = f_[p_];
    if (c == '(') {
      ++p_;
      enter();
      const uint64_t v = parse_or();
      --depth_;
      skip();
      if (p_ >= f_.size() || f_[p_] != ')') fail("missing ')'");
      ++p_;
      return v;
    }
    if (c == '0' || c == '1') {
      ++p_;
      return c == '1' ? ~uint64_t(0) : 0;
    }
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '_')
      fail("unexpected '" + std::string(1, c) + "'");
    size_t e = p_;
    while (e < f_.size() && (std::isalnum(static_cast<unsigned char>(f_[e])) || f_[e] == '_'))
      ++e;
    const std::string name = f_.substr(p_, e - p_);
    p_ = e;
    auto it = std::find(vars_.begin(), vars_.end(), name);
    if (it == vars_.end()) fail("unknown variable " + name);
    return kVar[it - vars_.begin()];
  }

  const std::string& f_;
  const std::vector<std::string>& vars_;
  size_t p_ = 0;
};

// Identifiers of a Liberty function, in order of first use.
std::vector<std::string> function_vars_of(const std::string& f) {
  std::vector<std::string> v;
  for (size_t p = 0; p < f.size();) {
    if (std::isalpha(static_cast<unsigned char>(f[p])) || f[p] == '_') {
      size_t e = p;
      while (e < f.size() && (std::isalnum(static_cast<unsigned char>(f[e])) || f[e] == '_'))
        ++e;
      const std::string n = f.substr(p, e - p);
      if (std::find(v.begin(), v.end(), n) == v.end()) v.push_back(n);
      p = e;
    } else {
      ++p;
    }
  }
  return v;
}

LibPin gen_pin(const std::string& name, const std::string& dir, const std::string& fn = "") {
  LibPin p;
  p.name = name;
  p.direction = dir;
  p.function = fn;
  return p;
}

// A yosys internal gate described as a Liberty cell, or false when unknown.
bool generic_cell(const std::string& type, LibCell& c) {
  static const std::map<std::string, std::pair<std::vector<std::string>, std::string>> comb = {
      {"$_BUF_", {{"A"}, "A"}},
      {"$_NOT_", {{"A"}, "!A"}},
      {"$_AND_", {{"A", "B"}, "A&B"}},
      {"$_NAND_", {{"A", "B"}, "!(A&B)"}},
      {"$_OR_", {{"A", "B"}, "A|B"}},
      {"$_NOR_", {{"A", "B"}, "!(A|B)"}},
      {"$_XOR_", {{"A", "B"}, "A^B"}},
      {"$_XNOR_", {{"A", "B"}, "!(A^B)"}},
      {"$_ANDNOT_", {{"A", "B"}, "A&!B"}},
      {"$_ORNOT_", {{"A", "B"}, "A|!B"}},
      {"$_MUX_", {{"A", "B", "S"}, "(A&!S)|(B&S)"}},
      {"$_NMUX_", {{"A", "B", "S"}, "!((A&!S)|(B&S))"}},
      {"$_AOI3_", {{"A", "B", "C"}, "!((A&B)|C)"}},
      {"$_OAI3_", {{"A", "B", "C"}, "!((A|B)&C)"}},
      {"$_AOI4_", {{"A", "B", "C", "D"}, "!((A&B)|(C&D))"}},
      {"$_OAI4_", {{"A", "B", "C", "D"}, "!((A|B)&(C|D))"}}};
  c = LibCell();
  c.name = type;
  if (auto it = comb.find(type); it != comb.end()) {
    for (const auto& in : it->second.first)
      c.pins.push_back(gen_pin(in, "input"));
    c.pins.push_back(gen_pin("Y", "output", it->second.second));
    return true;
  }
  // flip-flops: $_DFF_P_, $_DFF_PN0_, $_DFFE_PP_, $_DFFE_PN0P_, $_SDFF_PN0_,
  // $_SDFFE_PN0P_, $_SDFFCE_PN0P_, $_DFFSR_PNN_ (polarity letters in pin order)
  std::string kind, pol;
  if (type.size() > 3 && type.rfind("$_", 0) == 0 && type.back() == '_') {
    const size_t u = type.find('_', 2);
    if (u != std::string::npos) {
      kind = type.substr(2, u - 2);
      pol = type.substr(u + 1, type.size() - u - 2);
    }
  }
  const auto lvl = [](char p, const char* pin) {
    return p == 'P' ? std::string(pin) : "!" + std::string(pin);
  };
  c.has_ff = true;
  c.sequential = true;
  c.ff.iq = "IQ";
  c.ff.iqn = "IQN";
  std::vector<std::string> ins = {"C", "D"};
  std::string next = "D";
  if (kind == "DFF" && pol.size() == 1) {
  } else if (kind == "DFF" && pol.size() == 3) {
    ins.push_back("R");
    (pol[2] == '1' ? c.ff.preset : c.ff.clear) = lvl(pol[1], "R");
  } else if (kind == "DFFE" && pol.size() == 2) {
    ins.push_back("E");
    next = "(D&" + lvl(pol[1], "E") + ")|(IQ&!" + lvl(pol[1], "E") + ")";
  } else if (kind == "DFFE" && pol.size() == 4) {
    ins.push_back("R");
    ins.push_back("E");
    (pol[2] == '1' ? c.ff.preset : c.ff.clear) = lvl(pol[1], "R");
    next = "(D&" + lvl(pol[3], "E") + ")|(IQ&!" + lvl(pol[3], "E") + ")";
  } else if (kind == "SDFF" && pol.size() == 3) {
    ins.push_back("R");
    next = pol[2] == '1' ? "D|" + lvl(pol[1], "R") : "D&!" + lvl(pol[1], "R");
  } else if ((kind == "SDFFE" || kind == "SDFFCE") && pol.size() == 4) {
    ins.push_back("R");
    ins.push_back("E");
    const std::string r = lvl(pol[1], "R"), e = lvl(pol[3], "E");
    const std::string rv = pol[2] == '1' ? "1" : "0";
    const std::string held = "(D&" + e + ")|(IQ&!" + e + ")";
    next = kind == "SDFFE"
               ? "(" + r + "&" + rv + ")|(!" + r + "&(" + held + "))"
               : "(" + e + "&" + r + "&" + rv + ")|(!(" + e + "&" + r + ")&(" + held + "))";
  } else if (kind == "DFFSR" && pol.size() == 3) {
    ins.push_back("S");
    ins.push_back("R");
    c.ff.preset = lvl(pol[1], "S");
    c.ff.clear = lvl(pol[2], "R");
    c.ff.clear_preset_var1 = 'L'; // yosys: reset wins
    c.ff.clear_preset_var2 = 'H';
  } else {
    return false;
  }
  c.ff.clocked_on = lvl(pol[0], "C");
  c.ff.next_state = next;
  for (const auto& in : ins)
    c.pins.push_back(gen_pin(in, "input"));
  c.pins.push_back(gen_pin("Q", "output", "IQ"));
  return true;
}

struct Func {
  std::vector<int32_t> in; // nets (or, for flops, the state slots -1 IQ, -2 IQN)
  uint64_t table = 0;
};

struct CombOut {
  int32_t in[6];
  int32_t nin = 0, out = 0;
  uint64_t table = 0;
  std::string cell; // for error messages
};

struct Flop {
  Func clk, next, clear, preset;
  bool has_clear = false, has_preset = false;
  char var1 = 'L', var2 = 'H';
  std::vector<std::pair<int32_t, Func>> outs; // output net, function of IQ/IQN
  uint8_t iq = 0, iqn = 1, last_clk = 0, pending = 0, fire = 0;
};

struct MacroInst {
  std::unique_ptr<GateMacro> model;
  std::vector<GateMacro::Pin> pins;
  std::vector<std::vector<int32_t>> nets; // per pin, per bit
  size_t clk = 0;                         // the clock's pin index
  uint8_t last_clk = 0, fire = 0;
  std::vector<std::vector<uint8_t>> in, out;
  std::string cell; // instance name, for error messages
};

} // namespace

std::vector<std::string> liberty_function_vars(const std::string& function) {
  return function_vars_of(function);
}

uint64_t liberty_truth_table(const std::string& function, const std::vector<std::string>& vars) {
  if (vars.size() > 6) throw ToolError("Liberty function \"" + function + "\": more than 6 inputs");
  const uint64_t t = TruthParser(function, vars).parse();
  const int n = 1 << vars.size();
  return n >= 64 ? t : t & ((uint64_t(1) << n) - 1);
}

struct GateSim::Impl {
  std::vector<uint8_t> val, prev;
  std::vector<int64_t> tog;
  std::vector<CombOut> comb; // in level order
  std::vector<Flop> flops;
  std::vector<MacroInst> macros;
  const GateMacroFactories* factories = nullptr;
  std::map<std::string, std::vector<int32_t>> ports; // top port bits -> nets
  struct InstanceMap {
    std::string module;
    std::vector<int32_t> local; // local bit -> net (-1 unused)
  };
  std::vector<InstanceMap> instances;
  std::map<std::string, std::vector<std::pair<std::string, std::vector<int64_t>>>>
      names; // module -> netnames
  std::vector<int32_t> uf;
  const nlohmann::json* mods = nullptr;
  const Liberty* lib = nullptr;
  std::map<std::string, LibCell> generic;
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, int32_t>>>>
      leaf; // type, pin->net

  int32_t fresh() {
    uf.push_back(static_cast<int32_t>(uf.size()));
    return uf.back();
  }
  int32_t find(int32_t x) {
    while (uf[x] != x) {
      uf[x] = uf[uf[x]];
      x = uf[x];
    }
    return x;
  }
  void unite(int32_t a, int32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (a < b) std::swap(a, b); // the constants 0 and 1 stay roots
    uf[a] = b;
  }
  static int32_t const_net(const nlohmann::json& b) { return b.get<std::string>() == "1" ? 1 : 0; }

  const LibCell* cell_of(const std::string& type) {
    if (lib) {
      const LibCell* c = lib->cell(type);
      if (!c) throw ToolError("gate-level simulator: cell type " + type + " is not in the library");
      return c;
    }
    auto it = generic.find(type);
    if (it != generic.end()) return &it->second;
    LibCell c;
    if (!generic_cell(type, c))
      throw ToolError("gate-level simulator: yosys cell type " + type + " is not supported");
    return &(generic[type] = std::move(c));
  }

  void instantiate(const std::string& mname,
                   const std::vector<std::vector<int32_t>>& conn_by_port) {
    const auto& body = mods->at(mname);
    int64_t maxb = 1;
    const auto scan = [&](const nlohmann::json& bits) {
      for (const auto& b : bits)
        if (b.is_number_integer()) maxb = std::max<int64_t>(maxb, b.get<int64_t>());
    };
    for (const auto& [n, nb] : body["netnames"].items())
      scan(nb["bits"]);
    for (const auto& [n, c] : body["cells"].items())
      for (const auto& [pn, bits] : c["connections"].items())
        scan(bits);
    InstanceMap im;
    im.module = mname;
    im.local.assign(static_cast<size_t>(maxb) + 1, -1);
    const auto local = [&](const nlohmann::json& b) -> int32_t {
      if (!b.is_number_integer()) return const_net(b);
      int32_t& l = im.local[b.get<int64_t>()];
      if (l < 0) l = fresh();
      return l;
    };
    size_t pi = 0;
    for (const auto& [pn, port] : body["ports"].items()) {
      const auto& bits = port["bits"];
      const auto& conn = conn_by_port.at(pi++);
      for (size_t i = 0; i < bits.size(); ++i)
        unite(local(bits[i]), conn.at(i));
    }
    for (const auto& [n, nb] : body["netnames"].items())
      for (const auto& b : nb["bits"])
        local(b);
    for (const auto& [cn, cell] : body["cells"].items()) {
      const std::string type = cell["type"];
      if (type.rfind("$scopeinfo", 0) == 0) continue;
      if (auto f = factories->find(type); f != factories->end()) {
        std::map<std::string, int> widths;
        for (const auto& [pn, bits] : cell["connections"].items())
          widths[pn] = static_cast<int>(bits.size());
        add_macro(f->second(widths), cn, type, cell, local);
        continue;
      }
      if (mods->contains(type) && !(lib && lib->cell(type))) {
        std::vector<std::vector<int32_t>> sub;
        for (const auto& [pn, port] : mods->at(type)["ports"].items()) {
          std::vector<int32_t> v;
          if (cell["connections"].contains(pn))
            for (const auto& b : cell["connections"][pn])
              v.push_back(local(b));
          v.resize(port["bits"].size(), -1);
          for (auto& x : v)
            if (x < 0) x = fresh(); // an unconnected port
          sub.push_back(std::move(v));
        }
        instantiate(type, sub);
        continue;
      }
      std::vector<std::pair<std::string, int32_t>> pins;
      for (const auto& [pn, bits] : cell["connections"].items()) {
        if (bits.size() != 1)
          throw ToolError("gate-level simulator: pin " + pn + " of cell " + cn + " (" + type +
                          ") is not one bit");
        pins.emplace_back(pn, local(bits[0]));
      }
      leaf.emplace_back(type, std::move(pins));
    }
    std::vector<std::pair<std::string, std::vector<int64_t>>>& nm = names[mname];
    if (nm.empty())
      for (const auto& [n, nb] : body["netnames"].items()) {
        std::vector<int64_t> bits;
        for (const auto& b : nb["bits"])
          bits.push_back(b.is_number_integer() ? b.get<int64_t>() : -1);
        nm.emplace_back(n, std::move(bits));
      }
    instances.push_back(std::move(im));
  }

  template <class Local>
  void add_macro(std::unique_ptr<GateMacro> model, const std::string& cn, const std::string& type,
                 const nlohmann::json& cell, const Local& local) {
    MacroInst m;
    m.cell = cn + " (" + type + ")";
    m.pins = model->pins();
    const std::string clk = model->clock();
    bool has_clk = false;
    for (size_t i = 0; i < m.pins.size(); ++i) {
      const GateMacro::Pin& p = m.pins[i];
      const auto& conn = cell["connections"];
      if (!conn.contains(p.name) || conn[p.name].size() != static_cast<size_t>(p.width))
        throw ToolError("gate-level simulator: macro " + m.cell + ": pin " + p.name + " is " +
                        (conn.contains(p.name) ? std::to_string(conn[p.name].size()) + " bits"
                                               : std::string("not connected")) +
                        ", its model has " + std::to_string(p.width));
      std::vector<int32_t> bits;
      for (const auto& b : conn[p.name])
        bits.push_back(local(b));
      m.nets.push_back(std::move(bits));
      m.in.emplace_back(p.output ? 0 : static_cast<size_t>(p.width), 0);
      m.out.emplace_back(p.output ? static_cast<size_t>(p.width) : 0, 0);
      if (p.name == clk && !p.output && p.width == 1) {
        m.clk = i;
        has_clk = true;
      }
    }
    if (!has_clk)
      throw ToolError("gate-level simulator: macro " + m.cell + ": its model's clock pin " + clk +
                      " is not a one-bit input");
    m.model = std::move(model);
    macros.push_back(std::move(m));
  }

  // the macros' output pins onto their nets; true when one changed
  bool drive_macro(MacroInst& m) {
    m.model->drive(m.out);
    bool changed = false;
    for (size_t i = 0; i < m.pins.size(); ++i) {
      if (!m.pins[i].output) continue;
      for (size_t b = 0; b < m.nets[i].size(); ++b) {
        const int32_t n = m.nets[i][b];
        if (n < 2 || val[n] == m.out[i][b]) continue;
        val[n] = m.out[i][b];
        changed = true;
      }
    }
    return changed;
  }

  Func make_func(const std::string& f, const std::map<std::string, int32_t>& pin_net,
                 const std::string& what) {
    Func fn;
    const std::vector<std::string> vars = function_vars_of(f);
    for (const auto& v : vars) {
      auto it = pin_net.find(v);
      if (it == pin_net.end())
        throw ToolError("gate-level simulator: " + what + " uses " + v +
                        ", which is not connected");
      fn.in.push_back(it->second);
    }
    fn.table = liberty_truth_table(f, vars);
    return fn;
  }
  uint8_t eval_func(const Func& f, const Flop* fl = nullptr) const {
    unsigned idx = 0;
    for (size_t i = 0; i < f.in.size(); ++i) {
      const int32_t n = f.in[i];
      const uint8_t v = n >= 0 ? val[n] : n == -1 ? fl->iq : fl->iqn;
      idx |= static_cast<unsigned>(v) << i;
    }
    return static_cast<uint8_t>((f.table >> idx) & 1);
  }

  void build_cells() {
    std::vector<int32_t> driver_count(uf.size(), 0);
    std::vector<CombOut> unordered;
    for (const auto& [type, pins] : leaf) {
      const LibCell* c = cell_of(type);
      std::map<std::string, int32_t> pin_net;
      for (const auto& [pn, net] : pins)
        pin_net[pn] = find(net);
      if (c->sequential && !c->has_ff)
        throw ToolError("gate-level simulator: cell type " + type +
                        " is a latch or a flip-flop bank, which it does not simulate");
      if (c->has_ff) {
        Flop fl;
        std::map<std::string, int32_t> with_state = pin_net;
        with_state[c->ff.iq] = -1;
        with_state[c->ff.iqn] = -2;
        const std::string what = "cell " + type;
        fl.clk = make_func(c->ff.clocked_on, pin_net, what + " clocked_on");
        fl.next = make_func(c->ff.next_state, with_state, what + " next_state");
        if (!c->ff.clear.empty()) {
          fl.clear = make_func(c->ff.clear, pin_net, what + " clear");
          fl.has_clear = true;
        }
        if (!c->ff.preset.empty()) {
          fl.preset = make_func(c->ff.preset, pin_net, what + " preset");
          fl.has_preset = true;
        }
        fl.var1 = c->ff.clear_preset_var1;
        fl.var2 = c->ff.clear_preset_var2;
        for (const auto& p : c->pins) {
          if (p.direction != "output" || !pin_net.count(p.name)) continue;
          if (p.function.empty())
            throw ToolError("gate-level simulator: output " + p.name + " of " + type +
                            " has no function");
          fl.outs.emplace_back(pin_net[p.name],
                               make_func(p.function, with_state, what + " " + p.name));
          ++driver_count[pin_net[p.name]];
        }
        flops.push_back(std::move(fl));
        continue;
      }
      for (const auto& p : c->pins) {
        if (p.direction != "output" || !pin_net.count(p.name)) continue;
        if (p.function.empty())
          throw ToolError("gate-level simulator: output " + p.name + " of " + type +
                          " has no function");
        const Func f = make_func(p.function, pin_net, "cell " + type + " " + p.name);
        CombOut co;
        co.nin = static_cast<int32_t>(f.in.size());
        std::copy(f.in.begin(), f.in.end(), co.in);
        co.out = pin_net[p.name];
        co.table = f.table;
        co.cell = type;
        ++driver_count[co.out];
        unordered.push_back(co);
      }
    }
    for (const MacroInst& m : macros)
      for (size_t i = 0; i < m.pins.size(); ++i)
        if (m.pins[i].output)
          for (int32_t n : m.nets[i])
            ++driver_count[n];
    for (size_t n = 0; n < driver_count.size(); ++n) {
      if (driver_count[n] > 1)
        throw ToolError("gate-level simulator: a net is driven by " +
                        std::to_string(driver_count[n]) + " cell outputs");
      if (n < 2 && driver_count[n])
        throw ToolError("gate-level simulator: a cell output is tied to a constant");
    }
    // levelize (Kahn): a cell is ready when none of its inputs is still to be computed
    std::vector<int32_t> comb_driver(uf.size(), -1);
    for (size_t i = 0; i < unordered.size(); ++i)
      comb_driver[unordered[i].out] = static_cast<int32_t>(i);
    std::vector<int32_t> waiting(unordered.size(), 0);
    std::vector<std::vector<int32_t>> readers(uf.size());
    for (size_t i = 0; i < unordered.size(); ++i)
      for (int k = 0; k < unordered[i].nin; ++k) {
        const int32_t n = unordered[i].in[k];
        if (comb_driver[n] >= 0) {
          ++waiting[i];
          readers[n].push_back(static_cast<int32_t>(i));
        }
      }
    std::vector<int32_t> ready;
    for (size_t i = 0; i < unordered.size(); ++i)
      if (!waiting[i]) ready.push_back(static_cast<int32_t>(i));
    comb.reserve(unordered.size());
    for (size_t r = 0; r < ready.size(); ++r) {
      const CombOut& co = unordered[ready[r]];
      comb.push_back(co);
      for (int32_t j : readers[co.out])
        if (--waiting[j] == 0) ready.push_back(j);
    }
    if (comb.size() != unordered.size()) {
      for (size_t i = 0; i < unordered.size(); ++i)
        if (waiting[i])
          throw ToolError("gate-level simulator: combinational loop through a " +
                          unordered[i].cell + " cell");
    }
  }

  void settle() {
    for (const CombOut& c : comb) {
      unsigned idx = 0;
      for (int32_t i = 0; i < c.nin; ++i)
        idx |= static_cast<unsigned>(val[c.in[i]]) << i;
      val[c.out] = static_cast<uint8_t>((c.table >> idx) & 1);
    }
  }

  // clock edges, then asynchronous clear/preset; true when a flop output changed
  bool clock_flops() {
    for (Flop& f : flops) {
      const uint8_t c = eval_func(f.clk, &f);
      f.fire = c && !f.last_clk;
      f.last_clk = c;
      if (f.fire) f.pending = eval_func(f.next, &f);
    }
    for (MacroInst& m : macros) { // from the same settled values as the flops
      const uint8_t c = val[m.nets[m.clk][0]];
      m.fire = c && !m.last_clk;
      m.last_clk = c;
      if (!m.fire) continue;
      for (size_t i = 0; i < m.pins.size(); ++i)
        if (!m.pins[i].output)
          for (size_t b = 0; b < m.nets[i].size(); ++b)
            m.in[i][b] = val[m.nets[i][b]];
      m.model->edge(m.in);
    }
    bool changed = false;
    for (MacroInst& m : macros)
      if (m.fire && drive_macro(m)) changed = true;
    for (Flop& f : flops) {
      if (f.fire) {
        f.iq = f.pending;
        f.iqn = !f.pending;
      }
      const bool cl = f.has_clear && eval_func(f.clear, &f);
      const bool pr = f.has_preset && eval_func(f.preset, &f);
      const auto level = [](char v, uint8_t keep) -> uint8_t {
        return v == 'H' ? 1 : v == 'L' ? 0 : keep;
      };
      if (cl && pr) {
        f.iq = level(f.var1, f.iq);
        f.iqn = level(f.var2, f.iqn);
      } else if (cl) {
        f.iq = 0;
        f.iqn = 1;
      } else if (pr) {
        f.iq = 1;
        f.iqn = 0;
      }
      for (const auto& [net, fn] : f.outs) {
        const uint8_t v = eval_func(fn, &f);
        if (val[net] != v) {
          val[net] = v;
          changed = true;
        }
      }
    }
    return changed;
  }
};

GateSim::GateSim(const nlohmann::json& netlist, const std::string& top, const Liberty* lib,
                 const GateMacroFactories& macros)
    : p_(std::make_unique<Impl>()) {
  Impl& s = *p_;
  s.lib = lib;
  s.factories = &macros;
  if (!netlist.contains("modules") || !netlist["modules"].contains(top))
    throw ToolError("gate-level simulator: the netlist has no module " + top);
  s.mods = &netlist["modules"];
  s.fresh(); // constant 0
  s.fresh(); // constant 1
  std::vector<std::vector<int32_t>> top_conn;
  std::vector<std::string> port_names;
  for (const auto& [pn, port] : s.mods->at(top)["ports"].items()) {
    std::vector<int32_t> v;
    for (size_t i = 0; i < port["bits"].size(); ++i)
      v.push_back(s.fresh());
    port_names.push_back(pn);
    top_conn.push_back(v);
  }
  s.instantiate(top, top_conn);
  // dense renumbering of the union-find roots
  std::vector<int32_t> dense(s.uf.size(), -1);
  int32_t next = 0;
  for (size_t i = 0; i < s.uf.size(); ++i) {
    const int32_t r = s.find(static_cast<int32_t>(i));
    if (dense[r] < 0) dense[r] = next++;
  }
  const auto remap = [&](int32_t n) { return n < 0 ? n : dense[s.find(n)]; };
  for (auto& [type, pins] : s.leaf)
    for (auto& pn : pins)
      pn.second = remap(pn.second);
  for (auto& im : s.instances)
    for (auto& l : im.local)
      l = remap(l);
  for (auto& m : s.macros)
    for (auto& pin : m.nets)
      for (auto& n : pin)
        n = remap(n);
  for (size_t i = 0; i < port_names.size(); ++i) {
    for (auto& n : top_conn[i])
      n = remap(n);
    s.ports[port_names[i]] = top_conn[i];
  }
  s.uf.resize(static_cast<size_t>(next));
  std::iota(s.uf.begin(), s.uf.end(), 0);
  s.build_cells();
  s.leaf.clear();
  s.factories = nullptr;
  power_up();
}

void GateSim::power_up() {
  Impl& s = *p_;
  s.val.assign(s.uf.size(), 0);
  s.val[1] = 1;
  for (Flop& f : s.flops) {
    f.iq = 0;
    f.iqn = 1;
  }
  for (MacroInst& m : s.macros) {
    m.model->power_up();
    s.drive_macro(m);
  }
  s.settle();
  for (Flop& f : s.flops)
    f.last_clk = s.eval_func(f.clk, &f); // no edge at power-up
  for (MacroInst& m : s.macros)
    m.last_clk = s.val[m.nets[m.clk][0]];
  s.clock_flops(); // flip-flop outputs and asynchronous clear/preset
  s.settle();
  s.prev = s.val;
  s.tog.assign(s.val.size(), 0);
}

GateSim::~GateSim() = default;

bool GateSim::has_port(const std::string& port) const {
  return p_->ports.count(port) > 0;
}

int GateSim::port_width(const std::string& port) const {
  auto it = p_->ports.find(port);
  if (it == p_->ports.end())
    throw ToolError("gate-level simulator: the design has no port " + port);
  return static_cast<int>(it->second.size());
}

void GateSim::set(const std::string& port, int lo, int n, uint64_t value) {
  auto it = p_->ports.find(port);
  if (it == p_->ports.end())
    throw ToolError("gate-level simulator: the design has no port " + port);
  for (int b = 0; b < n && lo + b < static_cast<int>(it->second.size()); ++b) {
    const int32_t net = it->second[static_cast<size_t>(lo + b)];
    if (net >= 2) p_->val[net] = static_cast<uint8_t>((value >> b) & 1);
  }
}

uint64_t GateSim::get(const std::string& port, int lo, int n) const {
  auto it = p_->ports.find(port);
  if (it == p_->ports.end())
    throw ToolError("gate-level simulator: the design has no port " + port);
  uint64_t v = 0;
  for (int b = 0; b < n && lo + b < static_cast<int>(it->second.size()); ++b)
    v |= static_cast<uint64_t>(p_->val[it->second[static_cast<size_t>(lo + b)]]) << b;
  return v;
}

void GateSim::eval() {
  Impl& s = *p_;
  s.settle();
  for (int i = 0; i < 8 && s.clock_flops(); ++i)
    s.settle();
  for (size_t n = 0; n < s.val.size(); ++n)
    if (s.val[n] != s.prev[n]) {
      ++s.tog[n];
      s.prev[n] = s.val[n];
    }
}

void GateSim::zero_toggles() {
  std::fill(p_->tog.begin(), p_->tog.end(), 0);
}

std::map<std::string, std::map<std::string, int64_t>> GateSim::toggles() const {
  std::map<std::string, std::vector<int64_t>> per_module; // local bit -> toggles
  for (const auto& im : p_->instances) {
    auto& v = per_module[im.module];
    v.resize(im.local.size(), 0);
    for (size_t b = 0; b < im.local.size(); ++b)
      if (im.local[b] >= 0) v[b] += p_->tog[static_cast<size_t>(im.local[b])];
  }
  std::map<std::string, std::map<std::string, int64_t>> out;
  for (const auto& [mod, counts] : per_module) {
    auto& o = out[mod];
    for (const auto& [name, bits] : p_->names.at(mod)) {
      const std::string vn = coverage_name(name);
      for (size_t i = 0; i < bits.size(); ++i) {
        if (bits[i] < 0) continue;
        o[bits.size() == 1 ? vn : vn + "[" + std::to_string(i) + "]"] =
            counts[static_cast<size_t>(bits[i])];
      }
    }
  }
  return out;
}

int64_t GateSim::cell_count() const {
  return static_cast<int64_t>(p_->comb.size() + p_->flops.size() + p_->macros.size());
}
int64_t GateSim::net_count() const {
  return static_cast<int64_t>(p_->val.size());
}

} // namespace tpe
