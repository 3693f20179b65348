// The roofline sweep (reports/roofline.h, `tpe roofline`): every point at or below
// its roof, cycles never growing with the bandwidth, LLaMA-2-7B decode on the 16x16
// adder tree at 16 bytes per cycle near 16/256 of its peak and at its peak's
// utilization on ample bandwidth, the intensity equal to MACs over the memory model's
// own bytes, the one-line errors, the Vega-Lite specification and its SVG rendered by
// tools/plot (Node.js, installed by make setup).
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/dram_preset.h"
#include "core/process.h"
#include "reports/roofline.h"
#include "sim/engine.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <unistd.h>

using namespace tpe;

namespace {
const std::string kSrc = TPE_SOURCE_DIR;
const std::string kTree = kSrc + "/configs/adder_tree_16x16.yaml";
const std::string kSa = kSrc + "/configs/systolic_16x16_os.yaml";
const std::string kDecode = kSrc + "/workloads/llama2_7b_decode.csv";
} // namespace

TEST_CASE("roofline: every point at or below its roof, cycles never growing with bandwidth") {
  RooflineOptions o;
  o.workloads = {kDecode, kSrc + "/workloads/bert_base_seq512.csv"};
  std::ostringstream progress;
  const auto pts = roofline({kTree, kSa}, o, progress);
  REQUIRE(pts.size() == 2 * 2 * o.bytes_per_cycle.size());
  for (size_t i = 0; i < pts.size(); ++i) {
    const RooflinePoint& p = pts[i];
    INFO(p.design << " " << p.workload << " " << p.bytes_per_cycle);
    CHECK(p.attained <= p.roof * (1 + 1e-9));
    CHECK(p.cycles == p.compute_cycles + p.stall_cycles);
    CHECK(p.roof == Approx(std::min(p.peak, p.bytes_per_cycle * p.intensity)));
    CHECK(p.intensity == Approx(double(p.macs) / double(p.dram_bytes)));
    CHECK(p.peak == 256);
    if (i % o.bytes_per_cycle.size() != 0) {
      const RooflinePoint& q = pts[i - 1]; // half the bandwidth
      CHECK(p.cycles <= q.cycles);
      CHECK(p.compute_cycles == q.compute_cycles);
      CHECK(p.dram_bytes == q.dram_bytes); // the tiling does not depend on the bandwidth
    }
  }
  // LLaMA-2-7B decode on the adder tree: at 16 bytes per cycle the weights stream at
  // 16 per cycle (INT8), about 16 of 256 MACs per cycle; with 1024 bytes per cycle
  // nearly the whole peak (the latency of the first tiles remains)
  const RooflinePoint& at16 = pts[4];
  REQUIRE(at16.bytes_per_cycle == 16);
  CHECK(at16.attained / at16.peak == Approx(16.0 / 256).epsilon(0.01));
  CHECK(at16.roof == Approx(16 * at16.intensity));
  const RooflinePoint& at1024 = pts[o.bytes_per_cycle.size() - 1];
  CHECK(at1024.attained > 0.9 * at1024.peak);
  CHECK(progress.str().find("roofline: tree16x16 on " + kDecode) != std::string::npos);
  // the table and the JSON carry every point
  const std::string md = roofline_markdown(pts, o);
  CHECK(md.find("| tree16x16 | llama2_7b_decode.csv | 16 | " +
                std::to_string(int64_t(at16.cycles)) + " |") != std::string::npos);
  const nlohmann::json j = roofline_json(pts, o);
  CHECK(j["points"].size() == pts.size());
  CHECK(j["points"][4]["stall_cycles"] == int64_t(at16.stall_cycles));
}

TEST_CASE("roofline: bad input is one line") {
  RooflineOptions o;
  o.workloads = {kDecode};
  std::ostringstream progress;
  o.dram = "ddr5";
  CHECK_THROWS_WITH(roofline({kTree}, o, progress),
                    "--dram: unknown DRAM preset 'ddr5' (choose: " +
                        DramPresetRegistry::instance().joined_names() + ")");
  o.dram = "hbm2_stack";
  o.bytes_per_cycle = {4, 0};
  CHECK_THROWS_WITH(roofline({kTree}, o, progress),
                    "--bytes-per-cycle: 0: a bandwidth must be a positive number of bytes");
  o.bytes_per_cycle = {4};
  const std::string lut = kSrc + "/configs/lut_gemv_tiny.yaml";
  CHECK_THROWS_WITH(roofline({lut}, o, progress),
                    lut + ":6: engine: engine 'lut_gemv' has no DRAM memory model (its operands "
                          "live in its SRAM-PIM arrays); the roofline needs memory.model dram");
  const std::string serial = kSrc + "/configs/pe/col1x32_os_bitserial.yaml";
  CHECK_THROWS_WITH(roofline({serial}, o, progress),
                    serial + ":" + std::to_string(parse_arch_file(serial).line_of("pe")) +
                        ": pe: PE 'bitserial' takes a number of cycles that depends on the "
                        "operand values (no closed form); the roofline runs the closed form: run "
                        "tpe sim with memory.model dram on your operands instead");
  // a buffer no tile fits: the memory model's own message, naming the key
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/tpe_roof_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/t.yaml", "name: t\nengine: adder_tree\ncols: 64\ndepth: 64\nmemory:\n"
                                     "  filter_sram_kb: 1\n");
  write_file_atomic(dir + "/w.csv", "Layer name, M, N, K,\nfc, 1, 4096, 4096,\n");
  o.workloads = {dir + "/w.csv"};
  try {
    roofline({dir + "/t.yaml"}, o, progress);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind(dir + "/t.yaml:6: memory.filter_sram_kb: ", 0) == 0);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("roofline: the Vega-Lite specification renders to SVG with tools/plot") {
  RooflineOptions o;
  o.workloads = {kDecode};
  o.bytes_per_cycle = {8, 64};
  std::ostringstream progress;
  const auto pts = roofline({kTree}, o, progress);
  const nlohmann::json spec = roofline_vega_lite(pts, o);
  REQUIRE(spec["data"]["values"].size() == 2 * pts.size()); // attained and roof per point
  CHECK(spec["data"]["values"][0]["kind"] == "attained (solid)");
  CHECK(spec["data"]["values"][1]["kind"] == "roof (dashed)");
  CHECK(spec["data"]["values"][1]["macs_per_cycle"] == pts[0].roof);
  CHECK(spec["facet"]["field"] == "design");
  // rendered by the committed lockfile's Vega-Lite (make setup runs npm ci in tools/plot)
  INFO("tools/plot/node_modules is missing: run make setup (npm ci in tools/plot)");
  REQUIRE(std::filesystem::exists(kSrc + "/tools/plot/node_modules/vega-lite"));
  const std::string dir =
      std::filesystem::temp_directory_path().string() + "/tpe_roofsvg_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/r.vl.json", spec.dump());
  const int status = run_process(
      {"node", kSrc + "/tools/plot/render.mjs", dir + "/r.vl.json", dir + "/r.svg"}, dir, "log");
  INFO(tail_file(dir + "/log", 10));
  REQUIRE(status == 0);
  const std::string svg = read_file(dir + "/r.svg");
  CHECK(svg.rfind("<!-- Generated from r.vl.json by tools/plot/render.mjs", 0) == 0);
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find("tree16x16 (16 trees x 16)") != std::string::npos); // the panel's title
  CHECK(svg.find("DRAM bytes per cycle") != std::string::npos);
  // a broken specification: one line, exit status 1, no SVG
  write_file_atomic(dir + "/bad.vl.json", "{\"mark\": 3}");
  CHECK(run_process({"node", kSrc + "/tools/plot/render.mjs", dir + "/bad.vl.json", dir + "/b.svg"},
                    dir, "log") == 1);
  CHECK(read_file(dir + "/log").find("bad.vl.json: ") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/b.svg"));
  std::filesystem::remove_all(dir);
}
