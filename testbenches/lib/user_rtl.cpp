// Loading and checking user Verilog for `tpe verify --rtl DIR`. Algorithm: list
// the .v files (filelist.f order, else name order), find the file defining the
// top module, then elaborate the user's top and the generated top with yosys
// (read_verilog -sv; hierarchy -check -top; write_json of the top alone) and
// compare their ports by name, direction and width.
#include "testbenches/lib/user_rtl.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/process.h"
#include "rtl_gen/rtl_generator.h"
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <unistd.h>

namespace tpe {

namespace {

namespace fs = std::filesystem;

struct Port {
  std::string dir;
  size_t width = 0;
};

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

// The .v files of DIR in compile order.
std::vector<std::string> list_sources(const fs::path& dir) {
  std::vector<std::string> out;
  const fs::path fl = dir / "filelist.f";
  if (fs::exists(fl)) {
    std::istringstream in(read_file(fl.string()));
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      std::string t = line.substr(0, std::min(line.find("//"), line.find('#')));
      t = trim(t);
      if (t.empty()) continue;
      if (t[0] == '-' || t[0] == '+')
        throw InputError(fl.string(), n, "",
                         "tool options are not supported; list the .v files, one a line");
      if (t.find('/') != std::string::npos)
        throw InputError(fl.string(), n, "",
                         "'" + t + "' is not in the directory itself (list plain file names)");
      if (!fs::is_regular_file(dir / t))
        throw InputError(fl.string(), n, "", "no such file '" + t + "' in " + dir.string());
      out.push_back(t);
    }
    if (out.empty()) throw InputError(fl.string(), 0, "", "lists no Verilog file");
    return out;
  }
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".v")
      out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Ports of `top` after elaboration by yosys; `what` names the design in errors.
std::map<std::string, Port> top_ports(const GeneratedRtl& g, const std::string& what,
                                      bool user_input) {
  const fs::path work = fs::temp_directory_path() / ("tpe_rtl_ports." + std::to_string(getpid()) +
                                                     "." + (user_input ? "user" : "generated"));
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work);
  std::string script = "read_verilog -sv";
  for (const auto& f : g.sources) {
    write_file_atomic((work / f).string(), g.files.at(f));
    script += " " + f;
  }
  script += "\nhierarchy -check -top " + g.top + "\ndelete " + g.top + " %n\nproc\n" +
            "write_json ports.json\n";
  write_file_atomic((work / "ports.ys").string(), script);
  const std::string log = (work / "yosys.log").string();
  if (run_process({"yosys", "-q", "-s", "ports.ys"}, work.string(), log) != 0) {
    std::ifstream in(log);
    std::string line, err;
    while (std::getline(in, line))
      if (err.empty() && line.find("ERROR") != std::string::npos) err = trim(line);
    if (err.empty()) err = trim(tail_file(log, 1));
    const std::string msg =
        "yosys cannot elaborate " + what + ": " + err + " (full log " + log + ")";
    if (user_input) throw InputError(msg);
    throw ToolError(msg);
  }
  const nlohmann::json j = nlohmann::json::parse(read_file((work / "ports.json").string()));
  std::map<std::string, Port> out;
  for (const auto& [name, p] : j.at("modules").at(g.top).at("ports").items())
    out[name] = Port{p.at("direction").get<std::string>(), p.at("bits").size()};
  fs::remove_all(work, ec);
  return out;
}

} // namespace

GeneratedRtl load_user_rtl(const std::string& dir_s, const GeneratedRtl& reference) {
  const fs::path dir(dir_s);
  std::error_code ec;
  if (dir_s.empty()) throw InputError("--rtl", 0, "", "empty directory name");
  if (!fs::exists(dir, ec)) throw InputError(dir_s, 0, "--rtl", "no such directory");
  if (!fs::is_directory(dir, ec)) throw InputError(dir_s, 0, "--rtl", "not a directory");
  const std::vector<std::string> sources = list_sources(dir);
  if (sources.empty())
    throw InputError(dir_s, 0, "--rtl",
                     "no .v file in the directory (it needs module " + reference.top + ")");
  GeneratedRtl g;
  g.top = reference.top;
  g.sources = sources;
  std::string with_top;
  const std::regex top_re("\\bmodule\\s+" + reference.top + "\\b");
  for (const auto& f : sources) {
    g.files[f] = read_file((dir / f).string());
    if (with_top.empty() && std::regex_search(g.files[f], top_re)) with_top = f;
  }
  if (with_top.empty())
    throw InputError(dir_s, 0, "--rtl",
                     "no file defines the top module " + reference.top +
                         " (the architecture's name gives it; its ports must be those of "
                         "'tpe gen')");
  std::string fl;
  for (const auto& f : sources)
    fl += f + "\n";
  g.files["filelist.f"] = fl;
  const auto want = top_ports(reference, "the generated design", false);
  const auto got = top_ports(g, "the Verilog in " + dir_s, true);
  const std::string where = (dir / with_top).string();
  for (const auto& [name, p] : want) {
    const auto it = got.find(name);
    if (it == got.end())
      throw InputError(where, 0, "--rtl",
                       "module " + g.top + " lacks port '" + name + "' (" + p.dir + ", " +
                           std::to_string(p.width) + " bits)");
    if (it->second.dir != p.dir || it->second.width != p.width)
      throw InputError(where, 0, "--rtl",
                       "module " + g.top + ": port '" + name + "' is " + it->second.dir + ", " +
                           std::to_string(it->second.width) + " bits; the design needs " + p.dir +
                           ", " + std::to_string(p.width) + " bits");
  }
  for (const auto& [name, p] : got)
    if (!want.count(name))
      throw InputError(where, 0, "--rtl",
                       "module " + g.top + " has port '" + name + "' that the design lacks");
  return g;
}

RtlMutation use_user_rtl(const std::string& dir, const ArchConfig& arch) {
  const GeneratedRtl g = load_user_rtl(dir, generate_verilog(arch, "tpe gen"));
  return [g](GeneratedRtl& x) { x = g; };
}

} // namespace tpe
