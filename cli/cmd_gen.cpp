// `tpe gen --arch A.yaml --out DIR`: write the engine's Verilog and filelist.f.
#include "cli/commands.h"
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "rtl_gen/systolic_verilog.h"
#include <iostream>

namespace tpe {
namespace {

Registrar<CommandSetup> reg("gen", [](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("gen", "generate synthesizable Verilog for an architecture");
  auto arch = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("--arch", *arch, "architecture file (YAML)")->required();
  cmd->add_option("--out", *out, "output directory")->required();
  cmd->callback([arch, out, &exit_code] {
    const ArchConfig a = parse_arch_file(*arch);
    const GeneratedRtl g =
        generate_systolic_verilog(a, "tpe gen --arch " + *arch + " --out " + *out);
    for (const auto& [file, text] : g.files)
      write_file_atomic(*out + "/" + file, text);
    std::cout << "gen: wrote " << g.files.size() << " files to " << *out << " (top module " << g.top
              << ")\n";
    exit_code = 0;
  });
});

} // namespace
} // namespace tpe
