// L1 (model side): the SystemC systolic model against the golden GEMM on random
// odd-shaped GEMMs for every dataflow, format and array shape, accumulator
// wraparound, and its stepped cycle count against the closed form.
#include "core/engine_info.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/int_arith.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>

using namespace tpe;
using tpe::test::make_arch;

TEST_CASE("wrap arithmetic is two's complement modulo 2^bits") {
  CHECK(wrap_signed(128, 8) == -128);
  CHECK(wrap_signed(255, 8) == -1);
  CHECK(wrap_signed(0x7fff, 16) == 32767);
  CHECK(mac_wrap(32767, 1, 1, 16) == -32768);
  CHECK(mac_wrap(0, -128, -128, 16) == 16384);
  CHECK(mac_wrap(16384, -128, -128, 16) == -32768);
  CHECK(mac_wrap(-1, 1, 1, 64) == 0);
  CHECK(add_wrap(int64_t(1) << 62, int64_t(1) << 62, 64) == INT64_MIN);
}

TEST_CASE("systolic model equals golden GEMM on odd shapes, every dataflow and format") {
  const uint64_t seed = 12345;
  INFO("seed " << seed);
  Rng rng(seed);
  for (const auto& df : EngineRegistry::instance().find("systolic")->dataflows)
    for (const char* fmt : {"int4", "int8", "int16"})
      for (auto rc : {std::pair{1, 1}, {1, 8}, {8, 1}, {3, 5}, {4, 4}, {5, 3}, {8, 8}, {16, 16}}) {
        for (int t = 0; t < 2; ++t) {
          Layer l;
          l.name = "g";
          l.M = rng.uniform(1, 40);
          l.K = rng.uniform(1, 40);
          l.N = rng.uniform(1, 40);
          INFO(df << " " << fmt << " " << rc.first << "x" << rc.second << " GEMM " << l.M << "x"
                  << l.K << "x" << l.N);
          RunOptions o;
          o.mode = SimMode::Values;
          o.seed = static_cast<uint64_t>(rng.uniform(0, 1 << 30));
          const LayerResult r = run_layer(make_arch(rc.first, rc.second, df, fmt), l, o);
          CHECK(r.values_checked);
          CHECK(r.mode == SimMode::Values);
          o.mode = SimMode::Timing;
          CHECK(run_layer(make_arch(rc.first, rc.second, df, fmt), l, o).cycles == r.cycles);
        }
      }
}

TEST_CASE("accumulators wrap at small acc_bits exactly like the golden GEMM") {
  for (const auto& df : {"os", "ws", "is"})
    for (int acc : {2, 9, 12, 16, 17, 33, 64}) {
      INFO(df << " acc_bits " << acc);
      Layer l;
      l.name = "wrap";
      l.M = 9;
      l.K = 37;
      l.N = 7;
      RunOptions o;
      o.mode = SimMode::Values;
      o.seed = 99;
      CHECK(run_layer(make_arch(3, 4, df, "int8", acc), l, o).values_checked);
    }
}

TEST_CASE("closed-form cycles equal the stepped model for every array up to 16x16") {
  Rng rng(777);
  INFO("seed 777");
  for (const auto& df : {"os", "ws", "is"})
    for (int t = 0; t < 60; ++t) {
      const int r = static_cast<int>(rng.uniform(1, 16)), c = static_cast<int>(rng.uniform(1, 16));
      Layer l;
      l.name = "g";
      l.M = rng.uniform(1, 64);
      l.K = rng.uniform(1, 64);
      l.N = rng.uniform(1, 64);
      INFO(df << " " << r << "x" << c << " GEMM " << l.M << "x" << l.K << "x" << l.N);
      RunOptions o;
      o.mode = SimMode::Timing; // run_layer insists that stepping equals the closed form
      const LayerResult tr = run_layer(make_arch(r, c, df), l, o);
      o.mode = SimMode::Analytic;
      const LayerResult an = run_layer(make_arch(r, c, df), l, o);
      CHECK(tr.cycles == an.cycles);
      CHECK(tr.pe_macs == an.pe_macs);
      CHECK(tr.ifmap_reads == an.ifmap_reads);
      CHECK(tr.filter_reads == an.filter_reads);
      CHECK(tr.ofmap_reads == an.ofmap_reads);
      CHECK(tr.ofmap_writes == an.ofmap_writes);
    }
}

TEST_CASE("timing formula matches the documented per-fold expressions") {
  // os: folds*(K+R-1) - (R-1) + 2R + C; one fold equals SCALE-Sim's 2R+C+K-2 plus 2.
  Layer l;
  l.name = "g";
  l.M = 16;
  l.N = 16;
  l.K = 100;
  const SystolicMapping os = map_systolic(make_arch(16, 16, "os"), l);
  CHECK(os.folds == 1);
  CHECK(os.cycles() == 2 * 16 + 16 + 100 - 2 + 2);
  // ws: one fold streams M rows after an R-cycle preload: 2R+C+M-2 plus 4.
  const SystolicMapping ws = map_systolic(make_arch(16, 16, "ws"), l);
  CHECK(ws.folds == 7); // K tiles
  l.K = 16;
  l.M = 100;
  CHECK(map_systolic(make_arch(16, 16, "ws"), l).cycles() == 2 * 16 + 16 + 100 - 2 + 4);
}

TEST_CASE("utilization and SRAM traffic of a full-tile GEMM") {
  Layer l;
  l.name = "g";
  l.M = 64;
  l.N = 64;
  l.K = 64;
  RunOptions o;
  o.mode = SimMode::Values;
  o.seed = 5;
  const LayerResult r = run_layer(make_arch(8, 8, "os"), l, o);
  CHECK(r.mapping_efficiency == Approx(1.0));
  CHECK(r.macs == 64 * 64 * 64);
  CHECK(r.utilization == Approx(double(r.macs) / (double(r.cycles) * 64)));
  // os reads each A tile once per N tile and each B tile once per M tile
  CHECK(r.ifmap_reads == 64 * 64 * 8);
  CHECK(r.filter_reads == 64 * 64 * 8);
  CHECK(r.ofmap_writes == 64 * 64);
  CHECK(r.ofmap_reads == 0);
}

TEST_CASE("Values mode counts the PE MACs by operand class exactly") {
  // no padding (M, N multiples of the array; ws K a multiple of the rows): every
  // PE MAC is one A[m][k] * B[k][n] of the GEMM
  for (const char* df : {"os", "ws"}) {
    INFO(df);
    const ArchConfig a = make_arch(4, 4, df);
    const uint64_t seed = 21;
    INFO("seed " << seed);
    Rng rng(seed);
    const ModelRun mr =
        run_model(a, parse_gemm_spec("8x12x8"), parse_operand_dist("normal:3@0.3"), rng);
    int64_t one = 0, two = 0;
    for (int64_t m = 0; m < 8; ++m)
      for (int64_t n = 0; n < 8; ++n)
        for (int64_t k = 0; k < 12; ++k) {
          const int zeros = (mr.A.at(m, k) == 0) + (mr.B.at(k, n) == 0);
          one += zeros == 1;
          two += zeros == 2;
        }
    CHECK(mr.counts.pe_macs == 8 * 8 * 12);
    CHECK(one > 100);
    CHECK(two > 20);
    CHECK(mr.counts.pe_macs_one_zero == one);
    CHECK(mr.counts.pe_macs_two_zero == two);
  }
  // held zeros: one fold of a 1x12x4 GEMM on 4x4 os, so each PE (i, n) does the MACs
  // k = 0..11 in order from power-up (previous operands 0); rows 1-3 are padding,
  // whose zero west operand is held in every MAC
  {
    Rng rng(9);
    const ModelRun mr = run_model(make_arch(4, 4, "os"), parse_gemm_spec("1x12x4"),
                                  parse_operand_dist("normal:3@0.3"), rng);
    int64_t held = 0;
    for (int64_t n = 0; n < 4; ++n)
      for (int64_t k = 0; k < 12; ++k) {
        const int64_t a = mr.A.at(0, k), b = mr.B.at(k, n);
        const int64_t pa = k ? mr.A.at(0, k - 1) : 0, pb = k ? mr.B.at(k - 1, n) : 0;
        if ((a == 0) != (b == 0)) held += a == 0 ? pa == 0 : pb == 0;
        held += 3 * (b != 0); // the padded rows: 0 * b, a zero held since power-up
      }
    CHECK(held > 3 * 4 * 12 / 2);
    CHECK(mr.counts.pe_macs_held_zero == held);
    CHECK(mr.counts.pe_macs_held_zero <= mr.counts.pe_macs_one_zero);
  }
  // Timing mode does not classify
  RunOptions ro;
  ro.mode = SimMode::Timing;
  const LayerResult t = run_layer(make_arch(4, 4, "os"), parse_gemm_spec("8x12x8"), ro);
  CHECK(t.pe_macs_one_zero == -1);
  CHECK(t.pe_macs_two_zero == -1);
  CHECK(t.pe_macs_held_zero == -1);
}
