// Model waveform. Algorithm: at cycle `from` of the run, create a SystemC VCD
// trace file (1 ps unit) and sc_trace one sc_bv per probe; on every cycle of the
// window copy each probe's lanes into its sc_bv (the kernel records the changes
// at the end of the time step, i.e. at that cycle's rising edge); after the run,
// advance time past the paused last step, close the file and rewrite it: times
// minus the time of cycle 0 (so cycle c is at c ns, as in the RTL's file),
// samples after the window dropped, the window's end time written, and
// SystemC's '(' ')' in scope and signal names turned back into the RTL's '[' ']'.
#include "sim/model_vcd.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include <sstream>
#include <systemc>

namespace tpe {

struct ModelVcd::Impl {
  std::string path, top;
  std::vector<Probe> probes;
  int64_t from = 0, to = 0;
  sc_core::sc_trace_file* tf = nullptr;
  std::vector<std::unique_ptr<sc_dt::sc_bv_base>> vars;
  uint64_t t0_ps = 0; // time of cycle 0
  bool opened = false;
};

ModelVcd::ModelVcd(std::string path, std::string top, std::vector<Probe> probes, int64_t from,
                   int64_t to)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = std::move(path);
  impl_->top = std::move(top);
  impl_->probes = std::move(probes);
  impl_->from = from;
  impl_->to = to;
}

ModelVcd::~ModelVcd() {
  if (impl_->tf) sc_core::sc_close_vcd_trace_file(impl_->tf);
}

void ModelVcd::on_cycle(int64_t c) {
  Impl& m = *impl_;
  if (c == 0)
    m.t0_ps =
        static_cast<uint64_t>(sc_core::sc_time_stamp() / sc_core::sc_time(1, sc_core::SC_PS) + 0.5);
  if (c < m.from || c > m.to) return;
  if (!m.tf) {
    std::string base = m.path;
    if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0)
      base.resize(base.size() - 4);
    // the names are the RTL's on purpose (brackets included, restored in finish)
    sc_core::sc_report_handler::set_actions("traced object name filtered", sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions("tracing timescale unit set", sc_core::SC_DO_NOTHING);
    m.tf = sc_core::sc_create_vcd_trace_file(base.c_str());
    m.tf->set_time_unit(1, sc_core::SC_PS);
    for (const Probe& p : m.probes) {
      m.vars.push_back(std::make_unique<sc_dt::sc_bv_base>(p.lane_bits * p.lanes));
      sc_core::sc_trace(m.tf, *m.vars.back(), m.top + "." + p.name);
    }
    m.opened = true;
  }
  for (size_t i = 0; i < m.probes.size(); ++i) {
    const Probe& p = m.probes[i];
    sc_dt::sc_bv_base& v = *m.vars[i];
    for (int l = 0; l < p.lanes; ++l) {
      const uint64_t x = static_cast<uint64_t>(p.value(l));
      for (int b = 0; b < p.lane_bits; ++b)
        v.set_bit(l * p.lane_bits + b, b < 64 ? sc_dt::sc_logic_value_t((x >> b) & 1)
                                              : sc_dt::sc_logic_value_t(x >> 63));
    }
  }
}

void ModelVcd::finish() {
  Impl& m = *impl_;
  if (!m.opened)
    throw ToolError("model waveform: the run never reached cycle " + std::to_string(m.from));
  // the run paused the kernel inside the done cycle's time step, whose samples
  // SystemC records when time advances: advance 1 ps (before the falling edge)
  sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_PS));
  sc_core::sc_close_vcd_trace_file(m.tf);
  m.tf = nullptr;
  std::istringstream in(read_tool_output(m.path, "SystemC's trace file"));
  std::ostringstream out;
  std::string line;
  bool keep = true;
  uint64_t last = 0; // the last time kept
  const uint64_t to_ps = static_cast<uint64_t>(m.to) * 1000;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') {
      const uint64_t t = std::stoull(line.substr(1));
      const uint64_t rel = t >= m.t0_ps ? t - m.t0_ps : 0;
      keep = rel <= to_ps;
      if (keep) {
        out << '#' << rel << '\n';
        last = rel;
      }
      continue;
    }
    if (line.rfind("All initial values are dumped", 0) == 0) {
      out << "Initial values: cycle " << m.from << " of the run, at " << m.from * 1000 << " ps.\n";
      continue;
    }
    if (line.rfind("$dumpvars", 0) == 0) out << '#' << m.from * 1000 << '\n';
    if (line.rfind("$scope", 0) == 0 || line.rfind("$var", 0) == 0)
      for (char& ch : line)
        ch = ch == '(' ? '[' : ch == ')' ? ']' : ch;
    if (keep) out << line << '\n';
  }
  // SystemC writes a time only when a value changes: end at the window's end
  if (last < to_ps) out << '#' << to_ps << '\n';
  write_file_atomic(m.path, out.str());
}

} // namespace tpe
