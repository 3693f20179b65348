// Architectural energy model. Calibration, four gate-level runs:
//  1. a long and a short reduction (2R x 48 x 2C, 2R x 2 x 2C: different MACs per
//     cycle) on the calibration distribution fit E = pj_per_cycle * cycles +
//     pj_per_pe_mac * pe_macs (the model's count of the multiply-accumulates the
//     PEs perform, padding included);
//  2. the long one on zeros and on the distribution with more zeros (sparsity 0.5)
//     give, from the energy above the all-zero run (same cycles, same control),
//     what a MAC with one and with two nonzero operands adds (pj_one, pj_two);
//  3. a layer's energy is the fit of 1 corrected by the difference between its
//     operand classes (counted in Values mode) and the distribution's:
//     + pj_one * (one - f_one * macs) + pj_two * (two - f_two * macs).
// SRAM and DRAM energies follow the analytic model declared in the header.
#include "reports/energy_model.h"
#include "core/error.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/pe.h"
#include "testbenches/lib/rtl_build.h"
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace tpe {

std::string design_key(const ArchConfig& a) {
  return a.engine + " " + a.shape() + " " + a.dataflow + " " + a.pe + " " + a.format + " acc" +
         std::to_string(a.acc_bits);
}

EnergyCalibration calibrate_energy(const ArchConfig& arch, const PowerOptions& base,
                                   const std::string& operands, std::ostream& progress) {
  const PeInfo* pe = PeRegistry::instance().find(arch.pe);
  if (pe && pe->sparse_group)
    throw InputError("--arch", 0, "pe",
                     "energy calibration of the serial PE '" + arch.pe +
                         "' is not supported: its model does not count MACs by operand class");
  const int R = arch.rows, C = arch.cols;
  const Layer longer = parse_gemm_spec(std::to_string(2 * R) + "x48x" + std::to_string(2 * C));
  const Layer shorter = parse_gemm_spec(std::to_string(2 * R) + "x2x" + std::to_string(2 * C));
  OperandDist sparse = base.dist; // the distribution with more zeros
  sparse.sparsity = base.dist.sparsity < 0.5 ? 0.5 : base.dist.sparsity / 2;
  struct Run {
    double cycles, macs, one, two, pj; // one, two: MACs with one, two nonzero operands
  };
  EnergyCalibration c;
  const auto run = [&](const Layer& g, const OperandDist& d, const std::string& what) {
    PowerOptions o = base;
    o.gemms = {g};
    o.dist = d;
    const PowerReport r = gate_level_power(arch, o, progress);
    c.library = r.synth.library;
    c.volts = r.volts;
    c.fitted_on.push_back(g.name + " " + what);
    const double n = static_cast<double>(r.pe_macs);
    return Run{static_cast<double>(r.cycles), n, static_cast<double>(r.pe_macs_one_zero),
               n - static_cast<double>(r.pe_macs_one_zero + r.pe_macs_two_zero), r.total_pj};
  };
  const Run dl = run(longer, base.dist, operands), ds = run(shorter, base.dist, operands);
  const Run zl = run(longer, OperandDist(OperandFill::Zero), "zeros");
  const Run sl = run(longer, sparse, operands + " with zeros");
  // 1. per cycle and per PE MAC on the distribution (two utilizations)
  const double det = dl.cycles * ds.macs - ds.cycles * dl.macs;
  if (std::fabs(det) < 1e-9)
    throw std::logic_error("energy calibration: the two GEMMs are not independent");
  c.pj_per_cycle = (dl.pj * ds.macs - ds.pj * dl.macs) / det;
  c.pj_per_pe_mac = (dl.cycles * ds.pj - ds.cycles * dl.pj) / det;
  // 2. operand classes on the long GEMM: what a MAC with one and with two nonzero
  // operands adds over one with two zeros (same cycles, same control)
  const double d1 = dl.pj - zl.pj, d2 = sl.pj - zl.pj;
  const double det2 = dl.one * sl.two - sl.one * dl.two;
  if (std::fabs(det2) < 1e-9)
    throw InputError("--operands", 0, "",
                     "energy calibration needs an operand distribution with nonzero values ('" +
                         operands + "' has too few)");
  c.pj_one_nonzero = (d1 * sl.two - d2 * dl.two) / det2;
  c.pj_two_nonzero = (dl.one * d2 - sl.one * d1) / det2;
  c.frac_one_nonzero = dl.one / dl.macs;
  c.frac_two_nonzero = dl.two / dl.macs;
  c.design_key = design_key(arch);
  c.operands = operands;
  c.clock_ns = base.synth.clock_ns;
  return c;
}

nlohmann::json calibration_json(const EnergyCalibration& c) {
  return {{"design", c.design_key},
          {"library", c.library},
          {"operands", c.operands},
          {"clock_ns", c.clock_ns},
          {"volts", c.volts},
          {"node_nm", c.node_nm},
          {"pj_per_cycle", c.pj_per_cycle},
          {"pj_per_pe_mac", c.pj_per_pe_mac},
          {"pj_one_nonzero_operand", c.pj_one_nonzero},
          {"pj_two_nonzero_operands", c.pj_two_nonzero},
          {"fraction_one_nonzero_operand", c.frac_one_nonzero},
          {"fraction_two_nonzero_operands", c.frac_two_nonzero},
          {"fitted_on", c.fitted_on},
          {"regenerate",
           "tpe calibrate --arch <architecture file> --operands " + c.operands + " --out <file>"}};
}

EnergyCalibration calibration_from_json(const nlohmann::json& j, const std::string& source) {
  const auto bad = [&](const std::string& key, const std::string& msg) -> void {
    throw InputError(source, 0, key, "not an energy calibration: " + msg);
  };
  if (!j.is_object()) bad("", "expected a JSON object (written by `tpe calibrate`)");
  const auto text = [&](const char* key, std::string& out) {
    if (!j.contains(key)) bad(key, "required key is missing");
    if (!j[key].is_string()) bad(key, "expected a string");
    out = j[key].get<std::string>();
  };
  // a finite number; `lo`..`hi` its range (energies, clock, voltage and node are
  // non-negative, fractions lie in 0..1)
  const auto num = [&](const char* key, double& out, double lo, double hi) {
    if (!j.contains(key)) bad(key, "required key is missing");
    if (!j[key].is_number()) bad(key, "expected a number");
    out = j[key].get<double>();
    if (!std::isfinite(out)) bad(key, "must be finite");
    if (out < lo || out > hi)
      bad(key, "value " + j[key].dump() + " out of range " + (hi == 1 ? "0..1" : "0 and above"));
  };
  const double inf = std::numeric_limits<double>::infinity();
  EnergyCalibration c;
  text("design", c.design_key);
  text("library", c.library);
  text("operands", c.operands);
  num("clock_ns", c.clock_ns, 0, inf);
  num("volts", c.volts, 0, inf);
  num("node_nm", c.node_nm, 0, inf);
  num("pj_per_cycle", c.pj_per_cycle, 0, inf);
  num("pj_per_pe_mac", c.pj_per_pe_mac, 0, inf);
  num("pj_one_nonzero_operand", c.pj_one_nonzero, 0, inf);
  num("pj_two_nonzero_operands", c.pj_two_nonzero, 0, inf);
  num("fraction_one_nonzero_operand", c.frac_one_nonzero, 0, 1);
  num("fraction_two_nonzero_operands", c.frac_two_nonzero, 0, 1);
  if (c.frac_one_nonzero + c.frac_two_nonzero > 1 + 1e-9)
    bad("fraction_two_nonzero_operands", "the two operand-class fractions add up to more than 1");
  return c;
}

EnergyCalibration parse_calibration_text(const std::string& text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const size_t end = std::min(text.size(), e.byte > 0 ? e.byte - 1 : 0);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + end, '\n'));
    const std::string w = e.what(); // "[json...] parse error at line L, column C: reason"
    const size_t k = w.find(": ");
    throw InputError(source, line, "", "invalid JSON: " + (k == w.npos ? w : w.substr(k + 2)));
  } catch (const nlohmann::json::exception& e) { // a number too large for a double
    throw InputError(source, 0, "", std::string("invalid JSON: ") + e.what());
  }
  return calibration_from_json(j, source);
}

double sram_pj_per_access(double capacity_bytes, double width_bits, double node_nm, double volts) {
  const double base = 10.0 * std::sqrt(capacity_bytes / 8192.0) * (width_bits / 64.0);
  return base * (node_nm / 45.0) * (volts / 0.9) * (volts / 0.9);
}

double dram_pj_per_byte() {
  return 1950.0 / 8.0;
}

LayerEnergy layer_energy(const ArchConfig& a, const LayerResult& r, const EnergyCalibration& c) {
  const double node_nm = c.node_nm, volts = c.volts;
  LayerEnergy e;
  const bool is = a.dataflow == "is";
  const int w = a.operand_bits();
  // elements per operand SRAM word: a row or column of the array, times the K
  // elements per lane of sparsity-encoded PEs and of the cube and adder trees
  const harness::Geometry g = harness_geometry(a);
  const int in_lanes = (is ? g.C : g.R) * g.G, f_lanes = (is ? g.R : g.C) * g.G;
  const double macs = static_cast<double>(r.pe_macs);
  // operand classes of this layer's MACs, or the calibration distribution's
  const bool counted = r.pe_macs_one_zero >= 0 && r.pe_macs_two_zero >= 0;
  const double one = counted ? static_cast<double>(r.pe_macs_one_zero) : c.frac_one_nonzero * macs;
  const double two = counted ? macs - static_cast<double>(r.pe_macs_one_zero + r.pe_macs_two_zero)
                             : c.frac_two_nonzero * macs;
  e.array_pj = c.pj_per_cycle * static_cast<double>(r.cycles) + c.pj_per_pe_mac * macs +
               c.pj_one_nonzero * (one - c.frac_one_nonzero * macs) +
               c.pj_two_nonzero * (two - c.frac_two_nonzero * macs);
  e.ifmap_sram_pj =
      static_cast<double>(r.ifmap_reads) / in_lanes *
      sram_pj_per_access(a.memory.ifmap_sram_kb * 1024.0, in_lanes * w, node_nm, volts);
  e.filter_sram_pj =
      static_cast<double>(r.filter_reads) / f_lanes *
      sram_pj_per_access(a.memory.filter_sram_kb * 1024.0, f_lanes * w, node_nm, volts);
  e.ofmap_sram_pj =
      static_cast<double>(r.ofmap_reads + r.ofmap_writes) / a.cols *
      sram_pj_per_access(a.memory.ofmap_sram_kb * 1024.0, a.cols * a.acc_bits, node_nm, volts);
  const double bytes = (static_cast<double>(r.M * r.K + r.K * r.N) * w +
                        static_cast<double>(r.M * r.N) * a.acc_bits) /
                       8;
  e.dram_pj = bytes * dram_pj_per_byte();
  return e;
}

} // namespace tpe
