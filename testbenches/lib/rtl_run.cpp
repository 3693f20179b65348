// Stimulus writer and trace reader for testbenches/rtl_harness.cpp (formats are
// documented at the top of that file).
#include "testbenches/lib/rtl_run.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/process.h"
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tpe {

namespace {

RtlTrace read_trace(const std::string& path, int C) {
  std::istringstream in(read_tool_output(path, "the RTL simulator's trace"));
  RtlTrace t;
  std::string tag;
  while (in >> tag) {
    if (tag == "W") {
      OutputWrite w;
      w.data.resize(C);
      in >> w.cycle >> w.addr;
      for (auto& v : w.data)
        in >> v;
      t.writes.push_back(std::move(w));
    } else if (tag == "R") {
      in >> t.w_reads >> t.n_reads >> t.o_reads >> t.o_writes;
    } else if (tag == "Q") {
      in >> t.ws_reads >> t.ns_reads;
    } else if (tag == "D") {
      in >> t.done;
    } else if (tag == "S") {
      in >> t.digit_issues;
    } else if (tag == "T") {
      in >> t.seconds;
    } else {
      throw ToolError("malformed RTL trace " + path);
    }
  }
  return t;
}

void write_stimulus(const std::string& path, const harness::Stimulus& st, bool stall_line) {
  std::ostringstream s;
  s << "cfg " << st.cfg[0] << " " << st.cfg[1] << " " << st.cfg[2] << "\n";
  s << "west " << st.nw << "\n";
  for (auto v : st.west)
    s << v << " ";
  s << "\nnorth " << st.nn << "\n";
  for (auto v : st.north)
    s << v << " ";
  if (!st.west_scale.empty()) {
    s << "\nwscale " << st.nws << "\n";
    for (auto v : st.west_scale)
      s << v << " ";
  }
  if (!st.north_scale.empty()) {
    s << "\nnscale " << st.nns << "\n";
    for (auto v : st.north_scale)
      s << v << " ";
  }
  s << "\nout " << st.no << "\nmax_cycles " << st.max_cycles << "\n";
  if (stall_line) s << "stall " << st.stall_seed << " " << st.stall_threshold << "\n";
  std::ofstream out(path);
  out << s.str();
  if (!out) throw ToolError("cannot write the stimulus file " + path);
}

} // namespace

harness::Stimulus make_stimulus(const SystolicMapping& m, const SramImages& img) {
  harness::Stimulus st;
  const std::vector<int64_t> cfg = m.cfg_words();
  for (int i = 0; i < 3; ++i)
    st.cfg[i] = static_cast<uint64_t>(cfg[static_cast<size_t>(i)]);
  st.nw = m.w_words;
  st.nn = m.n_words;
  st.no = m.o_words;
  st.max_cycles = count_to_int64(2 * m.cycle_bound() + 1000, "cycle bound");
  st.west.assign(img.west.begin(), img.west.end());
  st.north.assign(img.north.begin(), img.north.end());
  st.nws = m.ws_words;
  st.nns = m.ns_words;
  st.west_scale.assign(img.west_scale.begin(), img.west_scale.end());
  st.north_scale.assign(img.north_scale.begin(), img.north_scale.end());
  return st;
}

RtlTrace to_trace(const harness::Result& r, bool sparse) {
  if (!r.error.empty()) throw ToolError("RTL simulation failed: " + r.error);
  RtlTrace t;
  for (const auto& w : r.writes)
    t.writes.push_back({w.cycle, w.addr, w.data});
  t.w_reads = r.w_reads;
  t.n_reads = r.n_reads;
  t.o_reads = r.o_reads;
  t.o_writes = r.o_writes;
  t.ws_reads = r.ws_reads;
  t.ns_reads = r.ns_reads;
  t.done = r.done;
  t.digit_issues = sparse ? r.digits : -1;
  t.seconds = r.seconds;
  return t;
}

uint32_t stall_threshold(double rate) {
  if (!(rate >= 0 && rate < 1)) throw std::invalid_argument("stall rate outside [0, 1)");
  return static_cast<uint32_t>(std::ldexp(rate, 32));
}

StallPattern stall_pattern(const StallSpec& stall) {
  if (!stall.threshold) return nullptr;
  return [stall](int64_t c) { return harness::stalled_cycle(stall.seed, stall.threshold, c); };
}

RtlTrace run_rtl(const RtlBinary& bin, const SystolicMapping& m, const SramImages& img,
                 const std::string& workdir, const std::vector<std::string>& extra_args,
                 const StallSpec& stall) {
  const std::string stim = workdir + "/stimulus.txt", trace = workdir + "/trace.txt",
                    log = workdir + "/rtl.log";
  harness::Stimulus st = make_stimulus(m, img);
  st.stall_seed = stall.seed;
  st.stall_threshold = stall.threshold;
  // each stalled cycle adds one: at rate p the run stretches by 1 / (1 - p) on average;
  // the bound allows twice that
  if (stall.threshold)
    st.max_cycles = count_to_int64(Count(st.max_cycles) * 2 * (Count(1) << 32) /
                                           ((Count(1) << 32) - stall.threshold) +
                                       st.max_cycles,
                                   "cycle bound");
  write_stimulus(stim, st, bin.stall);
  std::vector<std::string> argv = {bin.path, stim, trace};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  if (run_process(argv, workdir, log) != 0)
    throw ToolError("RTL simulation failed: " + tail_file(log, 3));
  return read_trace(trace, m.C);
}

} // namespace tpe
