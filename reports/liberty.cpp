// Liberty reader. Algorithm: a hand-written tokenizer (identifiers/numbers,
// quoted strings, punctuation; /* */ comments and backslash line continuations
// skipped) feeds a recursive-descent parser of the three statement forms
//   name : value ;          simple attribute
//   name ( args ) ;         complex attribute
//   name ( args ) { ... }   group
// into a generic tree, from which the library header, cells, pins and power
// tables are extracted. Units are converted to ns, pF and nW. Bad content is an
// InputError at its line: a number that is not finite, a negative area,
// capacitance, leakage or voltage, a table whose values do not fill the grid of
// its increasing indices, groups nested deeper than 64.
#include "reports/liberty.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/text.h"
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <sstream>

namespace tpe {

namespace {

struct Node {
  std::string name;
  std::vector<std::string> args;                          // group or complex-attribute arguments
  std::vector<std::pair<std::string, std::string>> attrs; // simple attributes
  std::vector<int> attr_lines;                            // line of each simple attribute
  std::vector<std::unique_ptr<Node>> children;            // groups and complex attributes
  bool is_group = false;
  int line = 0; // line of the statement's name
  const std::string* attr(const std::string& k) const {
    for (auto& a : attrs)
      if (a.first == k) return &a.second;
    return nullptr;
  }
  int attr_line(const std::string& k) const {
    for (size_t i = 0; i < attrs.size(); ++i)
      if (attrs[i].first == k) return attr_lines[i];
    return line;
  }
  const Node* child(const std::string& k) const {
    for (auto& c : children)
      if (c->name == k) return c.get();
    return nullptr;
  }
};

class Parser {
public:
  Parser(const std::string& text, const std::string& file) : s_(text), file_(file) {}

  std::unique_ptr<Node> parse() {
    auto root = statement();
    if (!root || !root->is_group) fail("expected a library group");
    return root;
  }

private:
  const std::string& s_;
  std::string file_;
  size_t p_ = 0;
  int line_ = 1;

  [[noreturn]] void fail(const std::string& msg) {
    throw InputError(file_, line_, "", "Liberty: " + msg);
  }

  void skip() {
    while (p_ < s_.size()) {
      const char c = s_[p_];
      if (c == '\n') {
        ++line_;
        ++p_;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++p_;
      } else if (c == '\\' && p_ + 1 < s_.size() && (s_[p_ + 1] == '\n' || s_[p_ + 1] == '\r')) {
        ++p_;
      } else if (c == '/' && p_ + 1 < s_.size() && s_[p_ + 1] == '*') {
        const size_t e = s_.find("*/", p_ + 2);
        if (e == std::string::npos) fail("unterminated comment");
        for (size_t i = p_; i < e; ++i)
          if (s_[i] == '\n') ++line_;
        p_ = e + 2;
      } else {
        break;
      }
    }
  }

  // Next token: a quoted string (quotes removed), a word, or one punctuation char.
  std::string token() {
    skip();
    if (p_ >= s_.size()) fail("unexpected end of file");
    const char c = s_[p_];
    if (c == '"') {
      std::string out;
      ++p_;
      while (p_ < s_.size() && s_[p_] != '"') {
        if (s_[p_] == '\\' && p_ + 1 < s_.size() && (s_[p_ + 1] == '\n' || s_[p_ + 1] == '\r')) {
          ++p_;
          continue;
        }
        if (s_[p_] == '\n') ++line_;
        out += s_[p_++];
      }
      if (p_ >= s_.size()) fail("unterminated string");
      ++p_;
      return out;
    }
    if (std::string("(){}:;,").find(c) != std::string::npos) {
      ++p_;
      return std::string(1, c);
    }
    const size_t b = p_;
    while (p_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[p_])) &&
           std::string("(){}:;,\"").find(s_[p_]) == std::string::npos)
      ++p_;
    return s_.substr(b, p_ - b);
  }

  char peek() {
    skip();
    return p_ < s_.size() ? s_[p_] : '\0';
  }

  // Groups nest at most this deep (a library's cells, pins and tables need 5).
  static constexpr int kMaxDepth = 64;

  std::unique_ptr<Node> statement(int depth = 0) {
    if (depth > kMaxDepth) fail("groups nested deeper than " + std::to_string(kMaxDepth));
    auto n = std::make_unique<Node>();
    n->name = token();
    n->line = line_;
    const std::string t = token();
    if (t == ":") {
      std::string v = token();
      // a value runs to ';' (or the end of its line: the ';' is optional)
      while (true) {
        const int l = line_;
        const char c = peek();
        if (c == ';') {
          token();
          break;
        }
        if (c == '}' || c == '\0' || line_ != l) break;
        v += " " + token();
      }
      n->attrs.push_back({n->name, v});
      n->attr_lines.push_back(n->line);
      return n;
    }
    if (t != "(") fail("expected ':' or '(' after '" + n->name + "'");
    while (peek() != ')') {
      n->args.push_back(token());
      if (peek() == ',') token();
    }
    token(); // ')'
    if (peek() == '{') {
      token();
      n->is_group = true;
      while (peek() != '}') {
        auto c = statement(depth + 1);
        if (!c->is_group && c->args.empty() && !c->attrs.empty() && c->attrs[0].first == c->name) {
          n->attrs.push_back(c->attrs[0]);
          n->attr_lines.push_back(c->line);
        } else
          n->children.push_back(std::move(c));
      }
      token(); // '}'
    } else if (peek() == ';') {
      token();
    }
    return n;
  }
};

// A finite number filling the whole (trimmed) text, or an InputError.
double number(const std::string& text, const std::string& file, int line, const std::string& key) {
  const std::string x = trim(text);
  const char* b = x.c_str();
  char* e = nullptr;
  const double d = x.empty() ? 0 : std::strtod(b, &e);
  if (x.empty() || e != b + x.size() || !std::isfinite(d))
    throw InputError(file, line, key, "Liberty: expected a finite number, got '" + text + "'");
  return d;
}

std::vector<double> numbers(const Node& n, const std::string& file) {
  std::vector<double> v;
  for (auto& p : n.args) {
    std::stringstream ss(p);
    std::string x;
    while (std::getline(ss, x, ','))
      v.push_back(number(x, file, n.line, n.name));
  }
  return v;
}

// A table's indices increase strictly and its values fill the grid they span
// (row-major over index_1; one value when it has no index).
LibTable table(const Node& g, const std::string& file) {
  LibTable t;
  const Node* i1 = g.child("index_1");
  const Node* i2 = g.child("index_2");
  const Node* v = g.child("values");
  if (i1) t.index1 = numbers(*i1, file);
  if (i2) t.index2 = numbers(*i2, file);
  if (v) t.values = numbers(*v, file);
  const auto bad = [&](const std::string& msg) {
    throw InputError(file, g.line, g.name, "Liberty: " + msg);
  };
  for (const auto* idx : {&t.index1, &t.index2})
    for (size_t i = 1; i < idx->size(); ++i)
      if (!((*idx)[i] > (*idx)[i - 1])) bad("table indices must increase");
  if (!t.index2.empty() && t.index1.empty()) bad("index_2 without index_1");
  const size_t want = std::max<size_t>(1, t.index1.size()) * std::max<size_t>(1, t.index2.size());
  if (v && t.values.size() != want)
    bad("the table has " + std::to_string(t.values.size()) + " values, its indices span " +
        std::to_string(want));
  return t;
}

double unit_value(const std::string& s, const std::map<std::string, double>& scale,
                  const std::string& what, const std::string& file, int line) {
  // "1ns", "10ps", "1nW" ...
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'))
    ++i;
  const double n = i ? number(s.substr(0, i), file, line, what) : 1.0;
  if (!(n > 0)) throw InputError(file, line, what, "Liberty: the unit must be positive");
  std::string u = s.substr(i);
  for (auto& c : u)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = scale.find(u);
  if (it == scale.end()) throw InputError(file, line, what, "unsupported Liberty unit '" + s + "'");
  return n * it->second;
}

} // namespace

double LibTable::lookup(double x1, double x2) const {
  if (values.empty()) return 0;
  auto seg = [](const std::vector<double>& idx, double x, size_t& i0, double& f) {
    if (idx.size() < 2) {
      i0 = 0;
      f = 0;
      return;
    }
    size_t i = 0;
    while (i + 2 < idx.size() && x > idx[i + 1])
      ++i;
    i0 = i;
    const double d = idx[i + 1] - idx[i];
    f = d != 0 ? (x - idx[i]) / d : 0;
  };
  size_t i, j;
  double fi, fj;
  seg(index1, x1, i, fi);
  if (index2.empty()) {
    if (index1.size() < 2 || values.size() < 2) return values[0];
    return values[i] + fi * (values[i + 1] - values[i]);
  }
  seg(index2, x2, j, fj);
  const size_t n2 = index2.size();
  auto v = [&](size_t a, size_t b) { return values[std::min(values.size() - 1, a * n2 + b)]; };
  const size_t i1 = index1.size() < 2 ? i : i + 1, j1 = n2 < 2 ? j : j + 1;
  const double a = v(i, j) + fj * (v(i, j1) - v(i, j));
  const double b = v(i1, j) + fj * (v(i1, j1) - v(i1, j));
  return a + fi * (b - a);
}

const LibPin* LibCell::pin(const std::string& n) const {
  for (auto& p : pins)
    if (p.name == n) return &p;
  return nullptr;
}

const LibCell* Liberty::cell(const std::string& n) const {
  auto it = cells.find(n);
  return it == cells.end() ? nullptr : &it->second;
}

Liberty parse_liberty(const std::string& path) {
  return parse_liberty_text(read_file(path, "the Liberty file"), path);
}

Liberty parse_liberty_text(const std::string& text, const std::string& path) {
  Parser ps(text, path);
  const auto root = ps.parse();
  if (root->name != "library")
    throw InputError(path, 1, "", "Liberty: the top-level group is not a library");
  Liberty lib;
  lib.path = path;
  lib.name = root->args.empty() ? "" : root->args[0];
  // a non-negative number attribute of group g (area, capacitance, leakage, voltage)
  const auto amount = [&](const Node& g, const std::string& key, double& out) {
    if (const std::string* a = g.attr(key)) {
      out = number(*a, path, g.attr_line(key), key);
      if (out < 0) throw InputError(path, g.attr_line(key), key, "Liberty: must not be negative");
    }
  };
  if (auto* t = root->attr("time_unit"))
    lib.time_unit_ns = unit_value(*t, {{"ns", 1}, {"ps", 1e-3}, {"us", 1e3}}, "time_unit", path,
                                  root->attr_line("time_unit"));
  if (auto* t = root->attr("leakage_power_unit"))
    lib.leakage_unit_nw =
        unit_value(*t, {{"nw", 1}, {"pw", 1e-3}, {"uw", 1e3}, {"mw", 1e6}, {"w", 1e9}},
                   "leakage_power_unit", path, root->attr_line("leakage_power_unit"));
  if (const Node* c = root->child("capacitive_load_unit"); c && c->args.size() == 2) {
    std::string u = c->args[1];
    for (auto& ch : u)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const double n = number(c->args[0], path, c->line, "capacitive_load_unit");
    if (!(n > 0))
      throw InputError(path, c->line, "capacitive_load_unit", "Liberty: the unit must be positive");
    lib.cap_unit_pf = u == "pf"   ? n
                      : u == "ff" ? n * 1e-3
                                  : throw InputError(path, c->line, "capacitive_load_unit",
                                                     "unsupported unit " + c->args[1]);
  }
  amount(*root, "nom_voltage", lib.voltage);
  for (const auto& cn : root->children) {
    if (cn->name != "cell" || cn->args.empty()) continue;
    LibCell cell;
    cell.name = cn->args[0];
    amount(*cn, "area", cell.area);
    amount(*cn, "cell_leakage_power", cell.leakage);
    if (auto* a = cn->attr("dont_use")) cell.dont_use = *a == "true";
    for (const auto& g : cn->children) {
      if (g->name == "ff" || g->name == "latch" || g->name == "ff_bank" || g->name == "latch_bank")
        cell.sequential = true;
      if (g->name == "ff" && g->args.size() == 2) {
        cell.has_ff = true;
        cell.ff.iq = g->args[0];
        cell.ff.iqn = g->args[1];
        const auto get = [&](const char* k) { return g->attr(k) ? *g->attr(k) : std::string(); };
        cell.ff.clocked_on = get("clocked_on");
        cell.ff.next_state = get("next_state");
        cell.ff.clear = get("clear");
        cell.ff.preset = get("preset");
        if (auto* a = g->attr("clear_preset_var1"); a && !a->empty())
          cell.ff.clear_preset_var1 = (*a)[0];
        if (auto* a = g->attr("clear_preset_var2"); a && !a->empty())
          cell.ff.clear_preset_var2 = (*a)[0];
      }
      if (g->name != "pin" || g->args.empty()) continue;
      LibPin pin;
      pin.name = g->args[0];
      if (auto* a = g->attr("direction")) pin.direction = *a;
      amount(*g, "capacitance", pin.capacitance);
      if (auto* a = g->attr("function")) pin.function = *a;
      if (auto* a = g->attr("clock")) pin.clock = *a == "true";
      for (const auto& ip : g->children) {
        if (ip->name != "internal_power") continue;
        LibPower pw;
        if (auto* a = ip->attr("related_pin")) pw.related_pin = *a;
        if (const Node* r = ip->child("rise_power")) pw.rise = table(*r, path);
        if (const Node* f = ip->child("fall_power")) pw.fall = table(*f, path);
        pin.power.push_back(std::move(pw));
      }
      cell.pins.push_back(std::move(pin));
    }
    lib.cells[cell.name] = std::move(cell);
  }
  if (lib.cells.empty()) throw InputError(path, 0, "", "Liberty: the library has no cells");
  return lib;
}

} // namespace tpe
