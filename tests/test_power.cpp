// Gate-level energy: the switching-activity flow runs end to end on a small
// array, checks the netlist against the model on the same stimulus, and ranks
// operand data the way physics does (all-zero operands cost much less than
// random ones; the clock and the controller still cost something).
#include "core/workload.h"
#include "reports/power.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>

using namespace tpe;
using tpe::test::make_arch;

namespace {
PowerReport run(const ArchConfig& a, OperandFill fill) {
  const char* e = std::getenv("TPE_LIBERTY");
  const std::string lib = e && *e ? e : TPE_TEST_LIBERTY;
  REQUIRE(std::filesystem::exists(lib));
  PowerOptions o;
  o.synth.lib = choose_library(lib);
  o.gemms = {parse_gemm_spec("8x40x8")};
  o.seed = 3;
  o.fill = fill;
  std::ostringstream progress;
  return gate_level_power(a, o, progress);
}
} // namespace

TEST_CASE("gate-level energy per MAC: random operands cost more than zeros") {
  const ArchConfig a = make_arch(2, 2, "os");
  const PowerReport rnd = run(a, OperandFill::Random);
  const PowerReport zero = run(a, OperandFill::Zero);
  INFO("random " << rnd.pj_per_mac << " pJ/MAC, zero " << zero.pj_per_mac << " pJ/MAC");
  CHECK(rnd.macs == 8 * 40 * 8);
  CHECK(rnd.cycles == zero.cycles);
  CHECK(rnd.pj_per_mac > 1.0); // SkyWater 130 nm INT8 MACs cost picojoules
  CHECK(rnd.pj_per_mac < 100.0);
  CHECK(zero.pj_per_mac < 0.8 * rnd.pj_per_mac);
  CHECK(zero.pj_per_mac > 0.1 * rnd.pj_per_mac); // the clock and control remain
  CHECK(rnd.total_pj == Approx(rnd.switching_pj + rnd.internal_pj + rnd.leakage_pj));
  CHECK(rnd.power_mw == Approx(rnd.total_pj / (double(rnd.cycles) * rnd.clock_ns)));
  CHECK(rnd.nets_counted > 100);
  double by_module = 0;
  for (const auto& [m, e] : rnd.pj_by_module)
    by_module += e;
  CHECK(by_module == Approx(rnd.switching_pj + rnd.internal_pj));
}

TEST_CASE("gate-level energy needs a Liberty library") {
  PowerOptions o;
  o.gemms = {parse_gemm_spec("2x2x2")};
  std::ostringstream progress;
  CHECK_THROWS_WITH(
      gate_level_power(make_arch(2, 2, "os"), o, progress),
      "--liberty: gate-level energy needs a Liberty library (pass --liberty or set TPE_LIBERTY)");
}
