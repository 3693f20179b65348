// Dense row-major matrices and the seeded random operand streams. Every random
// stimulus in tpe comes from a Rng constructed with a seed that is printed, so
// any run can be replayed with --seed.
#pragma once
#include <cstdint>
#include <random>
#include <vector>

namespace tpe {

template <typename T> struct Matrix {
  int64_t rows = 0, cols = 0;
  std::vector<T> data;
  Matrix() = default;
  Matrix(int64_t r, int64_t c, T v = T()) : rows(r), cols(c), data(static_cast<size_t>(r * c), v) {}
  T& at(int64_t r, int64_t c) { return data[static_cast<size_t>(r * cols + c)]; }
  const T& at(int64_t r, int64_t c) const { return data[static_cast<size_t>(r * cols + c)]; }
};

using OperandMatrix = Matrix<int32_t>; // operands of up to 16 bits
using ResultMatrix = Matrix<int64_t>;  // accumulators of up to 64 bits

class Rng {
public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  int64_t uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(gen_);
  }
  std::mt19937_64& engine() { return gen_; }

private:
  std::mt19937_64 gen_;
};

// A fresh seed from the OS (for runs where the user gave none; it is printed).
uint64_t fresh_seed();

} // namespace tpe
