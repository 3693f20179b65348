// Serial PEs: the sparsity-encoded opt3/opt4c (the bit-weight paper, HPCA 2025, OPT3 /
// OPT4C) and the bitserial/pragmatic PEs (terms: pe_models/sparse_encoder.h),
// output stationary only: a PE keeps its output and walks K in groups, so the nonzero digits of a
// group can be issued one per cycle. In weight or input stationary arrays one K
// element meets each PE once per output and partial sums move on every cycle, so
// there is no local group to compress and a variable latency would stall the
// whole pipeline. `opt3` gives every PE its own sparse encoder; `opt4c` shares one
// encoder per row (the PEs of a row share the west operand). Both run the rows in
// lockstep: a group ends when every row has issued its digits.
#include "pe_models/int_multipliers.h"
#include "pe_models/pe.h"
#include "pe_models/sparse_encoder.h"

namespace tpe {

int ent_digit_at(int64_t a, int bw, int W) {
  const EntCode e = ent_encode(a, W);
  const int d = bw < static_cast<int>(e.digits.size()) ? e.digits[static_cast<size_t>(bw)] : 0;
  return e.negative ? -d : d;
}

SerialInfo serial_info(const std::string& pe, int W) {
  if (pe == "bitserial") return {SerialScheme::Bits, W, 1};
  if (pe == "pragmatic") return {SerialScheme::Oneffsets, 1, 0};
  return {SerialScheme::EntDigits, W / 2, 2};
}

int serial_terms(int64_t a, int W, SerialScheme s) {
  switch (s) {
  case SerialScheme::EntDigits:
    return ent_nonzero_digits(a, W);
  case SerialScheme::Bits:
    return __builtin_popcountll(static_cast<uint64_t>(a) & low_mask(W));
  case SerialScheme::Oneffsets:
    return __builtin_popcountll(static_cast<uint64_t>(a < 0 ? -a : a));
  }
  return 0;
}

GroupDigits group_digits(const int32_t* a, int n, int bw, int W) {
  GroupDigits g;
  g.value.resize(static_cast<size_t>(n));
  for (int p = 0; p < n; ++p) {
    g.value[static_cast<size_t>(p)] = ent_digit_at(a[p], bw, W);
    if (g.value[static_cast<size_t>(p)] != 0) g.mask |= 1u << p;
  }
  return g;
}

namespace {
// Peak rate of a serial PE: a group of kSparseGroup MACs in one cycle per pass at
// best (every lane with at most one term per pass: zeros take one cycle per pass).
// opt3/opt4c: W/2 passes (1 MAC per cycle at INT8); bitserial: W passes (0.5);
// pragmatic: one pass (4 MACs per cycle).
template <int Pe> double serial_peak(int bits) {
  static const char* names[] = {"opt3", "opt4c", "bitserial", "pragmatic"};
  return double(kSparseGroup) / double(serial_info(names[Pe], bits).passes);
}
const std::vector<std::string> kInts = {"int4", "int8", "int16"};
Registrar<PeInfo> reg_opt3("opt3",
                           {"opt3",
                            "OPT3 sparsity-encoded PE: per bit weight, one cycle per nonzero EN-T "
                            "digit of each group of 4 west operands (+-b or +-2b into a "
                            "carry-save pair); its own sparse encoder in every PE; variable "
                            "latency",
                            kInts,
                            {"os"},
                            true,
                            false,
                            kSparseGroup,
                            serial_peak<0>});
Registrar<PeInfo> reg_opt4c("opt4c", {"opt4c",
                                      "OPT4C: the OPT3 PE with one sparse encoder per row shared "
                                      "by the row's PEs; variable latency",
                                      kInts,
                                      {"os"},
                                      true,
                                      false,
                                      kSparseGroup,
                                      serial_peak<1>});
Registrar<PeInfo> reg_bitserial("bitserial",
                                {"bitserial",
                                 "Stripes-style bit-serial PE: W passes, one per bit of the west "
                                 "operands from the MSB down; each cycle the bits of a group of 4 "
                                 "gate their b values into a carry-save pair (fixed latency, "
                                 "W cycles per group)",
                                 kInts,
                                 {"os"},
                                 true,
                                 false,
                                 kSparseGroup,
                                 serial_peak<2>});
Registrar<PeInfo> reg_pragmatic("pragmatic",
                                {"pragmatic",
                                 "Bit-Pragmatic-style PE: each of 4 lanes adds b shifted by the "
                                 "position of its operand's next nonzero magnitude bit, one per "
                                 "cycle; a group takes as many cycles as its busiest lane",
                                 kInts,
                                 {"os"},
                                 true,
                                 false,
                                 kSparseGroup,
                                 serial_peak<3>});
} // namespace
} // namespace tpe
