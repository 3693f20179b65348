// Architectural energy model. Calibration, four gate-level runs on the GEMMs the
// engine declares (core/engine_info.h: `busy`, the multipliers working in almost
// every cycle, and `idle`, far fewer PE MACs per cycle) on one synthesis. The
// energy of a run is modelled as
//     E = pj_per_cycle * cycles + pj_one * one + pj_two * two
//         + pj_per_output * outputs + pj_per_fold * folds
// (one: the PE MACs, padding included, with one nonzero operand whose zero operand
// was not already zero in that multiplier's previous MAC; a held zero, as on every
// lane on padding, keeps the product at 0 and the multiplier still, and costs what a
// MAC on two zeros costs, i.e. nothing over the cycle; two: MACs with two nonzero
// operands; outputs: accumulator words read from or written to the output SRAM;
// folds: loads of the array's stationary operands, one per fold). Charging a padded
// lane as a one-nonzero MAC put GEMMs that leave half of a 2-row or 2-column array
// on padding 16-18% high, and without the fold term GEMVs on weight- and
// input-stationary arrays, which load weights for every row, were 11-14% low
// (tests/test_energy_model.cpp).
//  1. busy on zeros: pj_per_cycle = E / cycles (clock, control, leakage and the MACs
//     on zeros, which cost no more than an idle cycle);
//  2. busy on the distribution and on the distribution with more zeros (sparsity
//     0.5), over the all-zero run (same cycles, same control, outputs and loads of
//     zeros that cost nothing), and idle on the distribution less pj_per_cycle * its
//     cycles: a 3x3 solve gives pj_one, pj_two and pj_per_output, where the idle
//     GEMMs write at least 1.5x the outputs per MAC of the busy one (the
//     output-stationary engines, whose accumulators drain through the array once
//     per fold), else pj_per_fold, where the idle GEMMs have at least 1.5x the folds
//     per MAC (weight and input stationary arrays, the adder trees: a partial sum per
//     K tile, so the output energy is part of the MAC classes, pj_per_output = 0);
//  3. with neither, the busy runs alone give pj_one and pj_two (a 2x2 solve);
//  4. pj_per_pe_mac = f_one * pj_one + f_two * pj_two, the average useful MAC of the
//     distribution (f: its fractions of switching one-nonzero and of two-nonzero MACs
//     on the busy GEMM, which has no padding), so a layer's array energy is
//     pj_per_cycle * cycles + pj_per_output * outputs + pj_per_fold * folds
//     + pj_one * one + pj_two * two with the layer's own classes (Values mode), or
//     with one + two = f_one + f_two of the useful MACs (Timing and Analytic modes:
//     padded PE work costs nothing over the cycle).
// Every coefficient must come out finite and non-negative; a fit that does not is
// refused (ToolError) rather than written.
// SRAM energies: the analytic SRAM model (reports/sram_model.h) as declared in the
// header; DRAM: a per-byte figure.
#include "reports/energy_model.h"
#include "core/cleanup.h"
#include "core/engine_info.h"
#include "core/error.h"
#include "dataflows/lut_gemv_mapping.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/number_format.h"
#include "pe_models/pe.h"
#include "testbenches/lib/rtl_build.h"
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <limits>
#include <sstream>
#include <unistd.h>

namespace tpe {

std::string design_key(const DesignFields& a) {
  const std::string& act = a.act_format.empty() ? a.format : a.act_format;
  const std::string& weight = a.weight_format.empty() ? a.format : a.weight_format;
  const std::string ops = act == weight ? act : act + " x " + weight;
  const std::string acc =
      a.accumulate == "int" ? " acc" + std::to_string(a.acc_bits) : " acc " + a.accumulate;
  const EngineInfo* e = EngineRegistry::instance().find(a.engine);
  const std::string pe =
      e && !e->has_pe ? "" : a.pe + (a.pe == "lmul" ? " (" + a.lmul_offset + ")" : "") + " ";
  return a.engine + " " + a.shape() + " " + a.dataflow + " " + pe + ops + acc;
}

namespace {

// The calibration file's "design" object, one entry per DesignFields field in file
// order: a text or an integer field (with its range).
struct DesignField {
  const char* key;
  std::string DesignFields::*text;
  int DesignFields::*number;
  int lo, hi;
  std::string value(const DesignFields& d) const {
    return text ? d.*text : std::to_string(d.*number);
  }
};
const DesignField kDesignFields[] = {
    {"engine", &DesignFields::engine, nullptr, 0, 0},
    {"rows", nullptr, &DesignFields::rows, 1, 65536},
    {"cols", nullptr, &DesignFields::cols, 1, 65536},
    {"depth", nullptr, &DesignFields::depth, 1, 65536},
    {"dataflow", &DesignFields::dataflow, nullptr, 0, 0},
    {"pe", &DesignFields::pe, nullptr, 0, 0},
    {"format", &DesignFields::format, nullptr, 0, 0},
    {"acc_bits", nullptr, &DesignFields::acc_bits, 1, 1024},
    {"act_format", &DesignFields::act_format, nullptr, 0, 0},       // "": `format`
    {"weight_format", &DesignFields::weight_format, nullptr, 0, 0}, // "": `format`
    {"accumulate", &DesignFields::accumulate, nullptr, 0, 0},
    {"lmul_offset", &DesignFields::lmul_offset, nullptr, 0, 0},
};

std::string gemm_names(const std::vector<Layer>& gs) {
  std::string s;
  for (const auto& g : gs)
    s += (s.empty() ? "" : " + ") + std::to_string(g.M) + "x" + std::to_string(g.K) + "x" +
         std::to_string(g.N);
  return s;
}

} // namespace

void require_calibratable(const ArchConfig& arch, const std::string& arch_file) {
  const PeInfo* pe = PeRegistry::instance().find(arch.pe);
  if (pe && pe->sparse_group)
    throw InputError(arch_file, 0, "pe",
                     "energy calibration of the serial PE '" + arch.pe +
                         "' is not supported: its model does not count MACs by operand class");
}

EnergyCalibration calibrate_energy(const ArchConfig& arch, const PowerOptions& base,
                                   const std::string& operands, std::ostream& progress) {
  if (const EnergyCalibrator* own = EnergyCalibratorRegistry::instance().find(arch.engine))
    return own->calibrate(arch, base, operands, progress);
  require_calibratable(arch, "--arch");
  const EngineInfo* eng = EngineRegistry::instance().find(arch.engine);
  if (!eng || !eng->calibration_gemms)
    throw std::logic_error("engine '" + arch.engine + "' declares no calibration GEMMs");
  const CalibrationGemms cg = eng->calibration_gemms(arch);
  OperandDist sparse = base.dist; // the distribution with more zeros
  sparse.sparsity = base.dist.sparsity < 0.5 ? 0.5 : base.dist.sparsity / 2;
  EnergyCalibration c;
  // one synthesis serves the four runs: the first keeps its netlist for the others
  PowerOptions o = base;
  TempPath own_dir; // removed on return, on an exception and on a signal (core/cleanup.h)
  if (!o.synthesized && o.synth.workdir.empty()) {
    own_dir = make_temp_dir("tpe_calibrate");
    o.synth.workdir = own_dir.path();
  }
  SynthReport synth;
  std::string library;
  double volts = 0;
  const auto run = [&](const std::vector<Layer>& gs, const OperandDist& d,
                       const std::string& what) {
    PowerOptions r = o;
    r.gemms = gs;
    r.dist = d;
    if (!synth.netlist.empty()) r.synthesized = &synth;
    const PowerReport p = gate_level_power(arch, r, progress);
    if (synth.netlist.empty() && !o.synthesized) synth = p.synth;
    library = p.synth.library;
    volts = p.volts;
    c.fitted_on.push_back(gemm_names(gs) + " " + what);
    const double n = static_cast<double>(p.pe_macs);
    double outputs = 0, folds = 0; // the model's counts (the same in every mode)
    RunOptions ro;
    ro.mode = SimMode::Analytic;
    for (const auto& g : gs) {
      const LayerResult l = run_layer(arch, g, ro);
      outputs += count_double(l.ofmap_reads) + count_double(l.ofmap_writes);
      folds += count_double(l.folds);
    }
    return CalibrationRun{count_double(p.cycles),
                          n,
                          static_cast<double>(p.pe_macs_one_zero),
                          n - static_cast<double>(p.pe_macs_one_zero + p.pe_macs_two_zero),
                          p.total_pj,
                          outputs,
                          static_cast<double>(p.pe_macs_held_zero),
                          folds};
  };
  const CalibrationRun bd = run(cg.busy, base.dist, operands);
  const CalibrationRun bz = run(cg.busy, OperandDist(OperandFill::Zero), "zeros");
  const CalibrationRun bs = run(cg.busy, sparse, operands + " with zeros");
  const CalibrationRun id = run(cg.idle, base.dist, operands);
  own_dir.remove();
  c = fit_energy(bd, bz, bs, id, design_key(arch), c.fitted_on);
  c.library = library;
  c.volts = volts;
  c.design = arch;
  c.operands = operands;
  c.clock_ns = base.synth.clock_ns;
  return c;
}

EnergyCalibration fit_energy(const CalibrationRun& bd, const CalibrationRun& bz,
                             const CalibrationRun& bs, const CalibrationRun& id,
                             const std::string& design, const std::vector<std::string>& fitted_on) {
  EnergyCalibration c;
  c.fitted_on = fitted_on;
  // operand classes on the busy GEMM: what a MAC with one and with two nonzero
  // operands adds over one with two zeros (same cycles, same control)
  const double d1 = bd.pj - bz.pj, d2 = bs.pj - bz.pj;
  // MACs with one nonzero operand whose multiplier switches (a held zero does not)
  const double bd1 = bd.one - bd.held, bs1 = bs.one - bs.held, id1 = id.one - id.held;
  const double det2 = bd1 * bs.two - bs1 * bd.two;
  if (std::fabs(det2) < 1e-9)
    throw InputError("--operands", 0, "",
                     "energy calibration of " + design +
                         " needs an operand distribution with nonzero values (" + fitted_on.at(0) +
                         " has too few)");
  // per cycle: the all-zero busy run (clock, control, leakage, MACs on zeros)
  c.pj_per_cycle = bz.pj / bz.cycles;
  c.frac_one_nonzero = bd1 / bd.macs;
  c.frac_two_nonzero = bd.two / bd.macs;
  const bool by_outputs = id.outputs / id.macs > 1.5 * bd.outputs / bd.macs;
  const bool by_folds = !by_outputs && id.folds / id.macs > 1.5 * bd.folds / bd.macs;
  if (by_outputs || by_folds) {
    // outputs (or stationary-operand loads, one per fold) apart from the MACs: over
    // the all-zero run (whose outputs and loads are zeros and cost nothing), d =
    // pj_one * one + pj_two * two + pj_x * x on the busy runs and on the idle run
    // less its cycles: a 3x3 solve (Cramer)
    const auto x = [&](const CalibrationRun& r) { return by_outputs ? r.outputs : r.folds; };
    const double m[3][3] = {{bd1, bd.two, x(bd)}, {bs1, bs.two, x(bs)}, {id1, id.two, x(id)}};
    const double v[3] = {d1, d2, id.pj - c.pj_per_cycle * id.cycles};
    const auto det3 = [](const double x[3][3]) {
      return x[0][0] * (x[1][1] * x[2][2] - x[1][2] * x[2][1]) -
             x[0][1] * (x[1][0] * x[2][2] - x[1][2] * x[2][0]) +
             x[0][2] * (x[1][0] * x[2][1] - x[1][1] * x[2][0]);
    };
    const double d = det3(m);
    double sol[3];
    for (int k = 0; k < 3; ++k) {
      double mk[3][3];
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          mk[i][j] = j == k ? v[i] : m[i][j];
      sol[k] = det3(mk) / d;
    }
    c.pj_one_nonzero = sol[0];
    c.pj_two_nonzero = sol[1];
    (by_outputs ? c.pj_per_output : c.pj_per_fold) = sol[2];
  } else {
    // outputs follow the MACs (weight and input stationary: a partial sum per K
    // tile): their energy is part of the MAC classes
    c.pj_one_nonzero = (d1 * bs.two - d2 * bd.two) / det2;
    c.pj_two_nonzero = (bd1 * d2 - bs1 * d1) / det2;
  }
  c.pj_per_pe_mac = c.frac_one_nonzero * c.pj_one_nonzero + c.frac_two_nonzero * c.pj_two_nonzero;
  const std::pair<const char*, double> coef[] = {
      {"energy per cycle", c.pj_per_cycle},
      {"energy per output word", c.pj_per_output},
      {"energy per fold", c.pj_per_fold},
      {"energy per PE MAC", c.pj_per_pe_mac},
      {"energy of a MAC with one nonzero operand", c.pj_one_nonzero},
      {"energy of a MAC with two nonzero operands", c.pj_two_nonzero}};
  for (const auto& [what, v] : coef)
    if (!std::isfinite(v) || v < 0)
      throw ToolError(fmt::format(
          "energy calibration of {}: the fit gives a {} {} of {:.3f} pJ (fitted on {}, {}, {}, "
          "{}); refused, a negative or non-finite energy would make every prediction wrong",
          design, v < 0 ? "negative" : "non-finite", what, v, c.fitted_on.at(0), c.fitted_on.at(1),
          c.fitted_on.at(2), c.fitted_on.at(3)));
  return c;
}

std::string calibration_summary(const EnergyCalibration& c) {
  if (const EnergyCalibrator* own = EnergyCalibratorRegistry::instance().find(c.design.engine))
    return own->summary(c);
  return fmt::format("{}: {:.3f} pJ per cycle + {:.3f} pJ per PE MAC ({} operands) + {:.3f} pJ "
                     "per output word + {:.3f} pJ per fold; a MAC with one / two nonzero operands "
                     "adds {:.3f} / {:.3f} pJ over one with two zeros ({})",
                     design_key(c.design), c.pj_per_cycle, c.pj_per_pe_mac, c.operands,
                     c.pj_per_output, c.pj_per_fold, c.pj_one_nonzero, c.pj_two_nonzero, c.library);
}

std::vector<double> nnls(const std::vector<std::vector<double>>& A, const std::vector<double>& b) {
  const size_t n = A.empty() ? 0 : A.front().size();
  std::vector<double> best;
  double best_res = HUGE_VAL;
  for (unsigned mask = 1; mask < (1u << n); ++mask) {
    std::vector<size_t> cols;
    for (size_t k = 0; k < n; ++k)
      if (mask >> k & 1) cols.push_back(k);
    const size_t m = cols.size();
    // normal equations of the subset, Gaussian elimination with partial pivoting
    std::vector<std::vector<double>> g(m, std::vector<double>(m + 1, 0));
    for (size_t r = 0; r < A.size(); ++r)
      for (size_t i = 0; i < m; ++i) {
        for (size_t j = 0; j < m; ++j)
          g[i][j] += A[r][cols[i]] * A[r][cols[j]];
        g[i][m] += A[r][cols[i]] * b[r];
      }
    bool ok = true;
    for (size_t i = 0; i < m && ok; ++i) {
      size_t piv = i;
      for (size_t r = i + 1; r < m; ++r)
        if (std::fabs(g[r][i]) > std::fabs(g[piv][i])) piv = r;
      std::swap(g[i], g[piv]);
      if (!(std::fabs(g[i][i]) > 1e-12 * (1 + std::fabs(g[i][m])))) ok = false;
      for (size_t r = 0; r < m && ok; ++r) {
        if (r == i) continue;
        const double f = g[r][i] / g[i][i];
        for (size_t c = i; c <= m; ++c)
          g[r][c] -= f * g[i][c];
      }
    }
    if (!ok) continue;
    std::vector<double> x(n, 0);
    for (size_t i = 0; i < m; ++i) {
      x[cols[i]] = g[i][m] / g[i][i];
      if (!std::isfinite(x[cols[i]]) || x[cols[i]] < 0) ok = false;
    }
    if (!ok) continue;
    double res = 0;
    for (size_t r = 0; r < A.size(); ++r) {
      double e = -b[r];
      for (size_t k = 0; k < n; ++k)
        e += A[r][k] * x[k];
      res += e * e;
    }
    if (res < best_res) {
      best_res = res;
      best = x;
    }
  }
  if (best.empty()) throw ToolError("non-negative least squares: no subset of the terms fits");
  return best;
}

nlohmann::json calibration_json(const EnergyCalibration& c) {
  nlohmann::json design = nlohmann::json::object();
  for (const auto& f : kDesignFields)
    design[f.key] = f.text ? nlohmann::json(c.design.*f.text) : nlohmann::json(c.design.*f.number);
  // every key of the engine's own (EngineInfo::keys), defaults included
  design["engine_keys"] = nlohmann::json::object();
  if (const EngineInfo* e = EngineRegistry::instance().find(c.design.engine))
    for (const EngineKey& k : e->keys)
      design["engine_keys"][k.key] = engine_key(c.design, k.key);
  return {{"model", kCalibrationModel},
          {"design", design},
          {"library", c.library},
          {"operands", c.operands},
          {"clock_ns", c.clock_ns},
          {"volts", c.volts},
          {"node_nm", c.node_nm},
          {"pj_per_cycle", c.pj_per_cycle},
          {"pj_per_pe_mac", c.pj_per_pe_mac},
          {"pj_per_output_word", c.pj_per_output},
          {"pj_per_fold", c.pj_per_fold},
          {"pj_per_row_read", c.pj_per_row_read},
          {"pj_per_row_write", c.pj_per_row_write},
          {"pj_one_nonzero_operand", c.pj_one_nonzero},
          {"pj_two_nonzero_operands", c.pj_two_nonzero},
          {"fraction_one_nonzero_operand", c.frac_one_nonzero},
          {"fraction_two_nonzero_operands", c.frac_two_nonzero},
          {"fitted_on", c.fitted_on},
          {"regenerate",
           "tpe calibrate --arch <architecture file> --operands " + c.operands + " --out <file>"}};
}

namespace {

// Typed, checked reads of one calibration file; every problem is one InputError
// line "FILE: key.path: problem".
class CalReader {
public:
  explicit CalReader(std::string source) : src_(std::move(source)) {}
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw InputError(src_, 0, key, problem);
  }
  const nlohmann::json& at(const nlohmann::json& obj, const std::string& key,
                           const std::string& path) const {
    auto it = obj.find(key);
    if (it == obj.end()) fail(path, "missing (rerun `tpe calibrate` to write a complete file)");
    return *it;
  }
  std::string str(const nlohmann::json& obj, const std::string& key,
                  const std::string& path) const {
    const auto& v = at(obj, key, path);
    if (!v.is_string()) fail(path, "expected a string, got " + v.dump());
    return v.get<std::string>();
  }
  // a finite number >= lo (> lo when strict), <= hi
  double num(const nlohmann::json& obj, const std::string& key, const std::string& path, double lo,
             bool strict, double hi = HUGE_VAL) const {
    const auto& v = at(obj, key, path);
    if (!v.is_number()) fail(path, "expected a number, got " + v.dump());
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(path, "not a finite number");
    if (strict ? !(d > lo) : !(d >= lo))
      fail(path, fmt::format("must be {} {}, got {}", strict ? "above" : "at least", lo, d));
    if (d > hi) fail(path, fmt::format("must be at most {}, got {}", hi, d));
    return d;
  }
  int integer(const nlohmann::json& obj, const std::string& key, const std::string& path, int lo,
              int hi) const {
    const auto& v = at(obj, key, path);
    if (!v.is_number_integer()) fail(path, "expected an integer, got " + v.dump());
    const int64_t i = v.get<int64_t>();
    if (i < lo || i > hi) fail(path, fmt::format("must be in {}..{}, got {}", lo, hi, i));
    return static_cast<int>(i);
  }
  void known_keys(const nlohmann::json& obj, const std::vector<std::string>& keys,
                  const std::string& prefix) const {
    for (auto it = obj.begin(); it != obj.end(); ++it)
      if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) {
        std::string list;
        for (const auto& k : keys)
          list += (list.empty() ? "" : ", ") + k;
        fail(prefix + it.key(), "unknown key (expected " + list + ")");
      }
  }

private:
  std::string src_;
};

} // namespace

EnergyCalibration calibration_from_json(const nlohmann::json& j, const std::string& source) {
  const CalReader r(source);
  if (j.is_discarded()) r.fail("", "not valid JSON (an energy calibration from `tpe calibrate`)");
  if (!j.is_object())
    r.fail("", "expected a JSON object (an energy calibration from `tpe calibrate`)");
  // the model first: a file of an earlier model is refused as such, not by its
  // first missing or unknown key
  if (!j.contains("model"))
    r.fail("model", fmt::format("missing: written by an earlier tpe, whose energy model differs "
                                "(no held zeros, no fold term, no row terms); rerun `tpe "
                                "calibrate` (model {})",
                                kCalibrationModel));
  if (!j["model"].is_number_integer() || j["model"].get<int64_t>() != kCalibrationModel)
    r.fail("model", fmt::format("energy model {}, this tpe reads model {}; rerun `tpe calibrate`",
                                j["model"].dump(), kCalibrationModel));
  r.known_keys(j,
               {"model", "design", "library", "operands", "clock_ns", "volts", "node_nm",
                "pj_per_cycle", "pj_per_pe_mac", "pj_per_output_word", "pj_per_fold",
                "pj_per_row_read", "pj_per_row_write", "pj_one_nonzero_operand",
                "pj_two_nonzero_operands", "fraction_one_nonzero_operand",
                "fraction_two_nonzero_operands", "fitted_on", "regenerate"},
               "");
  EnergyCalibration c;
  const auto& d = r.at(j, "design", "design");
  std::vector<std::string> keys;
  std::string list;
  for (const auto& f : kDesignFields) {
    keys.push_back(f.key);
    list += (list.empty() ? "" : ", ") + keys.back();
  }
  keys.push_back("engine_keys");
  list += ", engine_keys";
  if (!d.is_object()) r.fail("design", "expected an object (" + list + "), got " + d.dump());
  r.known_keys(d, keys, "design.");
  for (const auto& f : kDesignFields) {
    const std::string path = std::string("design.") + f.key;
    if (f.text)
      c.design.*f.text = r.str(d, f.key, path);
    else
      c.design.*f.number = r.integer(d, f.key, path, f.lo, f.hi);
  }
  const auto& ek = r.at(d, "engine_keys", "design.engine_keys");
  if (!ek.is_object())
    r.fail("design.engine_keys", "expected an object (key: value text), got " + ek.dump());
  // the file lists every key of the engine's; the design keeps those off their default
  // (as a parsed architecture keeps the keys its file gave)
  const EngineInfo* eng = EngineRegistry::instance().find(c.design.engine);
  for (auto it = ek.begin(); it != ek.end(); ++it) {
    const std::string path = "design.engine_keys." + it.key();
    const std::string v = r.str(ek, it.key(), path);
    const EngineKey* k = nullptr;
    if (eng)
      for (const EngineKey& e : eng->keys)
        if (e.key == it.key()) k = &e;
    if (!k) r.fail(path, "engine '" + c.design.engine + "' takes no key '" + it.key() + "'");
    if (v != k->def) c.design.engine_keys[it.key()] = v;
  }
  c.library = r.str(j, "library", "library");
  c.operands = r.str(j, "operands", "operands");
  c.clock_ns = r.num(j, "clock_ns", "clock_ns", 0, true);
  c.volts = r.num(j, "volts", "volts", 0, true);
  c.node_nm = r.num(j, "node_nm", "node_nm", 0, true);
  c.pj_per_cycle = r.num(j, "pj_per_cycle", "pj_per_cycle", 0, false);
  c.pj_per_pe_mac = r.num(j, "pj_per_pe_mac", "pj_per_pe_mac", 0, false);
  c.pj_per_output = r.num(j, "pj_per_output_word", "pj_per_output_word", 0, false);
  c.pj_per_fold = r.num(j, "pj_per_fold", "pj_per_fold", 0, false);
  c.pj_per_row_read = r.num(j, "pj_per_row_read", "pj_per_row_read", 0, false);
  c.pj_per_row_write = r.num(j, "pj_per_row_write", "pj_per_row_write", 0, false);
  c.pj_one_nonzero = r.num(j, "pj_one_nonzero_operand", "pj_one_nonzero_operand", 0, false);
  c.pj_two_nonzero = r.num(j, "pj_two_nonzero_operands", "pj_two_nonzero_operands", 0, false);
  c.frac_one_nonzero =
      r.num(j, "fraction_one_nonzero_operand", "fraction_one_nonzero_operand", 0, false, 1);
  c.frac_two_nonzero =
      r.num(j, "fraction_two_nonzero_operands", "fraction_two_nonzero_operands", 0, false, 1);
  if (c.frac_one_nonzero + c.frac_two_nonzero > 1 + 1e-9)
    r.fail("fraction_two_nonzero_operands",
           fmt::format("the two fractions add up to {}, more than 1",
                       c.frac_one_nonzero + c.frac_two_nonzero));
  if (j.contains("fitted_on")) {
    const auto& f = j["fitted_on"];
    if (!f.is_array()) r.fail("fitted_on", "expected a list of strings, got " + f.dump());
    for (size_t i = 0; i < f.size(); ++i) {
      if (!f[i].is_string())
        r.fail("fitted_on[" + std::to_string(i) + "]", "expected a string, got " + f[i].dump());
      c.fitted_on.push_back(f[i].get<std::string>());
    }
  }
  if (j.contains("regenerate") && !j["regenerate"].is_string())
    r.fail("regenerate", "expected a string, got " + j["regenerate"].dump());
  return c;
}

void check_calibration_matches(const EnergyCalibration& c, const ArchConfig& a,
                               const std::string& source) {
  const auto differ = [&](const std::string& key, const std::string& cal, const std::string& arch) {
    throw InputError(source, 0, "design." + key,
                     "the calibration is for '" + design_key(c.design) + "' (" + key + " " + cal +
                         "), the architecture " + a.source + " is '" + design_key(a) + "' (" + key +
                         " " + arch + "); run `tpe calibrate` on it");
  };
  for (const auto& f : kDesignFields) {
    const std::string cal = f.value(c.design), arch = f.value(a);
    if (cal != arch) differ(f.key, cal, arch);
  }
  // the engine's own keys (the engine is the same): every one, defaults included
  if (const EngineInfo* e = EngineRegistry::instance().find(a.engine))
    for (const EngineKey& k : e->keys) {
      const std::string cal = engine_key(c.design, k.key), arch = engine_key(a, k.key);
      if (cal != arch) differ("engine_keys." + k.key, cal, arch);
    }
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

double dram_pj_per_byte() {
  return 1950.0 / 8.0;
}

namespace {

constexpr int kMaxSramWidth = 1024; // the SRAM model's widest word (sram_model.h)

// elements per operand SRAM word: a row or column of the array, times the K elements
// per lane of sparsity-encoded PEs and of the cube and adder trees
struct BufferLanes {
  int in = 0, filter = 0;
};
BufferLanes buffer_lanes(const ArchConfig& a) {
  const bool is = a.dataflow == "is";
  const harness::Geometry g = harness_geometry(a);
  return {(is ? g.C : g.R) * g.G, (is ? g.R : g.C) * g.G};
}

} // namespace

OperandSrams operand_srams(const ArchConfig& a, double node_nm, double volts,
                           const std::string& cal_source) {
  const EngineInfo* eng = EngineRegistry::instance().find(a.engine);
  if (eng && !eng->has_pe) // lut_gemv: no operand buffers of PE lanes, no calibration
    throw InputError(cal_source, 0, "design.engine",
                     "engine '" + a.engine +
                         "' has no energy calibration: `tpe sim` reports its SRAM arrays' "
                         "energy without one (docs/sram-model.md)");
  const BufferLanes lanes = buffer_lanes(a);
  // element code bits: ifmap words hold A (act), filter words B (weight)
  const int ab = lookup_number_format(a.act()).bits, wb = lookup_number_format(a.weight()).bits;
  struct Buffer {
    const char* name;
    int64_t kb;
    int width;
    OperandSram OperandSrams::*buffer;
  };
  const Buffer buffers[] = {
      {"ifmap", a.memory.ifmap_sram_kb, lanes.in * ab, &OperandSrams::ifmap},
      {"filter", a.memory.filter_sram_kb, lanes.filter * wb, &OperandSrams::filter},
      {"ofmap", a.memory.ofmap_sram_kb, a.cols * a.acc_bits, &OperandSrams::ofmap}};
  OperandSrams s;
  for (const Buffer& b : buffers) {
    const int n = (b.width + kMaxSramWidth - 1) / kMaxSramWidth, width = (b.width + n - 1) / n;
    const SramMacro m{b.kb * 8192 / b.width, width, SramPorts::k1rw1r, node_nm, volts};
    std::string note;
    try {
      note = sram_extrapolation(m);
    } catch (const std::invalid_argument& e) {
      const std::string why = e.what(); // "sram PARAM: problem"
      const std::string what = fmt::format(
          "the {} SRAM ({} KiB of {}-bit words: {} words, 1rw1r at {} nm) is beyond the SRAM "
          "model's domain (docs/sram-model.md): {}",
          b.name, b.kb, b.width, m.words, node_nm, why);
      if (why.rfind("sram node_nm", 0) == 0) throw InputError(cal_source, 0, "node_nm", what);
      if (why.rfind("sram volts", 0) == 0) throw InputError(cal_source, 0, "volts", what);
      throw InputError(a.source, 0, std::string("memory.") + b.name + "_sram_kb", what);
    }
    s.*b.buffer = {m, n};
    if (n > 1)
      note = fmt::format("{}-bit words: {} macros of {} bits side by side{}", b.width, n, width,
                         note.empty() ? "" : ", each: " + note);
    if (!note.empty())
      s.extrapolation += (s.extrapolation.empty() ? "" : "; ") + (b.name + (": " + note));
  }
  return s;
}

double array_energy_pj(const ArchConfig&, const LayerResult& r, const EnergyCalibration& c) {
  // operand classes of this layer's PE MACs (padding included), or the calibration
  // distribution's on its useful MACs (padded lanes hold zeros)
  const bool counted =
      r.pe_macs_one_zero >= 0 && r.pe_macs_two_zero >= 0 && r.pe_macs_held_zero >= 0;
  const double pe_macs = count_double(r.pe_macs), useful = count_double(r.macs);
  const double one = counted ? count_double(r.pe_macs_one_zero) - count_double(r.pe_macs_held_zero)
                             : c.frac_one_nonzero * useful;
  const double two =
      counted ? pe_macs - count_double(r.pe_macs_one_zero) - count_double(r.pe_macs_two_zero)
              : c.frac_two_nonzero * useful;
  // SRAM-PIM row terms (lut_gemv's layers carry the counts, others -1)
  const double rows = r.lut_row_reads >= 0 ? c.pj_per_row_read * count_double(r.lut_row_reads) +
                                                 c.pj_per_row_write * count_double(r.lut_row_writes)
                                           : 0;
  return c.pj_per_cycle * count_double(r.cycles) +
         c.pj_per_output * (count_double(r.ofmap_reads) + count_double(r.ofmap_writes)) +
         c.pj_per_fold * count_double(r.folds) + c.pj_one_nonzero * one + c.pj_two_nonzero * two +
         rows;
}

void check_sram_domain(const ArchConfig& a, double node_nm, double volts,
                       const std::string& source) {
  const EngineInfo* eng = EngineRegistry::instance().find(a.engine);
  if (eng && eng->has_pe) {
    operand_srams(a, node_nm, volts, source);
    return;
  }
  // SRAM-PIM arrays (lut_gemv): the OpenRAM sky130 macros their port timing follows
  if (node_nm != 130)
    throw InputError(source, 0, "node_nm",
                     fmt::format("{} nm: the {} engine's SRAM arrays are priced at 130 nm (the "
                                 "OpenRAM sky130 macros their port timing follows)",
                                 node_nm, a.engine));
  if (volts != 0 && std::fabs(volts - 1.8) > 1e-9)
    throw InputError(source, 0, "volts",
                     fmt::format("{} V: the {} engine's SRAM arrays are priced at 1.8 V (the "
                                 "OpenRAM sky130 macros)",
                                 volts, a.engine));
}

LayerEnergy layer_energy(const ArchConfig& a, const LayerResult& r, const EnergyCalibration& c) {
  LayerEnergy e;
  const double cycles = count_double(r.cycles);
  e.array_pj = array_energy_pj(a, r, c);
  // every operand once from DRAM and every result once back (dimensions below
  // 2^31: the products are exact in 128 bits, then rounded to double)
  const Count a_elems = Count(r.M) * r.K, b_elems = Count(r.K) * r.N, results = Count(r.M) * r.N;
  const auto dram = [&](int a_bits, int b_bits) {
    return (count_double(a_elems) * a_bits + count_double(b_elems) * b_bits +
            count_double(results) * a.acc_bits) /
           8 * dram_pj_per_byte();
  };
  if (r.lut_row_reads >= 0) { // SRAM-PIM arrays: no operand buffers of PE lanes
    e.arrays_pj = lut_gemv_sram_energy(a, r, c.clock_ns).energy.total();
    const LutGemvParams p = lut_gemv_params(a);
    e.dram_pj = dram(p.arith.act_bits, p.arith.weight_bits);
    return e;
  }
  const BufferLanes lanes = buffer_lanes(a);
  const OperandSrams m = operand_srams(a, c.node_nm, c.volts, "the energy calibration");
  // words: elements (accumulators) / the word's lanes. The fills: every operand once on
  // ideal memory; with memory.model dram, what the tiles loaded from DRAM (an operand
  // reloaded per reuse window is written again; whole bursts)
  const int ab = lookup_number_format(a.act()).bits, wb = lookup_number_format(a.weight()).bits;
  const double a_fill =
      r.memory.modeled ? count_double(r.memory.dram_ifmap_bytes) * 8 / dram_element_bits(a.act())
                       : count_double(a_elems);
  const double b_fill = r.memory.modeled ? count_double(r.memory.dram_filter_bytes) * 8 /
                                               dram_element_bits(a.weight())
                                         : count_double(b_elems);
  const SramActivity in{count_double(r.ifmap_reads) / lanes.in, a_fill / lanes.in, cycles};
  const SramActivity filter{count_double(r.filter_reads) / lanes.filter, b_fill / lanes.filter,
                            cycles};
  const SramActivity out{(count_double(r.ofmap_reads) + count_double(results)) / a.cols,
                         count_double(r.ofmap_writes) / a.cols, cycles};
  const auto pj = [&](const OperandSram& b, const SramActivity& act) {
    return b.macros * sram_energy(b.macro, act, c.clock_ns).total();
  };
  e.ifmap_sram_pj = pj(m.ifmap, in);
  e.filter_sram_pj = pj(m.filter, filter);
  e.ofmap_sram_pj = pj(m.ofmap, out);
  if (r.memory.modeled) { // memory.model dram: the bytes it moved at its DRAM's pJ/bit
    const Count bytes =
        r.memory.dram_ifmap_bytes + r.memory.dram_filter_bytes + r.memory.dram_ofmap_bytes;
    e.dram_pj = count_double(bytes) * 8 * dram_timing(a).pj_per_bit;
  } else {
    e.dram_pj = dram(ab, wb);
  }
  return e;
}

LutSramEnergy lut_gemv_sram_energy(const ArchConfig& a, const LayerResult& r, double clock_ns) {
  if (r.lut_row_reads < 0 || r.lut_row_writes < 0 || r.lut_arrays_used < 0)
    throw std::logic_error("lut_gemv_sram_energy: layer '" + r.name +
                           "' has no lut_gemv row counts");
  const LutGemvParams p = lut_gemv_params(a);
  LutSramEnergy s;
  s.macro = SramMacro{p.rows, p.cols, p.dual_port ? SramPorts::k1rw1r : SramPorts::k1rw, 130, 0};
  s.arrays = p.arrays;
  s.arrays_used = r.lut_arrays_used;
  s.extrapolation = sram_extrapolation(s.macro);
  s.activity = {count_double(r.lut_row_reads), count_double(r.lut_row_writes),
                static_cast<double>(s.arrays_used) * count_double(r.cycles)};
  s.energy = sram_energy(s.macro, s.activity, clock_ns > 0 ? clock_ns : 1000.0 / a.clock_mhz);
  s.area_um2 = static_cast<double>(s.arrays) * sram_area_um2(s.macro);
  return s;
}

} // namespace tpe
