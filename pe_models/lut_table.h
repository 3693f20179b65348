// Bit-exact arithmetic of the lut_gemv engine (LUT-based GEMV on SRAM PIM): table
// build for one group of g elements (direct formula and the hardware's Gray-code
// walk), bit-plane indexes of the index operand, the row read (half-table mirror of
// the signed form), the per-plane shift-accumulate, the sum correction, and a whole
// GEMM computed through tables. Source of every formula: ../shared/LUT_PIM.md
// section 5.1 (arithmetic of both orientations), 5.3 item 2 (Gray-code build), 2.1
// (T-MAC's signed tables and offset-binary planes, checked by the tests) and 5.7
// (checks). Contract and add order: docs/lut-gemv.md.
//
// Symbols (LUT_PIM 5.1): V = table operand (its values fill the tables), U = index
// operand (bit-serial, its planes form the indexes); n_v, n_u their widths; g the
// group; j a group (elements jg .. jg+g-1), b a plane (0 = LSB).
//   table: weight     -> V = weights (B columns), U = activations (A rows)
//   table: activation -> V = activations (A rows), U = weights (B columns)
//   idx_{j,b} = sum_{t<g} bit_b(code(U[jg+t])) 2^t, code = two's complement (twos,
//               c_b = 2^b, c_{n_u-1} = -2^(n_u-1)) or U + 2^(n_u-1) (offset, c_b = 2^b;
//               in hardware the two's-complement code with its MSB inverted)
//   subset: T[i] = sum_{t: bit_t(i)} V_t; rows i = 1 .. 2^g-1 at row i-1 (T[0] = 0
//           is not stored);
//   signed: T[i] = sum_t (2 bit_t(i) - 1) V_t; odd i stored at row i >> 1
//           (2^(g-1) rows); even i read as -T[~i], row (i >> 1) ^ (2^(g-1) - 1);
//   A = sum_j sum_b c_b T_j[idx_{j,b}];  Y = A (subset, twos),
//   Y = A - 2^(n_u-1) sum V (subset, offset), Y = (A - sum V) / 2 (signed).
// Errors: std::invalid_argument with a one-line message naming the LUT_PIM 5.5 key.
#pragma once
#include "core/tensor.h"
#include <cstdint>
#include <string>
#include <vector>

namespace tpe {

enum class LutTable { Weight, Activation }; // which operand fills the tables
enum class LutForm { Subset, Signed };      // subset sums / signed (+-1) sums
enum class LutIndexCode { Twos, Offset };   // planes of U / of U + 2^(n_u-1)

const char* lut_name(LutTable t);     // "weight" | "activation"
const char* lut_name(LutForm f);      // "subset" | "signed"
const char* lut_name(LutIndexCode c); // "twos" | "offset"
// The inverse of lut_name; an unknown name throws std::invalid_argument listing the choices.
LutTable lut_table_from(const std::string& s);
LutForm lut_form_from(const std::string& s);
LutIndexCode lut_index_code_from(const std::string& s);

// The configuration of the arithmetic (LUT_PIM 5.5 keys table, form, group, index_code,
// format, entry_bits, acc_bits). Widths in bits.
struct LutConfig {
  LutTable table = LutTable::Weight;
  LutForm form = LutForm::Subset;
  LutIndexCode index_code = LutIndexCode::Twos;
  int group = 4;       // g, 1..8
  int weight_bits = 4; // 1..8 (two's complement)
  int act_bits = 8;    // 1..16 (two's complement)
  int entry_bits = 0;  // 0 = auto (the minimum, min_entry_bits); else min..64
  int acc_bits = 32;   // 2..64 (subset), 2..63 (signed: A is acc_bits + 1 wide); wraps
};

// One step of the table build: the row written on that step.
struct LutBuildStep {
  int row = 0;        // stored row address written on this step
  unsigned index = 0; // its table index i
  int elem = -1;      // element t added or subtracted; -1: the signed form's start step
  int sign = 0;       // +1: +V_t (subset) / +2 V_t (signed); -1: minus; 0 on the start step
};

// One table read for an index.
struct LutRead {
  bool zero = false;   // subset index 0: T[0] = 0 is not stored, no row is read
  int row = 0;         // stored row address (when !zero)
  bool negate = false; // signed form, even index: the entry enters negated (T[i] = -T[~i])
};

// The validated arithmetic. Every value argument is a signed integer; operand pointers
// give the n <= g elements of one group, the missing g - n elements (the zero padding
// of K to a multiple of g) are V = 0 and index bits 0, which leaves Y unchanged.
class LutArith {
public:
  explicit LutArith(const LutConfig& c); // throws std::invalid_argument
  const LutConfig& config() const { return c_; }

  int group() const { return c_.group; }
  int v_bits() const { return v_bits_; } // table operand width n_v
  int u_bits() const { return u_bits_; } // index operand width n_u = planes per element
  int entry_bits() const { return e_; }  // width of a stored entry
  int acc_bits() const { return c_.acc_bits; }
  int a_bits() const { return a_bits_; } // the A and sum V registers: acc_bits (+1 signed)
  int rows() const { return rows_; }     // stored rows per table R_g: 2^g - 1 | 2^(g-1)
  int64_t table_bits() const { return int64_t(rows_) * e_; } // storage of one table
  bool needs_sum() const; // the correction uses sum V (signed, or subset with offset)
  // The narrowest entry holding every table value: n_v + ceil(log2 g) for both forms
  // (extremes: -g 2^(n_v-1) and g 2^(n_v-1) - 1; docs/lut-gemv.md "Entry width").
  static int min_entry_bits(int v_bits, int g);

  // ---- table build (one group) ----
  // T[i] for any index i < 2^g (the definition, also for indexes that are not stored).
  int64_t entry(unsigned index, const int64_t* v, int n) const;
  // The stored rows, row r at [r], from the definition.
  std::vector<int64_t> build_direct(const int64_t* v, int n) const;
  // The hardware's build order (depends on g and form only): subset k = 1 .. 2^g - 1,
  // i_k = k ^ (k >> 1), +-V_t of the bit t that changed; signed: start T[1] = V_0 -
  // sum_{t>=1} V_t, then k = 1 .. 2^(g-1) - 1 over bits 1..g-1, i_k = ((k ^ (k >> 1))
  // << 1) | 1, +-2 V_t. One row written per step, every row once.
  const std::vector<LutBuildStep>& gray_schedule() const { return walk_; }
  // The builder register before the first add: signed T[1] = V_0 - sum_{t>=1} V_t (the
  // start step's row); subset 0 = T[0] (not stored; its first step adds V_0).
  int64_t gray_start(const int64_t* v, int n) const;
  // The value written by step s >= 1 from the previous step's value, on the entry_bits
  // adder (wraps to entry_bits; never does when entry_bits >= min_entry_bits).
  int64_t gray_step(const LutBuildStep& s, int64_t prev, const int64_t* v, int n) const;
  // The stored rows built by the walk (gray_start, then gray_step in schedule order).
  std::vector<int64_t> build_gray(const int64_t* v, int n) const;
  // sum V of one group (what the builder accumulates beside the table).
  int64_t group_sum(const int64_t* v, int n) const;

  // ---- indexes ----
  // U's plane code (u_bits wide, unsigned): two's complement, or offset = U + 2^(n_u-1).
  uint64_t plane_code(int64_t u) const;
  // idx_{j,b} of the group u[0..n): bit t = bit b of plane_code(u[t]); t >= n: 0.
  unsigned index(const int64_t* u, int n, int b) const;
  // Sign of c_b (|c_b| = 2^b): -1 for the MSB plane of twos, else +1.
  int plane_sign(int b) const;

  // ---- lookup and accumulate ----
  LutRead read(unsigned index) const;
  // The signed value T[index] read from a stored table (rows() entries): 0, +row, -row.
  int64_t lookup(const std::vector<int64_t>& table, unsigned index) const;
  // A + c_b * value (value = lookup()), i.e. A +- (value << b), wrapped to a_bits.
  int64_t accumulate(int64_t acc, int64_t value, int b) const;
  // The sum V register: s + x, wrapped to a_bits.
  int64_t add_sum(int64_t s, int64_t x) const;
  // The correction of one pass (a_bits A and sum V -> acc_bits Y): subset twos: A;
  // subset offset: A - (sum V << (n_u-1)); signed: (A - sum V) >> 1 (arithmetic; A - sum V
  // is even, std::logic_error if not).
  int64_t finish(int64_t A, int64_t sum_v) const;
  // The output buffer: y + partial of another pass, wrapped to acc_bits.
  int64_t add_partial(int64_t y, int64_t partial) const;

  // One output through tables, in the engine's add order (docs/lut-gemv.md): V and U
  // of length K (U[k] pairs with V[k]); groups in passes of pass_groups (0 = one pass).
  // plane_sums, when given, receives the exact (unwrapped) P_b = sum_j T_j[idx_{j,b}]
  // over all groups, b < u_bits.
  int64_t dot(const int64_t* v, const int64_t* u, int64_t K, int64_t pass_groups = 0,
              std::vector<int64_t>* plane_sums = nullptr) const;

private:
  LutConfig c_;
  int v_bits_ = 0, u_bits_ = 0, e_ = 0, a_bits_ = 0, rows_ = 0;
  std::vector<LutBuildStep> walk_;
};

// C = A x B through tables, exactly as the engine computes it: A is M x K (activations of
// M tokens, act_bits), B is K x N (weights, weight_bits); C[m][n] in acc_bits, equal to
// golden_gemm(A, B, acc_bits). Tables are built once per (table owner, group) and shared
// by every row/column of the other operand. pass_groups as in LutArith::dot. Operands
// outside their width, or A.cols != B.rows, throw std::invalid_argument.
ResultMatrix lut_gemm(const OperandMatrix& A, const OperandMatrix& B, const LutArith& arith,
                      int64_t pass_groups = 0);

} // namespace tpe
