// Reading input files and writing output files as users give them.
// Inputs: a path is followed through symbolic links and must name a regular file
// of at most kMaxInputBytes (read to EOF; a file that grows past the limit while
// being read is refused too); /dev/null reads as an empty file; a directory, a
// FIFO, a socket or any other device is refused at once (never read, so never a
// hang). Outputs: a regular file (or a new path) is written to a temporary file
// beside it, <path>.tmp.<pid>, registered for removal on a signal
// (core/cleanup.h), and renamed into place, so a killed run never leaves a
// half-written report; a symbolic link is followed and its final target replaced
// (the link itself stays); a device or FIFO (/dev/null, /dev/stdout) is opened
// and written in place, never replaced. Every failure is one InputError line.
#pragma once
#include <cstdint>
#include <string>

namespace tpe {

// The largest input file tpe reads: 256 MiB (a million-row workload is ~25 MB,
// the sky130 Liberty file 13 MB).
constexpr int64_t kMaxInputBytes = int64_t(256) << 20;

// The whole contents of `path`. `what` names the file in errors ("the workload
// file"): "PATH: cannot open the workload file: no such file or directory".
std::string read_file(const std::string& path, const std::string& what = "the file",
                      int64_t limit = kMaxInputBytes);

// Files that tpe's own tools write and tpe reads back in full (yosys's netlist JSON
// and Verilog, Verilator's toggle coverage, the RTL simulator's trace, the model's
// waveform) grow with the design and the run: about 0.5 MB of netlist JSON per INT8
// MAC PE (2.2 MB for a 2x2 systolic array), so a 32x32 array's is about 0.5 GB and
// a 64x64 array's 2 GB. Their limit: 4 GiB.
constexpr int64_t kMaxToolOutputBytes = int64_t(4) << 30;

// The whole contents of a file that one of tpe's tools wrote: read_file's checks
// and `limit`, but a failure (missing, not a regular file, too large) is a
// ToolError with read_file's line "PATH: cannot open WHAT: problem", since the
// tool, not the user, made the file.
std::string read_tool_output(const std::string& path, const std::string& what,
                             int64_t limit = kMaxToolOutputBytes);

// The same checks without reading, for a file handed to another program (yosys,
// OpenSTA): throws the InputError read_file would. /dev/null passes.
void check_input_file(const std::string& path, const std::string& what = "the file");

// `path` with symbolic links followed hop by hop (at most 40) up to the first
// component that is not a link or does not exist; errors name `what`.
std::string follow_links(const std::string& path, const std::string& what);
// strerror(err) starting in lower case ("no such file or directory").
std::string errno_text(int err);

// Create directory `path` (and its parents) unless it exists; symbolic links are
// followed. InputError "PATH: cannot create the directory: it is a file, not a
// directory" (or the system's reason) otherwise; `what` names it in errors.
void ensure_directory(const std::string& path, const std::string& what);

// Refuse at once (before long work) an output path write_file_atomic would
// refuse: empty, a directory, below a file. "" is allowed (no output asked for).
void check_output_file(const std::string& path);

// The output path that names standard output ("-"): written there as is, no file.
inline const std::string kStdoutPath = "-";

// Write `contents` to `path` (parent directories are created; "-": standard
// output): see above.
void write_file_atomic(const std::string& path, const std::string& contents);

} // namespace tpe
