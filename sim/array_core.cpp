// Which array model runs a design: the grid or tree core for the broadcast
// engines, the sparse core for sparsity-encoded PEs (variable latency), the
// systolic core for every other PE. A non-int accumulator gives the core a PeArith
// (pe_models/pe_arith.h); integer designs keep the cores' inline integer path.
// The tree core gets the bus widths of the RTL's FP tree register (for its probe).
#include "sim/array_core.h"
#include "rtl_gen/fp_pe_verilog.h"
#include "sim/broadcast_core.h"
#include "sim/sparse_core.h"
#include "sim/systolic_core.h"

namespace tpe {

std::unique_ptr<ArrayCore> make_array_core(const ArchConfig& arch, const SystolicMapping& m) {
  // non-int accumulators: one arithmetic object for every arithmetic site
  const std::shared_ptr<const PeArith> ar =
      arch.accumulate == "int" ? nullptr : std::make_shared<const PeArith>(arch);
  if (m.kind == EngineKind::Grid)
    return std::make_unique<GridCore>(arch.rows, arch.cols, arch.depth, arch.west_bits(),
                                      arch.north_bits(), arch.acc_bits, ar);
  if (m.kind == EngineKind::Tree)
    return std::make_unique<TreeCore>(
        arch.cols, arch.depth, arch.west_bits(), arch.north_bits(), arch.acc_bits, ar,
        ar ? dot_bus_widths(fp_pe_arith(arch), arch.depth) : UnpackedWidths{});
  if (m.data_dependent)
    return std::make_unique<SparseCore>(arch.rows, arch.cols, arch.operand_bits(), arch.acc_bits,
                                        serial_info(arch.pe, arch.operand_bits()));
  return std::make_unique<SystolicCore>(arch.rows, arch.cols, arch.west_bits(), arch.north_bits(),
                                        arch.acc_bits, m.output_stationary, ar, arch.pe == "opt1");
}

double pe_mac_rate(const SystolicCounters& c, int pes) {
  if (c.pe_busy_cycles < 0) return 1.0;
  return c.pe_busy_cycles ? double(c.pe_macs) / (double(pes) * double(c.pe_busy_cycles)) : 0.0;
}

} // namespace tpe
