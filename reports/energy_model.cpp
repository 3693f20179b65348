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
#include <cmath>
#include <sstream>

namespace tpe {

std::string design_key(const ArchConfig& a) {
  return a.engine + " " + a.shape() + " " + a.dataflow + " " + a.pe + " " + a.format + " acc" +
         std::to_string(a.acc_bits);
}

void require_calibratable(const ArchConfig& arch, const std::string& arch_file) {
  const PeInfo* pe = PeRegistry::instance().find(arch.pe);
  if (pe && pe->sparse_group)
    throw InputError(arch_file, 0, "pe",
                     "energy calibration of the serial PE '" + arch.pe +
                         "' is not supported: its model does not count MACs by operand class");
}

EnergyCalibration calibrate_energy(const ArchConfig& arch, const PowerOptions& base,
                                   const std::string& operands, std::ostream& progress) {
  require_calibratable(arch, "--arch");
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
  EnergyCalibration c;
  try {
    c.design_key = j.at("design");
    c.library = j.at("library");
    c.operands = j.at("operands");
    c.clock_ns = j.at("clock_ns");
    c.volts = j.at("volts");
    c.node_nm = j.at("node_nm");
    c.pj_per_cycle = j.at("pj_per_cycle");
    c.pj_per_pe_mac = j.at("pj_per_pe_mac");
    c.pj_one_nonzero = j.at("pj_one_nonzero_operand");
    c.pj_two_nonzero = j.at("pj_two_nonzero_operands");
    c.frac_one_nonzero = j.at("fraction_one_nonzero_operand");
    c.frac_two_nonzero = j.at("fraction_two_nonzero_operands");
  } catch (const std::exception& e) {
    throw InputError(source, 0, "", std::string("not an energy calibration: ") + e.what());
  }
  return c;
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
  const double two = counted ? macs - static_cast<double>(r.pe_macs_one_zero) -
                                   static_cast<double>(r.pe_macs_two_zero)
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
      (static_cast<double>(r.ofmap_reads) + static_cast<double>(r.ofmap_writes)) / a.cols *
      sram_pj_per_access(a.memory.ofmap_sram_kb * 1024.0, a.cols * a.acc_bits, node_nm, volts);
  // every operand once from DRAM and every result once back (dimensions below
  // 2^31: the products are exact in 128 bits, then rounded to double)
  const Count operands = Count(r.M) * r.K + Count(r.K) * r.N, results = Count(r.M) * r.N;
  const double bytes = (count_double(operands) * w + count_double(results) * a.acc_bits) / 8;
  e.dram_pj = bytes * dram_pj_per_byte();
  return e;
}

} // namespace tpe
