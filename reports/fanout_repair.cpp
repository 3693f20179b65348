// Fanout repair. Algorithm:
//  1. find the clock nets of every module: bits reaching a Liberty clock pin, or a
//     submodule port that is itself a clock port (iterated to a fixed point over
//     the hierarchy); they stay unbuffered (the timing model has an ideal clock);
//  2. per module, list the loads of every net bit: library input pins, submodule
//     input ports, module output ports (the last stay on the original net);
//  3. a net with more than F loads gets a tree, built from the leaves: the loads
//     are split into ceil(n/F) even groups, each driven by a new buffer whose
//     input becomes a load of the next level, until the root drives at most F.
#include "reports/fanout_repair.h"
#include "core/error.h"
#include <cmath>
#include <map>
#include <set>
#include <vector>

namespace tpe {

namespace {

std::string bare(const std::string& f) {
  std::string o;
  for (char c : f)
    if (c != '(' && c != ')' && c != ' ' && c != '"') o += c;
  return o;
}

struct PinInfo {
  bool input = false, output = false, clock = false;
};

struct Load {
  std::string cell, port; // cell empty: a module output port
  size_t index = 0;
};

class Repair {
public:
  Repair(nlohmann::json& net, const Liberty& lib, const FanoutRepairOptions& opt)
      : mods_(net.at("modules")), lib_(lib), opt_(opt) {}

  FanoutRepairStats run() {
    FanoutRepairStats s;
    s.buffer_cell = choose_tree_buffer(lib_);
    if (s.buffer_cell.empty() || opt_.max_fanout < 2) return s;
    const LibCell* b = lib_.cell(s.buffer_cell);
    for (const auto& p : b->pins)
      (p.direction == "input" ? buf_in_ : buf_out_) = p.name;
    find_clock_ports();
    for (auto& [name, body] : mods_.items())
      if (body.contains("cells")) repair_module(body, s);
    return s;
  }

private:
  nlohmann::json& mods_;
  const Liberty& lib_;
  const FanoutRepairOptions& opt_;
  std::string buf_in_, buf_out_;
  std::map<std::string, std::set<std::string>> clock_ports_; // module -> clock input ports

  PinInfo pin_info(const nlohmann::json& cell, const std::string& port) const {
    PinInfo pi;
    const std::string type = cell.at("type");
    if (const LibCell* lc = lib_.cell(type)) {
      if (const LibPin* lp = lc->pin(port)) {
        pi.input = lp->direction == "input";
        pi.output = lp->direction == "output";
        pi.clock = lp->clock;
      }
      return pi;
    }
    std::string dir;
    if (cell.contains("port_directions") && cell["port_directions"].contains(port))
      dir = cell["port_directions"][port];
    else if (mods_.contains(type) && mods_[type]["ports"].contains(port))
      dir = mods_[type]["ports"][port]["direction"];
    pi.input = dir == "input";
    pi.output = dir == "output";
    auto cp = clock_ports_.find(type);
    pi.clock = pi.input && cp != clock_ports_.end() && cp->second.count(port);
    return pi;
  }

  std::set<int64_t> clock_bits(const nlohmann::json& body) const {
    std::set<int64_t> bits;
    for (auto& [cn, cell] : body["cells"].items()) {
      (void)cn;
      for (auto& [port, conn] : cell["connections"].items())
        if (pin_info(cell, port).clock)
          for (auto& bit : conn)
            if (bit.is_number_integer()) bits.insert(bit.get<int64_t>());
    }
    return bits;
  }

  void find_clock_ports() {
    for (bool changed = true; changed;) {
      changed = false;
      for (auto& [name, body] : mods_.items()) {
        if (!body.contains("cells") || !body.contains("ports")) continue;
        const std::set<int64_t> cb = clock_bits(body);
        for (auto& [port, p] : body["ports"].items()) {
          if (p["direction"] != "input" || clock_ports_[name].count(port)) continue;
          for (auto& bit : p["bits"])
            if (bit.is_number_integer() && cb.count(bit.get<int64_t>())) {
              clock_ports_[name].insert(port);
              changed = true;
              break;
            }
        }
      }
    }
  }

  static void max_bit_of(const nlohmann::json& bits, int64_t& m) {
    for (auto& b : bits)
      if (b.is_number_integer()) m = std::max(m, b.get<int64_t>());
  }

  void repair_module(nlohmann::json& body, FanoutRepairStats& s) {
    const std::set<int64_t> clocks = clock_bits(body);
    std::map<int64_t, std::vector<Load>> loads;
    std::map<int64_t, int64_t> fixed; // output-port loads per bit
    int64_t max_bit = 1;
    for (auto& [cn, cell] : body["cells"].items())
      for (auto& [port, conn] : cell["connections"].items()) {
        max_bit_of(conn, max_bit);
        if (!pin_info(cell, port).input) continue;
        for (size_t i = 0; i < conn.size(); ++i)
          if (conn[i].is_number_integer()) loads[conn[i].get<int64_t>()].push_back({cn, port, i});
      }
    if (body.contains("ports"))
      for (auto& [port, p] : body["ports"].items()) {
        max_bit_of(p["bits"], max_bit);
        if (p["direction"] == "output")
          for (auto& bit : p["bits"])
            if (bit.is_number_integer()) ++fixed[bit.get<int64_t>()];
      }
    if (body.contains("netnames"))
      for (auto& [nn, n] : body["netnames"].items()) {
        (void)nn;
        max_bit_of(n["bits"], max_bit);
      }
    int64_t serial = 0;
    const int64_t F = opt_.max_fanout;
    for (auto& [bit, level] : loads) {
      if (clocks.count(bit)) continue;
      const int64_t total = static_cast<int64_t>(level.size()) + fixed[bit];
      s.worst_before = std::max(s.worst_before, total);
      if (total <= F) continue;
      ++s.nets;
      std::vector<Load> cur = level;
      while (cur.size() > 1 && static_cast<int64_t>(cur.size()) + fixed[bit] > F) {
        const size_t groups = (cur.size() + F - 1) / F;
        std::vector<Load> next;
        size_t at = 0;
        for (size_t g = 0; g < groups; ++g) {
          const size_t n = (cur.size() - at) / (groups - g);
          const int64_t nb = ++max_bit;
          std::string name, wire;
          do {
            name = "tpe_fobuf_" + std::to_string(serial);
            wire = "tpe_fonet_" + std::to_string(serial++);
          } while (body["cells"].contains(name) || body["netnames"].contains(name) ||
                   body["cells"].contains(wire) || body["netnames"].contains(wire));
          body["cells"][name] = {{"hide_name", 0},
                                 {"type", s.buffer_cell},
                                 {"parameters", nlohmann::json::object()},
                                 {"attributes", nlohmann::json::object()},
                                 {"port_directions", {{buf_in_, "input"}, {buf_out_, "output"}}},
                                 {"connections", {{buf_in_, {bit}}, {buf_out_, {nb}}}}};
          body["netnames"][wire] = {
              {"hide_name", 0}, {"bits", {nb}}, {"attributes", nlohmann::json::object()}};
          for (size_t k = 0; k < n; ++k, ++at) {
            const Load& l = cur[at];
            body["cells"][l.cell]["connections"][l.port][l.index] = nb;
          }
          next.push_back({name, buf_in_, 0});
          ++s.buffers;
        }
        cur = next;
      }
    }
  }
};

} // namespace

std::string choose_tree_buffer(const Liberty& lib) {
  std::vector<const LibCell*> bufs;
  for (const auto& [name, c] : lib.cells) {
    if (c.dont_use || c.sequential) continue;
    const LibPin *in = nullptr, *out = nullptr;
    int ins = 0, outs = 0;
    for (const auto& p : c.pins) {
      if (p.direction == "input") ++ins, in = &p;
      if (p.direction == "output") ++outs, out = &p;
    }
    if (ins == 1 && outs == 1 && bare(out->function) == in->name) bufs.push_back(&c);
  }
  if (bufs.empty()) return "";
  double smallest = bufs[0]->area;
  for (const LibCell* c : bufs)
    smallest = std::min(smallest, c->area);
  const LibCell* best = nullptr;
  for (const LibCell* c : bufs)
    if (!best || std::fabs(c->area - 2 * smallest) < std::fabs(best->area - 2 * smallest) ||
        (std::fabs(c->area - 2 * smallest) == std::fabs(best->area - 2 * smallest) &&
         c->name < best->name))
      best = c;
  return best->name;
}

FanoutRepairStats repair_fanout(nlohmann::json& netlist, const Liberty& lib,
                                const FanoutRepairOptions& opt) {
  if (!netlist.contains("modules")) throw ToolError("netlist JSON has no modules");
  return Repair(netlist, lib, opt).run();
}

} // namespace tpe
