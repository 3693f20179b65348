// The floating-point datapath of the fixed-latency engines' PEs (issue 13, the
// contract of docs/formats-engines.md): when a design's accumulator is not `int`
// (fp32, fp16, bf16, fixed) or its PE is `lmul`, the PE's integer multiply-add is
// replaced by format decoders (rtl_gen/format_verilog.h), the exact product or the
// L-Mul product and the accumulate adder of the accumulator format
// (rtl_gen/fp_arith_verilog.h). The emitted wrapper modules keep the PE ports of
// the integer engines: W-bit operand codes in, A-bit accumulator words out
// (A = 32 for fp32, 16 for fp16/bf16, the state bus width for `fixed`).
//
// Modules (prefix P), each one file P_<name>.v:
//   P_fmul  (a [W], b [W] codes -> p [PB]): west and north decoders, then the exact
//           product (fp_product_module, P_fprod) or L-Mul (lmul_module, P_fprod);
//   P_fadd  (acc [A], x [XB] -> acc_new [A]): one accumulate step, RNE(acc + x)
//           (fp_accumulate_module) or the exact fixed accumulate;
//   P_fadd2 (acc [A], b [A] -> y [A]): acc + b for two accumulator codes (ws/is
//           accumulator stage), b decoded exactly (P_fcdec, or fixed_to_unpacked);
//   P_fdot  (a, b [G*W] -> d [DB]): the exact sum of G lanes' products (cube,
//           matrix2d, adder_tree): per lane P_fmul and an aligning fixed-point term
//           (P_fterm), one carry-propagate sum with the NaN/Inf flags ORed, then
//           the exact Unpacked of the sum (P_fgsum); for G = 1 d is the product.
#pragma once
#include "core/arch_config.h"
#include "pe_models/fp_arith.h"
#include "pe_models/lmul.h"
#include "pe_models/number_format.h"
#include <map>
#include <string>
#include <vector>

namespace tpe {

// Does `a` use the FP datapath (accumulate != int, or pe == lmul)?
bool uses_fp_datapath(const ArchConfig& a);

// The formats of an FP design for the top's description line,
// " (act F1, weight F2, accumulate F3)"; "" for an integer design.
std::string fp_design_note(const ArchConfig& a);
// The formats part of a top's description line: "F operands, N-bit accumulators"
// (N = a.acc_bits; "F1 x F2 operands", act x weight, when they differ) and then
// fp_design_note(a).
std::string design_formats_desc(const ArchConfig& a);

// Range of the products of two operand formats: every finite nonzero product x
// has x.exp >= lsb_min and |x| < 2^top_max. Exact product: the sums of the
// operands' smallest LSB exponents and of their largest exp + bitlen(sig) (over
// every code's decode). L-Mul (m fraction bits, F = lmul_frac_bits): the LSB is
// the sum of the smallest leading-bit exponents minus F; the top is one binade
// higher than the exact product's (the add may carry 2 into the exponent).
void engine_product_range(const NumberFormat& a, const NumberFormat& b, bool lmul, LmulOffset o,
                          int& lsb_min, int& top_max);

// The arithmetic of one design's PEs, derived from ArchConfig.
struct FpPeArith {
  const NumberFormat* west = nullptr; // format of the west operand lanes
  const NumberFormat* north = nullptr;
  int WW = 0, WN = 0; // code widths of the west and north operands (element codes)
  bool lmul = false;
  LmulOffset offset = LmulOffset::Paper;
  bool fixed = false;    // accumulate: fixed (else the FP layout below)
  FpLayout layout;       // fp32 / fp16 / bf16
  FixedAccSpec acc_spec; // fixed: fixed_acc_spec(product range), 16 guard bits
  int A = 0;             // accumulator word: layout bits, or acc_spec.width + 3
  UnpackedWidths west_w, north_w, prod_w;
  int lsb_min = 0, top_max = 0; // product range
  // Block-scaled operands (systolic, cube, matrix2d, adder_tree;
  // docs/formats-engines.md): `block` elements along K share a scale (0: none); an
  // operand without blocks takes scale 1 (null scale format); block_spec is the
  // exact block register (group_sum_spec over the block size), bsum_w its Unpacked
  // bus, scale_w the bus of the product of the two scales, bx_w the bus of the
  // scaled block sum that P_fadd adds.
  int block = 0;
  const NumberFormat* west_scale = nullptr;
  const NumberFormat* north_scale = nullptr;
  FixedAccSpec block_spec;
  UnpackedWidths west_scale_w, north_scale_w, bsum_w, scale_w, bx_w;
};

// West is the act format in os/ws and on cube, matrix2d and adder_tree, the weight
// format in `is`. Throws std::invalid_argument for a combination the contract
// refuses (block formats of two block sizes or with a group
// straddling two blocks, lmul of two formats or of a
// format without an L-Mul, a fixed accumulator state wider than 64 bits (its value
// wider than 61 bits, plus the 3 flags nan, pos_inf, neg_inf), or a.acc_bits not A).
FpPeArith fp_pe_arith(const ArchConfig& a);

// The exact group sum of G products (G >= 2): fixed_acc_spec(lsb_min, top_max,
// ceil(log2 G)). Throws std::invalid_argument when it needs more than
// kExactSumMaxWidth bits (pe_models/fp_arith.h; over 64 bits the buses are just wider).
FixedAccSpec group_sum_spec(const FpPeArith& f, int G);
// Width of the P_fdot output bus: the product bus (G = 1) or the group sum's
// fixed_unpacked_widths.
UnpackedWidths dot_bus_widths(const FpPeArith& f, int G);

// The modules above as files P_<name>.v (texts without the generated banner), in
// compile order. `add2`: emit P_fadd2 (ws/is); G > 0: emit P_fdot of G lanes, and
// P_fadd then adds its output (else it adds P_fmul's product). Block-scaled
// designs (f.block > 0) also get the block modules, and P_fadd adds P_bprod's bus:
//   P_bterm  (acc [BS], x [PB] -> acc_new [BS]): the block register plus a product,
//            exact (fixed_accumulate_module over block_spec, BS = width + 3);
//   P_bgsum  (acc [BS] -> u): the block sum as an exact Unpacked bus;
//   P_bscale (sa, sb [8] scale codes -> p): the scale decoders (a constant 1 for an
//            operand without blocks) and their exact product (P_bsprod);
//   P_bprod  (a = block sum, b = scale product -> p): the exact scaled block sum.
std::vector<std::pair<std::string, std::string>>
fp_pe_modules(const std::string& P, const FpPeArith& f, bool add2, int G);

// The scale SRAM ports and lanes of a block-scaled top, shared by the systolic and
// the grid generators: for each operand with blocks a read port ws_rd_* (R lanes)
// or ns_rd_* (C lanes) of `lane_bits`-bit lanes, and the assigns of the wires
// ws_now / ns_now that the top puts beside the element lanes (an operand without
// blocks: zero lanes, scale 1). held (os, grid): the port reads on s_rd_en at
// ws_addr / ns_addr and a lane holds its word over the block (ws_hold / ns_hold,
// s_v: read in the previous cycle); else (ws/is) the port reads with the element
// SRAM (w_rd_* / n_rd_*), a scale per element lane. `col`: the column at which the
// port names start after "wire " (the range padded to col characters).
struct ScaleSramVerilog {
  std::string ports;  // port declarations, each line ending in ",\n"
  std::string lanes;  // assigns of the enables, addresses and ws_now / ns_now
  std::string unused; // held: the lint waiver of the unused hold/address wires ("" if none)
  std::string idle;   // the wires an operand without blocks leaves unused (", a, b"; "" if none)
};
ScaleSramVerilog scale_sram_verilog(const FpPeArith& f, int lane_bits, bool held, int col);

// One operand's scale SRAM read port, the general form under scale_sram_verilog
// (also used by the adder tree, whose west port has one lane and whose enables
// come from its controller): `s` is "ws" or "ns"; `lanes` the lane count ("1" gives
// the range [lane_bits-1:0] and the constant lane_bits'd0); en, addr, now the
// right-hand sides of s_rd_en, s_rd_addr and s_now when `scaled`; `idle` the wires
// (", a, b") left unused when it is not. `unused` of the result stays empty.
struct ScalePort {
  bool scaled;
  std::string s, lanes, en, addr, now, idle;
};
ScaleSramVerilog scale_ports_verilog(const std::vector<ScalePort>& ops, int lane_bits, int col);

} // namespace tpe
