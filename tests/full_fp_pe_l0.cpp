// Long L0 suite (label full): the engines' PE datapath from operand codes
// (tests/fp_pe_l0.h) for every pairing of the formats the engines take: each
// format alone, L-Mul on E4M3, E5M2, bf16 and fp16 with each offset, every ordered
// mixed pair of one code width and the formats sweep's pairs of two widths
// (sweep::mixed_width_pairs); 8 bits and less: every code pair with all 24
// edge accumulators (zeros, subnormals, min normal, the largest finite values, Inf,
// NaN, ordinary values) of fp32, fp16 and bf16 and every fixed edge state; 9 to 16
// bits: every pair of edge codes plus 200,000 random pairs; the accumulator stage
// (P_fadd2) on every pair of edge accumulators plus random pairs; 200,000 random
// two-lane group sums (P_fdot, depth 2, half of them cancelling) plus edge ones where
// the parser takes depth 2. RTL vs the C++
// operators bit for bit, every float rounding step also against GNU MPFR.
// TPE_L0_ONLY runs the pairings whose label contains it.
#include "formats_sweep.h"
#include "fp_pe_l0.h"
#include <chrono>
#include <functional>

using namespace tpe;
using namespace tpe::pel0;

namespace {

// The pairings `pick` selects, each Verilated and checked; one test case per class
// keeps each well under ctest's 3000 s timeout.
void run_pairings(const std::string& what, const std::function<bool(const Pairing&)>& pick) {
  const uint64_t seed = 20261130;
  const char* only = std::getenv("TPE_L0_ONLY");
  std::cerr << "L0 full PE datapath (" << what << "): seed " << seed << "\n";
  int64_t vectors = 0, steps = 0;
  int units = 0, units_refused = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (const Pairing& p : all_pairings(sweep::sweep_formats(), 16)) {
    if (!pick(p) || (only && p.label().find(only) == std::string::npos)) continue;
    INFO(p.label());
    std::vector<std::string> refused;
    if (accumulators(p, refused).empty()) { // a pairing the parser refuses outright
      std::cerr << "L0 full PE datapath: " << p.label()
                << " refused by the parser: " << refused.front() << "\n";
      ++units_refused;
      continue;
    }
    const Unit u(p);
    const Counts c = run_unit_check(u, seed, 24, 9, 200000, 24, 20000, 200000, true);
    CHECK(c.rtl_bad == 0);
    CHECK(c.mpfr_bad == 0);
    vectors += c.vectors;
    steps += c.mpfr_steps;
    ++units;
  }
  std::cerr << "L0 full PE datapath (" << what << "): " << units << " pairings (" << units_refused
            << " refused by the parser), " << vectors << " vectors, " << steps << " MPFR steps in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
            << " s\n";
}

int bits(const std::string& f) {
  return lookup_format(f).bits;
}

} // namespace

TEST_CASE("L0 full: formats of 8 bits and less alone, every code pair") {
  run_pairings("alone, <= 8 bits", [](const Pairing& p) {
    return p.pe == "mac" && p.act == p.weight && bits(p.act) <= 8;
  });
}

TEST_CASE("L0 full: formats of 9 to 16 bits alone, edge and random pairs") {
  run_pairings("alone, 9..16 bits", [](const Pairing& p) {
    return p.pe == "mac" && p.act == p.weight && bits(p.act) > 8;
  });
}

TEST_CASE("L0 full: L-Mul with each offset") {
  run_pairings("L-Mul", [](const Pairing& p) { return p.pe == "lmul"; });
}

TEST_CASE("L0 full: mixed act/weight pairs of one width") {
  run_pairings("mixed",
               [](const Pairing& p) { return p.act != p.weight && bits(p.act) == bits(p.weight); });
}

TEST_CASE("L0 full: act/weight pairs of two widths, 8 bits and less") {
  run_pairings("two widths, <= 8 bits", [](const Pairing& p) {
    return bits(p.act) != bits(p.weight) && std::max(bits(p.act), bits(p.weight)) <= 8;
  });
}

TEST_CASE("L0 full: act/weight pairs of two widths, one of 9 to 16 bits") {
  run_pairings("two widths, 9..16 bits", [](const Pairing& p) {
    return bits(p.act) != bits(p.weight) && std::max(bits(p.act), bits(p.weight)) > 8;
  });
}
