// `tpe roofline`: designs' attained MACs per cycle over a sweep of DRAM bandwidth,
// beside the roof min(peak, bandwidth x intensity) (reports/roofline.h), as a table,
// JSON and a Vega-Lite specification for the SVG (tools/plot/render.mjs).
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/json_text.h"
#include "reports/roofline.h"
#include <iostream>

namespace tpe {
namespace {

struct RooflineArgs {
  std::vector<std::string> archs;
  std::string markdown, json, vega;
  RooflineOptions o;
};

Registrar<CommandSetup> reg("roofline", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "roofline", "attained MACs per cycle of designs over a sweep of DRAM bandwidth, with the "
                  "roofline bound (memory.model dram)");
  auto a = std::make_shared<RooflineArgs>();
  cmd->add_option("--arch", a->archs, "architecture files (YAML), one panel each")->required();
  cmd->add_option("--workload", a->o.workloads, "workload CSVs, one line each")->required();
  cmd->add_option("--bytes-per-cycle", a->o.bytes_per_cycle,
                  "DRAM bytes per engine cycle, comma-separated (default 1,2,4,...,1024)")
      ->delimiter(',');
  cmd->add_option("--dram", a->o.dram,
                  "DRAM preset whose latency, burst size and pJ/bit the sweep keeps (default "
                  "ddr4_3200_x64)");
  cmd->add_option("--markdown", a->markdown, "also write the table to FILE");
  cmd->add_option("--json", a->json, "write the JSON report to FILE");
  cmd->add_option("--vega", a->vega,
                  "write the plot's Vega-Lite specification to FILE (render: node "
                  "tools/plot/render.mjs FILE OUT.svg)");
  cmd->callback([a, &exit_code] {
    check_output_file(a->markdown);
    check_output_file(a->json);
    check_output_file(a->vega);
    const auto pts = roofline(a->archs, a->o, std::cerr);
    const std::string md = roofline_markdown(pts, a->o);
    std::cout << md;
    if (!a->markdown.empty()) write_file_atomic(a->markdown, md);
    if (!a->json.empty()) write_file_atomic(a->json, json_text(roofline_json(pts, a->o)));
    if (!a->vega.empty()) write_file_atomic(a->vega, roofline_vega_lite(pts, a->o).dump(1) + "\n");
    exit_code = 0;
  });
});

} // namespace
} // namespace tpe
