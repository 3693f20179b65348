// Block-scaled formats, L1 (issue 13 item 6): `tpe verify`'s checker proves every
// block format the engines take (mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4,
// mxint8, nvfp4, and mixed block x element designs) bit- and cycle-exact, Verilated RTL
// = model = golden GEMM, on odd shapes on a 1x1 and a 3x2 systolic os array, a 2x2 ws
// and a 3x2 is array (blocks spanning K-tiles), a 2x2x4 cube and 2 adder trees of
// depth 4 (54 designs, one Verilator build each; 40 of them took 6 minutes on the
// shared 2-core host).
#include "core/arch_config.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>
#include <sstream>

using namespace tpe;

namespace {
Layer gemm(int64_t M, int64_t K, int64_t N) {
  Layer l;
  l.name = "g" + std::to_string(M) + "x" + std::to_string(K) + "x" + std::to_string(N);
  l.M = M;
  l.K = K;
  l.N = N;
  return l;
}
} // namespace

TEST_CASE("every block format: Verilated RTL = model = golden on odd shapes, every engine") {
  const std::vector<Layer> shapes = {gemm(1, 1, 1),  gemm(3, 5, 2),  gemm(2, 16, 3),
                                     gemm(3, 32, 3), gemm(2, 33, 1), gemm(5, 70, 4)};
  const std::vector<std::pair<std::string, std::string>> designs = {
      {"format: mxfp8_e4m3", "fp32"},
      {"format: mxfp8_e5m2", "fp32"},
      {"format: mxfp6_e3m2", "bf16"},
      {"format: mxfp6_e2m3", "fp32"},
      {"format: mxfp4", "fp32"},
      {"format: mxint8", "fp16"},
      {"format: nvfp4", "fp32"},
      {"format: {act: fp8_e4m3, weight: mxfp8_e4m3}", "fp32"},
      {"format: {act: mxint8, weight: int8}", "bf16"},
  };
  const std::vector<std::string> engines = {"engine: systolic\nrows: 1\ncols: 1\ndataflow: os\n",
                                            "engine: systolic\nrows: 3\ncols: 2\ndataflow: os\n",
                                            "engine: systolic\nrows: 2\ncols: 2\ndataflow: ws\n",
                                            "engine: systolic\nrows: 3\ncols: 2\ndataflow: is\n",
                                            "engine: cube\nrows: 2\ncols: 2\ndepth: 4\n",
                                            "engine: adder_tree\ncols: 2\ndepth: 4\n"};
  int n = 0;
  for (const auto& e : engines)
    for (const auto& [fmt, acc] : designs) {
      const std::string name = "fb" + std::to_string(n++);
      const ArchConfig a = parse_arch_text(
          "name: " + name + "\n" + e + fmt + "\naccumulate: " + acc + "\n", "f.yaml");
      INFO(e << fmt << " " << acc);
      VerifyOptions o;
      o.seed = 31 + n;
      std::ostringstream progress;
      const VerifyOutcome r = verify_systolic(a, shapes, o, progress);
      CHECK(r.failure == "");
      CHECK(r.runs == int(shapes.size()));
    }
}
