// VCD reading for the waveform tests (test_vcd.cpp, full_vcd.cpp): the
// signals a file declares, their value changes, and the checks shared by the
// tests (the model's signals are the RTL's, and equal to them cycle by cycle).
#pragma once
#include "core/arch_config.h"
#include "core/workload.h"
#include "sim/array_core.h"
#include "testbenches/lib/vcd_dump.h"
#include "testbenches/lib/verify.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>

namespace tpe::test {

namespace fs = std::filesystem;

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

inline std::string strip_zeros(const std::string& v) {
  const size_t p = v.find_first_not_of('0');
  return p == std::string::npos ? "0" : v.substr(p);
}

inline Vcd parse_vcd(const std::string& path) {
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

inline VerifyOutcome verify_vcd(const ArchConfig& a, const std::string& gemm,
                                const std::string& dir, const RtlMutation& mutate = nullptr) {
  VerifyOptions o;
  o.seed = 7;
  o.mutate = mutate;
  o.vcd_dir = dir;
  std::ostringstream progress;
  return verify_systolic(a, {parse_gemm_spec(gemm)}, o, progress);
}

// Every signal of the model's file is in the RTL's, with the same width.
inline void check_same_names(const Vcd& rtl, const Vcd& model, const std::string& top) {
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
inline std::string write_at(const Vcd& v, const std::string& top, int64_t c) {
  const int64_t t = c * 1000;
  const std::string en = v.at(top + ".o_wr_en", t);
  if (en != "1") return en;
  return "1 " + v.at(top + ".o_wr_addr", t) + " " + v.at(top + ".o_wr_data", t);
}

// Every signal of the model's file equals the RTL's on every cycle of the
// files (addresses and write data only while their enable is high).
inline void check_same_values(const Vcd& rtl, const Vcd& model, const std::string& top) {
  REQUIRE(rtl.last_time == model.last_time);
  for (int64_t k = 0; k * 1000 <= rtl.last_time; ++k)
    for (const auto& [name, bits] : model.width) {
      INFO(name << " at cycle " << k);
      std::string en; // the enable an address or the write data belongs to
      for (const char* p : {"w_rd", "n_rd", "o_rd", "o_wr"})
        if (name == top + "." + p + "_addr") en = top + "." + p + "_en";
      if (name == top + ".o_wr_data") en = top + ".o_wr_en";
      if (!en.empty() && model.at(en, k * 1000) != "1") continue;
      CHECK(rtl.at(name, k * 1000) == model.at(name, k * 1000));
    }
}

// The PE registers the model traces in every PE (or tree) of design a, by
// engine and dataflow (the probes of sim/systolic_core.cpp, broadcast_core.cpp,
// sparse_core.cpp), each as its name below the top module (the serial PEs'
// engines are not covered here).
inline std::vector<std::string> expected_pe_regs(const ArchConfig& a) {
  std::vector<std::string> regs, out;
  if (a.engine == "adder_tree") {
    for (int j = 0; j < a.cols; ++j)
      for (const char* r : {"t", "wt"})
        out.push_back("u_array.g_tree[" + std::to_string(j) + "].pe." + r);
    return out;
  }
  if (a.engine == "cube" || a.engine == "matrix2d")
    regs = {"acc", "dr"};
  else if (a.dataflow == "os")
    regs = {"acc", "dv"};
  else
    regs = {"ps", "sh", "wa"};
  if (a.pe == "opt1") // its acc / ps is a carry-save pair the model does not keep
    regs.erase(regs.begin());
  for (int i = 0; i < a.rows; ++i)
    for (int j = 0; j < a.cols; ++j)
      for (const std::string& r : regs)
        out.push_back(pe_reg(i, j, r));
  return out;
}

// verify --vcd of the design `yaml` on `gemm`: it passes; model.vcd holds the
// top's ports and every PE register of expected_pe_regs (none dropped), each with
// its RTL twin's name and width, and equal to the RTL's on every cycle.
inline void check_design_waveforms(const std::string& yaml, const std::string& gemm) {
  const ArchConfig a = parse_arch_text(yaml);
  INFO(a.name);
  TempDir d(a.name);
  const VerifyOutcome r = verify_vcd(a, gemm, d.p.string());
  INFO(r.failure);
  REQUIRE(r.pass);
  const Vcd rtl = parse_vcd((d.p / "rtl.vcd").string());
  const Vcd model = parse_vcd((d.p / "model.vcd").string());
  const std::string top = "tpe_" + a.name;
  check_same_names(rtl, model, top);
  for (const std::string& reg : expected_pe_regs(a)) {
    INFO(reg);
    CHECK(model.width.count(top + "." + reg) == 1);
  }
  check_same_values(rtl, model, top);
}

} // namespace tpe::test
