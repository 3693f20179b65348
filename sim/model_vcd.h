// The SystemC model's waveform (tpe verify --vcd): the probes of an array core
// (sim/array_core.h) traced with SystemC's VCD trace file, one sample per cycle,
// so the file reads side by side with the Verilated RTL's (same signal names
// under the top module, same widths, cycle c at time c ns).
#pragma once
#include "sim/array_core.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tpe {

class ModelVcd {
public:
  // Trace cycles from..to (inclusive) of the next run to `path` (a .vcd file);
  // signals are named top + "." + probe name.
  ModelVcd(std::string path, std::string top, std::vector<Probe> probes, int64_t from, int64_t to);
  ~ModelVcd();
  // The run's CycleHook (sim/clocked_host.h): opens the trace file at cycle
  // `from` and copies the probes into the traced variables on every cycle of the window.
  void on_cycle(int64_t c);
  // After the run: close the trace file and rewrite it with times counted from
  // the run's start pulse (SystemC's clock keeps running across runs). Throws
  // ToolError when the window saw no cycle.
  void finish();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace tpe
