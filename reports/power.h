// Energy from switching activity of the mapped gate-level netlist: the netlist
// (with Verilog models of the library cells) is Verilated with toggle counting,
// run on real operand streams and checked output-for-output against the SystemC
// model; then per net toggles x (1/2 C V^2 + the driver's and loads' internal
// energy per transition) plus cell leakage over the run. Without a Liberty
// library the netlist is one of yosys's internal gates and the per-gate table of
// reports/generic_energy.h stands in for the library.
#pragma once
#include "core/arch_config.h"
#include "core/workload.h"
#include "reports/synth_flow.h"
#include "testbenches/lib/verify.h"
#include <map>
#include <string>
#include <vector>

namespace tpe {

struct PowerOptions {
  SynthOptions synth;       // library, clock (also the power clock), workdir
  std::vector<Layer> gemms; // operand streams to simulate
  uint64_t seed = 1;
  OperandDist dist;     // operand values
  double slew_ns = 0.1; // input transition used in the internal-power tables
};

// One simulated GEMM (a workload layer): its share of the energy.
struct GateLayerEnergy {
  std::string name;
  int64_t M = 0, K = 0, N = 0, cycles = 0, macs = 0;
  double switching_pj = 0, internal_pj = 0, leakage_pj = 0, total_pj = 0, pj_per_mac = 0;
};

struct PowerReport {
  SynthReport synth;
  double clock_ns = 0, volts = 0;
  int64_t cycles = 0, macs = 0;
  double switching_pj = 0, internal_pj = 0, leakage_pj = 0, total_pj = 0;
  double pj_per_mac = 0, power_mw = 0;
  double mac_rate = 1; // MACs per PE per working cycle (below 1 for variable-latency PEs)
  std::map<std::string, double> pj_by_module; // dynamic energy by mapped module (all instances)
  std::vector<GateLayerEnergy> layers;
  std::string energy_model; // Liberty tables, or the generic per-gate table
  int64_t nets_counted = 0;
  int64_t uncovered_bits = 0; // net bits with library loads but no toggle count (should be 0)
};

PowerReport gate_level_power(const ArchConfig& arch, const PowerOptions& opt,
                             std::ostream& progress);

} // namespace tpe
