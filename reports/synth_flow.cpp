// Synthesis and timing flow. Algorithm:
//  1. write the generated RTL; yosys elaborates it (hierarchy -top) and lists the
//     modules, whose parameter-derived names ($paramod$...) tpe turns into plain
//     ones (rename), so every tool downstream reads ordinary identifiers;
//  2. yosys synthesizes (hierarchically, or flattened on request), maps flip-flops
//     (dfflibmap) and logic (ABC: delay-driven mapping at the target clock, then
//     buffering of high-fanout nets and gate up/down-sizing) to the Liberty
//     library, and writes the netlist as Verilog and JSON; without a library the
//     logic stays in yosys's internal gates;
//  3. tpe walks the JSON netlist: area, cells and flip-flops per module, instance
//     counts through the hierarchy, and the breakdown by role (PE, array, skew,
//     deskew, controller, accumulators);
//  4. OpenSTA reads the timing library and the netlist and reports the worst path
//     at the target clock: critical-path delay = clock - slack, fmax = 1/delay.
#include "reports/synth_flow.h"
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/process.h"
#include "reports/fanout_repair.h"
#include "reports/liberty.h"
#include "rtl_gen/rtl_generator.h"
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

namespace tpe {

namespace fs = std::filesystem;

std::string default_liberty() {
  return TPE_DEFAULT_LIBERTY;
}

LibraryChoice choose_library(const std::string& cli) {
  return choose_library(cli, default_liberty());
}

LibraryChoice choose_library(const std::string& cli, const std::string& default_lib) {
  LibraryChoice c;
  std::string path = cli;
  c.source = "--liberty";
  if (path.empty()) {
    const char* e = std::getenv("TPE_LIBERTY");
    if (e && *e) {
      path = e;
      c.source = "TPE_LIBERTY";
    }
  }
  if (path == "none") {
    c.source = "none";
    return c;
  }
  if (path.empty()) {
    path = default_lib;
    c.source = "default";
    if (!fs::is_regular_file(path))
      throw ToolError("the default Liberty library " + path +
                      " is missing (the build unpacks it from third_party/sky130_fd_sc_hd: run "
                      "'make'); or pass --liberty FILE, or --liberty none for yosys's internal "
                      "gates");
  }
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) throw InputError(path, 0, c.source, "Liberty file not found");
  if (fs::is_directory(st))
    throw InputError(path, 0, c.source, "is a directory, not a Liberty file");
  check_input_file(path, "the Liberty file"); // yosys and OpenSTA must never read a FIFO
  // the flow runs yosys and OpenSTA in other directories
  path = fs::absolute(path).lexically_normal().string();
  const std::string suffix = ".synth.lib";
  if (path.size() > suffix.size() &&
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
    c.synth_lib = path;
    const std::string plain = path.substr(0, path.size() - suffix.size()) + ".lib";
    c.timing_lib = fs::is_regular_file(plain) ? plain : path;
  } else {
    c.timing_lib = path;
    const std::string dot = path.size() > 4 && path.compare(path.size() - 4, 4, ".lib") == 0
                                ? path.substr(0, path.size() - 4) + suffix
                                : "";
    c.synth_lib = !dot.empty() && fs::is_regular_file(dot) ? dot : path;
  }
  check_input_file(c.synth_lib, "the Liberty file"); // the sibling chosen beside it, too
  check_input_file(c.timing_lib, "the Liberty file");
  return c;
}

nlohmann::json read_netlist_json(const std::string& path) {
  const std::string text = read_tool_output(path, "yosys's netlist JSON");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw ToolError(path + ": yosys's netlist JSON is not valid JSON: " + e.what());
  }
}

namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void run_tool(const std::vector<std::string>& argv, const std::string& dir, const std::string& log,
              const std::string& what) {
  if (find_tool(argv[0]).empty())
    throw ToolError(argv[0] + " not found on PATH (run 'make setup' to install it)");
  if (run_process(argv, dir, log) != 0)
    throw ToolError(what + " failed (log " + log + "):\n" + tail_file(log, 15));
}

// "$paramod$<hash>\name" or "$paramod\name\P=..." -> "name"; plain names unchanged.
std::string base_module_name(const std::string& m) {
  if (m.rfind("$paramod", 0) != 0) return m;
  const size_t b = m.find('\\');
  if (b == std::string::npos) return m;
  const size_t e = m.find('\\', b + 1);
  return m.substr(b + 1, e == std::string::npos ? std::string::npos : e - b - 1);
}

// NAND2-equivalent size of yosys internal gates: static CMOS transistor count / 4.
double nand2_equivalent(const std::string& type) {
  static const std::map<std::string, double> t = {
      {"$_NOT_", 0.5},  {"$_BUF_", 1.0},  {"$_NAND_", 1.0},   {"$_NOR_", 1.0},
      {"$_AND_", 1.5},  {"$_OR_", 1.5},   {"$_ANDNOT_", 1.5}, {"$_ORNOT_", 1.5},
      {"$_XOR_", 3.0},  {"$_XNOR_", 3.0}, {"$_MUX_", 3.0},    {"$_NMUX_", 2.5},
      {"$_AOI3_", 1.5}, {"$_OAI3_", 1.5}, {"$_AOI4_", 2.0},   {"$_OAI4_", 2.0}};
  auto it = t.find(type);
  if (it != t.end()) return it->second;
  // flip-flops: a static master-slave D flip-flop is 24 transistors (6 NAND2);
  // an enable adds a 2:1 mux (3), a synchronous reset or set an AND/OR (1.5),
  // an asynchronous reset or set 1 per latch (2)
  if (type.rfind("$_DFF_", 0) == 0) return type.size() > 8 ? 8.0 : 6.0;
  if (type.rfind("$_DFFE_", 0) == 0) return type.size() > 10 ? 11.0 : 9.0;
  if (type.rfind("$_SDFF_", 0) == 0) return 7.5;
  if (type.rfind("$_SDFFE_", 0) == 0 || type.rfind("$_SDFFCE_", 0) == 0) return 10.5;
  throw ToolError("no NAND2-equivalent size for yosys cell type " + type);
}

bool generic_is_flop(const std::string& type) {
  return type.rfind("$_DFF", 0) == 0 || type.rfind("$_SDFF", 0) == 0;
}

std::string category_of_instance(const std::string& inst) {
  if (inst == "u_array") return "pe_array";
  if (inst == "u_ctrl") return "controller";
  if (inst == "u_deskew") return "deskew";
  if (inst == "u_drain") return "drain";
  if (inst == "u_accum") return "accumulators";
  if (inst.rfind("u_skew", 0) == 0) return "skew";
  if (inst.find("u_enc") != std::string::npos) return "encoders"; // EN-T, at the west edge
  return "other";
}

std::string instance_name(const std::string& json_name) {
  // yosys writes public names with a leading backslash in RTLIL; JSON drops it
  return json_name.size() && json_name[0] == '\\' ? json_name.substr(1) : json_name;
}

struct Walk {
  const nlohmann::json& mods;
  const Liberty* lib;
  std::map<std::string, ModuleStat> stats;
  std::set<std::string> done;

  void visit(const std::string& m) {
    if (done.count(m)) return;
    done.insert(m);
    ModuleStat s;
    s.module = m;
    for (auto& [cname, cell] : mods.at(m)["cells"].items()) {
      const std::string type = cell["type"];
      if (mods.contains(type)) {
        visit(type);
        const ModuleStat& sub = stats.at(type);
        s.area += sub.area;
        s.cells += sub.cells;
        s.flops += sub.flops;
      } else if (lib) {
        const LibCell* lc = lib->cell(type);
        if (!lc)
          throw ToolError("mapped netlist uses cell " + type + " which is not in the library");
        s.area += lc->area;
        s.cells += 1;
        s.flops += lc->sequential ? 1 : 0;
      } else {
        s.area += nand2_equivalent(type);
        s.cells += 1;
        s.flops += generic_is_flop(type) ? 1 : 0;
      }
      (void)cname;
    }
    stats[m] = s;
  }
};

// The smallest tie-high/low cell of a library: no inputs, outputs with function
// "1" and "0" (empty when the library has none; constants then stay assigns).
struct TieCell {
  std::string cell, hi_pin, lo_pin;
};

std::string bare(std::string f) {
  std::string o;
  for (char c : f)
    if (c != '(' && c != ')' && c != ' ') o += c;
  return o;
}

TieCell find_tie_cell(const Liberty& lib) {
  TieCell t;
  double best = 1e30;
  for (const auto& [name, c] : lib.cells) {
    if (c.dont_use || c.sequential || c.area >= best) continue;
    const LibPin *hi = nullptr, *lo = nullptr;
    bool inputs = false;
    for (const auto& p : c.pins) {
      if (p.direction == "input") inputs = true;
      if (p.direction == "output" && bare(p.function) == "1") hi = &p;
      if (p.direction == "output" && bare(p.function) == "0") lo = &p;
    }
    if (!inputs && hi && lo) {
      best = c.area;
      t = {name, hi->name, lo->name};
    }
  }
  return t;
}

// A file yosys or OpenSTA may have written ("" when it did not).
std::string read_or_empty(const std::string& p, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(p, ec)) return "";
  return read_tool_output(p, what);
}

// Buffer trees on nets that ABC did not see (reports/fanout_repair), then yosys
// writes the Verilog netlist, the JSON and the statistics again from the result.
void repair_netlist_fanout(const fs::path& dir, const Liberty& lib, const std::string& top,
                           const SynthOptions& opt, SynthReport& r) {
  nlohmann::json net = read_netlist_json((dir / "netlist.json").string());
  const FanoutRepairStats st = repair_fanout(net, lib, {opt.max_fanout});
  r.max_fanout = opt.max_fanout;
  r.fanout_buffer = st.buffer_cell;
  r.fanout_nets = st.nets;
  r.fanout_buffers = st.buffers;
  if (st.buffers == 0) return;
  write_file_atomic((dir / "netlist_fo.json").string(), net.dump() + "\n");
  write_file_atomic((dir / "repair.ys").string(),
                    "read_json netlist_fo.json\ntee -q -o stat.txt stat -top " + top +
                        " -liberty " + opt.lib.synth_lib +
                        "\nwrite_verilog -noattr -simple-lhs netlist_yosys.v\nwrite_json "
                        "netlist.json\n");
  run_tool({"yosys", "-q", "-s", "repair.ys"}, dir.string(), (dir / "repair.log").string(),
           "yosys (netlist after fanout repair)");
}

} // namespace

SynthReport synthesize(const ArchConfig& arch, const SynthOptions& opt) {
  return synthesize_rtl(generate_verilog(arch, "tpe gen --arch " + arch.source), arch.name, opt);
}

SynthReport synthesize_rtl(const GeneratedRtl& g, const std::string& design,
                           const SynthOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  const bool keep = !opt.workdir.empty();
  TempPath own; // removed on return, on an exception and on a signal
  if (!keep) own = make_temp_dir("tpe_synth." + design);
  if (keep) ensure_directory(opt.workdir, "the --keep directory");
  const fs::path dir = keep ? fs::absolute(opt.workdir) // tools run in other directories
                            : fs::path(own.path());
  fs::create_directories(dir / "rtl");
  std::string reads;
  for (const auto& [name, text] : g.files)
    write_file_atomic((dir / "rtl" / name).string(), text);
  for (const auto& f : g.sources)
    reads += " rtl/" + f;

  SynthReport r;
  r.design = design;
  r.top = g.top;
  r.generic = opt.lib.synth_lib.empty();
  r.flattened = opt.flatten;
  r.clock_ns = opt.clock_ns;
  r.library = r.generic ? "yosys internal gates (no Liberty library)" : "";
  r.library_path = r.generic ? "" : opt.lib.synth_lib;
  r.area_unit = r.generic ? "NAND2-eq" : "um^2";
  std::unique_ptr<Liberty> lib;
  if (!r.generic) {
    lib = std::make_unique<Liberty>(parse_liberty(opt.lib.synth_lib));
    r.library = lib->name;
  }

  // 2. synthesize and map
  const long clock_ps = std::lround(opt.clock_ns * 1000);
  std::string ys =
      "read_verilog" + reads + "\nsynth -top " + g.top + (opt.flatten ? " -flatten" : "") + "\n";
  if (!r.generic) {
    const std::string D = std::to_string(clock_ps);
    write_file_atomic(
        (dir / "abc.script").string(),
        "strash; &get -n; &fraig -x; &put; scorr; dc2; dretime; strash; &get -n; &dch -f; &nf -D " +
            D + "; &put; buffer -p; upsize -D " + D + "; dnsize -D " + D + "; stime -p\n");
    ys += "dfflibmap -liberty " + opt.lib.synth_lib + "\nabc -liberty " + opt.lib.synth_lib +
          " -script abc.script\n";
    // constants become tie cells; net-to-net connections stay plain assigns with a
    // simple left-hand side (write_verilog -simple-lhs), which OpenSTA reads
    ys += "opt_clean -purge\nsetundef -zero\n";
    const TieCell tie = find_tie_cell(*lib);
    if (!tie.cell.empty())
      ys += "hilomap -singleton -hicell " + tie.cell + " " + tie.hi_pin + " -locell " + tie.cell +
            " " + tie.lo_pin + "\n";
  }
  ys += "opt_clean\ntee -q -o stat.txt stat" +
        (r.generic ? std::string() : " -liberty " + opt.lib.synth_lib) +
        "\nrename -enumerate -pattern n%\nwrite_verilog -noattr -simple-lhs "
        "netlist_yosys.v\nwrite_json netlist.json\n";
  write_file_atomic((dir / "synth.ys").string(), ys);
  run_tool({"yosys", "-q", "-s", "synth.ys"}, dir.string(), (dir / "synth.log").string(),
           "yosys synthesis");
  if (!r.generic && opt.max_fanout > 0) repair_netlist_fanout(dir, *lib, g.top, opt, r);
  r.synth_seconds = since(t0);

  // 3. area, cells and flops through the hierarchy
  const nlohmann::json net = read_netlist_json((dir / "netlist.json").string());
  const nlohmann::json& mods = net.at("modules");
  // Parameter-derived module names ($paramod$<hash>\name) become plain ones, in the
  // report and in the Verilog netlist that OpenSTA and the gate-level simulation read.
  std::map<std::string, std::string> plain;
  {
    std::map<std::string, int> used;
    for (auto& [m, body] : mods.items()) {
      (void)body;
      std::string b = base_module_name(m);
      if (b != m) {
        const int n = ++used[b];
        plain[m] = n > 1 ? b + "_" + std::to_string(n) : b;
      }
    }
    std::string v = read_or_empty((dir / "netlist_yosys.v").string(), "yosys's Verilog netlist");
    for (const auto& [from, to] : plain) {
      const std::string esc = "\\" + from + " ";
      for (size_t p = v.find(esc); p != std::string::npos; p = v.find(esc, p + to.size()))
        v.replace(p, esc.size(), to + " ");
    }
    write_file_atomic((dir / "netlist.v").string(), v);
  }
  auto display = [&](const std::string& m) {
    auto it = plain.find(m);
    return it == plain.end() ? m : it->second;
  };
  Walk w{mods, lib.get(), {}, {}};
  w.visit(g.top);
  const ModuleStat& top = w.stats.at(g.top);
  r.area = top.area;
  r.cells = top.cells;
  r.flops = top.flops;
  // instance counts and categories, breadth first from the top
  std::map<std::string, int64_t> count;
  std::map<std::string, std::string> category;
  count[g.top] = 1;
  category[g.top] = "top";
  std::vector<std::string> order = {g.top};
  for (size_t i = 0; i < order.size(); ++i) {
    const std::string m = order[i];
    for (auto& [cname, cell] : mods.at(m)["cells"].items()) {
      const std::string type = cell["type"];
      if (!mods.contains(type)) continue;
      if (!count.count(type)) {
        order.push_back(type);
        category[type] = m == g.top                  ? category_of_instance(instance_name(cname))
                         : category[m] == "pe_array" ? "pe"
                         : category[m] == "pe" || category[m] == "pe_part" ? "pe_part"
                                                                           : category[m];
      }
      count[type] += count[m];
    }
  }
  double top_own = top.area;
  for (const auto& m : order) {
    ModuleStat s = w.stats.at(m);
    s.module = display(m);
    s.json_name = m;
    s.instances = count[m];
    s.category = category[m];
    r.modules.push_back(s);
    if (m != g.top && s.category != "pe" && s.category != "pe_part")
      r.area_by_category[s.category] += s.area * s.instances;
  }
  for (auto& [cname, cell] : mods.at(g.top)["cells"].items())
    if (mods.contains(cell["type"].get<std::string>())) top_own -= w.stats.at(cell["type"]).area;
  r.area_by_category["top_glue"] = std::max(0.0, top_own); // rounding can leave -0.0

  // 4. timing
  if (!r.generic) {
    const auto t1 = std::chrono::steady_clock::now();
    std::ostringstream tcl;
    tcl << "read_liberty " << opt.lib.timing_lib << "\nread_verilog netlist.v\nlink_design "
        << g.top << "\ncreate_clock -name clk -period " << opt.clock_ns << " [get_ports clk]\n"
        << "set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk]]\n"
        << "set_output_delay 0 -clock clk [all_outputs]\nset_load 0.005 [all_outputs]\n"
        << "report_checks -path_delay max -digits 4\nexit\n";
    write_file_atomic((dir / "sta.tcl").string(), tcl.str());
    const std::string log = (dir / "sta.log").string();
    run_tool({"sta", "-no_splash", "-exit", "sta.tcl"}, dir.string(), log, "OpenSTA");
    const std::string out = read_or_empty(log, "the timing log");
    std::smatch m;
    if (std::regex_search(out, m, std::regex(R"(Startpoint: (\S+))"))) r.startpoint = m[1];
    if (std::regex_search(out, m, std::regex(R"(Endpoint: (\S+))"))) r.endpoint = m[1];
    if (std::regex_search(out, m, std::regex(R"((-?[0-9.]+)\s+slack \((MET|VIOLATED)\))"))) {
      r.slack_ns = std::stod(m[1]);
      r.critical_path_ns = opt.clock_ns - r.slack_ns;
      r.fmax_mhz = 1000.0 / r.critical_path_ns;
      r.timed = true;
    } else {
      throw ToolError("OpenSTA reported no timed path (log " + log + ")");
    }
    r.sta_seconds = since(t1);
    r.assumptions = {
        "typical corner of the library, ideal clock (no clock tree, no skew)",
        "no wire load and no placement: net delay comes from pin capacitance only",
        "ABC maps for delay at the target clock, then buffers and sizes the combinational "
        "logic of each module; tpe then gives every other net with more than " +
            std::to_string(r.max_fanout) + " loads (flip-flop outputs, module inputs) a tree of " +
            (r.fanout_buffer.empty() ? std::string("buffers") : r.fanout_buffer) +
            " (no placement-aware sizing); the clock is ideal and not buffered",
        "inputs arrive and outputs are required at the clock edge (0 ns I/O delay), "
        "ideal input drive, 5 fF on every output"};
  }
  if (keep) {
    r.netlist = (dir / "netlist.v").string();
    if (!r.generic) { // behavioural models of the library's cells, for gate-level simulation
      r.cell_models = (dir / "cells.v").string();
      write_file_atomic((dir / "cells.ys").string(), "read_liberty -ignore_miss_func " +
                                                         opt.lib.timing_lib +
                                                         "\nwrite_verilog -noattr cells.v\n");
      run_tool({"yosys", "-q", "-s", "cells.ys"}, dir.string(), (dir / "cells.log").string(),
               "yosys cell models");
    }
  }
  return r;
}

} // namespace tpe
