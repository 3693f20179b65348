// Long suite (make test-full, label "full"): random array shapes in 1..16 x 1..16
// for every dataflow, each with random GEMMs up to 64x64x64, RTL against model
// bit- and cycle-exact. Seed from $TPE_SEED (printed), default 20261123.
#include "core/tensor.h"
#include "core/workload.h"
#include "test_helpers.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iostream>
#include <sstream>

using namespace tpe;
using tpe::test::make_arch;

namespace {
void sweep(const std::string& df) {
  const char* env = std::getenv("TPE_SEED");
  const uint64_t seed = env ? std::strtoull(env, nullptr, 10) : 20261123ull;
  std::cerr << "full sweep " << df << ": seed " << seed << " (set TPE_SEED to replay)\n";
  INFO("seed " << seed);
  Rng rng(seed ^ std::hash<std::string>{}(df));
  for (int s = 0; s < 20; ++s) {
    const int r = static_cast<int>(rng.uniform(1, 16)), c = static_cast<int>(rng.uniform(1, 16));
    std::vector<Layer> g;
    for (int t = 0; t < 3; ++t)
      g.push_back(random_gemm(rng, 64, "g" + std::to_string(t)));
    VerifyOptions o;
    o.seed = static_cast<uint64_t>(rng.uniform(0, 1 << 30));
    std::ostringstream progress;
    const VerifyOutcome v = verify_systolic(make_arch(r, c, df), g, o, progress);
    INFO(df << " " << r << "x" << c << ": " << progress.str());
    CHECK(v.failure == "");
    CHECK(v.runs == 3);
  }
}
} // namespace

TEST_CASE("full sweep: output stationary") {
  sweep("os");
}
TEST_CASE("full sweep: weight stationary") {
  sweep("ws");
}
TEST_CASE("full sweep: input stationary") {
  sweep("is");
}
