// Benchmark: simulated cycles per second and MACs per second of the SystemC
// systolic model (with and without value computation) and of the Verilated RTL
// on the same GEMM, a 16x16 INT8 array on a layer of a shipped workload.
// Usage: bench_systolic [--layer NAME] [--workload CSV] [--dataflow os|ws|is]
// Prints one line per measurement and the model/RTL speed ratio.
#include "bench/bench_util.h"
#include "core/arch_config.h"
#include "core/workload.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/int_arith.h"
#include "sim/systolic_core.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/rtl_run.h"
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

using namespace tpe;

using tpe::bench::now;

int main(int argc, char** argv) {
  std::string workload = std::string(TPE_SOURCE_DIR) + "/workloads/bert_base_seq512.csv";
  std::string layer_name = "Q_proj", df = "os";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--layer")
      layer_name = argv[i + 1];
    else if (k == "--workload")
      workload = argv[i + 1];
    else if (k == "--dataflow")
      df = argv[i + 1];
  }
  ArchConfig a;
  a.name = "bench16x16_" + df;
  a.engine = "systolic";
  a.rows = a.cols = 16;
  a.dataflow = df;
  validate_arch(a);
  Layer layer;
  for (auto& l : parse_workload_file(workload).layers)
    if (l.name == layer_name) layer = l;
  if (layer.M == 0) {
    std::fprintf(stderr, "bench: no layer %s in %s\n", layer_name.c_str(), workload.c_str());
    return 2;
  }
  const SystolicMapping m = map_systolic(a, layer);
  std::printf(
      "bench: 16x16 int8 %s, layer %s of %s (M=%lld N=%lld K=%lld, %lld MACs, %lld cycles)\n",
      df.c_str(), layer.name.c_str(), workload.c_str(), (long long)layer.M, (long long)layer.N,
      (long long)layer.K, (long long)layer.macs(), (long long)count_to_int64(m.cycles(), "cycles"));
  Rng rng(1);
  const OperandMatrix A = random_operands(layer.M, layer.K, -128, 127, rng);
  const OperandMatrix B = random_operands(layer.K, layer.N, -128, 127, rng);
  const SramImages img = make_images(m, A, B);

  double model_values_cps = 0;
  for (bool values : {true, false}) {
    SystolicCore core(16, 16, 8, 8, 32, m.output_stationary);
    core.load(m, values ? &img : nullptr, values, false);
    core.start();
    const double t0 = now();
    const int64_t cycles =
        run_on_systemc_clock(core, count_to_int64(2 * m.cycles() + 1000, "cycles"));
    const double dt = now() - t0;
    const double cps = double(cycles) / dt;
    if (values) model_values_cps = cps;
    std::printf("bench: SystemC model, %-16s %8.3f s  %12.0f cycles/s  %14.0f MACs/s\n",
                values ? "with values:" : "timing only:", dt, cps, double(layer.macs()) / dt);
  }
  const RtlBinary bin = build_systolic_rtl(a);
  const std::string work =
      std::filesystem::temp_directory_path().string() + "/tpe_bench." + std::to_string(getpid());
  std::filesystem::create_directories(work);
  const RtlTrace t = run_rtl(bin, m, img, work);
  std::filesystem::remove_all(work);
  const double rtl_cps = double(t.done) / t.seconds;
  std::printf("bench: Verilated RTL,  %-16s %8.3f s  %12.0f cycles/s  %14.0f MACs/s  (build %s)\n",
              "clocked loop:", t.seconds, rtl_cps, double(layer.macs()) / t.seconds,
              bin.from_cache ? "cached" : (std::to_string(int(bin.build_seconds)) + " s").c_str());
  std::printf("bench: model (values) / RTL speed ratio: %.2f\n", model_values_cps / rtl_cps);
  return 0;
}
