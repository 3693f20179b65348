// Process helpers: a child runs in its own process group, dies with tpe
// (PR_SET_PDEATHSIG) and is killed by tpe's signal handler (core/cleanup); its
// output goes to a log file that error messages quote from.
#include "core/process.h"
#include "core/cleanup.h"
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tpe {

std::string shell_quote(const std::string& s) {
  std::string r = "'";
  for (char c : s)
    r += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return r + "'";
}

int run_process(const std::vector<std::string>& argv, const std::string& cwd,
                const std::string& log) {
  if (argv.empty()) return 127;
  const std::string exe = argv[0].find('/') != std::string::npos ? argv[0] : find_tool(argv[0]);
  if (exe.empty()) return 127;
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // the tool's own temporary files (g++, yosys-abc) go to a private TMPDIR that
  // is removed with the run, also when the tool is killed mid-way
  const TempPath tool_tmp = make_temp_dir("tpe_tool");
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "TMPDIR=", 7) != 0) env.push_back(*e);
  env.push_back("TMPDIR=" + tool_tmp.path());
  std::vector<char*> envp;
  for (auto& e : env)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  // signals are blocked from fork until the child is registered, so a kill in
  // between still takes the child down
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) { // tpe's handler is not the child's
      struct sigaction sa {};
      sigaction(s, nullptr, &sa);
      if (sa.sa_handler != SIG_IGN) signal(s, SIG_DFL);
    }
    sigprocmask(SIG_SETMASK, &old, nullptr);
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    execve(exe.c_str(), args.data(), envp.data());
    _exit(127);
  }
  if (pid > 0) {
    setpgid(pid, pid);
    register_child(pid);
  }
  sigprocmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) return -1;
  int st = 0;
  pid_t w;
  while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {
  }
  unregister_child(pid);
  if (w < 0) return -1;
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
