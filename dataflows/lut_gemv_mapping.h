// The lut_gemv engine's parameters (the LUT_PIM.md 5.5 keys of the architecture
// file), its tiling of a GEMM over the PIM arrays and the closed-form cycle count of
// its schedule (docs/lut-gemv.md "Schedule"), data-dependent savings included.
// Sources: ../shared/LUT_PIM.md 5.2 (hardware), 5.3 (weight orientation), 5.4
// (activation orientation); the deviations from them are listed in docs/lut-gemv.md
// "Closed form". The stepped model (sim/lut_gemv_core.h) counts the same cycles.
//
// GEMM terms: A (M x K) holds the activations of M tokens, B (K x N) the weights of N
// outputs; C = A x B (M x N). G = ceil(K / g) groups.
//   table: weight     -> a tile is (output block of E lanes, group block of S slots);
//                        its tables are built once and read by every token block of
//                        `batch` tokens.
//   table: activation -> a tile is (token block of tokens_per_pass tokens, group block
//                        of `rows` groups); its tables are built once and read by every
//                        output block of `lanes` outputs.
// Tiles go to arrays round-robin (tile t -> array t mod P, round t / P); the arrays of
// a round run in lockstep, each phase lasting as long as its slowest array.
#pragma once
#include "core/arch_config.h"
#include "core/count.h"
#include "core/tensor.h"
#include "pe_models/lut_table.h"
#include <cstdint>
#include <string>
#include <vector>

namespace tpe {

// The engine keys (LUT_PIM 5.5; defaults and ranges: sim/lut_gemv_engine.cpp, README).
struct LutGemvParams {
  LutConfig arith;            // table, form, index_code, group, formats, entry_bits, acc_bits
  int arrays = 16;            // P
  int rows = 256, cols = 256; // bits of one array: rows x cols
  bool dual_port = true;      // ports: 1rw1r (true) or 1rw
  int read_latency = 1;       // cycles from the registered address to the usable data
  int batch = 16;             // weight: tokens in flight (accumulators per lane)
  int tokens_per_pass = 2;    // activation: M_t tokens whose tables share a row
  int lanes = 64;             // activation: N_l outputs reading each table
  bool skip_zero_index = false;
  bool batch_shared_lookup = false;
  int builder_entries_per_cycle = 8; // activation: table entries the builder forms per cycle
  int build_init_cycles = 1;         // signed form, weight: cycles of the start entry T[1]
  int stream_bits = 256;             // weight: V bits loaded per cycle per array
  int out_bits = 256;                // output port bits per cycle per array
};

// The parameters of a lut_gemv design (engine keys, formats, acc_bits). Throws
// std::invalid_argument("key: problem") for an inconsistent design (the parser's
// check hook prefixes FILE:LINE).
LutGemvParams lut_gemv_params(const ArchConfig& a);

// The derived geometry: lanes per array row, slots and tile counts for one GEMM.
struct LutGemvGeometry {
  bool weight = true;    // table: weight
  int e = 0;             // entry bits
  int R = 0;             // stored rows of one table (R_g)
  int planes = 0;        // planes of the index operand (n_u)
  int64_t lanesE = 0;    // weight: E = floor(cols / e) outputs per array; activation: N_l
  int64_t slots = 0;     // weight: S = floor(rows / R) groups per tile; activation: rows
  int64_t tok_block = 0; // weight: batch; activation: tokens_per_pass
  int64_t G = 0;         // groups of K
  // tile grid: weight: O = ceil(N/E) x J = ceil(G/S), token blocks ceil(M/batch);
  // activation: T = ceil(M/M_t) x J = ceil(G/rows), output blocks ceil(N/N_l)
  int64_t tiles_a = 0, tiles_b = 0, inner_blocks = 0;
  int64_t tiles() const { return tiles_a * tiles_b; }
  // the arrays a GEMM keeps busy (lockstep, tile t on array t mod P): min(tiles, P)
  int64_t arrays_used(int64_t arrays) const { return tiles() < arrays ? tiles() : arrays; }
  int64_t rounds = 0; // ceil(tiles / P)
};
LutGemvGeometry lut_gemv_geometry(const LutGemvParams& p, const LutArith& arith, int64_t M,
                                  int64_t K, int64_t N);

// The ranges of tile t (t / tiles_b, t % tiles_b): outer (weight: outputs [o0, o0+no);
// activation: tokens [o0, o0+no)) and groups [j0, j0+nj).
struct LutGemvTile {
  int64_t o0 = 0, no = 0; // outputs (weight) or tokens (activation)
  int64_t j0 = 0, nj = 0; // groups
};
LutGemvTile lut_gemv_tile(const LutGemvGeometry& g, int64_t M, int64_t N, int64_t t);

// Cycles of the build phase of one array (weight orientation: loads of ceil(g E_o n_v /
// stream_bits) cycles, double-buffered, and the Gray walk of each slot), for nj slots
// of no lanes: Ld + Bd + (nj - 1) max(Ld, Bd).
int64_t lut_weight_build_cycles(const LutGemvParams& p, const LutArith& arith, int64_t no,
                                int64_t nj);
// Lookup issue cycles of one array for a tile's groups [j0, j0+nj) and tokens
// [m0, m0+nm) of A (weight orientation): per group, plane and token one issue, or per
// group and plane one issue per distinct index of the tokens (share:
// batch_shared_lookup); minus the issues of index 0 (skip: skip_zero_index, subset
// form). A subset index 0 that is not skipped costs its cycle but reads no row (T[0]
// = 0 is not stored); rows_read, when given, is incremented by the row reads.
int64_t lut_weight_reads(const LutGemvParams& p, const LutArith& arith, const OperandMatrix& A,
                         int64_t m0, int64_t nm, int64_t j0, int64_t nj, bool skip, bool share,
                         int64_t* rows_read = nullptr);
// Activation orientation: the cycles from the tile's start to the last accumulate of
// its first output block (build of nj rows of nm tables, overlapped with the reads on a
// 1rw1r array), and of each later output block (nj w + read_latency).
int64_t lut_act_first_block_cycles(const LutGemvParams& p, const LutArith& arith, int64_t nm,
                                   int64_t nj);
int64_t lut_act_build_row_cycles(const LutGemvParams& p, const LutArith& arith, int64_t nm);
// Output port cycles for `words` accumulators of acc_bits.
int64_t lut_drain_cycles(const LutGemvParams& p, int64_t words);

// The closed form of a whole GEMM and its parts (all in cycles). A is needed for the
// data-dependent terms of the weight orientation (skip/share), B is not.
struct LutGemvCycles {
  Count total = 0;
  Count build = 0, lookup = 0, flush = 0, drain = 0; // phase sums (lockstep maxima)
  Count issues = 0;       // lookup issue cycles (weight) / row reads (activation), all arrays
  Count reads = 0;        // SRAM row reads of the lookups, over all arrays
  Count reads_plain = 0;  // issues without skip_zero_index and batch_shared_lookup
  Count plain_total = 0;  // total cycles with neither saving
  Count skip_total = 0;   // total with skip_zero_index only (subset weight; else plain)
  Count share_total = 0;  // total with batch_shared_lookup only (weight; else plain)
  Count table_writes = 0; // rows written, over all arrays
  int64_t rounds = 0;
};
LutGemvCycles lut_gemv_cycles(const LutGemvParams& p, const OperandMatrix& A, int64_t N);

// The values the stepped model holds at once (tables of the arrays of a round and
// their accumulators): weight min(tiles, P) (S' R E' + B' E'), activation
// min(tiles, P) (rows' M_t' R + M_t' N_l'), primes capped by the GEMM (S' = min(S, G),
// E' = min(E, N), B' = min(batch, M), ...). The runner and tpe gemm refuse a stepped run
// above their element limits.
Count lut_gemv_model_elements(const LutGemvParams& p, const LutGemvGeometry& g, int64_t M,
                              int64_t N);

// Peak MACs per cycle: weight P E g / n_u (one group of g MACs per lane per plane;
// times `batch` with batch_shared_lookup, whose lanes add one read into up to `batch`
// accumulators), activation P M_t N_l g / n_u.
double lut_gemv_peak_macs(const LutGemvParams& p);
// "16 arrays 256x256 weight subset g4" for reports.
std::string lut_gemv_shape(const LutGemvParams& p);

} // namespace tpe
