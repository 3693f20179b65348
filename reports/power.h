// Energy from switching activity of the mapped gate-level netlist: the netlist
// (with Verilog models of the library cells) is Verilated with toggle counting,
// run on real operand streams and checked output-for-output against the SystemC
// model; then per net toggles x (1/2 C V^2 + the driver's and loads' internal
// energy per transition) plus cell leakage over the run. Without a Liberty
// library the netlist is one of yosys's internal gates and the per-gate table of
// reports/generic_energy.h stands in for the library.
#pragma once
#include "core/arch_config.h"
#include "core/count.h"
#include "core/operand_dist.h"
#include "core/registry.h"
#include "core/tensor.h"
#include "core/workload.h"
#include "reports/gate_sim.h"
#include "reports/synth_flow.h"
#include "testbenches/lib/verify.h"
#include <map>
#include <string>
#include <vector>

namespace tpe {

// Which simulator produces the toggle counts: tpe's native gate-level simulator
// (reports/gate_sim.h; seconds even for 16x16 arrays) or Verilator's toggle
// coverage of the netlist with the library's cell models (an hour to build a
// 16x16 array's netlist on two cores). Both give the same counts.
enum class GateSimulator { Native, Verilator };

struct PowerOptions {
  SynthOptions synth;       // library, clock (also the power clock), workdir
  std::vector<Layer> gemms; // operand streams to simulate
  uint64_t seed = 1;
  OperandDist dist;     // operand values
  double slew_ns = 0.1; // input transition used in the internal-power tables
  GateSimulator simulator = GateSimulator::Native;
  // Reuse this kept synthesis of the same design (its netlist's directory) instead
  // of synthesizing again; the directory is left in place.
  const SynthReport* synthesized = nullptr;
};

// One simulated GEMM (a workload layer): its share of the energy. total_pj includes
// macro_pj, the SRAM arrays' energy (engines whose arrays are macros: lut_gemv).
struct GateLayerEnergy {
  std::string name;
  int64_t M = 0, K = 0, N = 0, cycles = 0, macs = 0;
  double switching_pj = 0, internal_pj = 0, leakage_pj = 0, macro_pj = 0, total_pj = 0,
         pj_per_mac = 0;
  int64_t row_reads = -1, row_writes = -1; // the SRAM arrays' (lut_gemv; -1: none)
};

struct PowerReport {
  SynthReport synth;
  double clock_ns = 0, volts = 0;
  int64_t cycles = 0, macs = 0;
  // the model's PE MACs over the GEMMs (padding included) and those with one and
  // with two zero operands (-1 for serial PEs, whose model does not classify them, and
  // for engines without PEs)
  int64_t pe_macs = 0, pe_macs_one_zero = 0, pe_macs_two_zero = 0;
  int64_t pe_macs_held_zero = 0; // of pe_macs_one_zero, a zero held since the previous MAC
  double switching_pj = 0, internal_pj = 0, leakage_pj = 0, total_pj = 0;
  // the SRAM arrays left to macros (EngineInfo::sram_arrays), from the SRAM model over
  // the model's row reads, writes and clocked cycles (included in total_pj); macro_note
  // says how ("" for engines without such arrays)
  double macro_pj = 0;
  std::string macro_note;
  double pj_per_mac = 0, power_mw = 0;
  double mac_rate = 1; // MACs per PE per working cycle (below 1 for variable-latency PEs)
  std::map<std::string, double> pj_by_module; // dynamic energy by mapped module (all instances)
  std::vector<GateLayerEnergy> layers;
  std::string energy_model; // Liberty tables, or the generic per-gate table
  std::string simulator;    // native or verilator
  int64_t nets_counted = 0;
  int64_t uncovered_bits = 0; // net bits with library loads but no toggle count (should be 0)
};

// One GEMM on the native simulator of the mapped design, from power-up, through
// the harness protocol (testbenches/sram_protocol.h).
harness::Result run_gate_native(GateSim& sim, const ArchConfig& arch, const SystolicMapping& m,
                                const SramImages& img);

// An engine whose gate-level runs do not go through the systolic harness
// (testbenches/sram_protocol.h): its own clocked loop around the native simulator,
// registered by engine name (lut_gemv: reports/lut_power.cpp). Engines without an
// entry run the systolic harness.
struct GateGemmRun {
  int64_t cycles = 0;
  int64_t row_reads = -1, row_writes = -1; // the model's SRAM-array rows (-1: none)
  std::string diff;    // the first difference of the netlist's outputs from the model's
  double macro_pj = 0; // the SRAM arrays' energy over the GEMM
  std::string macro_note;
};
struct GatePowerRunner {
  // the work of a GEMM as the gate-level run does it (padding included), for --max-macs
  Count (*work)(const ArchConfig& arch, const Layer& gemm) = nullptr;
  // before synthesis: throws InputError for a GEMM the model cannot step
  void (*check)(const ArchConfig& arch, const Layer& gemm) = nullptr;
  // operands from `rng` under `dist`, the model and the netlist (from power-up) on them
  GateGemmRun (*run)(GateSim& sim, const ArchConfig& arch, const Layer& gemm,
                     const OperandDist& dist, Rng& rng, double clock_ns) = nullptr;
};
using GatePowerRegistry = Registry<GatePowerRunner>;

// The PE MACs a gate-level run of `gemm` does on `arch` (the array's padding included).
Count gate_level_work(const ArchConfig& arch, const Layer& gemm);

// "native" or "verilator" (the --gate-sim option); throws InputError otherwise.
GateSimulator parse_gate_simulator(const std::string& s);

PowerReport gate_level_power(const ArchConfig& arch, const PowerOptions& opt,
                             std::ostream& progress);

} // namespace tpe
