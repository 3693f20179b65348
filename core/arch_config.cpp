// Architecture-file parser. Algorithm: load the YAML document, walk each mapping
// against its declared parameter table (unknown key, wrong type and out-of-range
// values are errors at the key's own line), fill defaults for optional keys, then
// run the cross-key checks (engine/dataflow/pe/format registries) with the line of
// the offending key.
#include "core/arch_config.h"
#include "core/atomic_file.h"
#include "core/dram_preset.h"
#include "core/engine_info.h"
#include "core/error.h"
#include "core/text.h"
#include "pe_models/formats.h"
#include "pe_models/lmul.h"
#include "pe_models/pe.h"
#include "pe_models/pe_arith.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace tpe {

namespace {

// Operands: a format name, or a mapping {act: F1, weight: F2} (the `format` key).
enum class PType { Int, Float, String, Bool, Map, Operands };

struct Param {
  std::string key;
  PType type;
  bool required;
  std::string def; // default shown in docs ("" when required)
  double lo, hi;   // inclusive range for numbers
  std::string help;
  std::function<void(ArchConfig&, const YAML::Node&)> set; // null for Map
};

using Lines = std::map<std::string, int>;

struct Ctx {
  std::string file;
  Lines lines;                                          // key path -> line
  std::vector<std::pair<std::string, int>> engine = {}; // top-level engine keys given, lines
};

int line_of(const YAML::Node& n) {
  return n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

[[noreturn]] void fail(const Ctx& c, int line, const std::string& key, const std::string& msg) {
  throw InputError(c.file, line, key, msg);
}

const char* type_name(PType t) {
  switch (t) {
  case PType::Int:
    return "integer";
  case PType::Float:
    return "number";
  case PType::String:
    return "string";
  case PType::Bool:
    return "boolean";
  case PType::Map:
    return "mapping";
  case PType::Operands:
    return "string or mapping";
  }
  return "?";
}

int64_t as_int(const Ctx& c, const std::string& key, const YAML::Node& n) {
  const std::string s = n.Scalar();
  int64_t v = 0;
  if (!parse_int64(s, v)) fail(c, line_of(n), key, "expected an integer, got '" + s + "'");
  return v;
}

double as_float(const Ctx& c, const std::string& key, const YAML::Node& n) {
  const std::string s = n.Scalar();
  try {
    size_t pos = 0;
    double v = std::stod(s, &pos);
    if (pos != s.size() || !std::isfinite(v)) throw std::invalid_argument(s);
    return v;
  } catch (const std::exception&) {
    fail(c, line_of(n), key, "expected a number, got '" + s + "'");
  }
}

std::string fmt_num(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  return std::to_string(v);
}

const std::vector<Param>& top_params();
const std::vector<Param>& memory_params();
const std::vector<Param>& operand_params();

// The engine keys (EngineInfo::keys) any registered engine declares under `path`:
// the key itself, or the keys of the mapping `path` ("array" -> "array.rows", ...).
std::vector<EngineKey> declared_engine_keys(const std::string& path) {
  std::vector<EngineKey> v;
  std::set<std::string> seen;
  for (const auto& name : EngineRegistry::instance().names())
    for (const auto& k : EngineRegistry::instance().find(name)->keys)
      if ((k.key == path || k.key.rfind(path + ".", 0) == 0) && seen.insert(k.key).second)
        v.push_back(k);
  return v;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

void set_engine_key(Ctx& c, ArchConfig& a, const EngineKey& k, const YAML::Node& vn, int line) {
  const char* tname = k.type == EngineKey::Type::Int    ? "integer"
                      : k.type == EngineKey::Type::Bool ? "boolean (true or false)"
                                                        : "string";
  if (!vn.IsScalar() || (vn.Tag() == "?" && vn.Scalar() == "~") || vn.Scalar().empty())
    fail(c, line, k.key, std::string("expected a ") + tname);
  const std::string v = vn.Scalar();
  const bool word = std::find(k.choices.begin(), k.choices.end(), v) != k.choices.end();
  if (k.type == EngineKey::Type::Int && !word) {
    int64_t x = 0;
    if (!parse_int64(v, x))
      fail(c, line, k.key,
           "expected an integer" + (k.choices.empty() ? "" : " or " + join(k.choices)) + ", got '" +
               v + "'");
    if (x < k.lo || x > k.hi)
      fail(c, line, k.key,
           "value " + v + " out of range " + std::to_string(k.lo) + ".." + std::to_string(k.hi));
  } else if (k.type == EngineKey::Type::Bool && v != "true" && v != "false") {
    fail(c, line, k.key, "expected true or false, got '" + v + "'");
  } else if (k.type == EngineKey::Type::Choice && !word) {
    fail(c, line, k.key, "unknown value '" + v + "' (choose: " + join(k.choices) + ")");
  }
  a.engine_keys[k.key] = v;
  c.lines[k.key] = line;
}

// A top-level key no generic table declares: an engine key (or a mapping of them,
// `array`), checked here and refused later for engines that do not take it.
bool walk_engine_key(Ctx& c, ArchConfig& a, const std::string& key, const YAML::Node& vn,
                     int line) {
  const std::vector<EngineKey> ks = declared_engine_keys(key);
  if (ks.empty()) return false;
  c.lines[key] = line;
  c.engine.emplace_back(key, line);
  if (ks.size() == 1 && ks.front().key == key) {
    set_engine_key(c, a, ks.front(), vn, line);
    return true;
  }
  if (!vn.IsMap()) fail(c, line, key, "expected a mapping");
  std::set<std::string> seen;
  for (auto it = vn.begin(); it != vn.end(); ++it) {
    const std::string sub = it->first.IsScalar() ? it->first.Scalar() : "?";
    const std::string path = key + "." + sub;
    const int l = line_of(it->first);
    if (!seen.insert(sub).second) fail(c, l, path, "duplicate key");
    auto k = std::find_if(ks.begin(), ks.end(), [&](const EngineKey& e) { return e.key == path; });
    if (k == ks.end()) {
      std::string known;
      for (auto& e : ks)
        known += (known.empty() ? "" : ", ") + e.key.substr(key.size() + 1);
      fail(c, l, path, "unknown key (known keys: " + known + ")");
    }
    set_engine_key(c, a, *k, it->second, l);
  }
  return true;
}

void walk(Ctx& c, ArchConfig& a, const YAML::Node& map, const std::vector<Param>& params,
          const std::string& prefix) {
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node kn = it->first;
    const YAML::Node vn = it->second;
    const std::string key = kn.IsScalar() ? kn.Scalar() : "?";
    const std::string path = prefix + key;
    const int line = line_of(kn);
    if (!seen.insert(key).second) fail(c, line, path, "duplicate key");
    auto p =
        std::find_if(params.begin(), params.end(), [&](const Param& q) { return q.key == key; });
    if (p == params.end() && prefix.empty() && walk_engine_key(c, a, key, vn, line)) continue;
    if (p == params.end()) {
      std::string known;
      for (auto& q : params)
        known += (known.empty() ? "" : ", ") + q.key;
      fail(c, line, path, "unknown key (known keys: " + known + ")");
    }
    c.lines[path] = line;
    if (p->type == PType::Map) {
      if (!vn.IsMap()) fail(c, line, path, "expected a mapping");
      walk(c, a, vn, memory_params(), path + ".");
      continue;
    }
    if (p->type == PType::Operands && vn.IsMap()) {
      walk(c, a, vn, operand_params(), path + ".");
      continue;
    }
    if (!vn.IsScalar() || (vn.Tag() == "?" && vn.Scalar() == "~") || vn.Scalar().empty())
      fail(c, line, path, std::string("expected a ") + type_name(p->type));
    if (p->type == PType::Int) {
      int64_t v = as_int(c, path, vn);
      if (v < p->lo || v > p->hi)
        fail(c, line, path,
             "value " + std::to_string(v) + " out of range " + fmt_num(p->lo) + ".." +
                 fmt_num(p->hi));
    } else if (p->type == PType::Float) {
      double v = as_float(c, path, vn);
      if (v < p->lo || v > p->hi)
        fail(c, line, path,
             "value " + vn.Scalar() + " out of range " + fmt_num(p->lo) + ".." + fmt_num(p->hi));
    } else if (p->type == PType::Bool && vn.Scalar() != "true" && vn.Scalar() != "false") {
      fail(c, line, path, "expected true or false, got '" + vn.Scalar() + "'");
    }
    p->set(a, vn);
  }
  for (auto& p : params)
    if (p.required && !seen.count(p.key))
      fail(c, line_of(map), prefix + p.key, "required key is missing");
}

const std::vector<Param>& top_params() {
  static const std::vector<Param> p = {
      {"name", PType::String, true, "", 0, 0,
       "a name for this design (used in reports and module names)",
       [](ArchConfig& a, const YAML::Node& n) { a.name = n.Scalar(); }},
      {"engine", PType::String, true, "", 0, 0,
       "engine family: systolic, cube, adder_tree, matrix2d or lut_gemv",
       [](ArchConfig& a, const YAML::Node& n) { a.engine = n.Scalar(); }},
      {"rows", PType::Int, false, "per engine", 1, 256,
       "systolic, matrix2d: PE rows; cube: M rows of the A tile (1..256; required by "
       "those engines, not taken by adder_tree)",
       [](ArchConfig& a, const YAML::Node& n) { a.rows = std::stoi(n.Scalar()); }},
      {"cols", PType::Int, false, "per engine", 1, 256,
       "systolic, matrix2d: PE columns; cube: N columns of the B tile; adder_tree: "
       "number of trees (1..256; required by every engine)",
       [](ArchConfig& a, const YAML::Node& n) { a.cols = std::stoi(n.Scalar()); }},
      {"depth", PType::Int, false, "per engine", 1, 256,
       "cube: K, multipliers per dot product (1..64); adder_tree: tree width K (1..256); "
       "required by those engines, not taken by systolic and matrix2d",
       [](ArchConfig& a, const YAML::Node& n) { a.depth = std::stoi(n.Scalar()); }},
      {"dataflow", PType::String, false, "per engine", 0, 0,
       "systolic: os (output stationary), ws (weight stationary) or is (input "
       "stationary), required; cube and matrix2d: os; adder_tree: ws (optional, the only "
       "choice)",
       [](ArchConfig& a, const YAML::Node& n) { a.dataflow = n.Scalar(); }},
      {"pe", PType::String, false, "mac", 0, 0,
       "PE microarchitecture: mac (any element format), lmul (L-Mul: fp8_e4m3, fp8_e5m2, "
       "bf16, fp16), or an integer PE (array, booth, ent, opt1, ...)",
       [](ArchConfig& a, const YAML::Node& n) { a.pe = n.Scalar(); }},
      {"format", PType::Operands, false, "int8", 0, 0,
       "operand format of both operands (int2..int16, fp16, bf16, fp8_e4m3, fp8_e5m2, "
       "hif8, fp6_e3m2, fp6_e2m3, fp4_e2m1), or a mapping {act: F1, weight: F2} that sets "
       "A (activations) and B (weights) apart (PE mac: of any two widths, int8 x int4, "
       "fp8_e4m3 x mxfp4 ...)",
       [](ArchConfig& a, const YAML::Node& n) { a.format = n.Scalar(); }},
      {"accumulate", PType::String, false, "int / fp32", 0, 0,
       "accumulator: int (two's complement, acc_bits wide, wraps modulo 2^acc_bits; "
       "integer formats only, their default), fp32, fp16, bf16 (round to nearest even "
       "after every add; fp32 is the default when an operand is a float format) or fixed "
       "(exact, wide two's complement; PE mac)",
       [](ArchConfig& a, const YAML::Node& n) { a.accumulate = n.Scalar(); }},
      {"acc_bits", PType::Int, false, "32", 2, 64,
       "accumulator width of accumulate: int; results wrap modulo 2^acc_bits (two's "
       "complement); derived for the other accumulators (fp32 32, fp16/bf16 16, fixed "
       "its width + 3), which take no acc_bits",
       [](ArchConfig& a, const YAML::Node& n) { a.acc_bits = std::stoi(n.Scalar()); }},
      {"lmul_offset", PType::String, false, "paper", 0, 0,
       "PE lmul only: the L-Mul offset, paper (2^-l(m)), const4 (2^-4, the FP32 "
       "kernel's constant) or none",
       [](ArchConfig& a, const YAML::Node& n) { a.lmul_offset = n.Scalar(); }},
      {"clock_mhz", PType::Float, false, "500", 1e-3, 1e5,
       "clock frequency in MHz (for time and bandwidth)",
       [](ArchConfig& a, const YAML::Node& n) { a.clock_mhz = std::stod(n.Scalar()); }},
      {"memory", PType::Map, false, "", 0, 0, "on-chip SRAMs and DRAM bandwidth (see memory.*)",
       nullptr},
  };
  return p;
}

const std::vector<Param>& memory_params() {
  static const std::vector<Param> p = {
      {"model", PType::String, false, "ideal", 0, 0,
       "memory timing model: ideal (every operand word is ready when the engine asks) or "
       "dram (tiles of A, B and C through the three buffers from a DRAM of `memory.dram`: "
       "stall cycles, DRAM bytes and buffer occupancy per layer; docs/memory-model.md)",
       [](ArchConfig& a, const YAML::Node& n) { a.memory.model = n.Scalar(); }},
      {"dram", PType::String, false, "none", 0, 0,
       "model dram only, and then required: a DRAM preset (ddr4_3200_x64, lpddr5_6400_x16, "
       "hbm2_stack; bandwidth, burst, latency and pJ/bit with their sources in "
       "docs/memory-model.md) or custom (then dram_bytes_per_cycle, dram_latency_ns, "
       "dram_burst_bytes and dram_pj_per_bit are required)",
       [](ArchConfig& a, const YAML::Node& n) { a.memory.dram = n.Scalar(); }},
      {"dram_latency_ns", PType::Float, false, "preset", 0, 1e6,
       "dram custom only: read latency of a tile's first burst, ns",
       [](ArchConfig& a, const YAML::Node& n) {
         a.memory.dram_latency_ns = std::stod(n.Scalar());
       }},
      {"dram_burst_bytes", PType::Int, false, "preset", 1, 1 << 20,
       "dram custom only: bytes of one DRAM burst (transfers are whole bursts)",
       [](ArchConfig& a, const YAML::Node& n) {
         a.memory.dram_burst_bytes = std::stoll(n.Scalar());
       }},
      {"dram_pj_per_bit", PType::Float, false, "preset", 0, 1e6,
       "dram custom only: DRAM energy per transferred bit, pJ",
       [](ArchConfig& a, const YAML::Node& n) {
         a.memory.dram_pj_per_bit = std::stod(n.Scalar());
       }},
      {"double_buffer", PType::Bool, false, "true", 0, 0,
       "model dram: each buffer holds two tiles, the next one loading while the engine "
       "computes on the other (false: one tile, loads and compute alternate)",
       [](ArchConfig& a, const YAML::Node& n) { a.memory.double_buffer = n.Scalar() == "true"; }},
      {"ifmap_sram_kb", PType::Int, false, "64", 1, 1 << 20, "input-activation SRAM size in KiB",
       [](ArchConfig& a, const YAML::Node& n) { a.memory.ifmap_sram_kb = std::stoll(n.Scalar()); }},
      {"filter_sram_kb", PType::Int, false, "64", 1, 1 << 20, "weight SRAM size in KiB",
       [](ArchConfig& a, const YAML::Node& n) {
         a.memory.filter_sram_kb = std::stoll(n.Scalar());
       }},
      {"ofmap_sram_kb", PType::Int, false, "64", 1, 1 << 20,
       "output / accumulator SRAM size in KiB",
       [](ArchConfig& a, const YAML::Node& n) { a.memory.ofmap_sram_kb = std::stoll(n.Scalar()); }},
      {"dram_bytes_per_cycle", PType::Float, false, "16", 1e-6, 1e6,
       "DRAM bandwidth in bytes per clock cycle: model ideal, `tpe sim --compat scalesim`'s; "
       "model dram, `dram: custom` only (required there; a preset sets it from its GB/s and "
       "clock_mhz)",
       [](ArchConfig& a, const YAML::Node& n) {
         a.memory.dram_bytes_per_cycle = std::stod(n.Scalar());
       }},
  };
  return p;
}

const std::vector<Param>& operand_params() {
  static const std::vector<Param> p = {
      {"act", PType::String, true, "", 0, 0, "format of A, the activations (M x K)",
       [](ArchConfig& a, const YAML::Node& n) { a.act_format = n.Scalar(); }},
      {"weight", PType::String, true, "", 0, 0, "format of B, the weights (K x N)",
       [](ArchConfig& a, const YAML::Node& n) { a.weight_format = n.Scalar(); }},
  };
  return p;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

const EngineInfo* engine_of(const ArchConfig& a, const std::string& file, int line) {
  const EngineInfo* e = EngineRegistry::instance().find(a.engine);
  if (!e)
    throw InputError(file, line, "engine",
                     "unknown engine '" + a.engine +
                         "' (implemented: " + EngineRegistry::instance().joined_names() + ")");
  return e;
}

// The engine's dimension keys: each required one must be given, the others take
// their neutral value (rows 1, depth 1) and may not be given; a single-dataflow
// engine's dataflow is implied.
void engine_defaults(ArchConfig& a, const Ctx& c, int map_line) {
  const auto line = [&](const std::string& k) {
    auto it = c.lines.find(k);
    return it == c.lines.end() ? map_line : it->second;
  };
  const EngineInfo* e = engine_of(a, c.file, line("engine"));
  for (const char* k : {"rows", "cols", "depth"}) {
    const bool given = c.lines.count(k) != 0, needed = contains(e->dims, k);
    if (needed && !given)
      fail(c, line("engine"), k,
           "engine '" + a.engine + "' needs key '" + k + "' (" + e->dims_help + ")");
    if (!needed && given)
      fail(c, line(k), k,
           "engine '" + a.engine + "' takes no key '" + k + "' (" + e->dims_help + ")");
  }
  if (!contains(e->dims, "rows")) a.rows = 1;
  if (!contains(e->dims, "cols")) a.cols = 1;
  if (!contains(e->dims, "depth")) a.depth = 1;
  for (const auto& [key, l] : c.engine) {
    const std::string& given_key = key; // a structured binding cannot be captured in C++17
    const bool takes = std::any_of(e->keys.begin(), e->keys.end(), [&](const EngineKey& k) {
      return k.key == given_key || k.key.rfind(given_key + ".", 0) == 0;
    });
    if (!takes) {
      std::string owners;
      for (const auto& name : EngineRegistry::instance().names())
        for (const auto& k : EngineRegistry::instance().find(name)->keys)
          if ((k.key == key || k.key.rfind(key + ".", 0) == 0) &&
              owners.find("'" + name + "'") == std::string::npos)
            owners += (owners.empty() ? "'" : ", '") + name + "'";
      fail(c, l, key,
           "engine '" + a.engine + "' takes no key '" + key + "' (a key of engine " + owners + ")");
    }
  }
  for (const char* k : {"pe", "lmul_offset"})
    if (!e->has_pe && c.lines.count(k))
      fail(c, line(k), k, "engine '" + a.engine + "' has no PE; remove the key");
  if (!c.lines.count("dataflow")) {
    if (e->dataflows.size() != 1)
      fail(c, line("engine"), "dataflow",
           "engine '" + a.engine + "' needs key 'dataflow' (choose: " + join(e->dataflows) + ")");
    a.dataflow = e->dataflows.front();
  }
}

// Every accumulator the architecture file names (issue 13); each PE says which
// of them it implements.
const std::vector<std::string> kAccumulators = {"int", "fp32", "fp16", "bf16", "fixed"};

// The memory keys (docs/memory-model.md): model ideal takes none of the dram keys;
// model dram needs `dram`, a preset (whose figures may not be given again) or custom
// (whose four figures must all be given). `given(key)`: the file gave memory.key.
template <typename Bad, typename Given>
void check_memory(const ArchConfig& a, const EngineInfo& e, Bad bad, Given given) {
  const MemoryConfig& m = a.memory;
  const char* custom_keys[] = {"dram_bytes_per_cycle", "dram_latency_ns", "dram_burst_bytes",
                               "dram_pj_per_bit"};
  if (m.model != "ideal" && m.model != "dram")
    bad("memory.model", "unknown memory model '" + m.model + "' (choose: ideal, dram)");
  if (m.ifmap_sram_kb < 1 || m.filter_sram_kb < 1 || m.ofmap_sram_kb < 1)
    bad("memory", "SRAM sizes must be at least 1 KiB");
  if (!(m.dram_bytes_per_cycle > 0)) bad("memory.dram_bytes_per_cycle", "must be positive");
  if (m.model == "ideal") {
    for (const char* k :
         {"dram", "dram_latency_ns", "dram_burst_bytes", "dram_pj_per_bit", "double_buffer"})
      if (given(k))
        bad(std::string("memory.") + k, "is a key of memory.model dram (the model is ideal)");
    return;
  }
  if (!e.has_pe)
    bad("memory.model", "memory model 'dram' is not implemented for engine '" + a.engine +
                            "' (its operands live in its SRAM-PIM arrays); use ideal");
  if (m.dram.empty())
    bad("memory.model", "model dram needs memory.dram: a preset (" +
                            DramPresetRegistry::instance().joined_names() + ") or custom");
  if (m.dram == "custom") {
    for (const char* k : custom_keys)
      if (!given(k)) bad("memory.dram", std::string("custom needs memory.") + k);
    if (!(m.dram_pj_per_bit >= 0)) bad("memory.dram_pj_per_bit", "must not be negative");
    return;
  }
  if (!DramPresetRegistry::instance().find(m.dram))
    bad("memory.dram", "unknown DRAM preset '" + m.dram + "' (choose: " +
                           DramPresetRegistry::instance().joined_names() + ", custom)");
  for (const char* k : custom_keys)
    if (given(k))
      bad(std::string("memory.") + k,
          "is set by the preset '" + m.dram + "' (use dram: custom to give it)");
}

// Bits of the exact sum of n products of two formats: group_sum_spec's width
// (pe_models/pe_arith.h), computed without its 128-bit cap so that a message can
// name it.
int exact_sum_bits(const NumberFormat& a, const NumberFormat& b, int n) {
  int lsb = 0, top = 0, g = 0;
  format_product_range(a, b, lsb, top);
  while ((1 << g) < n)
    ++g;
  return top - lsb + 1 + g;
}

// Block-scaled operands (docs/formats-engines.md "Block-scaled operands"): every
// engine (systolic os/ws/is, cube, matrix2d, adder_tree) with pe mac and an
// fp32/fp16/bf16 accumulator; one block size, a whole number of groups (cube,
// matrix2d) or trees' K-tiles per block; the exact block sum within
// kExactSumMaxWidth bits.
template <typename Bad>
void check_block_formats(const ArchConfig& a, const std::string& act_key,
                         const std::string& weight_key, Bad bad) {
  const NumberFormat& an = lookup_number_format(a.act());
  const NumberFormat& wn = lookup_number_format(a.weight());
  if (!an.is_block() && !wn.is_block()) return;
  const std::string& key = an.is_block() ? act_key : weight_key;
  const std::string& f = an.is_block() ? a.act() : a.weight();
  if (an.is_block() && wn.is_block() && an.block.size != wn.block.size)
    bad(weight_key, "block formats of act and weight must share the block size (got act " +
                        a.act() + ", blocks of " + std::to_string(an.block.size) + ", weight " +
                        a.weight() + ", blocks of " + std::to_string(wn.block.size) + ")");
  const bool grid = a.engine == "cube" || a.engine == "matrix2d" || a.engine == "adder_tree";
  if (a.accumulate != "fp32" && a.accumulate != "fp16" && a.accumulate != "bf16")
    bad("accumulate", "block-scaled format '" + f + "' takes accumulate fp32, fp16 or bf16 (got '" +
                          a.accumulate + "')");
  const int block = an.is_block() ? an.block.size : wn.block.size;
  if (grid && block % a.depth != 0)
    bad("depth", "a group of " + std::to_string(a.depth) + " lanes must lie inside one block of " +
                     std::to_string(block) + " " + f + " elements (block % depth == 0)");
  const int width = exact_sum_bits(an, wn, block);
  if (width > kExactSumMaxWidth)
    bad(key, "the exact block sum of " + std::to_string(block) + " " + a.act() + " x " +
                 a.weight() + " products needs " + std::to_string(width) + " bits (the limit is " +
                 std::to_string(kExactSumMaxWidth) + ")");
}

void cross_check(const ArchConfig& a, const std::string& file, const Lines& lines) {
  auto line = [&](const std::string& k) {
    auto it = lines.find(k);
    return it == lines.end() ? 0 : it->second;
  };
  auto bad = [&](const std::string& k, const std::string& msg) {
    throw InputError(file, line(k), k, msg);
  };
  if (a.name.empty()) bad("name", "must not be empty");
  for (char ch : a.name)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.'))
      bad("name", "'" + a.name + "' may hold only letters, digits, '_', '-' and '.'");
  const EngineInfo* e = engine_of(a, file, line(std::string("engine")));
  if (a.rows < 1 || a.rows > 256) bad("rows", "must be 1..256");
  if (a.cols < 1 || a.cols > 256) bad("cols", "must be 1..256");
  if (!contains(e->dims, "cols") && a.cols != 1)
    bad("cols", "engine '" + a.engine + "' takes no key 'cols' (" + e->dims_help + ")");
  if (!contains(e->dims, "rows") && a.rows != 1)
    bad("rows", "engine '" + a.engine + "' takes no key 'rows' (" + e->dims_help + ")");
  if (a.depth < 1 || a.depth > e->max_depth)
    bad("depth",
        e->max_depth == 1
            ? "engine '" + a.engine + "' takes no key 'depth' (" + e->dims_help + ")"
            : "must be 1.." + std::to_string(e->max_depth) + " on engine '" + a.engine + "'");
  if (!contains(e->dataflows, a.dataflow))
    bad("dataflow", "engine '" + a.engine + "' has no dataflow '" + a.dataflow +
                        "' (choose: " + join(e->dataflows) + ")");
  // the key of each operand's format: format.act / format.weight when the mapping
  // form was given, format otherwise
  const bool split = !a.act_format.empty() || !a.weight_format.empty();
  const std::string act_key = split ? "format.act" : "format";
  const std::string weight_key = split ? "format.weight" : "format";
  for (const auto& entry : a.engine_keys) {
    const std::string& key = entry.first;
    if (!std::any_of(e->keys.begin(), e->keys.end(),
                     [&](const EngineKey& k) { return k.key == key; }))
      bad(key, "engine '" + a.engine + "' takes no key '" + key + "'");
  }
  if (!e->has_pe) {
    for (const auto& [key, f] : {std::pair{act_key, a.act()}, std::pair{weight_key, a.weight()}})
      if (!FormatRegistry::instance().find(f))
        bad(key, "unknown format '" + f +
                     "' (implemented: " + FormatRegistry::instance().joined_names() + ")");
    if (!contains(kAccumulators, a.accumulate))
      bad("accumulate",
          "unknown accumulator '" + a.accumulate + "' (choose: " + join(kAccumulators) + ")");
    if (e->check) e->check(a, bad);
    if (a.acc_bits < 2 || a.acc_bits > 64) bad("acc_bits", "must be 2..64");
    if (!(a.clock_mhz > 0)) bad("clock_mhz", "must be positive");
    check_memory(a, *e, bad, [&](const char* k) {
      const std::string key = std::string("memory.") + k;
      return line(key) > 0 || a.key_lines.count(key) > 0;
    });
    return;
  }
  for (const auto& [key, f] : {std::pair{act_key, a.act()}, std::pair{weight_key, a.weight()}}) {
    if (f == "nf4")
      bad(key, "nf4 is a weight storage format dequantized by table lookup (bitsandbytes "
               "dequantizes it to bf16 before the GEMM), not a GEMM engine operand; quantize "
               "with `tpe quantize --format nf4` and run the engine on bf16");
    if (!FormatRegistry::instance().find(f))
      bad(key, "unknown format '" + f +
                   "' (implemented: " + FormatRegistry::instance().joined_names() + ")");
  }
  const PeInfo* pe = PeRegistry::instance().find(a.pe);
  if (!pe)
    bad("pe",
        "unknown PE '" + a.pe + "' (implemented: " + PeRegistry::instance().joined_names() + ")");
  for (const auto& [key, f] : {std::pair{act_key, a.act()}, std::pair{weight_key, a.weight()}})
    if (!contains(pe->formats, f))
      bad(key, "PE '" + a.pe + "' does not support format '" + f +
                   "' (supports: " + join(pe->formats) + ")");
  if (a.act() != a.weight() && !pe->mixed_formats)
    bad(weight_key, "PE '" + a.pe + "' takes act and weight in one format (got act " + a.act() +
                        ", weight " + a.weight() + ")");
  check_block_formats(a, act_key, weight_key, bad);
  if (!contains(kAccumulators, a.accumulate))
    bad("accumulate",
        "unknown accumulator '" + a.accumulate + "' (choose: " + join(kAccumulators) + ")");
  if (!contains(pe->accumulators, a.accumulate))
    bad("accumulate", "PE '" + a.pe + "' does not implement accumulator '" + a.accumulate +
                          "' (implements: " + join(pe->accumulators) + ")");
  const bool int_ops = is_integer_format(a.act()) && is_integer_format(a.weight());
  if (a.accumulate == "int" && !int_ops)
    bad("accumulate", "accumulator 'int' takes integer formats only (got act " + a.act() +
                          ", weight " + a.weight() + "); choose fp32, fp16, bf16 or fixed");
  if (a.accumulate != "int") {
    int want = 0;
    try {
      want = accumulator_bits(a);
    } catch (const std::invalid_argument& e) {
      bad("accumulate", "the fixed accumulator of " + a.act() + " x " + a.weight() + ": " +
                            e.what() + "; choose fp32, fp16 or bf16");
    }
    if (want > 64)
      bad("accumulate", "the fixed accumulator of " + a.act() + " x " + a.weight() + " needs " +
                            std::to_string(want) + " bits of state (more than 64)");
    if (line("acc_bits"))
      bad("acc_bits", "is derived from accumulate '" + a.accumulate + "' (" + std::to_string(want) +
                          " bits); remove the key");
    if (a.acc_bits != want)
      bad("acc_bits", "must be " + std::to_string(want) + " for accumulate '" + a.accumulate + "'");
    if (a.depth > 1 && pe->lmul)
      bad("depth", "PE 'lmul' takes depth 1 only so far (got " + std::to_string(a.depth) + ")");
    if (a.depth > 1) {
      const int w =
          exact_sum_bits(lookup_number_format(a.act()), lookup_number_format(a.weight()), a.depth);
      if (w > kExactSumMaxWidth)
        bad("depth", "the exact sum of " + std::to_string(a.depth) + " " + a.act() + " x " +
                         a.weight() + " products needs " + std::to_string(w) +
                         " bits (the limit is " + std::to_string(kExactSumMaxWidth) +
                         "; a Kulisch-style register that wide is not built, see "
                         "docs/formats-engines.md): engine '" +
                         a.engine + "' takes " + a.act() +
                         (a.act() == a.weight() ? "" : " x " + a.weight()) + " with depth 1 only");
    }
  }
  if (a.lmul_offset != "paper" && !pe->lmul)
    bad("lmul_offset", "only PE 'lmul' takes this key (pe is '" + a.pe + "')");
  if (a.lmul_offset != "paper" && a.lmul_offset != "const4" && a.lmul_offset != "none")
    bad("lmul_offset",
        "unknown L-Mul offset '" + a.lmul_offset + "' (choose: paper, const4, none)");
  if (!e->pes.empty() && !contains(e->pes, a.pe))
    bad("pe", "engine '" + a.engine + "' has no PE '" + a.pe + "' (choose: " + join(e->pes) + ")");
  if (a.engine == "systolic" && !contains(pe->dataflows, a.dataflow))
    bad("dataflow", "PE '" + a.pe + "' does not support dataflow '" + a.dataflow + "'");
  if (a.acc_bits < 2 || a.acc_bits > 64) bad("acc_bits", "must be 2..64");
  if (pe->acc_wider_than_operands && a.acc_bits <= std::max(a.west_bits(), a.north_bits()))
    bad("acc_bits", "PE '" + a.pe + "' needs an accumulator wider than its " +
                        std::to_string(std::max(a.west_bits(), a.north_bits())) + "-bit operands");
  if (!(a.clock_mhz > 0)) bad("clock_mhz", "must be positive");
  check_memory(a, *e, bad, [&](const char* k) {
    const std::string key = std::string("memory.") + k;
    return line(key) > 0 || a.key_lines.count(key) > 0;
  });
}

ArchConfig parse_node(const YAML::Node& root, const std::string& file) {
  Ctx c{file, {}};
  if (!root.IsDefined() || root.IsNull())
    fail(c, 1, "", "the architecture file is empty (expected a mapping)");
  if (!root.IsMap()) fail(c, line_of(root), "", "expected a mapping of keys at the top level");
  ArchConfig a;
  a.source = file;
  walk(c, a, root, top_params(), "");
  engine_defaults(a, c, line_of(root));
  if (c.lines.count("lmul_offset") && a.lmul_offset == "paper") {
    const PeInfo* pe = PeRegistry::instance().find(a.pe);
    if (pe && !pe->lmul)
      fail(c, c.lines["lmul_offset"], "lmul_offset",
           "only PE 'lmul' takes this key (pe is '" + a.pe + "')");
  }
  // the default accumulator: int for integer formats, fp32 when an operand is a float
  if (!c.lines.count("accumulate") && FormatRegistry::instance().find(a.act()) &&
      FormatRegistry::instance().find(a.weight()) &&
      !(is_integer_format(a.act()) && is_integer_format(a.weight())))
    a.accumulate = "fp32";
  if (a.accumulate != "int" && !c.lines.count("acc_bits")) try {
      a.acc_bits = accumulator_bits(a);
    } catch (const std::exception&) {
      // an impossible combination: cross_check names it
    }
  cross_check(a, file, c.lines);
  a.key_lines = c.lines;
  // one format for both operands, however it was written: the shorthand
  if (a.act() == a.weight()) {
    a.format = a.act();
    a.act_format.clear();
    a.weight_format.clear();
  }
  return a;
}

ArchConfig parse_guarded(const std::function<YAML::Node()>& load, const std::string& file) {
  YAML::Node root;
  try {
    root = load();
  } catch (const YAML::BadFile&) {
    throw InputError(file, 0, "", "cannot open the architecture file");
  } catch (const YAML::ParserException& e) {
    throw InputError(file, e.mark.line + 1, "", "YAML syntax error: " + e.msg);
  }
  return parse_node(root, file);
}

} // namespace

bool is_integer_format(const std::string& name) {
  const FormatInfo* f = FormatRegistry::instance().find(name);
  return f && f->is_integer;
}

int accumulator_bits(const ArchConfig& a) {
  if (a.accumulate == "fp32") return 32;
  if (a.accumulate == "fp16" || a.accumulate == "bf16") return 16;
  if (a.accumulate == "fixed")
    return fixed_accumulator_spec(lookup_number_format(a.act()), lookup_number_format(a.weight()))
               .width +
           3;
  return 0;
}

int ArchConfig::operand_bits() const {
  // the number-format library knows every format (the engines' FormatRegistry a subset)
  const int bits = lookup_number_format(act()).bits;
  if (lookup_number_format(weight()).bits != bits)
    throw std::logic_error("operand_bits(): act and weight formats differ in width");
  return bits;
}

int ArchConfig::west_bits() const {
  return lookup_number_format(west_format()).bits;
}

int ArchConfig::north_bits() const {
  return lookup_number_format(north_format()).bits;
}

std::string DesignFields::shape() const {
  const EngineInfo* e = EngineRegistry::instance().find(engine);
  if (e && e->shape) {
    ArchConfig a;
    static_cast<DesignFields&>(a) = *this;
    return e->shape(a);
  }
  const std::string rc = std::to_string(rows) + "x" + std::to_string(cols);
  if (engine == "cube") return rc + "x" + std::to_string(depth);
  if (engine == "adder_tree") return std::to_string(cols) + " trees x " + std::to_string(depth);
  return rc;
}

std::string engine_key(const DesignFields& a, const std::string& key) {
  auto it = a.engine_keys.find(key);
  if (it != a.engine_keys.end()) return it->second;
  if (const EngineInfo* e = EngineRegistry::instance().find(a.engine))
    for (const auto& k : e->keys)
      if (k.key == key) return k.def;
  throw std::logic_error("engine '" + a.engine + "' declares no key '" + key + "'");
}

int64_t engine_key_int(const DesignFields& a, const std::string& key) {
  int64_t v = 0;
  if (!parse_int64(engine_key(a, key), v))
    throw std::logic_error("engine key '" + key + "' is not an integer");
  return v;
}

bool engine_key_bool(const DesignFields& a, const std::string& key) {
  const std::string v = engine_key(a, key);
  if (v != "true" && v != "false")
    throw std::logic_error("engine key '" + key + "' is not a boolean");
  return v == "true";
}

void require_rtl(const ArchConfig& a, const std::string& command) {
  const EngineInfo* e = EngineRegistry::instance().find(a.engine);
  if (!e) return;
  const std::string file = a.source.empty() ? "<config>" : a.source;
  auto line = [&](const std::string& key) { return a.line_of(key) ? a.line_of(key) : 1; };
  const auto& cmds = e->rtl_commands;
  if (std::find(cmds.begin(), cmds.end(), command) == cmds.end()) {
    std::string have;
    for (const auto& c : cmds)
      have += (have.empty() ? "`tpe " : ", `tpe ") + c + "`";
    throw InputError(file, line("engine"), "engine",
                     "engine '" + a.engine + "' has no `tpe " + command + "` flow yet (" +
                         (have.empty() ? "no generated Verilog; " : "it has " + have + "; ") +
                         "`tpe sim` and `tpe gemm` run its model)");
  }
  const std::string gap = e->rtl_gap ? e->rtl_gap(a) : "";
  if (gap.empty()) return;
  const size_t colon = gap.find(": ");
  const std::string key = colon == std::string::npos ? "" : gap.substr(0, colon);
  throw InputError(file, line(key), key,
                   (colon == std::string::npos ? gap : gap.substr(colon + 2)) + " (`tpe " +
                       command + "` needs the generated Verilog; `tpe sim` runs the model)");
}

ArchConfig parse_arch_file(const std::string& path) {
  return parse_guarded([&] { return YAML::Load(read_file(path, "the architecture file")); }, path);
}

ArchConfig parse_arch_text(const std::string& text, const std::string& source) {
  return parse_guarded([&] { return YAML::Load(text); }, source);
}

void validate_arch(const ArchConfig& a) {
  cross_check(a, a.source.empty() ? "<config>" : a.source, {});
}

std::vector<ParamDoc> arch_param_docs() {
  std::vector<ParamDoc> d;
  for (auto& p : top_params())
    if (p.type != PType::Map)
      d.push_back({p.key, type_name(p.type), p.required ? "required" : p.def, p.help});
  for (auto& p : operand_params())
    d.push_back({"format." + p.key, type_name(p.type), "`format`", p.help});
  for (auto& p : memory_params())
    d.push_back({"memory." + p.key, type_name(p.type), p.required ? "required" : p.def, p.help});
  for (const auto& name : EngineRegistry::instance().names())
    for (const auto& k : EngineRegistry::instance().find(name)->keys)
      d.push_back({k.key,
                   k.type == EngineKey::Type::Int    ? "integer"
                   : k.type == EngineKey::Type::Bool ? "boolean"
                                                     : "string",
                   k.def, "engine " + name + " only: " + k.help});
  return d;
}

} // namespace tpe
