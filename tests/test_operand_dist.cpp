// Operand distributions (tpe sim/verify/power --operands) and the EN-T digit
// statistics tpe sim reports for EN-T-encoded PEs: with INT8 operands drawn from
// a normal distribution (mean 0, rounded, redrawn outside the range) the average
// nonzero digits per operand reproduce the published K = 128 figures.
#include "core/atomic_file.h"
#include "core/operand_dist.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

using namespace tpe;

TEST_CASE("operand distributions parse with mean and sparsity, and bad ones are refused") {
  const OperandDist n = parse_operand_dist("normal:20:5@0.25");
  CHECK(n.fill == OperandFill::Normal);
  CHECK(n.sd == 20);
  CHECK(n.mean == 5);
  CHECK(n.sparsity == 0.25);
  CHECK(parse_operand_dist("uniform").fill == OperandFill::Random);
  CHECK(parse_operand_dist("random@1").sparsity == 1);
  for (const char* bad : {"normal", "normal:0", "normal:-3", "normal:x", "random@1.5", "random@",
                          "gauss:3", "normal:3:y"})
    CHECK_THROWS_WITH(parse_operand_dist(bad), Catch::Contains(std::string("'") + bad + "'"));
}

TEST_CASE("drawn operands follow the asked mean, spread and sparsity") {
  Rng rng(9);
  const OperandMatrix m = fill_operands(300, 300, 8, parse_operand_dist("normal:10:-20@0.3"), rng);
  int64_t zeros = 0;
  double sum = 0, n = 0;
  for (int32_t v : m.data) {
    REQUIRE(v >= -128);
    REQUIRE(v <= 127);
    if (v == 0)
      ++zeros;
    else {
      sum += v;
      n += 1;
    }
  }
  // zeros: the 30% sparsity plus the rare normal draw that rounds to 0
  CHECK(double(zeros) / m.data.size() == Approx(0.3).margin(0.02));
  CHECK(sum / n == Approx(-20).margin(0.3));
  Rng far(1); // a mean far outside the range is an error, not an endless redraw
  CHECK_THROWS_WITH(fill_operands(2, 2, 8, parse_operand_dist("normal:1:200"), far),
                    Catch::Contains("almost never falls inside the 8-bit operand range"));
  Rng a(4), b(4);
  CHECK(fill_operands(20, 20, 8, OperandFill::Random, a).data ==
        fill_operands(20, 20, 8, OperandFill::Random, b).data);
}

TEST_CASE("tpe sim reports EN-T nonzero digits matching the published K=128 averages") {
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/tpe_ent_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/a.yaml",
                    "name: e4\nengine: systolic\nrows: 4\ncols: 4\ndataflow: os\npe: ent\n");
  write_file_atomic(dir + "/w.csv", "Layer name, M, N, K,\nq, 1024, 4, 128,\n");
  const double published[] = {1.75, 2.10, 2.32, 2.48, 2.60};
  for (int i = 0; i < 5; ++i) {
    const int sd = 10 * (i + 1);
    INFO("sd " << sd);
    const auto r =
        tpe::test::run_tpe("sim --arch " + dir + "/a.yaml --workload " + dir +
                           "/w.csv --mode values --operands normal:" + std::to_string(sd) +
                           " --seed 1 --json " + dir + "/s.json");
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(read_file(dir + "/s.json"));
    const double got = j["avg_nonzero_digits"];
    CHECK(j["layers"][0]["ent_operands"] == 1024 * 128);
    CHECK(std::fabs(got - published[i]) < 0.03);
  }
  // a PE without EN-T reports no digit statistics
  write_file_atomic(dir + "/m.yaml",
                    "name: m4\nengine: systolic\nrows: 4\ncols: 4\ndataflow: os\n");
  REQUIRE(tpe::test::run_tpe("sim --arch " + dir + "/m.yaml --workload " + dir +
                             "/w.csv --mode values --seed 1 --json " + dir + "/m.json")
              .status == 0);
  CHECK_FALSE(nlohmann::json::parse(read_file(dir + "/m.json")).contains("avg_nonzero_digits"));
  std::filesystem::remove_all(dir);
}
