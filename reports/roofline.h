// The roofline of designs over DRAM bandwidth (`tpe roofline`, `make roofline`;
// docs/memory-model.md "Roofline"). Each design runs each workload with its own
// operand buffers on a DRAM of b bytes per cycle for every b of a sweep (the memory
// model of `memory.model: dram` with `dram: custom`: the latency, burst size and
// energy per bit of a preset, the bandwidth b), cycles from the closed form of the
// engine plus the model's stalls. Per point (design, workload, b):
//   attained = MACs / cycles                                  (MACs per cycle)
//   intensity = MACs / DRAM bytes                             (MACs per byte)
//   roof = min(peak, b x intensity)                           (Williams, Waterman and
//                                                              Patterson, CACM 2009)
// where peak is peak_macs_per_cycle() (sim/engine.h) and the DRAM bytes are the
// memory model's (whole bursts, real tensor bytes; they depend on the buffers and the
// tiling, not on b). attained <= roof always: the cycles are at least the engine's own
// (MACs / peak) and at least the transfer time (bytes / b).
#pragma once
#include "core/count.h"
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace tpe {

struct RooflineOptions {
  std::vector<std::string> workloads; // workload CSVs
  // DRAM bytes per engine cycle, each > 0 (default 1, 2, 4, ..., 1024)
  std::vector<double> bytes_per_cycle = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
  // the preset (core/dram_preset.h) whose latency, burst and pJ/bit the sweep keeps
  std::string dram = "ddr4_3200_x64";
};

struct RooflinePoint {
  std::string arch_file, design, engine, shape, workload;
  double bytes_per_cycle = 0;
  Count macs = 0, cycles = 0, compute_cycles = 0, stall_cycles = 0, dram_bytes = 0;
  double peak = 0;      // MACs per cycle
  double attained = 0;  // MACs / cycles
  double intensity = 0; // MACs / DRAM byte
  double roof = 0;      // min(peak, bytes_per_cycle x intensity)
};

// Every (design, workload, bandwidth), design outer, bandwidth inner. Throws
// InputError for a file that does not parse, an engine without the DRAM model
// (lut_gemv), a buffer no tile fits (the memory model's message), a bandwidth not
// positive or an unknown preset. `progress` gets one line per design and workload.
std::vector<RooflinePoint> roofline(const std::vector<std::string>& arch_files,
                                    const RooflineOptions& o, std::ostream& progress);
std::string roofline_markdown(const std::vector<RooflinePoint>& p, const RooflineOptions& o);
// counts beyond int64_t are count_json() placeholders: write with json_text()
nlohmann::json roofline_json(const std::vector<RooflinePoint>& p, const RooflineOptions& o);
// A Vega-Lite v6 specification of the plot (one panel per design: attained MACs per
// cycle against bytes per cycle, both axes log 2, a line per workload, its roof
// dashed), with the points inlined; tools/plot/render.mjs turns it into SVG.
nlohmann::json roofline_vega_lite(const std::vector<RooflinePoint>& p, const RooflineOptions& o);

} // namespace tpe
