// The baseline PE: a behavioural signed multiply followed by a carry-propagate
// accumulate that wraps modulo 2^acc_bits (pe_models/int_arith.h mac_wrap).
#include "pe_models/pe.h"

namespace tpe {
namespace {
Registrar<PeInfo> reg("mac", {"mac",
                              "behavioural multiply + carry-propagate accumulate (baseline)",
                              {"int4", "int8", "int16"},
                              {"os", "ws", "is"}});
} // namespace
} // namespace tpe
