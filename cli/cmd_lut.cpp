// `tpe lut`: the LUT-GEMV figures (reports/lut_figures.h): decode GEMVs at several
// batch sizes and weight widths on lut_gemv designs, cycles per token and the cycle
// saving of skip_zero_index and batch_shared_lookup on drawn activations, table
// storage of both forms, the SRAM arrays' and (--periphery) the periphery's energy per
// token, and reference engines' cycles on the same GEMVs.
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/json_text.h"
#include "reports/lut_figures.h"
#include <iostream>

namespace tpe {
namespace {

struct LutArgs {
  std::vector<std::string> archs, refs;
  std::string markdown, json;
  LutFiguresOptions o;
};

Registrar<CommandSetup> reg("lut", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "lut", "LUT-GEMV decode figures: cycles per token at each batch and weight width, the "
             "cycle savings of zero-index skipping and shared lookups, table storage");
  auto a = std::make_shared<LutArgs>();
  cmd->add_option("--arch", a->archs, "lut_gemv architecture files (YAML)")->required();
  cmd->add_option("--workload", a->o.workload, "GEMV workload (CSV, every layer M = 1)")
      ->required();
  cmd->add_option("--vs", a->refs, "reference architecture files run on the same GEMVs");
  cmd->add_option("--batch", a->o.batches, "batch sizes, comma-separated (default 1,4,16,64)")
      ->delimiter(',');
  cmd->add_option("--weight-bits", a->o.weight_bits,
                  "weight widths in bits, comma-separated (default 2,3,4,8)")
      ->delimiter(',');
  cmd->add_option("--operands", a->o.operands,
                  "operand distribution (default student_t:3, per-token absmax-quantized "
                  "Student-t(3) activations)");
  cmd->add_option("--seed", a->o.seed, "seed of the operands (default 1)");
  cmd->add_option("--periphery", a->o.periphery,
                  "lut_gemv calibration files (tpe calibrate), one per table and form, scaled "
                  "to each point by register bits for the periphery's energy");
  cmd->add_option("--markdown", a->markdown, "also write the tables to FILE");
  cmd->add_option("--json", a->json, "write the JSON report to FILE");
  cmd->callback([a, &exit_code] {
    check_output_file(a->markdown);
    check_output_file(a->json);
    std::cerr << "lut: seed " << a->o.seed << " (replay with --seed " << a->o.seed << ")\n";
    const LutFigures f = lut_figures(a->archs, a->refs, a->o, std::cerr);
    const std::string md = lut_figures_markdown(f, a->o);
    std::cout << md;
    if (!a->markdown.empty()) write_file_atomic(a->markdown, md);
    if (!a->json.empty()) write_file_atomic(a->json, json_text(lut_figures_json(f, a->o)));
    exit_code = 0;
  });
});

} // namespace
} // namespace tpe
