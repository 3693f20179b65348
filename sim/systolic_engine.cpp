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

LayerResult run_array_layer(const ArchConfig& arch, const Layer& layer, const RunOptions& opt) {
  const SystolicMapping m = map_systolic(arch, layer);
  LayerResult r;
  r.name = layer.name;
  r.M = layer.M;
  r.N = layer.N;
  r.K = layer.K;
  r.macs = layer.macs();
  r.folds = m.folds;
  SimMode mode = opt.mode;
  if (m.data_dependent) {
    if (mode == SimMode::Timing || mode == SimMode::Analytic)
      throw InputError("--mode", 0, "",
                       std::string(sim_mode_name(mode)) + " is not possible for PE '" + arch.pe +
                           "': its cycle count depends on the operand values (use values or auto)");
    mode = SimMode::Values;
  } else if (mode == SimMode::Auto) {
    mode = r.macs <= opt.auto_values_max_macs         ? SimMode::Values
           : m.cycles() <= opt.auto_timing_max_cycles ? SimMode::Timing
                                                      : SimMode::Analytic;
  }
  r.mode = mode;
  SystolicCounters cnt;
  if (mode == SimMode::Analytic) {
    cnt.cycles = m.cycles();
    cnt.pe_macs = m.pe_macs();
    cnt.w_reads = m.w_reads();
    cnt.n_reads = m.n_reads();
    cnt.o_reads = m.o_reads();
    cnt.o_writes = m.o_writes();
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
      A = fill_operands(layer.M, layer.K, bits, opt.dist, rng);
      B = fill_operands(layer.K, layer.N, bits, opt.dist, rng);
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
    const int64_t edges = run_on_systemc_clock(*core, 2 * m.cycle_bound() + 1000);
    cnt = core->counters();
    cnt.cycles = edges;
    if (!m.data_dependent && edges != m.cycles())
      throw std::logic_error(arch.engine + " model took " + std::to_string(edges) +
                             " cycles but the closed form says " + std::to_string(m.cycles()) +
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
      const ResultMatrix want = golden_gemm(A, B, arch.acc_bits);
      for (int64_t i = 0; i < want.rows; ++i)
        for (int64_t j = 0; j < want.cols; ++j)
          if (got.at(i, j) != want.at(i, j))
            throw std::logic_error(arch.engine + " model disagrees with the golden GEMM at C[" +
                                   std::to_string(i) + "][" + std::to_string(j) + "] of layer " +
                                   layer.name + ": model " + std::to_string(got.at(i, j)) +
                                   ", golden " + std::to_string(want.at(i, j)));
      r.values_checked = true;
    }
  }
  r.cycles = cnt.cycles;
  r.pe_macs = cnt.pe_macs;
  r.pe_macs_one_zero = cnt.pe_macs_one_zero;
  r.pe_macs_two_zero = cnt.pe_macs_two_zero;
  r.utilization = utilization(arch, r.macs, r.cycles);
  r.mapping_efficiency = cnt.pe_macs ? double(r.macs) / double(cnt.pe_macs) : 0;
  const bool is = m.df == Dataflow::IS;
  const int64_t w_elems = cnt.w_reads * m.R * m.group, n_elems = cnt.n_reads * m.C * m.group;
  r.ifmap_reads = is ? n_elems : w_elems;
  r.filter_reads = is ? w_elems : n_elems;
  r.ofmap_reads = cnt.o_reads * m.C;
  r.ofmap_writes = cnt.o_writes * m.C;
  const int ob = arch.operand_bits();
  r.ifmap_bytes = (r.ifmap_reads * ob + 7) / 8;
  r.filter_bytes = (r.filter_reads * ob + 7) / 8;
  r.ofmap_bytes = ((r.ofmap_reads + r.ofmap_writes) * arch.acc_bits + 7) / 8;
  return r;
}

namespace {
Registrar<EngineRunner> runner("systolic", run_array_layer);
} // namespace

} // namespace tpe
