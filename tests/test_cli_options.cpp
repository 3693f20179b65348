// Command-line behaviour people expect (issue 12 item 8): unknown commands and
// options get one `tpe: error:` line with a suggestion, `tpe --version`, numeric
// options refuse negative, malformed, non-finite and out-of-range values, empty
// values are refused, and incompatible inputs are refused before long work.
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace tpe::test;

namespace {
const std::string kSrc = TPE_SOURCE_DIR;
const std::string kArch = kSrc + "/configs/systolic_4x4_os.yaml";
const std::string kWl = kSrc + "/workloads/tiny_gemm.csv";

void check_refused(const std::string& args, const std::string& line) {
  INFO("tpe " << args);
  const CmdResult r = run_tpe(args);
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + line + "\n");
}
} // namespace

TEST_CASE("unknown commands and options: one error line with a suggestion") {
  const std::string cmds = "commands: calibrate, compare, formats, gemm, gen, lut, mutate, power, "
                           "quantize, roofline, sim, synth, verify";
  check_refused("sm", "unknown command 'sm' (did you mean 'sim'?); " + cmds);
  check_refused("verfy --arch x", "unknown command 'verfy' (did you mean 'verify'?); " + cmds);
  check_refused("frobnicate", "unknown command 'frobnicate'; " + cmds);
  check_refused("", "a command is required (calibrate, compare, formats, gemm, gen, lut, mutate, "
                    "power, quantize, roofline, sim, synth, verify); "
                    "see tpe --help");
  check_refused("sim --sed 1",
                "sim: unknown option '--sed' (did you mean '--seed'?); see tpe sim --help");
  check_refused(
      "synth --arch " + kArch + " --libery x.lib",
      "synth: unknown option '--libery' (did you mean '--liberty'?); see tpe synth --help");
  check_refused("gen --arch " + kArch + " --out=/tmp/x --frobnicate",
                "gen: unknown option '--frobnicate'; see tpe gen --help");
  check_refused("sim --arch " + kArch + " stray",
                "sim: The following argument was not expected: stray");
}

TEST_CASE("tpe --version prints the version") {
  const CmdResult r = run_tpe("--version");
  CHECK(r.status == 0);
  CHECK(r.out == std::string("tpe ") + TPE_VERSION_FOR_TESTS + "\n");
}

TEST_CASE("numeric options refuse negative, malformed and out-of-range values") {
  const std::string sim = "sim --arch " + kArch + " --workload " + kWl;
  check_refused(sim + " --seed -1", "sim: --seed: '-1' is not a non-negative integer");
  check_refused(sim + " --seed=-1", "sim: --seed: '-1' is not a non-negative integer");
  check_refused(sim + " --seed 1e3", "sim: --seed: '1e3' is not a non-negative integer");
  check_refused(sim + " --seed 0x10", "sim: --seed: '0x10' is not a non-negative integer");
  check_refused(sim + " --seed 18446744073709551616",
                "sim: --seed: '18446744073709551616' is larger than 2^64-1");
  check_refused("synth --arch " + kArch + " --clock-ns nan",
                "synth: --clock-ns: 'nan' is not a finite number");
  check_refused("synth --arch " + kArch + " --clock-ns inf",
                "synth: --clock-ns: 'inf' is not a finite number");
  check_refused("synth --arch " + kArch + " --clock-ns 10ns",
                "synth: --clock-ns: '10ns' is not a finite number");
  check_refused("verify --arch " + kArch + " --trials -3",
                "verify: --trials: Value -3 not in range 1 to 1000000");
  check_refused("verify --arch " + kArch + " --trials 1.5",
                "verify: --trials: '1.5' is not an integer");
  check_refused("verify --arch " + kArch + " --workload " + kWl + " --max-macs -5",
                "verify: --max-macs: Value -5 not in range 1 to 9223372036854775807");
  check_refused("power --arch " + kArch + " --max-macs 0",
                "power: --max-macs: Value 0 not in range 1 to 9223372036854775807");
  check_refused("gen --arch " + kArch + " --out ''", "gen: --out: an empty value");
  check_refused("sim --arch '' --workload " + kWl, "sim: --arch: an empty value");
  // the largest seed is accepted and printed as given
  const CmdResult r = run_tpe(sim + " --seed 18446744073709551615 --mode analytic");
  CHECK(r.status == 0);
  CHECK(r.out.find("seed 18446744073709551615") != std::string::npos);
}

TEST_CASE("tpe power --max-macs refuses a larger workload layer before synthesis") {
  const CmdResult r = run_tpe("power --arch " + kArch + " --workload " + kWl + " --max-macs 100");
  CHECK(r.status == 2);
  // one line and nothing else: refused before any synthesis or simulation
  CHECK(r.out == "tpe: error: " + kWl +
                     ":2: layer 'g0': too large for gate-level simulation (--max-macs 100): "
                     "64960 PE MACs with the padding of the 4x4 array (56869 useful)\n");
  // the limit is on the PE work with padding: a 1x8x8 GEMV has 64 useful MACs, but on
  // the 4x4 os array two folds of 16 PEs x K = 8, 256 PE MACs
  const std::string d =
      std::filesystem::temp_directory_path().string() + "/tpe_maxmacs_" + std::to_string(getpid());
  std::filesystem::create_directories(d);
  std::ofstream(d + "/gemv.csv") << "Layer name, M, N, K,\ngemv, 1, 8, 8,\n";
  const CmdResult g =
      run_tpe("power --arch " + kArch + " --workload " + d + "/gemv.csv --max-macs 255");
  CHECK(g.status == 2);
  CHECK(g.out ==
        "tpe: error: " + d +
            "/gemv.csv:2: layer 'gemv': too large for gate-level "
            "simulation (--max-macs 255): 256 PE MACs with the padding of the 4x4 array (64 "
            "useful)\n");
  std::filesystem::remove_all(d);
}

TEST_CASE("incompatible inputs are refused before long work starts") {
  const std::string d =
      std::filesystem::temp_directory_path().string() + "/tpe_cliopt_" + std::to_string(getpid());
  std::filesystem::create_directories(d);
  // a calibration of another design: refused before the first layer is simulated
  std::ofstream(d + "/cal.json") << R"({"design": "systolic 8x8 ws mac int8 acc32"})";
  CmdResult r = run_tpe("sim --arch " + kArch + " --workload " + kSrc +
                        "/workloads/resnet50.csv --energy " + d + "/cal.json");
  CHECK(r.status == 2);
  CHECK(r.out.find("sim: [1/") == std::string::npos); // no layer ran
  // compare --workload with a PE that cannot be calibrated: refused before synthesis
  r = run_tpe("compare --arch " + kArch + " --arch " + kSrc +
              "/configs/pe/sa4x4_os_opt3.yaml --workload " + kWl);
  CHECK(r.status == 2);
  // the seed line and the error, no progress line between: no synthesis started
  CHECK(r.out == "compare: seed 1 (replay with --seed 1)\ntpe: error: " + kSrc +
                     "/configs/pe/sa4x4_os_opt3.yaml: pe: energy calibration of the serial PE "
                     "'opt3' is not supported: its model does not count MACs by operand class\n");
  std::filesystem::remove_all(d);
}
