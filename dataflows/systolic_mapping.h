// Mapping a GEMM onto the R x C systolic array: which operand enters at which
// edge, how the operand SRAMs are laid out (the stimulus both the SystemC model
// and the Verilated RTL read), the configuration words the controller receives,
// and the exact cycle count of the generated hardware (closed form).
//
// Port view: the array computes O = Wop x Nop with Wop (Mp x K) entering at the
// west edge (R-element words) and Nop (K x Np) at the north edge (C-element words).
//   os, ws: Wop = A,   Nop = B,   O = C    (Mp = M, Np = N)
//   is:     Wop = B^T, Nop = A^T, O = C^T  (Mp = N, Np = M)
// os streams both operands for a full K per fold; ws/is preload a K-tile x N-tile
// of Nop into the array (stationary) and stream all Mp rows of Wop through it,
// accumulating K-tiles in the output SRAM.
// Sparsity-encoded PEs (os only) read K in groups: a west word holds `group`
// consecutive K elements of each of the R rows (lane i*group + p), a north word
// the same K elements of each of the C columns; every fold makes `passes` passes
// (one per EN-T bit weight) over its ceil(K / group) group words, and its cycle
// count depends on the operand values (sim/sparse_core.h).
#pragma once
#include "core/arch_config.h"
#include "core/count.h"
#include "core/tensor.h"
#include "core/workload.h"
#include <cstdint>
#include <vector>

namespace tpe {

enum class Dataflow { OS, WS, IS };
Dataflow parse_dataflow(const std::string& s);

// The hardware a mapping drives: the systolic array, the broadcast grid of dot
// products with outputs kept in place (engines cube and matrix2d, the latter with
// depth 1), or the adder trees with stationary weights (engine adder_tree). The
// last two are mapped in dataflows/broadcast_mapping.cpp.
enum class EngineKind { Systolic, Grid, Tree };

struct SystolicMapping {
  EngineKind kind = EngineKind::Systolic;
  Dataflow df = Dataflow::OS;
  bool output_stationary = true; // os controller; ws and is share the ws controller
  int R = 1, C = 1;
  int64_t M = 0, N = 0, K = 0;                   // the layer's GEMM
  int64_t Mp = 0, Np = 0;                        // port view (swapped for is)
  int64_t MT = 0, NT = 0, KT = 0;                // tiles: ceil(Mp/R), ceil(Np/C), ceil(K/R)
  int64_t folds = 0;                             // os: MT*NT, ws/is: NT*KT
  int64_t period = 0;                            // cycles between fold starts
  int64_t w_words = 0, n_words = 0, o_words = 0; // SRAM image sizes in words
  int group = 1;                                 // K elements per operand lane of an SRAM word
  int passes = 1;              // passes over K per fold (bit weights of sparse PEs)
  int group_cycles_max = 1;    // most cycles a group can take in one pass
  int64_t G = 0;               // K groups per fold: ceil(K / group)
  bool data_dependent = false; // the cycle count depends on the operand values
  int64_t multipliers = 0;     // multipliers of the engine (MACs per working cycle)
  // Block-scaled operands (docs/formats-engines.md "Block-scaled operands"): `block`
  // elements along K share a scale (0: no blocks); the west / north operand has a
  // scale SRAM (an operand without blocks takes scale 1 and has none) whose lanes are
  // `scale_bits` wide; an operand value is (scale code << W) | element code, W its
  // element code width (Ww west, Wn north). On
  // systolic ws/is (ws_scales()) the scale SRAMs have the element SRAMs' layout
  // (one scale per element lane, read with the element word) and `period` is at least
  // ws_block_period(R, C), so that a K-tile's partial sums are written back before
  // the next K-tile reads them in at the top.
  int block = 0, scale_bits = 0, Ww = 0, Wn = 0;
  bool west_scaled = false, north_scaled = false;
  int64_t KB = 0;                     // blocks along K: ceil(K / block)
  int64_t ws_words = 0, ns_words = 0; // scale SRAM image sizes in words (R, C lanes)
  // block-scaled operands on the ws/is controller
  bool ws_scales() const { return block > 0 && kind == EngineKind::Systolic && !output_stationary; }

  // The counts below are exact (core/count.h): the fields above are each below
  // 2^63 for every layer within the workload limits (dimensions below 2^31, so a
  // padded dimension is below 2^32, and a product of two of them below 2^64 /
  // 2), and products of them are formed in 128 bits with checked arithmetic.

  // Closed-form cycle count, from the start pulse to the last output write
  // inclusive (std::logic_error when data_dependent).
  Count cycles() const;
  // cycles() or, when data_dependent, an upper bound for every operand value.
  Count cycle_bound() const;
  // The three cfg words of the controller (harness stimulus order).
  std::vector<int64_t> cfg_words() const;
  // SRAM word traffic of one run (words; W words hold R elements, N and O words C,
  // times `group`).
  Count w_reads() const;
  Count n_reads() const;
  Count o_reads() const;
  Count o_writes() const;
  // scale SRAM words read (block-scaled operands: one word per block and fold; the
  // trees: NT x KB x Mp west words, NT x KB north words)
  Count ws_reads() const;
  Count ns_reads() const;
  // MACs the multipliers perform in one run, padding included (fixed latency)
  Count pe_macs() const;
  // Elements of the SRAM images make_images() and the Values-mode model allocate:
  // west + north operand images and the output image (int32 operands, int64
  // accumulators).
  Count image_elements() const;
};

// The mapping of `layer` onto the engine of `arch` (every engine kind). The layer
// must be within the workload limits (core/workload.h); CountOverflow otherwise.
SystolicMapping map_systolic(const ArchConfig& arch, const Layer& layer);
// The broadcast engines (cube, matrix2d, adder_tree; dataflows/broadcast_mapping.cpp).
SystolicMapping map_broadcast(const ArchConfig& arch, const Layer& layer);
// The smallest GEMM tile the mapping fills without padding of its own, along M, N
// and K: the rows a fold holds (R in os and on the grid, C of A^T in is, 1 where M
// streams), the columns (C, or 1 where N streams in is) and the K a fold covers (R
// in ws/is, the K group of the grid and the trees). The memory model's tiles are
// multiples of it (sim/memory_model.h).
void tile_granules(const SystolicMapping& m, int64_t& gm, int64_t& gn, int64_t& gk);
// The block fields above (block, W, scale SRAMs, KB) of a systolic, grid or tree mapping
// whose act or weight format is block-scaled; nothing otherwise.
void set_block_layout(SystolicMapping& m, const ArchConfig& arch);
// The shortest ws/is fold period with block-scaled operands: R + C + 3 cycles, from
// a row's west read to its partial sums' write (R + C + 2) plus one, so that the
// next K-tile's read of the same output word at the top sees the write.
int64_t ws_block_period(int R, int C);

// SRAM images in port view: word-major, each word R (west) or C (north/out)
// elements, times `group` for the operand SRAMs.
struct SramImages {
  std::vector<int32_t> west;  // w_words * R * group
  std::vector<int32_t> north; // n_words * C * group
  // block-scaled operands (os, grid): west scale word mt*KB + b holds the scale code
  // of Wop[mt*R + i][b*block..], north word nt*KB + b that of Nop[b*block..][nt*C + j];
  // the trees: west word b*Mp + m that of Wop[m][b*block..];
  // ws/is: the element images' layout, each lane the scale code of its element's
  // block (block start b*block, b = k / block; 0 past K) with the block-end bit of its k
  // above it (bit scale_bits: k % block == block - 1 or k == K - 1, never past K)
  std::vector<int32_t> west_scale;  // ws_words * R
  std::vector<int32_t> north_scale; // ns_words * C
};

SramImages make_images(const SystolicMapping& m, const OperandMatrix& A, const OperandMatrix& B);
// Read C (M x N) out of the output SRAM image (o_words * C accumulators).
ResultMatrix extract_result(const SystolicMapping& m, const std::vector<int64_t>& out_image);
// Which GEMM element (row, col of C) an output-SRAM element holds; false for padding.
bool output_element(const SystolicMapping& m, int64_t word, int col, int64_t& row_out,
                    int64_t& col_out);

} // namespace tpe
