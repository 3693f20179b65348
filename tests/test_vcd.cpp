// `tpe verify --vcd DIR`: waveforms of the RTL (Verilator) and of the SystemC
// model around the first difference. A fault injected into a 2x2 systolic array
// fails verify, and the two files name the same signals with the same widths;
// the output write signals agree on every cycle before the reported first
// difference and differ on it. A passing cube design writes both files too, and
// every signal the model traces is in the RTL's file with the same width, with
// the same values on every cycle (addresses and data while their enable is high).
#include "core/arch_config.h"
#include "core/workload.h"
#include "test_helpers.h"
#include "testbenches/lib/vcd_dump.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

using namespace tpe;
namespace fs = std::filesystem;

namespace {

// A VCD file as signals: name (scopes below the file's outermost one, joined by
// '.') -> width and value changes (time in ps -> binary digits, no leading zeros).
struct Vcd {
  std::map<std::string, int> width;
  std::map<std::string, std::map<int64_t, std::string>> changes;
  int64_t last_time = -1;

  // The value at time t (the last change at or before it), "" before any.
  std::string at(const std::string& name, int64_t t) const {
    const auto& ch = changes.at(name);
    auto it = ch.upper_bound(t);
    if (it == ch.begin()) return "";
    return std::prev(it)->second;
  }
};

std::string strip_zeros(const std::string& v) {
  const size_t p = v.find_first_not_of('0');
  return p == std::string::npos ? "0" : v.substr(p);
}

Vcd parse_vcd(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  Vcd v;
  std::vector<std::string> scope;
  std::map<std::string, std::vector<std::string>> ids; // id code -> names
  std::string line;
  int64_t t = 0;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string w;
    if (!(s >> w)) continue;
    if (w == "$scope") {
      std::string kind, name;
      s >> kind >> name;
      scope.push_back(name);
    } else if (w == "$upscope") {
      scope.pop_back();
    } else if (w == "$var") {
      std::string type, id, name;
      int bits = 0;
      s >> type >> bits >> id >> name;
      std::string full;
      for (size_t i = 1; i < scope.size(); ++i)
        full += scope[i] + ".";
      full += name;
      v.width[full] = bits;
      ids[id].push_back(full);
    } else if (w[0] == '#') {
      t = std::stoll(w.substr(1));
      v.last_time = t;
    } else if (w[0] == 'b') {
      std::string id;
      s >> id;
      for (const auto& n : ids[id])
        v.changes[n][t] = strip_zeros(w.substr(1));
    } else if (w[0] == '0' || w[0] == '1' || w[0] == 'x' || w[0] == 'z') {
      for (const auto& n : ids[w.substr(1)])
        v.changes[n][t] = w.substr(0, 1);
    }
  }
  return v;
}

struct TempDir {
  fs::path p;
  explicit TempDir(const std::string& tag)
      : p(fs::temp_directory_path() / ("tpe_test_vcd_" + tag + "." + std::to_string(getpid()))) {
    fs::remove_all(p);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(p, ec);
  }
};

VerifyOutcome verify_vcd(const ArchConfig& a, const std::string& gemm, const std::string& dir,
                         const RtlMutation& mutate = nullptr) {
  VerifyOptions o;
  o.seed = 7;
  o.mutate = mutate;
  o.vcd_dir = dir;
  std::ostringstream progress;
  return verify_systolic(a, {parse_gemm_spec(gemm)}, o, progress);
}

// Every signal of the model's file is in the RTL's, with the same width.
void check_same_names(const Vcd& rtl, const Vcd& model, const std::string& top) {
  for (const char* port : {"start", "busy", "done", "w_rd_en", "w_rd_addr", "w_rd_data", "n_rd_en",
                           "n_rd_addr", "n_rd_data", "o_wr_en", "o_wr_addr", "o_wr_data"})
    CHECK(model.width.count(top + "." + port) == 1);
  for (const auto& [name, bits] : model.width) {
    INFO(name);
    REQUIRE(rtl.width.count(name) == 1);
    CHECK(rtl.width.at(name) == bits);
  }
}

// The output write of cycle c as (enable, address, data), address and data
// only while the enable is high.
std::string write_at(const Vcd& v, const std::string& top, int64_t c) {
  const int64_t t = c * 1000;
  const std::string en = v.at(top + ".o_wr_en", t);
  if (en != "1") return en;
  return "1 " + v.at(top + ".o_wr_addr", t) + " " + v.at(top + ".o_wr_data", t);
}

} // namespace

TEST_CASE("verify --vcd: a fault's waveforms differ first at the reported cycle") {
  const ArchConfig a = tpe::test::make_arch(2, 2, "os");
  TempDir d("fault");
  const VerifyOutcome r = verify_vcd(
      a, "5x6x7", d.p.string(), tpe::test::replace_in_rtl("acc) + prod_ext", "acc) - prod_ext"));
  REQUIRE_FALSE(r.pass);
  const int64_t c = r.first_diff_cycle;
  INFO(r.failure << " (first difference at cycle " << c << ")");
  REQUIRE(c > 0);
  CHECK(r.failure.find("at cycle " + std::to_string(c)) != std::string::npos);
  for (const char* f : {"rtl.vcd", "model.vcd", "README.txt"})
    CHECK(fs::is_regular_file(d.p / f));
  CHECK_FALSE(fs::exists(d.p.string() + ".tmp." + std::to_string(getpid())));
  const Vcd rtl = parse_vcd((d.p / "rtl.vcd").string());
  const Vcd model = parse_vcd((d.p / "model.vcd").string());
  const std::string top = "tpe_" + a.name;
  check_same_names(rtl, model, top);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      CHECK(model.width.count(top + "." + pe_reg(i, j, "acc")) == 1);
  // the window: 50 cycles before (from cycle 0 here) to 10 after
  const VcdWindow w = vcd_window(c, 50, 1 << 30);
  CHECK(w.from == std::max<int64_t>(0, c - 50));
  CHECK(rtl.last_time == (c + kVcdCyclesAfter) * 1000);
  CHECK(model.last_time == rtl.last_time);
  for (int64_t k = w.from; k < c; ++k) {
    INFO("cycle " << k);
    CHECK(write_at(rtl, top, k) == write_at(model, top, k));
  }
  CHECK(write_at(rtl, top, c) != write_at(model, top, c));
  CHECK(write_at(model, top, c).rfind("1 ", 0) == 0); // the model writes at cycle c
}

TEST_CASE("verify --vcd on a passing cube: the model's signals are the RTL's") {
  ArchConfig a;
  a.name = "vcd_cube";
  a.engine = "cube";
  a.rows = 2;
  a.cols = 3;
  a.depth = 2;
  a.dataflow = "os";
  a.pe = "mac";
  a.format = "int8";
  a.acc_bits = 32;
  validate_arch(a);
  TempDir d("cube");
  const VerifyOutcome r = verify_vcd(a, "5x7x4", d.p.string());
  REQUIRE(r.pass);
  const Vcd rtl = parse_vcd((d.p / "rtl.vcd").string());
  const Vcd model = parse_vcd((d.p / "model.vcd").string());
  const std::string top = "tpe_" + a.name;
  check_same_names(rtl, model, top);
  CHECK(model.width.count(top + "." + pe_reg(1, 2, "acc")) == 1);
  CHECK(model.width.count(top + "." + pe_reg(1, 2, "dr")) == 1);
  // a passing run: its first 61 cycles, or all of it when shorter
  CHECK(rtl.last_time == std::min<int64_t>(r.cycles_total, 50 + kVcdCyclesAfter) * 1000);
  CHECK(model.last_time == rtl.last_time);
  // every cycle: the same values (addresses and data while their enable is high)
  for (int64_t k = 0; k * 1000 <= rtl.last_time; ++k)
    for (const auto& [name, bits] : model.width) {
      INFO(name << " at cycle " << k);
      std::string en;
      for (const char* p : {"w_rd", "n_rd", "o_wr"})
        if (name == top + "." + p + "_addr" || name == top + "." + p + "_data")
          en = top + "." + p + "_en";
      if (!en.empty() && model.at(en, k * 1000) != "1") continue;
      CHECK(rtl.at(name, k * 1000) == model.at(name, k * 1000));
    }
}

TEST_CASE("tpe verify --vcd on the command line: the window option and bad paths") {
  TempDir d("cli");
  fs::create_directories(d.p);
  const std::string arch = (d.p / "vcd_cube.yaml").string();
  {
    std::ofstream f(arch);
    f << "name: vcd_cube\nengine: cube\nrows: 2\ncols: 3\ndepth: 2\npe: mac\nformat: int8\n"
         "acc_bits: 32\n";
  }
  const std::string wave = (d.p / "wave").string();
  // the RTL builds are those of the cube test above (same design)
  auto r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --seed 7 --vcd " + wave +
                              " --vcd-window 5");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(r.out.find("verify: waveforms of cycles 0 to 15 in " + wave) != std::string::npos);
  const Vcd rtl = parse_vcd(wave + "/rtl.vcd");
  const Vcd model = parse_vcd(wave + "/model.vcd");
  CHECK(rtl.last_time == 15000);
  CHECK(model.last_time == 15000);
  // a second run replaces the directory as a whole
  fs::remove(wave + "/README.txt");
  r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --seed 7 --vcd " + wave +
                         " --vcd-window 5");
  CHECK(r.status == 0);
  CHECK(fs::is_regular_file(wave + "/README.txt"));
  // refused before any work: a file as the directory, an empty path, a bad window
  r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --vcd " + arch);
  CHECK(r.status == 2);
  CHECK(r.out.find("exists and is not a directory") != std::string::npos);
  CHECK(r.out.find("verify: seed") == std::string::npos);
  r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --vcd ''");
  CHECK(r.status == 2);
  CHECK(r.out.find("empty path") != std::string::npos);
  r = tpe::test::run_tpe("verify --arch " + arch + " --gemm 5x7x4 --vcd " + wave +
                         " --vcd-window 0");
  CHECK(r.status == 2);
}

TEST_CASE("verify --vcd: an RTL run that fails leaves its waveform up to the failure") {
  const ArchConfig a = tpe::test::make_arch(2, 2, "os");
  TempDir d("range");
  const VerifyOutcome r =
      verify_vcd(a, "5x6x7", d.p.string(),
                 tpe::test::replace_in_rtl("assign w_rd_addr = waddr;",
                                           "assign w_rd_addr = waddr + 32'd100000;"));
  REQUIRE_FALSE(r.pass);
  INFO(r.failure);
  CHECK(r.failure.find("west read address") != std::string::npos);
  const int64_t c = r.first_diff_cycle;
  REQUIRE(c >= 0);
  CHECK(error_cycle(r.failure) == c);
  const Vcd rtl = parse_vcd((d.p / "rtl.vcd").string());
  const Vcd model = parse_vcd((d.p / "model.vcd").string());
  const std::string top = "tpe_" + a.name;
  CHECK(rtl.last_time == c * 1000); // the harness stopped at the bad read
  CHECK(model.last_time == (c + kVcdCyclesAfter) * 1000);
  CHECK(rtl.at(top + ".w_rd_en", c * 1000) == "1");
  CHECK(model.at(top + ".w_rd_en", c * 1000) == "1");
  const auto value = [](const std::string& bits) { return std::stoll(bits, nullptr, 2); };
  CHECK(value(rtl.at(top + ".w_rd_addr", c * 1000)) ==
        value(model.at(top + ".w_rd_addr", c * 1000)) + 100000);
  CHECK(error_cycle("no cycle here") == -1);
}
