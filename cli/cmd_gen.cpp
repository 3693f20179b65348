// `tpe gen --arch A.yaml --out DIR`: write the engine's Verilog and filelist.f;
// DIR is replaced as a whole (core/output_dir.h): files of an earlier `tpe gen`
// (filelist.f and the files it lists) go, other files stay.
#include "cli/commands.h"
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/output_dir.h"
#include "core/text.h"
#include "rtl_gen/rtl_generator.h"
#include <iostream>
#include <set>
#include <sstream>

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
    require_rtl(a, "gen");
    StagedDir dir(*out);
    const GeneratedRtl g = generate_verilog(a, "tpe gen --arch " + *arch + " --out " + *out);
    for (const auto& [file, text] : g.files)
      dir.write(file, text);
    // what an earlier `tpe gen` wrote there: its filelist.f and the files it lists
    std::set<std::string> owned = {"filelist.f"};
    try {
      std::istringstream old(read_file(dir.target() + "/filelist.f"));
      for (std::string l; std::getline(old, l);)
        if (!l.empty() && l.find('/') == std::string::npos) owned.insert(l);
    } catch (const InputError&) { // no earlier run
    }
    dir.commit(owned);
    std::cout << "gen: wrote " << g.files.size() << " files to " << printable(*out)
              << " (top module " << g.top << ")\n";
    exit_code = 0;
  });
});

} // namespace
} // namespace tpe
