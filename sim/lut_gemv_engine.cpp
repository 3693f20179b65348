// The lut_gemv engine registers itself by name: its architecture keys (LUT_PIM.md 5.5,
// with defaults, ranges and help), their cross-key checks, its shape and peak MACs
// per cycle, and its runner. The runner draws the layer's operands (A first, then B,
// from the seed and the operand distribution, as the other engines), computes the
// closed form (dataflows/lut_gemv_mapping.h; the activations fix the data-dependent
// terms) and, in Values and Timing mode, steps the model (sim/lut_gemv_core.h), whose
// cycles must equal the closed form; Values also compares every output with the golden
// integer GEMM. Auto: Values up to auto_values_max_macs MACs, else Analytic. Its
// Verilog (rtl_gen/lut_gemv_verilog.h) runs in every command of the Verilog flow
// (tpe synth keeps the arrays as blackbox SRAM macros, tpe power simulates them:
// sram_arrays) for the designs the generator covers (rtl_gap).
#include "core/engine_info.h"
#include "core/error.h"
#include "dataflows/lut_gemv_mapping.h"
#include "pe_models/golden_gemm.h"
#include "rtl_gen/lut_gemv_verilog.h"
#include "sim/engine.h"
#include "sim/lut_gemv_core.h"
#include <algorithm>
#include <functional>
#include <stdexcept>

namespace tpe {
namespace {

using T = EngineKey::Type;

std::vector<EngineKey> lut_keys() {
  return {
      {"table",
       T::Choice,
       "weight",
       0,
       0,
       {"weight", "activation"},
       "which operand fills the tables: weight (SAIL-like: weight-subset tables shared by the "
       "tokens of a batch, indexed by activation bit planes) or activation (T-MAC / LUT Tensor "
       "Core-like: activation tables indexed by weight bit planes)"},
      {"form",
       T::Choice,
       "subset",
       0,
       0,
       {"subset", "signed"},
       "table form: subset (2^g - 1 rows of subset sums) or signed (2^(g-1) rows of +-1 sums, "
       "the other half read by symmetry, then (A - sum V) / 2)"},
      {"group", T::Int, "4", 1, 8, {}, "g, elements of K per table index (1..8)"},
      {"index_code",
       T::Choice,
       "twos",
       0,
       0,
       {"twos", "offset"},
       "bit planes of the index operand: twos (two's complement, MSB plane negative) or offset "
       "(T-MAC's planes of U + 2^(n-1), corrected with sum V)"},
      {"entry_bits",
       T::Int,
       "auto",
       1,
       64,
       {"auto"},
       "bits of a table entry; auto = table operand bits + ceil(log2 g), the narrowest "
       "(docs/lut-gemv.md)"},
      {"arrays", T::Int, "16", 1, 4096, {}, "P, SRAM-PIM arrays running in lockstep"},
      {"array.rows", T::Int, "256", 1, 65536, {}, "rows of one array (words)"},
      {"array.cols", T::Int, "256", 1, 4096, {}, "columns of one array (bits per row)"},
      {"array.ports",
       T::Choice,
       "1rw1r",
       0,
       0,
       {"1rw", "1rw1r"},
       "array ports (OpenRAM): 1rw, or 1rw1r (activation orientation: lookups overlap the build)"},
      {"array.read_latency",
       T::Int,
       "1",
       1,
       8,
       {},
       "edges from the registered row address to the usable data (OpenRAM: 1)"},
      {"batch",
       T::Int,
       "16",
       1,
       1024,
       {},
       "table: weight: tokens in flight, B accumulators per lane (tokens of a table's lookups)"},
      {"tokens_per_pass",
       T::Int,
       "2",
       1,
       64,
       {},
       "table: activation: M_t tokens whose tables share an array row (read together)"},
      {"lanes",
       T::Int,
       "64",
       1,
       1024,
       {},
       "table: activation: N_l outputs (lanes) reading each table row"},
      {"skip_zero_index",
       T::Bool,
       "false",
       0,
       0,
       {},
       "table: weight, form: subset: no cycle for an all-zero index (T[0] = 0)"},
      {"batch_shared_lookup",
       T::Bool,
       "false",
       0,
       0,
       {},
       "table: weight: one row read per distinct index among the batch's tokens"},
      {"builder_entries_per_cycle",
       T::Int,
       "8",
       1,
       4096,
       {},
       "table: activation: table entries the builder forms per cycle"},
      {"build_init_cycles",
       T::Int,
       "1",
       1,
       8,
       {},
       "table: weight, form: signed: cycles of the start entry T[1] (1: a g-input adder, up "
       "to g: one adder)"},
      {"stream_bits",
       T::Int,
       "256",
       1,
       65536,
       {},
       "table: weight: weight bits loaded per cycle per array"},
      {"out_bits", T::Int, "256", 1, 65536, {}, "output port bits per cycle per array"},
  };
}

// The engine's checks: lut_gemv_params says "key: problem"; bad() adds FILE:LINE.
void lut_check(const ArchConfig& a, const KeyError& bad) {
  try {
    lut_gemv_params(a);
  } catch (const std::invalid_argument& e) {
    const std::string m = e.what();
    const size_t colon = m.find(": ");
    if (colon == std::string::npos) throw;
    bad(m.substr(0, colon), m.substr(colon + 2));
  }
}

std::string lut_shape(const ArchConfig& a) {
  return lut_gemv_shape(lut_gemv_params(a));
}

double lut_peak(const ArchConfig& a) {
  return lut_gemv_peak_macs(lut_gemv_params(a));
}

// The generated Verilog's arrays (one `<top>_lut_sram` instance per array): each an
// array.rows x array.cols SRAM macro with the array's ports.
std::vector<SramArraySpec> lut_sram_arrays(const ArchConfig& a, const std::string& top) {
  const LutGemvParams p = lut_gemv_params(a);
  return {{top + "_lut_sram", p.rows, p.cols, p.dual_port ? "1rw1r" : "1rw", p.read_latency}};
}

EngineInfo lut_info() {
  EngineInfo e{"lut_gemv",
               "LUT-GEMV on SRAM-PIM arrays: tables of partial sums built in the arrays, read by "
               "bit planes and shift-accumulated in the column periphery",
               {"lut"},
               {},
               {},
               1,
               "no dimension keys: the arrays are sized by `arrays` and `array` "
               "(docs/lut-gemv.md)",
               nullptr};
  e.keys = lut_keys();
  e.has_pe = false;
  e.rtl_gap = [](const ArchConfig& a) {
    std::string why;
    return lut_gemv_rtl_supported(a, &why) ? std::string() : why;
  };
  e.sram_arrays = lut_sram_arrays;
  e.check = lut_check;
  e.shape = lut_shape;
  e.peak_macs_per_cycle = lut_peak;
  return e;
}

Registrar<EngineInfo> info("lut_gemv", lut_info());

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

LayerResult run_lut_layer(const ArchConfig& arch, const Layer& layer, const RunOptions& opt) {
  const LutGemvParams p = lut_gemv_params(arch);
  const LutArith arith(p.arith);
  LayerResult r = LayerResult::of(layer);
  const Count a_elems = count_mul(layer.M, layer.K, "activations");
  const Count b_elems = count_mul(layer.K, layer.N, "weights");
  const Count c_elems = count_mul(layer.M, layer.N, "outputs");
  if (a_elems > opt.values_max_elements)
    throw layer_error(
        layer, opt.source,
        "lut_gemv draws the activations of every layer (its cycles depend on them): " +
            count_str(a_elems) + " elements exceed the limit of " +
            std::to_string(opt.values_max_elements));
  const LutGemvGeometry g = lut_gemv_geometry(p, arith, layer.M, layer.K, layer.N);
  // operands, results, and the tables and accumulators of the model
  const Count elems = a_elems + b_elems + c_elems + lut_gemv_model_elements(p, g, layer.M, layer.N);
  SimMode mode = opt.mode;
  if (mode == SimMode::Auto)
    mode = r.macs <= opt.auto_values_max_macs && elems <= opt.auto_values_max_elements
               ? SimMode::Values
               : SimMode::Analytic;
  if (mode != SimMode::Analytic && elems > opt.values_max_elements)
    throw layer_error(layer, opt.source,
                      std::string(sim_mode_name(mode)) + " mode would hold " + count_str(elems) +
                          " operand, table, accumulator and result elements (limit " +
                          std::to_string(opt.values_max_elements) + "); use --mode analytic");
  r.mode = mode;
  Rng rng(opt.seed ^ std::hash<std::string>{}(layer.name));
  const OperandMatrix A = fill_operands(layer.M, layer.K, p.arith.act_bits, opt.dist, rng);
  const LutGemvCycles cf = lut_gemv_cycles(p, A, layer.N);
  r.cycles = cf.total;
  if (mode != SimMode::Analytic) {
    if (cf.total > opt.stepped_max_cycles)
      throw layer_error(layer, opt.source,
                        std::string(sim_mode_name(mode)) + " mode would step " +
                            count_str(cf.total) + " cycles (limit " +
                            std::to_string(opt.stepped_max_cycles) + "); use --mode analytic");
    const OperandMatrix B = fill_operands(layer.K, layer.N, p.arith.weight_bits, opt.dist, rng);
    LutGemvCore core(p, A, B);
    const Count stepped = core.run();
    if (stepped != cf.total || core.row_reads() != cf.reads)
      throw std::logic_error("lut_gemv model stepped " + count_str(stepped) + " cycles and " +
                             count_str(core.row_reads()) + " row reads, the closed form says " +
                             count_str(cf.total) + " and " + count_str(cf.reads));
    if (mode == SimMode::Values) {
      const ResultMatrix want = golden_gemm(A, B, p.arith.acc_bits);
      for (int64_t i = 0; i < want.rows; ++i)
        for (int64_t j = 0; j < want.cols; ++j)
          if (core.C().at(i, j) != want.at(i, j))
            throw std::logic_error("lut_gemv model disagrees with the golden GEMM at C[" +
                                   std::to_string(i) + "][" + std::to_string(j) + "]");
      r.values_checked = true;
    }
  }
  // the work of the lanes, padding included: every lane of a used array row and every
  // element of the padded groups, for every token
  const Count padded_n = count_mul(ceil_div(layer.N, g.lanesE), g.lanesE, "lanes");
  const Count padded_m =
      g.weight ? Count(layer.M) : count_mul(ceil_div(layer.M, g.tok_block), g.tok_block, "tokens");
  r.pe_macs =
      count_mul(count_mul(padded_m, padded_n, "lane work"), g.G * arith.group(), "lane work");
  r.mapping_efficiency = count_double(r.macs) / count_double(r.pe_macs);
  r.folds = g.tiles();
  r.utilization = utilization(arch, r.macs, r.cycles);
  // operand and output traffic: weight orientation streams B once and reads A once per
  // output block; activation orientation reads A once and B once per token block
  r.ifmap_reads = g.weight ? count_mul(a_elems, g.tiles_a, "ifmap reads") : a_elems;
  r.filter_reads = g.weight ? b_elems : count_mul(b_elems, g.tiles_a, "filter reads");
  r.ofmap_writes = count_mul(c_elems, g.tiles_b, "ofmap writes");
  r.ofmap_reads = r.ofmap_writes - c_elems;
  r.ifmap_bytes = count_ceil_div(count_mul(r.ifmap_reads, p.arith.act_bits, "bits"), 8);
  r.filter_bytes = count_ceil_div(count_mul(r.filter_reads, p.arith.weight_bits, "bits"), 8);
  r.ofmap_bytes =
      count_ceil_div(count_mul(r.ofmap_reads + r.ofmap_writes, p.arith.acc_bits, "bits"), 8);
  r.lut_row_reads = cf.reads;
  r.lut_row_writes = cf.table_writes;
  r.lut_arrays_used = g.arrays_used(p.arrays);
  if (g.weight) { // the savings exist in the weight orientation only
    r.lut_cycles_plain = cf.plain_total;
    r.lut_cycles_skip = cf.skip_total;
    r.lut_cycles_share = cf.share_total;
  }
  return r;
}

Registrar<EngineRunner> runner("lut_gemv", run_lut_layer);

} // namespace
} // namespace tpe
