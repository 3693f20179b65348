// An example SystemC/TLM-2.0 platform around a tpe engine (README "SystemC and TLM-2.0
// platforms", `make example`): a CPU stand-in writes A and B into a DRAM-timed memory
// through a bus, programs the engine through its registers (sim/tlm_engine.h), waits
// for its interrupt (or polls STATUS), reads C back, checks every element against the
// golden GEMM of the architecture's arithmetic (pe_models/golden_gemm.h) and prints the engine's
// cycles, the simulated time and a checksum of C. `--backend rtl` swaps the engine's SystemC model
// for its Verilated RTL; both must print the same cycles and checksum.
//
//   tpe_tlm_platform --arch A.yaml [--backend model|rtl] [--style lt|at] [--gemm MxKxN]
//                    [--dram PRESET] [--seed S] [--poll]
//
// Memory map of the CPU's bus: DRAM at 0x0 (A, B and C, each from a 64-byte boundary,
// and 4 KiB more), the engine's
// registers at 0x4000_0000. The engine's own initiator socket has a port of its own on
// the memory. Exit status: 0 pass, 1 wrong C or an engine error, 2 bad arguments.
#include "core/arch_config.h"
#include "core/error.h"
#include "core/operand_dist.h"
#include "core/tensor.h"
#include "core/workload.h"
#include "pe_models/golden_gemm.h"
#include "pe_models/number_format.h"
#include "sim/tlm_access.h"
#include "sim/tlm_engine.h"
#include "sim/tlm_memory.h"
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fmt/format.h>
#include <iostream>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace {

using namespace tpe;
constexpr uint64_t kRegBase = 0x40000000;

// Address decoder: [0, dram) to the memory, [kRegBase, kRegBase + 0x40) to the engine.
struct Bus : sc_core::sc_module {
  tlm_utils::simple_target_socket<Bus> cpu;
  tlm_utils::simple_initiator_socket<Bus> to_mem, to_regs;
  explicit Bus(sc_core::sc_module_name n)
      : sc_module(n), cpu("cpu"), to_mem("to_mem"), to_regs("to_regs") {
    cpu.register_b_transport(this, &Bus::b_transport);
  }
  void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
    const uint64_t a = t.get_address();
    if (a >= kRegBase) {
      t.set_address(a - kRegBase);
      to_regs->b_transport(t, delay);
      t.set_address(a);
    } else {
      to_mem->b_transport(t, delay);
    }
  }
};

struct Cpu : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Cpu> bus;
  sc_core::sc_in<bool> irq;
  ArchConfig arch;
  Layer gemm;
  uint64_t seed = 1;
  bool poll = false;
  int status = 1; // the program's exit status
  SC_HAS_PROCESS(Cpu);
  Cpu(sc_core::sc_module_name n, const ArchConfig& a, const Layer& l, uint64_t s, bool p)
      : sc_module(n), bus("bus"), irq("irq"), arch(a), gemm(l), seed(s), poll(p) {
    SC_THREAD(program);
  }

  // one line on stdout and the program stops (status 1) when the target answers with an
  // error
  struct Abort {};
  void access(tlm::tlm_command cmd, uint64_t addr, unsigned char* data, unsigned len) {
    tlm::tlm_generic_payload t;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    tlm_set_access(t, cmd, addr, data, len);
    bus->b_transport(t, delay);
    wait(delay);
    if (t.is_response_ok()) return;
    std::cout << fmt::format("platform: FAIL the CPU's access at {:#x}: {}\n", addr,
                             t.get_response_string());
    throw Abort{};
  }
  void write32(uint64_t off, uint32_t v) {
    unsigned char b[4];
    put_le(b, v, 4);
    access(tlm::TLM_WRITE_COMMAND, kRegBase + off, b, 4);
  }
  uint32_t read32(uint64_t off) {
    unsigned char b[4];
    access(tlm::TLM_READ_COMMAND, kRegBase + off, b, 4);
    return uint32_t(get_le(b, 4));
  }
  void write64(uint64_t off, uint64_t v) {
    write32(off, uint32_t(v));
    write32(off + 4, uint32_t(v >> 32));
  }
  // a matrix of codes into memory, `eb` bytes per element, 64-byte bursts
  void store(uint64_t addr, const OperandMatrix& m, int eb) {
    std::vector<unsigned char> buf(m.data.size() * size_t(eb));
    for (size_t i = 0; i < m.data.size(); ++i)
      put_le(&buf[i * eb], uint32_t(m.data[i]), eb);
    for (size_t at = 0; at < buf.size(); at += 64)
      access(tlm::TLM_WRITE_COMMAND, addr + at, buf.data() + at,
             unsigned(std::min<size_t>(64, buf.size() - at)));
  }

  void program() {
    try {
      run_program();
    } catch (const Abort&) {
    }
  }
  void run_program() {
    using namespace tlm_reg;
    Rng rng(seed);
    const OperandDist d = parse_operand_dist("random");
    const OperandMatrix A = fill_operands(gemm.M, gemm.K, arch.act(), d, rng);
    const OperandMatrix B = fill_operands(gemm.K, gemm.N, arch.weight(), d, rng);
    const int ea = tlm_element_bytes(arch.act()), ew = tlm_element_bytes(arch.weight());
    const uint64_t a_addr = 0, b_addr = (uint64_t(A.data.size()) * ea + 63) / 64 * 64,
                   c_addr = b_addr + (uint64_t(B.data.size()) * ew + 63) / 64 * 64;
    store(a_addr, A, ea);
    store(b_addr, B, ew);
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    if (read32(kId) != kIdValue) {
      std::cout << "platform: FAIL no tpe engine at the register base\n";
      return;
    }
    write32(kM, uint32_t(gemm.M));
    write32(kK, uint32_t(gemm.K));
    write32(kN, uint32_t(gemm.N));
    write64(kAAddr, a_addr);
    write64(kBAddr, b_addr);
    write64(kCAddr, c_addr);
    write32(kCtrl, kStart | (poll ? 0 : kIrqEn));
    if (poll) {
      while (!(read32(kStatus) & kDone))
        wait(sc_core::sc_time(1, sc_core::SC_US));
    } else {
      wait(irq.posedge_event());
    }
    const uint32_t st = read32(kStatus);
    const sc_core::sc_time t1 = sc_core::sc_time_stamp();
    if (st & kErrorBit) {
      std::cout << "platform: FAIL engine error " << read32(kError) << "\n";
      return;
    }
    const uint64_t cycles = read32(kCycles) | uint64_t(read32(kCycles + 4)) << 32;
    write32(kStatus, kDone); // acknowledge: irq falls
    std::vector<unsigned char> c(size_t(gemm.M * gemm.N) * 8);
    for (size_t at = 0; at < c.size(); at += 64)
      access(tlm::TLM_READ_COMMAND, c_addr + at, c.data() + at,
             unsigned(std::min<size_t>(64, c.size() - at)));
    ResultMatrix C(gemm.M, gemm.N);
    uint64_t sum = 1469598103934665603ull; // FNV-1a over C's bytes
    for (size_t i = 0; i < C.data.size(); ++i)
      C.data[i] = int64_t(get_le(&c[i * 8], 8));
    for (unsigned char b : c)
      sum = (sum ^ b) * 1099511628211ull;
    // the golden GEMM of the architecture's PE, accumulator and order of adds
    const ResultMatrix want = golden_gemm(A, B, arch);
    for (size_t i = 0; i < C.data.size(); ++i)
      if (C.data[i] != want.data[i]) {
        std::cout << fmt::format("platform: FAIL C[{}][{}] = {}, golden GEMM {}\n",
                                 int64_t(i) / gemm.N, int64_t(i) % gemm.N, C.data[i], want.data[i]);
        return;
      }
    std::cout << fmt::format("platform: PASS {} {}x{}x{}: {} engine cycles, {} from start to "
                             "done, C equal to the golden GEMM (checksum {:016x})\n",
                             arch.name, gemm.M, gemm.K, gemm.N, cycles, (t1 - t0).to_string(), sum);
    status = 0;
  }
};

} // namespace

int sc_main(int argc, char* argv[]) {
  CLI::App app{"tpe example: an engine in a SystemC/TLM-2.0 platform"};
  std::string arch_file, backend = "model", style = "lt", shape = "16x32x24",
                         dram = "ddr4_3200_x64";
  uint64_t seed = 1;
  bool poll = false;
  app.add_option("--arch", arch_file, "architecture file (YAML)")->required();
  app.add_option("--backend", backend, "model (the SystemC model) or rtl (the Verilated RTL)");
  app.add_option("--style", style, "lt (loosely timed) or at (approximately timed)");
  app.add_option("--gemm", shape, "MxKxN (default 16x32x24)");
  app.add_option("--dram", dram, "DRAM preset of the memory (default ddr4_3200_x64)");
  app.add_option("--seed", seed, "seed of the operands (default 1)");
  app.add_flag("--poll", poll, "poll STATUS instead of waiting for the interrupt");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (style != "lt" && style != "at")
      throw InputError("--style", 0, "", "'" + style + "': lt or at");
    const ArchConfig arch = parse_arch_file(arch_file);
    const Layer gemm = parse_gemm_spec(shape);
    std::cerr << "platform: seed " << seed << " (replay with --seed " << seed << ")\n";
    const uint64_t bytes =
        uint64_t(gemm.M * gemm.K + gemm.K * gemm.N) * 4 + uint64_t(gemm.M * gemm.N) * 8 + 4096;
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    tlm::tlm_global_quantum::instance().set(sc_core::sc_time(1, sc_core::SC_US));
    TlmMemory memory("memory", bytes, dram, 2);
    TlmEngine engine("engine", arch, backend,
                     style == "lt" ? TlmStyle::LooselyTimed : TlmStyle::ApproximatelyTimed);
    Bus bus("bus");
    Cpu cpu("cpu", arch, gemm, seed, poll);
    sc_core::sc_signal<bool> irq("irq");
    cpu.bus.bind(bus.cpu);
    bus.to_mem.bind(memory.socket[0]);
    bus.to_regs.bind(engine.regs);
    engine.mem.bind(memory.socket[1]);
    engine.irq(irq);
    cpu.irq(irq);
    sc_core::sc_start();
    return cpu.status;
  } catch (const InputError& e) {
    std::cerr << "platform: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "platform: error: " << e.what() << "\n";
    return 1;
  }
}
