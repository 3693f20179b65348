// Mutation testing of the checker (`tpe mutate`): small faults are made in the
// generated Verilog of each design, every mutant goes through the checker
// (verify_systolic on the mutated text), and every mutant the checker passes is
// handed to yosys, which must prove it equivalent to the original or it is an
// escape. Entry point: run_mutation(); the help text is kMutateHelp.
#pragma once
#include "core/arch_config.h"
#include "rtl_gen/systolic_verilog.h"
#include "testbenches/lib/rtl_build.h"
#include <cstdint>
#include <iosfwd>
#include <set>
#include <string>
#include <vector>

namespace tpe {

// One small change to one line of one generated file.
struct Mutant {
  std::string design; // architecture name
  std::string kind;   // operator, not, reset, enable, constant, stuck, drop-reg, add-reg, swap
  std::string file;   // generated file name
  int line = 0;       // 1-based line in that file
  std::string original, mutated; // the whole line before and after
};

// Every mutation site of `g` (all kinds), in file and line order: deterministic,
// no randomness. `clk`-less modules get no added register.
std::vector<Mutant> mutation_sites(const std::string& design, const GeneratedRtl& g);

// `n` mutants drawn from the sites of `g` with a stream seeded by `seed`, spread
// round-robin over the kinds present (so every kind is represented).
std::vector<Mutant> pick_mutants(const std::string& design, const GeneratedRtl& g, uint64_t seed,
                                 int n);

// `g` with the mutant applied (the line replaced). Throws std::logic_error when
// the mutant's line is not in `g` as recorded.
GeneratedRtl apply_mutant(const GeneratedRtl& g, const Mutant& m);

// What became of a mutant.
enum class MutantFate {
  Caught,     // the checker reported a difference
  Stillborn,  // Verilator refused to build or lint it (not counted as caught)
  Equivalent, // passed the checker and yosys proved it equivalent (see prove_equivalent)
  Escape      // passed the checker and is not proven equivalent
};
const char* fate_name(MutantFate f);

// `g` with a wrapper top TOP_proof (same ports) that zeroes each SRAM address and
// write data while its enable is low (w/n/o/ws/ns_rd_addr, o_wr_addr, o_wr_data
// and ob_wr_data with o_wr_en): the SRAM protocol ignores them then, and so does
// the checker, so the equivalence proofs compare only what the protocol reads.
GeneratedRtl with_protocol_wrapper(const GeneratedRtl& g);

// Result of the equivalence proof of a mutated design against its original.
struct EquivResult {
  bool bmc_clean = false; // no output difference within `depth` cycles from the zero state
  bool induction = false; // proven equivalent (by `method`)
  std::string method;     // "netlist", "induction", "shared-pdr", "pdr" or "module-" + one
                          // of them when proven on the changed module alone, else ""
  int bmc_fail_step = -1; // cycle of the first output difference found (BMC or PDR), else -1
  bool pdr_cex = false;   // ABC's PDR found an output difference (a counterexample)
  std::string detail;     // one line: what was proven, or the counterexample step
  std::string log;        // yosys/ABC log path (kept when not proven)
};

// Verdict of ABC's pdr, read from its output: proved only on "Property proved"
// with no counterexample or undecided line; cex_frame = N from "... was asserted
// in frame N" (the first frame is 0); anything else (timeout, crash, empty
// output) is neither.
struct PdrVerdict {
  bool proved = false;
  int cex_frame = -1;
};
PdrVerdict parse_pdr_log(const std::string& text);

// Prove `gate` equivalent to `gold` (same top, same ports) with yosys and ABC.
// 0. When the two differ in one submodule only (not the top), that module alone
//    first (method "module-netlist", "module-induction" or "module-pdr"): for
//    each parameter set it is instantiated with (the names `hierarchy` gives
//    the instances), original and mutant module elaborated with those
//    parameters, every input of the module free, go through stages 1 to 3
//    below without the protocol wrapper (every output compared on every cycle),
//    the shared-state check (2b) before PDR.
//    Argument: if the module's outputs are equal on every cycle for every input
//    sequence from the zero state, then in the design (also started from zero
//    registers) the mutant module sees the inputs the original sees, cycle by
//    cycle, by induction over the cycles: the rest of the design is unchanged
//    and its inputs from the module are equal, so the whole design's outputs
//    are equal. When the module proof fails (its outputs differ in some state,
//    possibly one the rest of the design never drives it into, or no decision),
//    the whole design is proven as follows and the detail notes why.
// Otherwise both are wrapped in a top with the same ports that zeroes each SRAM address
// and the write data while its enable is low (the protocol ignores them then),
// and flattened (proc; flatten; opt_clean -purge, so ports keep their names):
// 1. the same netlist after opt -full: equivalent (method "netlist");
// 2. else induction over matched points (method "induction"): equiv_make pairs
//    same-named signals (registers included); a SAT base case (equiv_miter;
//    sat -set-init-zero -seq 2) shows every pair equal on the first two cycles
//    from the all-zero register state (the state the Verilated harness starts
//    in) with every input free; equiv_struct, equiv_simple and equiv_induct -seq
//    2 show that pairs equal on two cycles stay equal on the next. Internal
//    pairs that cannot be proven (state no output sees) are unpaired and the
//    proof redone, up to 4 rounds; the top's ports are never unpaired;
// 2b. else the shared-state check (method "shared-pdr", see
//    prove_equivalent_shared): one copy of every register but the ones a
//    one-line mutant assigns differently (in every instance; none when it
//    changes no register assignment: every register shared), the shared ones
//    following gold's next state; ABC's pdr shows gold and gate give the same
//    outputs and shared next state on every reachable state (sufficient: by
//    induction over the cycles the gate's state is the shared state plus its
//    own mutated registers). Registers pair by their declared names; when the
//    two have different registers the check does not apply. Also run in
//    stage 0 on the module alone;
// 3. else an unbounded model check of the output miter (method "pdr"): yosys
//    builds miter -equiv of the two wrappers, replaces undefined bits by 0 (as
//    Verilator's --x-assign 0 does) and gives every register the initial value
//    0, and writes an AIGER file (write_aiger -zinit); ABC (yosys-abc) runs
//    signal correspondence (scorr: k-induction over candidate equivalences, from
//    the initial state) then property-directed reachability (pdr, IC3, limited to
//    `pdr_seconds`), which finds its own inductive invariant: "Property proved"
//    is a proof for every cycle and input sequence, a counterexample is an
//    output difference (pdr_cex, bmc_fail_step = its cycle).
// Equivalent (`induction`) = equal outputs on every cycle for every input
// sequence from zero registers. When PDR decides nothing, a bounded model check
// of the outputs (miter -equiv; sat -seq depth -set-init-zero) fills bmc_clean
// or bmc_fail_step. `workdir` receives the files and logs (yosys runs are
// limited to 300 s each; the module's PDR and the design's get `pdr_seconds`
// each). Throws ToolError if yosys or yosys-abc is missing.
EquivResult prove_equivalent(const GeneratedRtl& gold, const GeneratedRtl& gate, int depth,
                             const std::string& workdir, int pdr_seconds = 120);

// Stage 0 of prove_equivalent alone (the changed module, stages 1 to 3 on it):
// method "module-..." when proven; else `detail` says why (not a single changed
// submodule, or the module proof's failure).
EquivResult prove_equivalent_module(const GeneratedRtl& gold, const GeneratedRtl& gate,
                                    const std::string& workdir, int pdr_seconds);

// The shared-state check of the whole design alone (both wrapped as in stage
// 3; the registers a one-line mutant assigns differently kept apart in every
// instance, every other register shared; all of them when it assigns none
// differently): method "shared-pdr" when proven.
EquivResult prove_equivalent_shared(const GeneratedRtl& gold, const GeneratedRtl& gate,
                                    const std::string& workdir, int pdr_seconds);

// Stage 3 of prove_equivalent alone (the same wrappers, ABC scorr + pdr): for
// tests and for comparing the stages.
EquivResult prove_equivalent_pdr(const GeneratedRtl& gold, const GeneratedRtl& gate,
                                 const std::string& workdir, int pdr_seconds);

struct MutationOptions {
  std::vector<std::string> arch_files; // --arch (repeatable)
  uint64_t seed = 1;
  int per_design = 20;    // mutants per architecture
  int trials = 2;         // operand sets per random-operand GEMM
  int depth = 8;          // BMC depth of an unproven survivor (cycles)
  int pdr_seconds = 120;  // time limit of ABC's PDR on a survivor (s)
  std::string json_path;  // per-mutant results (empty: none)
  bool list_only = false; // print the mutants, run nothing
  std::set<int> only;     // --mutant: run only these (1-based numbers of --list), empty: all
};

struct MutantOutcome {
  Mutant mutant;
  MutantFate fate = MutantFate::Escape;
  std::string detail; // checker's first difference, build error or proof summary
  std::string method; // how an equivalent mutant was proven: netlist, induction,
                      // shared-pdr, pdr, or one of them prefixed by module-
  double seconds = 0;
};

struct MutationSummary {
  std::vector<MutantOutcome> mutants;
  int caught = 0, stillborn = 0, equivalent = 0, escapes = 0;
  double seconds = 0;
};

// The GEMMs each mutant is checked with, for an engine with the given
// dimensions: odd shapes over several folds, M = 1, K = 1, N = 1, random,
// most-negative, most-positive and zero operands (see the implementation).
struct MutationStimulus {
  std::string shape;    // MxKxN
  std::string operands; // operand distribution
  int trials = 1;
};
std::vector<MutationStimulus> mutation_stimuli(const ArchConfig& arch, int trials);

// verify_systolic (the checker of `tpe verify`) over `stim` with the design
// edited by `mutation` (none: the generated design): "" when every run
// passes, else the stimulus and the first difference.
std::string check_stimuli(const ArchConfig& arch, const std::vector<MutationStimulus>& stim,
                          uint64_t seed, const RtlMutation& mutation);

// One mutant of `original` (the generated design of `arch`): built (stillborn
// when Verilator refuses it), checked on `stim` (caught when a run differs),
// else proven by prove_equivalent(depth, pdr_seconds) in `workdir` (removed
// when proven).
MutantOutcome run_mutant(const ArchConfig& arch, const GeneratedRtl& original, const Mutant& m,
                         const std::vector<MutationStimulus>& stim, uint64_t seed, int depth,
                         const std::string& workdir, int pdr_seconds = 120);

// The campaign: for each architecture, check the original passes the stimuli,
// then run each mutant through the checker and prove the survivors. Progress
// (one line per mutant) goes to `progress`. Throws InputError on a bad
// architecture file, and ToolError when the original design fails its checks.
MutationSummary run_mutation(const MutationOptions& opt, std::ostream& progress);

extern const char* const kMutateHelp;

} // namespace tpe
