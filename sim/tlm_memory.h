// A TLM-2.0 memory with the timing of a DRAM preset (core/dram_preset.h), the target
// the TLM engine (sim/tlm_engine.h) and a platform's CPU share, one target socket each
// (the ports do not contend: each transaction's delay is its own). Each transaction of L
// bytes costs the preset's row-miss latency plus ceil(L / burst) bursts at its peak
// bandwidth (a closed-page DRAM: no row hits, no refresh, no bank overlap; the same
// figures as `memory.model: dram`, docs/memory-model.md). b_transport (loosely timed;
// approximately-timed initiators are served through the simple target socket's
// conversion of nb_transport_fw), and DMI for the whole array with, per access, the
// latency b_transport charges an access of the DMI request's data length (else one
// burst). Out-of-range addresses get TLM_ADDRESS_ERROR_RESPONSE, byte enables
// TLM_BYTE_ENABLE_ERROR_RESPONSE, a streaming width below the length
// TLM_BURST_ERROR_RESPONSE; the memory starts zeroed.
#pragma once
#include <cstdint>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>
#include <vector>

namespace tpe {

class TlmMemory : public sc_core::sc_module {
public:
  // `ports` target sockets onto the one array (a CPU's bus and an engine each bind one)
  sc_core::sc_vector<tlm_utils::simple_target_socket<TlmMemory>> socket;

  // `bytes` of storage at addresses 0..bytes-1 with the timing of DRAM preset `dram`
  // (ddr4_3200_x64, hbm2_stack, ...). Throws InputError for an unknown preset, zero
  // bytes or zero ports.
  TlmMemory(sc_core::sc_module_name name, uint64_t bytes, const std::string& dram,
            unsigned ports = 1);

  // the delay of one transaction of `len` bytes
  sc_core::sc_time access_time(unsigned len) const;
  uint64_t transactions() const { return transactions_; }

private:
  std::vector<unsigned char> mem_;
  sc_core::sc_time latency_, burst_time_;
  unsigned burst_bytes_ = 64;
  uint64_t transactions_ = 0;

  void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& t, tlm::tlm_dmi& dmi);
  unsigned transport_dbg(tlm::tlm_generic_payload& t);
};

} // namespace tpe
