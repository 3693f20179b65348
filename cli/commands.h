// Every `tpe` subcommand lives in its own cli/cmd_*.cpp and registers itself
// here with a setup function that adds its options to the CLI11 app.
#pragma once
#include "core/registry.h"
#include <CLI/CLI.hpp>
#include <functional>

namespace tpe {

// Adds a subcommand to `app`; the subcommand's callback sets `exit_code`.
using CommandSetup = std::function<void(CLI::App& app, int& exit_code)>;
using CommandRegistry = Registry<CommandSetup>;

} // namespace tpe
