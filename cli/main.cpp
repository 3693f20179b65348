// tpe: the command-line entry point. Subcommands register themselves (cli/cmd_*).
// Bad input (InputError, or a command line CLI11 or cli_support refuses) prints
// one line `tpe: error: ...` and exits 2; missing or failing tools (ToolError)
// exit 3; verification failures are reported by their command (exit 1).
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/text.h"
#include <filesystem>
#include <iostream>

#ifndef TPE_VERSION
#error "TPE_VERSION is defined by CMakeLists.txt (project VERSION)"
#endif

int main(int argc, char** argv) {
  tpe::install_cleanup_handlers(); // a killed run leaves no temporary files (core/cleanup.h)
  CLI::App app{"tpe: tensor-engine workbench (simulate, generate Verilog, verify)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tpe ") + TPE_VERSION);
  int exit_code = 0;
  for (const auto& name : tpe::CommandRegistry::instance().names())
    (*tpe::CommandRegistry::instance().find(name))(app, exit_code);
  tpe::check_option_values(app);
  try {
    tpe::precheck_arguments(app, argc, argv);
    app.parse(argc, argv);
  } catch (const CLI::Success& e) { // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "tpe: error: " << tpe::printable(tpe::parse_error_line(app, e)) << "\n";
    return 2;
  } catch (const tpe::InputError& e) {
    std::cerr << "tpe: error: " << tpe::printable(e.what()) << "\n";
    return 2;
  } catch (const std::filesystem::filesystem_error& e) { // a path tpe could not use
    std::cerr << "tpe: error: " << tpe::printable(e.path1().string()) << ": "
              << tpe::errno_text(e.code().value()) << "\n";
    return 2;
  } catch (const tpe::ToolError& e) {
    std::cerr << "tpe: tool error: " << tpe::printable(e.what()) << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "tpe: internal error: " << tpe::printable(e.what()) << "\n";
    return 4;
  }
  return exit_code;
}
