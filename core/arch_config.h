// The architecture file: one YAML document parsed once into ArchConfig. Every key
// is declared in a parameter table (type, required or default, range, help), so
// the parser, the error messages and `tpe params` share one source of truth.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tpe {

struct MemoryConfig {
  std::string model = "ideal";
  int64_t ifmap_sram_kb = 64;
  int64_t filter_sram_kb = 64;
  int64_t ofmap_sram_kb = 64;
  double dram_bytes_per_cycle = 16.0;
  // memory.model dram (docs/memory-model.md): a DRAM preset (core/dram_preset.h) or
  // "custom" with the three figures below given (empty: not given)
  std::string dram;
  double dram_latency_ns = 0;   // custom only
  int64_t dram_burst_bytes = 0; // custom only
  double dram_pj_per_bit = 0;   // custom only
  bool double_buffer = true;
  // SCALE-Sim's [run_presets] InterfaceBandwidth ("USER" or "CALC") when the
  // architecture came from a SCALE-Sim .cfg, else empty; read by `tpe sim --compat
  // scalesim` only (dataflows/scalesim_v2.h)
  std::string scalesim_interface_bandwidth;
  // the keys a SCALE-Sim .cfg gave (lower case), else empty
  std::set<std::string> scalesim_keys;
};

// The fields that fix a design's hardware: engine, dimensions, dataflow, PE, number
// format and accumulator. An architecture file holds them with its clock and
// memories; an energy calibration (reports/energy_model.h) holds the ones it was
// fitted on and is valid for that design only.
struct DesignFields {
  std::string engine;
  int rows = 0;  // systolic, matrix2d: PE rows; cube: M; adder_tree: 1
  int cols = 0;  // systolic, matrix2d: PE columns; cube: N; adder_tree: trees (N)
  int depth = 1; // cube: K multipliers per dot product; adder_tree: tree width K; else 1
  std::string dataflow;
  std::string pe = "mac";
  // Operand formats. `format` is the shorthand for both operands; act_format and
  // weight_format, when not empty, set the GEMM operands apart: act is A (M x K,
  // the ifmap), weight is B (K x N, the filter), on every engine and dataflow
  // (README "Architecture file" says which array edge carries each).
  std::string format = "int8";
  std::string act_format, weight_format;
  // The accumulator: int (two's complement, acc_bits wide, wraps), or fp32, fp16,
  // bf16, fixed (PEs mac and lmul; docs/formats-engines.md). The parser's default
  // is int for integer operand formats and fp32 when an operand is a float format.
  std::string accumulate = "int";
  // int: the accumulator width; other accumulators: derived by the parser
  // (accumulator_bits), the user may not give it
  int acc_bits = 32;
  // PE lmul: the L-Mul offset (pe_models/lmul.h): paper, const4 or none
  std::string lmul_offset = "paper";
  // The keys only this engine takes (EngineInfo::keys, core/engine_info.h), path ->
  // YAML text ("group" -> "4", "array.ports" -> "1rw1r"): the keys the file gave
  // (engine_key() gives the default of the others).
  std::map<std::string, std::string> engine_keys;

  // the dimensions as text: "16x16", "8x8x4" (cube), "16 trees x 16" (adder_tree)
  std::string shape() const;
};

struct ArchConfig : DesignFields {
  std::string name;
  double clock_mhz = 500.0;
  MemoryConfig memory;
  std::string source; // file the config came from ("<string>" when parsed from text)
  // the line of every key the file gave, by path ("table", "array.rows", "memory.ifmap_sram_kb")
  std::map<std::string, int> key_lines;
  // The line of `key` in the file, 0 when the file did not give it (InputError omits it).
  int line_of(const std::string& key) const {
    const auto it = key_lines.find(key);
    return it == key_lines.end() ? 0 : it->second;
  }

  // Code width of both operands; throws std::logic_error when act and weight differ
  // in width (callers that take mixed widths use west_bits() / north_bits()).
  int operand_bits() const;
  const std::string& act() const { return act_format.empty() ? format : act_format; }
  const std::string& weight() const { return weight_format.empty() ? format : weight_format; }
  // The operand at each array edge: B (weights) enters at the west edge in the
  // systolic `is` dataflow, A (activations) everywhere else (README "Which operand is
  // which"). The widths are the element code widths of those formats, in bits.
  bool west_is_weight() const { return engine == "systolic" && dataflow == "is"; }
  const std::string& west_format() const { return west_is_weight() ? weight() : act(); }
  const std::string& north_format() const { return west_is_weight() ? act() : weight(); }
  int west_bits() const;
  int north_bits() const;
  // multipliers of the engine: rows * cols * depth (peak MACs per cycle of a
  // fixed-latency PE)
  int64_t multipliers() const { return int64_t(rows) * cols * depth; }
};

// The accumulator word width of a non-int accumulator: fp32 32, fp16/bf16 16, fixed
// the fixed accumulator's value width + 3 (pe_models/pe_arith.h); 0 for int.
// Throws InputError-free std::invalid_argument when the fixed state exceeds 64 bits.
int accumulator_bits(const ArchConfig& a);
// True when the format is one of the engines' integer formats.
bool is_integer_format(const std::string& name);

// An engine key's value (DesignFields::engine_keys, else the engine's default).
// Throws std::logic_error for a key the design's engine does not declare, or an
// Int/Bool key whose text is not one (the parser has refused those already).
std::string engine_key(const DesignFields& a, const std::string& key);
int64_t engine_key_int(const DesignFields& a, const std::string& key);
bool engine_key_bool(const DesignFields& a, const std::string& key);
// The commands that run the generated Verilog (all_rtl_commands(), core/engine_info.h)
// call this first. Throws InputError when the design's engine has no flow for
// `command` (EngineInfo::rtl_commands): "FILE:LINE: engine: engine 'X' has no `tpe
// COMMAND` flow yet (...)", at the line of `engine`; or when its generator does not
// cover the design (EngineInfo::rtl_gap): "FILE:LINE: KEY: PROBLEM", at that key's
// line (the file's first line when the key took its default).
void require_rtl(const ArchConfig& a, const std::string& command);

struct ParamDoc {
  std::string key, type, default_value, help;
};

// Parse and validate. Throws InputError("FILE:LINE: key.path: problem").
ArchConfig parse_arch_file(const std::string& path);
ArchConfig parse_arch_text(const std::string& text, const std::string& source = "<string>");
// Cross-key checks (engine, dataflow, pe and format agree); also run by the parsers.
void validate_arch(const ArchConfig& a);
// Every key of the architecture file with its type, default and help (for docs and --help).
std::vector<ParamDoc> arch_param_docs();

} // namespace tpe
