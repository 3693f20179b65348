// A directory of report files replaced all at once (`tpe sim --out DIR`,
// `tpe gen --out DIR`), so a failed or killed run never leaves a mix of new and
// old files. Algorithm: the files are written into a fresh sibling directory
// <DIR>.tmp.<pid> (registered for removal on a signal, core/cleanup.h); on
// commit, the entries of the old DIR that this command does not own (files a
// user put there) are hard-linked into it (subdirectories recreated, their files
// hard-linked, symbolic links copied as links), it takes DIR's permissions, and
// it is swapped with DIR in one renameat2(RENAME_EXCHANGE) (a plain rename when
// DIR does not exist yet); the old directory, now at the temporary name, is then
// removed. Owned files of an earlier run that this run does not write are gone.
// When DIR cannot be exchanged (it is the current directory or one of its
// ancestors, a mount point, or the file system lacks RENAME_EXCHANGE) the files
// are renamed into DIR one by one instead: each file is whole, but a kill
// between two renames can leave some new and some old files.
// A symbolic link given as DIR is followed: its target directory is replaced.
#pragma once
#include "core/cleanup.h"
#include <set>
#include <string>

namespace tpe {

class StagedDir {
public:
  // Checks `dir` (empty, not a directory, parent cannot be created: InputError)
  // and creates the staging directory.
  explicit StagedDir(const std::string& dir);
  // Write one file (a plain name) into the staging directory.
  void write(const std::string& name, const std::string& contents);
  // The staging directory, for files that other writers (a simulator, a streaming
  // writer) put there; name them in commit's `owned`.
  const std::string& path() const { return stage_.path(); }
  // Swap the staging directory into place. `owned`: names this command writes in
  // DIR in any run (with the names written now, they are not carried over).
  void commit(const std::set<std::string>& owned);
  const std::string& target() const { return target_; } // DIR, symbolic links resolved
  bool exchanged() const { return exchanged_; }         // false: the file-by-file fallback ran

private:
  std::string given_, target_;
  std::set<std::string> written_;
  TempPath stage_;
  bool exchanged_ = false;
};

} // namespace tpe
