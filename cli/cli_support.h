// Command-line behaviour shared by every subcommand: typed-value checks added to
// every option after registration, the pre-parse that turns unknown commands and
// options into one `tpe: error:` line with a suggestion, and the translation of
// CLI11's parse errors into the same one-line form (README "Exit status").
#pragma once
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace tpe {

// Closest candidate to `word` by Levenshtein distance, or "" when none is close
// (distance at most max(2, |word| / 3)).
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// Adds a value check to every option of every subcommand from the type CLI11
// records for it: UINT takes decimal digits only (so `--seed -1` is refused, not
// wrapped to 2^64-1), INT an optional '-' and digits, FLOAT a finite decimal
// number; every value must be non-empty.
void check_option_values(CLI::App& app);

// Checks argv before CLI11 parses it: an unknown subcommand or an option that the
// chosen subcommand does not have throws CLI::ParseError-free InputError text
// with a suggestion. Returns normally when everything is known.
void precheck_arguments(CLI::App& app, int argc, char** argv);

// One line for a CLI11 parse error, naming the subcommand being parsed.
std::string parse_error_line(CLI::App& app, const CLI::ParseError& e);

} // namespace tpe
