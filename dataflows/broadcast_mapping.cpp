// Mapping a GEMM onto the broadcast engines, whose operands reach every PE of a
// row or column in the cycle they are read (no systolic skew).
//
// Grid (cube: R x C x depth; matrix2d: R x C, depth 1): each cycle one west word
// (the R x depth tile of A: lane i*depth + p = A[mt*R + i][g*depth + p]) and one
// north word (the depth x C tile of B: lane j*depth + p = B[g*depth + p][nt*C + j])
// feed R x C dot products of length depth, accumulated in place over the
// G = ceil(K / depth) groups of a fold (mt, nt), mt outer. At the fold's last group
// the accumulators are copied into a drain buffer that writes one row per cycle
// (row d of fold f to output word f*R + d) while the next fold computes, so folds
// start every P = max(G, R) cycles.
//   west word mt*G + g, north word nt*G + g, out word (mt*NT + nt)*R + d.
//   cycles = (folds - 1) * P + G + R + 2 (read at 1 + f*P + g, accumulate the next
//   cycle, rows written from the cycle after).
//
// Tree (adder_tree: C trees of width depth): fold f = (nt, kt), kt inner, holds
// the depth x C tile of B as stationary weights (one north word: lane j*depth + p
// = B[kt*depth + p][nt*C + j], loaded with the fold's first row); the M rows of
// A's K-tile stream through it, one activation vector per cycle (west word
// kt*M + m, lane p = A[m][kt*depth + p]). Each tree's dot product is registered,
// then added to the partial sum read back from the output SRAM (every K-tile
// after the first) and written to output word nt*M + m.
//   cycles = folds * M + 4 (row read at 1 + f*M + m: operand registers, tree
//   register, partial-sum read, write three cycles after the read).
//   Block-scaled operands (block % depth == 0, docs/formats-engines.md): a block is
//   block / depth consecutive K-tiles; in its last K-tile, row m's west scale word
//   b*M + m (one lane) is read with the row and the north scale word nt*KB + b
//   (C lanes) with the weights; an output word also holds each tree's exact
//   block partial between the K-tiles of a block.
#include "core/error.h"
#include "dataflows/systolic_mapping.h"
#include <algorithm>

namespace tpe {

namespace {
int64_t ceil_div(int64_t a, int64_t b) {
  return a / b + (a % b != 0 ? 1 : 0);
}
const char* const kWhat = "mapping";
} // namespace

SystolicMapping map_broadcast(const ArchConfig& arch, const Layer& l) {
  SystolicMapping m;
  m.M = l.M;
  m.N = l.N;
  m.K = l.K;
  m.Mp = l.M;
  m.Np = l.N;
  m.C = arch.cols;
  m.group = arch.depth;
  m.multipliers = arch.multipliers();
  m.NT = ceil_div(m.Np, m.C);
  if (arch.engine == "cube" || arch.engine == "matrix2d") {
    m.kind = EngineKind::Grid;
    m.df = Dataflow::OS;
    m.output_stationary = true;
    m.R = arch.rows;
    m.MT = ceil_div(m.Mp, m.R);
    m.G = m.KT = ceil_div(m.K, m.group);
    m.folds = mul_int64(m.MT, m.NT, kWhat);
    m.period = std::max<int64_t>(m.G, m.R);
    m.w_words = mul_int64(m.MT, m.G, kWhat);
    m.n_words = mul_int64(m.NT, m.G, kWhat);
    m.o_words = mul_int64(m.folds, m.R, kWhat);
    set_block_layout(m, arch);
    return m;
  }
  if (arch.engine == "adder_tree") {
    m.kind = EngineKind::Tree;
    m.df = Dataflow::WS;
    m.output_stationary = false;
    m.R = 1;
    m.MT = m.Mp;
    m.G = m.KT = ceil_div(m.K, m.group);
    m.folds = mul_int64(m.NT, m.KT, kWhat);
    m.period = m.Mp;
    m.w_words = mul_int64(m.KT, m.Mp, kWhat);
    m.n_words = m.folds;
    m.o_words = mul_int64(m.NT, m.Mp, kWhat);
    set_block_layout(m, arch);
    return m;
  }
  throw InputError("engine", 0, "", "engine '" + arch.engine + "' has no mapping");
}

} // namespace tpe
