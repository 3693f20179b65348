// PEs that keep the baseline's carry-propagate accumulate but build the multiply
// from an explicit structure (pe_models/int_multipliers.h, emitted by
// rtl_gen/pe_verilog.cpp). Their products are exact, so the array's results and
// cycle counts equal the baseline's; L0 tests prove every INT4/INT8 pair.
#include "pe_models/pe.h"

namespace tpe {
namespace {
const std::vector<std::string> kInts = {"int4", "int8", "int16"};
const std::vector<std::string> kAll = {"os", "ws", "is"};

Registrar<PeInfo> reg_array("array", {"array",
                                      "carry-save array multiplier (W rows added in series) + "
                                      "carry-propagate accumulate",
                                      kInts, kAll});
Registrar<PeInfo> reg_booth("booth", {"booth",
                                      "radix-4 Booth partial products, Wallace tree, "
                                      "carry-propagate accumulate",
                                      kInts, kAll});
Registrar<PeInfo> reg_ent("ent", {"ent",
                                  "EN-T encoded west operand (one encoder per row at the array "
                                  "edge), digit-selected partial products, Wallace tree, "
                                  "carry-propagate accumulate",
                                  kInts, kAll, false, true});
} // namespace
} // namespace tpe
