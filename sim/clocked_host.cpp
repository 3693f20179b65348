// SystemC host: a 1 ns sc_clock drives EngineHost::tick on each positive edge;
// tick steps the bound core (or idles it on a stalled edge) and calls sc_pause()
// once it is done, so sc_start returns and the next core can be bound.
#include "sim/clocked_host.h"
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <systemc>

namespace tpe {

namespace {

SC_MODULE(EngineHost) {
  sc_core::sc_in<bool> clk;
  ClockedCore* core = nullptr;
  const CycleHook* hook = nullptr;
  const StallPattern* stalled = nullptr;
  int64_t edges = 0;
  bool hook_done = false; // the hook saw the done cycle

  SC_CTOR(EngineHost) {
    SC_METHOD(tick);
    sensitive << clk.pos();
    dont_initialize();
  }

  void tick() {
    if (!core || hook_done) return;
    if (hook && *hook) (*hook)(edges);
    if (core->done()) { // only with a hook: it has now seen the done cycle
      hook_done = true;
      sc_core::sc_pause();
      return;
    }
    if (stalled && *stalled && (*stalled)(edges))
      core->idle();
    else
      core->step();
    ++edges;
    if (core->done() && !(hook && *hook)) {
      hook_done = true;
      sc_core::sc_pause();
    }
  }
};

struct HostSingleton {
  sc_core::sc_clock clk{"tpe_clk", 1, sc_core::SC_NS};
  EngineHost host{"tpe_engine_host"};
  HostSingleton() { host.clk(clk); }
};

HostSingleton& host() {
  static std::unique_ptr<HostSingleton> h;
  if (!h) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0); // keep stdout for results
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    h = std::make_unique<HostSingleton>();
  }
  return *h;
}

} // namespace

int64_t run_on_systemc_clock(ClockedCore& core, int64_t max_cycles, const CycleHook& on_cycle,
                             const StallPattern& stalled) {
  HostSingleton& h = host();
  h.host.core = &core;
  h.host.hook = &on_cycle;
  h.host.stalled = &stalled;
  h.host.edges = 0;
  h.host.hook_done = core.done();
  constexpr int64_t kChunk = 1 << 20;
  while (!h.host.hook_done) {
    const int64_t left = max_cycles - h.host.edges;
    if (left <= 0) {
      h.host.core = nullptr;
      h.host.hook = nullptr;
      h.host.stalled = nullptr;
      throw std::runtime_error("model did not finish within " + std::to_string(max_cycles) +
                               " cycles");
    }
    sc_core::sc_start(
        sc_core::sc_time(static_cast<double>(std::min(left, kChunk)), sc_core::SC_NS));
  }
  h.host.core = nullptr;
  h.host.hook = nullptr;
  h.host.stalled = nullptr;
  return h.host.edges;
}

} // namespace tpe

// libsystemc.so's own main() refers to sc_main. tpe's programs have their own
// main and start the kernel lazily through run_on_systemc_clock, so this entry
// point exists only to satisfy the link and is never called. Weak: a SystemC
// platform that links tpe (examples/tlm_platform) brings its own sc_main.
__attribute__((weak)) int sc_main(int, char*[]) {
  return 0;
}
