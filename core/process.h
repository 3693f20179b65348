// Running external tools (verilator, make, yosys, the Verilated simulator).
#pragma once
#include <string>
#include <vector>

namespace tpe {

// Quote one argument for /bin/sh.
std::string shell_quote(const std::string& s);
// Run `argv` (argv[0] looked up on PATH unless it has a '/') in `cwd` with stdin
// from /dev/null and stdout+stderr to `log` (relative to `cwd`); returns the exit
// status, 127 when the program is missing, 128+N when killed by signal N. The
// child has its own process group and is killed when tpe dies (core/cleanup.h);
// its TMPDIR is a private temporary directory removed when it ends.
int run_process(const std::vector<std::string>& argv, const std::string& cwd,
                const std::string& log);
// Absolute path of `tool` on PATH, or "" when it is missing.
std::string find_tool(const std::string& tool);
// The last `lines` lines of a file (for error messages).
std::string tail_file(const std::string& path, int lines);

} // namespace tpe
