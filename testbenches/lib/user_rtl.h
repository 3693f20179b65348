// User-supplied Verilog for `tpe verify --rtl DIR`: the checker builds the
// user's files instead of the generated design. DIR holds .v files (compiled in
// the order of DIR/filelist.f when present, else in name order) defining the
// top module tpe_NAME (NAME: the architecture's name, non-identifier characters
// as '_') with the generated top's ports: same names, directions and widths.
#pragma once
#include "core/arch_config.h"
#include "rtl_gen/systolic_verilog.h"
#include "testbenches/lib/rtl_build.h"
#include <string>

namespace tpe {

// Read DIR's Verilog as a replacement for `reference` (the generated design of
// the same architecture). Throws InputError (one line, naming DIR or the file)
// when DIR is missing, not a directory or holds no .v file, when filelist.f
// names a missing file or one outside DIR, when no file defines the top module
// `reference.top`, or when that module's ports differ from the reference's
// (checked with yosys after elaboration: name, direction, width). Throws
// ToolError (with the log path) when yosys is missing or cannot read the files.
GeneratedRtl load_user_rtl(const std::string& dir, const GeneratedRtl& reference);

// A mutation that swaps in DIR's files (load_user_rtl checks them first). The
// build cache then hashes the user's files, not the generated ones.
RtlMutation use_user_rtl(const std::string& dir, const ArchConfig& arch);

} // namespace tpe
