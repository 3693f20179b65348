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

double dram_element_bits(const std::string& format) {
  const NumberFormat& f = lookup_number_format(format);
  return f.bits + (f.is_block() ? 8.0 / f.block.size : 0.0);
}

namespace {

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

// One step of the pass: a (m, n, k) tile's compute cycles, the bytes it loads (A, B:
// whole bursts) and, on a pair's last k tile, the C bytes it leaves to write.
struct Step {
  double compute = 0, a = 0, b = 0, c = 0;
};

// The pass's sums, added over steps (and multiplied for repeated blocks of steps).
struct Acc {
  double time = 0, lat = 0, sa = 0, sb = 0, sc = 0, ba = 0, bb = 0, bc = 0, steps = 0;
  Acc operator-(const Acc& o) const {
    return {time - o.time, lat - o.lat, sa - o.sa, sb - o.sb,      sc - o.sc,
            ba - o.ba,     bb - o.bb,   bc - o.bc, steps - o.steps};
  }
  void add(const Acc& d, double times) {
    time += d.time * times;
    lat += d.lat * times;
    sa += d.sa * times;
    sb += d.sb * times;
    sc += d.sc * times;
    ba += d.ba * times;
    bb += d.bb * times;
    bc += d.bc * times;
    steps += d.steps * times;
  }
};

// Largest-remainder rounding of non-negative parts to integers that add up to total.
std::vector<Count> apportion(Count total, const std::vector<double>& parts) {
  double sum = 0;
  for (double x : parts)
    sum += x;
  std::vector<Count> out(parts.size(), 0);
  if (total <= 0 || sum <= 0) return out;
  std::vector<std::pair<double, size_t>> rem;
  Count given = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const double share = count_double(total) * parts[i] / sum;
    out[i] = Count(std::floor(share));
    given += out[i];
    rem.emplace_back(share - std::floor(share), i);
  }
  std::sort(rem.begin(), rem.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  for (size_t k = 0; given < total; k = (k + 1) % rem.size(), ++given)
    ++out[rem[k].second];
  // beyond 2^53 the shares are rounded: take any excess from the largest part
  while (given > total) {
    --*std::max_element(out.begin(), out.end());
    --given;
  }
  return out;
}

// A block of identical units repeated `count` times: the pass's state is the step
// computing and the C of the step before it, so from the third run on each run
// starts where the one before started (a one-step block leaves the C of the step
// before the block draining through its second run). The first three run; the
// others add the third's sums.
template <typename F> void repeat(int64_t count, bool closed_form, Acc& acc, F run_once) {
  if (!closed_form) {
    for (int64_t r = 0; r < count; ++r)
      run_once();
    return;
  }
  for (int64_t r = 0; r < std::min<int64_t>(count, 3); ++r) {
    const Acc before = acc;
    run_once();
    if (r == 2 && count > 3) acc.add(acc - before, double(count - 3));
  }
}

} // namespace

MemoryStats memory_model(const ArchConfig& a, const Layer& l, Count compute_cycles,
                         bool closed_form) {
  const DramTiming d = dram_timing(a);
  const SystolicMapping map = a.engine == "systolic" ? map_systolic(a, l) : map_broadcast(a, l);
  int64_t gm = 1, gn = 1, gk = 1;
  tile_granules(map, gm, gn, gk);
  const double ab = dram_element_bits(a.act()) / 8, bb = dram_element_bits(a.weight()) / 8,
               cb = double(a.acc_bits) / 8; // bytes per element of A, B, C
  const double div = a.memory.double_buffer ? 2 : 1;
  const double cap_a = double(a.memory.ifmap_sram_kb) * 1024 / div,
               cap_b = double(a.memory.filter_sram_kb) * 1024 / div,
               cap_c = double(a.memory.ofmap_sram_kb) * 1024 / div;
  const int64_t M = l.M, N = l.N, K = l.K;
  // A elements of one pass over every m tile of size Mt over the whole K, and the
  // largest tile's (a GEMM in closed form; a convolution's windows tile by tile)
  const auto a_pass = [&](int64_t Mt, double& largest) {
    if (!l.is_conv) {
      largest = double(std::min(Mt, M)) * double(K);
      return double(M) * double(K);
    }
    double sum = 0;
    largest = 0;
    for (int64_t p0 = 0; p0 < M; p0 += Mt) {
      const double e = a_tile_elements(l, p0, std::min(M, p0 + Mt));
      sum += e;
      largest = std::max(largest, e);
    }
    return sum;
  };
  const auto line_of = [&](const std::string& key) { // a defaulted buffer: memory.model's line
    return a.line_of(key) ? a.line_of(key) : a.line_of("memory.model");
  };
  if (l.is_conv && ceil_div64(M, gm) > kMaxConvMTiles)
    throw InputError(a.source, line_of("memory.model"), "memory.model",
                     "layer '" + l.name + "': the memory model walks a convolution's " +
                         std::to_string(ceil_div64(M, gm)) + " output-pixel tiles, more than " +
                         std::to_string(kMaxConvMTiles));
  Plan best;
  bool found = false;
  for (int64_t Mt : candidates(M, gm)) {
    double a_whole = 0; // elements of the largest A tile over the whole K
    const double a_full = a_pass(Mt, a_whole) * ab;
    for (int64_t Kt : candidates(K, gk)) {
      const double a_largest = a_whole * ab * double(Kt) / double(K);
      if (a_largest > cap_a) continue;
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
          p.a_tile = a_largest;
          p.b_tile = b_tile;
          p.c_tile = c_tile;
          // fewer bytes (beyond rounding of the sums), then fewer tiles
          const double tol = 1e-9 * std::max(p.bytes, best.bytes);
          const bool better = !found || p.bytes < best.bytes - tol ||
                              (p.bytes <= best.bytes + tol && p.tiles < best.tiles);
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
    a_pass(std::min<int64_t>(gm, M), a_small);
    const double a_min = a_small * ab * double(std::min<int64_t>(gk, K)) / double(K),
                 b_min = double(std::min<int64_t>(gk, K)) * double(std::min<int64_t>(gn, N)) * bb;
    const char* key = a_min > cap_a   ? "memory.ifmap_sram_kb"
                      : b_min > cap_b ? "memory.filter_sram_kb"
                                      : "memory.ofmap_sram_kb";
    throw InputError(a.source, line_of(key), key,
                     "layer '" + l.name + "': no tile of the layer fits the buffers" +
                         (a.memory.double_buffer ? " (half of each when double buffered)" : "") +
                         "; give the buffer more KiB");
  }
  // the pass over the (m, n, k) tiles in loop order, repeated blocks in closed form
  const int64_t nM = ceil_div64(M, best.Mt), nN = ceil_div64(N, best.Nt),
                nK = ceil_div64(K, best.Kt);
  const double macs = double(M) * double(N) * double(K), comp_total = count_double(compute_cycles);
  const double bw = d.bytes_per_cycle, lat = double(d.latency_cycles),
               burst = double(d.burst_bytes);
  const auto bursts = [&](double bytes) { return std::ceil(bytes / burst - 1e-9) * burst; };
  const bool dbuf = a.memory.double_buffer;
  Acc acc;
  Step prev, drain; // the step computing, and the C of the step before it, draining
  bool have_prev = false;
  const auto load_time = [&](const Step& x) {
    return x.a + x.b > 0 ? lat + (x.a + x.b) / bw : 0.0;
  };
  const auto write_time = [&](const Step& x) { return x.c / bw; };
  // charge a stall of `t` cycles to latency (up to it, when the step loads) and to the
  // operands by their bytes in the step's transfer
  const auto charge = [&](double t, double la, double lb, double wc, bool latency) {
    if (t <= 0) return;
    const double l0 = latency ? std::min(t, lat) : 0.0, rest = t - l0, tot = la + lb + wc;
    acc.lat += l0;
    if (tot > 0) {
      acc.sa += rest * la / tot;
      acc.sb += rest * lb / tot;
      acc.sc += rest * wc / tot;
    }
  };
  const auto visit = [&](const Step& x) {
    acc.ba += x.a;
    acc.bb += x.b;
    acc.bc += x.c;
    acc.steps += 1;
    if (!dbuf) { // load, compute, write, one after another
      acc.time += load_time(x) + x.compute + write_time(x);
      charge(load_time(x), x.a, x.b, 0, true);
      charge(write_time(x), 0, 0, x.c, false);
      return;
    }
    if (!have_prev) { // the first load is exposed
      acc.time += load_time(x);
      charge(load_time(x), x.a, x.b, 0, true);
      prev = x;
      have_prev = true;
      return;
    }
    // prev computes while x loads and the step before prev drains its C
    const double tx = load_time(x) + write_time(drain), step = std::max(prev.compute, tx);
    acc.time += step;
    charge(step - prev.compute, x.a, x.b, drain.c, load_time(x) > 0);
    drain = Step{};
    drain.c = prev.c;
    prev = x;
  };
  // the k steps of the pair (m tile i, n tile j): A and B tiles unless resident, C on
  // the last k tile
  const auto pair = [&](int64_t i, int64_t j) {
    const int64_t m0 = i * best.Mt, m1 = std::min(M, m0 + best.Mt);
    const int64_t n0 = j * best.Nt, n1 = std::min(N, n0 + best.Nt);
    const bool first_m = i == 0, first_n = j == 0;
    const bool a_res = best.m_outer ? (best.Kt == K && !first_n) : (nM == 1 && nK == 1 && !first_n);
    const bool b_res = best.m_outer ? (nN == 1 && nK == 1 && !first_m) : (best.Kt == K && !first_m);
    const double window = a_tile_elements(l, m0, m1); // over the whole K
    const auto step = [&](int64_t kt, bool last) {
      Step x;
      x.compute = comp_total * double(m1 - m0) * double(n1 - n0) * double(kt) / macs;
      if (!a_res) x.a = bursts(window * double(kt) / double(K) * ab);
      if (!b_res) x.b = bursts(double(kt) * double(n1 - n0) * bb);
      if (last) x.c = bursts(double(m1 - m0) * double(n1 - n0) * cb);
      return x;
    };
    const int64_t k_last = K - (nK - 1) * best.Kt;
    repeat(nK - 1, closed_form, acc, [&] { visit(step(best.Kt, false)); });
    visit(step(k_last, true));
  };
  // a loop over `count` tiles where only the first and the last differ from the rest
  // (edges), unless every tile differs (a convolution's m tiles: its windows)
  const auto loop = [&](int64_t count, bool each_differs, const auto& body) {
    if (each_differs) {
      for (int64_t t = 0; t < count; ++t)
        body(t);
      return;
    }
    body(0);
    if (count > 2)
      repeat(count - 2, closed_form, acc, [&, t = int64_t(1)]() mutable { body(t++); });
    if (count > 1) body(count - 1);
  };
  if (best.m_outer)
    loop(nM, l.is_conv, [&](int64_t i) { loop(nN, false, [&](int64_t j) { pair(i, j); }); });
  else
    loop(nN, false, [&](int64_t j) { loop(nM, l.is_conv, [&](int64_t i) { pair(i, j); }); });
  if (dbuf && have_prev) { // the last step computes while the one before drains, then drains
    const double step = std::max(prev.compute, write_time(drain));
    acc.time += step + write_time(prev);
    charge(step - prev.compute, 0, 0, drain.c, false);
    charge(write_time(prev), 0, 0, prev.c, false);
  }
  MemoryStats s;
  s.modeled = true;
  s.compute_cycles = compute_cycles;
  const Count total = std::max<Count>(compute_cycles, Count(std::ceil(acc.time - 1e-6)));
  s.stall_cycles = total - compute_cycles;
  const std::vector<Count> parts = apportion(s.stall_cycles, {acc.sa, acc.sb, acc.sc, acc.lat});
  s.stall_ifmap = parts[0];
  s.stall_filter = parts[1];
  s.stall_ofmap = parts[2];
  s.stall_latency = parts[3];
  s.dram_ifmap_bytes = Count(std::floor(acc.ba + 0.5));
  s.dram_filter_bytes = Count(std::floor(acc.bb + 0.5));
  s.dram_ofmap_bytes = Count(std::floor(acc.bc + 0.5));
  s.tile_m = best.Mt;
  s.tile_n = best.Nt;
  s.tile_k = best.Kt;
  s.order = best.m_outer ? "m,n,k" : "n,m,k";
  s.tiles = Count(std::floor(acc.steps + 0.5));
  s.ifmap_occupancy = best.a_tile * div / (double(a.memory.ifmap_sram_kb) * 1024);
  s.filter_occupancy = best.b_tile * div / (double(a.memory.filter_sram_kb) * 1024);
  s.ofmap_occupancy = best.c_tile * div / (double(a.memory.ofmap_sram_kb) * 1024);
  return s;
}

} // namespace tpe
