// L1 (model side): the SystemC systolic model against the golden GEMM on random
// odd-shaped GEMMs for every dataflow and several array shapes, and its stepped
// cycle count against the closed form of dataflows/.
#include "core/arch_config.h"
#include "core/engine_info.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/int_arith.h"
#include "sim/engine.h"
#include "sim/systolic_core.h"
#include <catch2/catch.hpp>

using namespace tpe;

namespace {
ArchConfig arch(int r, int c, const std::string& df, const std::string& fmt = "int8", int acc = 32) {
  ArchConfig a;
  a.name = "t";
  a.engine = "systolic";
  a.rows = r;
  a.cols = c;
  a.dataflow = df;
  a.format = fmt;
  a.acc_bits = acc;
  validate_arch(a);
  return a;
}
} // namespace

TEST_CASE("systolic model equals golden GEMM on odd shapes, every dataflow") {
  const uint64_t seed = 12345;
  INFO("seed " << seed);
  Rng rng(seed);
  for (const auto& df : EngineRegistry::instance().find("systolic")->dataflows)
    for (auto rc : {std::pair{1, 1}, {1, 8}, {8, 1}, {3, 5}, {4, 4}, {5, 3}, {8, 8}}) {
      for (int t = 0; t < 4; ++t) {
        Layer l;
        l.name = "g";
        l.M = rng.uniform(1, 40);
        l.K = rng.uniform(1, 40);
        l.N = rng.uniform(1, 40);
        INFO(df << " " << rc.first << "x" << rc.second << " GEMM " << l.M << "x" << l.K << "x" << l.N);
        RunOptions o;
        o.mode = SimMode::Values;
        o.seed = rng.uniform(0, 1 << 30);
        LayerResult r = run_layer(arch(rc.first, rc.second, df), l, o);
        CHECK(r.values_checked);
        o.mode = SimMode::Timing;
        LayerResult rt = run_layer(arch(rc.first, rc.second, df), l, o);
        CHECK(rt.cycles == r.cycles);
      }
    }
}
