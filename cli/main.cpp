// tpe: the command-line entry point. Subcommands register themselves (cli/cmd_*).
// Bad input (InputError, or a command line CLI11 or cli_support refuses) prints
// one line `tpe: error: ...` and exits 2; missing or failing tools (ToolError)
// exit 3; verification failures are reported by their command (exit 1).
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "core/error.h"
#include <iostream>

#ifndef TPE_VERSION
#error "TPE_VERSION is defined by CMakeLists.txt (project VERSION)"
#endif

int main(int argc, char** argv) {
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
    std::cerr << "tpe: error: " << tpe::parse_error_line(app, e) << "\n";
    return 2;
  } catch (const tpe::InputError& e) {
    std::cerr << "tpe: error: " << e.what() << "\n";
    return 2;
  } catch (const tpe::ToolError& e) {
    std::cerr << "tpe: tool error: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "tpe: internal error: " << e.what() << "\n";
    return 4;
  }
  return exit_code;
}
