// OPT1, compressed accumulation (the bit-weight paper, HPCA 2025): the accumulator is a
// carry-save pair updated by one CSA tree per cycle from the radix-4 Booth
// partial products (pe_models/int_multipliers.h opt1_step, emitted by
// rtl_gen/pe_verilog.cpp opt1_step_module). In every systolic dataflow the pairs
// travel down the columns and one carry-propagate add per column happens at the
// array's south edge, so results and cycle counts equal the baseline's.
#include "pe_models/pe.h"

namespace tpe {
namespace {
Registrar<PeInfo> reg("opt1", {"opt1",
                               "OPT1 compressed accumulation: Booth partial products and the "
                               "carry-save accumulator pair through one CSA tree per cycle; "
                               "one carry-propagate add per column at the south edge",
                               {"int4", "int8", "int16"},
                               {"os", "ws", "is"},
                               true});
} // namespace
} // namespace tpe
