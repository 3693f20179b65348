// The TLM-2.0 engine (sim/tlm_engine.h) and its example platform
// (examples/tlm_platform): in process, the register map's responses and error codes, the
// interrupt and its acknowledge, a GEMM read from and written to the DRAM-timed memory
// (sim/tlm_memory.h) equal to the golden GEMM in both timing styles, and its time
// (register accesses, DMA bursts, the engine's cycles at its clock); as a program, the
// example on every engine family in both styles and polling, its cycles equal to `tpe
// sim`'s stepped model, the Verilated RTL backend printing the same line as the model,
// and its refusals.
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/operand_dist.h"
#include "pe_models/golden_gemm.h"
#include "sim/tlm_access.h"
#include "sim/tlm_engine.h"
#include "sim/tlm_memory.h"
#include "test_helpers.h"
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>

using namespace tpe;

namespace {

// The test's initiator: register accesses and memory accesses through two sockets.
struct Host : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Host> regs, mem;
  std::function<void(Host&)> body;
  SC_HAS_PROCESS(Host);
  explicit Host(sc_core::sc_module_name n) : sc_module(n), regs("regs"), mem("mem") {
    SC_THREAD(run);
  }
  void run() { body(*this); }
  tlm::tlm_response_status access(tlm_utils::simple_initiator_socket<Host>& s, tlm::tlm_command cmd,
                                  uint64_t addr, unsigned char* data, unsigned len) {
    return tlm_blocking_access(s, cmd, addr, data, len);
  }
  tlm::tlm_response_status wr(uint64_t a, uint32_t v) {
    unsigned char b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
    return access(regs, tlm::TLM_WRITE_COMMAND, a, b, 4);
  }
  uint32_t rd(uint64_t a) {
    unsigned char b[4] = {0, 0, 0, 0};
    REQUIRE(access(regs, tlm::TLM_READ_COMMAND, a, b, 4) == tlm::TLM_OK_RESPONSE);
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
  }
};

const std::string kSrc = TPE_SOURCE_DIR;

} // namespace

TEST_CASE("the TLM engine: register map, errors, interrupt and a GEMM through memory") {
  using namespace tlm_reg;
  sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_actions("tpe/tlm_engine", sc_core::SC_DO_NOTHING);
  tlm::tlm_global_quantum::instance().set(sc_core::sc_time(100, sc_core::SC_NS));
  const ArchConfig arch = parse_arch_file(kSrc + "/configs/systolic_4x4_ws.yaml");
  REQUIRE(arch.accumulate == "int");
  TlmMemory memory("memory", 4096, "ddr4_3200_x64", 2);
  TlmEngine lt("lt", arch, "model", TlmStyle::LooselyTimed);
  TlmEngine at("at", arch, "model", TlmStyle::ApproximatelyTimed, 16);
  Host host("host"), host_at("host_at");
  sc_core::sc_signal<bool> irq("irq"), irq_at("irq_at");
  host.regs.bind(lt.regs);
  host.mem.bind(memory.socket[0]);
  lt.mem.bind(memory.socket[1]);
  lt.irq(irq);
  host_at.regs.bind(at.regs);
  TlmMemory memory_at("memory_at", 4096, "hbm2_stack", 2);
  host_at.mem.bind(memory_at.socket[0]);
  at.mem.bind(memory_at.socket[1]);
  at.irq(irq_at);
  Rng rng(test::test_seed("the TLM engine", 77));
  const OperandDist d = parse_operand_dist("random");
  const int64_t M = 5, K = 7, N = 6;
  const OperandMatrix A = fill_operands(M, K, arch.act(), d, rng);
  const OperandMatrix B = fill_operands(K, N, arch.weight(), d, rng);
  const ResultMatrix want = golden_gemm(A, B, arch);
  int finished = 0;
  // one GEMM: operands stored, registers programmed, irq awaited, C compared
  auto gemm = [&](Host& h, TlmEngine& e, sc_core::sc_signal<bool>& line, TlmMemory& m) {
    std::vector<unsigned char> a(A.data.size()), b(B.data.size()); // int8: one byte each
    for (size_t i = 0; i < a.size(); ++i)
      a[i] = uint8_t(A.data[i]);
    for (size_t i = 0; i < b.size(); ++i)
      b[i] = uint8_t(B.data[i]);
    REQUIRE(h.access(h.mem, tlm::TLM_WRITE_COMMAND, 0, a.data(), unsigned(a.size())) ==
            tlm::TLM_OK_RESPONSE);
    REQUIRE(h.access(h.mem, tlm::TLM_WRITE_COMMAND, 256, b.data(), unsigned(b.size())) ==
            tlm::TLM_OK_RESPONSE);
    CHECK(h.rd(kId) == kIdValue);
    h.wr(kM, M);
    h.wr(kK, K);
    h.wr(kN, N);
    h.wr(kAAddr, 0);
    h.wr(kBAddr, 256);
    h.wr(kCAddr, 512);
    h.wr(kCAddr + 4, 0);
    CHECK(h.rd(kM) == M);
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    h.wr(kCtrl, kStart | kIrqEn);
    CHECK((h.rd(kStatus) & kBusy) != 0);
    h.wr(kM, 1); // START latched the shape: the running GEMM keeps M
    h.wr(kCAddr, 4000);
    // START while busy: ERROR with code 3, the run goes on
    h.wr(kCtrl, kStart | kIrqEn);
    CHECK(h.rd(kError) == kStartWhileBusy);
    h.wr(kStatus, kErrorBit);
    wait(line.posedge_event());
    const sc_core::sc_time t = sc_core::sc_time_stamp() - t0;
    CHECK(h.rd(kStatus) == kDone);
    CHECK(h.rd(kError) == kNone);
    const uint64_t cycles = h.rd(kCycles) | uint64_t(h.rd(kCycles + 4)) << 32;
    CHECK(cycles > 0);
    // the engine's cycles at its clock are within the start-to-irq time, with the DMA
    // of 35 + 42 operand bytes and 240 result bytes and the register accesses around it
    CHECK(t >= e.cycle_time() * double(cycles) + m.access_time(64) * 5.0);
    h.wr(kStatus, kDone); // acknowledge
    wait(sc_core::SC_ZERO_TIME);
    wait(sc_core::SC_ZERO_TIME);
    CHECK(!line.read());
    std::vector<unsigned char> c(size_t(M * N) * 8);
    REQUIRE(h.access(h.mem, tlm::TLM_READ_COMMAND, 512, c.data(), unsigned(c.size())) ==
            tlm::TLM_OK_RESPONSE);
    for (size_t i = 0; i < want.data.size(); ++i) {
      int64_t v = 0;
      std::memcpy(&v, &c[i * 8], 8);
      CHECK(v == want.data[i]);
    }
    ++finished;
  };
  host.body = [&](Host& h) {
    // the map's refusals: unaligned, outside, burst, read-only
    unsigned char b[8] = {};
    CHECK(h.access(h.regs, tlm::TLM_READ_COMMAND, 2, b, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(h.access(h.regs, tlm::TLM_READ_COMMAND, kSize, b, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(h.access(h.regs, tlm::TLM_READ_COMMAND, kM, b, 8) == tlm::TLM_BURST_ERROR_RESPONSE);
    CHECK(h.wr(kId, 1) == tlm::TLM_COMMAND_ERROR_RESPONSE);
    CHECK(h.wr(kCycles, 1) == tlm::TLM_COMMAND_ERROR_RESPONSE);
    CHECK(h.rd(kStatus) == 0);
    // a zero shape: DONE with ERROR, code 1
    h.wr(kCtrl, kStart);
    wait(sc_core::sc_time(1, sc_core::SC_US));
    CHECK(h.rd(kStatus) == (kDone | kErrorBit));
    CHECK(h.rd(kError) == kShape);
    CHECK(!irq.read()); // IRQ_EN was off
    h.wr(kStatus, kDone | kErrorBit);
    CHECK(h.rd(kStatus) == 0);
    // operands past the end of memory: code 2
    h.wr(kM, 2);
    h.wr(kK, 2);
    h.wr(kN, 2);
    h.wr(kAAddr, 4095);
    h.wr(kCtrl, kStart);
    wait(sc_core::sc_time(1, sc_core::SC_US));
    CHECK(h.rd(kError) == kMemory);
    h.wr(kStatus, kDone | kErrorBit);
    // beyond the stepped model's limits: code 4, refused before any operand moves
    const uint64_t before = memory.transactions();
    for (uint64_t r : {kM, kK, kN})
      h.wr(r, 1u << 20);
    h.wr(kAAddr, 0);
    h.wr(kCtrl, kStart);
    wait(sc_core::sc_time(1, sc_core::SC_US));
    CHECK(h.rd(kError) == kBackend);
    CHECK(memory.transactions() == before);
    h.wr(kStatus, kDone | kErrorBit);
    // an ignore command has no effect, START included
    unsigned char go[4] = {uint8_t(kStart), 0, 0, 0};
    CHECK(h.access(h.regs, tlm::TLM_IGNORE_COMMAND, kCtrl, go, 4) == tlm::TLM_OK_RESPONSE);
    CHECK(h.rd(kStatus) == 0);
    gemm(h, lt, irq, memory);
    // DMI is granted now: a C address whose burst wraps past 2^64 is a memory error, not
    // a write outside the memory
    h.wr(kM, M);
    h.wr(kCAddr, 0xfffffff0u);
    h.wr(kCAddr + 4, 0xffffffffu);
    h.wr(kCtrl, kStart);
    wait(sc_core::sc_time(5, sc_core::SC_US));
    CHECK(h.rd(kStatus) == (kDone | kErrorBit));
    CHECK(h.rd(kError) == kMemory);
    // START clears DONE and ERROR together
    h.wr(kCAddr, 512);
    h.wr(kCAddr + 4, 0);
    h.wr(kCtrl, kStart);
    CHECK(h.rd(kStatus) == kBusy);
    CHECK(h.rd(kError) == kNone);
    wait(sc_core::sc_time(5, sc_core::SC_US));
    CHECK(h.rd(kStatus) == kDone);
  };
  host_at.body = [&](Host& h) { gemm(h, at, irq_at, memory_at); };
  sc_core::sc_start();
  CHECK(finished == 2);
}

TEST_CASE("the TLM example platform on every engine family, model and RTL") {
  const std::string bin = TPE_EXAMPLE_BIN;
  const std::string dir = test::scratch_dir("tlm", "example");
  auto run = [&](const std::string& args) {
    const test::CmdResult r = test::run_shell(bin + " " + args + " 2>&1");
    INFO(args << "\n" << r.out);
    return r;
  };
  auto pass_line = [](const std::string& out) {
    std::smatch m;
    REQUIRE(std::regex_search(out, m, std::regex("platform: PASS [^\n]*")));
    return m.str();
  };
  for (const char* c : {"systolic_4x4_os", "systolic_4x4_ws", "systolic_4x4_is", "cube_4x4x4",
                        "adder_tree_8x16_ent", "matrix2d_4x4"}) {
    const std::string arch = kSrc + "/configs/" + c + ".yaml";
    const auto lt = run("--arch " + arch + " --gemm 7x19x5 --seed 4");
    REQUIRE(lt.status == 0);
    const std::string line = pass_line(lt.out);
    // the same engine cycles as tpe sim's stepped model on the same GEMM
    test::write_text(dir + "/w.csv", "Layer name, M, N, K,\ng, 7, 5, 19,\n");
    const auto sim = test::run_tpe("sim --arch " + arch + " --workload " + dir +
                                   "/w.csv --mode values --json " + dir + "/s.json");
    REQUIRE(sim.status == 0);
    const auto js = nlohmann::json::parse(read_file(dir + "/s.json"));
    const int64_t cycles = js["layers"][0]["cycles"].get<int64_t>();
    CHECK(line.find(": " + std::to_string(cycles) + " engine cycles") != std::string::npos);
    // approximately timed and polling: the same cycles and C
    const auto at = run("--arch " + arch + " --gemm 7x19x5 --seed 4 --style at");
    REQUIRE(at.status == 0);
    const auto poll = run("--arch " + arch + " --gemm 7x19x5 --seed 4 --poll");
    REQUIRE(poll.status == 0);
    // "NAME MxKxN: CYCLES engine cycles"
    const auto cycles_of = [](const std::string& l) {
      return l.substr(0, l.find(" engine cycles"));
    };
    CHECK(cycles_of(pass_line(at.out)) == cycles_of(line));
    CHECK(cycles_of(pass_line(poll.out)) == cycles_of(line));
    CHECK(pass_line(at.out).substr(pass_line(at.out).find("(checksum")) ==
          line.substr(line.find("(checksum")));
    CHECK(pass_line(poll.out).substr(pass_line(poll.out).find("(checksum")) ==
          line.substr(line.find("(checksum")));
  }
  // the Verilated RTL in the engine's place: the very same line
  for (const char* c : {"systolic_4x4_ws", "cube_4x4x4"}) {
    const std::string arch = kSrc + "/configs/" + c + ".yaml";
    const auto model = run("--arch " + arch + " --gemm 6x11x9 --seed 2");
    const auto rtl = run("--arch " + arch + " --gemm 6x11x9 --seed 2 --backend rtl");
    REQUIRE(model.status == 0);
    REQUIRE(rtl.status == 0);
    CHECK(pass_line(rtl.out) == pass_line(model.out));
  }
  // refusals: one line, exit 2
  const auto lut = run("--arch " + kSrc + "/configs/lut_gemv_small.yaml");
  CHECK(lut.status == 2);
  CHECK(lut.out.find("lut_gemv_small.yaml:6: engine: lut_gemv: the TLM engine takes the array "
                     "engines") != std::string::npos);
  test::write_text(dir + "/mx.yaml",
                   "name: mx\nengine: systolic\nrows: 2\ncols: 2\ndataflow: os\nformat: mxint8\n");
  const auto mx = run("--arch " + dir + "/mx.yaml");
  CHECK(mx.status == 2);
  CHECK(mx.out.find("mx.yaml:6: format: 'mxint8': the TLM engine takes element formats") !=
        std::string::npos);
  const auto style = run("--arch " + kSrc + "/configs/systolic_4x4_os.yaml --style xx");
  CHECK(style.status == 2);
  CHECK(style.out.find("platform: error: --style: 'xx': lt or at") != std::string::npos);
  const auto dram = run("--arch " + kSrc + "/configs/systolic_4x4_os.yaml --dram ddr9");
  CHECK(dram.status == 2);
  CHECK(dram.out.find("dram: 'ddr9': not a DRAM preset") != std::string::npos);
  std::filesystem::remove_all(dir);
}
