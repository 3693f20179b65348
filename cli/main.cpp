// tpe: the command-line entry point. Subcommands register themselves (cli/cmd_*).
// Bad input (InputError) prints one line and exits 2; missing or failing tools
// (ToolError) exit 3; verification failures are reported by their command.
#include "cli/commands.h"
#include "core/error.h"
#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"tpe: tensor-engine workbench (simulate, generate Verilog, verify)"};
  app.require_subcommand(1);
  int exit_code = 0;
  for (const auto& name : tpe::CommandRegistry::instance().names())
    (*tpe::CommandRegistry::instance().find(name))(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
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
