// Architectural energy model. Calibration: gate-level energy E of two GEMMs is
// fitted as E = pj_per_cycle * cycles + pj_per_pe_mac * pe_macs (pe_macs counts
// the multiply-accumulates the PEs perform, padding included); the two GEMMs are
// chosen so their MACs per cycle differ (a long and a short reduction). SRAM and
// DRAM energies follow the analytic model declared in the header.
#include "reports/energy_model.h"
#include "core/error.h"
#include "dataflows/systolic_mapping.h"
#include <cmath>
#include <sstream>

namespace tpe {

std::string design_key(const ArchConfig& a) {
  return a.engine + " " + std::to_string(a.rows) + "x" + std::to_string(a.cols) + " " + a.dataflow +
         " " + a.pe + " " + a.format + " acc" + std::to_string(a.acc_bits);
}

namespace {
int64_t pe_macs(const ArchConfig& a, const Layer& l) {
  const SystolicMapping m = map_systolic(a, l);
  return m.folds * m.R * m.C * (m.output_stationary ? m.K : m.Mp);
}
} // namespace

EnergyCalibration calibrate_energy(const ArchConfig& arch, const PowerOptions& base,
                                   const std::string& operands, std::ostream& progress) {
  // a long and a short reduction: many MACs per cycle, then few
  const int R = arch.rows, C = arch.cols;
  const std::vector<Layer> shapes = {
      parse_gemm_spec(std::to_string(2 * R) + "x48x" + std::to_string(2 * C)),
      parse_gemm_spec(std::to_string(2 * R) + "x2x" + std::to_string(2 * C))};
  double e[2], cyc[2], mac[2];
  EnergyCalibration c;
  for (int i = 0; i < 2; ++i) {
    PowerOptions o = base;
    o.gemms = {shapes[i]};
    const PowerReport r = gate_level_power(arch, o, progress);
    e[i] = r.total_pj;
    cyc[i] = static_cast<double>(r.cycles);
    mac[i] = static_cast<double>(pe_macs(arch, shapes[i]));
    c.library = r.synth.library;
    c.volts = r.volts;
    c.fitted_on.push_back(shapes[i].name);
  }
  const double det = cyc[0] * mac[1] - cyc[1] * mac[0];
  if (std::fabs(det) < 1e-9)
    throw std::logic_error("energy calibration: the two GEMMs are not independent");
  c.pj_per_cycle = (e[0] * mac[1] - e[1] * mac[0]) / det;
  c.pj_per_pe_mac = (cyc[0] * e[1] - cyc[1] * e[0]) / det;
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
  const int in_lanes = is ? a.cols : a.rows, f_lanes = is ? a.rows : a.cols;
  e.array_pj = c.pj_per_cycle * static_cast<double>(r.cycles) +
               c.pj_per_pe_mac * static_cast<double>(r.pe_macs);
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
