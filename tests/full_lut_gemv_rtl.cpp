// The lut_gemv Verilog against its stepped model on random designs (label full): each
// design, of either orientation (they alternate), draws its arrays (1..3, in lockstep),
// form, index code, g (1..8), weight (1..8) and activation (1..16) widths, acc_bits,
// read_latency, out_bits and (weight) array size (1..3 slots, 1..4 lanes), batch,
// stream_bits, build_init_cycles and the two savings, or (activation) 1..4 rows,
// tokens_per_pass 1..3, lanes 1..4, the ports and builder_entries_per_cycle; each is
// linted (verilator -Wall), built, and run on random shapes with sparse or dense
// activations: every drain-port write, the done cycle and the row counts equal the
// model's (tests/lut_rtl_cases.h). The seed is printed (TPE_SEED replays).
#include "core/cleanup.h"
#include "lut_rtl_cases.h"
#include "rtl_gen/lut_gemv_verilog.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <fstream>

using namespace tpe;

TEST_CASE("lut_gemv RTL equals the model on random designs", "[rtl][full]") {
  const uint64_t seed = test::test_seed("lut_gemv RTL random designs", 1403);
  Rng rng(seed);
  for (int d = 0; d < 16; ++d) {
    const bool weight = d % 2 == 0; // the orientations alternate
    const bool sgn = rng.uniform(0, 1) == 1;
    const int g = static_cast<int>(rng.uniform(1, 8));
    const int wb = static_cast<int>(rng.uniform(1, 8)), ab = static_cast<int>(rng.uniform(1, 16));
    const int e = LutArith::min_entry_bits(weight ? wb : ab, g);
    const int R = sgn ? 1 << (g - 1) : (1 << g) - 1;
    const int acc = static_cast<int>(rng.uniform(e + 1, 40));
    std::string y = "name: rnd" + std::to_string(d) +
                    "\nengine: lut_gemv\narrays: " + std::to_string(rng.uniform(1, 3)) +
                    "\ntable: " + (weight ? "weight" : "activation") +
                    "\nform: " + (sgn ? "signed" : "subset") +
                    "\nindex_code: " + (rng.uniform(0, 1) ? "offset" : "twos") +
                    "\ngroup: " + std::to_string(g) + "\nformat: {act: int" + std::to_string(ab) +
                    ", weight: int" + std::to_string(wb) + "}\nacc_bits: " + std::to_string(acc) +
                    "\nout_bits: " + std::to_string(rng.uniform(1, 64)) + "\n";
    if (weight) {
      y += "array: {rows: " + std::to_string(R * rng.uniform(1, 3)) +
           ", cols: " + std::to_string(e * rng.uniform(1, 4)) +
           ", read_latency: " + std::to_string(rng.uniform(1, 3)) +
           "}\nbatch: " + std::to_string(rng.uniform(1, 5)) +
           "\nstream_bits: " + std::to_string(rng.uniform(1, 64)) +
           "\nbatch_shared_lookup: " + (rng.uniform(0, 1) ? "true" : "false") + "\n";
      if (sgn)
        y += "build_init_cycles: " + std::to_string(rng.uniform(1, g)) + "\n";
      else
        y += std::string("skip_zero_index: ") + (rng.uniform(0, 1) ? "true" : "false") + "\n";
    } else {
      const int64_t mt = rng.uniform(1, 3);
      y += "array: {rows: " + std::to_string(rng.uniform(1, 4)) +
           ", cols: " + std::to_string(mt * R * e + rng.uniform(0, 7)) +
           ", ports: " + (rng.uniform(0, 1) ? "1rw1r" : "1rw") +
           ", read_latency: " + std::to_string(rng.uniform(1, 3)) +
           "}\ntokens_per_pass: " + std::to_string(mt) +
           "\nlanes: " + std::to_string(rng.uniform(1, 4)) +
           "\nbuilder_entries_per_cycle: " + std::to_string(rng.uniform(1, 16)) + "\n";
    }
    const ArchConfig a = parse_arch_text(y, "rnd.yaml");
    INFO(y);
    const GeneratedRtl gen = generate_lut_gemv_verilog(a, "tpe gen --arch rnd.yaml --out rtl");
    const TempPath dir = make_temp_dir("tpe_lut_full");
    for (const auto& [name, text] : gen.files)
      std::ofstream(dir.path() + "/" + name) << text;
    test::check_verilator_lint(dir.path(), gen.top);
    const RtlBinary bin = build_lut_gemv_rtl(a);
    for (int s = 0; s < 6; ++s) {
      const int64_t M = rng.uniform(1, 11), K = rng.uniform(1, 40), N = rng.uniform(1, 13);
      const int zeros = static_cast<int>(rng.uniform(0, 3) * 30);
      test::check_lut_equal(a, bin, M, K, N, zeros, rng.engine()());
    }
  }
}
