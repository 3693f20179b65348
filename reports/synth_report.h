// Writers for SynthReport: a console summary and the JSON document of
// `tpe synth --json` (library, area_um2, cells, flops, critical_path_ns,
// fmax_mhz, modules, ...).
#pragma once
#include "reports/synth_flow.h"
#include <nlohmann/json.hpp>
#include <string>

namespace tpe {

std::string synth_text(const SynthReport& r);
nlohmann::json synth_json(const SynthReport& r);

} // namespace tpe
