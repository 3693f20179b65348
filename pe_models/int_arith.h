// Bit-exact two's-complement integer arithmetic shared by every integer PE model
// and by the golden GEMM: operands are signed `bits`-wide integers, the product is
// exact, and the accumulator wraps modulo 2^acc_bits (interpreted as signed).
#pragma once
#include <cstdint>

namespace tpe {

// Sign-extend the low `bits` bits of v (1 <= bits <= 64).
inline int64_t wrap_signed(uint64_t v, int bits) {
  if (bits >= 64) return static_cast<int64_t>(v);
  const int sh = 64 - bits;
  return static_cast<int64_t>(v << sh) >> sh;
}

// acc + a*b, wrapped to acc_bits (two's complement, modulo 2^acc_bits).
inline int64_t mac_wrap(int64_t acc, int64_t a, int64_t b, int acc_bits) {
  return wrap_signed(static_cast<uint64_t>(acc) + static_cast<uint64_t>(a * b), acc_bits);
}

// a + b, wrapped to acc_bits.
inline int64_t add_wrap(int64_t a, int64_t b, int acc_bits) {
  return wrap_signed(static_cast<uint64_t>(a) + static_cast<uint64_t>(b), acc_bits);
}

inline int64_t int_min(int bits) {
  return -(int64_t(1) << (bits - 1));
}
inline int64_t int_max(int bits) {
  return (int64_t(1) << (bits - 1)) - 1;
}

} // namespace tpe
