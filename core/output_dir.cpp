// Staged report directory swapped into place (see output_dir.h).
#include "core/output_dir.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace tpe {

namespace fs = std::filesystem;

namespace {

// Is `dir` the current directory or one of its ancestors? (Exchanging it would
// leave the shell that started tpe in a removed directory.)
bool holds_cwd(const fs::path& dir) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec), d = fs::canonical(dir, ec);
  if (ec) return false;
  auto c = cwd.begin();
  for (auto it = d.begin(); it != d.end(); ++it, ++c)
    if (c == cwd.end() || *c != *it) return false;
  return true;
}

} // namespace

StagedDir::StagedDir(const std::string& dir) : given_(dir) {
  if (dir.empty()) throw InputError("\"\"", 0, "", "empty path given for the output directory");
  auto fail = [&](const std::string& why) {
    throw InputError(dir, 0, "", "cannot write the output directory: " + why);
  };
  fs::path t = fs::absolute(follow_links(dir, "the output directory")).lexically_normal();
  while (t.has_relative_path() && t.filename().empty())
    t = t.parent_path(); // "out/" -> "out"
  if (!t.has_relative_path()) fail("it is the root directory");
  target_ = t.string();
  struct stat st {};
  if (stat(target_.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
    if (S_ISREG(st.st_mode)) fail("it is a file, not a directory");
    fail("it is not a directory");
  }
  std::error_code ec;
  fs::create_directories(t.parent_path(), ec);
  if (ec)
    fail("cannot create the directory " + t.parent_path().string() + ": " + errno_text(ec.value()));
  const std::string stage = target_ + ".tmp." + std::to_string(getpid());
  fs::remove_all(stage, ec);      // a stale one of an earlier process with the same pid
  stage_ = TempPath(stage, true); // registered first: a kill right after mkdir removes it
  if (mkdir(stage.c_str(), 0777) != 0) fail(errno_text(errno));
}

void StagedDir::write(const std::string& name, const std::string& contents) {
  write_file_atomic(stage_.path() + "/" + name, contents);
  written_.insert(name);
}

void StagedDir::commit(const std::set<std::string>& owned) {
  auto fail = [&](const std::string& why) {
    throw InputError(given_, 0, "", "cannot write the output directory: " + why);
  };
  const std::string& stage = stage_.path();
  if (std::rename(stage.c_str(), target_.c_str()) == 0) { // DIR did not exist
    stage_.release();
    exchanged_ = true;
    return;
  }
  if (errno != EEXIST && errno != ENOTEMPTY) fail(errno_text(errno));
  // carry over what the user keeps in DIR
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(target_, ec)) {
    const std::string name = e.path().filename().string();
    if (owned.count(name) || written_.count(name)) continue;
    std::error_code cec;
    fs::copy(e.path(), fs::path(stage) / name,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks |
                 fs::copy_options::create_hard_links,
             cec);
    if (cec) fail("cannot keep " + e.path().string() + " in it: " + cec.message());
  }
  if (ec) fail(ec.message());
  struct stat st {};
  if (stat(target_.c_str(), &st) == 0) chmod(stage.c_str(), st.st_mode & 07777);
  if (!holds_cwd(target_) &&
      renameat2(AT_FDCWD, stage.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
    exchanged_ = true;
    stage_.remove(); // the old DIR, now under the temporary name
    return;
  }
  // fallback: rename the new files in one by one, then drop the stale owned ones
  for (const auto& name : written_)
    if (std::rename((stage + "/" + name).c_str(), (target_ + "/" + name).c_str()) != 0)
      fail("cannot rename " + name + " into it: " + errno_text(errno));
  for (const auto& name : owned)
    if (!written_.count(name)) fs::remove(fs::path(target_) / name, ec);
  stage_.remove();
}

} // namespace tpe
