// Stimulus writer and trace reader for testbenches/rtl_harness.cpp (formats are
// documented at the top of that file).
#include "testbenches/lib/rtl_run.h"
#include "core/error.h"
#include "core/process.h"
#include <fstream>
#include <sstream>

namespace tpe {

namespace {

RtlTrace read_trace(const std::string& path, int C) {
  std::ifstream in(path);
  if (!in) throw ToolError("RTL simulator wrote no trace at " + path);
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

void write_stimulus(const std::string& path, const SystolicMapping& m, const SramImages& img) {
  std::ostringstream s;
  const std::vector<int64_t> cfg = m.cfg_words();
  s << "cfg " << cfg[0] << " " << cfg[1] << " " << cfg[2] << "\n";
  s << "west " << m.w_words << "\n";
  for (auto v : img.west)
    s << v << " ";
  s << "\nnorth " << m.n_words << "\n";
  for (auto v : img.north)
    s << v << " ";
  s << "\nout " << m.o_words << "\nmax_cycles " << 2 * m.cycle_bound() + 1000 << "\n";
  std::ofstream out(path);
  out << s.str();
  if (!out) throw ToolError("cannot write the stimulus file " + path);
}

} // namespace

RtlTrace run_rtl(const RtlBinary& bin, const SystolicMapping& m, const SramImages& img,
                 const std::string& workdir) {
  const std::string stim = workdir + "/stimulus.txt", trace = workdir + "/trace.txt",
                    log = workdir + "/rtl.log";
  write_stimulus(stim, m, img);
  if (run_process({bin.path, stim, trace}, workdir, log) != 0)
    throw ToolError("RTL simulation failed: " + tail_file(log, 3));
  return read_trace(trace, m.C);
}

} // namespace tpe
