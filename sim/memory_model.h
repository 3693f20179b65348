// The analytic memory model of `memory.model: dram` (docs/memory-model.md). A layer's
// GEMM C[M,N] = A[M,K] x B[K,N] runs as tiles of Mt x Kt (A, in the ifmap buffer),
// Kt x Nt (B, filter buffer) and Mt x Nt (C, ofmap buffer, held over the K loop and
// written to DRAM once). The tile sizes and the loop order (n outer or m outer, k
// innermost) are searched: the sizes are the array's own granule along each axis
// times powers of two (or the whole axis), every tile must fit its buffer (half of
// it when double buffered), and the choice moves the fewest DRAM bytes (ties: fewer
// (m, n, k) tiles, then the first found: smaller Mt, Kt, Nt, n outer). An operand tile is loaded
// once per reuse: B's K x Nt panel stays for every m of its n when Kt = K (n outer), A's Mt x K
// panel for every n of its m (m outer), a whole operand that is one tile stays for the layer. A
// convolution's A tile is the input window its output pixels read (real tensor
// bytes), not its im2col copy.
//
// Time: the engine's own cycles on ideal memory (the stepped or closed-form result,
// RTL-true) are shared among the (m, n, k) tiles, the steps, in proportion to their
// MACs. A step loads its A and B tiles unless resident (DRAM latency plus the bytes at
// the DRAM bandwidth, whole bursts per tile); the last k step of an (m, n) pair also
// leaves its C tile to write (whole bursts, no latency: posted). Double buffered,
// step s computes while step s+1 loads and step s-1's C drains: time = the first
// load + sum over s of max(compute s, load s+1 + write s-1) + max(compute last, write
// of the one before) + the last write; single buffered, loads, compute and writes
// follow one another. Runs of identical steps and of identical rows of tiles are
// summed in closed form (the first three run, the rest repeat the third), so the pass
// costs O(1) per GEMM and O(M tiles) per convolution. The stall is time minus
// compute; a step's stall is charged to DRAM latency up to the latency, the rest to
// the operands in proportion to their bytes in that step; the four causes are
// rounded by largest remainder to add up to the stall. DRAM bytes are whole bursts.
// Units: cycles of the engine clock (clock_mhz), bytes, pJ.
#pragma once
#include "core/arch_config.h"
#include "core/count.h"
#include "core/workload.h"
#include <string>

namespace tpe {

// The DRAM of `memory.dram` in the engine's clock: a preset's GB/s over clock_mhz,
// its latency rounded up to whole cycles, or the custom keys.
struct DramTiming {
  std::string name; // the preset, or "custom"
  double bytes_per_cycle = 0;
  int64_t latency_cycles = 0;
  int64_t burst_bytes = 0;
  double pj_per_bit = 0;
};
DramTiming dram_timing(const ArchConfig& a);

// Bits one element of `format` occupies in DRAM: its code, plus its block's 8-bit
// scale spread over the block (OCP MX, NVFP4). Throws InputError for an unknown format.
double dram_element_bits(const std::string& format);

struct MemoryStats {
  bool modeled = false;     // memory.model dram ran on this layer
  Count compute_cycles = 0; // the engine's cycles on ideal memory
  Count stall_cycles = 0;   // cycles the engine waits for DRAM
  // the stall by cause: each operand's transfer bandwidth, and DRAM latency
  Count stall_ifmap = 0, stall_filter = 0, stall_ofmap = 0, stall_latency = 0;
  // DRAM bytes: A read, B read, C written
  Count dram_ifmap_bytes = 0, dram_filter_bytes = 0, dram_ofmap_bytes = 0;
  int64_t tile_m = 0, tile_n = 0, tile_k = 0; // Mt, Nt, Kt
  std::string order;                          // "n,m,k" or "m,n,k" (outermost first)
  Count tiles = 0;                            // (m, n, k) tiles, the steps
  // the bytes of the largest tile each buffer holds (twice that when double
  // buffered) over its capacity
  double ifmap_occupancy = 0, filter_occupancy = 0, ofmap_occupancy = 0;
};

// The memory model on one layer whose engine takes `compute_cycles` on ideal
// memory. Throws InputError (the architecture file, key memory.*_sram_kb) when not
// even the smallest tile fits a buffer. `closed_form` false visits every step one by
// one (tests compare the two; O(tiles)).
MemoryStats memory_model(const ArchConfig& a, const Layer& l, Count compute_cycles,
                         bool closed_form = true);

// The most output-pixel tiles of the array's granule a convolution may have: the pass
// walks them one by one (their input windows differ); a larger layer is one error.
constexpr int64_t kMaxConvMTiles = int64_t(1) << 24;

} // namespace tpe
