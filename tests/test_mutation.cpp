// L3, the checker itself: `tpe verify --rtl DIR` on user Verilog (and its
// one-line refusals), the mutation tool's sites and picks, and a fast subset of
// the mutation campaign (README "Verification levels"; the whole campaign is
// `make mutate`): every mutant of a 2x2 design is caught or proven equivalent; the
// proof wrapper gates the block designs' scale and second output bank ports too.
#include "core/atomic_file.h"
#include "test_helpers.h"
#include "testbenches/lib/mutate.h"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace tpe;
using namespace tpe::test;
namespace fs = std::filesystem;

namespace {

const std::string kSrc = TPE_SOURCE_DIR;
const std::string kArch = kSrc + "/configs/mutation/sa2x2_os_mac.yaml";

std::string tmpdir(const std::string& tag) {
  const std::string d =
      fs::temp_directory_path().string() + "/tpe_mut_" + tag + "_" + std::to_string(getpid());
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// The generated Verilog of configs/mutation/NAME.yaml.
GeneratedRtl generated(const std::string& name) {
  return generate_systolic_verilog(parse_arch_file(kSrc + "/configs/mutation/" + name + ".yaml"),
                                   "test");
}

// `g` with the first `from` in its file `file` replaced by `to` (which must be there).
GeneratedRtl edited(const GeneratedRtl& g, const std::string& file, const std::string& from,
                    const std::string& to) {
  GeneratedRtl out = g;
  std::string& t = out.files.at(file);
  const size_t p = t.find(from);
  REQUIRE(p != std::string::npos);
  t.replace(p, from.size(), to);
  return out;
}

void edit(const std::string& path, const std::string& from, const std::string& to) {
  std::string t = read_file(path);
  const size_t p = t.find(from);
  REQUIRE(p != std::string::npos);
  t.replace(p, from.size(), to);
  std::ofstream(path) << t;
}

} // namespace

TEST_CASE("verify --rtl checks user Verilog and refuses a bad directory in one line") {
  const std::string d = tmpdir("rtl");
  REQUIRE(run_tpe("gen --arch " + kArch + " --out " + d + "/good").status == 0);
  const std::string verify = "verify --arch " + kArch + " --gemm 5x3x3 --seed 1 --rtl ";
  CmdResult r = run_tpe(verify + d + "/good");
  CHECK(r.status == 0);
  CHECK(last_line(r.out).rfind("verify: PASS", 0) == 0);
  // a wrong sign in the user's PE is a verification failure, not a build error
  fs::copy(d + "/good", d + "/wrong");
  edit(d + "/wrong/tpe_sa2x2_os_mac_pe.v", "acc) + prod_ext", "acc) - prod_ext");
  r = run_tpe(verify + d + "/wrong");
  CHECK(r.status == 1);
  CHECK(last_line(r.out).rfind("verify: FAIL", 0) == 0);
  // refusals: one line, exit status 2
  r = run_tpe(verify + d + "/none");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d + "/none: --rtl: no such directory\n");
  fs::create_directories(d + "/empty");
  r = run_tpe(verify + d + "/empty");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d +
                     "/empty: --rtl: no .v file in the directory (it needs module "
                     "tpe_sa2x2_os_mac)\n");
  fs::create_directories(d + "/notop");
  std::ofstream(d + "/notop/x.v") << "module other(input wire a, output wire y);\n"
                                     "  assign y = a;\nendmodule\n";
  r = run_tpe(verify + d + "/notop");
  CHECK(r.status == 2);
  CHECK(r.out.find("no file defines the top module tpe_sa2x2_os_mac") != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  fs::copy(d + "/good", d + "/ports");
  edit(d + "/ports/tpe_sa2x2_os_mac.v", "input  wire [31:0]    cfg_k,",
       "input  wire [15:0]    cfg_k,");
  r = run_tpe(verify + d + "/ports");
  CHECK(r.status == 2);
  CHECK(r.out == "tpe: error: " + d +
                     "/ports/tpe_sa2x2_os_mac.v: --rtl: module tpe_sa2x2_os_mac: port 'cfg_k' "
                     "is input, 16 bits; the design needs input, 32 bits\n");
  fs::copy(d + "/good", d + "/list");
  std::ofstream(d + "/list/filelist.f") << "tpe_sa2x2_os_mac.v\nmissing.v\n";
  r = run_tpe(verify + d + "/list");
  CHECK(r.status == 2);
  CHECK(r.out ==
        "tpe: error: " + d + "/list/filelist.f:2: no such file 'missing.v' in " + d + "/list\n");
  // a design yosys reads but Verilator refuses: one tool-error line with the log
  fs::copy(d + "/good", d + "/lint");
  edit(d + "/lint/tpe_sa2x2_os_mac.v", "endmodule",
       "  wire [3:0] extra = 8'hff;\n  assign busy_extra_unused = extra[0];\nendmodule");
  edit(d + "/lint/tpe_sa2x2_os_mac.v", "  assign busy_extra_unused = extra[0];\n", "");
  r = run_tpe(verify + d + "/lint");
  CHECK(r.status == 3);
  CHECK(last_line(r.out).find("tpe: tool error: Verilator build of design 'sa2x2_os_mac' "
                              "failed: %Warning-WIDTH") == 0);
  CHECK(last_line(r.out).find("(full log ") != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2); // the seed line and the error
  fs::remove_all(d);
}

TEST_CASE("mutation sites are deterministic, cover every kind and change one line") {
  const ArchConfig a = parse_arch_file(kArch);
  const GeneratedRtl g = generate_systolic_verilog(a, "test");
  const std::vector<Mutant> sites = mutation_sites(a.name, g);
  std::set<std::string> kinds;
  for (const auto& m : sites)
    kinds.insert(m.kind);
  CHECK(kinds == std::set<std::string>{"add-reg", "constant", "drop-reg", "enable", "not",
                                       "operator", "reset", "stuck", "swap"});
  const auto p1 = pick_mutants(a.name, g, 7, 20), p2 = pick_mutants(a.name, g, 7, 20),
             p3 = pick_mutants(a.name, g, 8, 20);
  REQUIRE(p1.size() == 20);
  bool same = true, differ = false;
  for (size_t i = 0; i < p1.size(); ++i) {
    same = same && p1[i].line == p2[i].line && p1[i].mutated == p2[i].mutated;
    differ = differ || p1[i].mutated != p3[i].mutated;
  }
  CHECK(same);
  CHECK(differ);
  std::set<std::string> picked;
  for (size_t i = 0; i < 9; ++i)
    picked.insert(p1[i].kind);
  CHECK(picked == kinds); // round-robin: the first nine picks are one of each kind
  for (const auto& m : p1) {
    const GeneratedRtl x = apply_mutant(g, m);
    int changed = 0;
    for (const auto& [name, text] : g.files)
      changed += x.files.at(name) != text;
    CHECK(changed == 1);
  }
  Mutant bad = p1[0];
  bad.original += " ";
  CHECK_THROWS(apply_mutant(g, bad));
  // the CLI lists the same mutants and prints the seed
  const CmdResult r = run_tpe("mutate --arch " + kArch + " --list --per-design 3 --seed 7");
  CHECK(r.status == 0);
  CHECK(r.out.find("mutate: seed 7") != std::string::npos);
  CHECK(r.out.find("mutant 1 sa2x2_os_mac " + p1[0].kind + " " + p1[0].file + ":" +
                   std::to_string(p1[0].line)) != std::string::npos);
}

TEST_CASE("a fast subset of the mutation campaign is caught or proven equivalent") {
  // the first 10 mutants of `make mutate` for this design (same seed): none may
  // escape (a build failure is stillborn: reported, not counted as caught)
  const ArchConfig a = parse_arch_file(kArch);
  const GeneratedRtl g = generate_systolic_verilog(a, "tpe gen --arch " + kArch);
  const auto stim = mutation_stimuli(a, 2);
  REQUIRE(check_stimuli(a, stim, 12, nullptr) == "");
  const std::string work = tmpdir("fast");
  int caught = 0;
  for (const auto& m : pick_mutants(a.name, g, 12, 10)) {
    const MutantOutcome o = run_mutant(a, g, m, stim, 12, 16, work + "/m" + std::to_string(m.line));
    INFO(m.file << ":" << m.line << " " << m.kind << "\n- " << m.original << "\n+ " << m.mutated
                << "\n"
                << fate_name(o.fate) << ": " << o.detail);
    CHECK(o.fate != MutantFate::Escape);
    caught += o.fate == MutantFate::Caught;
  }
  CHECK(caught >= 5);
  fs::remove_all(work);
}

TEST_CASE("the equivalence proof refuses a design whose outputs differ") {
  // busy cleared on every cycle but the last: the outputs differ, so neither the
  // netlist comparison nor the induction may call it equivalent, and the bounded
  // check finds the difference within a few cycles of reset and start
  const ArchConfig a = parse_arch_file(kArch);
  const GeneratedRtl g = generate_systolic_verilog(a, "test");
  const GeneratedRtl bad = edited(g, "tpe_sa2x2_os_mac_ctrl.v", "if (finish) busy <= 1'b0;",
                                  "if (!finish) busy <= 1'b0;");
  const std::string work = tmpdir("prove");
  const EquivResult r = prove_equivalent(g, bad, 4, work, 60);
  INFO(r.detail);
  CHECK_FALSE(r.induction);
  CHECK(r.method.empty());
  // ABC's PDR finds the counterexample (so no bounded check is needed)
  CHECK(r.pdr_cex);
  CHECK(r.bmc_fail_step > 0);
  CHECK(r.detail.find("ABC pdr found an output difference in cycle") != std::string::npos);
  fs::remove_all(work);
}

TEST_CASE("ABC's pdr verdicts are read strictly") {
  CHECK(
      parse_pdr_log("Invariant F[3] : 2 clauses\nProperty proved.  Time =     0.01 sec\n").proved);
  const PdrVerdict cex =
      parse_pdr_log("Output 0 of miter \"miter\" was asserted in frame 3.  Time =     0.20 sec\n");
  CHECK_FALSE(cex.proved);
  CHECK(cex.cex_frame == 3);
  for (const char* t : {"", "Reached timeout (120 seconds) in frame 7.\nProperty UNDECIDED.\n",
                        "Error: cannot open file\n", "Property proved. Property UNDECIDED.\n"}) {
    const PdrVerdict v = parse_pdr_log(t);
    CHECK_FALSE(v.proved);
    CHECK(v.cex_frame == -1);
  }
}

TEST_CASE("PDR on the whole design proves a reset-value mutant, and refuses a real fault") {
  // ntc's reset value 0 -> 1 in the weight-stationary controller (an escape of
  // the campaign before PDR): `start` reloads ntc before any output reads it,
  // an invariant the pairwise induction cannot express
  const GeneratedRtl g = generated("sa2x2_ws_mac");
  const std::string file = "tpe_sa2x2_ws_mac_ctrl.v";
  const std::string from = "ktc <= 0; ntc <= 0; waddr <= 0; naddr <= 0;";
  const GeneratedRtl reset1 = edited(g, file, from, "ktc <= 0; ntc <= 1; waddr <= 0; naddr <= 0;");
  // the same register's reload from the configuration off by one: a real fault
  const GeneratedRtl wrong = edited(g, file, "ntc <= cfg_nt;", "ntc <= cfg_nt + 1;");
  const std::string work = tmpdir("pdr");
  // (prove_equivalent proves it on the controller alone first: the PDR stage of
  // the whole design is run by itself here)
  const EquivResult r1 = prove_equivalent_pdr(g, reset1, work + "/reset1", 60);
  INFO(r1.detail);
  CHECK(r1.induction);
  CHECK(r1.method == "pdr");
  const EquivResult r2 = prove_equivalent_pdr(g, wrong, work + "/wrong", 60);
  INFO(r2.detail);
  CHECK_FALSE(r2.induction);
  CHECK(r2.pdr_cex);
  fs::remove_all(work);
}

TEST_CASE("the changed module alone proves a reset-value mutant, and refuses a real fault") {
  // ntc's reset value 0 -> 1 in the weight-stationary controller: the
  // controller alone, every input free, keeps its outputs equal (start reloads
  // ntc before it is read), so the design is equivalent without its miter
  const GeneratedRtl g = generated("sa2x2_ws_mac");
  const std::string file = "tpe_sa2x2_ws_mac_ctrl.v";
  const std::string from = "ktc <= 0; ntc <= 0; waddr <= 0; naddr <= 0;";
  const GeneratedRtl reset1 = edited(g, file, from, "ktc <= 0; ntc <= 1; waddr <= 0; naddr <= 0;");
  const GeneratedRtl wrong = edited(g, file, "ntc <= cfg_nt;", "ntc <= cfg_nt + 1;");
  GeneratedRtl top = g;
  const std::string work = tmpdir("module");
  const EquivResult r1 = prove_equivalent(g, reset1, 4, work + "/reset1", 60);
  INFO(r1.detail);
  CHECK(r1.induction);
  CHECK(r1.method.rfind("module-", 0) == 0);
  CHECK(r1.detail.find("module tpe_sa2x2_ws_mac_ctrl alone") != std::string::npos);
  // a real fault: the module's outputs differ, so the module stage refuses it
  // (prove_equivalent then goes on with the whole design, as the test above)
  const EquivResult m2 = prove_equivalent_module(g, wrong, work + "/wrong_module", 60);
  INFO(m2.detail);
  CHECK_FALSE(m2.induction);
  CHECK(m2.method.empty());
  CHECK(m2.detail.find("module tpe_sa2x2_ws_mac_ctrl alone: its outputs differ") !=
        std::string::npos);
  // a change of the top is not a submodule's: no module stage
  std::string& t3 = top.files.at("tpe_sa2x2_ws_mac.v");
  t3 += "// edited\n";
  const EquivResult m3 = prove_equivalent_module(g, top, work + "/top", 60);
  CHECK_FALSE(m3.induction);
  CHECK(m3.detail == "no single changed submodule");
  // nor is a change of two modules (the controller's reset value and the top)
  GeneratedRtl two = reset1;
  two.files.at("tpe_sa2x2_ws_mac.v") += "// edited\n";
  const EquivResult m4 = prove_equivalent_module(g, two, work + "/two", 60);
  CHECK_FALSE(m4.induction);
  CHECK(m4.detail == "no single changed submodule");
  fs::remove_all(work);
}

TEST_CASE("the shared-state check proves an escape of the whole-design PDR") {
  // p_r's reset value 0 -> 1 in the cube's controller (an escape of the
  // campaign: PDR on the whole design's miter, and on the controller's, found
  // no invariant in minutes): with one copy of every register but p_r, the
  // outputs and the next state agree on every reachable state
  const GeneratedRtl g = generated("cube2x2x2_mac");
  const std::string file = "tpe_cube2x2x2_mac_ctrl.v";
  const std::string from = "k_r <= 0; p_r <= 0; nt_r <= 0;";
  const GeneratedRtl reset1 = edited(g, file, from, "k_r <= 0; p_r <= 1; nt_r <= 0;");
  const std::string work = tmpdir("shared");
  const EquivResult r1 = prove_equivalent_module(g, reset1, work + "/reset1", 60);
  INFO(r1.detail);
  CHECK(r1.induction);
  CHECK(r1.method == "module-shared-pdr");
  // p_r loaded off by one on start: a real fault, refused by both checks
  const GeneratedRtl wrong = edited(g, file, "p_r <= period;", "p_r <= period + 1;");
  const EquivResult r2 = prove_equivalent_module(g, wrong, work + "/wrong", 60);
  INFO(r2.detail);
  CHECK_FALSE(r2.induction);
  CHECK(r2.detail.find("its outputs differ") != std::string::npos);
  CHECK(r2.detail.find("the shared-state check failed") != std::string::npos);
  fs::remove_all(work);
}

TEST_CASE("the shared-state check of the whole design proves a reset value the module cannot") {
  // ontc's reset value 0 -> 1 in opt1's controller (an escape of the whole-design
  // PDR): the controller alone differs (its input `fin` may rise right after
  // reset), but in the design `fin` follows a start, which reloads ontc
  const GeneratedRtl g = generated("sa2x2_os_opt1");
  const std::string file = "tpe_sa2x2_os_opt1_ctrl.v";
  const std::string from = "omtc <= 0; ontc <= 0;";
  const GeneratedRtl reset1 =
      edited(g, file, from, "omtc <= 0; ontc <= (0) | {{(31){1'b0}}, 1'b1};");
  const std::string work = tmpdir("shared_design");
  const EquivResult r1 = prove_equivalent_shared(g, reset1, work + "/reset1", 60);
  INFO(r1.detail);
  CHECK(r1.induction);
  CHECK(r1.method == "shared-pdr");
  // ontc loaded off by one on start: a real fault, refused
  const GeneratedRtl wrong = edited(g, file, "ontc <= cfg_nt;", "ontc <= cfg_nt + 1;");
  const EquivResult r2 = prove_equivalent_shared(g, wrong, work + "/wrong", 60);
  INFO(r2.detail);
  CHECK_FALSE(r2.induction);
  CHECK(r2.detail == "the shared-state check failed (not an output difference)");
  fs::remove_all(work);
}

TEST_CASE("the shared-state check with every register shared proves a changed condition") {
  // `R == 1` -> `R == 2` in a generate condition of the bit-serial controller
  // (the last escape of the campaign: ABC's pdr on the controller's miter and
  // on the design's found no invariant in 120 s): the 2-row array's
  // drain_busy_next becomes 0 instead of load_res, which differs only where a
  // fold ends the cycle after another, never on a reachable state. No register
  // assignment changed, so every register is shared: the mutant's outputs and
  // next state equal the original's on every reachable state of the original
  const GeneratedRtl g = generated("sa2x2_os_bitserial");
  const std::string file = "tpe_sa2x2_os_bitserial_ctrl.v";
  const GeneratedRtl cond =
      edited(g, file, "if (R == 1) begin : g_dr1", "if (R == 2) begin : g_dr1");
  const std::string work = tmpdir("shared_all");
  const EquivResult r1 = prove_equivalent_module(g, cond, work + "/cond", 60);
  INFO(r1.detail);
  CHECK(r1.induction);
  CHECK(r1.method == "module-shared-pdr");
  CHECK(r1.detail.find("with one copy of every register, the outputs") != std::string::npos);
  // the drain always taken as busy: a fold end waits forever, a real fault
  // refused (the whole design's check, every register shared)
  const GeneratedRtl wrong =
      edited(g, file, "assign drain_busy_next = load_res;", "assign drain_busy_next = 1'b1;");
  const EquivResult r2 = prove_equivalent_shared(g, wrong, work + "/wrong", 60);
  INFO(r2.detail);
  CHECK_FALSE(r2.induction);
  CHECK(r2.method.empty());
  CHECK(r2.detail == "the shared-state check failed (not an output difference)");
  fs::remove_all(work);
}

TEST_CASE("mutate --mutant picks mutants by their --list number and refuses one too large") {
  const std::string list = "mutate --arch " + kArch + " --per-design 6 --seed 3 --list";
  const CmdResult all = run_tpe(list);
  REQUIRE(all.status == 0);
  const size_t p4 = all.out.find("mutant 4 "), p5 = all.out.find("mutant 5 ");
  REQUIRE(p4 != std::string::npos);
  REQUIRE(p5 != std::string::npos);
  const CmdResult one = run_tpe(list + " --mutant 4");
  CHECK(one.status == 0);
  CHECK(one.out.find(all.out.substr(p4, p5 - p4)) != std::string::npos);
  CHECK(one.out.find("mutant 5 ") == std::string::npos);
  CHECK(one.out.find("mutant 1 ") == std::string::npos);
  const CmdResult past = run_tpe(list + " --mutant 7");
  CHECK(past.status == 2);
  CHECK(last_line(past.out) ==
        "tpe: error: --mutant 7: there are 6 mutants (numbered from 1 as --list prints them)");
}

TEST_CASE("the proof wrapper treats the scale and second output bank ports like the others") {
  // a ws design with block-scaled operands: scale SRAMs (ws_rd_*, ns_rd_*) and the
  // output SRAM's second bank (ob_rd_data in, ob_wr_data out, with o_wr_en)
  const ArchConfig a = parse_arch_text("name: mwb\nengine: systolic\nrows: 2\ncols: 2\n"
                                       "dataflow: ws\nformat: mxfp8_e4m3\naccumulate: fp32\n");
  const GeneratedRtl w = with_protocol_wrapper(generate_systolic_verilog(a, "test"));
  REQUIRE(w.top == "tpe_mwb_proof");
  const std::string& t = w.files.at(w.top + ".v");
  for (const char* gated :
       {"assign ob_wr_data = o_wr_en_i ? ob_wr_data_i : 0;",
        "assign o_wr_data = o_wr_en_i ? o_wr_data_i : 0;",
        "assign ws_rd_addr = ws_rd_en_i ? ws_rd_addr_i : 0;",
        "assign ns_rd_addr = ns_rd_en_i ? ns_rd_addr_i : 0;", ".ob_rd_data(ob_rd_data)"})
    CHECK(t.find(gated) != std::string::npos);
  CHECK(t.find("output wire [C*BS-1:0]  ob_wr_data") != std::string::npos); // reg in the top
  CHECK(t.find("output reg") == std::string::npos);
  // yosys elaborates the wrapper over the design
  const std::string dir = tmpdir("wrap");
  std::string reads;
  for (const auto& f : w.sources) {
    write_file_atomic(dir + "/" + f, w.files.at(f));
    reads += " " + f;
  }
  const std::string log = dir + "/yosys.log";
  const int rc = run_process(
      {"yosys", "-q", "-p", "read_verilog" + reads + "; hierarchy -check -top " + w.top}, dir, log);
  INFO(read_file(log));
  CHECK(rc == 0);
  CHECK(read_file(log).find("continuous assignment") == std::string::npos);
  fs::remove_all(dir);
}
