// tpe: the command-line entry point. Subcommands register themselves (cli/cmd_*).
// Bad input (InputError) prints one line and exits 2; missing or failing tools
// (ToolError) exit 3; verification failures are reported by their command.
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/text.h"
#include <filesystem>
#include <iostream>
#include <set>

int main(int argc, char** argv) {
  tpe::install_cleanup_handlers(); // a killed run leaves no temporary files (core/cleanup.h)
  CLI::App app{"tpe: tensor-engine workbench (simulate, generate Verilog, verify)"};
  app.require_subcommand(1);
  int exit_code = 0;
  for (const auto& name : tpe::CommandRegistry::instance().names())
    (*tpe::CommandRegistry::instance().find(name))(app, exit_code);
  // a path option given an empty value ("--out ''") is refused, never read as "not given"
  static const std::set<std::string> path_options = {
      "--arch",    "--workload", "--scalesim-config", "--topology", "--json", "--out", "--energy",
      "--liberty", "--keep",     "--markdown",        "--rtl",      "--vcd"};
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; }))
    for (auto* opt : sub->get_options())
      for (const auto& n : opt->get_lnames())
        if (path_options.count("--" + n)) {
          const std::string shown = "--" + n;
          opt->check(CLI::Validator(
              [shown](std::string& v) -> std::string {
                if (v.empty()) throw tpe::InputError(shown, 0, "", "empty path given");
                return "";
              },
              "", "non-empty path"));
        }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const tpe::InputError& e) {
    std::cerr << "tpe: error: " << tpe::printable(e.what()) << "\n";
    return 2;
  } catch (const std::filesystem::filesystem_error& e) { // a path tpe could not use
    std::cerr << "tpe: error: " << tpe::printable(e.path1().string()) << ": "
              << tpe::errno_text(e.code().value()) << "\n";
    return 2;
  } catch (const tpe::ToolError& e) {
    std::cerr << "tpe: tool error: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "tpe: internal error: " << tpe::printable(e.what()) << "\n";
    return 4;
  }
  return exit_code;
}
