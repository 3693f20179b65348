// Workload parsing: both CSV forms, SCALE-Sim quirks, im2col, errors with lines,
// and the shipped traces.
#include "core/error.h"
#include "core/workload.h"
#include <catch2/catch.hpp>

using namespace tpe;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_workload_text(text, "w.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
int64_t total_macs(const Workload& w) {
  int64_t s = 0;
  for (auto& l : w.layers)
    s += l.macs();
  return s;
}
} // namespace

TEST_CASE("GEMM rows with SCALE-Sim trailing commas, comments and CRLF") {
  const Workload w = parse_workload_text(
      "Layer name, M, N, K,\r\n# comment\n\ng0, 37, 53, 29,\r\ng1,1,2,3\n", "w.csv");
  REQUIRE(w.layers.size() == 2);
  CHECK(w.layers[0].name == "g0");
  CHECK(w.layers[0].M == 37);
  CHECK(w.layers[0].N == 53);
  CHECK(w.layers[0].K == 29);
  CHECK(w.layers[0].line == 4);
  CHECK(w.layers[1].macs() == 6);
}

TEST_CASE("convolution rows become GEMMs by im2col") {
  const Workload w = parse_workload_text("Layer name, IFMAP Height, IFMAP Width, Filter Height, "
                                         "Filter Width, Channels, Num Filter, Strides,\n"
                                         "conv1, 229, 229, 7, 7, 3, 64, 2,\nc3, 58, 58, 3, 3, 64, "
                                         "64, 1,\nodd, 10, 9, 3, 2, 4, 8, 3,\n",
                                         "w.csv");
  REQUIRE(w.layers.size() == 3);
  CHECK(w.layers[0].M == 112 * 112);
  CHECK(w.layers[0].N == 64);
  CHECK(w.layers[0].K == 7 * 7 * 3);
  CHECK(w.layers[1].M == 56 * 56);
  CHECK(w.layers[1].K == 576);
  // ofmap = ceil((H - R + s) / s): (10-3+3)/3 -> 4 (ceil of 3.33), (9-2+3)/3 -> 4
  CHECK(w.layers[2].M == 4 * 4);
  CHECK(w.layers[2].conv.ofmap_h() == 3 + 1);
}

TEST_CASE("malformed workloads give FILE:LINE: column: problem") {
  const std::string h = "Layer name, M, N, K,\n";
  CHECK(error_of(h + "g, 1, x, 3,\n") == "w.csv:2: N: expected a positive integer, got 'x'");
  CHECK(error_of(h + "g, 1, 0, 3,\n") == "w.csv:2: N: value 0 out of range 1..2147483647");
  CHECK(error_of(h + "g, 1, 2,\n") == "w.csv:2: row: expected 4 fields, found 3");
  CHECK(error_of(h + "g, 1, 2, 3, 4,\n") == "w.csv:2: row: expected 4 fields, found 5");
  CHECK(error_of(h + ", 1, 2, 3,\n") == "w.csv:2: Layer name: must not be empty");
  CHECK(error_of("name, rows, cols\n").find("w.csv:1: header: expected 'Layer name, M, N, K,'") ==
        0);
  CHECK(error_of("") == "w.csv:1: header: the workload file is empty");
  CHECK(error_of(h) == "w.csv:1: the workload has a header but no layers");
  CHECK(error_of(h + "g, 2147483647, 2147483647, 2147483647,\n") ==
        "w.csv:2: M*N*K: layer 'g' has 9903520300447984150353281023 MACs, more than the limit "
        "2^62");
  const std::string c = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                        "Channels, Num Filter, Strides,\n";
  CHECK(error_of(c + "c, 2, 8, 3, 3, 1, 1, 1,\n") ==
        "w.csv:2: Filter Height: filter is taller than the IFMAP");
  CHECK(error_of(c + "c, 8, 8, 3, 3, 1, 1, 0,\n") ==
        "w.csv:2: Strides: value 0 out of range 1..2147483647");
}

TEST_CASE("GEMM specs for tpe verify") {
  const Layer l = parse_gemm_spec("37x29x53");
  CHECK(l.M == 37);
  CHECK(l.K == 29);
  CHECK(l.N == 53);
  CHECK_THROWS_WITH(parse_gemm_spec("37x29"),
                    "--gemm: expected MxKxN (for example 37x29x53), got '37x29'");
  CHECK_THROWS_AS(parse_gemm_spec("0x1x1"), InputError);
}

TEST_CASE("shipped workloads parse and hold the real networks") {
  const std::string d = std::string(TPE_SOURCE_DIR) + "/workloads/";
  const Workload r = parse_workload_file(d + "resnet50.csv");
  CHECK(r.layers.size() == 54);
  CHECK(total_macs(r) == 4089184256LL);
  const Workload b = parse_workload_file(d + "bert_base_seq512.csv");
  CHECK(b.layers.size() == 30);
  CHECK(total_macs(b) == 4026531840LL);
  const Workload p = parse_workload_file(d + "llama2_7b_prefill_seq2048.csv");
  CHECK(p.layers.size() == 72);
  CHECK(total_macs(p) == 717259538432LL);
  const Workload g = parse_workload_file(d + "llama2_7b_decode.csv");
  CHECK(g.layers.size() == 72);
  for (auto& l : g.layers)
    CHECK(l.M == 1);
  CHECK_NOTHROW(parse_workload_file(d + "tiny_gemm.csv"));
  CHECK_NOTHROW(parse_workload_file(d + "tiny_conv.csv"));
}
