// Temporary-path and child-process registry with a signal handler that cleans
// up (see cleanup.h). Storage is static and fixed, so the handler reads it
// without allocating; slots are published by writing the path first and the
// `used` flag last (signal fences order the stores against the handler).
#include "core/cleanup.h"
#include "core/error.h"
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tpe {

namespace {

constexpr int kSlots = 256;
constexpr int kChildren = 64;
constexpr int kMaxDepth = 48;

struct Slot {
  volatile sig_atomic_t used = 0;
  bool dir = false;
  char path[PATH_MAX] = {};
};
Slot g_slots[kSlots];
volatile pid_t g_children[kChildren];
const int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};

struct Dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[1];
};

// Remove `name` under `dirfd`, recursively when it is a directory; only
// async-signal-safe system calls (unlinkat, openat, getdents64, close).
void remove_at(int dirfd, const char* name, int depth) {
  if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT) return;
  if (depth >= kMaxDepth) return;
  const int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  alignas(8) char buf[2048];
  for (;;) {
    const long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      const auto* e = reinterpret_cast<const Dirent64*>(buf + off);
      off += e->d_reclen;
      const char* nm = e->d_name;
      if (nm[0] == '.' && (nm[1] == 0 || (nm[1] == '.' && nm[2] == 0))) continue;
      remove_at(fd, nm, depth + 1);
    }
  }
  close(fd);
  unlinkat(dirfd, name, AT_REMOVEDIR);
}

void remove_slots() {
  for (auto& s : g_slots) {
    if (!s.used) continue;
    std::atomic_signal_fence(std::memory_order_acquire);
    if (s.dir)
      remove_at(AT_FDCWD, s.path, 0);
    else
      unlink(s.path);
    s.used = 0;
  }
}

extern "C" void on_signal(int sig) {
  const int saved = errno;
  for (auto& c : g_children) {
    const pid_t p = c;
    if (p > 0) {
      kill(-p, SIGKILL);
      kill(p, SIGKILL);
      int st = 0;
      while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
      }
      c = 0;
    }
  }
  remove_slots();
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  sigprocmask(SIG_UNBLOCK, &s, nullptr);
  raise(sig);
  errno = saved;
}

extern "C" void at_exit_cleanup() {
  remove_slots();
}

} // namespace

void install_cleanup_handlers() {
  // the handlers are (re)applied on every call, so a handler installed since
  // (a test framework's) does not hide tpe's; atexit is hooked once
  static bool hooked = false;
  if (!hooked) std::atexit(at_exit_cleanup);
  hooked = true;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int s : kSignals)
    sigaddset(&sa.sa_mask, s);
  for (int s : kSignals) {
    struct sigaction old {};
    sigaction(s, nullptr, &old);
    if (old.sa_handler == SIG_IGN || old.sa_handler == on_signal) continue;
    sigaction(s, &sa, nullptr);
  }
}

int register_temp_path(const std::string& path, bool dir) {
  install_cleanup_handlers();
  std::error_code ec;
  const std::string abs = std::filesystem::absolute(path, ec).string();
  if (ec || abs.empty() || abs.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i) {
    Slot& s = g_slots[i];
    if (s.used) continue;
    std::memcpy(s.path, abs.c_str(), abs.size() + 1);
    s.dir = dir;
    std::atomic_signal_fence(std::memory_order_release);
    s.used = 1;
    return i;
  }
  return -1;
}

void unregister_temp_path(int slot) {
  if (slot >= 0 && slot < kSlots) g_slots[slot].used = 0;
}

void register_child(pid_t pid) {
  install_cleanup_handlers();
  for (auto& c : g_children)
    if (c == 0) {
      c = pid;
      return;
    }
}

void unregister_child(pid_t pid) {
  for (auto& c : g_children)
    if (c == pid) c = 0;
}

void cleanup_registered_paths() {
  remove_slots();
}

TempPath::TempPath(const std::string& path, bool dir)
    : path_(path), dir_(dir), slot_(register_temp_path(path, dir)) {}

TempPath::~TempPath() {
  remove();
}

TempPath::TempPath(TempPath&& o) noexcept
    : path_(std::move(o.path_)), dir_(o.dir_), slot_(o.slot_) {
  o.path_.clear();
  o.slot_ = -1;
}

TempPath& TempPath::operator=(TempPath&& o) noexcept {
  if (this != &o) {
    remove();
    path_ = std::move(o.path_);
    dir_ = o.dir_;
    slot_ = o.slot_;
    o.path_.clear();
    o.slot_ = -1;
  }
  return *this;
}

void TempPath::release() {
  unregister_temp_path(slot_);
  slot_ = -1;
  path_.clear();
}

void TempPath::remove() {
  if (path_.empty()) return;
  std::error_code ec;
  if (dir_)
    std::filesystem::remove_all(path_, ec);
  else
    std::filesystem::remove(path_, ec);
  release();
}

TempPath make_temp_dir(const std::string& prefix) {
  static int serial = 0;
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string tmpl = (base / (prefix + "." + std::to_string(getpid()) + "." +
                              std::to_string(serial++) + ".XXXXXX"))
                         .string();
  // register the template's final name only after mkdtemp fills it in; block
  // the signals in between so a kill cannot leave the fresh directory behind
  install_cleanup_handlers();
  sigset_t all, old;
  sigemptyset(&all);
  for (int s : kSignals)
    sigaddset(&all, s);
  sigprocmask(SIG_BLOCK, &all, &old);
  const char* made = mkdtemp(tmpl.data());
  const int err = errno;
  TempPath t;
  if (made) t = TempPath(made, true);
  sigprocmask(SIG_SETMASK, &old, nullptr);
  if (!made)
    throw ToolError("cannot create a temporary directory in " + base.string() + ": " +
                    std::strerror(err) + " (set TMPDIR to a writable directory)");
  return t;
}

} // namespace tpe
