// Workload parsing: both CSV forms, SCALE-Sim quirks, im2col, errors with lines,
// and the shipped traces.
#include "core/error.h"
#include "core/workload.h"
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

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

TEST_CASE("SCALE-Sim's topology variants: header names, BOM, column stride, depthwise, #") {
  // the header's names are not compared; a UTF-8 BOM is skipped
  for (const char* h : {"Layer,M,N,K,", "L,M,N,K,", "\xEF\xBB\xBFLayer Name, M, N, K,"}) {
    const Workload w = parse_workload_text(std::string(h) + "\ng, 3, 5, 7,\n", "w.csv");
    REQUIRE(w.layers.size() == 1);
    CHECK((w.layers[0].M == 3 && w.layers[0].N == 5 && w.layers[0].K == 7));
  }
  // a 9th value is the column stride (SCALE-Sim v2): M = ofmap_h x ofmap_w with
  // ofmap_w = ceil((W - S + sw) / sw)
  const Workload s = parse_workload_text(
      "Layer, IFMAP Width, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
      "Strides,\nsw2, 9, 12, 2, 3, 2, 7, 1, 2,\nc, 8, 8, 3, 3, 4, 5, 2, #dw\n",
      "w.csv");
  REQUIRE(s.layers.size() == 2);
  CHECK(s.layers[0].M == 8 * 6); // ofmap 8 x ceil((12 - 3 + 2) / 2) = 6
  CHECK(s.layers[0].K == 2 * 3 * 2);
  CHECK(s.layers[1].M == 16); // "#dw" after the last comma is a comment; ofmap 4 x 4
  // depthwise: a name with DP runs per channel, Channels = 1, the filters kept
  const Workload d = parse_workload_text(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num "
      "Filter, Strides,\ndw_DP, 8, 8, 3, 3, 3, 2, 1,\ndp_lower, 8, 8, 3, 3, 3, 2, 1,\n",
      "w.csv");
  REQUIRE(d.layers.size() == 4);
  CHECK(d.layers[0].name == "dw_DPChannel_0");
  CHECK(d.layers[2].name == "dw_DPChannel_2");
  CHECK((d.layers[1].M == 36 && d.layers[1].K == 9 && d.layers[1].N == 2));
  CHECK(d.layers[1].conv.channels == 1);
  CHECK(d.layers[3].name == "dp_lower"); // "DP" is case-sensitive, as in SCALE-Sim
  // v3's Sparsity column: dense ratios only; unknown extra columns refused
  const std::string conv_sp = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter "
                              "Width, Channels, Num Filter, Strides, Sparsity,\n";
  CHECK(parse_workload_text(conv_sp + "c, 5, 5, 3, 3, 2, 6, 1, 2:2,\n", "w.csv").layers.size() ==
        1);
  CHECK(error_of(conv_sp + "c, 5, 5, 3, 3, 2, 6, 1, 2:4,\n")
            .rfind("w.csv:2: Sparsity: N:M structured sparsity (2:4, SCALE-Sim v3) is not "
                   "modelled",
                   0) == 0);
  CHECK(error_of("Layer Name, M, N, K, Sparsity,\ng, 3, 5, 16, 4:3,\n")
            .rfind("w.csv:2: Sparsity: expected N:M with 1 <= N <= M", 0) == 0);
  CHECK(error_of("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                 "Num Filter, Strides, Batch Size,\nc, 5, 5, 3, 3, 2, 6, 1, 1,\n")
            .rfind("w.csv:1: Batch Size: not a SCALE-Sim column", 0) == 0);
  CHECK(error_of("Layer,M,N,K,\ng, 3, 5, 7, 9,\n") == "w.csv:2: row: expected 4 fields, found 5");
  // a 9th value counts only before a trailing comma (or a comment), as SCALE-Sim drops
  // the last field of a row
  const std::string ch = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                         "Channels, Num Filter, Strides,\n";
  CHECK(error_of(ch + "c, 8, 8, 2, 2, 1, 1, 2, 3\n")
            .rfind("w.csv:2: row: 9 values without the trailing comma", 0) == 0);
  CHECK(parse_workload_text(ch + "c, 8, 8, 2, 2, 1, 1, 2, 3, #x\n", "w.csv").layers[0].M == 4 * 3);
  CHECK(parse_workload_text(ch + "c, 8, 8, 2, 2, 1, 1, 2\n", "w.csv").layers[0].M == 4 * 4);
  CHECK(error_of(ch + std::string(250, 'n') + "DP, 8, 8, 2, 2, 12, 1, 2,\n")
            .rfind("w.csv:2: Layer name: with the depthwise split's suffix ('Channel_0') longer "
                   "than 256 bytes",
                   0) == 0);
  CHECK(error_of("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                 "Num Filter, Strides,\nbig_DP, 8, 8, 3, 3, 70000, 2, 1,\n")
            .rfind("w.csv:2: Channels: a depthwise (DP) layer of 70000 channels", 0) == 0);
  std::string many = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                     "Channels, Num Filter, Strides,\n";
  for (int i = 0; i < 5; ++i)
    many += "x_DP, 4, 4, 3, 3, 65536, 1, 1,\n";
  CHECK(error_of(many) == "w.csv:6: Channels: splitting depthwise (DP) layers per channel would "
                          "give more than 262144 layers");
}

// Every topology file of SCALE-Sim v2 and v3 in tests/fixtures/scalesim-topologies
// (one per format variant, TOPOLOGIES notes in its README): a file a SCALE-Sim
// version reads gives tpe the layers that version reads (names, M, N, K, MACs); a
// file neither reads is refused, except where tpe reads more (listed); a file only a
// version tpe does not follow reads is refused with the reason (listed).
TEST_CASE("tpe reads SCALE-Sim's shipped topology files as SCALE-Sim does") {
  const std::string dir = std::string(TPE_SOURCE_DIR) + "/tests/fixtures/scalesim-topologies";
  std::ifstream in(dir + "/expected_parse.json");
  const nlohmann::json exp = nlohmann::json::parse(in);
  // tpe reads rows without the trailing comma SCALE-Sim needs (mobilnet_reduce_run)
  const std::set<std::string> tpe_reads_more = {"v2/topologies/conv_nets/mobilnet_reduce_run.csv"};
  // v3 sparsity (not modelled) and a "Batch Size" column v2 would take as a stride
  const std::map<std::string, std::string> refused = {
      {"v3/topologies/sparsity/alexnet_part.csv", "Sparsity: N:M structured sparsity"},
      {"v3/topologies/sparsity/conv.csv", "Sparsity: N:M structured sparsity"},
      {"v3/topologies/sparsity/gemm.csv", "Sparsity: N:M structured sparsity"},
      {"v3/topologies/llama/llama3b.csv", "Batch Size: not a SCALE-Sim column"},
  };
  int read = 0, matched_layers = 0;
  for (auto it = exp.begin(); it != exp.end(); ++it) {
    const std::string rel = it.key();
    INFO(rel);
    const nlohmann::json& v2 = it.value()["v2"];
    const nlohmann::json& v3 = it.value()["v3"];
    const nlohmann::json* ref =
        v2.contains("layers") ? &v2 : (v3.contains("layers") ? &v3 : nullptr);
    Workload w;
    std::string err;
    try {
      w = parse_workload_file(dir + "/" + rel);
    } catch (const InputError& e) {
      err = e.what();
    }
    if (refused.count(rel)) {
      CHECK(err.find(refused.at(rel)) != std::string::npos);
      continue;
    }
    if (!ref) {
      if (tpe_reads_more.count(rel))
        CHECK(err.empty());
      else
        CHECK_FALSE(err.empty());
      continue;
    }
    REQUIRE(err.empty());
    ++read;
    const nlohmann::json& layers = (*ref)["layers"];
    REQUIRE(w.layers.size() == layers.size());
    for (size_t i = 0; i < layers.size(); ++i) {
      const Layer& l = w.layers[i];
      INFO("layer " << i << " " << layers[i].dump());
      CHECK(l.name == layers[i]["name"].get<std::string>());
      CHECK(l.M == layers[i]["M"].get<int64_t>());
      CHECK(l.N == layers[i]["N"].get<int64_t>());
      CHECK(l.K == layers[i]["K"].get<int64_t>());
      CHECK(l.macs() == layers[i]["macs"].get<int64_t>());
      ++matched_layers;
    }
  }
  CHECK(read == 13);
  CHECK(matched_layers >= 80);
}
