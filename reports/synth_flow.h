// Area and timing from the generated RTL: yosys synthesizes it and maps it to a
// Liberty library (or to yosys's internal gates when there is none), tpe sums
// cell areas over the mapped hierarchy, and OpenSTA times the mapped netlist.
#pragma once
#include "core/arch_config.h"
#include "core/engine_info.h"
#include "rtl_gen/systolic_verilog.h"
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tpe {

// Which Liberty files to use: the synthesis library honours dont_use (the pdk's
// *.synth.lib); the timing/power library is the plain one beside it when present.
struct LibraryChoice {
  std::string synth_lib, timing_lib; // absolute paths; empty: no library (generic gates)
  std::string source;                // "--liberty", "TPE_LIBERTY", "default" or "none"
};
// The library of a run: `cli_liberty` (--liberty), else $TPE_LIBERTY, else the
// default library (default_liberty()). The value "none" in either selects yosys's
// internal gates (no library). A relative path is resolved against the current
// directory. Throws InputError ("PATH: --liberty: Liberty file not found", or not
// a regular file) for a given path, ToolError when the default library is missing.
LibraryChoice choose_library(const std::string& cli_liberty);
// The same with another default library (tests).
LibraryChoice choose_library(const std::string& cli_liberty, const std::string& default_lib);
// The vendored SkyWater sky130_fd_sc_hd typical-corner library that the build
// unpacks from third_party/sky130_fd_sc_hd (absolute path of its plain .lib).
std::string default_liberty();

struct SynthOptions {
  LibraryChoice lib;
  double clock_ns = 10; // target clock for mapping, buffering, sizing and STA
  bool flatten = false; // flatten before mapping (slow on large arrays)
  std::string workdir;  // keep intermediate files here ("" = temporary, removed)
  int max_fanout = 16;  // buffer trees on nets with more loads (0 = no repair)
  // SRAM arrays left as blackbox macros (EngineInfo::sram_arrays; synthesize() fills
  // them from the engine); every blackbox module of the netlist must be one of them
  std::vector<SramArraySpec> sram_arrays;
  double node_nm = 130; // process node of the library, for the SRAM macro model
};

// A blackboxed SRAM array: not in the mapped area; area from reports/sram_model.h.
struct MacroStat {
  std::string module;
  int64_t instances = 0;
  int64_t words = 0;
  int width_bits = 0;
  std::string ports;
  double node_nm = 0;
  double area_each = 0;      // um^2, one macro (sram_area_um2)
  std::string extrapolation; // sram_extrapolation(): empty when within the model's data
};

struct ModuleStat {
  std::string module;    // mapped module name (as in the Verilog netlist)
  std::string json_name; // the same module's name in netlist.json (parameter-derived)
  std::string category;  // pe, pe_part (inside a PE), pe_array, skew, deskew, controller,
                         // accumulators, encoders, top, sram_macro (a blackbox: 0 cells)
  int64_t instances = 0;
  double area = 0;              // one instance, submodules included
  int64_t cells = 0, flops = 0; // one instance, submodules included
};

struct SynthReport {
  std::string design, top, library, library_path, area_unit;
  bool generic = false;
  bool flattened = false;
  double area = 0; // um^2, or NAND2-equivalent gates when generic
  int64_t cells = 0, flops = 0;
  std::vector<ModuleStat> modules;
  // All instances of each role at the top level: pe_array (PEs included), skew,
  // deskew, controller, accumulators, top_glue; these add up to `area`.
  std::map<std::string, double> area_by_category;
  // SRAM arrays kept as blackbox macros: outside `area` (standard cells), their area
  // from the SRAM macro model in um^2; total_area = area + macro_area (um^2; only with
  // a library: generic runs leave it 0 and the writers say it is not summed)
  std::vector<MacroStat> macros;
  double macro_area = 0, total_area = 0;
  // timing (OpenSTA), when a library is present
  bool timed = false;
  double clock_ns = 0, critical_path_ns = 0, slack_ns = 0, fmax_mhz = 0;
  std::string startpoint, endpoint;
  // with SRAM macros: fmax = 1000 / min_period_ns, the largest of the paths' needs
  // (half a period for a path launched at the macro's falling edge) and the macro's
  // minimum period; fmax_limit names which ("paths", "half-cycle paths from the SRAM
  // macros", "the SRAM macros' minimum period")
  double min_period_ns = 0;
  std::string fmax_limit;
  std::vector<std::string> assumptions;
  // fanout repair (reports/fanout_repair): buffer cell, nets given a tree, buffers
  int max_fanout = 0;
  std::string fanout_buffer;
  int64_t fanout_nets = 0, fanout_buffers = 0;
  double synth_seconds = 0, sta_seconds = 0;
  std::string netlist;     // mapped Verilog netlist (in workdir, when kept)
  std::string cell_models; // Verilog models of the library cells (when kept, with a library)
};

// yosys's netlist JSON at `path`, read within kMaxToolOutputBytes (core/atomic_file.h).
// Throws ToolError "PATH: ..." when it is missing, too large or not valid JSON.
nlohmann::json read_netlist_json(const std::string& path);

// The generated RTL of an architecture.
SynthReport synthesize(const ArchConfig& arch, const SynthOptions& opt);
// Any Verilog (files, sources in order, top); the role breakdown applies to tpe's
// own instance names (u_array, u_ctrl, ...), other designs report per module.
SynthReport synthesize_rtl(const GeneratedRtl& rtl, const std::string& design,
                           const SynthOptions& opt);

} // namespace tpe
