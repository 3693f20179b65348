// Waveforms for debugging a mismatch (tpe verify --vcd DIR): one run of the
// Verilated RTL (Verilator --trace) and of the SystemC model (SystemC VCD trace
// file) over the same window of cycles, written as DIR/rtl.vcd, DIR/model.vcd
// and DIR/README.txt (the signals to put side by side in GTKWave).
#pragma once
#include "core/arch_config.h"
#include "sim/array_core.h"
#include "testbenches/lib/verify.h"
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace tpe {

// Cycles after the first difference shown with it.
constexpr int64_t kVcdCyclesAfter = 10;

// The window of cycles of a run: with a first difference at cycle `diff` >= 0,
// max(0, diff - window) .. diff + kVcdCyclesAfter; without one (a passing run),
// 0 .. window + kVcdCyclesAfter. Both end at the run's done cycle `done` at the latest.
struct VcdWindow {
  int64_t from = 0, to = 0;
};
VcdWindow vcd_window(int64_t diff, int64_t window, int64_t done);

// Refuse a waveform directory that cannot be written (an empty path, or a path
// that exists and is not a directory) before any work: InputError on --vcd.
void check_vcd_dir(const std::string& dir);

// The cycle of the first difference between the model's and the RTL's output
// writes (or done cycles), -1 when they agree on both.
int64_t first_difference_cycle(const std::vector<OutputWrite>& model_writes, int64_t model_done,
                               const RtlTrace& rtl);

// Every probe the model offers has its twin in the RTL's waveform: the signal
// top + "." + name, lanes x lane_bits wide (rtl_vars: name -> width, as the RTL's
// VCD declares them). The model never drops a probe: a missing twin, another
// width or a name listed twice throws std::logic_error (tpe: internal error), so
// a model whose probes drift from the generated RTL fails loudly.
void check_probe_twins(const std::vector<Probe>& probes, const std::map<std::string, int>& rtl_vars,
                       const std::string& top);

// The cycle an RTL simulation error names ("... at cycle N"), or -1.
int64_t error_cycle(const std::string& error);

// Run `mr` again on the model with tracing and on a traced build of the RTL
// (built as by build_systolic_rtl with `mutate` and `flags` plus --trace, and
// cached apart from the untraced one), over window w; write the directory `dir`
// as a whole (a temporary directory renamed into place). `note` goes into the
// README (what the run was and why it was traced). An RTL run that fails (an
// out-of-range address, done never rising) still leaves its waveform up to the
// failure. Throws ToolError.
void write_waveforms(const ArchConfig& arch, const ModelRun& mr, const RtlMutation& mutate,
                     const std::vector<std::string>& flags, VcdWindow w, const std::string& dir,
                     const std::string& note, std::ostream& progress);

} // namespace tpe
