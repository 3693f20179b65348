// The "rtl" backend of the TLM engine (sim/tlm_engine.h): the engine's generated
// Verilog, Verilated (cached by the hash of Verilog and flags, testbenches/lib/
// rtl_build.h), runs the GEMM's SRAM images through the harness; C is read from the
// RTL's own output writes (the last write of every output word), the cycles are its
// done cycle. `tpe verify` proves both equal to the "model" backend's.
#include "core/cleanup.h"
#include "core/error.h"
#include "dataflows/systolic_mapping.h"
#include "sim/array_core.h"
#include "sim/tlm_engine.h"
#include "testbenches/lib/rtl_build.h"
#include "testbenches/lib/rtl_run.h"

namespace tpe {
namespace {

TlmGemmBackend::Result run_rtl_backend(const ArchConfig& arch, const SystolicMapping& m,
                                       const SramImages& img) {
  const RtlBinary bin = build_systolic_rtl(arch);
  const TempPath work = make_temp_dir("tpe_tlm_rtl");
  const RtlTrace t = run_rtl(bin, m, img, work.path());
  std::vector<int64_t> out(static_cast<size_t>(m.o_words * m.C), 0);
  for (const OutputWrite& w : t.writes)
    for (size_t j = 0; j < w.data.size(); ++j)
      out[static_cast<size_t>(w.addr * m.C) + j] = w.data[j];
  return {extract_result(m, out), t.done};
}

Registrar<TlmGemmBackend> reg("rtl", {run_rtl_backend});

} // namespace
} // namespace tpe
