// tpe lut (reports/lut_figures.h): every figure against an independent path. The
// cycles without savings and with every saving equal the stepped model of the same
// design at that batch and weight width (tpe sim's Timing mode steps
// sim/lut_gemv_core and refuses a closed form that differs); one token shares no
// lookup (batch 1: batch_shared_lookup saves nothing); all-zero activations make
// every lookup free with skip_zero_index; table storage of both forms by hand; the
// SRAM arrays' energy equal to the stepped runs' (with every saving on); the
// refusals (a GEMM layer, another engine, a batch or width out of range, an entry
// width too narrow for wider weights) and the command's output files. Seeds are
// printed (TPE_SEED replays another).
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/operand_dist.h"
#include "reports/energy_model.h"
#include "reports/lut_figures.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

using namespace tpe;
using tpe::test::run_tpe;

namespace {

struct Dir {
  std::string path =
      std::filesystem::temp_directory_path().string() + "/tpe_lutfig_" + std::to_string(getpid());
  Dir() { std::filesystem::create_directories(path); }
  ~Dir() { std::filesystem::remove_all(path); }
  std::string put(const std::string& name, const std::string& text) const {
    write_file_atomic(path + "/" + name, text);
    return path + "/" + name;
  }
};

const char* kWeightDesign = "name: lw\nengine: lut_gemv\ntable: weight\nform: subset\ngroup: 3\n"
                            "format: {act: int6, weight: int4}\narrays: 2\n"
                            "array: {rows: 32, cols: 40, ports: 1rw1r, read_latency: 2}\n"
                            "stream_bits: 48\nout_bits: 64\n";
const char* kSignedDesign = "name: ls\nengine: lut_gemv\ntable: weight\nform: signed\ngroup: 4\n"
                            "format: {act: int5, weight: int3}\nindex_code: offset\narrays: 3\n"
                            "array: {rows: 24, cols: 32}\n";
const char* kActDesign = "name: la\nengine: lut_gemv\ntable: activation\nform: signed\ngroup: 2\n"
                         "format: {act: int4, weight: int3}\nindex_code: offset\narrays: 2\n"
                         "array: {rows: 16, cols: 64}\ntokens_per_pass: 3\nlanes: 5\n";
const char* kGemvs = "Layer name, M, N, K,\nq, 1, 23, 37,\nup, 1, 9, 50,\nlm, 1, 31, 13,\n";

// The design text `design` with weight int<w> (and batch B and the given savings in
// weight orientation).
ArchConfig design_at(const std::string& design, int w, int B, bool skip, bool share) {
  const ArchConfig d = parse_arch_text(design, "d.yaml");
  ArchConfig a = d;
  a.act_format = d.act();
  a.weight_format = "int" + std::to_string(w);
  if (engine_key(d, "table") == "weight") {
    a.engine_keys["batch"] = std::to_string(B);
    a.engine_keys["skip_zero_index"] = skip ? "true" : "false";
    a.engine_keys["batch_shared_lookup"] = share ? "true" : "false";
  }
  validate_arch(a);
  return a;
}

// Cycles of that design stepped by the model over the workload's layers at M = B
// (Timing mode steps it and checks the closed form), and the SRAM arrays' energy (pJ)
// of those runs: the sum over the layers of lut_gemv_sram_energy (tested against hand
// counts in tests/test_sram_energy.cpp).
struct Stepped {
  Count cycles = 0;
  double sram_pj = 0;
};
Stepped stepped_run(const std::string& design, int w, int B, bool skip, bool share,
                    const Workload& wl, const RunOptions& base) {
  const ArchConfig a = design_at(design, w, B, skip, share);
  RunOptions o = base;
  o.mode = SimMode::Timing;
  Stepped s;
  for (Layer l : wl.layers) {
    l.M = B;
    const LayerResult r = run_layer(a, l, o);
    s.cycles += r.cycles;
    s.sram_pj += lut_gemv_sram_energy(a, r).energy.total();
  }
  return s;
}
Count stepped(const std::string& design, int w, int B, bool skip, bool share, const Workload& wl,
              const RunOptions& base) {
  return stepped_run(design, w, B, skip, share, wl, base).cycles;
}

} // namespace

TEST_CASE("tpe lut: cycles equal the stepped model at every batch and weight width, and the "
          "savings are what the options do",
          "[lut_figures]") {
  const uint64_t seed = tpe::test::test_seed("lut figures", 7);
  Dir dir;
  const std::string wl_file = dir.put("w.csv", kGemvs);
  const Workload wl = parse_workload_file(wl_file);
  for (const std::string ops : {"student_t:3", "random@0.5"}) {
    LutFiguresOptions o;
    o.workload = wl_file;
    o.batches = {1, 3, 8};
    o.weight_bits = {2, 4, 5};
    o.operands = ops;
    o.seed = seed;
    RunOptions run;
    run.seed = seed;
    run.dist = parse_operand_dist(ops);
    std::ostringstream progress;
    const LutFigures f =
        lut_figures({dir.put("w.yaml", kWeightDesign), dir.put("s.yaml", kSignedDesign),
                     dir.put("a.yaml", kActDesign)},
                    {}, o, progress);
    REQUIRE(f.rows.size() == 27);
    for (const LutFiguresRow& r : f.rows) {
      INFO(ops << " " << r.design << " w " << r.weight_bits << " B " << r.batch);
      REQUIRE(r.refusal == "");
      const std::string design = r.design == "lw"   ? kWeightDesign
                                 : r.design == "ls" ? kSignedDesign
                                                    : kActDesign;
      CHECK(r.cycles_plain == stepped(design, r.weight_bits, r.batch, false, false, wl, run));
      CHECK(r.macs == Count(r.batch) * (23 * 37 + 9 * 50 + 31 * 13));
      // SRAM arrays per token: the stepped runs with every saving the design allows
      const bool weight = r.design != "la";
      CHECK(r.sram_pj ==
            Approx(stepped_run(design, r.weight_bits, r.batch, r.design == "lw", weight, wl, run)
                       .sram_pj)
                .epsilon(1e-12));
      CHECK(r.sram_pj > 0);
      CHECK(r.sram_area_um2 > 0);
      if (r.design == "la") { // activation orientation: no saving exists
        CHECK(r.cycles_skip == -1);
        CHECK(r.cycles_share == -1);
        CHECK(r.cycles_both == -1);
        continue;
      }
      const bool subset = r.design == "lw";
      CHECK(r.cycles_share == stepped(design, r.weight_bits, r.batch, false, true, wl, run));
      CHECK(r.cycles_both == stepped(design, r.weight_bits, r.batch, subset, true, wl, run));
      if (subset)
        CHECK(r.cycles_skip == stepped(design, r.weight_bits, r.batch, true, false, wl, run));
      else
        CHECK(r.cycles_skip == -1); // the signed form has no zero index
      if (r.batch == 1)
        CHECK(r.cycles_share == r.cycles_plain); // one token shares nothing
      else
        CHECK(r.cycles_share < r.cycles_plain);
      CHECK(r.cycles_both <= r.cycles_share);
    }
    // table storage of one group: subset 2^g - 1 rows, signed 2^(g-1), entries of
    // weight bits + ceil(log2 g)
    const LutFiguresRow& w4 = f.rows[3]; // lw, weight int4, batch 1
    REQUIRE(w4.weight_bits == 4);
    CHECK(w4.table_rows == 7);
    CHECK(w4.entry_bits == 6);
    CHECK(w4.subset_table_bits == 7 * 6);
    CHECK(w4.signed_table_bits == 4 * 6);
    const LutFiguresRow& s5 = f.rows[9 + 6]; // ls, weight int5, batch 1
    REQUIRE(s5.weight_bits == 5);
    CHECK(s5.table_rows == 8);
    CHECK(s5.entry_bits == 7);
    CHECK(s5.subset_table_bits == 15 * 7);
    CHECK(s5.signed_table_bits == 8 * 7);
  }
}

TEST_CASE("tpe lut: all-zero activations cost no lookup with skip_zero_index", "[lut_figures]") {
  Dir dir;
  LutFiguresOptions o;
  o.workload = dir.put("w.csv", kGemvs);
  o.batches = {4};
  o.weight_bits = {4};
  o.operands = "zero";
  std::ostringstream progress;
  const LutFigures f = lut_figures({dir.put("w.yaml", kWeightDesign)}, {}, o, progress);
  REQUIRE(f.rows.size() == 1);
  const LutFiguresRow& r = f.rows[0];
  // every index is 0: the lookups vanish, the build, flush and drain stay
  CHECK(r.cycles_skip < r.cycles_plain);
  CHECK(r.cycles_both == r.cycles_skip);
  RunOptions run;
  run.dist = parse_operand_dist("zero");
  const Workload wl = parse_workload_file(o.workload);
  CHECK(r.cycles_skip == stepped(kWeightDesign, 4, 4, true, false, wl, run));
}

TEST_CASE("tpe lut: refusals are one line: the reference engines and the files", "[lut_figures]") {
  Dir dir;
  const std::string w = dir.put("w.yaml", kWeightDesign);
  const std::string gemvs = dir.put("g.csv", kGemvs);
  const std::string gemm = dir.put("m.csv", "Layer name, M, N, K,\nq, 1, 4, 4,\nx, 2, 4, 4,\n");
  LutFiguresOptions o;
  o.workload = gemm;
  std::ostringstream progress;
  CHECK_THROWS_WITH(lut_figures({w}, {}, o, progress),
                    gemm + ":3: M: layer 'x' has M = 2; tpe lut runs decode GEMVs (M = 1, one "
                           "token) at each --batch");
  o.workload = gemvs;
  const std::string sa = dir.put("sa.yaml", "name: sa\nengine: systolic\nrows: 2\ncols: 2\n"
                                            "dataflow: os\n");
  CHECK_THROWS_WITH(lut_figures({sa}, {}, o, progress), Catch::Contains("takes lut_gemv designs"));
  o.batches = {0};
  CHECK_THROWS_WITH(lut_figures({w}, {}, o, progress), "--batch: batch 0 is outside 1..1024");
  o.batches = {2};
  o.weight_bits = {9};
  CHECK_THROWS_WITH(lut_figures({w}, {}, o, progress),
                    "--weight-bits: weight width 9 is outside 1..8");
  // an explicit entry width too narrow for 8-bit weights: that point keeps its row
  o.weight_bits = {4, 8};
  const std::string narrow = dir.put("n.yaml", std::string(kWeightDesign) + "entry_bits: 6\n");
  const LutFigures f = lut_figures({narrow}, {sa}, o, progress);
  REQUIRE(f.rows.size() == 2);
  CHECK(f.rows[0].refusal == "");
  CHECK_THAT(f.rows[1].refusal, Catch::Contains("entry_bits"));
  REQUIRE(f.references.size() == 1);
  // the reference's cycles are tpe sim's on the same GEMVs at M = 2
  const ArchConfig a = parse_arch_file(sa);
  RunOptions run;
  run.mode = SimMode::Analytic;
  Count want = 0;
  for (Layer l : parse_workload_file(gemvs).layers) {
    l.M = 2;
    want += run_layer(a, l, run).cycles;
  }
  CHECK(f.references[0].cycles == want);
  CHECK(f.references[0].shape == "2x2");
  const std::string md = lut_figures_markdown(f, o);
  CHECK_THAT(md, Catch::Contains("refused: "));
  CHECK_THAT(md, Catch::Contains("| sa | 2x2 | 2 |"));

  // the command: tables on stdout, the JSON file, one-line errors with exit 2
  const std::string json = dir.path + "/l.json";
  auto r = run_tpe("lut --arch " + w + " --workload " + gemvs + " --batch 1,2 --weight-bits 3 " +
                   "--vs " + sa + " --seed 3 --json " + json + " 2>/dev/null");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("| lw | weight | subset | 3 | 6 | 3 | 2 |"));
  const auto j = nlohmann::json::parse(read_file(json));
  CHECK(j["seed"] == 3);
  CHECK(j["rows"].size() == 2);
  CHECK(j["rows"][1]["cycles_without_savings"].get<int64_t>() > 0);
  CHECK(j["references"].size() == 2);
  r = run_tpe("lut --arch " + w + " --workload " + gemvs + " --batch 2,x");
  CHECK(r.status == 2);
  r = run_tpe("lut --arch " + w + " --workload " + gemm);
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains(":3: M: layer 'x' has M = 2"));
}
