// libFuzzer target: the Liberty reader (reports/liberty.cpp) through
// parse_liberty_text; every parsed table is also looked up below, inside and
// beyond its index range, as the energy and load code does, and every pin
// function goes through the gate simulator's function parser
// (reports/gate_sim.cpp), which reports a bad function as a ToolError.
#include "core/error.h"
#include "fuzz/fuzz_common.h"
#include "reports/gate_sim.h"
#include "reports/liberty.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tpe::fuzz::expect_result_or_input_error([&] {
    const tpe::Liberty lib = tpe::parse_liberty_text(tpe::fuzz::text_of(data, size), "fuzz.lib");
    for (const auto& [name, cell] : lib.cells)
      for (const auto& pin : cell.pins) {
        for (const auto& pw : pin.power)
          for (const double x : {-1.0, 0.1, 1e3}) {
            (void)pw.rise.lookup(x, x);
            (void)pw.fall.lookup(x, x);
          }
        if (pin.function.empty()) continue;
        try {
          const auto vars = tpe::liberty_function_vars(pin.function);
          if (vars.size() <= 6) (void)tpe::liberty_truth_table(pin.function, vars);
        } catch (const tpe::ToolError&) {
        }
      }
  });
  return 0;
}
