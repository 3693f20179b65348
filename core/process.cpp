// Process helpers built on /bin/sh: arguments are single-quoted, output goes to
// a log file that error messages quote from.
#include "core/process.h"
#include <cstdlib>
#include <deque>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>

namespace tpe {

std::string shell_quote(const std::string& s) {
  std::string r = "'";
  for (char c : s)
    r += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return r + "'";
}

int run_process(const std::vector<std::string>& argv, const std::string& cwd,
                const std::string& log) {
  std::string cmd = "cd " + shell_quote(cwd) + " &&";
  for (auto& a : argv)
    cmd += " " + shell_quote(a);
  cmd += " > " + shell_quote(log) + " 2>&1 < /dev/null";
  const int st = std::system(cmd.c_str());
  if (st == -1) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

std::string find_tool(const std::string& tool) {
  const char* path = std::getenv("PATH");
  if (!path) return "";
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    const std::string p = (dir.empty() ? "." : dir) + "/" + tool;
    struct stat st {};
    if (stat(p.c_str(), &st) == 0 && (st.st_mode & S_IXUSR) && S_ISREG(st.st_mode)) return p;
  }
  return "";
}

std::string tail_file(const std::string& path, int lines) {
  std::ifstream in(path);
  std::deque<std::string> q;
  std::string l;
  while (std::getline(in, l)) {
    q.push_back(l);
    if (static_cast<int>(q.size()) > lines) q.pop_front();
  }
  std::string r;
  for (auto& x : q)
    r += x + "\n";
  return r;
}

} // namespace tpe
