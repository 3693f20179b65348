// Operand distributions (tpe sim/verify/power --operands) and the EN-T digit
// statistics tpe sim reports for EN-T-encoded PEs: with INT8 operands drawn from
// a normal distribution (mean 0, rounded, redrawn outside the range) the average
// nonzero digits per operand reproduce the published K = 128 figures.
#include "core/atomic_file.h"
#include "core/operand_dist.h"
#include "test_helpers.h"
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
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
  for (const char* bad :
       {"normal", "normal:0", "normal:-3", "normal:x", "random@1.5", "random@", "gauss:3",
        "normal:3:y", "student_t", "student_t:0.5", "student_t:x", "student_t:2e6"})
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

TEST_CASE("student_t:DOF is absmax-quantized per row: every row reaches the format's largest "
          "magnitude, and the tails are heavy") {
  const OperandDist d = parse_operand_dist("student_t:3@0.25");
  CHECK(d.fill == OperandFill::StudentT);
  CHECK(d.sd == 3);
  CHECK(d.sparsity == 0.25);
  Rng rng(5);
  const OperandMatrix m = fill_operands(64, 4096, 8, d, rng);
  int64_t zeros = 0, small = 0;
  for (int64_t i = 0; i < m.rows; ++i) {
    int32_t absmax = 0;
    for (int64_t j = 0; j < m.cols; ++j) {
      const int32_t v = m.at(i, j);
      REQUIRE(v >= -127);
      REQUIRE(v <= 127);
      absmax = std::max(absmax, std::abs(v));
      zeros += v == 0;
      small += v != 0 && std::abs(v) < 16;
    }
    CHECK(absmax == 127); // the row's largest draw maps to the format's largest value
  }
  const double n = double(m.data.size());
  // the 25% sparse elements plus the draws that round to 0 (|t| < absmax / 254)
  CHECK(zeros / n > 0.25);
  CHECK(zeros / n < 0.45);
  // heavy tails: the absmax of 4096 t(3) draws is ~15-30 sd, so most codes are small
  CHECK(small / n > 0.4);
  // float formats: the row's absmax is the format's largest finite value
  Rng frng(5);
  const OperandMatrix f = fill_operands(4, 64, "fp8_e4m3", parse_operand_dist("student_t:3"), frng);
  for (int64_t i = 0; i < f.rows; ++i) {
    bool has_max = false;
    for (int64_t j = 0; j < f.cols; ++j)
      has_max |= (f.at(i, j) & 0x7F) == 0x7E; // 448, E4M3's largest finite
    CHECK(has_max);
  }
  Rng a(4), b(4);
  CHECK(fill_operands(8, 33, 4, d, a).data == fill_operands(8, 33, 4, d, b).data);
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
