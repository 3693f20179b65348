// The TLM-2.0 engine (sim/tlm_engine.h): a register file behind a simple target socket,
// one SC_THREAD that on START moves A and B in through the initiator socket (LT:
// b_transport under a quantum keeper; AT: the base protocol's BEGIN_REQ / END_REQ /
// BEGIN_RESP / END_RESP with one transaction outstanding; DMI when granted), runs the
// backend, waits the engine's cycles at its clock, writes C and raises DONE. The
// "model" backend steps the engine's model core (ClockedCore::step) directly in this
// thread, since the kernel is the platform's: the result and cycle count are those of
// `tpe sim` / `tpe gemm` (tests/test_tlm.cpp).
#include "sim/tlm_engine.h"
#include "core/error.h"
#include "core/workload.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/number_format.h"
#include "sim/array_core.h"
#include "sim/engine.h"
#include "sim/tlm_access.h"
#include <algorithm>
#include <cstring>
#include <memory>

namespace tpe {

int tlm_element_bytes(const std::string& format) {
  const NumberFormat& f = lookup_number_format(format);
  if (f.is_block())
    throw InputError("", 0, "format",
                     "'" + format +
                         "': the TLM engine takes element formats (a block-scaled "
                         "operand needs its scales in memory too, not offered yet)");
  return f.bits <= 8 ? 1 : f.bits <= 16 ? 2 : 4;
}

namespace {

TlmGemmBackend::Result run_model_backend(const ArchConfig& arch, const SystolicMapping& m,
                                         const SramImages& img) {
  const std::unique_ptr<ArrayCore> core = make_array_core(arch, m);
  core->load(m, &img, true, false);
  core->start();
  const int64_t bound = 2 * count_to_int64(m.cycle_bound(), "cycle bound") + 1000;
  int64_t cycles = 0;
  while (!core->done()) {
    if (cycles == bound)
      throw ToolError("tlm: the model did not finish within " + std::to_string(bound) + " cycles");
    core->step();
    ++cycles;
  }
  return {extract_result(m, core->out_memory()), cycles};
}

Registrar<TlmGemmBackend> reg("model", {run_model_backend});

} // namespace

TlmEngine::TlmEngine(sc_core::sc_module_name name, const ArchConfig& arch,
                     const std::string& backend, TlmStyle style, unsigned burst_bytes)
    : sc_module(name), regs("regs"), mem("mem"), irq("irq"), arch_(arch),
      backend_(TlmGemmBackendRegistry::instance().find(backend)), style_(style),
      burst_(burst_bytes), period_(1e3 / arch.clock_mhz, sc_core::SC_NS) {
  if (!backend_)
    throw InputError("", 0, "backend", "'" + backend + "': not a TLM backend (model, rtl)");
  if (arch.engine == "lut_gemv")
    throw InputError(arch.source, arch.line_of("engine"), "engine",
                     "lut_gemv: the TLM engine takes the array engines (systolic, cube, "
                     "adder_tree, matrix2d) for now");
  for (const std::string& f : {arch.act(), arch.weight()})
    try {
      tlm_element_bytes(f);
    } catch (const InputError& e) {
      throw InputError(arch.source, arch.line_of("format"), "format",
                       std::string(e.what()).substr(std::string(e.what()).find('\'')));
    }
  if (burst_ == 0) throw InputError("", 0, "burst_bytes", "0: a burst moves at least one byte");
  regs.register_b_transport(this, &TlmEngine::reg_access);
  mem.register_nb_transport_bw(this, &TlmEngine::nb_transport_bw);
  mem.register_invalidate_direct_mem_ptr(this, &TlmEngine::invalidate_dmi);
  SC_THREAD(run);
  SC_METHOD(drive_irq);
  sensitive << irq_ev_;
  SC_METHOD(response_arrived);
  sensitive << resp_at_;
  dont_initialize();
  dont_initialize();
}

void TlmEngine::response_arrived() {
  resp_arrived_ = true;
  resp_ev_.notify();
}

void TlmEngine::drive_irq() {
  irq.write((status_ & tlm_reg::kDone) && (ctrl_ & tlm_reg::kIrqEn));
}

void TlmEngine::reg_access(tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
  using namespace tlm_reg;
  delay += period_; // one engine cycle per register access
  const uint64_t a = t.get_address();
  if (t.get_data_length() != 4 || t.get_streaming_width() != 4 || t.get_byte_enable_ptr()) {
    t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  if (a % 4 != 0 || a >= kSize) {
    t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (t.get_command() == tlm::TLM_IGNORE_COMMAND) { // no effect (IEEE 1666 14.17)
    t.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  unsigned char* p = t.get_data_ptr();
  auto lo = [](uint64_t v) { return uint32_t(v); };
  auto hi = [](uint64_t v) { return uint32_t(v >> 32); };
  if (t.is_read()) {
    uint32_t v = 0;
    switch (a) {
    case kId:
      v = kIdValue;
      break;
    case kCtrl:
      v = ctrl_ & kIrqEn;
      break;
    case kStatus:
      v = status_;
      break;
    case kError:
      v = error_;
      break;
    case kM:
      v = m_;
      break;
    case kK:
      v = k_;
      break;
    case kN:
      v = n_;
      break;
    case kAAddr:
      v = lo(a_addr_);
      break;
    case kAAddr + 4:
      v = hi(a_addr_);
      break;
    case kBAddr:
      v = lo(b_addr_);
      break;
    case kBAddr + 4:
      v = hi(b_addr_);
      break;
    case kCAddr:
      v = lo(c_addr_);
      break;
    case kCAddr + 4:
      v = hi(c_addr_);
      break;
    case kCycles:
      v = lo(cycles_);
      break;
    case kCycles + 4:
      v = hi(cycles_);
      break;
    default:
      break; // reserved: reads 0
    }
    put_le(p, v, 4);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  const uint32_t v = uint32_t(get_le(p, 4));
  auto set_lo = [&](uint64_t& r) { r = (r & ~uint64_t(0xffffffff)) | v; };
  auto set_hi = [&](uint64_t& r) { r = (r & 0xffffffff) | (uint64_t(v) << 32); };
  const bool busy = status_ & kBusy;
  switch (a) {
  case kCtrl:
    ctrl_ = v & kIrqEn;
    if (v & kStart) {
      if (busy) {
        error_ = kStartWhileBusy;
        status_ |= kErrorBit;
      } else {
        // the job as this write finds it: later writes do not change the running GEMM
        status_ = kBusy;
        error_ = kNone;
        job_ = {m_, k_, n_, a_addr_, b_addr_, c_addr_};
        start_ev_.notify(delay);
      }
    }
    irq_ev_.notify(delay);
    break;
  case kStatus:
    status_ &= ~(v & (kDone | kErrorBit));
    if (v & kErrorBit) error_ = kNone;
    irq_ev_.notify(delay);
    break;
  case kM:
    m_ = v;
    break;
  case kK:
    k_ = v;
    break;
  case kN:
    n_ = v;
    break;
  case kAAddr:
    set_lo(a_addr_);
    break;
  case kAAddr + 4:
    set_hi(a_addr_);
    break;
  case kBAddr:
    set_lo(b_addr_);
    break;
  case kBAddr + 4:
    set_hi(b_addr_);
    break;
  case kCAddr:
    set_lo(c_addr_);
    break;
  case kCAddr + 4:
    set_hi(c_addr_);
    break;
  default: // ID, ERROR, CYCLES and the reserved words are read-only
    t.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return;
  }
  t.set_response_status(tlm::TLM_OK_RESPONSE);
}

void TlmEngine::invalidate_dmi(sc_dt::uint64, sc_dt::uint64) {
  dmi_ok_ = false;
}

bool TlmEngine::transfer_dmi(tlm::tlm_command cmd, uint64_t addr, unsigned char* data,
                             unsigned len) {
  const bool rd = cmd == tlm::TLM_READ_COMMAND;
  if (!dmi_ok_ || len == 0 || addr < dmi_.get_start_address() || addr > dmi_.get_end_address() ||
      len - 1 > dmi_.get_end_address() - addr ||
      (rd ? !dmi_.is_read_allowed() : !dmi_.is_write_allowed()))
    return false;
  unsigned char* p = dmi_.get_dmi_ptr() + (addr - dmi_.get_start_address());
  if (rd)
    std::memcpy(data, p, len);
  else
    std::memcpy(p, data, len);
  qk_.inc(rd ? dmi_.get_read_latency() : dmi_.get_write_latency());
  if (qk_.need_sync()) qk_.sync();
  return true;
}

bool TlmEngine::transfer_lt(tlm::tlm_generic_payload& t) {
  sc_core::sc_time delay = qk_.get_local_time();
  mem->b_transport(t, delay);
  qk_.set(delay);
  if (qk_.need_sync()) qk_.sync();
  return t.is_response_ok();
}

bool TlmEngine::transfer_at(tlm::tlm_generic_payload& t) {
  // BEGIN_REQ; the response comes back on the return path or the backward path
  // (nb_transport_bw), then END_RESP. One transaction is outstanding, so END_REQ
  // needs no action of its own.
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  resp_arrived_ = false;
  const tlm::tlm_sync_enum s = mem->nb_transport_fw(t, phase, delay);
  if (s == tlm::TLM_COMPLETED) {
    wait(delay);
    return t.is_response_ok();
  }
  if (s == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP) {
    wait(delay);
  } else {
    if (s == tlm::TLM_UPDATED) wait(delay); // END_REQ
    while (!resp_arrived_)                  // BEGIN_RESP, on the backward path
      wait(resp_ev_);
  }
  phase = tlm::END_RESP;
  delay = sc_core::SC_ZERO_TIME;
  mem->nb_transport_fw(t, phase, delay);
  return t.is_response_ok();
}

tlm::tlm_sync_enum TlmEngine::nb_transport_bw(tlm::tlm_generic_payload&, tlm::tlm_phase& phase,
                                              sc_core::sc_time& delay) {
  if (phase == tlm::BEGIN_RESP) resp_at_.notify(delay);
  return tlm::TLM_ACCEPTED;
}

bool TlmEngine::transfer(tlm::tlm_command cmd, uint64_t addr, unsigned char* data, unsigned len) {
  if (style_ == TlmStyle::LooselyTimed && transfer_dmi(cmd, addr, data, len)) return true;
  tlm::tlm_generic_payload t;
  tlm_set_access(t, cmd, addr, data, len);
  // a memory manager, so AT targets and interconnects may acquire() it; the payload
  // lives on this stack until the transaction completes
  t.set_mm(&stack_mm_);
  t.acquire();
  const bool ok = style_ == TlmStyle::LooselyTimed ? transfer_lt(t) : transfer_at(t);
  t.release();
  if (ok && style_ == TlmStyle::LooselyTimed && t.is_dmi_allowed() && !dmi_ok_) {
    tlm::tlm_generic_payload d;
    d.set_command(tlm::TLM_READ_COMMAND);
    d.set_address(addr);
    d.set_data_length(burst_); // the access size the memory prices DMI latency for
    dmi_ok_ = mem->get_direct_mem_ptr(d, dmi_);
  }
  return ok;
}

bool TlmEngine::read_matrix(uint64_t addr, int64_t rows, int64_t cols, const std::string& format,
                            OperandMatrix& out) {
  const int eb = tlm_element_bytes(format);
  const int bits = lookup_number_format(format).bits;
  const bool sign = is_integer_format(format);
  std::vector<unsigned char> buf(static_cast<size_t>(rows * cols * eb));
  for (size_t at = 0; at < buf.size(); at += burst_)
    if (!transfer(tlm::TLM_READ_COMMAND, addr + at, buf.data() + at,
                  unsigned(std::min<size_t>(burst_, buf.size() - at))))
      return false;
  out = OperandMatrix(rows, cols);
  for (size_t i = 0; i < out.data.size(); ++i) {
    uint32_t v = uint32_t(get_le(&buf[i * eb], eb));
    v &= bits >= 32 ? ~uint32_t(0) : (uint32_t(1) << bits) - 1;
    if (sign && bits < 32 && (v >> (bits - 1)) & 1) v |= ~uint32_t(0) << bits;
    out.data[i] = static_cast<int32_t>(v);
  }
  return true;
}

void TlmEngine::run() {
  using namespace tlm_reg;
  for (;;) {
    wait(start_ev_);
    qk_.reset();
    // the run ends with DONE and ERROR; `why` (a refusal's message) as a SystemC warning
    auto fail = [&](Error e, const char* why = nullptr) {
      if (why) SC_REPORT_WARNING("tpe/tlm_engine", why);
      qk_.sync();
      error_ = e;
      status_ = (status_ & ~kBusy) | kErrorBit | kDone;
      irq_ev_.notify();
    };
    const uint32_t M = job_.m, K = job_.k, N = job_.n;
    const uint64_t a_addr = job_.a, b_addr = job_.b, c_addr = job_.c;
    if (M == 0 || K == 0 || N == 0 || M > uint64_t(kMaxDim) || K > uint64_t(kMaxDim) ||
        N > uint64_t(kMaxDim)) {
      fail(kShape);
      continue;
    }
    // the mapping and the stepped model's limits before any operand moves
    Layer l;
    l.name = "tlm";
    l.M = M;
    l.K = K;
    l.N = N;
    SystolicMapping m;
    try {
      m = map_systolic(arch_, l);
      check_stepped_run(arch_, l, m, true, RunOptions{});
    } catch (const std::exception& e) {
      fail(kBackend, e.what());
      continue;
    }
    OperandMatrix A, B;
    if (!read_matrix(a_addr, M, K, arch_.act(), A) ||
        !read_matrix(b_addr, K, N, arch_.weight(), B)) {
      fail(kMemory);
      continue;
    }
    TlmGemmBackend::Result r;
    try {
      r = backend_->run(arch_, m, make_images(m, A, B));
    } catch (const std::exception& e) {
      fail(kBackend, e.what());
      continue;
    }
    cycles_ = uint64_t(r.cycles);
    qk_.inc(period_ * double(r.cycles));
    qk_.sync();
    std::vector<unsigned char> c(static_cast<size_t>(r.C.rows * r.C.cols * 8));
    for (size_t i = 0; i < r.C.data.size(); ++i)
      put_le(&c[i * 8], uint64_t(r.C.data[i]), 8);
    bool ok = true;
    for (size_t at = 0; ok && at < c.size(); at += burst_)
      ok = transfer(tlm::TLM_WRITE_COMMAND, c_addr + at, c.data() + at,
                    unsigned(std::min<size_t>(burst_, c.size() - at)));
    if (!ok) {
      fail(kMemory);
      continue;
    }
    qk_.sync();
    status_ = (status_ & ~kBusy) | kDone;
    irq_ev_.notify();
  }
}

} // namespace tpe
