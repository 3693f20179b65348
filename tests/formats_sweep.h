// The L1 formats sweep (issue 13 item 6): `tpe verify`'s code path (the architecture
// parser, then testbenches/lib verify_systolic: model vs golden GEMM, Verilated RTL vs
// model bit- and cycle-exact) over every element format on every engine and dataflow
// at three small array sizes, with odd GEMM shapes (M, K, N not multiples of the
// array, K = 1, several folds). Besides the default accumulator of each format, every
// other accumulator per format, `pe: lmul` with each `lmul_offset`, the mixed
// act/weight pairs of one code width and those of two widths (mixed_width_pairs) run
// on one engine each (rotated over the
// engines so that each engine sees them; where the parser refuses the rotated engine's
// middle size, its smallest size or the next engine is taken). A configuration the
// parser refuses is counted with the parser's own message, never hard-coded here. kSweepFormats is
// the one list to extend when the engines take a new format.
//
// Seeds: the base seed (TPE_SEED, default kSweepSeed) and the configuration's id give
// each run's seed (printed); the printed `tpe verify` line replays one run.
#pragma once
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/operand_dist.h"
#include "core/workload.h"
#include "pe_models/formats.h"
#include "testbenches/lib/verify.h"
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tpe::sweep {

constexpr uint64_t kSweepSeed = 20261130;

// Every format the engines take: the one list to extend (a test checks that
// every format the architecture parser accepts on the systolic array is here).
inline const std::vector<std::string>& sweep_formats() {
  static const std::vector<std::string> f = {
      "int2", "int3", "int4", "int5", "int6", "int7", "int8", "int9", "int10", "int11", "int12",
      "int13", "int14", "int15", "int16", "fp16", "bf16", "fp8_e4m3", "fp8_e5m2", "hif8",
      "fp6_e3m2", "fp6_e2m3", "fp4_e2m1",
      // block-scaled (docs/formats-engines.md): refused where the engine cannot take them
      "mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e3m2", "mxfp6_e2m3", "mxfp4", "mxint8", "nvfp4"};
  return f;
}

// The formats `pe: lmul` takes (issue 13 item 4) and its offsets.
inline const std::vector<std::string>& lmul_formats() {
  static const std::vector<std::string> f = {"fp8_e4m3", "fp8_e5m2", "bf16", "fp16"};
  return f;
}
inline const std::vector<std::string>& lmul_offsets() {
  static const std::vector<std::string> o = {"paper", "const4", "none"};
  return o;
}
inline const std::vector<std::string>& other_accumulators() {
  static const std::vector<std::string> a = {"fp32", "fp16", "bf16", "fixed"};
  return a;
}

// Ordered act/weight pairs of two code widths (PE mac): each format of `formats` with
// a partner of another width, in both orders (the partner: the first format at least 7
// places further on in the list, cyclically, whose width differs, so that integers
// meet floats and block formats), then the pairs of common mixed-precision designs
// (W4A8, W4A16, W8A16, FP8 x FP4, MXFP8 x MXFP4, BF16 x NVFP4, ...; MXFP8 x NVFP4 is
// refused: two block sizes), each once, those of formats outside the list left out.
inline std::vector<std::pair<std::string, std::string>>
mixed_width_pairs(const std::vector<std::string>& formats) {
  auto bits = [](const std::string& f) { return lookup_format(f).bits; };
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const std::string& a, const std::string& w) {
    if (std::find(out.begin(), out.end(), std::pair{a, w}) == out.end()) out.emplace_back(a, w);
  };
  const size_t n = formats.size();
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 7; k < 7 + n; ++k) {
      const std::string& p = formats[(i + k) % n];
      if (bits(p) == bits(formats[i])) continue;
      add(formats[i], p);
      add(p, formats[i]);
      break;
    }
  const auto has = [&](const std::string& f) {
    return std::find(formats.begin(), formats.end(), f) != formats.end();
  };
  for (const auto& [a, w] :
       std::vector<std::pair<std::string, std::string>>{{"int8", "int4"},
                                                        {"int16", "int8"},
                                                        {"int8", "int2"},
                                                        {"bf16", "int4"},
                                                        {"bf16", "int8"},
                                                        {"fp16", "int8"},
                                                        {"bf16", "fp8_e4m3"},
                                                        {"fp8_e4m3", "fp4_e2m1"},
                                                        {"fp8_e4m3", "mxfp4"},
                                                        {"mxfp8_e4m3", "mxfp4"},
                                                        {"mxfp8_e4m3", "mxfp6_e2m3"},
                                                        {"bf16", "mxfp4"},
                                                        {"bf16", "nvfp4"},
                                                        {"fp8_e4m3", "nvfp4"},
                                                        {"mxfp8_e4m3", "nvfp4"}})
    if (has(a) && has(w)) add(a, w);
  return out;
}

// One engine / dataflow and its three array sizes (rows x cols x depth).
struct Size {
  int rows = 1, cols = 1, depth = 1;
};
struct EngineKind {
  std::string label; // table column: os, ws, is, cube, adder_tree, matrix2d
  std::string engine, dataflow;
  std::vector<Size> sizes; // [0] smallest; the rotated configurations use [1]
};
inline const std::vector<EngineKind>& engine_kinds() {
  static const std::vector<EngineKind> e = {
      {"os", "systolic", "os", {{1, 1, 1}, {2, 2, 1}, {3, 2, 1}}},
      {"ws", "systolic", "ws", {{1, 1, 1}, {2, 2, 1}, {3, 2, 1}}},
      {"is", "systolic", "is", {{1, 1, 1}, {2, 2, 1}, {3, 2, 1}}},
      {"cube", "cube", "os", {{1, 1, 1}, {2, 2, 2}, {2, 1, 3}}},
      {"adder_tree", "adder_tree", "ws", {{1, 1, 1}, {1, 2, 2}, {1, 3, 3}}},
      {"matrix2d", "matrix2d", "os", {{1, 1, 1}, {2, 2, 1}, {3, 2, 1}}},
  };
  return e;
}

// GEMMs M x K x N: odd against every array size above (none a multiple of 2 or 3
// except where 1), K = 1, single rows and columns, several folds everywhere.
inline std::vector<Layer> sweep_gemms() {
  std::vector<Layer> g;
  for (const char* s : {"7x11x5", "5x1x7", "1x13x2"})
    g.push_back(parse_gemm_spec(s));
  return g;
}

struct Config {
  std::string id;     // unique; also the architecture's name
  std::string kind;   // grid (default accumulator), acc, lmul, mixed, mixed_width
  std::string format; // table row: the act format, or "act x weight"
  std::string column; // table column: the engine kind's label
  std::string yaml;   // the architecture file
};

inline std::string size_text(const EngineKind& e, const Size& s) {
  std::string t = std::to_string(s.rows) + "x" + std::to_string(s.cols);
  if (e.engine == "cube") t += "x" + std::to_string(s.depth);
  if (e.engine == "adder_tree") t = std::to_string(s.cols) + "x" + std::to_string(s.depth);
  return t;
}

inline std::string arch_yaml(const std::string& name, const EngineKind& e, const Size& s,
                             const std::string& act, const std::string& weight,
                             const std::string& acc, const std::string& pe,
                             const std::string& offset) {
  std::ostringstream y;
  y << "name: " << name << "\nengine: " << e.engine << "\n";
  if (e.engine != "adder_tree") y << "rows: " << s.rows << "\n";
  y << "cols: " << s.cols << "\n";
  if (e.engine == "cube" || e.engine == "adder_tree") y << "depth: " << s.depth << "\n";
  if (e.engine == "systolic") y << "dataflow: " << e.dataflow << "\n";
  if (act == weight)
    y << "format: " << act << "\n";
  else
    y << "format: {act: " << act << ", weight: " << weight << "}\n";
  if (!acc.empty()) y << "accumulate: " << acc << "\n";
  if (pe != "mac") y << "pe: " << pe << "\n";
  if (!offset.empty()) y << "lmul_offset: " << offset << "\n";
  return y.str();
}

inline std::string config_id(const std::string& kind, const EngineKind& e, const Size& s,
                             const std::string& act, const std::string& weight,
                             const std::string& acc, const std::string& offset) {
  std::string id = "sw_" + e.label + "_" + size_text(e, s) + "_" + act;
  if (weight != act) id += "_x_" + weight;
  if (!acc.empty()) id += "_acc_" + acc;
  if (kind == "lmul") id += "_lmul_" + offset;
  return id;
}

// Every configuration, ordered so that a partial run covers broadly first: the middle
// size of every (format, engine), the rotated accumulators, L-Mul and mixed pairs,
// then the smallest and the largest sizes.
inline std::vector<Config> sweep_configs() {
  const auto& F = sweep_formats();
  const auto& E = engine_kinds();
  std::vector<Config> out;
  auto make = [&](const std::string& kind, size_t ei, size_t si, const std::string& act,
                  const std::string& weight, const std::string& acc, const std::string& pe,
                  const std::string& offset) {
    const EngineKind& e = E[ei];
    const Size& s = e.sizes[si];
    Config c;
    c.kind = kind;
    c.id = config_id(kind, e, s, act, weight, acc, offset);
    c.format = act == weight ? act : act + " x " + weight;
    c.column = e.label;
    c.yaml = arch_yaml(c.id, e, s, act, weight, acc, pe, offset);
    return c;
  };
  auto add = [&](const std::string& kind, size_t ei, size_t si, const std::string& act,
                 const std::string& weight, const std::string& acc, const std::string& pe,
                 const std::string& offset) {
    out.push_back(make(kind, ei, si, act, weight, acc, pe, offset));
  };
  // a rotated configuration: from engine `start` on, the first engine and size (middle,
  // then smallest) the parser takes; the middle size of `start` when none does (then
  // counted as refused)
  auto add_rotated = [&](const std::string& kind, size_t start, const std::string& act,
                         const std::string& weight, const std::string& acc, const std::string& pe,
                         const std::string& offset) {
    for (size_t k = 0; k < E.size(); ++k)
      for (size_t si : {size_t(1), size_t(0)}) {
        const Config c = make(kind, (start + k) % E.size(), si, act, weight, acc, pe, offset);
        try {
          parse_arch_text(c.yaml);
        } catch (const InputError&) {
          continue;
        }
        out.push_back(c);
        return;
      }
    add(kind, start, 1, act, weight, acc, pe, offset);
  };
  for (size_t si : {size_t(1), size_t(0), size_t(2)}) {
    for (const auto& f : F)
      for (size_t ei = 0; ei < E.size(); ++ei)
        add("grid", ei, si, f, f, "", "mac", "");
    if (si != 1) continue;
    // the other accumulators: format i, accumulator j on engine (i + j) mod 6
    for (size_t fi = 0; fi < F.size(); ++fi)
      for (size_t ai = 0; ai < other_accumulators().size(); ++ai) {
        const std::string& acc = other_accumulators()[ai];
        if (acc == "fp32" && !is_integer_format(F[fi])) continue; // fp32 is its default
        add_rotated("acc", (fi + ai) % E.size(), F[fi], F[fi], acc, "mac", "");
      }
    // L-Mul: every offset, the default accumulator, on rotated engines (on the cube and
    // the adder tree the smallest size: the parser refuses depth > 1 for L-Mul)
    size_t r = 0;
    for (const auto& f : lmul_formats())
      for (const auto& o : lmul_offsets())
        add_rotated("lmul", r++ % E.size(), f, f, "", "lmul", o);
    // mixed act/weight pairs of one code width
    r = 0;
    for (const auto& a : F)
      for (const auto& w : F)
        if (a != w && lookup_format(a).bits == lookup_format(w).bits)
          add_rotated("mixed", r++ % E.size(), a, w, "", "mac", "");
    // and of two code widths
    for (const auto& [a, w] : mixed_width_pairs(F))
      add_rotated("mixed_width", r++ % E.size(), a, w, "", "mac", "");
  }
  return out;
}

struct RunSpec {
  Layer gemm;
  std::string operands;
  uint64_t seed = 0;
};

// The runs of one configuration: every GEMM on random codes (uniform over all codes:
// specials included), the first also on a second distribution (normal:1 for float
// formats: finite sums; min for integers: the most negative operands) and on max.
inline std::vector<RunSpec> config_runs(const Config& c, const ArchConfig& a, uint64_t base) {
  std::vector<RunSpec> r;
  const uint64_t h = std::hash<std::string>{}(c.id);
  const bool ints = is_integer_format(a.act()) && is_integer_format(a.weight());
  int i = 0;
  for (const Layer& g : sweep_gemms()) {
    for (const std::string& d :
         {std::string("random"), std::string(ints ? "min" : "normal:1"), std::string("max")}) {
      if (d != "random" && i != 0) continue;
      RunSpec s;
      s.gemm = g;
      s.operands = d;
      s.seed = (base ^ h) + uint64_t(r.size()) * 0x9e3779b97f4a7c15ull;
      s.seed &= (uint64_t(1) << 62) - 1;
      r.push_back(s);
    }
    ++i;
  }
  return r;
}

struct ConfigResult {
  bool refused = false;
  std::string refusal; // the parser's message
  int runs = 0, passed = 0;
  std::string failure; // the first failing run: replay line and first difference
};

// Parse (refusal counted), then verify every run; `arch_dir` receives the
// architecture file for replay; `mutate` injects a fault (tests). Progress and every seed go to
// `log`.
inline ConfigResult run_config(const Config& c, uint64_t base, const std::string& arch_dir,
                               std::ostream& log, const RtlMutation& mutate = nullptr) {
  ConfigResult res;
  const std::string path = arch_dir + "/" + c.id + ".yaml";
  ArchConfig a;
  try {
    a = parse_arch_text(c.yaml, path);
  } catch (const InputError& e) {
    res.refused = true;
    res.refusal = e.what();
    log << "sweep: " << c.id << ": refused: " << res.refusal << "\n";
    return res;
  }
  std::filesystem::create_directories(arch_dir);
  write_file_atomic(path, c.yaml);
  for (const RunSpec& s : config_runs(c, a, base)) {
    VerifyOptions o;
    o.seed = s.seed;
    o.dist = parse_operand_dist(s.operands);
    o.mutate = mutate;
    std::ostringstream progress;
    const std::string replay = "tpe verify --arch " + path + " --gemm " + std::to_string(s.gemm.M) +
                               "x" + std::to_string(s.gemm.K) + "x" + std::to_string(s.gemm.N) +
                               " --operands " + s.operands + " --seed " + std::to_string(s.seed);
    VerifyOutcome v;
    try {
      v = verify_systolic(a, {s.gemm}, o, progress);
    } catch (const std::exception& e) {
      v.pass = false;
      v.failure = std::string("exception: ") + e.what();
    }
    ++res.runs;
    log << "sweep: " << c.id << ": " << (v.pass ? "PASS" : "FAIL") << " seed " << s.seed << ": "
        << replay << (v.pass ? "" : "\n  " + v.failure + "\n" + progress.str()) << "\n";
    if (v.pass)
      ++res.passed;
    else if (res.failure.empty())
      res.failure = replay + ": " + v.failure;
  }
  return res;
}

// The coverage table (markdown): rows = formats (then the mixed pairs), columns =
// the engine kinds; each cell "pass/runs configurations" and the refusals.
struct Tally {
  int pass = 0, fail = 0, refused = 0;
};
inline std::string coverage_table(const std::vector<Config>& cfgs,
                                  const std::vector<ConfigResult>& res, const std::string& kind) {
  std::vector<std::string> rows;
  std::map<std::string, std::map<std::string, Tally>> t;
  for (size_t i = 0; i < res.size(); ++i) {
    if (cfgs[i].kind != kind) continue;
    if (!t.count(cfgs[i].format)) rows.push_back(cfgs[i].format);
    Tally& x = t[cfgs[i].format][cfgs[i].column];
    if (res[i].refused)
      ++x.refused;
    else if (res[i].failure.empty())
      ++x.pass;
    else
      ++x.fail;
  }
  std::ostringstream s;
  s << "| " << kind << " |";
  for (const auto& e : engine_kinds())
    s << " " << e.label << " |";
  s << "\n|---|";
  for (size_t i = 0; i < engine_kinds().size(); ++i)
    s << "---|";
  s << "\n";
  for (const auto& r : rows) {
    s << "| " << r << " |";
    for (const auto& e : engine_kinds()) {
      auto it = t[r].find(e.label);
      if (it == t[r].end()) {
        s << " |";
        continue;
      }
      const Tally& x = it->second;
      std::string cell;
      if (x.pass) cell += std::to_string(x.pass) + " pass";
      if (x.fail) cell += (cell.empty() ? "" : ", ") + std::to_string(x.fail) + " FAIL";
      if (x.refused) cell += (cell.empty() ? "" : ", ") + std::to_string(x.refused) + " refused";
      s << " " << cell << " |";
    }
    s << "\n";
  }
  return s.str();
}

// The distinct refusal messages (the part after "FILE:LINE: "), with their counts.
inline std::string refusal_summary(const std::vector<ConfigResult>& res) {
  std::map<std::string, int> n;
  for (const auto& r : res)
    if (r.refused) {
      std::string m = r.refusal;
      const size_t yaml = m.find(".yaml:");
      if (yaml != std::string::npos) {
        const size_t colon = m.find(": ", yaml + 6);
        if (colon != std::string::npos) m = m.substr(colon + 2);
      }
      ++n[m];
    }
  std::ostringstream s;
  for (const auto& [m, k] : n)
    s << "- " << k << " x " << m << "\n";
  return s.str();
}

} // namespace tpe::sweep
