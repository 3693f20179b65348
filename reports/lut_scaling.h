// A lut_gemv periphery calibration carried to a larger design of the same orientation
// and form (`tpe calibrate --scale-from`, `tpe lut --periphery`): the designs of the
// decode figures (16 arrays of 256 x 256) are too large for the synthesis flow, so
// their periphery's energy is estimated from a design the flow does synthesize and
// calibrate (reports/lut_power.cpp) by the register bits of the generated RTL
// (rtl_gen/lut_gemv_verilog.h lut_gemv_register_bits), a component-scaling estimate in
// the manner of Accelergy and NeuroSim:
//   pj_per_cycle      x (P units x unit bits + controller bits) / the reference's
//                       (every register and its next-state logic is clocked each cycle)
//   pj_per_row_read, pj_per_row_write, pj_per_output_word
//                     x unit bits / the reference's unit bits
//                       (each event happens in one array unit, whose lanes, builder and
//                        drain grow with it)
// Validation (docs/lut-gemv.md "Periphery at scale"): the estimate against the gate-level
// calibration of designs the flow can run; tests/test_lut_scaling.cpp.
#pragma once
#include "core/arch_config.h"
#include "reports/energy_model.h"
#include <string>

namespace tpe {

// `ref` (a lut_gemv calibration read from `ref_source`) scaled to `target`. The result's
// design is `target`'s and its fitted_on starts with the scaling ("scaled from DESIGN
// (R register bits) to T register bits, ..."), followed by the reference's runs.
// Throws InputError "ref_source: design.KEY: problem" when the reference is not a
// lut_gemv design of the target's table and form, and "target.source:LINE: key: problem"
// when the target is not a lut_gemv design the Verilog generator covers.
EnergyCalibration scale_lut_calibration(const EnergyCalibration& ref, const ArchConfig& target,
                                        const std::string& ref_source);

} // namespace tpe
