// Gate-level energy. Algorithm:
//  1. synthesize (reports/synth_flow) keeping the netlist and writing cell models;
//  2. Verilate netlist + models with --coverage-toggle (the harness zeroes the
//     counters after reset and writes coverage.dat after the GEMM);
//  3. per GEMM: operands from the seeded stream, SystemC model and gate-level run
//     on the same SRAM images; every output write must match (else the toggles of
//     a wrong netlist would be trusted); coverage counts are summed per module
//     and signal bit (Verilator sums a module's counts over its instances);
//  4. for every bit of every module net: local load = input-pin capacitances of
//     the library cells of that module on the net (each physical pin counted once,
//     in the module where its cell lives; top-level outputs add 5 fF);
//     energy = toggles x (1/2 C V^2 + (rise+fall)/2 of the driving pin's internal
//     power at (slew, load), averaged over its related pins, + (rise+fall)/2 of
//     each load pin's internal power at the slew). Rise and fall are averaged
//     because SkyWater's tables carry +-1/2 C V^2 on rising and falling outputs,
//     which cancels over a toggle pair. Leakage: cell_leakage_power of every
//     instance over the simulated time.
#include "reports/power.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/process.h"
#include "dataflows/systolic_mapping.h"
#include "reports/liberty.h"
#include "sim/systolic_core.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/rtl_run.h"
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <unistd.h>

namespace tpe {

namespace fs = std::filesystem;

namespace {

// coverage.dat lines: C '<\1key\2value...>' count ; keys page (v_toggle/<module>), o (signal[bit])
void add_coverage(const std::string& path,
                  std::map<std::string, std::map<std::string, int64_t>>& toggles) {
  std::ifstream in(path);
  if (!in) throw ToolError("gate-level run wrote no toggle counts (" + path + ")");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 4 || line[0] != 'C') continue;
    const size_t q1 = line.find('\''), q2 = line.rfind('\'');
    if (q1 == std::string::npos || q2 <= q1) continue;
    const std::string body = line.substr(q1 + 1, q2 - q1 - 1);
    const int64_t count = std::stoll(line.substr(q2 + 1));
    std::map<std::string, std::string> kv;
    size_t p = 0;
    while (p < body.size()) {
      const size_t k = body.find('\1', p);
      if (k == std::string::npos) break;
      const size_t v = body.find('\2', k);
      const size_t e = body.find('\1', v);
      kv[body.substr(k + 1, v - k - 1)] =
          body.substr(v + 1, e == std::string::npos ? std::string::npos : e - v - 1);
      p = e == std::string::npos ? body.size() : e;
    }
    const std::string page = kv["page"];
    if (page.rfind("v_toggle/", 0) != 0) continue;
    toggles[page.substr(9)][kv["o"]] += count;
  }
}

double avg_internal(const LibPin& pin, double slew, double load) {
  double sum = 0;
  int n = 0;
  for (const auto& pw : pin.power) {
    if (pw.rise.empty() && pw.fall.empty()) continue;
    const double r = pw.rise.empty() ? 0 : pw.rise.lookup(slew, load);
    const double f = pw.fall.empty() ? 0 : pw.fall.lookup(slew, load);
    sum += (r + f) / 2;
    ++n;
  }
  return n ? sum / n : 0;
}

} // namespace

PowerReport gate_level_power(const ArchConfig& arch, const PowerOptions& opt,
                             std::ostream& progress) {
  if (opt.synth.lib.synth_lib.empty())
    throw InputError(
        "--liberty", 0, "",
        "gate-level energy needs a Liberty library (pass --liberty or set TPE_LIBERTY)");
  PowerReport rep;
  SynthOptions so = opt.synth;
  const bool keep = !so.workdir.empty();
  if (!keep)
    so.workdir = (fs::temp_directory_path() / ("tpe_power." + std::to_string(getpid()))).string();
  progress << "power: synthesizing " << arch.name << "\n";
  rep.synth = synthesize(arch, so);
  rep.clock_ns = so.clock_ns;
  const Liberty lib = parse_liberty(so.lib.timing_lib);
  const double V = lib.voltage;
  rep.volts = V;

  std::vector<std::string> flags = gate_level_flags();
  flags.push_back("--coverage-toggle");
  progress << "power: building the gate-level simulator (Verilator)\n";
  const RtlBinary bin =
      build_systolic_rtl(arch, use_gate_netlist(rep.synth.netlist, rep.synth.cell_models), flags);

  // toggles[module][signal[bit]]
  std::map<std::string, std::map<std::string, int64_t>> toggles;
  Rng rng(opt.seed);
  const fs::path run_dir = fs::path(so.workdir) / "power_run";
  fs::create_directories(run_dir);
  for (const auto& l : opt.gemms) {
    const ModelRun mr = run_model(arch, l, opt.fill, opt.normal_sd, rng);
    const RtlTrace rt = run_rtl(bin, mr.map, mr.images, run_dir.string());
    const std::string diff = compare_traces(mr.map, mr.writes, mr.counts, mr.cycles, rt);
    if (!diff.empty())
      throw ToolError("gate-level netlist disagrees with the model on " + l.name + ": " + diff +
                      "; seed " + std::to_string(opt.seed));
    const int64_t cycles = mr.cycles;
    add_coverage((run_dir / "coverage.dat").string(), toggles);
    rep.cycles += cycles;
    rep.macs += l.macs();
    progress << "power: " << l.name << " (" << l.M << "x" << l.K << "x" << l.N << "): " << cycles
             << " cycles, gate-level outputs match the model\n";
  }

  // nets, loads and drivers per module from the mapped JSON netlist
  nlohmann::json net;
  {
    std::ifstream in(fs::path(so.workdir) / "netlist.json");
    net = nlohmann::json::parse(in);
  }
  const auto& mods = net.at("modules");
  // netlist.v names and instance counts of the JSON modules, from the synthesis report
  std::map<std::string, std::string> plain;
  std::map<std::string, int64_t> inst_count;
  std::string top_json = rep.synth.top;
  for (const auto& ms : rep.synth.modules) {
    plain[ms.json_name] = ms.module;
    inst_count[ms.json_name] = ms.instances;
    if (ms.category == "top") top_json = ms.json_name;
  }
  double leakage_nw = 0;
  for (auto& [mname, body] : mods.items()) {
    if (!plain.count(mname)) continue; // not instantiated under the top
    const std::string pm = plain[mname];
    const auto& tog = toggles[pm];
    // bit -> (driver pin, load pins) among this module's library cells
    std::map<int64_t, std::pair<const LibPin*, std::vector<const LibPin*>>> bitpins;
    for (auto& [cn, cell] : body["cells"].items()) {
      (void)cn;
      const std::string t = cell["type"];
      const LibCell* lc = lib.cell(t);
      if (!lc) continue; // a submodule: its pins are counted inside it
      leakage_nw += lc->leakage * lib.leakage_unit_nw * inst_count[mname];
      for (auto& [pin, conn] : cell["connections"].items()) {
        const LibPin* lp = lc->pin(pin);
        if (!lp) continue;
        for (auto& b : conn) {
          if (!b.is_number_integer()) continue; // constants
          auto& e = bitpins[b.get<int64_t>()];
          if (lp->direction == "output")
            e.first = lp;
          else
            e.second.push_back(lp);
        }
      }
    }
    std::set<int64_t> top_outputs;
    if (mname == top_json)
      for (auto& [pn, port] : body["ports"].items()) {
        (void)pn;
        if (port["direction"] == "output")
          for (auto& b : port["bits"])
            if (b.is_number_integer()) top_outputs.insert(b.get<int64_t>());
      }
    // one toggle count per bit: the first net name of the bit that has coverage
    std::set<int64_t> done;
    double e_mod = 0;
    for (auto& [nn, nb] : body["netnames"].items()) {
      const auto& bl = nb["bits"];
      for (size_t i = 0; i < bl.size(); ++i) {
        if (!bl[i].is_number_integer()) continue;
        const int64_t bit = bl[i].get<int64_t>();
        if (done.count(bit)) continue;
        const std::string key = bl.size() == 1 ? nn : nn + "[" + std::to_string(i) + "]";
        auto it = tog.find(key);
        if (it == tog.end()) continue;
        done.insert(bit);
        auto bp = bitpins.find(bit);
        if (bp == bitpins.end() && !top_outputs.count(bit)) continue;
        double cap = top_outputs.count(bit) ? 0.005 : 0; // pF
        double e_int = 0;
        if (bp != bitpins.end()) {
          for (const LibPin* p : bp->second.second) {
            cap += p->capacitance * lib.cap_unit_pf;
            e_int += avg_internal(*p, opt.slew_ns, 0);
          }
          if (bp->second.first)
            e_int += avg_internal(*bp->second.first, opt.slew_ns, cap / lib.cap_unit_pf);
        }
        const double t = static_cast<double>(it->second);
        const double sw = t * 0.5 * cap * V * V; // pF * V^2 = pJ
        rep.switching_pj += sw;
        rep.internal_pj += t * e_int;
        e_mod += sw + t * e_int;
        ++rep.nets_counted;
      }
    }
    rep.pj_by_module[pm] += e_mod;
  }
  const double time_ns = static_cast<double>(rep.cycles) * so.clock_ns;
  rep.leakage_pj = leakage_nw * time_ns * 1e-6; // nW * ns = 1e-18 J = 1e-6 pJ
  rep.total_pj = rep.switching_pj + rep.internal_pj + rep.leakage_pj;
  rep.pj_per_mac = rep.macs ? rep.total_pj / static_cast<double>(rep.macs) : 0;
  rep.power_mw = time_ns > 0 ? rep.total_pj / time_ns : 0; // pJ / ns = mW
  if (!keep) {
    std::error_code ec;
    fs::remove_all(so.workdir, ec);
  }
  return rep;
}

} // namespace tpe
