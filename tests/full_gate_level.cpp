// Long suite: gate-level netlists of ws and is arrays simulate exactly like the
// model (the fast suite checks os in tests/test_synth.cpp).
#include "core/workload.h"
#include "reports/synth_flow.h"
#include "test_helpers.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <unistd.h>

using namespace tpe;
using tpe::test::make_arch;

TEST_CASE("gate-level netlists of ws and is arrays match the model") {
  const std::string lib = tpe::test::test_liberty();
  REQUIRE(std::filesystem::exists(lib));
  for (const char* df : {"ws", "is"}) {
    INFO(df);
    const ArchConfig a = make_arch(3, 2, df);
    SynthOptions so;
    so.lib = choose_library(lib);
    so.workdir = std::filesystem::temp_directory_path().string() + "/tpe_full_gl_" + df + "_" +
                 std::to_string(getpid());
    const SynthReport r = synthesize(a, so);
    VerifyOptions o;
    o.seed = 5;
    o.mutate = use_gate_netlist(r.netlist, r.cell_models);
    o.verilator_flags = gate_level_flags();
    std::ostringstream progress;
    const VerifyOutcome v =
        verify_systolic(a, {parse_gemm_spec("7x9x5"), parse_gemm_spec("1x4x3")}, o, progress);
    INFO(progress.str());
    CHECK(v.failure == "");
    CHECK(v.runs == 2);
  }
}
