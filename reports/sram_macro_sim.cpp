// SRAM macro model of the native gate-level simulator: see sram_macro_sim.h. The
// memory is a flat bit vector of rows x width; the read pipeline a deque of rows.
#include "reports/sram_macro_sim.h"
#include "core/error.h"
#include <deque>

namespace tpe {

namespace {

class SramMacroModel final : public GateMacro {
public:
  SramMacroModel(int64_t rows, int width, int addr_bits, int latency)
      : rows_(rows), width_(width), addr_bits_(addr_bits), latency_(latency) {}
  std::vector<Pin> pins() const override {
    return {{"clk", 1, false},        {"we", 1, false}, {"waddr", addr_bits_, false},
            {"wdata", width_, false}, {"re", 1, false}, {"raddr", addr_bits_, false},
            {"rdata", width_, true}};
  }
  std::string clock() const override { return "clk"; }
  void power_up() override {
    mem_.assign(static_cast<size_t>(rows_ * width_), 0);
    raddr_q_ = 0;
    pipe_.assign(static_cast<size_t>(latency_ - 1), std::vector<uint8_t>(width_, 0));
  }
  void edge(const std::vector<std::vector<uint8_t>>& in) override {
    // the pipeline takes the row of the address registered before this edge
    if (latency_ > 1) {
      pipe_.push_back(row(raddr_q_));
      pipe_.pop_front();
    }
    if (in[kWe][0]) {
      const int64_t a = address(in[kWaddr]);
      if (a < rows_)
        std::copy(in[kWdata].begin(), in[kWdata].end(),
                  mem_.begin() + static_cast<std::ptrdiff_t>(a * width_));
    }
    if (in[kRe][0]) raddr_q_ = address(in[kRaddr]);
  }
  void drive(std::vector<std::vector<uint8_t>>& out) const override {
    out[kRdata] = latency_ > 1 ? pipe_.front() : row(raddr_q_);
  }

private:
  enum { kClk, kWe, kWaddr, kWdata, kRe, kRaddr, kRdata };
  int64_t address(const std::vector<uint8_t>& bits) const {
    int64_t a = 0;
    for (size_t b = 0; b < bits.size() && b < 63; ++b)
      a |= static_cast<int64_t>(bits[b]) << b;
    return a;
  }
  std::vector<uint8_t> row(int64_t a) const {
    if (a >= rows_) return std::vector<uint8_t>(static_cast<size_t>(width_), 0);
    const auto at = mem_.begin() + static_cast<std::ptrdiff_t>(a * width_);
    return std::vector<uint8_t>(at, at + width_);
  }
  int64_t rows_;
  int width_, addr_bits_, latency_;
  std::vector<uint8_t> mem_;
  int64_t raddr_q_ = 0;
  std::deque<std::vector<uint8_t>> pipe_;
};

} // namespace

std::unique_ptr<GateMacro> make_sram_macro_model(const SramArraySpec& spec,
                                                 const std::map<std::string, int>& widths) {
  const auto width = [&](const char* pin) {
    auto it = widths.find(pin);
    if (it == widths.end())
      throw ToolError("SRAM macro " + spec.module + ": the netlist does not connect pin " + pin);
    return it->second;
  };
  const int w = width("rdata"), a = width("raddr");
  if (width("wdata") != w || width("waddr") != a || width("clk") != 1 || width("we") != 1 ||
      width("re") != 1)
    throw ToolError("SRAM macro " + spec.module +
                    ": its pins are not one clk, we, re bit and equal address and data widths");
  if (spec.read_latency < 1)
    throw ToolError("SRAM macro " + spec.module + ": read latency " +
                    std::to_string(spec.read_latency) + " is below 1");
  return std::make_unique<SramMacroModel>(spec.words, w, a, spec.read_latency);
}

GateMacroFactories sram_macro_factories(const std::vector<SramArraySpec>& arrays) {
  GateMacroFactories f;
  for (const SramArraySpec& s : arrays)
    f[s.module] = [s](const std::map<std::string, int>& widths) {
      return make_sram_macro_model(s, widths);
    };
  return f;
}

} // namespace tpe
