// Little-endian words in byte buffers (the TLM engine's registers and memory layout), a
// plain payload, and one blocking TLM-2.0 access (b_transport) of `len` bytes at `addr` through
// an initiator socket, from an SC_THREAD: the payload built, the call made, its annotated delay
// waited; returns the target's response status. For platform code and tests (examples/tlm_platform,
// tests/test_tlm.cpp).
#pragma once
#include <cstdint>
#include <systemc>
#include <tlm>

namespace tpe {

// The `bytes` (1..8) low bytes of `v` at `p`, least significant first.
inline void put_le(unsigned char* p, uint64_t v, int bytes) {
  for (int b = 0; b < bytes; ++b)
    p[b] = static_cast<unsigned char>(v >> (8 * b));
}
// The `bytes` (1..8) bytes at `p`, least significant first.
inline uint64_t get_le(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int b = 0; b < bytes; ++b)
    v |= uint64_t(p[b]) << (8 * b);
  return v;
}

// `t` as a plain single-beat access: no byte enables, streaming width = length, DMI
// hint off, response incomplete.
inline void tlm_set_access(tlm::tlm_generic_payload& t, tlm::tlm_command cmd, uint64_t addr,
                           unsigned char* data, unsigned len) {
  t.set_command(cmd);
  t.set_address(addr);
  t.set_data_ptr(data);
  t.set_data_length(len);
  t.set_streaming_width(len);
  t.set_byte_enable_ptr(nullptr);
  t.set_dmi_allowed(false);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

template <class Socket>
tlm::tlm_response_status tlm_blocking_access(Socket& socket, tlm::tlm_command cmd, uint64_t addr,
                                             unsigned char* data, unsigned len) {
  tlm::tlm_generic_payload t;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  tlm_set_access(t, cmd, addr, data, len);
  socket->b_transport(t, delay);
  sc_core::wait(delay);
  return t.get_response_status();
}

} // namespace tpe
