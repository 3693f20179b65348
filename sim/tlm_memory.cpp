// The DRAM-timed TLM memory (sim/tlm_memory.h): one byte array, a delay per
// transaction from the preset, DMI over the whole array, and the debug transport.
#include "sim/tlm_memory.h"
#include "core/dram_preset.h"
#include "core/error.h"
#include <algorithm>
#include <cstring>

namespace tpe {

TlmMemory::TlmMemory(sc_core::sc_module_name name, uint64_t bytes, const std::string& dram,
                     unsigned ports)
    : sc_module(name), socket("socket", ports) {
  if (ports == 0) throw InputError("", 0, "ports", "0: a memory has at least one port");
  const DramPreset* p = DramPresetRegistry::instance().find(dram);
  if (!p)
    throw InputError("", 0, "dram",
                     "'" + dram + "': not a DRAM preset (" +
                         DramPresetRegistry::instance().joined_names() + ")");
  if (bytes == 0) throw InputError("", 0, "bytes", "0: a memory holds at least one byte");
  mem_.assign(bytes, 0);
  latency_ = sc_core::sc_time(p->latency_ns, sc_core::SC_NS);
  burst_bytes_ = unsigned(p->burst_bytes);
  burst_time_ = sc_core::sc_time(double(p->burst_bytes) / p->gb_per_s, sc_core::SC_NS);
  for (auto& s : socket) {
    s.register_b_transport(this, &TlmMemory::b_transport);
    s.register_get_direct_mem_ptr(this, &TlmMemory::get_direct_mem_ptr);
    s.register_transport_dbg(this, &TlmMemory::transport_dbg);
  }
}

sc_core::sc_time TlmMemory::access_time(unsigned len) const {
  return latency_ + burst_time_ * double((len + burst_bytes_ - 1) / burst_bytes_);
}

void TlmMemory::b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
  const uint64_t a = t.get_address();
  const unsigned len = t.get_data_length();
  if (t.get_byte_enable_ptr()) {
    t.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  if (t.get_streaming_width() < len) { // streaming is not offered
    t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  if (len == 0 || a >= mem_.size() || len > mem_.size() - a) {
    t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (t.is_read())
    std::memcpy(t.get_data_ptr(), &mem_[a], len);
  else if (t.is_write())
    std::memcpy(&mem_[a], t.get_data_ptr(), len);
  delay += access_time(len);
  ++transactions_;
  t.set_dmi_allowed(true);
  t.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool TlmMemory::get_direct_mem_ptr(tlm::tlm_generic_payload& t, tlm::tlm_dmi& dmi) {
  // the latency of one access of the request's length (else one burst), as b_transport
  // would charge it
  const unsigned len = t.get_data_length() ? t.get_data_length() : burst_bytes_;
  dmi.set_dmi_ptr(mem_.data());
  dmi.set_start_address(0);
  dmi.set_end_address(mem_.size() - 1);
  dmi.allow_read_write();
  dmi.set_read_latency(access_time(len));
  dmi.set_write_latency(access_time(len));
  return true;
}

unsigned TlmMemory::transport_dbg(tlm::tlm_generic_payload& t) {
  const uint64_t a = t.get_address();
  if (a >= mem_.size()) return 0;
  const unsigned n = unsigned(std::min<uint64_t>(t.get_data_length(), mem_.size() - a));
  if (t.is_read())
    std::memcpy(t.get_data_ptr(), &mem_[a], n);
  else if (t.is_write())
    std::memcpy(&mem_[a], t.get_data_ptr(), n);
  return n;
}

} // namespace tpe
