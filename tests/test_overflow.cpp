// No silent wrong number: extreme GEMM shapes on every engine, dataflow and PE kind
// through `tpe sim` as a user runs it. Each count (cycles, MACs, padded PE work,
// SRAM elements and bytes, sums over layers) is either exact, compared with a
// reference computed here independently in unsigned 128-bit arithmetic from the
// padded dimensions of the documented timing model (README "Timing model",
// dataflows/broadcast_mapping.cpp), or refused with its one-line error. Also the
// checked arithmetic and exact JSON of core/count.h, the im2col limits, and auto
// mode choosing by padded work so that a small GEMV on a large array stays small.
#include "core/count.h"
#include "core/error.h"
#include "core/workload.h"
#include "reports/energy_model.h"
#include "reports/sim_report.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <unistd.h>

using namespace tpe;
using namespace tpe::test;

namespace {

__extension__ typedef unsigned __int128 U;

std::string dec(U x) {
  if (x == 0) return "0";
  std::string s;
  while (x) {
    s += static_cast<char>('0' + static_cast<int>(x % 10));
    x /= 10;
  }
  return std::string(s.rbegin(), s.rend());
}
U up(U a, U b) { // a rounded up to a multiple of b
  return (a + b - 1) / b * b;
}
U cdiv(U a, U b) {
  return (a + b - 1) / b;
}

std::string tmpdir() {
  const std::string d =
      std::filesystem::temp_directory_path().string() + "/tpe_overflow_" + std::to_string(getpid());
  std::filesystem::create_directories(d);
  return d;
}
void write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

struct Arch {
  std::string engine, dataflow, pe = "mac", format = "int8";
  int rows = 1, cols = 1, depth = 1, acc = 32;
  std::string yaml(const std::string& name) const {
    std::string y = "name: " + name + "\nengine: " + engine + "\ncols: " + std::to_string(cols) +
                    "\npe: " + pe + "\nformat: " + format + "\nacc_bits: " + std::to_string(acc) +
                    "\n";
    if (engine != "adder_tree") y += "rows: " + std::to_string(rows) + "\n";
    if (engine == "cube" || engine == "adder_tree") y += "depth: " + std::to_string(depth) + "\n";
    if (!dataflow.empty()) y += "dataflow: " + dataflow + "\n";
    return y;
  }
  int bits() const { return format == "int4" ? 4 : format == "int8" ? 8 : 16; }
};

// The reference counts of one layer, from padded dimensions.
struct Ref {
  U cycles, macs, pe_macs, ifmap, filter, ofmap_r, ofmap_w, ifmap_b, filter_b, ofmap_b;
};

Ref reference(const Arch& a, U M, U N, U K) {
  Ref r{};
  r.macs = M * N * K;
  U west_elems = 0, north_elems = 0; // operand SRAM elements read
  const U R = a.rows, C = a.cols, D = a.depth;
  if (a.engine == "systolic") {
    const bool is = a.dataflow == "is";
    const U Mp = is ? N : M, Np = is ? M : N; // port view: is computes C^T
    if (a.dataflow == "os") {
      // every fold (an R x C output tile) streams all of K, period K + R - 1
      const U folds = cdiv(Mp, R) * cdiv(Np, C);
      r.cycles = (folds - 1) * (K + R - 1) + K + 2 * R + C;
      r.pe_macs = up(Mp, R) * up(Np, C) * K;
      west_elems = up(Mp, R) * cdiv(Np, C) * K;
      north_elems = up(Np, C) * cdiv(Mp, R) * K;
      r.ofmap_w = up(Mp, R) * up(Np, C);
    } else {
      // every fold (an R x C tile of the stationary operand) streams all Mp rows
      const U folds = cdiv(Np, C) * cdiv(K, R);
      const U period = std::max<U>({Mp, 2 * R - 1, 3});
      r.cycles = (folds - 1) * period + Mp + 2 * R + C + 2;
      r.pe_macs = up(Np, C) * up(K, R) * Mp;
      west_elems = Mp * up(K, R) * cdiv(Np, C);
      north_elems = up(K, R) * up(Np, C);
      r.ofmap_w = folds * Mp * C;
      r.ofmap_r = (folds - cdiv(Np, C)) * Mp * C;
    }
    r.ifmap = is ? north_elems : west_elems;
    r.filter = is ? west_elems : north_elems;
  } else if (a.engine == "cube" || a.engine == "matrix2d") {
    const U G = cdiv(K, D), folds = cdiv(M, R) * cdiv(N, C);
    r.cycles = (folds - 1) * std::max<U>(G, R) + G + R + 2;
    r.pe_macs = up(M, R) * up(N, C) * up(K, D);
    r.ifmap = up(M, R) * up(K, D) * cdiv(N, C);
    r.filter = up(N, C) * up(K, D) * cdiv(M, R);
    r.ofmap_w = up(M, R) * up(N, C);
  } else { // adder_tree: C trees of width D, weights stationary
    const U folds = cdiv(N, C) * cdiv(K, D);
    r.cycles = folds * M + 4;
    r.pe_macs = up(N, C) * up(K, D) * M;
    r.ifmap = M * up(K, D) * cdiv(N, C);
    r.filter = up(N, C) * up(K, D);
    r.ofmap_w = folds * M * C;
    r.ofmap_r = (folds - cdiv(N, C)) * M * C;
  }
  r.ifmap_b = cdiv(r.ifmap * a.bits(), 8);
  r.filter_b = cdiv(r.filter * a.bits(), 8);
  r.ofmap_b = cdiv((r.ofmap_r + r.ofmap_w) * a.acc, 8);
  return r;
}

// The digits of "key": NUMBER after position `from` in a JSON text ("" if absent).
std::string json_number(const std::string& text, const std::string& key, size_t from = 0) {
  const std::string k = "\"" + key + "\": ";
  const size_t p = text.find(k, from);
  if (p == std::string::npos) return "";
  const size_t b = p + k.size();
  return text.substr(b, text.find_first_not_of("-0123456789", b) - b);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr int64_t kD = (int64_t(1) << 31) - 1; // the largest dimension

struct Shape {
  int64_t M, N, K;
};
// extreme shapes within the limits (every dimension below 2^31, at most 2^62 MACs)
const std::vector<Shape> kShapes = {
    {1, 1, 1},
    {kD, kD, 1},
    {1, kD, kD},
    {kD, 1, kD},
    {(int64_t(1) << 20) + 1, (int64_t(1) << 21) - 1, (int64_t(1) << 21) - 1},
    {kD, 2, int64_t(1) << 30},
    {3, kD, (int64_t(1) << 29) + 1},
    {257, 255, kD},
};

// Every engine, dataflow and fixed-latency PE kind, at the smallest and largest sizes.
std::vector<Arch> arches() {
  std::vector<Arch> v;
  for (const char* df : {"os", "ws", "is"})
    for (auto [r, c] : {std::pair{1, 1}, {16, 16}, {256, 256}, {1, 256}, {256, 1}})
      v.push_back({"systolic", df, "mac", "int8", r, c, 1, 32});
  v.push_back({"systolic", "ws", "booth", "int16", 256, 256, 1, 64});
  v.push_back({"systolic", "os", "ent", "int4", 7, 3, 1, 16});
  v.push_back({"systolic", "os", "opt1", "int8", 16, 16, 1, 32});
  v.push_back({"matrix2d", "os", "mac", "int8", 1, 1, 1, 32});
  v.push_back({"matrix2d", "os", "array", "int16", 256, 256, 1, 64});
  v.push_back({"cube", "os", "mac", "int8", 1, 1, 1, 32});
  v.push_back({"cube", "os", "mac", "int8", 8, 8, 4, 32});
  v.push_back({"cube", "os", "booth", "int16", 256, 256, 64, 64});
  v.push_back({"adder_tree", "ws", "mac", "int8", 1, 1, 1, 32});
  v.push_back({"adder_tree", "ws", "mac", "int8", 1, 16, 16, 32});
  v.push_back({"adder_tree", "ws", "ent", "int16", 1, 256, 256, 64});
  return v;
}

} // namespace

TEST_CASE("checked counts: exact, or CountOverflow: JSON writes counts beyond int64 exactly") {
  const Count big = Count(1) << 100;
  CHECK(count_str(big) == "1267650600228229401496703205376");
  CHECK(count_str(-big) == "-1267650600228229401496703205376");
  CHECK(count_str(0) == "0");
  CHECK(count_mul(Count(1) << 62, 1 << 20, "x") == Count(1) << 82);
  CHECK_THROWS_AS(count_mul(big, big, "x"), CountOverflow);
  CHECK_THROWS_AS(count_add(kCountMax, 1, "total cycles"), CountOverflow);
  CHECK_THROWS_WITH(count_add(kCountMax, 1, "total cycles"), "total cycles overflows");
  CHECK_THROWS_AS(count_to_int64(Count(1) << 63, "x"), CountOverflow);
  CHECK(count_to_int64((Count(1) << 63) - 1, "x") == INT64_MAX);
  CHECK_THROWS_AS(mul_int64(int64_t(1) << 32, int64_t(1) << 31, "x"), CountOverflow);
  CHECK(count_ceil_div(7, 2) == 4);
  CHECK(count_ceil_div(8, 2) == 4);

  nlohmann::json j;
  j["small"] = count_json(42);
  j["edge"] = count_json(INT64_MAX);
  j["big"] = count_json(big);
  j["neg"] = count_json(-big);
  j["list"] = {count_json(big), count_json(1)};
  // a text that looks like the placeholder but is not one stays a string
  j["name"] = std::string("\x01\x02tpe-count:12 x");
  const std::string s = dump_json(j, -1);
  CHECK(s == "{\"big\":1267650600228229401496703205376,\"edge\":9223372036854775807,"
             "\"list\":[1267650600228229401496703205376,1],"
             "\"name\":\"\\u0001\\u0002tpe-count:12 x\","
             "\"neg\":-1267650600228229401496703205376,\"small\":42}");
  CHECK_NOTHROW(nlohmann::json::parse(s));
}

TEST_CASE("extreme GEMMs on every engine: exact counts in analytic mode") {
  const std::string d = tmpdir();
  int runs = 0;
  for (const Arch& a : arches()) {
    const std::string name = a.engine + "_" + a.dataflow + "_" + a.pe + "_" +
                             std::to_string(a.rows) + "x" + std::to_string(a.cols) + "x" +
                             std::to_string(a.depth);
    write(d + "/" + name + ".yaml", a.yaml(name));
    std::string csv = "Layer name, M, N, K,\n";
    for (size_t i = 0; i < kShapes.size(); ++i)
      csv += "s" + std::to_string(i) + ", " + std::to_string(kShapes[i].M) + ", " +
             std::to_string(kShapes[i].N) + ", " + std::to_string(kShapes[i].K) + ",\n";
    write(d + "/shapes.csv", csv);
    const CmdResult r = run_tpe("sim --arch " + d + "/" + name + ".yaml --workload " + d +
                                "/shapes.csv --mode analytic --seed 1 --json " + d + "/r.json");
    INFO(name << ": " << r.out);
    REQUIRE(r.status == 0);
    const std::string js = read_text(d + "/r.json");
    U total_cycles = 0, total_macs = 0;
    size_t at = js.find("\"layers\"");
    for (size_t i = 0; i < kShapes.size(); ++i) {
      const Shape& s = kShapes[i];
      const Ref ref = reference(a, s.M, s.N, s.K);
      total_cycles += ref.cycles;
      total_macs += ref.macs;
      // the layer objects appear in order; keys sorted: K, M, N, cycles, ...
      at = js.find("\"K\": " + std::to_string(s.K) + ",", at);
      REQUIRE(at != std::string::npos);
      INFO("layer s" << i << " " << s.M << "x" << s.N << "x" << s.K);
      CHECK(json_number(js, "cycles", at) == dec(ref.cycles));
      CHECK(json_number(js, "macs", at) == dec(ref.macs));
      CHECK(json_number(js, "pe_macs", at) == dec(ref.pe_macs));
      CHECK(json_number(js, "ifmap_reads", at) == dec(ref.ifmap));
      CHECK(json_number(js, "filter_reads", at) == dec(ref.filter));
      CHECK(json_number(js, "ofmap_reads", at) == dec(ref.ofmap_r));
      CHECK(json_number(js, "ofmap_writes", at) == dec(ref.ofmap_w));
      CHECK(json_number(js, "ifmap_bytes", at) == dec(ref.ifmap_b));
      CHECK(json_number(js, "filter_bytes", at) == dec(ref.filter_b));
      CHECK(json_number(js, "ofmap_bytes", at) == dec(ref.ofmap_b));
      ++at;
    }
    CHECK(json_number(js, "total_cycles") == dec(total_cycles));
    CHECK(json_number(js, "total_macs") == dec(total_macs));
    // the table: no negative number anywhere, and the same totals
    CHECK(r.out.find(" -") == std::string::npos);
    CHECK(r.out.find("TOTAL") != std::string::npos);
    CHECK(r.out.find(" " + dec(total_cycles) + " " + dec(total_macs) + " ") != std::string::npos);
    ++runs;
  }
  CHECK(runs == static_cast<int>(arches().size()));
}

TEST_CASE("analytic counts equal the stepped model on small shapes (the reference is right)") {
  for (const Arch& a : arches()) {
    if (a.rows * a.cols * a.depth > 256) continue; // the stepped run of the large ones is slow
    ArchConfig ac = parse_arch_text(a.yaml("t"));
    for (Shape s : {Shape{1, 1, 1}, Shape{5, 7, 9}, Shape{17, 3, 33}, Shape{2, 40, 3}}) {
      Layer l;
      l.name = "g";
      l.M = s.M;
      l.N = s.N;
      l.K = s.K;
      RunOptions o;
      o.mode = SimMode::Timing;
      const LayerResult t = run_layer(ac, l, o);
      const Ref ref = reference(a, s.M, s.N, s.K);
      INFO(a.engine << " " << a.dataflow << " " << a.rows << "x" << a.cols << "x" << a.depth
                    << " GEMM " << s.M << "x" << s.N << "x" << s.K);
      CHECK(t.cycles == Count(ref.cycles));
      CHECK(t.pe_macs == Count(ref.pe_macs));
      CHECK(t.ifmap_reads == Count(ref.ifmap));
      CHECK(t.filter_reads == Count(ref.filter));
      CHECK(t.ofmap_reads == Count(ref.ofmap_r));
      CHECK(t.ofmap_writes == Count(ref.ofmap_w));
    }
  }
}

TEST_CASE("sums over layers are exact: a workload of many huge layers") {
  const std::string d = tmpdir();
  // 1000 layers of 2^62 MACs each on a 1x1 ws array: the sums need 72 bits
  std::string csv = "Layer name, M, N, K,\n";
  for (int i = 0; i < 1000; ++i)
    csv += "l" + std::to_string(i) + ", 1, 2147483648, 2147483648,\n";
  // 2^31 is above the limit: the parser refuses the first row
  write(d + "/w.csv", csv);
  write(d + "/a.yaml", "name: a\nengine: systolic\nrows: 1\ncols: 1\ndataflow: ws\n");
  CmdResult r = run_tpe("sim --arch " + d + "/a.yaml --workload " + d + "/w.csv --seed 1");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d + "/w.csv:2: N: value 2147483648 out of range 1..2147483647\n");
  csv = "Layer name, M, N, K,\n";
  for (int i = 0; i < 1000; ++i)
    csv += "l" + std::to_string(i) + ", 1, 2147483647, 2147483647,\n";
  write(d + "/w.csv", csv);
  r = run_tpe("sim --arch " + d + "/a.yaml --workload " + d + "/w.csv --seed 1 --json " + d +
              "/r.json --out " + d + "/out");
  REQUIRE(r.status == 0);
  Arch a{"systolic", "ws", "mac", "int8", 1, 1, 1, 32};
  const Ref one = reference(a, 1, kD, kD);
  CHECK(one.cycles > (U(1) << 63)); // 3 cycles per MAC: each layer's count alone exceeds int64
  const std::string js = read_text(d + "/r.json");
  CHECK(json_number(js, "total_cycles") == dec(one.cycles * 1000));
  CHECK(json_number(js, "total_macs") == dec(one.macs * 1000));
  const std::string csvr = read_text(d + "/out/sim_report.csv");
  CHECK(csvr.find("TOTAL,,,," + dec(one.cycles * 1000) + "," + dec(one.macs * 1000) + ",") !=
        std::string::npos);
  CHECK(csvr.find(",-") == std::string::npos);
  const std::string cr = read_text(d + "/out/COMPUTE_REPORT.csv");
  CHECK(cr.find("999, " + dec(one.cycles) + ", 0,") != std::string::npos);
  CHECK(nlohmann::json::parse(read_text(d + "/out/sim_report.json"))["layers"].size() == 1000);
}

TEST_CASE("im2col dimensions are computed exactly and refused above 2^31-1") {
  const std::string d = tmpdir();
  const std::string h = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                        "Channels, Num Filter, Strides,\n";
  const auto err = [&](const std::string& row) {
    write(d + "/c.csv", h + row);
    const CmdResult r = run_tpe("sim --arch " + std::string(TPE_SOURCE_DIR) +
                                "/configs/systolic_4x4_os.yaml --workload " + d +
                                "/c.csv --mode analytic --seed 1");
    return std::pair{r.status, r.out};
  };
  // K = (2^31-1)^3: far above 2^62, refused (it used to wrap to a negative K)
  auto [st, out] = err("c, 2147483647, 2147483647, 2147483647, 2147483647, 2147483647, 1, 1,\n");
  CHECK(st == 2);
  CHECK(out == "tpe: error: " + d +
                   "/c.csv:2: im2col K = Filter Height * Filter Width * Channels: "
                   "9903520300447984150353281023 exceeds the limit 2147483647 of a GEMM "
                   "dimension\n");
  // K = 2^31 exactly: one above the limit
  std::tie(st, out) = err("c, 2, 2, 2, 2, 536870912, 1, 1,\n");
  CHECK(st == 2);
  CHECK(out == "tpe: error: " + d +
                   "/c.csv:2: im2col K = Filter Height * Filter Width * Channels: 2147483648 "
                   "exceeds the limit 2147483647 of a GEMM dimension\n");
  // M = ofmap_h * ofmap_w = (2^31-1)^2
  std::tie(st, out) = err("c, 2147483647, 2147483647, 1, 1, 1, 1, 1,\n");
  CHECK(st == 2);
  CHECK(out == "tpe: error: " + d +
                   "/c.csv:2: im2col M = ofmap height * ofmap width: 4611686014132420609 "
                   "exceeds the limit 2147483647 of a GEMM dimension\n");
  // K = 2^31 - 1 exactly is accepted: 1 x 1 filter over 2^31 - 1 channels
  std::tie(st, out) = err("c, 1, 1, 1, 1, 2147483647, 1, 1,\n");
  CHECK(st == 0);
  CHECK(out.find("2147483647") != std::string::npos);
  CHECK(out.find(" -") == std::string::npos);
}

TEST_CASE("auto mode chooses by padded work: a small GEMV on a large array stays small") {
  const std::string d = tmpdir();
  write(d + "/s.yaml", "name: s\nengine: systolic\nrows: 256\ncols: 256\ndataflow: ws\n");
  write(d + "/c.yaml", "name: c\nengine: cube\nrows: 256\ncols: 256\ndepth: 64\n");
  // 1 x 1 x 2^22: 2^22 useful MACs, but on 256x256 ws 2^30 padded PE MACs and 2^30
  // north SRAM elements (4 GiB of images) in values mode
  write(d + "/g.csv", "Layer name, M, N, K,\ng1, 1, 1, 1,\ngemv, 1, 1, 4194304,\n"
                      "wide, 1, 4096, 1,\n");
  for (const char* arch : {"s", "c"}) {
    const CmdResult r = run_tpe("sim --arch " + d + "/" + arch + ".yaml --workload " + d +
                                "/g.csv --seed 1 --json " + d + "/r.json");
    INFO(arch << ": " << r.out);
    REQUIRE(r.status == 0);
    const nlohmann::json j = nlohmann::json::parse(read_text(d + "/r.json"));
    for (const auto& l : j["layers"]) {
      INFO(l["name"]);
      // values mode only when the padded work and the images are small
      if (l["mode"] == "values") {
        CHECK(l["pe_macs"].get<int64_t>() <= (int64_t(1) << 22));
      }
    }
    CHECK(j["layers"][1]["mode"] != "values");
  }
  // asked for explicitly, values mode is refused before allocating
  const CmdResult r =
      run_tpe("sim --arch " + d + "/s.yaml --workload " + d + "/g.csv --seed 1 --mode values");
  CHECK(r.status == 2);
  CHECK(last_line(r.out) == "tpe: error: " + d +
                                "/g.csv:3: layer 'gemv': values mode would hold "
                                "1086324994 operand, SRAM image and result elements on 256x256 "
                                "systolic (limit 134217728); use --mode timing or analytic");
  // a stepped run of 2^40 cycles is refused (it would run for days)
  write(d + "/h.csv", "Layer name, M, N, K,\nhuge, 2147483647, 2147483647, 1,\n");
  const CmdResult t =
      run_tpe("sim --arch " + d + "/s.yaml --workload " + d + "/h.csv --seed 1 --mode timing");
  CHECK(t.status == 2);
  CHECK(last_line(t.out).rfind(
            "tpe: error: " + d + "/h.csv:2: layer 'huge': timing mode would step up to ", 0) == 0);
  CHECK(last_line(t.out).find("; use --mode analytic") != std::string::npos);
}

TEST_CASE("serial PEs (values mode only): huge layers are refused, not allocated") {
  const std::string d = tmpdir();
  write(d + "/h.csv", "Layer name, M, N, K,\nok, 3, 5, 7,\nhuge, 1, 2147483647, 2147483647,\n");
  for (const char* pe : {"opt3", "opt4c", "bitserial", "pragmatic"}) {
    for (const char* engine : {"systolic", "matrix2d"}) {
      write(d + "/a.yaml", std::string("name: a\nengine: ") + engine +
                               "\nrows: 4\ncols: 4\ndataflow: os\npe: " + pe + "\n");
      const CmdResult r =
          run_tpe("sim --arch " + d + "/a.yaml --workload " + d + "/h.csv --seed 1");
      INFO(pe << " on " << engine << ": " << r.out);
      CHECK(r.status == 2);
      CHECK(last_line(r.out).rfind(
                "tpe: error: " + d + "/h.csv:3: layer 'huge': values mode would hold ", 0) == 0);
      CHECK(last_line(r.out).find("; PE '" + std::string(pe) + "' runs in values mode only") !=
            std::string::npos);
    }
  }
}

TEST_CASE("energy of a huge layer: finite, positive, from exact counts") {
  ArchConfig a = parse_arch_text("name: s\nengine: systolic\nrows: 16\ncols: 16\ndataflow: os\n");
  Layer l;
  l.name = "g";
  l.M = 1;
  l.N = kD;
  l.K = kD;
  RunOptions o;
  o.mode = SimMode::Analytic;
  const LayerResult r = run_layer(a, l, o);
  CHECK(r.pe_macs ==
        Count(reference({"systolic", "os", "mac", "int8", 16, 16, 1, 32}, 1, kD, kD).pe_macs));
  EnergyCalibration c;
  c.pj_per_cycle = 2;
  c.pj_two_nonzero = 0.5; // every useful MAC with two nonzero operands (analytic mode:
  c.frac_two_nonzero = 1; // the padding's MACs cost nothing beyond the cycle)
  c.node_nm = 130;
  c.volts = 1.8;
  c.clock_ns = 10; // the SRAM model's leakage is charged over cycles x clock
  const LayerEnergy e = layer_energy(a, r, c);
  CHECK(e.array_pj == Approx(2 * count_double(r.cycles) + 0.5 * count_double(r.macs)));
  const double dram_bytes = (double(kD) * double(kD) * 8 + double(kD) * 32 + double(kD) * 8) / 8;
  CHECK(e.dram_pj == Approx(dram_bytes * dram_pj_per_byte()));
  for (double v : {e.array_pj, e.ifmap_sram_pj, e.filter_sram_pj, e.ofmap_sram_pj, e.dram_pj}) {
    CHECK(std::isfinite(v));
    CHECK(v > 0);
  }
}

TEST_CASE("tpe verify and tpe power refuse a padded GEMM too large to hold, before building") {
  const std::string d = tmpdir();
  write(d + "/s.yaml", "name: s\nengine: systolic\nrows: 256\ncols: 256\ndataflow: ws\n");
  const std::string want = "tpe: error: layer 'gemm_1x4194304x1': values mode would hold "
                           "1086324994 operand, SRAM image and result elements on 256x256 "
                           "systolic (limit 134217728)";
  for (const std::string cmd : {"verify", "power"}) {
    const CmdResult r = run_tpe(cmd + " --arch " + d + "/s.yaml --gemm 1x4194304x1 --seed 1");
    INFO(cmd << ": " << r.out);
    CHECK(r.status == 2);
    // the seed line and the error, nothing between: no build or run started
    CHECK(r.out == cmd + ": seed 1 (replay with --seed 1)\n" + want + "\n");
  }
}

TEST_CASE("a sum over layers beyond 2^127 - 1 is one error naming the workload") {
  SimReport rep;
  rep.arch = parse_arch_text("name: s\nengine: systolic\nrows: 4\ncols: 4\ndataflow: os\n");
  rep.workload = "w.csv";
  LayerResult l;
  l.name = "g";
  l.cycles = kCountMax / 2 + 1;
  l.macs = 1;
  l.pe_macs = 1;
  rep.layers = {l, l};
  CHECK_THROWS_WITH(rep.total_cycles(), "w.csv: total cycles overflows (more than 2^127 - 1)");
  CHECK_THROWS_WITH(sim_table(rep), "w.csv: total cycles overflows (more than 2^127 - 1)");
  rep.layers.pop_back();
  CHECK(rep.total_cycles() == kCountMax / 2 + 1);
  CHECK(dump_json(sim_json(rep), -1)
            .find("\"total_cycles\":85070591730234615865843651857942052864,") != std::string::npos);
}
