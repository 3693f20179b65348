// The L1 formats sweep (tests/formats_sweep.h) in the default suite: its list holds
// every format the engines accept, it enumerates every format on every engine at three
// sizes plus the rotated accumulators, L-Mul offsets and mixed pairs, a refusal is the
// parser's own message, a handful of representative configurations pass `tpe verify`'s
// code path, and an injected fault fails with a replay line. The whole sweep is
// tests/full_formats_sweep.cpp (make formats-sweep).
#include "formats_sweep.h"
#include "pe_models/number_format.h"
#include "sweep_resume.h"
#include <algorithm>
#include <catch2/catch.hpp>
#include <iostream>
#include <set>
#include <unistd.h>

using namespace tpe;
using namespace tpe::sweep;

namespace {
const Config& find_config(const std::vector<Config>& all, const std::string& id) {
  for (const Config& c : all)
    if (c.id == id) return c;
  FAIL("no sweep configuration " << id);
  return all.front();
}
std::string temp_arch_dir() {
  return std::filesystem::temp_directory_path().string() + "/tpe_sweep_" + std::to_string(getpid());
}
} // namespace

TEST_CASE("the sweep's format list holds every format the engines accept") {
  std::set<std::string> listed(sweep_formats().begin(), sweep_formats().end());
  CHECK(listed.size() == sweep_formats().size());
  for (const std::string& f : FormatRegistry::instance().names()) {
    bool accepted = true;
    try {
      parse_arch_text("name: x\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\nformat: " + f +
                      "\n");
    } catch (const InputError&) {
      accepted = false;
    }
    INFO(f);
    CHECK(accepted == (listed.count(f) == 1));
  }
  for (const std::string& f : sweep_formats()) {
    INFO(f);
    CHECK(FormatRegistry::instance().find(f) != nullptr);
  }
}

TEST_CASE("the sweep enumerates every format on every engine at three sizes") {
  const std::vector<Config> all = sweep_configs();
  std::set<std::string> ids;
  std::map<std::string, int> kinds;
  std::map<std::pair<std::string, std::string>, int> grid;
  for (const Config& c : all) {
    CHECK(ids.insert(c.id).second);
    ++kinds[c.kind];
    if (c.kind == "grid") ++grid[{c.format, c.column}];
    CHECK(c.yaml.find("name: " + c.id + "\n") == 0);
  }
  const size_t F = sweep_formats().size(), E = engine_kinds().size();
  CHECK(grid.size() == F * E);
  for (const auto& [k, n] : grid)
    CHECK(n == 3);
  CHECK(kinds["lmul"] == int(lmul_formats().size() * lmul_offsets().size()));
  // fp16, bf16, fixed per format; fp32 too for the integers (their default is int)
  int ints = 0;
  for (const std::string& f : sweep_formats())
    ints += is_integer_format(f);
  CHECK(kinds["acc"] == int(3 * F) + ints);
  // ordered pairs of one code width: 8 bits 7 formats (int8, fp8_e4m3, fp8_e5m2, hif8,
  // mxfp8_e4m3, mxfp8_e5m2, mxint8), 16 bits 3, 6 bits 5 (int6, two FP6, two MXFP6), 4
  // bits 4 (int4, fp4_e2m1, mxfp4, nvfp4)
  CHECK(kinds["mixed"] == 7 * 6 + 3 * 2 + 5 * 4 + 4 * 3);
  // pairs of two widths: each of two widths, every format as act and as weight
  const auto mw = mixed_width_pairs(sweep_formats());
  CHECK(kinds["mixed_width"] == int(mw.size()));
  for (const auto& [a, w] : mw)
    CHECK(lookup_format(a).bits != lookup_format(w).bits);
  for (const std::string& f : sweep_formats()) {
    INFO(f);
    CHECK(std::count_if(mw.begin(), mw.end(), [&](const auto& p) { return p.first == f; }) > 0);
    CHECK(std::count_if(mw.begin(), mw.end(), [&](const auto& p) { return p.second == f; }) > 0);
  }
  CHECK(std::count(mw.begin(), mw.end(), std::pair<std::string, std::string>{"int8", "int4"}) == 1);
  // the engine of each rotated accumulator differs between neighbouring formats
  CHECK(find_config(all, "sw_os_2x2_int2_acc_fp32").column == "os");
  CHECK(find_config(all, "sw_ws_2x2_int3_acc_fp32").column == "ws");
  // GEMMs: K = 1 and M, K, N not multiples of 2 or 3 (other than 1)
  bool k1 = false;
  for (const Layer& g : sweep_gemms()) {
    k1 |= g.K == 1;
    for (int64_t d : {g.M, g.K, g.N})
      CHECK((d == 1 || (d % 2 != 0 && d % 3 != 0) || d == 2));
  }
  CHECK(k1);
  // what the parser takes: every format at depth 1 on every engine; print the totals
  int refused = 0, runs = 0;
  std::vector<ConfigResult> refusals;
  for (const Config& c : all) {
    try {
      const ArchConfig a = parse_arch_text(c.yaml, c.id + ".yaml");
      runs += int(config_runs(c, a, kSweepSeed).size());
    } catch (const InputError& e) {
      ++refused;
      refusals.emplace_back();
      refusals.back().refused = true;
      refusals.back().refusal = e.what();
      std::cerr << "refused: " << c.id << "\n";
      INFO(c.id << ": " << e.what());
      const bool deep = c.yaml.find("depth: ") != std::string::npos &&
                        c.yaml.find("depth: 1\n") == std::string::npos;
      // the default accumulator: refused for depth > 1 only (a group sum too wide, a
      // group straddling two blocks; docs/formats-engines.md)
      CHECK((c.kind != "grid" || deep));
    }
  }
  std::cerr << "formats sweep: " << all.size() << " configurations, " << refused
            << " refused by the parser, " << runs << " verify runs\n"
            << refusal_summary(refusals);
  CHECK(refused < int(all.size()) / 4);
}

TEST_CASE("a configuration the parser refuses is counted with the parser's message") {
  const std::vector<Config> all = sweep_configs();
  std::ostringstream log;
  // bf16 on a depth-2 cube: the exact group sum needs 524 bits
  const ConfigResult r =
      run_config(find_config(all, "sw_cube_2x2x2_bf16"), 1, temp_arch_dir(), log);
  CHECK(r.refused);
  CHECK(r.runs == 0);
  CHECK(r.refusal.find("sw_cube_2x2x2_bf16.yaml:5: depth: the exact sum of 2 bf16 x bf16") !=
        std::string::npos);
  CHECK(log.str().find("refused") != std::string::npos);
  std::vector<Config> one = {find_config(all, "sw_cube_2x2x2_bf16")};
  CHECK(refusal_summary({r}).find("1 x depth: the exact sum") != std::string::npos);
  CHECK(coverage_table(one, {r}, "grid").find("| bf16 | | | | 1 refused |") != std::string::npos);
}

TEST_CASE("every act x weight pair on every engine and accumulator parses or is one line") {
  // 30 x 30 formats x 6 engine kinds x 5 accumulators (none, fp32, fp16, bf16, fixed):
  // the parser takes each or refuses it with an InputError, never another exception
  int taken = 0, refused = 0;
  for (const std::string& a : sweep_formats())
    for (const std::string& w : sweep_formats())
      for (const sweep::EngineKind& e : engine_kinds())
        for (const char* acc : {"", "fp32", "fp16", "bf16", "fixed"}) {
          const std::string y = arch_yaml("p", e, e.sizes[2], a, w, acc, "mac", "");
          INFO(y);
          try {
            parse_arch_text(y, "p.yaml");
            ++taken;
          } catch (const InputError& err) {
            CHECK(std::string(err.what()).rfind("p.yaml:", 0) == 0);
            CHECK(std::string(err.what()).find('\n') == std::string::npos);
            ++refused;
          }
        }
  CHECK(taken > 10000);
  CHECK(refused > 0);
}

TEST_CASE("representative sweep configurations pass tpe verify's checks") {
  const std::vector<Config> all = sweep_configs();
  const std::string dir = temp_arch_dir();
  std::vector<const Config*> picks;
  for (const char* id : {"sw_cube_2x2x2_fp8_e4m3", "sw_is_3x2_hif8", "sw_adder_tree_2x2_fp4_e2m1",
                         "sw_matrix2d_3x2_int5", "sw_ws_1x1_fp16", "sw_os_2x2_fp6_e2m3_acc_fixed",
                         "sw_adder_tree_1x1_fp16_lmul_const4"})
    picks.push_back(&find_config(all, id));
  // mixed pairs by their formats (their engines rotate with the length of the format list)
  // fp8_e4m3 x nvfp4: the element decoder is also the other operand's scale decoder
  for (const char* f :
       {"fp8_e5m2 x hif8", "int8 x int4", "mxfp8_e4m3 x mxfp4", "fp8_e4m3 x nvfp4"}) {
    const auto mixed = std::find_if(all.begin(), all.end(), [&](const Config& c) {
      return c.kind.rfind("mixed", 0) == 0 && c.format == f;
    });
    REQUIRE(mixed != all.end());
    picks.push_back(&*mixed);
  }
  for (const Config* c : picks) {
    const std::string& id = c->id;
    std::ostringstream log;
    const ConfigResult r = run_config(*c, kSweepSeed, dir, log);
    std::cerr << log.str();
    INFO(id << "\n" << log.str());
    CHECK(!r.refused);
    CHECK(r.runs == 5);
    CHECK(r.passed == r.runs);
    CHECK(r.failure == "");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("the sweep reports an injected fault with its replay line") {
  // the 1x1 os PE adds the first product of a fold to the old accumulator
  const std::vector<Config> all = sweep_configs();
  const Config& c = find_config(all, "sw_os_1x1_fp8_e4m3");
  const RtlMutation no_restart = [&](GeneratedRtl& g) {
    std::string& pe = g.files.at("tpe_" + c.id + "_pe.v");
    const std::string from = ".acc(f_in[1] ? {A{1'b0}} : acc)";
    const size_t at = pe.find(from);
    REQUIRE(at != std::string::npos);
    pe.replace(at, from.size(), ".acc(acc)");
  };
  const std::string dir = temp_arch_dir();
  std::ostringstream log;
  const ConfigResult r = run_config(c, kSweepSeed, dir, log, no_restart);
  INFO(log.str());
  CHECK(r.passed < r.runs);
  CHECK(r.failure.find("tpe verify --arch " + dir + "/sw_os_1x1_fp8_e4m3.yaml --gemm ") == 0);
  CHECK(r.failure.find(" --seed ") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a kept sweep result is taken only under its key and only when it passed") {
  const std::vector<Config> all = sweep_configs();
  const Config& c = find_config(all, "sw_os_1x1_int8");
  Config edited = c;
  edited.yaml += "# edited\n";
  const uint64_t build = 7;
  const std::string key = result_key(c, kSweepSeed, build);
  CHECK(key.size() == 16);
  CHECK(result_key(c, kSweepSeed + 1, build) != key);
  CHECK(result_key(c, kSweepSeed, build + 1) != key);
  CHECK(result_key(edited, kSweepSeed, build) != key);
  const std::string dir = temp_arch_dir();
  const std::string file = dir + "/kept.json";
  ConfigResult got;
  CHECK_FALSE(load_kept(file, key, got)); // nothing kept yet
  ConfigResult passed;
  passed.runs = passed.passed = 5;
  keep(file, key, passed);
  REQUIRE(load_kept(file, key, got));
  CHECK(got.runs == 5);
  CHECK(got.passed == 5);
  CHECK_FALSE(got.refused);
  CHECK_FALSE(load_kept(file, result_key(edited, kSweepSeed, build), got));
  ConfigResult refused;
  refused.refused = true;
  refused.refusal = "b.yaml:6: format: refused";
  keep(file, key, refused);
  REQUIRE(load_kept(file, key, got));
  CHECK(got.refused);
  CHECK(got.refusal == refused.refusal);
  ConfigResult failed = passed;
  failed.passed = 4;
  failed.failure = "tpe verify --arch x.yaml: output 3 differs";
  keep(file, key, failed); // not kept: the refused result stays
  REQUIRE(load_kept(file, key, got));
  CHECK(got.refused);
  write_file_atomic(file, "{\"key\":\"" + key + "\",\"runs\":5,\"passed\":4}\n");
  CHECK_FALSE(load_kept(file, key, got)); // a result that did not pass is never taken
  write_file_atomic(file, "not json");
  CHECK_FALSE(load_kept(file, key, got));
  std::filesystem::remove_all(dir);
}
