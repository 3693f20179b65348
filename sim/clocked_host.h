// The SystemC side of every engine model: one clock and one SC_METHOD that, on
// each rising edge, advances the engine core as a whole (ClockedCore::step) and
// pauses the kernel when the core reports done. SystemC allows elaboration only
// once per process, so the clock and the host module are created on first use
// and any number of cores (layers, trials, configurations) run on them in turn.
#pragma once
#include <cstdint>
#include <functional>
#include <stdexcept>

namespace tpe {

class ClockedCore {
public:
  virtual ~ClockedCore() = default;
  virtual void step() = 0;
  // A stalled edge (the engine's stall input high, docs/memory-model.md "Stalls in the
  // RTL"): no register changes, no SRAM access; only the cycle count advances. Cores
  // without a stall input throw std::logic_error.
  virtual void idle() { throw std::logic_error("this engine model has no stall input"); }
  virtual bool done() const = 0;
};

// Which edges are stalled: stalled(c) is true when the rising edge that ends cycle c
// (cycle 0: the start pulse) leaves the engine unchanged. Null: none.
using StallPattern = std::function<bool(int64_t c)>;

// Called on a rising edge with the core settled in cycle c (before step() ends
// it): c = 0 .. the cycle in which done() is true. Waveforms sample here.
using CycleHook = std::function<void(int64_t c)>;

// Run `core` on the SystemC clock until done() or `max_cycles` edges; returns the
// number of edges taken. Throws std::runtime_error when max_cycles is reached.
// With `on_cycle`, the clock runs one more edge after done() to show the hook
// the done cycle (the count returned is the same).
// With `stalled`, each edge it names calls core.idle() in place of core.step() (the
// count returned includes those edges).
int64_t run_on_systemc_clock(ClockedCore& core, int64_t max_cycles,
                             const CycleHook& on_cycle = nullptr,
                             const StallPattern& stalled = nullptr);

} // namespace tpe
