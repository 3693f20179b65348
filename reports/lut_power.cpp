// tpe power for lut_gemv: one GEMM through the mapped netlist of the periphery (the
// controller and the array units) around C++ models of its SRAM arrays
// (reports/sram_macro_sim.h), driven by the clocked loop of the Verilator harness
// (testbenches/lut_protocol.h), and through LutGemvCore on the same operands; every
// drain-port write, the done cycle and the row counts must agree (compare_lut_run).
// The arrays' energy is the SRAM model's over the model's row reads, row writes and
// clocked cycles (lut_gemv_sram_energy), the periphery's the netlist's toggles.
//
// Calibration (`tpe calibrate`): one synthesis, one gate-level run of eight GEMMs sized
// in the design's own units (weight orientation: tiles of E outputs x S groups, token
// blocks of `batch`; activation: tiles of M_t tokens x `rows` groups, output blocks of
// N_l lanes) that mix table builds, lookups, drains and idle cycles in different
// proportions; the periphery's energy of each (its toggles and leakage, not the
// arrays) is fitted by non-negative least squares to
//     E = pj_per_cycle * cycles + pj_per_row_read * row reads
//         + pj_per_row_write * row writes + pj_per_output_word * drained words
// (cycles: clock, controller, the held registers and leakage; a row read: a lookup with
// the lanes' shift-accumulate; a row write: one table-build step with the loader;
// drained words: the corrected accumulators, read and written as the output SRAM's
// words are counted on the other engines). The PE terms are 0.
#include "core/error.h"
#include "dataflows/lut_gemv_mapping.h"
#include "reports/energy_model.h"
#include "reports/power.h"
#include "sim/engine.h"
#include "testbenches/lib/lut_rtl.h"
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace tpe {
namespace {

// lut_protocol.h's Dut over the native simulator.
struct LutGateDut {
  GateSim& sim;
  void eval() { sim.eval(); }
  void zero_toggles() { sim.zero_toggles(); }
  void set(lut_harness::Port p, int lo, int n, uint64_t v) {
    sim.set(lut_harness::port_name(p), lo, n, v);
  }
  uint64_t get(lut_harness::Port p, int lo, int n) const {
    return sim.get(lut_harness::port_name(p), lo, n);
  }
};

Count lut_work(const ArchConfig& arch, const Layer& gemm) {
  RunOptions o;
  o.mode = SimMode::Analytic;
  return run_layer(arch, gemm, o).pe_macs;
}

void lut_check(const ArchConfig& arch, const Layer& gemm) {
  (void)arch;
  const RunOptions o;
  const Count elems = Count(gemm.M) * gemm.K + Count(gemm.K) * gemm.N + Count(gemm.M) * gemm.N;
  if (elems > o.values_max_elements)
    throw InputError(gemm.name + ": " + count_str(elems) +
                     " operand and result elements exceed the model's limit of " +
                     std::to_string(o.values_max_elements));
}

GateGemmRun lut_run(GateSim& sim, const ArchConfig& arch, const Layer& gemm,
                    const OperandDist& dist, Rng& rng, double clock_ns) {
  const LutGemvParams p = lut_gemv_params(arch);
  const OperandMatrix A = fill_operands(gemm.M, gemm.K, p.arith.act_bits, dist, rng);
  const OperandMatrix B = fill_operands(gemm.K, gemm.N, p.arith.weight_bits, dist, rng);
  const LutModelRun model = run_lut_model(arch, A, B);
  sim.power_up(); // each GEMM from the power-up state, as a fresh Verilated run
  LutGateDut dut{sim};
  const lut_harness::Result rtl =
      lut_harness::run(dut, lut_harness_geometry(arch), lut_harness_stimulus(arch, A, B));
  GateGemmRun r;
  r.cycles = model.cycles;
  r.row_reads = model.row_reads;
  r.row_writes = model.row_writes;
  r.diff = compare_lut_run(model, rtl).failure;
  LayerResult lr;
  lr.name = gemm.name;
  lr.cycles = model.cycles;
  lr.lut_row_reads = model.row_reads;
  lr.lut_row_writes = model.row_writes;
  lr.lut_arrays_used =
      lut_gemv_geometry(p, LutArith(p.arith), gemm.M, gemm.K, gemm.N).arrays_used(p.arrays);
  const LutSramEnergy e = lut_gemv_sram_energy(arch, lr, clock_ns);
  r.macro_pj = e.energy.total();
  r.macro_note = fmt::format(
      "{} x {} words x {} bits {} at 130 nm (reports/sram_model.h): row reads, row writes and "
      "clocked cycles of the {} arrays in use{}",
      e.arrays, e.macro.words, e.macro.width_bits, sram_ports_name(e.macro.ports), e.arrays_used,
      e.extrapolation.empty() ? "" : "; " + e.extrapolation);
  return r;
}

Registrar<GatePowerRunner> reg("lut_gemv", {lut_work, lut_check, lut_run});

// The calibration GEMMs (see the top of the file), in the design's units.
std::vector<Layer> calibration_gemms(const ArchConfig& a) {
  const LutGemvParams p = lut_gemv_params(a);
  const LutArith ar(p.arith);
  const LutGemvGeometry g = lut_gemv_geometry(p, ar, 1, 1, 1);
  const int64_t grp = ar.group(), ku = grp * g.slots; // one tile's K
  // (tokens or outputs of a tile: outer unit; the other dimension's block: inner unit)
  const int64_t outer = g.weight ? g.lanesE : g.tok_block,
                inner = g.weight ? g.tok_block : g.lanesE;
  struct Shape {
    const char* name;
    int64_t in, k, out;
  };
  const Shape shapes[] = {{"build", 1, 2 * ku, outer},
                          {"one_tile", inner, ku, outer},
                          {"lookups", 3 * inner, ku, outer},
                          {"drain", inner, grp, 3 * outer},
                          {"odd", 2 * inner + 1, 2 * ku + 1, 2 * outer + 1},
                          {"minimal", 1, grp, 1},
                          {"deep", inner, 3 * ku, outer},
                          {"wide", 2 * inner, ku + grp, 2 * outer}};
  std::vector<Layer> out;
  for (const Shape& s : shapes) {
    Layer l;
    l.name = s.name;
    l.M = g.weight ? s.in : s.out;
    l.N = g.weight ? s.out : s.in;
    l.K = s.k;
    out.push_back(l);
  }
  return out;
}

EnergyCalibration lut_calibrate(const ArchConfig& arch, const PowerOptions& base,
                                const std::string& operands, std::ostream& progress) {
  PowerOptions o = base;
  o.gemms = calibration_gemms(arch);
  const PowerReport p = gate_level_power(arch, o, progress);
  std::vector<std::vector<double>> A;
  std::vector<double> b;
  EnergyCalibration c;
  RunOptions ro;
  ro.mode = SimMode::Analytic;
  for (size_t i = 0; i < p.layers.size(); ++i) {
    const GateLayerEnergy& l = p.layers[i];
    const LayerResult r = run_layer(arch, o.gemms[i], ro); // drained words: data-independent
    A.push_back({static_cast<double>(l.cycles), static_cast<double>(l.row_reads),
                 static_cast<double>(l.row_writes),
                 count_double(r.ofmap_reads) + count_double(r.ofmap_writes)});
    b.push_back(l.total_pj - l.macro_pj);
    c.fitted_on.push_back(fmt::format("{} {}x{}x{} {}", l.name, l.M, l.K, l.N, operands));
  }
  const std::vector<double> x = nnls(A, b);
  c.pj_per_cycle = x[0];
  c.pj_per_row_read = x[1];
  c.pj_per_row_write = x[2];
  c.pj_per_output = x[3];
  double worst = 0;
  for (size_t i = 0; i < A.size(); ++i) {
    const double fit = x[0] * A[i][0] + x[1] * A[i][1] + x[2] * A[i][2] + x[3] * A[i][3];
    worst = std::max(worst, std::fabs(fit - b[i]) / b[i]);
  }
  progress << fmt::format("calibrate: the fit is within {:.1f}% of the periphery's gate-level "
                          "energy on each of the {} GEMMs\n",
                          100 * worst, A.size());
  c.library = p.synth.library;
  c.volts = p.volts;
  c.design = arch;
  c.operands = operands;
  c.clock_ns = base.synth.clock_ns;
  return c;
}

std::string lut_summary(const EnergyCalibration& c) {
  return fmt::format("{}: periphery {:.3f} pJ per cycle + {:.3f} pJ per row read + {:.3f} pJ "
                     "per row written + {:.3f} pJ per drained word ({} operands, {}); the SRAM "
                     "arrays from the SRAM model",
                     design_key(c.design), c.pj_per_cycle, c.pj_per_row_read, c.pj_per_row_write,
                     c.pj_per_output, c.operands, c.library);
}

Registrar<EnergyCalibrator> cal("lut_gemv", {lut_calibrate, lut_summary});

} // namespace
} // namespace tpe
