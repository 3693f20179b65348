// Input reading and output writing (see atomic_file.h). Inputs: stat (following
// links) classifies the path before it is opened, the descriptor is checked again
// after opening (O_NONBLOCK, so even a FIFO swapped in cannot block the open), and
// reading stops past the size limit. Outputs: symbolic links are resolved hop by
// hop (at most 40), a non-regular target is written in place, a regular one
// through a registered temporary file and rename(2).
#include "core/atomic_file.h"
#include "core/cleanup.h"
#include "core/error.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace tpe {

namespace {

namespace fs = std::filesystem;

std::string reason(int err) {
  std::string s = std::strerror(err);
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z' && !(s.size() > 1 && s[1] >= 'A' && s[1] <= 'Z'))
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

// "a directory", "a FIFO", ... for a file that is not regular.
std::string kind_of(mode_t m) {
  if (S_ISDIR(m)) return "it is a directory";
  if (S_ISFIFO(m)) return "it is a FIFO (named pipe), not a regular file";
  if (S_ISSOCK(m)) return "it is a socket, not a regular file";
  if (S_ISCHR(m)) return "it is a character device, not a regular file";
  if (S_ISBLK(m)) return "it is a block device, not a regular file";
  return "it is not a regular file";
}

bool is_dev_null(const struct stat& st) {
  return S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

std::string mib(int64_t bytes) {
  return bytes % (int64_t(1) << 20) == 0 ? std::to_string(bytes >> 20) + " MiB"
                                         : std::to_string(bytes) + " bytes";
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

void write_all(int fd, const std::string& contents, const std::string& shown) {
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw InputError(shown, 0, "",
                       "error while writing the output file: " + reason(n < 0 ? errno : EIO));
    p += n;
    left -= static_cast<size_t>(n);
  }
}

// Classify `path` (following links); false for /dev/null, true for a regular file.
bool check_input(const std::string& path, const std::string& what, int64_t limit) {
  if (path.empty()) throw InputError("\"\"", 0, "", "empty path given for " + what);
  auto fail = [&](const std::string& why) {
    throw InputError(path, 0, "", "cannot open " + what + ": " + why);
  };
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    const int err = errno;
    struct stat lst {};
    if (err == ENOENT && lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode))
      fail("the symbolic link points to a missing file");
    fail(reason(err));
  }
  if (is_dev_null(st)) return false;
  if (!S_ISREG(st.st_mode)) fail(kind_of(st.st_mode));
  if (st.st_size > limit) fail("it is larger than tpe's input limit of " + mib(limit));
  return true;
}

} // namespace

void check_input_file(const std::string& path, const std::string& what) {
  check_input(path, what, kMaxInputBytes);
}

std::string read_file(const std::string& path, const std::string& what, int64_t limit) {
  if (!check_input(path, what, limit)) return "";
  auto fail = [&](const std::string& why) {
    throw InputError(path, 0, "", "cannot open " + what + ": " + why);
  };
  struct stat st {};
  Fd f;
  f.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (f.fd < 0) fail(reason(errno));
  if (fstat(f.fd, &st) != 0) fail(reason(errno));
  if (!S_ISREG(st.st_mode)) fail(kind_of(st.st_mode)); // replaced since the stat
  std::string out;
  out.reserve(static_cast<size_t>(std::min<int64_t>(st.st_size, limit)) + 1);
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = read(f.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(reason(errno));
    if (n == 0) break;
    if (static_cast<int64_t>(out.size()) + n > limit)
      fail("it is larger than tpe's input limit of " + mib(limit));
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string read_tool_output(const std::string& path, const std::string& what, int64_t limit) {
  try {
    return read_file(path, what, limit);
  } catch (const InputError& e) {
    throw ToolError(e.what());
  }
}

std::string follow_links(const std::string& path, const std::string& what) {
  fs::path target(path);
  for (int hops = 0;; ++hops) {
    struct stat st {};
    if (lstat(target.c_str(), &st) != 0) {
      if (errno != ENOENT)
        throw InputError(path, 0, "", "cannot write " + what + ": " + reason(errno));
      return target.string();
    }
    if (!S_ISLNK(st.st_mode)) return target.string();
    std::error_code ec;
    const fs::path link = fs::read_symlink(target, ec);
    if (hops == 40 || ec)
      throw InputError(path, 0, "",
                       "cannot write " + what + ": " + reason(ec ? ec.value() : ELOOP));
    target = link.is_absolute() ? link : target.parent_path() / link;
  }
}

void ensure_directory(const std::string& path, const std::string& what) {
  if (path.empty()) throw InputError("\"\"", 0, "", "empty path given for " + what);
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return;
    throw InputError(path, 0, "",
                     "cannot create " + what + ": " +
                         (S_ISREG(st.st_mode) ? std::string("it is a file, not a directory")
                                              : kind_of(st.st_mode)));
  }
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) throw InputError(path, 0, "", "cannot create " + what + ": " + reason(ec.value()));
}

void check_output_file(const std::string& path) {
  if (path.empty() || path == kStdoutPath) return;
  const fs::path target(follow_links(path, "the output file"));
  struct stat st {};
  if (stat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      throw InputError(path, 0, "", "cannot write the output file: it is a directory");
    return;
  }
  for (fs::path p = target.parent_path(); !p.empty(); p = p.parent_path()) {
    if (stat(p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        throw InputError(path, 0, "", "cannot write the output file: " + reason(ENOTDIR));
      return;
    }
    if (p == p.parent_path()) break;
  }
}

std::string errno_text(int err) {
  return reason(err);
}

void write_file_atomic(const std::string& path, const std::string& contents) {
  if (path.empty()) throw InputError("\"\"", 0, "", "empty path given for an output file");
  if (path == kStdoutPath) { // the Unix convention: "-" is standard output, written as is
    std::cout << contents << std::flush;
    if (!std::cout) throw InputError("-", 0, "", "cannot write to standard output");
    return;
  }
  auto fail = [&](const std::string& why) {
    throw InputError(path, 0, "", "cannot write the output file: " + why);
  };
  // follow symbolic links to the file that is really written
  const fs::path target(follow_links(path, "the output file"));
  struct stat st {};
  bool exists = lstat(target.c_str(), &st) == 0;
  const std::string shown = target.string() == path ? path : path + " (-> " + target.string() + ")";
  if (exists && S_ISDIR(st.st_mode)) fail("it is a directory");
  if (exists && !S_ISREG(st.st_mode)) { // a device or FIFO: write in place, never replace
    Fd f;
    f.fd = open(target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (f.fd < 0)
      fail(errno == ENXIO ? std::string("nothing reads from it (") + kind_of(st.st_mode) + ")"
                          : reason(errno));
    fcntl(f.fd, F_SETFL, fcntl(f.fd, F_GETFL) & ~O_NONBLOCK);
    write_all(f.fd, contents, path);
    return;
  }
  const fs::path parent = target.parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
      throw InputError(path, 0, "",
                       "cannot create the directory " + parent.string() + ": " +
                           reason(ec.value()));
  }
  const std::string tmp = target.string() + ".tmp." + std::to_string(getpid());
  TempPath guard(tmp, false);
  {
    Fd f;
    unlink(tmp.c_str()); // a stale one of a previous process with the same pid
    f.fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (f.fd < 0) fail(reason(errno));
    if (exists) fchmod(f.fd, st.st_mode & 07777); // keep the permissions of the file replaced
    write_all(f.fd, contents, shown);
    if (close(f.fd) != 0) {
      f.fd = -1;
      fail(reason(errno));
    }
    f.fd = -1;
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) fail(reason(errno));
  guard.release();
}

} // namespace tpe
