// The analytic memory model (sim/memory_model.h, docs/memory-model.md): a search
// over tile sizes and two loop orders for the fewest DRAM bytes, then one pass over
// the (m, n) tile pairs in loop order that overlaps each pair's compute with the
// next pair's loads and the previous pair's C write (double buffered) or runs them
// one after another (single buffered).
#include "sim/memory_model.h"
#include "core/dram_preset.h"
#include "core/error.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/number_format.h"
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace tpe {

DramTiming dram_timing(const ArchConfig& a) {
  const MemoryConfig& m = a.memory;
  DramTiming t;
  t.name = m.dram;
  if (m.dram == "custom") {
    t.bytes_per_cycle = m.dram_bytes_per_cycle;
    t.latency_cycles = int64_t(std::ceil(m.dram_latency_ns * a.clock_mhz / 1000 - 1e-9));
    t.burst_bytes = m.dram_burst_bytes;
    t.pj_per_bit = m.dram_pj_per_bit;
    return t;
  }
  const DramPreset* p = DramPresetRegistry::instance().find(m.dram);
  if (!p) throw std::logic_error("dram_timing: unknown DRAM preset '" + m.dram + "'");
  t.bytes_per_cycle = p->gb_per_s * 1000 / a.clock_mhz; // 1e9 B/s over 1e6 cycles/s
  t.latency_cycles = int64_t(std::ceil(p->latency_ns * a.clock_mhz / 1000 - 1e-9));
  t.burst_bytes = p->burst_bytes;
  t.pj_per_bit = p->pj_per_bit;
  return t;
}

namespace {

// Bits per element of an operand format, its block scale spread over the block.
double element_bits(const std::string& format) {
  const NumberFormat& f = lookup_number_format(format);
  return f.bits + (f.is_block() ? 8.0 / f.block.size : 0.0);
}

// Tile sizes along an axis of length d with granule g: g, 2g, 4g, ... below d, and d.
std::vector<int64_t> candidates(int64_t d, int64_t g) {
  std::vector<int64_t> v;
  for (int64_t t = std::max<int64_t>(g, 1); t < d; t *= 2)
    v.push_back(t);
  v.push_back(d);
  return v;
}

int64_t ceil_div64(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// A's elements (GEMM) or input-window elements (convolution) that the output pixels
// [p0, p1) of a convolution read: one filter-height band of the input when the
// pixels share an output row, else the input rows from the first row's band to the
// last's, every column (no padding: tpe's convolutions are valid ones).
double a_tile_elements(const Layer& l, int64_t p0, int64_t p1) {
  if (!l.is_conv) return double(p1 - p0) * double(l.K);
  const ConvShape& c = l.conv;
  const int64_t ew = c.ofmap_w(), oy0 = p0 / ew, oy1 = (p1 - 1) / ew;
  double e;
  if (oy0 == oy1) {
    const int64_t ox0 = p0 % ew, ox1 = (p1 - 1) % ew;
    e = double(c.filt_h) * double(std::min(c.ifmap_w, (ox1 - ox0) * c.stride_w + c.filt_w)) *
        double(c.channels);
  } else {
    const int64_t rows = std::min(c.ifmap_h, (oy1 - oy0) * c.stride + c.filt_h);
    e = double(rows) * double(c.ifmap_w) * double(c.channels);
  }
  return std::min(e, double(p1 - p0) * double(l.K)); // never more than the im2col copy
}

struct Plan {
  int64_t Mt = 0, Nt = 0, Kt = 0;
  bool m_outer = false;
  double bytes = 0;  // DRAM bytes, A + B + C
  double tiles = 0;  // (m, n, k) tiles
  double a_tile = 0; // bytes of the largest tile of each buffer
  double b_tile = 0, c_tile = 0;
};

} // namespace

MemoryStats memory_model(const ArchConfig& a, const Layer& l, Count compute_cycles) {
  const DramTiming d = dram_timing(a);
  const SystolicMapping map = a.engine == "systolic" ? map_systolic(a, l) : map_broadcast(a, l);
  int64_t gm = 1, gn = 1, gk = 1;
  tile_granules(map, gm, gn, gk);
  const double ab = element_bits(a.act()) / 8, bb = element_bits(a.weight()) / 8,
               cb = double(a.acc_bits) / 8; // bytes per element of A, B, C
  const double div = a.memory.double_buffer ? 2 : 1;
  const double cap_a = double(a.memory.ifmap_sram_kb) * 1024 / div,
               cap_b = double(a.memory.filter_sram_kb) * 1024 / div,
               cap_c = double(a.memory.ofmap_sram_kb) * 1024 / div;
  const int64_t M = l.M, N = l.N, K = l.K;
  // A bytes of one pass over every m tile of size Mt (the K split does not change
  // them: a K slice reads its share of each window), and the largest A tile
  const auto a_pass = [&](int64_t Mt, int64_t Kt, double& largest) {
    double sum = 0;
    largest = 0;
    for (int64_t p0 = 0; p0 < M; p0 += Mt) {
      const double e = a_tile_elements(l, p0, std::min(M, p0 + Mt));
      sum += e;
      largest = std::max(largest, e * double(Kt) / double(K));
    }
    return sum * ab;
  };
  Plan best;
  bool found = false;
  for (int64_t Mt : candidates(M, gm)) {
    double a_whole = 0; // the largest A tile over the whole K
    const double a_full = a_pass(Mt, K, a_whole);
    for (int64_t Kt : candidates(K, gk)) {
      const double a_largest = a_whole * double(Kt) / double(K);
      if (a_largest * ab > cap_a) continue;
      for (int64_t Nt : candidates(N, gn)) {
        const double b_tile = double(Kt) * double(Nt) * bb, c_tile = double(Mt) * double(Nt) * cb;
        if (b_tile > cap_b || c_tile > cap_c) continue;
        const double nM = double(ceil_div64(M, Mt)), nN = double(ceil_div64(N, Nt)),
                     nK = double(ceil_div64(K, Kt));
        const double b_full = double(K) * double(N) * bb, c_full = double(M) * double(N) * cb;
        for (bool m_outer : {false, true}) {
          // n outer: B's panel stays over the m loop when Kt = K; A reloads per n unless
          // it is one tile. m outer: the other way round.
          const double a_loads = m_outer ? (Kt == K ? 1 : nN) : (nM == 1 && nK == 1 ? 1 : nN);
          const double b_loads = m_outer ? (nN == 1 && nK == 1 ? 1 : nM) : (Kt == K ? 1 : nM);
          Plan p;
          p.Mt = Mt;
          p.Nt = Nt;
          p.Kt = Kt;
          p.m_outer = m_outer;
          p.bytes = a_full * a_loads + b_full * b_loads + c_full;
          p.tiles = nM * nN * nK;
          p.a_tile = a_largest * ab;
          p.b_tile = b_tile;
          p.c_tile = c_tile;
          const bool better =
              !found || p.bytes < best.bytes || (p.bytes == best.bytes && p.tiles < best.tiles);
          if (better) best = p;
          found = true;
        }
      }
    }
  }
  if (!found) {
    // the buffer whose smallest tile does not fit (A's smallest: its largest window
    // over gm pixels and gk of K)
    double a_small = 0;
    a_pass(std::min<int64_t>(gm, M), K, a_small);
    const double a_min = a_small * ab * double(std::min<int64_t>(gk, K)) / double(K),
                 b_min = double(std::min<int64_t>(gk, K)) * double(std::min<int64_t>(gn, N)) * bb;
    const char* key = a_min > cap_a   ? "memory.ifmap_sram_kb"
                      : b_min > cap_b ? "memory.filter_sram_kb"
                                      : "memory.ofmap_sram_kb";
    throw InputError(a.source, a.key_lines.count(key) ? a.key_lines.at(key) : 0, key,
                     "layer '" + l.name + "': no tile of the layer fits the buffers" +
                         (a.memory.double_buffer ? " (half of each when double buffered)" : "") +
                         "; give the buffer more KiB");
  }
  // the pass over the (m, n) pairs in loop order
  const int64_t nM = ceil_div64(M, best.Mt), nN = ceil_div64(N, best.Nt),
                nK = ceil_div64(K, best.Kt);
  const double macs = double(M) * double(N) * double(K), comp_total = count_double(compute_cycles);
  const double bw = d.bytes_per_cycle, lat = double(d.latency_cycles),
               burst = double(d.burst_bytes);
  const auto bursts = [&](double bytes) { return std::ceil(bytes / burst - 1e-9) * burst; };
  struct Step {
    double compute = 0, a = 0, b = 0, c = 0; // compute cycles; bytes loaded (A, B), written (C)
  };
  MemoryStats s;
  s.modeled = true;
  s.compute_cycles = compute_cycles;
  double time = 0, st_lat = 0, st_a = 0, st_b = 0, st_c = 0, bytes_a = 0, bytes_b = 0, bytes_c = 0;
  // a step's load time (latency once, when it loads anything) and write time
  const auto load_time = [&](const Step& x) {
    return x.a + x.b > 0 ? lat + (bursts(x.a) + bursts(x.b)) / bw : 0.0;
  };
  const auto write_time = [&](const Step& x) { return x.c > 0 ? bursts(x.c) / bw : 0.0; };
  // charge a stall of `t` cycles whose transfer moved (la, lb) loaded and wc written bytes
  const auto charge = [&](double t, double la, double lb, double wc, bool latency) {
    if (t <= 0) return;
    const double l0 = latency ? std::min(t, lat) : 0.0, rest = t - l0,
                 tot = bursts(la) + bursts(lb) + bursts(wc);
    st_lat += l0;
    if (tot > 0) {
      st_a += rest * bursts(la) / tot;
      st_b += rest * bursts(lb) / tot;
      st_c += rest * bursts(wc) / tot;
    }
  };
  Step prev, drain; // the pair computing, and the C of the pair before it, draining
  bool have_prev = false;
  const auto step_of = [&](int64_t i, int64_t j, bool first_m, bool first_n) {
    const int64_t m0 = i * best.Mt, m1 = std::min(M, m0 + best.Mt);
    const int64_t n0 = j * best.Nt, n1 = std::min(N, n0 + best.Nt);
    Step x;
    x.compute = comp_total * double(m1 - m0) * double(n1 - n0) * double(K) / macs;
    const bool a_resident =
        best.m_outer ? (best.Kt == K && !first_n) : (nM == 1 && nK == 1 && !first_n);
    const bool b_resident =
        best.m_outer ? (nN == 1 && nK == 1 && !first_m) : (best.Kt == K && !first_m);
    if (!a_resident) x.a = a_tile_elements(l, m0, m1) * ab;
    if (!b_resident) x.b = double(K) * double(n1 - n0) * bb;
    x.c = double(m1 - m0) * double(n1 - n0) * cb;
    return x;
  };
  const bool dbuf = a.memory.double_buffer;
  int64_t pairs = 0;
  const auto visit = [&](const Step& x) {
    bytes_a += x.a;
    bytes_b += x.b;
    bytes_c += x.c;
    ++pairs;
    if (!dbuf) { // load, compute, write, one after another
      time += load_time(x) + x.compute + write_time(x);
      charge(load_time(x), x.a, x.b, 0, true);
      charge(write_time(x), 0, 0, x.c, false);
      return;
    }
    if (!have_prev) { // the first load is exposed
      time += load_time(x);
      charge(load_time(x), x.a, x.b, 0, true);
      prev = x;
      have_prev = true;
      return;
    }
    // prev computes while x loads and the pair before prev drains
    const double tx = load_time(x) + write_time(drain), step = std::max(prev.compute, tx);
    time += step;
    charge(step - prev.compute, x.a, x.b, drain.c, load_time(x) > 0);
    drain = Step{};
    drain.c = prev.c; // prev's C drains during the next step
    prev = x;
  };
  if (best.m_outer) {
    for (int64_t i = 0; i < nM; ++i)
      for (int64_t j = 0; j < nN; ++j)
        visit(step_of(i, j, i == 0, j == 0));
  } else {
    for (int64_t j = 0; j < nN; ++j)
      for (int64_t i = 0; i < nM; ++i)
        visit(step_of(i, j, i == 0, j == 0));
  }
  if (dbuf && have_prev) { // the last pair computes while the one before drains, then drains
    const double tx = write_time(drain), step = std::max(prev.compute, tx);
    time += step + write_time(prev);
    charge(step - prev.compute, 0, 0, drain.c, false);
    charge(write_time(prev), 0, 0, prev.c, false);
  }
  const Count total = std::max<Count>(compute_cycles, Count(std::ceil(time - 1e-6)));
  s.stall_cycles = total - compute_cycles;
  // the causes, rounded so that they add up to the stall exactly
  const double st_sum = st_lat + st_a + st_b + st_c;
  const auto part = [&](double x) {
    return st_sum > 0 ? Count(std::floor(count_double(s.stall_cycles) * x / st_sum)) : Count(0);
  };
  s.stall_latency = part(st_lat);
  s.stall_ifmap = part(st_a);
  s.stall_filter = part(st_b);
  s.stall_ofmap = s.stall_cycles - s.stall_latency - s.stall_ifmap - s.stall_filter;
  s.dram_ifmap_bytes = Count(std::ceil(bytes_a - 1e-6));
  s.dram_filter_bytes = Count(std::ceil(bytes_b - 1e-6));
  s.dram_ofmap_bytes = Count(std::ceil(bytes_c - 1e-6));
  s.tile_m = best.Mt;
  s.tile_n = best.Nt;
  s.tile_k = best.Kt;
  s.order = best.m_outer ? "m,n,k" : "n,m,k";
  s.tile_pairs = pairs;
  s.ifmap_occupancy = best.a_tile * div / (double(a.memory.ifmap_sram_kb) * 1024);
  s.filter_occupancy = best.b_tile * div / (double(a.memory.filter_sram_kb) * 1024);
  s.ofmap_occupancy = best.c_tile * div / (double(a.memory.ofmap_sram_kb) * 1024);
  return s;
}

} // namespace tpe
