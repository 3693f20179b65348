// The serial PEs: sparsity-encoded opt3 and opt4c (the bit-weight paper, HPCA 2025, OPT3 /
// OPT4C), bitserial and pragmatic: L0 — the EN-T digits per bit weight rebuild
// every INT4/INT8 value and sampled INT16 values, and the generated row encoders
// (sparse, bit-serial, Pragmatic) issue exactly the expected terms, in order, for
// every INT4/INT8 value in every group position (Verilated); L1 — arrays of the PEs equal the model
// bit- and cycle-exact (and in the number of digits issued) on odd GEMMs, extremes, wrapping
// accumulators, INT4/INT16, and with folds shorter than the drain; L3 — injected faults are caught;
// and the published K = 128 nonzero-digit averages are reproduced by the RTL's own digit count.
#include "core/atomic_file.h"
#include "core/workload.h"
#include "pe_models/int_multipliers.h"
#include "pe_models/sparse_encoder.h"
#include "rtl_gen/pe_verilog.h"
#include "rtl_gen/sparse_verilog.h"
#include "test_helpers.h"
#include "testbenches/lib/rtl_run.h"
#include "testbenches/lib/unit_sim.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

using namespace tpe;
using tpe::test::make_arch;
using tpe::test::replace_in_rtl;

TEST_CASE("EN-T digits per bit weight rebuild every INT4/INT8 value and sampled INT16 values") {
  for (int W : {4, 8, 16}) {
    INFO("W=" << W);
    const int64_t lo = -(int64_t(1) << (W - 1)), hi = (int64_t(1) << (W - 1)) - 1;
    const int64_t step = W == 16 ? 7 : 1;
    for (int64_t a = lo; a <= hi; a += (a > hi - step ? 1 : step)) {
      int64_t v = 0, weight = 1;
      int nz = 0;
      for (int bw = 0; bw < W / 2; ++bw, weight *= 4) {
        const int d = ent_digit_at(a, bw, W);
        REQUIRE(d >= -2);
        REQUIRE(d <= 2);
        v += d * weight;
        nz += d != 0;
      }
      REQUIRE(v == a);
      REQUIRE(nz == ent_nonzero_digits(a, W));
    }
  }
  const int32_t g[4] = {0, -128, 3, 127};
  const GroupDigits d = group_digits(g, 4, 3, 8); // weight 64: 0, -2, 0, 2
  CHECK(d.mask == 0b1010u);
  CHECK(d.value == std::vector<int>{0, -2, 0, 2});
  CHECK(group_cycles(0) == 1);
  CHECK(group_cycles(0b1011) == 3);
}

namespace {

int bw_bits(int W) {
  return W == 4 ? 1 : W == 8 ? 2 : 3;
}

// in0 = the group (4 x W bits), in1 = {step, fv, adv, bw[2:0]};
// out0 = {last, nz, dbl, neg, sel[3:0]} (the state before the edge)
std::string senc_wrapper(int W) {
  return "`timescale 1ns/1ps\nmodule unit_top(input clk, input [63:0] in0, input [63:0] in1, "
         "output [63:0] out0, output [63:0] out1);\n  wire [3:0] sel;\n  wire neg, dbl, nz, "
         "last;\n  u_senc s (.clk(clk), .rst(1'b0), .a_grp(in0[" +
         std::to_string(4 * W - 1) + ":0]), .bw(in1[" + std::to_string(bw_bits(W) - 1) +
         ":0]), .adv(in1[3]), .fv(in1[4]), .step(in1[5]), .sel(sel), .neg(neg), .dbl(dbl), "
         ".nz(nz), .last(last));\n  assign out0 = {56'b0, last, nz, dbl, neg, sel};\n  assign "
         "out1 = 64'b0;\n  // verilator lint_off UNUSED\n  wire _unused = &{1'b0, in0, in1, "
         "1'b0};\n  // verilator lint_on UNUSED\nendmodule\n";
}

uint64_t pack_group(const int32_t* a, int W) {
  uint64_t v = 0;
  for (int p = 0; p < 4; ++p)
    v |= (static_cast<uint64_t>(a[p]) & low_mask(W)) << (p * W);
  return v;
}

uint64_t issue_word(int p, int d, bool last) {
  // {last, nz, dbl, neg, sel}
  return uint64_t(last) << 7 | uint64_t(1) << 6 | uint64_t(d == 2 || d == -2) << 5 |
         uint64_t(d < 0) << 4 | (uint64_t(1) << p);
}
const uint64_t kEmpty = uint64_t(1) << 7; // nothing left: last = 1, nz = 0

} // namespace

TEST_CASE("L0 RTL: the sparse encoder issues the emulator's digits for every INT4/INT8 value") {
  for (int W : {4, 8, 16}) {
    const uint64_t seed = 77 + W;
    std::cerr << "L0 sparse encoder W=" << W << ": seed " << seed << "\n";
    INFO("W=" << W << " seed " << seed);
    Rng rng(seed);
    const int D = W / 2;
    const int64_t lo = -(int64_t(1) << (W - 1)), span = int64_t(1) << W;
    // groups: every value in every position at every weight (INT16: random
    // values plus the extremes), the other three operands random
    std::vector<std::pair<std::vector<int32_t>, int>> groups;
    const int64_t values = W == 16 ? 4096 : span;
    for (int bw = 0; bw < D; ++bw)
      for (int64_t k = 0; k < values; ++k)
        for (int p = 0; p < 4; ++p) {
          std::vector<int32_t> g(4);
          for (auto& x : g)
            x = static_cast<int32_t>(lo + int64_t(rng.engine()() % uint64_t(span)));
          int64_t v = W == 16 ? lo + int64_t(rng.engine()() % uint64_t(span)) : lo + k;
          if (W == 16 && k < 2) v = k ? -lo - 1 : lo;
          g[static_cast<size_t>(p)] = static_cast<int32_t>(v);
          groups.emplace_back(g, bw);
        }
    std::vector<UnitVector> vec;
    std::vector<uint64_t> want;
    uint64_t after = kEmpty; // expected output of the next load vector
    for (size_t n = 0; n < groups.size(); ++n) {
      const auto& [g, bw] = groups[n];
      vec.emplace_back(pack_group(g.data(), W), uint64_t(bw) | 1u << 3 | 1u << 4); // adv, fv
      want.push_back(after);
      const GroupDigits d = group_digits(g.data(), 4, bw, W);
      std::vector<int> pos;
      for (int p = 0; p < 4; ++p)
        if (d.mask >> p & 1) pos.push_back(p);
      // a later load cuts every 5th group short after one issue (its rest is dropped)
      const bool cut = n % 5 == 4 && pos.size() > 1;
      const size_t issues = cut ? 1 : std::max<size_t>(pos.size(), 1);
      for (size_t k = 0; k < issues; ++k) {
        // junk on the group and weight inputs: the encoder must not look at them
        vec.emplace_back(rng.engine()() & low_mask(4 * W), (rng.engine()() & 7) | 1u << 5);
        want.push_back(pos.empty() ? kEmpty
                                   : issue_word(pos[k], d.value[static_cast<size_t>(pos[k])],
                                                k + 1 == pos.size()));
      }
      after =
          cut ? issue_word(pos[1], d.value[static_cast<size_t>(pos[1])], pos.size() == 2) : kEmpty;
      if (n % 7 == 3) { // an empty load (fv = 0) clears the encoder
        vec.emplace_back(rng.engine()() & low_mask(4 * W), 1u << 3);
        want.push_back(after);
        after = kEmpty;
      }
    }
    const auto out = run_unit({{"ent_enc.v", ent_encoder_module("u", W)},
                               {"senc.v", serial_encoder_module("u", "opt4c", W)}},
                              senc_wrapper(W), vec, "L0 sparse encoder W" + std::to_string(W));
    REQUIRE(out.size() == want.size());
    int64_t bad = 0;
    for (size_t i = 0; i < want.size(); ++i)
      if (out[i].first != want[i] && bad++ < 5)
        UNSCOPED_INFO("vector " << i << ": RTL " << std::hex << out[i].first << " expected "
                                << want[i] << std::dec);
    CHECK(bad == 0);
  }
}

namespace {

VerifyOutcome check(const ArchConfig& a, const std::vector<std::string>& shapes,
                    const OperandDist& dist, uint64_t seed, const RtlMutation& mutate = nullptr) {
  return tpe::test::verify_gemms(a, shapes, dist, seed, mutate, 2);
}

} // namespace

TEST_CASE("L1: opt3, opt4c, bitserial and pragmatic arrays equal the model bit- and cycle-exact") {
  const uint64_t seed = 9090;
  INFO("seed " << seed);
  for (const char* pe : {"opt3", "opt4c", "bitserial", "pragmatic"}) {
    INFO(pe);
    // odd shapes; K = 1 and K not a multiple of the group; 8 rows with folds of
    // 4..16 cycles, shorter than the 8-cycle drain (the execute stage holds)
    for (auto rc : {std::pair{3, 2}, {1, 4}, {8, 3}}) {
      INFO(rc.first << "x" << rc.second);
      const ArchConfig a = make_arch(rc.first, rc.second, "os", "int8", 32, pe);
      VerifyOutcome r =
          check(a, {"13x9x7", "1x1x1", "17x2x5", "2x33x1"}, OperandFill::Random, seed);
      CHECK(r.failure == "");
      CHECK(r.runs == 8);
      CHECK(check(a, {"7x5x4"}, OperandFill::Min, seed).failure == ""); // -128: digit -2 at 4^3
      CHECK(check(a, {"7x6x4"}, parse_operand_dist("normal:20@0.5"), seed).failure == "");
    }
    // wrapping accumulators, INT4 into 6 bits, INT16 into 40 bits
    CHECK(check(make_arch(3, 5, "os", "int8", 12, pe), {"11x31x13"}, OperandFill::Random, 2)
              .failure == "");
    CHECK(check(make_arch(2, 3, "os", "int4", 6, pe), {"11x6x5"}, OperandFill::Random, 3).failure ==
          "");
    CHECK(check(make_arch(3, 2, "os", "int16", 40, pe), {"6x11x5"}, OperandFill::Max, 4).failure ==
          "");
  }
  // a dig_valid port wider than 64 bits (17 rows x 4 lanes)
  CHECK(
      check(make_arch(17, 2, "os", "int8", 32, "pragmatic"), {"20x9x3"}, OperandFill::Random, seed)
          .failure == "");
  // one-cycle folds (zero operands, K <= 4) back to back: the 2-row drain hold
  CHECK(check(make_arch(2, 3, "os", "int8", 32, "pragmatic"), {"9x3x7", "9x4x7"}, OperandFill::Zero,
              seed)
            .failure == "");
}

TEST_CASE("L3: faults injected into the sparse array are caught") {
  const ArchConfig a = make_arch(8, 3, "os", "int8", 32, "opt4c");
  // value fault: the digit's sign is ignored
  VerifyOutcome r = check(a, {"9x13x5"}, OperandFill::Random, 5,
                          replace_in_rtl("assign neg = |(sel & dneg);", "assign neg = 1'b0;"));
  CHECK_FALSE(r.pass);
  CHECK(r.failure.find("(RTL)") != std::string::npos);
  // timing fault: a row is 'last' one digit early (its last digit is lost and
  // the group ends a cycle sooner)
  r = check(a, {"9x13x5"}, OperandFill::Random, 5,
            replace_in_rtl("assign last = rest == 4'd0;",
                           "assign last = (rest & (rest - 4'd1)) == 4'd0;"));
  CHECK_FALSE(r.pass);
  // drain hazard: folds may end while the previous drain still runs
  r = check(a, {"17x2x5"}, OperandFill::Random, 5,
            replace_in_rtl("(dr_act & (dr_d < R - 2))", "1'b0"));
  CHECK_FALSE(r.pass);
  // the digit count: dig_valid also counted while the execute stage holds
  r = check(a, {"17x2x5"}, OperandFill::Random, 5,
            replace_in_rtl("assign dig_valid = run ? row_nz", "assign dig_valid = 1'b1 ? row_nz"));
  CHECK_FALSE(r.pass);
  CHECK(r.failure.find("digits issued") != std::string::npos);
  // bitserial: the sign bit's pass added instead of subtracted
  r = check(make_arch(3, 4, "os", "int8", 32, "bitserial"), {"9x13x5"}, OperandFill::Random, 5,
            replace_in_rtl("neg <= bw == BW_MSB;", "neg <= 1'b0;"));
  CHECK_FALSE(r.pass);
  CHECK(r.failure.find("(RTL)") != std::string::npos);
  // pragmatic: the operand sign ignored
  r = check(make_arch(3, 4, "os", "int8", 32, "pragmatic"), {"9x13x5"}, OperandFill::Random, 5,
            replace_in_rtl("assign n[p] = sg;", "assign n[p] = 1'b0;"));
  CHECK_FALSE(r.pass);
  // the 2-row drain hold removed: one-cycle folds overwrite the drain registers
  r = check(make_arch(2, 3, "os", "int8", 32, "pragmatic"), {"9x3x7"}, OperandFill::Zero, 5,
            replace_in_rtl("assign drain_busy_next = load_res;", "assign drain_busy_next = 1'b0;"));
  CHECK_FALSE(r.pass);
  // pragmatic: the group ends when the first lane is done (bits of busier lanes lost)
  r = check(make_arch(3, 4, "os", "int8", 32, "pragmatic"), {"9x13x5"}, OperandFill::Random, 5,
            replace_in_rtl("assign last = &lane_last;", "assign last = |lane_last;"));
  CHECK_FALSE(r.pass);
}

TEST_CASE("the RTL's digit count reproduces the published K = 128 nonzero-digit averages") {
  // 256 x 128 INT8 operands per standard deviation through a 4x4 opt4c array; the
  // average is the RTL's own count of issued digits over the operands
  const ArchConfig a = make_arch(4, 4, "os", "int8", 32, "opt4c");
  const RtlBinary bin = build_systolic_rtl(a, nullptr, {});
  const std::string work =
      std::filesystem::temp_directory_path().string() + "/tpe_sparse_" + std::to_string(getpid());
  std::filesystem::create_directories(work);
  const double published[] = {1.75, 2.10, 2.32, 2.48, 2.60};
  const Layer l = parse_gemm_spec("256x128x4");
  for (int i = 0; i < 5; ++i) {
    const int sd = 10 * (i + 1);
    const uint64_t seed = 500 + sd;
    INFO("sd " << sd << " seed " << seed);
    Rng rng(seed);
    const ModelRun m = run_model(a, l, parse_operand_dist("normal:" + std::to_string(sd)), rng);
    const RtlTrace t = run_rtl(bin, m.map, m.images, work);
    REQUIRE(compare_traces(m.map, m.writes, m.counts, m.cycles, t) == "");
    const double avg = double(t.digit_issues) / double(l.M * l.K);
    std::cerr << "RTL nonzero EN-T digits per operand, normal sd " << sd << ": " << avg << " ("
              << m.cycles << " cycles)\n";
    CHECK(std::fabs(avg - published[i]) < 0.03);
  }
  std::filesystem::remove_all(work);
}

TEST_CASE("L0 RTL: the bit-serial and Pragmatic row encoders issue every INT4/INT8 value's bits") {
  for (int W : {4, 8, 16}) {
    const uint64_t seed = 177 + W;
    std::cerr << "L0 bitserial/pragmatic encoders W=" << W << ": seed " << seed << "\n";
    INFO("W=" << W << " seed " << seed);
    Rng rng(seed);
    const int EB = W == 4 ? 2 : W == 8 ? 3 : 4; // bits of a bit position
    const int64_t lo = -(int64_t(1) << (W - 1)), span = int64_t(1) << W;
    const int64_t values = W == 16 ? 4096 : span;
    std::vector<std::vector<int32_t>> groups;
    for (int64_t k = 0; k < values; ++k)
      for (int p = 0; p < 4; ++p) {
        std::vector<int32_t> g(4);
        for (auto& x : g)
          x = static_cast<int32_t>(lo + int64_t(rng.engine()() % uint64_t(span)));
        g[static_cast<size_t>(p)] = static_cast<int32_t>(
            W == 16 ? (k < 2 ? (k ? -lo - 1 : lo) : lo + int64_t(rng.engine()() % uint64_t(span)))
                    : lo + k);
        groups.push_back(g);
      }
    const std::string Ws = std::to_string(W), G = std::to_string(4 * W - 1);
    // bitserial: in1 = {fv, adv, bw[3:0]}; out0 = {neg, bits}
    {
      const std::string wrapper =
          "`timescale 1ns/1ps\nmodule unit_top(input clk, input [63:0] in0, input [63:0] in1, "
          "output [63:0] out0, output [63:0] out1);\n  wire [3:0] bits;\n  wire neg;\n  u_sbits "
          "s (.clk(clk), .rst(1'b0), .a_grp(in0[" +
          G + ":0]), .bw(in1[" + std::to_string(EB - 1) +
          ":0]), .adv(in1[4]), .fv(in1[5]), .bits(bits), .neg(neg));\n  assign out0 = {59'b0, "
          "neg, bits};\n  assign out1 = 64'b0;\n  // verilator lint_off UNUSED\n  wire _unused = "
          "&{1'b0, in0, in1, 1'b0};\n  // verilator lint_on UNUSED\nendmodule\n";
      std::vector<UnitVector> vec;
      std::vector<uint64_t> want;
      uint64_t state = 0;
      for (const auto& g : groups)
        for (int bw = 0; bw < W; ++bw) {
          vec.emplace_back(pack_group(g.data(), W), uint64_t(bw) | 3u << 4);
          want.push_back(state);
          uint64_t bitsv = 0;
          for (int p = 0; p < 4; ++p)
            bitsv |= ((static_cast<uint64_t>(g[static_cast<size_t>(p)]) >> bw) & 1) << p;
          state = bitsv | uint64_t(bw == W - 1) << 4;
        }
      vec.emplace_back(0, 0);
      want.push_back(state);
      const auto out = run_unit({{"sbits.v", serial_encoder_module("u", "bitserial", W)}}, wrapper,
                                vec, "L0 bitserial encoder W" + Ws);
      REQUIRE(out.size() == want.size());
      int64_t bad = 0;
      for (size_t i = 0; i < want.size(); ++i)
        if (out[i].first != want[i] && bad++ < 5)
          UNSCOPED_INFO("bitserial vector " << i << ": RTL " << out[i].first << " expected "
                                            << want[i]);
      CHECK(bad == 0);
    }
    // pragmatic: in1 = {step, fv, adv}; out0 = {last, n, v}, out1 = e
    {
      const std::string wrapper =
          "`timescale 1ns/1ps\nmodule unit_top(input clk, input [63:0] in0, input [63:0] in1, "
          "output [63:0] out0, output [63:0] out1);\n  wire [3:0] v, n;\n  wire [" +
          std::to_string(4 * EB - 1) +
          ":0] e;\n  wire last;\n  u_soneff s (.clk(clk), .rst(1'b0), .a_grp(in0[" + G +
          ":0]), .adv(in1[0]), .fv(in1[1]), .step(in1[2]), .v(v), .e(e), .n(n), .last(last));\n"
          "  assign out0 = {55'b0, last, n, v};\n  assign out1 = {" +
          std::to_string(64 - 4 * EB) +
          "'b0, e};\n  // verilator lint_off UNUSED\n  wire _unused = &{1'b0, in0, in1, 1'b0};\n"
          "  // verilator lint_on UNUSED\nendmodule\n";
      std::vector<UnitVector> vec;
      std::vector<std::pair<uint64_t, uint64_t>> want;
      for (const auto& g : groups) {
        std::vector<uint64_t> m(4);
        uint64_t neg = 0;
        for (int p = 0; p < 4; ++p) {
          const int64_t a = g[static_cast<size_t>(p)];
          m[static_cast<size_t>(p)] = static_cast<uint64_t>(a < 0 ? -a : a);
          neg |= uint64_t(a < 0) << p;
        }
        vec.emplace_back(pack_group(g.data(), W), 3);  // adv, fv
        want.emplace_back(~uint64_t(0), ~uint64_t(0)); // not checked (previous group's tail)
        bool more = true;
        while (more) {
          uint64_t v = 0, e = 0;
          bool last = true;
          for (int p = 0; p < 4; ++p) {
            const uint64_t mp = m[static_cast<size_t>(p)];
            if (mp) {
              v |= uint64_t(1) << p;
              e |= uint64_t(__builtin_ctzll(mp)) << (p * EB);
            }
            if (mp & (mp - 1)) last = false;
          }
          vec.emplace_back(rng.engine()() & low_mask(4 * W), 4); // step, junk on a_grp
          want.emplace_back(uint64_t(last) << 8 | neg << 4 | v, e);
          for (auto& mp : m)
            mp &= mp - 1;
          more = !last;
        }
      }
      const auto out = run_unit({{"soneff.v", serial_encoder_module("u", "pragmatic", W)}}, wrapper,
                                vec, "L0 pragmatic encoder W" + Ws);
      REQUIRE(out.size() == want.size());
      int64_t bad = 0;
      for (size_t i = 0; i < want.size(); ++i) {
        if (want[i].first == ~uint64_t(0)) continue;
        // e of a lane with nothing left is don't-care
        uint64_t emask = 0;
        for (int p = 0; p < 4; ++p)
          if (want[i].first >> p & 1) emask |= low_mask(EB) << (p * EB);
        if ((out[i].first != want[i].first || (out[i].second & emask) != want[i].second) &&
            bad++ < 5)
          UNSCOPED_INFO("pragmatic vector " << i << ": RTL " << out[i].first << "/" << out[i].second
                                            << " expected " << want[i].first << "/"
                                            << want[i].second);
      }
      CHECK(bad == 0);
    }
  }
}

TEST_CASE("tpe compare scales the peak TOPS of serial PEs by their measured MAC rate") {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/tpe_serial_cmp_" +
                          std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/b.yaml", "name: cb\nengine: systolic\nrows: 2\ncols: 2\n"
                                     "dataflow: os\npe: bitserial\n");
  write_file_atomic(dir + "/o.yaml", "name: co\nengine: systolic\nrows: 1\ncols: 2\n"
                                     "dataflow: os\npe: opt4c\n");
  // synthesis only: the rate comes from a model run on the first distribution
  auto r = tpe::test::run_tpe("compare --synth-only --arch " + dir + "/b.yaml --arch " + dir +
                              "/o.yaml --gemm 4x16x6 --operands normal:25 --seed 3 --liberty " +
                              tpe::test::test_liberty() + " --json " + dir + "/c.json");
  INFO(r.out);
  REQUIRE(r.status == 0);
  auto j = nlohmann::json::parse(read_file(dir + "/c.json"));
  REQUIRE(j["designs"].size() == 2);
  for (const auto& d : j["designs"]) {
    const double rate = d["mac_per_pe_cycle"], fmax = d["fmax_mhz"];
    CHECK(d["peak_tops"].get<double>() ==
          Approx(2.0 * d["pes"].get<double>() * rate * fmax * 1e-6));
  }
  CHECK(j["designs"][0]["mac_per_pe_cycle"].get<double>() == Approx(0.5)); // 4 lanes / 8 bits
  Rng rng(3);
  const ArchConfig o = parse_arch_file(dir + "/o.yaml");
  const ModelRun m = run_model(o, parse_gemm_spec("4x16x6"), parse_operand_dist("normal:25"), rng);
  const double want = double(m.counts.pe_macs) / (2.0 * double(m.counts.pe_busy_cycles));
  CHECK(want < 1.0);
  CHECK(j["designs"][1]["mac_per_pe_cycle"].get<double>() == Approx(want));
  CHECK(j["designs"][1]["cycles"] == m.cycles);
  // gate level: the mapped serial array matches the model and its rate is reported
  r = tpe::test::run_tpe("compare --arch " + dir +
                         "/o.yaml --gemm 4x16x6 --operands normal:25 "
                         "--seed 3 --liberty " +
                         tpe::test::test_liberty() + " --json " + dir + "/g.json");
  INFO(r.out);
  REQUIRE(r.status == 0);
  j = nlohmann::json::parse(read_file(dir + "/g.json"));
  CHECK(j["designs"][0]["mac_per_pe_cycle"].get<double>() == Approx(want));
  CHECK(j["designs"][0]["energy"]["normal:25"]["energy_pj_per_mac"].get<double>() > 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "serial PEs: impossible dataflows, narrow accumulators and timing-only modes are refused") {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/tpe_serial_bad_" +
                          std::to_string(getpid());
  std::filesystem::create_directories(dir);
  write_file_atomic(dir + "/w.csv", "Layer name, M, N, K,\nq, 5, 3, 9,\n");
  const std::string base = "name: x\nengine: systolic\nrows: 2\ncols: 2\n";
  for (const char* pe : {"opt3", "opt4c", "bitserial", "pragmatic"}) {
    INFO(pe);
    write_file_atomic(dir + "/ws.yaml", base + "dataflow: ws\npe: " + pe + "\n");
    auto r = tpe::test::run_tpe("sim --arch " + dir + "/ws.yaml --workload " + dir + "/w.csv");
    CHECK(r.status == 2);
    CHECK(r.out.find("ws.yaml:5: dataflow: PE '" + std::string(pe) +
                     "' does not support dataflow 'ws'") != std::string::npos);
    write_file_atomic(dir + "/a8.yaml",
                      base + "dataflow: os\npe: " + std::string(pe) + "\nacc_bits: 8\n");
    r = tpe::test::run_tpe("sim --arch " + dir + "/a8.yaml --workload " + dir + "/w.csv");
    CHECK(r.status == 2);
    CHECK(r.out.find("a8.yaml:7: acc_bits:") != std::string::npos);
    write_file_atomic(dir + "/ok.yaml", base + "dataflow: os\npe: " + std::string(pe) + "\n");
    for (const char* mode : {"timing", "analytic"}) {
      r = tpe::test::run_tpe("sim --arch " + dir + "/ok.yaml --workload " + dir + "/w.csv --mode " +
                             mode);
      CHECK(r.status == 2);
      CHECK(tpe::test::last_line(r.out).find("depends on the operand values") != std::string::npos);
    }
    r = tpe::test::run_tpe("sim --arch " + dir + "/ok.yaml --workload " + dir + "/w.csv --seed 4");
    CHECK(r.status == 0);
  }
  std::filesystem::remove_all(dir);
}
