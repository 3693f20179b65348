// Systolic mapping. Layouts (port view, zero padding to whole tiles):
//   os: west word  mt*K + k        holds Wop[mt*R + i][k],        i < R
//       north word nt*K + k        holds Nop[k][nt*C + j],        j < C
//       out word   f*R + d         holds O[mt*R + R-1-d][nt*C + j], f = mt*NT + nt
//   ws/is: west word  kt*Mp + m    holds Wop[m][kt*R + i]
//          north word f*R + d      holds Nop[kt*R + R-1-d][nt*C + j], f = nt*KT + kt
//          out word   nt*Mp + m    holds O[m][nt*C + j]
//       block-scaled operands: os: west scale word mt*KB + b, north scale word
//       nt*KB + b hold the scale codes of block b (KB = ceil(K / block)), one per
//       lane (the adder trees: west scale word b*Mp + m, one lane); ws/is: the scale
//       words mirror the element words (lane: the scale of its element's block and,
//       one bit above, its element's block end)
//   sparse os (group g of K): west word  mt*G + g  lane i*group + p holds
//                                          Wop[mt*R + i][g*group + p]
//                             north word nt*G + g  lane j*group + p holds
//                                          Nop[g*group + p][nt*C + j]
//                             out words as os
//   cube, matrix2d, adder_tree: dataflows/broadcast_mapping.cpp
// Every address sequence the controller needs is then a counter that only
// increments or reloads a saved value (no adders in the address path).
// Timing (derived in README "Timing model"): os folds start every K + R - 1 cycles,
// ws/is folds every max(Mp, 2R - 1, 3); the first fold of ws/is waits R cycles
// for its preload.
#include "dataflows/systolic_mapping.h"
#include "core/error.h"
#include "pe_models/number_format.h"
#include "pe_models/pe.h"
#include "pe_models/sparse_encoder.h"
#include <algorithm>
#include <stdexcept>

namespace tpe {

Dataflow parse_dataflow(const std::string& s) {
  if (s == "os") return Dataflow::OS;
  if (s == "ws") return Dataflow::WS;
  if (s == "is") return Dataflow::IS;
  throw InputError("dataflow", 0, "", "unknown dataflow '" + s + "'");
}

namespace {
int64_t ceil_div(int64_t a, int64_t b) {
  return a / b + (a % b != 0 ? 1 : 0);
}
const char* const kWhat = "mapping";
} // namespace

SystolicMapping map_systolic(const ArchConfig& arch, const Layer& l) {
  const PeInfo* pe = PeRegistry::instance().find(arch.pe);
  // serial PEs run on their own lockstep broadcast array (sim/sparse_core.h), the
  // same hardware on `systolic` (os) and `matrix2d`
  if (arch.engine != "systolic" && !(pe && pe->sparse_group > 0)) return map_broadcast(arch, l);
  SystolicMapping m;
  m.df = parse_dataflow(arch.dataflow);
  m.output_stationary = m.df == Dataflow::OS;
  m.R = arch.rows;
  m.C = arch.cols;
  m.M = l.M;
  m.N = l.N;
  m.K = l.K;
  m.Mp = m.df == Dataflow::IS ? l.N : l.M;
  m.Np = m.df == Dataflow::IS ? l.M : l.N;
  m.MT = ceil_div(m.Mp, m.R);
  m.NT = ceil_div(m.Np, m.C);
  m.KT = ceil_div(m.K, m.R);
  m.multipliers = int64_t(m.R) * m.C;
  if (pe && pe->sparse_group > 0) {
    if (!m.output_stationary)
      throw std::logic_error("sparsity-encoded PE '" + arch.pe + "' outside output stationary");
    m.group = pe->sparse_group;
    const SerialInfo si = serial_info(arch.pe, arch.operand_bits());
    m.passes = si.passes;
    m.group_cycles_max = si.scheme == SerialScheme::EntDigits ? m.group
                         : si.scheme == SerialScheme::Bits    ? 1
                                                              : arch.operand_bits();
    m.data_dependent = true;
    m.G = ceil_div(m.K, m.group);
    m.folds = mul_int64(m.MT, m.NT, kWhat);
    m.w_words = mul_int64(m.MT, m.G, kWhat);
    m.n_words = mul_int64(m.NT, m.G, kWhat);
    m.o_words = mul_int64(mul_int64(m.MT, m.R, kWhat), m.NT, kWhat);
    return m;
  }
  m.G = m.K;
  if (m.output_stationary) {
    m.folds = mul_int64(m.MT, m.NT, kWhat);
    m.period = m.K + m.R - 1;
    m.w_words = mul_int64(m.MT, m.K, kWhat);
    m.n_words = mul_int64(m.NT, m.K, kWhat);
    m.o_words = mul_int64(mul_int64(m.MT, m.R, kWhat), m.NT, kWhat);
    set_block_layout(m, arch);
  } else {
    m.folds = mul_int64(m.NT, m.KT, kWhat);
    m.w_words = mul_int64(m.KT, m.Mp, kWhat);
    m.n_words = mul_int64(mul_int64(m.NT, m.KT, kWhat), m.R, kWhat);
    m.o_words = mul_int64(m.Mp, m.NT, kWhat);
    set_block_layout(m, arch);
    m.period = std::max<int64_t>(
        {m.Mp, 2 * int64_t(m.R) - 1, 3, m.block > 0 ? ws_block_period(m.R, m.C) : 0});
  }
  return m;
}

Count SystolicMapping::cycles() const {
  if (data_dependent)
    throw std::logic_error("the cycle count of a sparsity-encoded PE depends on its operands");
  const Count f = folds;
  if (kind == EngineKind::Grid)
    return count_add(count_mul(f - 1, period, "cycles"), Count(G) + R + 2, "cycles");
  if (kind == EngineKind::Tree) return count_add(count_mul(f, Mp, "cycles"), 4, "cycles");
  if (output_stationary)
    return count_add(count_mul(f - 1, period, "cycles"), Count(K) + 2 * R + C, "cycles");
  return count_add(count_mul(f - 1, period, "cycles"), Count(Mp) + 2 * R + C + 2, "cycles");
}

Count SystolicMapping::cycle_bound() const {
  // sparse: at most `group` cycles per group and pass, a fold's drain (R) can
  // hold the next fold's end, plus the fill and the last drain
  if (data_dependent) {
    const Count per_fold = count_add(count_product({passes, G, group_cycles_max}, "cycle bound"),
                                     Count(R) + 4, "cycle bound");
    return count_add(count_mul(folds, per_fold, "cycle bound"), Count(2) * R + 16, "cycle bound");
  }
  return cycles();
}

std::vector<int64_t> SystolicMapping::cfg_words() const {
  if (data_dependent || kind == EngineKind::Grid) return {G, MT, NT};
  if (output_stationary) return {K, MT, NT};
  return {Mp, NT, KT};
}

Count SystolicMapping::w_reads() const {
  if (data_dependent || kind == EngineKind::Grid)
    return count_product({folds, passes, G}, "west SRAM reads");
  return count_mul(folds, output_stationary ? K : Mp, "west SRAM reads");
}
Count SystolicMapping::n_reads() const {
  if (data_dependent || kind == EngineKind::Grid)
    return count_product({folds, passes, G}, "north SRAM reads");
  if (kind == EngineKind::Tree) return folds; // one word of stationary weights per fold
  return count_mul(folds, output_stationary ? K : R, "north SRAM reads");
}
Count SystolicMapping::pe_macs() const {
  const char* what = "padded PE work";
  if (kind == EngineKind::Grid) return count_product({folds, G, multipliers}, what);
  if (kind == EngineKind::Tree) return count_product({folds, Mp, multipliers}, what);
  return count_product({folds, R, C, output_stationary ? K : Mp}, what);
}
Count SystolicMapping::o_reads() const {
  return output_stationary ? 0 : count_mul(Count(folds) - NT, Mp, "output SRAM reads");
}
Count SystolicMapping::o_writes() const {
  return count_mul(folds, output_stationary ? R : Mp, "output SRAM writes");
}
void tile_granules(const SystolicMapping& m, int64_t& gm, int64_t& gn, int64_t& gk) {
  gk = m.output_stationary ? m.group : int64_t(m.R) * m.group;
  if (m.df == Dataflow::IS && m.kind == EngineKind::Systolic) {
    gm = m.C;
    gn = 1;
  } else {
    gm = m.output_stationary ? m.R : 1;
    gn = m.C;
  }
}

int64_t ws_block_period(int R, int C) {
  return int64_t(R) + C + 3;
}

void set_block_layout(SystolicMapping& m, const ArchConfig& arch) {
  const bool is = m.df == Dataflow::IS && m.kind == EngineKind::Systolic; // is: west = weight
  const NumberFormat& wf = lookup_number_format(is ? arch.weight() : arch.act());
  const NumberFormat& nf = lookup_number_format(is ? arch.act() : arch.weight());
  if (!wf.is_block() && !nf.is_block()) return;
  if (m.data_dependent) throw std::logic_error("block-scaled formats on a sparsity-encoded PE");
  m.block = wf.is_block() ? wf.block.size : nf.block.size;
  m.west_scaled = wf.is_block();
  m.north_scaled = nf.is_block();
  m.scale_bits = 8; // E8M0 and E4M3 scale codes
  m.Ww = wf.bits;
  m.Wn = nf.bits;
  m.KB = ceil_div(m.K, m.block);
  const bool os = m.output_stationary || m.kind != EngineKind::Systolic;
  // ws/is: the scale SRAMs are laid out as the element SRAMs (one scale per lane)
  m.ws_words = !m.west_scaled ? 0 : os ? mul_int64(m.MT, m.KB, kWhat) : m.w_words;
  m.ns_words = !m.north_scaled ? 0 : os ? mul_int64(m.NT, m.KB, kWhat) : m.n_words;
}

Count SystolicMapping::ws_reads() const {
  const char* what = "scale SRAM reads";
  if (!west_scaled) return 0;
  if (ws_scales()) return w_reads();
  return kind == EngineKind::Tree ? count_product({NT, KB, Mp}, what) : count_mul(folds, KB, what);
}
Count SystolicMapping::ns_reads() const {
  const char* what = "scale SRAM reads";
  if (!north_scaled) return 0;
  if (ws_scales()) return n_reads();
  return count_mul(kind == EngineKind::Tree ? NT : folds, KB, what);
}
Count SystolicMapping::image_elements() const {
  const char* what = "SRAM image elements";
  return count_add(count_add(count_product({w_words, R, group}, what),
                             count_product({n_words, C, group}, what), what),
                   count_mul(o_words, C, what), what);
}

SramImages make_images(const SystolicMapping& m, const OperandMatrix& A, const OperandMatrix& B) {
  const bool is = m.df == Dataflow::IS;
  // Port-view accessors: Wop[r][k], Nop[k][c], zero outside the matrices.
  auto wop = [&](int64_t r, int64_t k) -> int32_t {
    if (r >= m.Mp || k >= m.K) return 0;
    return is ? B.at(k, r) : A.at(r, k);
  };
  auto nop = [&](int64_t k, int64_t c) -> int32_t {
    if (k >= m.K || c >= m.Np) return 0;
    return is ? A.at(c, k) : B.at(k, c);
  };
  SramImages img;
  const int gp = m.group;
  img.west.assign(static_cast<size_t>(m.w_words * m.R * gp), 0);
  img.north.assign(static_cast<size_t>(m.n_words * m.C * gp), 0);
  if (m.kind == EngineKind::Tree) {
    for (int64_t kt = 0; kt < m.KT; ++kt)
      for (int64_t r = 0; r < m.Mp; ++r)
        for (int p = 0; p < gp; ++p)
          img.west[(kt * m.Mp + r) * gp + p] = wop(r, kt * gp + p);
    for (int64_t f = 0; f < m.folds; ++f)
      for (int j = 0; j < m.C; ++j)
        for (int p = 0; p < gp; ++p)
          img.north[(f * m.C + j) * gp + p] = nop((f % m.KT) * gp + p, (f / m.KT) * m.C + j);
  } else if (m.data_dependent || m.kind == EngineKind::Grid) {
    for (int64_t mt = 0; mt < m.MT; ++mt)
      for (int64_t g = 0; g < m.G; ++g)
        for (int i = 0; i < m.R; ++i)
          for (int p = 0; p < gp; ++p)
            img.west[((mt * m.G + g) * m.R + i) * gp + p] = wop(mt * m.R + i, g * gp + p);
    for (int64_t nt = 0; nt < m.NT; ++nt)
      for (int64_t g = 0; g < m.G; ++g)
        for (int j = 0; j < m.C; ++j)
          for (int p = 0; p < gp; ++p)
            img.north[((nt * m.G + g) * m.C + j) * gp + p] = nop(g * gp + p, nt * m.C + j);
  } else if (m.output_stationary) {
    for (int64_t mt = 0; mt < m.MT; ++mt)
      for (int64_t k = 0; k < m.K; ++k)
        for (int i = 0; i < m.R; ++i)
          img.west[(mt * m.K + k) * m.R + i] = wop(mt * m.R + i, k);
    for (int64_t nt = 0; nt < m.NT; ++nt)
      for (int64_t k = 0; k < m.K; ++k)
        for (int j = 0; j < m.C; ++j)
          img.north[(nt * m.K + k) * m.C + j] = nop(k, nt * m.C + j);
  } else {
    for (int64_t kt = 0; kt < m.KT; ++kt)
      for (int64_t r = 0; r < m.Mp; ++r)
        for (int i = 0; i < m.R; ++i)
          img.west[(kt * m.Mp + r) * m.R + i] = wop(r, kt * m.R + i);
    for (int64_t nt = 0; nt < m.NT; ++nt)
      for (int64_t kt = 0; kt < m.KT; ++kt)
        for (int d = 0; d < m.R; ++d)
          for (int j = 0; j < m.C; ++j)
            img.north[((nt * m.KT + kt) * m.R + d) * m.C + j] =
                nop(kt * m.R + m.R - 1 - d, nt * m.C + j);
  }
  if (m.block > 0) { // split (scale << W) | code into the element and scale images
    const int32_t smask = (int32_t(1) << m.scale_bits) - 1;
    const auto wscale = [&](int32_t v) { return (v >> m.Ww) & smask; };
    const auto nscale = [&](int32_t v) { return (v >> m.Wn) & smask; };
    img.west_scale.assign(static_cast<size_t>(m.ws_words * m.R), 0);
    img.north_scale.assign(static_cast<size_t>(m.ns_words * m.C), 0);
    // ws/is lanes: {block end, scale}, the block end set on k % block == block - 1
    // and on k == K - 1 (never on padding)
    const auto ws_lane = [&](int32_t scale, int64_t k) {
      const bool bend = k < m.K && (k % m.block == m.block - 1 || k == m.K - 1);
      return scale | (bend ? int32_t(1) << m.scale_bits : 0);
    };
    const auto bstart = [&](int64_t k) { return k / m.block * m.block; };
    if (m.ws_scales()) {
      for (int64_t kt = 0; m.west_scaled && kt < m.KT; ++kt)
        for (int64_t r = 0; r < m.Mp; ++r)
          for (int i = 0; i < m.R; ++i) {
            const int64_t k = kt * m.R + i;
            img.west_scale[(kt * m.Mp + r) * m.R + i] = ws_lane(wscale(wop(r, bstart(k))), k);
          }
      for (int64_t f = 0; m.north_scaled && f < m.NT * m.KT; ++f)
        for (int d = 0; d < m.R; ++d)
          for (int j = 0; j < m.C; ++j) {
            const int64_t k = (f % m.KT) * m.R + m.R - 1 - d;
            img.north_scale[(f * m.R + d) * m.C + j] =
                ws_lane(nscale(nop(bstart(k), (f / m.KT) * m.C + j)), k);
          }
    }
    // the trees read row m's scale of block b in the block's last K-tile: word b*Mp + m
    const bool tree = m.kind == EngineKind::Tree;
    for (int64_t mt = 0; m.west_scaled && !m.ws_scales() && mt < m.MT; ++mt)
      for (int64_t b = 0; b < m.KB; ++b)
        for (int i = 0; i < m.R; ++i)
          img.west_scale[(tree ? b * m.Mp + mt : mt * m.KB + b) * m.R + i] =
              wscale(wop(mt * m.R + i, b * m.block));
    for (int64_t nt = 0; m.north_scaled && !m.ws_scales() && nt < m.NT; ++nt)
      for (int64_t b = 0; b < m.KB; ++b)
        for (int j = 0; j < m.C; ++j)
          img.north_scale[(nt * m.KB + b) * m.C + j] = nscale(nop(b * m.block, nt * m.C + j));
    for (auto& v : img.west)
      v &= (int32_t(1) << m.Ww) - 1;
    for (auto& v : img.north)
      v &= (int32_t(1) << m.Wn) - 1;
  }
  return img;
}

bool output_element(const SystolicMapping& m, int64_t word, int col, int64_t& row_out,
                    int64_t& col_out) {
  int64_t pr, pc; // port-view row and column of O
  if (m.output_stationary) {
    const int64_t f = word / m.R, d = word % m.R;
    pr = (f / m.NT) * m.R + (m.kind == EngineKind::Grid ? d : m.R - 1 - d);
    pc = (f % m.NT) * m.C + col;
  } else {
    pr = word % m.Mp;
    pc = (word / m.Mp) * m.C + col;
  }
  if (pr >= m.Mp || pc >= m.Np) return false;
  if (m.df == Dataflow::IS) {
    row_out = pc;
    col_out = pr;
  } else {
    row_out = pr;
    col_out = pc;
  }
  return true;
}

ResultMatrix extract_result(const SystolicMapping& m, const std::vector<int64_t>& out) {
  ResultMatrix Cm(m.M, m.N, 0);
  for (int64_t w = 0; w < m.o_words; ++w)
    for (int j = 0; j < m.C; ++j) {
      int64_t r, c;
      if (output_element(m, w, j, r, c)) Cm.at(r, c) = out[static_cast<size_t>(w * m.C + j)];
    }
  return Cm;
}

} // namespace tpe
