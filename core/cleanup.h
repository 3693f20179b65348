// Cleanup of temporary files, temporary directories and child processes when a
// run fails or is killed. A process-wide registry holds the absolute paths of
// the temporary files and directories in use and the process groups of the
// running children, in fixed storage, so that a SIGINT, SIGTERM, SIGHUP, SIGQUIT
// or SIGPIPE handler can, with async-signal-safe calls only, kill the children
// (SIGKILL to their process group, then waitpid), remove the registered paths
// (unlink, or a recursive unlinkat/rmdir through getdents64) and re-raise the
// signal with its default action, so the exit status still says which signal
// ended the run. An exception unwinds through the TempPath guards, which remove
// their paths; an exit() removes what is still registered (atexit).
// A SIGKILL cannot be handled: its temporary files stay (they are named
// *.tmp.PID, tpe_*.PID*), but children die with tpe (PR_SET_PDEATHSIG).
#pragma once
#include <string>
#include <sys/types.h>

namespace tpe {

// Install the signal handlers and the atexit hook (idempotent; `tpe` calls it
// first thing; every registration calls it again, so a handler installed in
// between is replaced). A signal that is ignored (nohup) stays ignored.
void install_cleanup_handlers();

// Register an absolute path; returns a slot handle, or -1 when the path is too
// long or the registry (256 slots) is full: the path is then only removed by its
// guard, not on a signal. `dir`: remove recursively.
int register_temp_path(const std::string& path, bool dir);
void unregister_temp_path(int slot);
// Child process groups (run_process): killed with SIGKILL and reaped on a signal.
void register_child(pid_t pid);
void unregister_child(pid_t pid);
// Remove everything registered now (what the signal handler does, minus the kill).
void cleanup_registered_paths();

// A temporary file or directory that is removed when the guard goes out of scope
// (exception or return) and on a signal, unless release() is called first.
class TempPath {
public:
  TempPath() = default;
  TempPath(const std::string& path, bool dir);
  ~TempPath();
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  TempPath(TempPath&& o) noexcept;
  TempPath& operator=(TempPath&& o) noexcept;
  const std::string& path() const { return path_; }
  void release(); // keep the path: no longer removed
  void remove();  // remove now
private:
  std::string path_;
  bool dir_ = false;
  int slot_ = -1;
};

// A fresh temporary directory <TMPDIR>/<prefix>.<pid>.<n>.XXXXXX (mkdtemp), guarded.
TempPath make_temp_dir(const std::string& prefix);

} // namespace tpe
