// Scaling a lut_gemv periphery calibration by register bits (the header gives the rule
// and its source): both designs' bits come from the generator's own register tables,
// so the estimate needs no synthesis of the target.
#include "reports/lut_scaling.h"
#include "core/error.h"
#include "dataflows/lut_gemv_mapping.h"
#include "pe_models/lut_table.h"
#include "rtl_gen/lut_gemv_verilog.h"
#include <fmt/format.h>
#include <stdexcept>
#include <tuple>

namespace tpe {

EnergyCalibration scale_lut_calibration(const EnergyCalibration& ref, const ArchConfig& target,
                                        const std::string& ref_source) {
  if (ref.design.engine != "lut_gemv")
    throw InputError(ref_source, 0, "design.engine",
                     "'" + ref.design.engine +
                         "': only a lut_gemv calibration scales to another lut_gemv design");
  if (target.engine != "lut_gemv")
    throw InputError(target.source, target.line_of("engine"), "engine",
                     "'" + target.engine + "': the periphery scaling is for lut_gemv designs");
  ArchConfig r;
  static_cast<DesignFields&>(r) = ref.design;
  r.name = "reference";
  r.source = ref_source;
  const LutGemvParams rp = lut_gemv_params(r), tp = lut_gemv_params(target);
  for (const auto& [key, rv, tv] :
       {std::tuple{"table", lut_name(rp.arith.table), lut_name(tp.arith.table)},
        std::tuple{"form", lut_name(rp.arith.form), lut_name(tp.arith.form)}})
    if (std::string(rv) != tv)
      throw InputError(ref_source, 0, std::string("design.engine_keys.") + key,
                       fmt::format("the reference has {} {}, {} has {} {}: the scaling holds "
                                   "within one {} only",
                                   key, rv, target.source, key, tv, key));
  // the register bits of a design the generator covers; its refusal "key: problem" as
  // one line at `source`, line `line_of(key)`, key `prefix` + key
  auto bits = [](const ArchConfig& a, const std::string& source, const std::string& prefix,
                 const std::string& note) {
    try {
      return lut_gemv_register_bits(a);
    } catch (const std::invalid_argument& e) {
      const std::string why = e.what(), key = why.substr(0, why.find(':'));
      throw InputError(source, a.line_of(key), prefix + key, why.substr(why.find(':') + 2) + note);
    }
  };
  const LutGemvRegisterBits tb = bits(target, target.source, "",
                                      " (the periphery scaling counts the generated RTL's "
                                      "registers)"),
                            rb = bits(r, ref_source, "design.", "");
  const double whole = double(tb.total()) / double(rb.total()),
               unit = double(tb.unit) / double(rb.unit);
  EnergyCalibration c = ref;
  c.design = target;
  c.pj_per_cycle = ref.pj_per_cycle * whole;
  c.pj_per_row_read = ref.pj_per_row_read * unit;
  c.pj_per_row_write = ref.pj_per_row_write * unit;
  c.pj_per_output = ref.pj_per_output * unit;
  c.fitted_on.insert(
      c.fitted_on.begin(),
      fmt::format("scaled from {} ({} register bits, {} per array unit) to {} register bits ({} "
                  "per array unit, {} units): per cycle x {:.3f}, per row read, row written "
                  "and drained word x {:.3f} (reports/lut_scaling.h); the reference's runs:",
                  design_key(ref.design), rb.total(), rb.unit, tb.total(), tb.unit, tb.arrays,
                  whole, unit));
  return c;
}

} // namespace tpe
