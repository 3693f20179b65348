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
//     instance over the simulated time. Without a library the same sums use the
//     generic per-gate table (reports/generic_energy.h) and no leakage;
//  5. the per-toggle energy of every counted net is computed once; each GEMM's
//     own toggle counts give its energy (pJ per layer), and their sum the total.
// Engines with a registered GatePowerRunner (lut_gemv, reports/lut_power.cpp) replace
// step 3 with their own clocked loop on the native simulator, whose SRAM arrays are
// C++ macro models (reports/sram_macro_sim.h), and add the arrays' energy (macro_pj).
#include "reports/power.h"
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/engine_info.h"
#include "core/error.h"
#include "core/process.h"
#include "dataflows/systolic_mapping.h"
#include "reports/gate_sim.h"
#include "reports/generic_energy.h"
#include "reports/liberty.h"
#include "reports/sram_macro_sim.h"
#include "sim/engine.h"
#include "sim/systolic_core.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/rtl_run.h"
#include <cctype>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace tpe {

namespace fs = std::filesystem;

namespace {

// coverage.dat lines: C '<\1key\2value...>' count ; keys page (v_toggle/<module>), o (signal[bit])
void add_coverage(const std::string& path,
                  std::map<std::string, std::map<std::string, int64_t>>& toggles) {
  std::istringstream in(read_tool_output(path, "the gate-level run's toggle counts"));
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

// Pin capacitances and internal energies from the Liberty library, or from the
// generic per-gate table when there is none.
class PinEnergy {
public:
  explicit PinEnergy(const Liberty* lib, double slew_ns) : lib_(lib), slew_(slew_ns) {}
  double volts() const { return lib_ ? lib_->voltage : kGenericVolts; }
  bool is_library_cell(const nlohmann::json& mods, const std::string& type) const {
    return lib_ ? lib_->cell(type) != nullptr : !mods.contains(type);
  }
  double leakage_nw(const std::string& type) const {
    if (!lib_) return 0;
    return lib_->cell(type)->leakage * lib_->leakage_unit_nw;
  }
  // direction of a pin: +1 output, -1 input, 0 unknown
  int direction(const std::string& type, const std::string& port) const {
    if (!lib_) {
      const GenericPin g = generic_pin(type, port);
      return g.output ? 1 : g.input ? -1 : 0;
    }
    const LibPin* p = lib_->cell(type)->pin(port);
    if (!p) return 0;
    return p->direction == "output" ? 1 : p->direction == "input" ? -1 : 0;
  }
  double input_cap_pf(const std::string& type, const std::string& port) const {
    if (!lib_) return generic_pin(type, port).cap_ff * 1e-3;
    return lib_->cell(type)->pin(port)->capacitance * lib_->cap_unit_pf;
  }
  // Liberty internal energy is in (capacitance unit) x V^2, indexed by slew in the
  // library's time unit and load in its capacitance unit
  double input_pj(const std::string& type, const std::string& port) const {
    if (!lib_) return generic_pin(type, port).internal_fj * 1e-3;
    return avg_internal(*lib_->cell(type)->pin(port), slew_ / lib_->time_unit_ns, 0) *
           lib_->cap_unit_pf;
  }
  double output_pj(const std::string& type, const std::string& port, double load_pf) const {
    if (!lib_) return generic_pin(type, port).internal_fj * 1e-3;
    return avg_internal(*lib_->cell(type)->pin(port), slew_ / lib_->time_unit_ns,
                        load_pf / lib_->cap_unit_pf) *
           lib_->cap_unit_pf;
  }

private:
  const Liberty* lib_;
  double slew_;
};

// The top module's name in netlist.json.
std::string json_top(const SynthReport& synth) {
  for (const auto& ms : synth.modules)
    if (ms.category == "top") return ms.json_name;
  return synth.top;
}

// Energy of one transition of a counted net bit: switching and internal parts.
struct NetCost {
  std::string key; // signal[bit] as in the coverage file
  double switching_pj = 0, internal_pj = 0;
};

struct ModuleCosts {
  std::string module; // netlist.v name
  std::vector<NetCost> nets;
  double leakage_nw = 0; // all instances
  int64_t instances = 0;
  std::set<int64_t> uncovered; // bits with library loads but no coverage point
};

// Per module of the mapped JSON netlist: which bits are counted and what one
// toggle of each costs; `keys` are the coverage points of the simulator.
std::vector<ModuleCosts>
net_costs(const nlohmann::json& mods, const SynthReport& synth, const PinEnergy& pe,
          const std::map<std::string, std::map<std::string, int64_t>>& keys) {
  std::map<std::string, std::string> plain;
  std::map<std::string, int64_t> inst_count;
  const std::string top_json = json_top(synth);
  for (const auto& ms : synth.modules) {
    plain[ms.json_name] = ms.module;
    inst_count[ms.json_name] = ms.instances;
  }
  const double V = pe.volts();
  std::vector<ModuleCosts> out;
  for (auto& [mname, body] : mods.items()) {
    if (!plain.count(mname)) continue; // not instantiated under the top
    ModuleCosts mc;
    mc.module = plain[mname];
    mc.instances = inst_count[mname];
    static const std::map<std::string, int64_t> none;
    auto kit = keys.find(mc.module);
    const auto& tog = kit == keys.end() ? none : kit->second;
    struct Pin {
      std::string type, port;
    };
    // bit -> (driver pin, load pins) among this module's library cells
    std::map<int64_t, std::pair<Pin, std::vector<Pin>>> bitpins;
    for (auto& [cn, cell] : body["cells"].items()) {
      (void)cn;
      const std::string t = cell["type"];
      if (!pe.is_library_cell(mods, t)) continue; // a submodule: counted inside it
      mc.leakage_nw += pe.leakage_nw(t) * mc.instances;
      for (auto& [pin, conn] : cell["connections"].items()) {
        const int dir = pe.direction(t, pin);
        if (dir == 0) continue;
        for (auto& b : conn) {
          if (!b.is_number_integer()) continue; // constants
          auto& e = bitpins[b.get<int64_t>()];
          if (dir > 0)
            e.first = {t, pin};
          else
            e.second.push_back({t, pin});
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
    // one coverage point per bit: the first net name of the bit that has one
    std::set<int64_t> done;
    for (auto& [nn, nb] : body["netnames"].items()) {
      const auto& bl = nb["bits"];
      for (size_t i = 0; i < bl.size(); ++i) {
        if (!bl[i].is_number_integer()) continue;
        const int64_t bit = bl[i].get<int64_t>();
        if (done.count(bit)) continue;
        const std::string vn = coverage_name(nn);
        const std::string key = bl.size() == 1 ? vn : vn + "[" + std::to_string(i) + "]";
        if (!tog.count(key)) {
          if (bitpins.count(bit)) mc.uncovered.insert(bit);
          continue;
        }
        mc.uncovered.erase(bit);
        done.insert(bit);
        auto bp = bitpins.find(bit);
        if (bp == bitpins.end() && !top_outputs.count(bit)) continue;
        double cap = top_outputs.count(bit) ? 0.005 : 0; // pF
        double e_int = 0;
        if (bp != bitpins.end()) {
          for (const Pin& p : bp->second.second) {
            cap += pe.input_cap_pf(p.type, p.port);
            e_int += pe.input_pj(p.type, p.port);
          }
          const Pin& d = bp->second.first;
          if (!d.type.empty()) e_int += pe.output_pj(d.type, d.port, cap);
        }
        mc.nets.push_back({key, 0.5 * cap * V * V, e_int}); // pF * V^2 = pJ
      }
    }
    out.push_back(std::move(mc));
  }
  return out;
}

// The native simulator as the Dut of harness::run.
struct GateDut {
  GateSim& sim;
  bool os;
  void eval() { sim.eval(); }
  void zero_toggles() { sim.zero_toggles(); }
  void set(harness::Port p, int lo, int n, uint64_t v) {
    sim.set(harness::port_name(p, os), lo, n, v);
  }
  uint64_t get(harness::Port p, int lo, int n) const {
    return sim.get(harness::port_name(p, os), lo, n);
  }
};

} // namespace

harness::Result run_gate_native(GateSim& sim, const ArchConfig& arch, const SystolicMapping& m,
                                const SramImages& img) {
  sim.power_up(); // each GEMM from the power-up state, as a fresh Verilated run
  GateDut dut{sim, m.output_stationary};
  return harness::run(dut, harness_geometry(arch), make_stimulus(m, img));
}

Count gate_level_work(const ArchConfig& arch, const Layer& gemm) {
  if (const GatePowerRunner* r = GatePowerRegistry::instance().find(arch.engine))
    return r->work(arch, gemm);
  return map_systolic(arch, gemm).pe_macs();
}

GateSimulator parse_gate_simulator(const std::string& s) {
  if (s == "native") return GateSimulator::Native;
  if (s == "verilator") return GateSimulator::Verilator;
  throw InputError("--gate-sim: expected native or verilator, got '" + s + "'");
}

PowerReport gate_level_power(const ArchConfig& arch, const PowerOptions& opt,
                             std::ostream& progress) {
  PowerReport rep;
  const GatePowerRunner* runner = GatePowerRegistry::instance().find(arch.engine);
  if (runner && opt.simulator == GateSimulator::Verilator)
    throw InputError("--gate-sim verilator: the " + arch.engine +
                     " engine runs on the native gate-level simulator only (its SRAM arrays are "
                     "macro models around the netlist); use --gate-sim native");
  // the model runs' memory and time limits, before the synthesis
  for (const Layer& l : opt.gemms)
    if (runner)
      runner->check(arch, l);
    else
      check_stepped_run(arch, l, map_systolic(arch, l), true, RunOptions{});
  SynthOptions so = opt.synth;
  if (opt.synthesized) { // a kept synthesis of the same design: its directory is reused
    if (opt.synthesized->netlist.empty())
      throw ToolError("power: the synthesis to reuse was not kept");
    so.workdir = fs::path(opt.synthesized->netlist).parent_path().string();
  }
  const bool keep = !so.workdir.empty();
  TempPath own; // removed on return, on an exception and on a signal
  if (!keep) {
    own = make_temp_dir("tpe_power");
    so.workdir = own.path();
  }
  so.workdir = fs::absolute(so.workdir).string(); // tools run in other directories
  if (opt.synthesized) {
    rep.synth = *opt.synthesized;
  } else {
    progress << "power: synthesizing " << arch.name << "\n";
    rep.synth = synthesize(arch, so);
  }
  rep.clock_ns = so.clock_ns;
  std::unique_ptr<Liberty> lib;
  if (!rep.synth.generic) lib = std::make_unique<Liberty>(parse_liberty(so.lib.timing_lib));
  const PinEnergy pe(lib.get(), opt.slew_ns);
  rep.volts = pe.volts();
  rep.energy_model = lib ? "Liberty internal-power tables and pin capacitances of " + lib->name
                         : "generic per-gate table (sky130 size-1 cells, 1.8 V; no leakage)";

  const nlohmann::json net = read_netlist_json((fs::path(so.workdir) / "netlist.json").string());
  const auto& mods = net.at("modules");
  RtlBinary bin;
  std::unique_ptr<GateSim> native;
  if (opt.simulator == GateSimulator::Verilator) {
    std::vector<std::string> flags = gate_level_flags();
    flags.push_back("--coverage-toggle");
    // Verilator skips signals wider than 256 bits by default; every net counts here
    flags.push_back("--coverage-max-width");
    flags.push_back("100000000");
    progress << "power: building the gate-level simulator (Verilator)\n";
    bin =
        build_systolic_rtl(arch, use_gate_netlist(rep.synth.netlist, rep.synth.cell_models), flags);
  } else {
    // the SRAM arrays the engine leaves to macros: C++ models in the netlist's place
    const EngineInfo* ei = EngineRegistry::instance().find(arch.engine);
    const GateMacroFactories macros =
        ei && ei->sram_arrays ? sram_macro_factories(ei->sram_arrays(arch, rep.synth.top))
                              : GateMacroFactories{};
    native = std::make_unique<GateSim>(net, json_top(rep.synth), lib.get(), macros);
    progress << "power: native gate-level simulator, " << native->cell_count() << " cells, "
             << native->net_count() << " nets\n";
  }
  rep.simulator = opt.simulator == GateSimulator::Verilator ? "verilator" : "native";
  std::map<std::string, std::string> display; // netlist.json module -> Verilog module
  for (const auto& ms : rep.synth.modules)
    display[ms.json_name] = ms.module;
  std::vector<ModuleCosts> costs;
  double leakage_nw = 0;
  Rng rng(opt.seed);
  SystolicCounters work; // PE MACs and working cycles over every GEMM
  work.pe_macs = 0;
  const fs::path run_dir = fs::path(so.workdir) / "power_run";
  fs::create_directories(run_dir);
  // the design counts its digits (systolic harness only)
  const bool sparse = !runner && harness_geometry(arch).sparse;
  for (const auto& l : opt.gemms) {
    std::map<std::string, std::map<std::string, int64_t>> toggles; // of this GEMM alone
    GateLayerEnergy le;
    le.name = l.name;
    le.M = l.M;
    le.K = l.K;
    le.N = l.N;
    le.macs = l.macs();
    if (runner) {
      const GateGemmRun gr = runner->run(*native, arch, l, opt.dist, rng, so.clock_ns);
      if (!gr.diff.empty())
        throw ToolError("gate-level netlist disagrees with the model on " + l.name + ": " +
                        gr.diff + "; seed " + std::to_string(opt.seed));
      for (auto& [mod, keys] : native->toggles())
        toggles[display[mod]] = std::move(keys);
      le.cycles = gr.cycles;
      le.row_reads = gr.row_reads;
      le.row_writes = gr.row_writes;
      le.macro_pj = gr.macro_pj;
      rep.macro_note = gr.macro_note;
    } else {
      const ModelRun mr = run_model(arch, l, opt.dist, rng);
      RtlTrace rt;
      if (native) {
        rt = to_trace(run_gate_native(*native, arch, mr.map, mr.images), sparse);
        for (auto& [mod, keys] : native->toggles())
          toggles[display[mod]] = std::move(keys);
      } else {
        rt = run_rtl(bin, mr.map, mr.images, run_dir.string());
        add_coverage((run_dir / "coverage.dat").string(), toggles);
      }
      const std::string diff = compare_traces(mr.map, mr.writes, mr.counts, mr.cycles, rt);
      if (!diff.empty())
        throw ToolError("gate-level netlist disagrees with the model on " + l.name + ": " + diff +
                        "; seed " + std::to_string(opt.seed));
      work.pe_macs += mr.counts.pe_macs;
      rep.pe_macs += mr.counts.pe_macs;
      const auto add = [](int64_t& sum, int64_t v) { sum = v < 0 || sum < 0 ? -1 : sum + v; };
      add(rep.pe_macs_one_zero, mr.counts.pe_macs_one_zero);
      add(rep.pe_macs_two_zero, mr.counts.pe_macs_two_zero);
      add(rep.pe_macs_held_zero, mr.counts.pe_macs_held_zero);
      if (mr.counts.pe_busy_cycles >= 0)
        work.pe_busy_cycles = std::max<int64_t>(work.pe_busy_cycles, 0) + mr.counts.pe_busy_cycles;
      le.cycles = mr.cycles;
    }
    if (costs.empty()) {
      costs = net_costs(mods, rep.synth, pe, toggles);
      for (const auto& mc : costs) {
        leakage_nw += mc.leakage_nw;
        rep.uncovered_bits += static_cast<int64_t>(mc.uncovered.size());
        if (!mc.uncovered.empty())
          progress << "power: warning: " << mc.uncovered.size() << " loaded net bits of module "
                   << mc.module << " have no toggle count; their energy is not included\n";
      }
    }
    for (const auto& mc : costs) {
      const auto& tog = toggles[mc.module];
      double e_mod = 0;
      for (const auto& nc : mc.nets) {
        auto it = tog.find(nc.key);
        if (it == tog.end()) continue;
        const double t = static_cast<double>(it->second);
        le.switching_pj += t * nc.switching_pj;
        le.internal_pj += t * nc.internal_pj;
        e_mod += t * (nc.switching_pj + nc.internal_pj);
      }
      rep.pj_by_module[mc.module] += e_mod;
    }
    // nW * ns = 1e-18 J = 1e-6 pJ
    le.leakage_pj = leakage_nw * static_cast<double>(le.cycles) * so.clock_ns * 1e-6;
    le.total_pj = le.switching_pj + le.internal_pj + le.leakage_pj + le.macro_pj;
    le.pj_per_mac = le.macs ? le.total_pj / static_cast<double>(le.macs) : 0;
    rep.cycles += le.cycles;
    rep.macs += le.macs;
    rep.switching_pj += le.switching_pj;
    rep.internal_pj += le.internal_pj;
    rep.leakage_pj += le.leakage_pj;
    rep.macro_pj += le.macro_pj;
    rep.layers.push_back(le);
    progress << "power: " << l.name << " (" << l.M << "x" << l.K << "x" << l.N << "): " << le.cycles
             << " cycles, gate-level outputs match the model, " << le.pj_per_mac << " pJ/MAC\n";
  }
  if (runner) // no PEs, no operand classes
    rep.pe_macs_one_zero = rep.pe_macs_two_zero = rep.pe_macs_held_zero = -1;
  for (const auto& mc : costs)
    rep.nets_counted += static_cast<int64_t>(mc.nets.size());
  const double time_ns = static_cast<double>(rep.cycles) * so.clock_ns;
  rep.total_pj = rep.switching_pj + rep.internal_pj + rep.leakage_pj + rep.macro_pj;
  rep.mac_rate = runner ? 1 : pe_mac_rate(work, static_cast<int>(arch.multipliers()));
  rep.pj_per_mac = rep.macs ? rep.total_pj / static_cast<double>(rep.macs) : 0;
  rep.power_mw = time_ns > 0 ? rep.total_pj / time_ns : 0; // pJ / ns = mW
  return rep;
}

} // namespace tpe
