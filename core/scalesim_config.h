// SCALE-Sim's INI architecture file (ArrayHeight, ArrayWidth, *SramSzkB,
// Bandwidth, Dataflow) read into tpe's ArchConfig, so SCALE-Sim users can run
// their own inputs through tpe and compare.
#pragma once
#include "core/arch_config.h"
#include <iosfwd>

namespace tpe {

// Keys tpe does not model (offsets, banks, request buffers...) are reported on
// `notes` as "FILE:LINE: key: ignored ..." lines; malformed lines are InputErrors.
ArchConfig parse_scalesim_config(const std::string& path, std::ostream& notes);
// The same on the file's text; `source` names the file in messages and gives the
// default design name (its stem).
ArchConfig parse_scalesim_text(const std::string& text, const std::string& source,
                               std::ostream& notes);

} // namespace tpe
