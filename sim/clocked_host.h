// The SystemC side of every engine model: one clock and one SC_METHOD that, on
// each rising edge, advances the engine core as a whole (ClockedCore::step) and
// pauses the kernel when the core reports done. SystemC allows elaboration only
// once per process, so the clock and the host module are created on first use
// and any number of cores (layers, trials, configurations) run on them in turn.
#pragma once
#include <cstdint>
#include <functional>

namespace tpe {

class ClockedCore {
public:
  virtual ~ClockedCore() = default;
  virtual void step() = 0;
  virtual bool done() const = 0;
};

// Called on a rising edge with the core settled in cycle c (before step() ends
// it): c = 0 .. the cycle in which done() is true. Waveforms sample here.
using CycleHook = std::function<void(int64_t c)>;

// Run `core` on the SystemC clock until done() or `max_cycles` edges; returns the
// number of edges taken. Throws std::runtime_error when max_cycles is reached.
// With `on_cycle`, the clock runs one more edge after done() to show the hook
// the done cycle (the count returned is the same).
int64_t run_on_systemc_clock(ClockedCore& core, int64_t max_cycles,
                             const CycleHook& on_cycle = nullptr);

} // namespace tpe
