// Waveform writer. Algorithm: build (or reuse) the RTL simulator with Verilator's
// --trace (a different cache key than the untraced build, which stays free of
// tracing code); write the run's stimulus and run it with the window, so the
// harness dumps cycles from..to to rtl.vcd; run a fresh model core on the same
// SRAM images with a ModelVcd as the clock's cycle hook (model.vcd); write a
// README.txt naming the shared signals, all in a staging directory that replaces
// the requested one at once (core/output_dir.h StagedDir: an older run's waveforms
// are replaced, other files in the directory kept).
// The rule for the model's signals: every probe a core offers (ArrayCore::probes)
// is traced, and only after its twin was found in rtl.vcd with the same name and
// width; a probe without that twin is an internal error (check_probe_twins), never
// a silently dropped signal. A model register that has no exact RTL twin (the opt1
// PE's accumulator, a carry-save pair in the RTL that the model resolves) is not
// offered by its core at all.
#include "testbenches/lib/vcd_dump.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/output_dir.h"
#include "rtl_gen/systolic_verilog.h"
#include "sim/model_vcd.h"
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

namespace tpe {

VcdWindow vcd_window(int64_t diff, int64_t window, int64_t done) {
  VcdWindow w;
  if (diff >= 0) {
    w.from = std::max<int64_t>(0, diff - window);
    w.to = diff + kVcdCyclesAfter;
  } else {
    w.to = window + kVcdCyclesAfter;
  }
  if (done >= 0) w.to = std::min(w.to, done);
  w.from = std::min(w.from, w.to);
  return w;
}

int64_t first_difference_cycle(const std::vector<OutputWrite>& mw, int64_t model_done,
                               const RtlTrace& rt) {
  const size_t n = std::max(mw.size(), rt.writes.size());
  for (size_t e = 0; e < n; ++e) {
    if (e >= rt.writes.size()) return mw[e].cycle;
    if (e >= mw.size()) return rt.writes[e].cycle;
    const OutputWrite &a = mw[e], &b = rt.writes[e];
    if (a.cycle != b.cycle || a.addr != b.addr || a.data != b.data)
      return std::min(a.cycle, b.cycle);
  }
  if (rt.done != model_done) return std::min(rt.done < 0 ? model_done : rt.done, model_done);
  return -1;
}

namespace {

// The signals a VCD file declares: name below its outermost scope (scopes
// joined by '.') -> width in bits.
std::map<std::string, int> vcd_vars(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ToolError("the RTL simulator wrote no waveform at " + path);
  std::map<std::string, int> vars;
  std::vector<std::string> scope;
  std::string w;
  while (in >> w) {
    if (w == "$enddefinitions") break;
    if (w == "$scope") {
      std::string kind, name;
      in >> kind >> name;
      scope.push_back(name);
    } else if (w == "$upscope") {
      if (!scope.empty()) scope.pop_back();
    } else if (w == "$var") {
      std::string type, id, name;
      int bits = 0;
      in >> type >> bits >> id >> name;
      std::string full;
      for (size_t i = 1; i < scope.size(); ++i)
        full += scope[i] + ".";
      vars[full + name] = bits;
    }
  }
  return vars;
}

} // namespace

void check_probe_twins(const std::vector<Probe>& probes, const std::map<std::string, int>& rtl_vars,
                       const std::string& top) {
  std::set<std::string> seen;
  for (const Probe& p : probes) {
    const std::string name = top + "." + p.name;
    if (!seen.insert(p.name).second)
      throw std::logic_error("model waveform: the probe " + name + " is listed twice");
    const auto it = rtl_vars.find(name);
    if (it == rtl_vars.end())
      throw std::logic_error("model waveform: the probe " + name +
                             " has no twin in the RTL's waveform");
    if (p.lane_bits < 1 || p.lanes < 1 || it->second != p.lane_bits * p.lanes)
      throw std::logic_error("model waveform: the probe " + name + " is " +
                             std::to_string(p.lanes) + " x " + std::to_string(p.lane_bits) +
                             " bits, its RTL twin " + std::to_string(it->second));
  }
}

int64_t error_cycle(const std::string& error) {
  const std::string key = "at cycle ";
  const size_t p = error.rfind(key);
  if (p == std::string::npos) return -1;
  int64_t c = 0;
  size_t i = p + key.size();
  if (i >= error.size() || !std::isdigit(static_cast<unsigned char>(error[i]))) return -1;
  for (; i < error.size() && std::isdigit(static_cast<unsigned char>(error[i])) &&
         c < (int64_t(1) << 50);
       ++i)
    c = c * 10 + (error[i] - '0');
  return c;
}

void check_vcd_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  if (dir.empty()) throw InputError("--vcd", 0, "", "the waveform directory is an empty path");
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw InputError("--vcd", 0, "", "'" + dir + "' exists and is not a directory");
}

void write_waveforms(const ArchConfig& arch, const ModelRun& mr, const RtlMutation& mutate,
                     const std::vector<std::string>& flags, VcdWindow w, const std::string& dir,
                     const std::string& note, std::ostream& progress) {
  namespace fs = std::filesystem;
  check_vcd_dir(dir);
  StagedDir out(dir); // removed on an exception or a signal until committed
  const fs::path tmp = out.path();
  std::error_code ec;
  std::vector<std::string> traced = flags;
  traced.push_back("--trace");
  const RtlBinary bin = build_systolic_rtl(arch, mutate, traced);
  progress << "verify: traced RTL " << build_note(bin) << "\n";
  try {
    run_rtl(bin, mr.map, mr.images, tmp.string(),
            {(tmp / "rtl.vcd").string(), std::to_string(w.from), std::to_string(w.to)});
  } catch (const ToolError&) { // the harness closes the waveform before it reports
    if (!fs::exists(tmp / "rtl.vcd")) throw;
  }
  for (const char* f : {"stimulus.txt", "trace.txt", "rtl.log"})
    fs::remove(tmp / f, ec);

  const std::unique_ptr<ArrayCore> core = make_array_core(arch, mr.map);
  core->load(mr.map, &mr.images, true, false);
  core->start();
  const std::string top = generate_systolic_verilog(arch, "").top;
  std::vector<Probe> probes = core->probes();
  check_probe_twins(probes, vcd_vars((tmp / "rtl.vcd").string()), top);
  ModelVcd vcd((tmp / "model.vcd").string(), top, probes, w.from, w.to);
  run_on_systemc_clock(*core, 2 * mr.map.cycle_bound() + 1000,
                       [&vcd](int64_t c) { vcd.on_cycle(c); });
  vcd.finish();

  std::ostringstream r;
  r << "Waveforms of design '" << arch.name << "' (top module " << top << "), " << note
    << ",\ncycles " << w.from << " to " << w.to
    << " (cycle c at time c ns; cycle 0 is the start pulse).\n"
    << "rtl.vcd: the Verilated RTL, every signal (TOP." << top << " ...).\n"
    << "model.vcd: the SystemC model, the signals below (SystemC." << top << " ...),\n"
    << "named and sized as their RTL twins. Open both:\n"
    << "  gtkwave rtl.vcd &  gtkwave model.vcd &\n"
    << "Addresses and data matter only while their enable is high.\n"
    << "Signals in both files:\n";
  for (const Probe& p : probes)
    r << "  " << top << "." << p.name << " [" << p.lane_bits * p.lanes << " bits]\n";
  out.write("README.txt", r.str());
  out.commit({"rtl.vcd", "model.vcd", "README.txt"});
  progress << "verify: waveforms of cycles " << w.from << " to " << w.to << " in " << dir
           << " (rtl.vcd, model.vcd, README.txt)\n";
}

} // namespace tpe
