// The analytic memory model of `memory.model: dram` (sim/memory_model.h,
// docs/memory-model.md): its keys and their one-line errors, the DRAM presets in the
// engine's clock, a layer computed by hand (one tile: the first load and the last
// write exposed, every byte once, the stall split by cause), real input-window bytes
// of a convolution against its im2col copy, the roofline of LLaMA-2-7B decode GEMVs
// on a 16x16 adder tree at 16 bytes per cycle (utilization about 16/256), single
// against double buffering, cycles that never grow with the bandwidth, a buffer too
// small for any tile, ideal memory unchanged and the report columns.
#include "core/atomic_file.h"
#include "core/dram_preset.h"
#include "reports/energy_model.h"
#include "reports/sim_report.h"
#include "sim/engine.h"
#include "sim/memory_model.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>

using namespace tpe;

namespace {

const std::string kSa = "name: sa\nengine: systolic\nrows: 16\ncols: 16\ndataflow: os\n";

std::string custom(double bytes_per_cycle, double latency_ns, int burst,
                   const std::string& extra = "") {
  return "memory:\n  model: dram\n  dram: custom\n  dram_bytes_per_cycle: " +
         std::to_string(bytes_per_cycle) + "\n  dram_latency_ns: " + std::to_string(latency_ns) +
         "\n  dram_burst_bytes: " + std::to_string(burst) + "\n  dram_pj_per_bit: 10\n" + extra;
}

LayerResult run(const ArchConfig& a, const Layer& l) {
  RunOptions o;
  o.mode = SimMode::Analytic;
  return run_layer(a, l, o);
}

Layer conv(int64_t h, int64_t w, int64_t r, int64_t s, int64_t c, int64_t f, int64_t stride) {
  Layer l;
  l.name = "conv";
  l.is_conv = true;
  l.conv = {h, w, r, s, c, f, stride, stride};
  l.M = l.conv.ofmap_h() * l.conv.ofmap_w();
  l.K = r * s * c;
  l.N = f;
  return l;
}

// The DRAM bytes of A, B and C, the stall and its split by cause, every one checked.
struct Expected {
  Count a_bytes, b_bytes, c_bytes, stall, latency, stall_a, stall_b, stall_c;
};
void check_stats(const MemoryStats& m, const Expected& e) {
  CHECK(m.dram_ifmap_bytes == e.a_bytes);
  CHECK(m.dram_filter_bytes == e.b_bytes);
  CHECK(m.dram_ofmap_bytes == e.c_bytes);
  CHECK(m.stall_cycles == e.stall);
  CHECK(m.stall_latency == e.latency);
  CHECK(m.stall_ifmap == e.stall_a);
  CHECK(m.stall_filter == e.stall_b);
  CHECK(m.stall_ofmap == e.stall_c);
}

} // namespace

TEST_CASE("memory keys: model dram needs a DRAM, a preset or custom, each error one line") {
  CHECK(test::arch_error_of(kSa + "memory: {model: dram}\n") ==
        "a.yaml:6: memory.model: model dram needs memory.dram: a preset (" +
            DramPresetRegistry::instance().joined_names() + ") or custom");
  CHECK(test::arch_error_of(kSa + "memory: {model: dram, dram: ddr5}\n") ==
        "a.yaml:6: memory.dram: unknown DRAM preset 'ddr5' (choose: " +
            DramPresetRegistry::instance().joined_names() + ", custom)");
  CHECK(test::arch_error_of(kSa + "memory: {model: fast}\n") ==
        "a.yaml:6: memory.model: unknown memory model 'fast' (choose: ideal, dram)");
  CHECK(test::arch_error_of(kSa + "memory:\n  model: dram\n  dram: hbm2_stack\n  "
                                  "dram_bytes_per_cycle: 8\n") ==
        "a.yaml:9: memory.dram_bytes_per_cycle: is set by the preset 'hbm2_stack' (use dram: "
        "custom to give it)");
  CHECK(test::arch_error_of(kSa + "memory:\n  model: dram\n  dram: custom\n  "
                                  "dram_bytes_per_cycle: 8\n") ==
        "a.yaml:8: memory.dram: custom needs memory.dram_latency_ns");
  CHECK(test::arch_error_of(kSa + "memory:\n  dram: hbm2_stack\n") ==
        "a.yaml:7: memory.dram: is a key of memory.model dram (the model is ideal)");
  CHECK(test::arch_error_of(kSa + "memory:\n  double_buffer: false\n") ==
        "a.yaml:7: memory.double_buffer: is a key of memory.model dram (the model is ideal)");
  CHECK(test::arch_error_of(kSa + custom(8, 30, 64, "  double_buffer: maybe\n")) ==
        "a.yaml:13: memory.double_buffer: expected true or false, got 'maybe'");
  CHECK(test::arch_error_of("name: l\nengine: lut_gemv\nformat: {act: int8, weight: int4}\n"
                            "memory: {model: dram, dram: hbm2_stack}\n")
            .find("memory.model: memory model 'dram' is not implemented for engine 'lut_gemv'") !=
        std::string::npos);
  for (const std::string& p : DramPresetRegistry::instance().names())
    CHECK(test::arch_error_of(kSa + "memory: {model: dram, dram: " + p + "}\n") == "");
}

TEST_CASE("DRAM presets in the engine's clock") {
  const ArchConfig a =
      parse_arch_text(kSa + "clock_mhz: 500\nmemory: {model: dram, dram: ddr4_3200_x64}\n");
  const DramTiming d = dram_timing(a);
  CHECK(d.bytes_per_cycle == Approx(51.2)); // 25.6 GB/s at 500 MHz
  CHECK(d.latency_cycles == 14);            // 27.5 ns = 13.75 cycles, rounded up
  CHECK(d.burst_bytes == 64);
  CHECK(d.pj_per_bit == 14.0);
  const ArchConfig h =
      parse_arch_text(kSa + "clock_mhz: 1000\nmemory: {model: dram, dram: hbm2_stack}\n");
  CHECK(dram_timing(h).bytes_per_cycle == Approx(256.0));
  CHECK(dram_timing(h).latency_cycles == 28);
  for (const std::string& p : DramPresetRegistry::instance().names()) {
    const DramPreset& x = *DramPresetRegistry::instance().find(p);
    CHECK(x.gb_per_s > 0);
    CHECK(x.burst_bytes > 0);
    CHECK(x.latency_ns > 0);
    CHECK(x.pj_per_bit > 0);
    CHECK(x.source.size() > 40); // every figure with its source
  }
}

TEST_CASE("one tile by hand: the first load and the last write are the stall") {
  // 32x50x20 INT8 on a 16x16 os array: A 1600 B, B 1000 B (16 bursts of 64: 1024), C
  // 32x20x4 = 2560 B, every buffer 64 KiB (32 KiB a tile): one tile. 16 B/cycle, 10 ns
  // = 5 cycles: load 5 + (1600 + 1024) / 16 = 169, write 2560 / 16 = 160.
  const ArchConfig a = parse_arch_text(kSa + "clock_mhz: 500\n" + custom(16, 10, 64));
  const Layer l = parse_gemm_spec("32x50x20");
  const LayerResult r = run(a, l);
  const MemoryStats& m = r.memory;
  REQUIRE(m.modeled);
  CHECK(m.tiles == 1);
  // B in whole bursts (1024); the stall: latency, A and B, then C
  check_stats(m, {1600, 1024, 2560, 169 + 160, 5, 100, 64, 160});
  CHECK(r.cycles == m.compute_cycles + m.stall_cycles);
  // the same layer on ideal memory takes the compute cycles and has no memory stats
  const ArchConfig ideal = parse_arch_text(kSa + "clock_mhz: 500\n");
  const LayerResult i = run(ideal, l);
  CHECK(!i.memory.modeled);
  CHECK(i.cycles == m.compute_cycles);
  CHECK(r.utilization < i.utilization);
}

TEST_CASE("a convolution's A traffic is its input windows, not the im2col copy") {
  // 16x16x8 input, 3x3 filters, 8 filters, stride 1: im2col A is 14x14 x 72 = 14112
  // elements; the input tensor 2048
  const ArchConfig a = parse_arch_text(kSa + custom(64, 10, 64));
  const Layer l = conv(16, 16, 3, 3, 8, 8, 1);
  const MemoryStats m = run(a, l).memory;
  CHECK(m.dram_ifmap_bytes == 16 * 16 * 8);
  CHECK(m.dram_filter_bytes == 72 * 8);
  // with a small ifmap buffer the tiles split K or M (M tiles' windows overlap: halo
  // rows read twice)
  const ArchConfig s = parse_arch_text(kSa + custom(64, 10, 64, "  ifmap_sram_kb: 1\n"));
  const MemoryStats ms = run(s, l).memory;
  CHECK(ms.dram_ifmap_bytes >= 16 * 16 * 8);
  CHECK(ms.dram_ifmap_bytes < 14 * 14 * 72);
  CHECK(ms.ifmap_occupancy <= 1.0);
  CHECK(ms.ifmap_occupancy > 0.5);
}

TEST_CASE("LLaMA-2-7B decode on a 16x16 adder tree at 16 bytes per cycle: about 16/256") {
  const ArchConfig a = parse_arch_text("name: t\nengine: adder_tree\ncols: 16\ndepth: 16\n" +
                                       custom(16, 40, 64, "  filter_sram_kb: 256\n"));
  const Workload w =
      parse_workload_file(std::string(TPE_SOURCE_DIR) + "/workloads/llama2_7b_decode_weights.csv");
  Count macs = 0, cycles = 0, stall_filter = 0, stall = 0;
  for (const Layer& l : w.layers) {
    const LayerResult r = run(a, l);
    macs += r.macs;
    cycles += r.cycles;
    stall += r.memory.stall_cycles;
    stall_filter += r.memory.stall_filter;
    // every weight byte crosses the DRAM once (int8 B: K x N bytes)
    CHECK(r.memory.dram_filter_bytes == Count(l.K) * l.N);
  }
  const double util = count_double(macs) / (count_double(cycles) * 256);
  CHECK(util > 0.95 * 16.0 / 256);
  CHECK(util <= 16.0 / 256);
  CHECK(count_double(stall_filter) > 0.95 * count_double(stall)); // the weights' bandwidth
}

TEST_CASE("double buffering hides transfers, and cycles never grow with the bandwidth") {
  const Layer l = conv(28, 28, 3, 3, 64, 64, 1);
  Count prev = 0;
  bool hidden = false; // double buffering saved cycles at some bandwidth
  for (double bw : {1.0, 2.0, 4.0, 8.0, 16.0, 64.0, 256.0}) {
    const ArchConfig d = parse_arch_text(kSa + custom(bw, 50, 64, "  ifmap_sram_kb: 16\n"));
    // single buffered with half of each buffer: the same tiles, no overlap
    const ArchConfig s = parse_arch_text(
        kSa + custom(bw, 50, 64,
                     "  ifmap_sram_kb: 8\n  filter_sram_kb: 32\n  ofmap_sram_kb: 32\n  "
                     "double_buffer: false\n"));
    const LayerResult rd = run(d, l), rs = run(s, l);
    INFO(bw);
    CHECK(rs.memory.tile_m == rd.memory.tile_m);
    CHECK(rs.memory.tile_n == rd.memory.tile_n);
    CHECK(rs.memory.tile_k == rd.memory.tile_k);
    CHECK(rs.memory.stall_cycles >= rd.memory.stall_cycles);
    CHECK(rd.memory.tiles > 1);
    hidden = hidden || rs.memory.stall_cycles > rd.memory.stall_cycles;
    CHECK(rd.memory.stall_ifmap + rd.memory.stall_filter + rd.memory.stall_ofmap +
              rd.memory.stall_latency ==
          rd.memory.stall_cycles);
    if (prev) CHECK(rd.cycles <= prev);
    prev = rd.cycles;
  }
  CHECK(hidden);
}

TEST_CASE("a buffer too small for any tile is one line naming it") {
  // the smallest C tile of a 16x16 os array is 16x16 x 4 bytes = 1 KiB, 512 B per half
  const ArchConfig a = parse_arch_text(kSa + custom(16, 10, 64, "  ofmap_sram_kb: 1\n"), "m.yaml");
  const Layer l = parse_gemm_spec("64x64x64");
  try {
    run(a, l);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "m.yaml:13: memory.ofmap_sram_kb: layer 'gemm_64x64x64': no "
                                   "tile of the layer fits the buffers "
                                   "(half of each when double buffered); give the buffer more KiB");
  }
}

TEST_CASE("tpe sim's reports carry the memory columns with model dram only") {
  const ArchConfig a = parse_arch_text(kSa + custom(16, 10, 64));
  const ArchConfig ideal = parse_arch_text(kSa);
  const Layer l = parse_gemm_spec("40x300x50");
  SimReport r;
  r.arch = a;
  r.workload = "w.csv";
  r.layers.push_back(run(a, l));
  SimReport i = r;
  i.arch = ideal;
  i.layers = {run(ideal, l)};
  CHECK(sim_csv(r).find(",compute_cycles,stall_cycles,stall_ifmap,") != std::string::npos);
  CHECK(sim_csv(i).find("compute_cycles") == std::string::npos);
  // every row, TOTAL included, has the header's columns
  const std::string csv = sim_csv(r);
  size_t start = 0, header_commas = std::string::npos;
  while (start < csv.size()) {
    const size_t end = csv.find('\n', start);
    const std::string row = csv.substr(start, end - start);
    const size_t commas = size_t(std::count(row.begin(), row.end(), ','));
    if (header_commas == std::string::npos) header_commas = commas;
    CHECK(commas == header_commas);
    start = end + 1;
  }
  CHECK(csv.find("\nTOTAL,") != std::string::npos);
  CHECK(sim_table(r).find("memory: dram custom (16.000 bytes/cycle, latency 5 cycles") !=
        std::string::npos);
  CHECK(sim_table(i).find("memory: dram") == std::string::npos);
  const nlohmann::json j = sim_json(r);
  CHECK(j["layers"][0]["memory"]["stall_cycles"].get<int64_t>() ==
        int64_t(r.layers[0].memory.stall_cycles));
  CHECK(j["arch"]["memory"]["dram"] == "custom");
  CHECK(!sim_json(i)["layers"][0].contains("memory"));
  const std::string ss = scalesim_compute_report(r);
  CHECK(ss.find(", " + count_str(r.layers[0].memory.stall_cycles) + ", ") != std::string::npos);
}

TEST_CASE("the README's memory figures are the model's") {
  const std::string readme = read_file(std::string(TPE_SOURCE_DIR) + "/README.md");
  const auto total = [](const std::string& arch, const std::string& workload, Count& comp,
                        Count& stall) {
    const ArchConfig a = parse_arch_file(std::string(TPE_SOURCE_DIR) + "/" + arch);
    const Workload w = parse_workload_file(std::string(TPE_SOURCE_DIR) + "/" + workload);
    comp = stall = 0;
    for (const Layer& l : w.layers) {
      const LayerResult r = run(a, l);
      comp += r.memory.compute_cycles;
      stall += r.memory.stall_cycles;
    }
  };
  const auto grouped = [](Count x) { // 1234567 -> 1,234,567
    std::string s = count_str(x);
    for (int i = int(s.size()) - 3; i > 0; i -= 3)
      s.insert(size_t(i), ",");
    return s;
  };
  Count comp = 0, stall = 0;
  total("configs/memory/tree16x16_bw16.yaml", "workloads/llama2_7b_decode_weights.csv", comp,
        stall);
  CHECK(readme.find(grouped(comp) + " compute cycles, " + grouped(stall)) != std::string::npos);
  total("configs/memory/sa16x16_os_ddr4.yaml", "workloads/resnet50.csv", comp, stall);
  CHECK(readme.find(grouped(comp) + " compute and " + grouped(stall) + " stall cycles") !=
        std::string::npos);
  total("configs/memory/sa16x16_os_hbm2.yaml", "workloads/resnet50.csv", comp, stall);
  CHECK(readme.find("leaves " + grouped(stall) + " stall cycles") != std::string::npos);
}

TEST_CASE("tpe sim --energy charges the DRAM with the model bytes at the preset pJ/bit") {
  const ArchConfig a =
      parse_arch_text(kSa + "memory:\n  model: dram\n  dram: hbm2_stack\n  ifmap_sram_kb: 8\n");
  const Layer l = conv(30, 30, 3, 3, 16, 32, 1);
  const LayerResult r = run(a, l);
  EnergyCalibration c;
  c.pj_per_cycle = 2;
  c.node_nm = 130;
  c.volts = 1.8;
  c.clock_ns = 2;
  const LayerEnergy e = layer_energy(a, r, c);
  const Count bytes =
      r.memory.dram_ifmap_bytes + r.memory.dram_filter_bytes + r.memory.dram_ofmap_bytes;
  CHECK(e.dram_pj == Approx(count_double(bytes) * 8 * 3.97));
  CHECK(e.array_pj == Approx(2 * count_double(r.cycles))); // stall cycles are clocked cycles
  // ideal memory: every operand once as im2col elements, the fixed DRAM figure
  const ArchConfig i = parse_arch_text(kSa + "memory:\n  ifmap_sram_kb: 8\n");
  const LayerResult ri = run(i, l);
  CHECK(layer_energy(i, ri, c).dram_pj ==
        Approx((count_double(Count(l.M) * l.K) + count_double(Count(l.K) * l.N) +
                count_double(Count(l.M) * l.N) * 4) *
               dram_pj_per_byte()));
}

TEST_CASE("buffer energy by level: the fills are the tiles' DRAM loads, reloads included") {
  // A (64 x 256, 16 KiB) does not fit a 4 KiB ifmap buffer: with B (256 x 256) tiled by a
  // 16 KiB filter buffer, one operand is loaded more than once
  const std::string mem = "memory:\n  model: dram\n  dram: ddr4_3200_x64\n  ifmap_sram_kb: 4\n  "
                          "filter_sram_kb: 16\n";
  const ArchConfig a = parse_arch_text(kSa + mem);
  const Layer l = parse_gemm_spec("64x256x256");
  const LayerResult r = run(a, l);
  REQUIRE(count_double(r.memory.dram_ifmap_bytes) + count_double(r.memory.dram_filter_bytes) >
          64.0 * 256 + 256.0 * 256); // a reload
  EnergyCalibration c;
  c.node_nm = 130;
  c.volts = 1.8;
  c.clock_ns = 2;
  const LayerEnergy e = layer_energy(a, r, c);
  const OperandSrams m = operand_srams(a, 130, 1.8, "test");
  // the ifmap word is 16 INT8 lanes, the filter's 16: reads are the engine's, writes the fills
  const SramActivity in{count_double(r.ifmap_reads) / 16,
                        count_double(r.memory.dram_ifmap_bytes) / 16, count_double(r.cycles)};
  const SramActivity fi{count_double(r.filter_reads) / 16,
                        count_double(r.memory.dram_filter_bytes) / 16, count_double(r.cycles)};
  CHECK(e.ifmap_sram_pj == Approx(m.ifmap.macros * sram_energy(m.ifmap.macro, in, 2).total()));
  CHECK(e.filter_sram_pj == Approx(m.filter.macros * sram_energy(m.filter.macro, fi, 2).total()));
  // on ideal memory the fills are every operand once, over the engine's own cycles
  const ArchConfig i = parse_arch_text(kSa + "memory:\n  ifmap_sram_kb: 4\n  filter_sram_kb: 16\n");
  const LayerResult ri = run(i, l);
  const SramActivity in_i{count_double(ri.ifmap_reads) / 16, 64.0 * 256 / 16,
                          count_double(ri.cycles)};
  CHECK(layer_energy(i, ri, c).ifmap_sram_pj ==
        Approx(m.ifmap.macros * sram_energy(m.ifmap.macro, in_i, 2).total()));
  CHECK(e.ifmap_sram_pj + e.filter_sram_pj >
        layer_energy(i, ri, c).ifmap_sram_pj + layer_energy(i, ri, c).filter_sram_pj);
}

TEST_CASE("the closed-form pass equals the step-by-step pass on random layers and memories") {
  const uint64_t seed = test::test_seed("memory model closed form", 20261202);
  Rng rng(seed);
  const char* engines[] = {
      "engine: systolic\nrows: 4\ncols: 3\ndataflow: os\n",
      "engine: systolic\nrows: 3\ncols: 5\ndataflow: ws\n",
      "engine: systolic\nrows: 4\ncols: 4\ndataflow: is\n",
      "engine: cube\nrows: 2\ncols: 3\ndepth: 4\n",
      "engine: adder_tree\ncols: 4\ndepth: 8\n",
      "engine: matrix2d\nrows: 3\ncols: 2\nformat: {act: int8, weight: int4}\n"};
  int checked = 0;
  for (int t = 0; t < 300; ++t) {
    const std::string arch =
        "name: r\n" + std::string(engines[t % 6]) +
        custom(double(rng.uniform(1, 64)) / 4, double(rng.uniform(0, 100)),
               int(rng.uniform(1, 128)),
               "  ifmap_sram_kb: " + std::to_string(rng.uniform(1, 8)) +
                   "\n  filter_sram_kb: " + std::to_string(rng.uniform(1, 8)) +
                   "\n  ofmap_sram_kb: " + std::to_string(rng.uniform(1, 8)) +
                   "\n  double_buffer: " + (rng.uniform(0, 1) ? "true" : "false") + "\n");
    const ArchConfig a = parse_arch_text(arch);
    const Layer l = t % 3 == 0 ? conv(rng.uniform(3, 40), rng.uniform(3, 40), rng.uniform(1, 3),
                                      rng.uniform(1, 3), rng.uniform(1, 16), rng.uniform(1, 40),
                                      rng.uniform(1, 2))
                               : random_gemm(rng, 300, "g");
    INFO("seed " << seed << " case " << t << "\n" << arch << l.M << "x" << l.K << "x" << l.N);
    MemoryStats c, s;
    try {
      c = memory_model(a, l, Count(rng.uniform(1, 100000)));
    } catch (const InputError&) {
      continue; // a buffer too small for this layer
    }
    s = memory_model(a, l, c.compute_cycles, false);
    CHECK(c.dram_ifmap_bytes == s.dram_ifmap_bytes);
    CHECK(c.dram_filter_bytes == s.dram_filter_bytes);
    CHECK(c.dram_ofmap_bytes == s.dram_ofmap_bytes);
    CHECK(c.tiles == s.tiles);
    const Count diff = c.stall_cycles - s.stall_cycles;
    CHECK(diff >= -1); // the same sums in another order: at most one cycle of rounding
    CHECK(diff <= 1);
    ++checked;
  }
  CHECK(checked > 150);
}

TEST_CASE("a huge GEMM runs through the memory model at once") {
  // 2^31-1 x 1 x 2^31-1: about 2^47 tile pairs, summed in closed form
  const ArchConfig a = parse_arch_text(kSa + custom(64, 20, 64));
  Layer l;
  l.name = "huge";
  l.M = l.N = (int64_t(1) << 31) - 1;
  l.K = 1;
  const MemoryStats m = memory_model(a, l, Count(1) << 50);
  CHECK(m.tiles > (Count(1) << 40));
  CHECK(m.dram_ofmap_bytes >= Count(l.M) * l.N * 4);
  CHECK(m.stall_cycles > 0);
  CHECK(m.stall_ifmap + m.stall_filter + m.stall_ofmap + m.stall_latency == m.stall_cycles);
}

TEST_CASE("four k steps by hand: the first load exposed, the rest hidden, the C write last") {
  // 16x64x32 INT8 on a 16x16 os array, filter buffer 1 KiB (512 B a tile): the fewest
  // bytes take Mt 16, Nt 32, Kt 16 (A once: 1024 B, B once: 2048 B, C 2048 B); four k
  // steps, each loading 256 B of A and 512 B of B: 5 + 768 / 16 = 53 cycles, each
  // computing 400 / 4 = 100. Time: 53 + 3 x 100 + max(100, 0) + 2048 / 16 = 581.
  const ArchConfig a =
      parse_arch_text(kSa + "clock_mhz: 500\n" + custom(16, 10, 64, "  filter_sram_kb: 1\n"));
  const MemoryStats m = memory_model(a, parse_gemm_spec("16x64x32"), 400);
  CHECK(m.tile_m == 16);
  CHECK(m.tile_n == 32);
  CHECK(m.tile_k == 16);
  CHECK(m.tiles == 4);
  check_stats(m, {1024, 2048, 2048, 181, 5, 16, 32, 128});
  // single buffered, the same tiles need half the buffer: every load and write exposed
  const ArchConfig s = parse_arch_text(kSa + "clock_mhz: 500\n" +
                                       custom(16, 10, 64,
                                              "  filter_sram_kb: 1\n  ifmap_sram_kb: 32\n  "
                                              "ofmap_sram_kb: 32\n  double_buffer: false\n"));
  const MemoryStats ms = memory_model(s, parse_gemm_spec("16x64x32"), 400);
  REQUIRE(ms.tile_k == 32); // the whole KiB holds 32 x 32 of B
  CHECK(ms.stall_cycles == 2 * (5 + (512 + 1024) / 16) + 2048 / 16);
}
