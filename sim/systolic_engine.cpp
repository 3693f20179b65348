// The systolic engine registers itself by name; its runner, shared by every array
// engine (the broadcast engines register it in sim/broadcast_core.cpp), runs a
// layer in one of the SimModes. Values and Timing step the array core on the SystemC clock and
// insist that the stepped cycle count equals the closed form of dataflows/ (so Analytic, used for
// layers too large to step, is the same number); Values also compares every output with the golden
// GEMM. Sparsity-encoded PEs have data-dependent timing: they always run in Values mode, and the
// terms their encoders issued must equal the term count of the operands (EN-T digits or bits).
#include "core/engine_info.h"
#include "core/error.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/int_arith.h"
#include "pe_models/int_multipliers.h"
#include "pe_models/number_format.h"
#include "pe_models/pe.h"
#include "pe_models/sparse_encoder.h"
#include "sim/array_core.h"
#include "sim/engine.h"
#include <functional>
#include <memory>
#include <stdexcept>

namespace tpe {

namespace {

Layer gemm(int64_t M, int64_t K, int64_t N) {
  return parse_gemm_spec(std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N));
}

// Calibration GEMMs: the dimension that streams through a fold (K in os, M in ws,
// N in is) is 64 in the busy GEMM (four folds, fill and drain a few percent) and 1
// in the idle one (16 folds that are almost all fill and drain).
CalibrationGemms systolic_calibration(const ArchConfig& a) {
  const int64_t R = a.rows, C = a.cols;
  if (a.dataflow == "ws") return {{gemm(64, 2 * R, 2 * C)}, {gemm(1, 4 * R, 4 * C)}};
  if (a.dataflow == "is") return {{gemm(2 * R, 2 * C, 64)}, {gemm(4 * R, 4 * C, 1)}};
  return {{gemm(2 * R, 64, 2 * C)}, {gemm(4 * R, 1, 4 * C)}};
}

Registrar<EngineInfo> info("systolic", {"systolic",
                                        "R x C systolic array",
                                        {"os", "ws", "is"},
                                        {"rows", "cols"},
                                        {},
                                        1,
                                        "rows and cols: the PE grid",
                                        systolic_calibration});

} // namespace

Count values_elements(const SystolicMapping& m, const Layer& l) {
  const char* what = "values-mode elements";
  const Count operands = count_add(Count(l.M) * l.K, Count(l.K) * l.N, what);
  return count_add(count_add(m.image_elements(), operands, what), Count(2) * l.M * l.N, what);
}

void check_stepped_run(const ArchConfig& arch, const Layer& layer, const SystolicMapping& m,
                       bool values, const RunOptions& opt, bool sim_hint) {
  const char* mode = values ? "values" : "timing";
  if (values && values_elements(m, layer) > opt.values_max_elements)
    throw layer_error(layer, opt.source,
                      "values mode would hold " + count_str(values_elements(m, layer)) +
                          " operand, SRAM image and result elements on " + arch.shape() + " " +
                          arch.engine + " (limit " + std::to_string(opt.values_max_elements) + ")" +
                          (m.data_dependent ? "; PE '" + arch.pe + "' runs in values mode only"
                           : sim_hint       ? "; use --mode timing or analytic"
                                            : ""));
  if (m.cycle_bound() > opt.stepped_max_cycles)
    throw layer_error(layer, opt.source,
                      std::string(mode) + " mode would step up to " + count_str(m.cycle_bound()) +
                          " cycles (limit " + std::to_string(opt.stepped_max_cycles) +
                          (m.data_dependent || !sim_hint ? ")" : "); use --mode analytic"));
}

LayerResult run_array_layer(const ArchConfig& arch, const Layer& layer, const RunOptions& opt) {
  const SystolicMapping m = map_systolic(arch, layer);
  LayerResult r = LayerResult::of(layer);
  r.folds = m.folds;
  SimMode mode = opt.mode;
  if (m.data_dependent) {
    if (mode == SimMode::Timing || mode == SimMode::Analytic)
      throw InputError("--mode", 0, "",
                       std::string(sim_mode_name(mode)) + " is not possible for PE '" + arch.pe +
                           "': its cycle count depends on the operand values (use values or auto)");
    mode = SimMode::Values;
  } else if (mode == SimMode::Auto) {
    // by the work a stepped run does, padding included
    const Count steps = count_mul(m.cycle_bound(), arch.multipliers(), "simulated PE-cycles");
    mode = m.pe_macs() <= opt.auto_values_max_macs &&
                   values_elements(m, layer) <= opt.auto_values_max_elements &&
                   steps <= opt.auto_max_pe_cycles
               ? SimMode::Values
           : m.cycles() <= opt.auto_timing_max_cycles && steps <= opt.auto_max_pe_cycles
               ? SimMode::Timing
               : SimMode::Analytic;
  }
  if (mode != SimMode::Analytic)
    check_stepped_run(arch, layer, m, mode == SimMode::Values, opt, true);
  r.mode = mode;
  Count w_reads, n_reads, o_reads, o_writes, ws_reads, ns_reads; // SRAM words
  if (mode == SimMode::Analytic) {
    r.cycles = m.cycles();
    r.pe_macs = m.pe_macs();
    w_reads = m.w_reads();
    n_reads = m.n_reads();
    o_reads = m.o_reads();
    o_writes = m.o_writes();
    ws_reads = m.ws_reads();
    ns_reads = m.ns_reads();
  } else {
    const bool values = mode == SimMode::Values;
    const std::unique_ptr<ArrayCore> core = make_array_core(arch, m);
    OperandMatrix A, B;
    SramImages img;
    const PeInfo* pe = PeRegistry::instance().find(arch.pe);
    const int bits = arch.operand_bits();
    int64_t encoded_digits = 0; // nonzero EN-T digits of the encoded operand matrix
    if (values) {
      Rng rng(opt.seed ^ std::hash<std::string>{}(layer.name));
      A = fill_operands(layer.M, layer.K, arch.act(), opt.dist, rng);
      B = fill_operands(layer.K, layer.N, arch.weight(), opt.dist, rng);
      attach_block_scales(A, arch.act(), false, arch.accumulate, rng);
      attach_block_scales(B, arch.weight(), true, arch.accumulate, rng);
      img = make_images(m, A, B);
      if (pe && (pe->ent_west || pe->sparse_group)) { // the west operand: A (os, ws) or B (is)
        const OperandMatrix& west = m.df == Dataflow::IS ? B : A;
        const SerialScheme scheme = serial_info(arch.pe, bits).scheme;
        for (int32_t v : west.data)
          encoded_digits +=
              pe->sparse_group ? serial_terms(v, bits, scheme) : ent_nonzero_digits(v, bits);
        r.ent_nonzero_digits = encoded_digits;
        r.ent_operands = static_cast<int64_t>(west.data.size());
      }
    }
    core->load(m, values ? &img : nullptr, values, false);
    core->start();
    const int64_t edges =
        run_on_systemc_clock(*core, count_to_int64(2 * m.cycle_bound() + 1000, "cycle bound"));
    const SystolicCounters cnt = core->counters();
    if (!m.data_dependent && edges != m.cycles())
      throw std::logic_error(arch.engine + " model took " + std::to_string(edges) +
                             " cycles but the closed form says " + count_str(m.cycles()) +
                             " (layer " + layer.name + ")");
    if (m.data_dependent) {
      // the digits the row encoders issued, cycle by cycle: each fold encodes
      // every west row of its M tile once per N tile
      if (cnt.digit_issues != encoded_digits * m.NT)
        throw std::logic_error("sparse model issued " + std::to_string(cnt.digit_issues) +
                               " digits, the operands hold " + std::to_string(encoded_digits) +
                               " x " + std::to_string(m.NT) + " N tiles (layer " + layer.name +
                               ")");
      r.ent_nonzero_digits = cnt.digit_issues;
      r.ent_operands = r.ent_operands * m.NT;
    }
    if (values) {
      const ResultMatrix got = extract_result(m, core->out_memory());
      const ResultMatrix want = golden_gemm(A, B, arch);
      for (int64_t i = 0; i < want.rows; ++i)
        for (int64_t j = 0; j < want.cols; ++j)
          if (got.at(i, j) != want.at(i, j))
            throw std::logic_error(arch.engine + " model disagrees with the golden GEMM at C[" +
                                   std::to_string(i) + "][" + std::to_string(j) + "] of layer " +
                                   layer.name + ": model " + std::to_string(got.at(i, j)) +
                                   ", golden " + std::to_string(want.at(i, j)));
      r.values_checked = true;
    }
    r.cycles = edges;
    r.pe_macs = cnt.pe_macs;
    r.pe_macs_one_zero = cnt.pe_macs_one_zero;
    r.pe_macs_two_zero = cnt.pe_macs_two_zero;
    r.pe_macs_held_zero = cnt.pe_macs_held_zero;
    w_reads = cnt.w_reads;
    n_reads = cnt.n_reads;
    o_reads = cnt.o_reads;
    o_writes = cnt.o_writes;
    ws_reads = cnt.ws_reads;
    ns_reads = cnt.ns_reads;
  }
  r.utilization = utilization(arch, r.macs, r.cycles);
  r.mapping_efficiency = r.pe_macs ? count_double(r.macs) / count_double(r.pe_macs) : 0;
  const bool is = m.df == Dataflow::IS;
  const Count w_elems = count_product({w_reads, m.R, m.group}, "west SRAM elements"),
              n_elems = count_product({n_reads, m.C, m.group}, "north SRAM elements");
  r.ifmap_reads = is ? n_elems : w_elems;
  r.filter_reads = is ? w_elems : n_elems;
  r.ofmap_reads = count_mul(o_reads, m.C, "output SRAM elements");
  r.ofmap_writes = count_mul(o_writes, m.C, "output SRAM elements");
  const int ab = lookup_number_format(arch.act()).bits,
            wb = lookup_number_format(arch.weight()).bits;
  r.ifmap_bytes = count_ceil_div(count_mul(r.ifmap_reads, ab, "ifmap SRAM bytes"), 8);
  r.filter_bytes = count_ceil_div(count_mul(r.filter_reads, wb, "filter SRAM bytes"), 8);
  if (m.block > 0) { // scale lanes read: 8 bits (os, grid), {block end, scale} 9 bits (ws, is)
    const int lane = m.scale_bits + (m.ws_scales() ? 1 : 0);
    const Count wsb = count_ceil_div(count_product({ws_reads, m.R, lane}, "scale SRAM bits"), 8),
                nsb = count_ceil_div(count_product({ns_reads, m.C, lane}, "scale SRAM bits"), 8);
    r.ifmap_bytes = count_add(r.ifmap_bytes, is ? nsb : wsb, "ifmap SRAM bytes");
    r.filter_bytes = count_add(r.filter_bytes, is ? wsb : nsb, "filter SRAM bytes");
  }
  r.ofmap_bytes =
      count_ceil_div(count_mul(count_add(r.ofmap_reads, r.ofmap_writes, "ofmap SRAM elements"),
                               arch.acc_bits, "ofmap SRAM bytes"),
                     8);
  return r;
}

namespace {
Registrar<EngineRunner> runner("systolic", run_array_layer);
} // namespace

} // namespace tpe
