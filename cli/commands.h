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

// Help of the --liberty option of every command that maps to a library
// (reports/synth_flow.h choose_library).
inline constexpr const char* kLibertyHelp =
    "Liberty library (default: $TPE_LIBERTY, else the vendored SkyWater sky130_fd_sc_hd "
    "typical corner; none: yosys's internal gates)";

} // namespace tpe
