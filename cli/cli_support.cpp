// Command-line checks (see cli_support.h). Suggestions use the Levenshtein
// (edit) distance: insertions, deletions and substitutions of one character.
#include "cli/cli_support.h"
#include "core/error.h"
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace tpe {
namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* s : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(s->get_name());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> long_option_names(CLI::App& sub) {
  std::vector<std::string> names;
  for (const auto* o : sub.get_options()) {
    for (const auto& l : o->get_lnames())
      names.push_back("--" + l);
    for (const auto& l : o->get_snames())
      names.push_back("-" + l);
  }
  return names;
}

bool is_number_text(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(v);
}

} // namespace

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

void check_option_values(CLI::App& app) {
  const CLI::Validator nonempty(
      [](std::string& v) { return v.empty() ? std::string("an empty value") : std::string(); }, "",
      "non-empty");
  const CLI::Validator uint_v(
      [](std::string& v) {
        const bool ok = !v.empty() && std::all_of(v.begin(), v.end(),
                                                  [](char c) { return c >= '0' && c <= '9'; });
        if (!ok) return "'" + v + "' is not a non-negative integer";
        errno = 0;
        std::strtoull(v.c_str(), nullptr, 10);
        return errno == ERANGE ? "'" + v + "' is larger than 2^64-1" : std::string();
      },
      "", "UINT");
  const CLI::Validator int_v(
      [](std::string& v) {
        const size_t start = (!v.empty() && v[0] == '-') ? 1 : 0;
        const bool ok = v.size() > start && std::all_of(v.begin() + start, v.end(), [](char c) {
                          return c >= '0' && c <= '9';
                        });
        if (!ok) return "'" + v + "' is not an integer";
        errno = 0;
        std::strtoll(v.c_str(), nullptr, 10);
        return errno == ERANGE ? "'" + v + "' is outside -2^63..2^63-1" : std::string();
      },
      "", "INT");
  const CLI::Validator float_v(
      [](std::string& v) {
        return is_number_text(v) ? std::string() : "'" + v + "' is not a finite number";
      },
      "", "FLOAT");
  // transform() puts the check before the option's own (range) checks
  for (auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    for (auto* o : sub->get_options()) {
      if (o->get_expected_min() == 0) continue; // flags
      const std::string t = o->get_type_name();
      if (t.rfind("UINT", 0) == 0)
        o->transform(uint_v);
      else if (t.rfind("INT", 0) == 0)
        o->transform(int_v);
      else if (t.rfind("FLOAT", 0) == 0)
        o->transform(float_v);
      else
        o->transform(nonempty);
    }
}

void precheck_arguments(CLI::App& app, int argc, char** argv) {
  if (argc < 2) return; // CLI11 reports the missing subcommand
  const std::string first = argv[1];
  if (first.empty() || first[0] == '-') return; // --help, --version, or an unknown option
  const std::vector<std::string> commands = subcommand_names(app);
  CLI::App* sub = nullptr;
  try {
    sub = app.get_subcommand(first);
  } catch (const CLI::OptionNotFound&) {
    const std::string s = closest_match(first, commands);
    throw InputError("unknown command '" + first + "'" +
                     (s.empty() ? "" : " (did you mean '" + s + "'?)") +
                     "; commands: " + joined(commands));
  }
  const std::vector<std::string> options = long_option_names(*sub);
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-' || is_number_text(arg)) continue; // a value
    const std::string name = arg.substr(0, arg.find('='));
    if (std::find(options.begin(), options.end(), name) != options.end()) continue;
    const std::string s = closest_match(name, options);
    throw InputError(first + ": unknown option '" + name + "'" +
                     (s.empty() ? "" : " (did you mean '" + s + "'?)") + "; see tpe " + first +
                     " --help");
  }
}

std::string parse_error_line(CLI::App& app, const CLI::ParseError& e) {
  std::string where;
  for (const auto* s : app.get_subcommands())
    where = s->get_name() + ": ";
  std::string msg = e.what();
  if (msg == "A subcommand is required")
    msg = "a command is required (" + joined(subcommand_names(app)) + "); see tpe --help";
  std::replace(msg.begin(), msg.end(), '\n', ' ');
  return where + msg;
}

} // namespace tpe
