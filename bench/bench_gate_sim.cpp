// Benchmark: the native gate-level simulator (reports/gate_sim.h) on the mapped
// netlist of a systolic array: time to flatten and levelize the netlist, cycles
// and cell evaluations per second on one GEMM, and the process's peak memory.
// Usage: bench_gate_sim [--arch FILE] [--gemm MxKxN] [--liberty FILE]
// (default configs/systolic_16x16_os.yaml, GEMM (2R)x128x(2C), the library as for tpe power).
#include "bench/bench_util.h"
#include "core/arch_config.h"
#include "core/workload.h"
#include "reports/power.h"
#include "testbenches/lib/verify.h"
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

using namespace tpe;

using tpe::bench::now;

int main(int argc, char** argv) {
  std::string arch_file = std::string(TPE_SOURCE_DIR) + "/configs/systolic_16x16_os.yaml";
  std::string gemm, liberty;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--arch")
      arch_file = argv[i + 1];
    else if (k == "--gemm")
      gemm = argv[i + 1];
    else if (k == "--liberty")
      liberty = argv[i + 1];
  }
  try {
    const ArchConfig a = parse_arch_file(arch_file);
    if (gemm.empty()) gemm = std::to_string(2 * a.rows) + "x128x" + std::to_string(2 * a.cols);
    SynthOptions so;
    so.lib = choose_library(liberty);
    so.workdir = (std::filesystem::temp_directory_path() /
                  ("tpe_bench_gate_sim." + std::to_string(getpid())))
                     .string();
    double t = now();
    const SynthReport rep = synthesize(a, so);
    std::printf("bench_gate_sim: %s, %s, synthesis %.1f s\n", a.name.c_str(), rep.library.c_str(),
                now() - t);
    std::unique_ptr<Liberty> lib;
    if (!rep.generic) lib = std::make_unique<Liberty>(parse_liberty(so.lib.timing_lib));
    nlohmann::json net;
    {
      std::ifstream in(so.workdir + "/netlist.json");
      net = nlohmann::json::parse(in);
    }
    t = now();
    GateSim sim(net, rep.top, lib.get());
    std::printf("bench_gate_sim: flatten and levelize: %.2f s, %lld cells, %lld nets\n", now() - t,
                static_cast<long long>(sim.cell_count()), static_cast<long long>(sim.net_count()));
    Rng rng(1);
    const ModelRun mr = run_model(a, parse_gemm_spec(gemm), OperandDist{}, rng);
    t = now();
    const harness::Result r = run_gate_native(sim, a, mr.map, mr.images);
    const double s = now() - t;
    if (!r.error.empty()) {
      std::fprintf(stderr, "bench_gate_sim: %s\n", r.error.c_str());
      return 1;
    }
    // reset included: the harness clocks 4 reset cycles before the GEMM
    const double cycles = double(r.done + 4);
    std::printf("bench_gate_sim: GEMM %s: %lld cycles in %.2f s: %.0f cycles/s, %.2e "
                "cell-cycles/s\n",
                gemm.c_str(), static_cast<long long>(r.done), s, cycles / s,
                cycles * double(sim.cell_count()) / s);
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    std::printf("bench_gate_sim: peak resident memory %.0f MB\n", double(u.ru_maxrss) / 1024.0);
    std::error_code ec;
    std::filesystem::remove_all(so.workdir, ec);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gate_sim: %s\n", e.what());
    return 1;
  }
  return 0;
}
