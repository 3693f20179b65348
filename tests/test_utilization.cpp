// Utilization is work done over peak work: MACs / (cycles x multipliers x the PE
// kind's peak MACs per cycle). It never exceeds 100% on any engine and PE, serial
// PEs included, on zero, random and maximum operands.
#include "core/engine_info.h"
#include "core/error.h"
#include "pe_models/pe.h"
#include "sim/engine.h"
#include <catch2/catch.hpp>

using namespace tpe;

TEST_CASE("utilization never exceeds 100 percent on any engine, PE and operands") {
  const Layer g = parse_gemm_spec("9x16x7");
  int designs = 0;
  for (const auto& e : EngineRegistry::instance().names())
    for (const auto& pe : PeRegistry::instance().names())
      for (const auto& df : EngineRegistry::instance().find(e)->dataflows) {
        ArchConfig a;
        a.name = "u";
        a.engine = e;
        a.rows = e == "adder_tree" ? 1 : 3;
        a.cols = 2;
        a.depth = e == "cube" ? 2 : e == "adder_tree" ? 4 : 1;
        a.dataflow = df;
        a.pe = pe;
        try {
          validate_arch(a);
        } catch (const InputError&) {
          continue; // a PE this engine or dataflow does not take
        }
        ++designs;
        for (const char* ops : {"zero", "random", "max"}) {
          INFO(e << " " << df << " " << pe << " " << ops);
          RunOptions ro;
          ro.mode = SimMode::Values;
          ro.dist = parse_operand_dist(ops);
          const LayerResult r = run_layer(a, g, ro);
          CHECK(r.utilization > 0);
          CHECK(r.utilization <= 1.0);
          CHECK(r.utilization ==
                Approx(double(r.macs) / (double(r.cycles) * peak_macs_per_cycle(a))));
          // the pragmatic PE issues 4 lanes per cycle: on zeros it runs near its peak
          // of 4 MACs per PE per cycle (315% of one MAC per PE per cycle before)
          if (pe == "pragmatic" && std::string(ops) == "zero") CHECK(r.utilization > 0.5);
        }
      }
  CHECK(designs >= 20);
  // the rule per PE kind: one MAC per cycle for the fixed-latency PEs; a group of 4
  // per cycle per pass for the serial ones
  ArchConfig a;
  a.engine = "systolic";
  a.rows = a.cols = 2;
  a.dataflow = "os";
  for (const auto& [pe, peak] : std::vector<std::pair<std::string, double>>{{"mac", 1},
                                                                            {"opt1", 1},
                                                                            {"opt3", 1},
                                                                            {"opt4c", 1},
                                                                            {"bitserial", 0.5},
                                                                            {"pragmatic", 4}}) {
    a.pe = pe;
    CHECK(peak_macs_per_cycle(a) == Approx(4 * peak));
  }
}
