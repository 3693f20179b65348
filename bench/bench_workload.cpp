// Benchmark: the workload CSV parser on a generated GEMM workload of N rows
// (default 1,000,000). Writes the file to TMPDIR, times parse_workload_file (read
// and parse), and prints the rows per second, the seconds per 100,000 rows, the
// file size and the peak resident memory of the process (getrusage ru_maxrss)
// before and after parsing. Usage: bench_workload [--rows N]
#include "bench/bench_util.h"
#include "core/cleanup.h"
#include "core/workload.h"
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

using namespace tpe;
using tpe::bench::now;

namespace {
double peak_rss_mb() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0; // Linux: kilobytes
}
} // namespace

int main(int argc, char** argv) {
  int64_t rows = 1000000;
  for (int i = 1; i + 1 < argc; i += 2)
    if (std::string(argv[i]) == "--rows") rows = std::atoll(argv[i + 1]);
  if (rows < 1) {
    std::fprintf(stderr, "bench_workload: --rows must be positive\n");
    return 2;
  }
  const TempPath dir = make_temp_dir("tpe_bench_workload");
  const std::string path = dir.path() + "/w.csv";
  { // streamed, so the generator adds nothing to the peak memory
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) return 1;
    std::fputs("Layer name, M, N, K,\n", f);
    for (int64_t i = 0; i < rows; ++i)
      std::fprintf(f, "layer_%lld, %lld, %lld, %lld,\n", static_cast<long long>(i),
                   static_cast<long long>(1 + i % 512), static_cast<long long>(1 + i % 768),
                   static_cast<long long>(1 + i % 3072));
    if (std::fclose(f) != 0) return 1;
  }
  const double bytes = static_cast<double>(std::filesystem::file_size(path));
  const double rss0 = peak_rss_mb();
  const double t0 = now();
  const Workload w = parse_workload_file(path);
  const double sec = now() - t0;
  if (static_cast<int64_t>(w.layers.size()) != rows) {
    std::fprintf(stderr, "bench_workload: parsed %zu layers, expected %lld\n", w.layers.size(),
                 static_cast<long long>(rows));
    return 1;
  }
  std::printf("bench: workload of %lld GEMM rows, %.1f MB: parsed in %.3f s (%.3f s per 100,000 "
              "rows, %.2f M rows/s)\n",
              static_cast<long long>(rows), bytes / 1e6, sec, sec * 1e5 / rows, rows / sec / 1e6);
  std::printf("bench: peak resident memory %.0f MB before parsing, %.0f MB after\n", rss0,
              peak_rss_mb());
  return 0;
}
