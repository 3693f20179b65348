// A tensor engine as a TLM-2.0 component (IEEE 1666-2011 clause 10+), for a user's
// SystemC virtual platform: a target socket for its configuration registers, an
// initiator socket through which it reads its operands from and writes its result to
// memory, and an interrupt line. One GEMM per start: C (M x N) = A (M x K) x B (K x N).
//
// Register map (target socket `regs`; 32-bit registers, aligned 4-byte single-beat
// accesses only, little-endian; any other access gets TLM_ADDRESS_ERROR_RESPONSE or
// TLM_BURST_ERROR_RESPONSE, a write to a read-only register TLM_COMMAND_ERROR_RESPONSE):
//   0x00 ID         RO  0x54504531 ("TPE1")
//   0x04 CTRL       RW  bit 0 START (write 1 while idle: start; reads 0), bit 1 IRQ_EN
//   0x08 STATUS     RW  bit 0 BUSY (RO), bit 1 DONE (write 1 to clear; clears irq),
//                       bit 2 ERROR (write 1 to clear)
//   0x0C ERROR      RO  the error STATUS.ERROR reports (0 once that bit is cleared):
//                       0 none, 1 shape (M, K or N zero or beyond the
//                       workload limits), 2 memory (a read or write of the initiator
//                       socket failed), 3 start while busy, 4 the backend refused
//                       the GEMM (beyond the stepped model's limits; a SystemC warning
//                       gives its message)
//   0x10 M, 0x14 K, 0x18 N                          RW  the GEMM's shape
//   0x20/0x24 A_ADDR, 0x28/0x2C B_ADDR, 0x30/0x34 C_ADDR   RW  64-bit byte addresses
//                       (low word first) of A, B (row-major) and C (row-major)
//   0x38/0x3C CYCLES    RO  engine cycles of the last GEMM, start pulse to done
// Memory layout: every operand element is one code of its format (the architecture's
// `act` for A, `weight` for B) in the smallest of 1, 2 or 4 bytes that holds it,
// little-endian, two's complement for the integer formats (sign-extended by the
// engine from the format's width); every C element is 8 bytes, little-endian: the
// accumulator's value (int) or code (fp32, fp16, bf16, fixed), as `tpe gemm --encoded`
// writes it.
//
// Timing: on START (which latches M, K, N and the addresses) the engine's DMA reads A
// then B in bursts of `burst_bytes` (loosely timed, DMI when the target grants it: one
// memcpy plus the granted read latency per burst), runs the
// GEMM on its backend (the cycle count of the engine's SystemC model or of its
// Verilated RTL, which `tpe verify` proves equal) at the architecture's clock_mhz, then
// writes C and sets DONE, raising `irq` when IRQ_EN. Loosely timed: b_transport with
// a tlm_quantumkeeper (the global quantum); approximately timed: nb_transport_fw with
// the four-phase base protocol, one transaction outstanding, no DMI (its payloads carry a
// memory manager, so targets may acquire() them). Load, compute and store
// do not overlap (a single-buffered DMA; `memory.model: dram` in `tpe sim` models the
// overlapped schedule). Engines: systolic, cube, adder_tree, matrix2d with element
// formats; block-scaled formats and lut_gemv are refused at construction.
#pragma once
#include "core/arch_config.h"
#include "core/registry.h"
#include "core/tensor.h"
#include "dataflows/systolic_mapping.h"
#include <cstdint>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

namespace tpe {

// What computes the GEMM: C and the engine's cycles, start pulse to done, for the
// engine's mapping `m` of the GEMM and its SRAM images `img` (dataflows/systolic_mapping.h,
// made by the TlmEngine from the operands it read). Registered by name: "model" (the
// engine's SystemC model core, sim/tlm_engine.cpp) and "rtl" (the Verilated RTL,
// testbenches/lib/tlm_rtl_backend.cpp). Throws InputError / ToolError.
struct TlmGemmBackend {
  struct Result {
    ResultMatrix C;
    int64_t cycles = 0;
  };
  Result (*run)(const ArchConfig& arch, const SystolicMapping& m, const SramImages& img) = nullptr;
};
using TlmGemmBackendRegistry = Registry<TlmGemmBackend>;

enum class TlmStyle { LooselyTimed, ApproximatelyTimed };

// Register offsets and bits of the map above.
namespace tlm_reg {
constexpr uint64_t kId = 0x00, kCtrl = 0x04, kStatus = 0x08, kError = 0x0C, kM = 0x10, kK = 0x14,
                   kN = 0x18, kAAddr = 0x20, kBAddr = 0x28, kCAddr = 0x30, kCycles = 0x38,
                   kSize = 0x40;
constexpr uint32_t kIdValue = 0x54504531, kStart = 1, kIrqEn = 2, kBusy = 1, kDone = 2,
                   kErrorBit = 4;
enum Error : uint32_t { kNone = 0, kShape = 1, kMemory = 2, kStartWhileBusy = 3, kBackend = 4 };
} // namespace tlm_reg

// Bytes of one operand element of `format` in memory (1, 2 or 4). Throws InputError for
// a block-scaled or unknown format.
int tlm_element_bytes(const std::string& format);

class TlmEngine : public sc_core::sc_module {
public:
  tlm_utils::simple_target_socket<TlmEngine> regs;
  tlm_utils::simple_initiator_socket<TlmEngine> mem;
  sc_core::sc_out<bool> irq;

  // `arch`: the engine (its clock_mhz sets the cycle time); `backend`: a registered
  // TlmGemmBackend name. Throws InputError naming the architecture file for an engine or
  // format the wrapper does not take, and for an unknown backend.
  TlmEngine(sc_core::sc_module_name name, const ArchConfig& arch, const std::string& backend,
            TlmStyle style = TlmStyle::LooselyTimed, unsigned burst_bytes = 64);
  SC_HAS_PROCESS(TlmEngine);

  const ArchConfig& arch() const { return arch_; }
  sc_core::sc_time cycle_time() const { return period_; }

private:
  ArchConfig arch_;
  const TlmGemmBackend* backend_;
  TlmStyle style_;
  unsigned burst_;
  sc_core::sc_time period_;
  uint32_t ctrl_ = 0, status_ = 0, error_ = 0, m_ = 0, k_ = 0, n_ = 0;
  uint64_t a_addr_ = 0, b_addr_ = 0, c_addr_ = 0, cycles_ = 0;
  sc_core::sc_event start_ev_, irq_ev_;
  tlm_utils::tlm_quantumkeeper qk_;
  // approximately timed: BEGIN_RESP on the backward path, at its annotated time
  sc_core::sc_event resp_at_, resp_ev_;
  bool resp_arrived_ = false;
  // the payloads' memory manager: they live on the DMA's stack, so release is a no-op
  struct StackMm : tlm::tlm_mm_interface {
    void free(tlm::tlm_generic_payload*) override {}
  } stack_mm_;
  // the GEMM START latched
  struct Job {
    uint32_t m = 0, k = 0, n = 0;
    uint64_t a = 0, b = 0, c = 0;
  } job_;
  bool dmi_ok_ = false;
  tlm::tlm_dmi dmi_;

  void reg_access(tlm::tlm_generic_payload& t, sc_core::sc_time& delay);
  void run();
  void drive_irq();
  void response_arrived();
  // one transfer of `len` bytes at `addr` (read into or write from `data`); false when
  // the target answered with an error
  bool transfer(tlm::tlm_command cmd, uint64_t addr, unsigned char* data, unsigned len);
  bool transfer_lt(tlm::tlm_generic_payload& t);
  bool transfer_at(tlm::tlm_generic_payload& t);
  bool transfer_dmi(tlm::tlm_command cmd, uint64_t addr, unsigned char* data, unsigned len);
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& t, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);
  bool read_matrix(uint64_t addr, int64_t rows, int64_t cols, const std::string& format,
                   OperandMatrix& out);
};

} // namespace tpe
