// The CSV matrix parser (core/matrix_csv.h): numbers in every accepted spelling,
// comments, blank lines, CRLF and a byte-order mark; one FILE:LINE: problem line for
// every kind of bad input; the fuzz corpus (fuzz/corpus/matrix) parses or gives an
// InputError.
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/matrix_csv.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

using namespace tpe;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_real_matrix_text(text, "m.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
} // namespace

TEST_CASE("CSV matrices: accepted spellings") {
  const RealMatrix m = parse_real_matrix_text(
      "\xEF\xBB\xBF# a comment\n 1.5 , -2e3,0x1.8p3\r\n\n  nan, inf, -0\n", "m.csv");
  REQUIRE(m.rows.size() == 2);
  REQUIRE(m.rows[0].size() == 3);
  CHECK(m.rows[0][0] == 1.5);
  CHECK(m.rows[0][1] == -2000);
  CHECK(m.rows[0][2] == 12);
  CHECK(std::isnan(m.rows[1][0]));
  CHECK(std::isinf(m.rows[1][1]));
  CHECK(std::signbit(m.rows[1][2]));
  CHECK(m.line_of_row == std::vector<int>{2, 4});
  CHECK(parse_real_matrix_text("7", "m.csv").rows[0][0] == 7);
}

TEST_CASE("CSV matrices: one FILE:LINE: problem line per bad input") {
  CHECK(error_of("1, 2\n3, abc\n") == "m.csv:2: column 2: 'abc' is not a number");
  CHECK(error_of("1, 2\n3\n") == "m.csv:2: 1 cells, but line 1 has 2");
  CHECK(error_of("\n# only a comment\n") == "m.csv:1: the file holds no numbers");
  CHECK(error_of("") == "m.csv:1: the file holds no numbers");
  CHECK(error_of("1,,2\n") == "m.csv:1: column 2: empty cell (expected a number)");
  CHECK(error_of("1,\n") == "m.csv:1: column 2: empty cell (expected a number)");
  CHECK(error_of("-1e999\n") == "m.csv:1: column 1: '-1e999' is outside the binary64 range");
  CHECK(error_of("1 2\n") == "m.csv:1: column 1: '1 2' is not a number");
  CHECK(error_of(std::string("1\0", 2) + "5\n") == "m.csv:1: column 1: '1\\x005' is not a number");
  CHECK(error_of("\x01\n") == "m.csv:1: column 1: '\\x01' is not a number");
}

TEST_CASE("the matrix fuzz corpus parses or gives an InputError", "[fuzz]") {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(TPE_SOURCE_DIR) /
                                                           "fuzz/corpus/matrix")) {
    INFO(e.path().string());
    CHECK_NOTHROW(error_of(read_file(e.path().string())));
    ++n;
  }
  CHECK(n >= 5);
}
