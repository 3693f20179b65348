// The lut_gemv Verilog (both orientations, P arrays). The top `<name>` is the
// controller of sim/lut_gemv_core.cpp (ctl_* registers and the inner block) driving P
// array units `<name>_arr` in lockstep: each phase ends when no array is busy, a drain
// lasts as long as the round's longest, a new round moves every array P tiles on (an
// array without a tile idles). Each unit follows the model's Array edge by edge: one
// combinational block computes every next register from the current ones, one clocked
// block registers them; the registers are declared, held, copied and cleared from one
// name/width table (RegDecl).
// - weight (kArrWeight): loader, Gray-code builder with its walk unrolled into case
//   tables generated from LutArith::gray_schedule(), the lookup issue list of the token
//   block found by priority encoders over the (slot, plane, token) candidates, the lanes
//   consuming the oldest read-pipeline stage; operands through combinational read ports
//   that the harness serves (w_rd: one group of every lane, a_rd: the tile's groups of
//   the look block's tokens).
// - activation (kArrAct): the builder forms a row (the tile's token tables of one group,
//   the Gray walk unrolled) on its Brow-th edge, the reader issues a row every w edges
//   once it is written (1rw1r) or the tile's rows all are (1rw), and the lanes take plane
//   0 from the arriving row and planes 1..w-1 from the held one, indexing with the weight
//   planes of their outputs (w_rd: the group's weights of the output block; a_rd: the
//   group's activations of the tile's tokens).
// Both drain their corrected words as out_bits chunks, one per drain edge. The pieces
// both share (ports, tile walk, drain, enter_round, the Gray walk, LutArith::read) are
// written once.
#include "rtl_gen/lut_gemv_verilog.h"
#include "core/bits.h"
#include "dataflows/lut_gemv_mapping.h"
#include "pe_models/lut_table.h"
#include "rtl_gen/rtl_generator.h"
#include "rtl_gen/verilog_text.h"
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

namespace tpe {

namespace {

Registrar<RtlGenerator> reg("lut_gemv", {generate_lut_gemv_verilog});

std::string num(int64_t v) {
  return std::to_string(v);
}

// The shift register line of a read-pipeline field `name` (LAT stages of `w` bits,
// the newest at the bottom) taking `in`.
std::string pipe_shift(const std::string& name, int lat, int w, const std::string& in) {
  if (lat == 1) return "      " + name + " <= " + in + ";\n";
  return "      " + name + " <= {" + name + "[" + num(int64_t(lat - 1) * w - 1) + ":0], " + in +
         "};\n";
}

const char* kFuncs =
    R"V(@@DRFN@@  // the Gray walk (LutArith::gray_schedule): table row written by step k
  function [G-1:0] step_row(input [31:0] k);
    begin
      case (k)
@@ROWCASE@@        default: step_row = {G{1'b0}};
      endcase
    end
  endfunction
  // the entry of step k from the previous one and the table's g elements (EB bits each)
  function [EB-1:0] step_val(input [31:0] k, input [EB-1:0] prev, input [G*EB-1:0] v);
    begin
      case (k)
@@VALCASE@@        default: step_val = prev;
      endcase
    end
  endfunction
  // LutArith::read of index idx: {row, negate, zero}: subset row idx - 1 (idx 0: zero,
  // no row); signed odd idx row idx >> 1, even idx the row of ~idx, negated
  function [G+1:0] lut_read(input [G-1:0] idx);
    if (SIGNED)
      lut_read = {idx[0] ? idx >> 1 : (idx >> 1) ^ ({G{1'b1}} >> 1), !idx[0], 1'b0};
    else
      lut_read = {idx + {G{1'b1}}, 1'b0, idx == {G{1'b0}}};
  endfunction
  // sign extensions (table operand V to entries and accumulators, entries to accumulators)
  function [EB-1:0] sx_v2e(input [VB-1:0] w);
    sx_v2e = @@SXV2E@@;
  endfunction
  function [AW-1:0] sx_v2a(input [VB-1:0] w);
    sx_v2a = @@SXV2A@@;
  endfunction
  function [AW-1:0] sx_e2a(input [EB-1:0] w);
    sx_e2a = @@SXE2A@@;
  endfunction
)V";

// The pieces both array units share: their ports to the controller and the drain port,
// the tile walk, the drain (packing of the corrected words, the drain register).
const char* kUnitHead = R"V(module @@TOP@@_arr #(parameter IDX = 0) (
  input  wire              clk,
  input  wire              rst,         // synchronous: the array takes tile IDX
  input  wire [31:0]       cfg_m,       // M tokens (rows of A)
  input  wire [31:0]       cfg_k,       // K
  input  wire [31:0]       cfg_n,       // N outputs (columns of B)
  input  wire [31:0]       cfg_g,       // G = ceil(K / g) groups
  input  wire [2:0]        ctl_phase_q, // the controller's phase and count
  input  wire [31:0]       ctl_cnt_q,
  input  wire              enter_look,  // the controller enters a look phase on this edge
  input  wire              next_round,  // the controller moves to the next round (P tiles on)
  output reg               busy,        // this array has work after this edge (this phase)
  output wire              active,      // this array has a tile in this round
  output wire              next_active, // ... and in the next round
  output wire [31:0]       dlen,        // drain edges of this array's block
)V";
const char* kUnitTail =
    R"V(  output wire [OB-1:0]     o_wr_data,   // this edge's chunk of the packed words (x*nl+l)*ACC
  output wire              row_wr,      // an array row written on this edge
  output wire              row_rd       // an array row read on this edge
);
)V";
// the registers of an array unit (fsm_encoding none: yosys would extract the phase and
// lk_ptr_q as FSMs whose inputs are the whole issue logic, hours of fsm_extract), its
// read stages and the array (weight: S R rows of LN entries; activation: RW rows of the
// MT token tables of one group)
const char* kUnitRegs =
    R"V(  // ---- registers (sim/lut_gemv_core.cpp names) and their next values ----
@@REGS@@  reg [LAT*SW-1:0] rd_pipe_q;
  reg [SW-1:0]   rd_in;
  reg [PX-1:0]   packed_w;

  // ---- the array ----
  reg            mem_we, mem_re;
  reg [RA-1:0]   mem_waddr, mem_raddr;
  reg [MW-1:0]   mem_wdata;
  wire [MW-1:0]  mem_rdata;
  @@TOP@@_lut_sram u_mem (.clk(clk), .we(mem_we), .waddr(mem_waddr), .wdata(mem_wdata),
                          .re(mem_re), .raddr(mem_raddr), .rdata(mem_rdata));
)V";
// the tiles of this array: the next round's (P tiles on) and the first round's (IDX
// tiles on from tile 0), groups fastest
const char* kTileWalk =
    R"V(  function [63:0] tile_next(input [63:0] oj, input [31:0] ng);  // {o0, j0}: one tile on
    tile_next = oj[31:0] + @@SLOTS@@ >= ng ? {oj[63:32] + @@OUTER@@, 32'd0}
                                          : {oj[63:32], oj[31:0] + @@SLOTS@@};
  endfunction
  reg [63:0] nt, st;
  integer q;
  always @* begin
    nt = {tile_o0_q, tile_j0_q};
    for (q = 0; q < P; q = q + 1)
      nt = tile_next(nt, cfg_g);
    st = 64'd0;
    for (q = 0; q < IDX; q = q + 1)
      st = tile_next(st, cfg_g);
  end
  assign active = active_q;
  // verilator lint_off UNUSED
  wire _unused_cfg = &{1'b0, cfg_m, cfg_n, 1'b0};  // one of them sizes the tiles
  // verilator lint_on UNUSED
  assign next_active = nt[63:32] < cfg_@@OC@@;
  assign dlen = drain_len(blk_@@IN@@_q * tile_no_q);
  assign o_wr_data = ctl_cnt_q == 32'd0 ? packed_w[OB-1:0] : dr_q[OB-1:0];
  assign row_wr = mem_we;
  assign row_rd = mem_re;
)V";
// the words x * NL + l of x < NX tokens and l < NL lanes (orientation_keys), then the drain
// register: the packed words on the first drain edge (the accumulators clear), shifted
const char* kDrain = R"V(    // ---- drain: the correction of every word, packed ----
    packed_w = {PX{1'b0}};
    for (x = 0; x < @@NXMAX@@; x = x + 1)
      for (l = 0; l < LN; l = l + 1) begin
        accv = acc_q[(x*LN+l)*AW +: AW];
        sumv = sum_q[@@SUMIX@@*AW +: AW];
        dif = SIGNED ? accv - sumv : OFFSET ? accv - (sumv << (@@UBITS@@ - 1)) : accv;
        fin = @@FIN@@;
        if (x < @@NX@@ && l < @@NL@@)
          packed_w = packed_w | ({{(PX-ACC){1'b0}}, fin} << ((x * @@NL@@ + l) * ACC));
      end
    if (ctl_phase_q == PH_DRAIN) begin
      if (ctl_cnt_q == 32'd0) begin
        acc_d = {(@@NXMAX@@*LN*AW){1'b0}};
        dr_d = packed_w >> OB;
      end else
        dr_d = dr_q >> OB;
    end
)V";
// the clocked block of an array: the model's Array() on rst and on a new round
const char* kUnitClock = R"V(  // enter_round: tile (o0, j0) of the round, every register cleared
  task enter_round(input [31:0] o0, input [31:0] j0);
    begin
@@INIT@@    end
  endtask

  always @(posedge clk) begin
@@PIPE@@    if (rst) begin
      enter_round(st[63:32], st[31:0]);
      rd_pipe_q <= {(LAT*SW){1'b0}};
    end else if (next_round)
      enter_round(nt[63:32], nt[31:0]);
    else begin
@@REGQ@@@@ENTER@@    end
  end
endmodule
)V";

// The top: the controller (sim/lut_gemv_core.cpp's ctl_* registers) and P array units
// in lockstep; every array port is a vector of P (array p at bits p*width..).
const char* kTop = R"V(
module @@TOP@@ (
  input  wire              clk,
  input  wire              rst,       // synchronous: the edge with rst high starts the GEMM
  input  wire [31:0]       cfg_m,     // M tokens (rows of A)
  input  wire [31:0]       cfg_k,     // K
  input  wire [31:0]       cfg_n,     // N outputs (columns of B)
  input  wire [31:0]       cfg_g,     // G = ceil(K / g) groups
  output wire              done,
  output wire [P*32-1:0]   w_rd_grp,  // array p's operand ports (@@TOP@@_arr)
  output wire [P*32-1:0]   w_rd_out,
  input  wire [P*BW-1:0]   w_rd_data,
  output wire [P*32-1:0]   a_rd_grp,
  output wire [P*32-1:0]   a_rd_tok,
  input  wire [P*AD-1:0]   a_rd_data,
  output wire [P-1:0]      o_wr_en,   // array p drains a chunk on this edge
  output wire [P*32-1:0]   o_wr_tile, // its tile: round * P + p
  output wire [31:0]       o_wr_blk,
  output wire [31:0]       o_wr_chunk,
  output wire [P*OB-1:0]   o_wr_data, // bits chunk*OB.. of its block's words
  output wire [P-1:0]      row_wr,    // array p writes a row on this edge
  output wire [P-1:0]      row_rd     // array p reads a row on this edge
);
  localparam P = @@P@@, BW = @@BW@@, AD = @@AD@@, OB = @@OB@@, INNER = @@INNER@@;
@@CTLPARAMS@@
  // ---- registers (sim/lut_gemv_core.cpp names) and their next values ----
@@REGS@@  reg            enter_look, next_round;
  reg [31:0]     len_max;
  wire [P-1:0]   busy, active, next_active;
  wire [P*32-1:0] dlen;
  // verilator lint_off UNUSED
  wire _unused_next = &{1'b0, next_active, 1'b0};  // a next round: array 0's tile decides
  // verilator lint_on UNUSED
@@CTLWIRES@@
  // ---- the block the next look phase addresses (the next one on the last drain edge) ----
  wire         drain_last = ctl_phase_q == PH_DRAIN && ctl_cnt_q + 32'd1 == ctl_len_q;
  wire         more_blk = blk_@@I0@@_q + INNER < cfg_@@IC@@;
  wire [31:0]  lb_@@I0@@ = drain_last && more_blk ? blk_@@I0@@_q + INNER : blk_@@I0@@_q;
  wire [31:0]  lb_rem = cfg_@@IC@@ - lb_@@I0@@;
  wire [31:0]  lb_@@IN@@ = lb_rem < INNER ? lb_rem : INNER;

  assign done = ctl_phase_q == PH_DONE;
  assign o_wr_blk = ctl_blk_q;
  assign o_wr_chunk = ctl_cnt_q;
  genvar i;
  generate
    for (i = 0; i < P; i = i + 1) begin : arr
      assign o_wr_en[i] = ctl_phase_q == PH_DRAIN && active[i];
      assign o_wr_tile[i*32 +: 32] = ctl_round_q * P + i;
      @@TOP@@_arr #(.IDX(i)) u (
        .clk(clk), .rst(rst), .cfg_m(cfg_m), .cfg_k(cfg_k), .cfg_n(cfg_n), .cfg_g(cfg_g),
        .ctl_phase_q(ctl_phase_q), .ctl_cnt_q(ctl_cnt_q), .enter_look(enter_look),
        .next_round(next_round), .busy(busy[i]), .active(active[i]),
        .next_active(next_active[i]), .dlen(dlen[i*32 +: 32]),
@@UNITCONN@@        .w_rd_grp(w_rd_grp[i*32 +: 32]), .w_rd_out(w_rd_out[i*32 +: 32]),
        .w_rd_data(w_rd_data[i*BW +: BW]), .a_rd_grp(a_rd_grp[i*32 +: 32]),
        .a_rd_tok(a_rd_tok[i*32 +: 32]), .a_rd_data(a_rd_data[i*AD +: AD]),
        .o_wr_data(o_wr_data[i*OB +: OB]), .row_wr(row_wr[i]), .row_rd(row_rd[i]));
    end
  endgenerate

  integer q;
  always @* begin
@@HOLD@@    enter_look = 1'b0;
    next_round = 1'b0;
    len_max = 32'd0;  // a drain lasts as long as the round's longest
    for (q = 0; q < P; q = q + 1)
      if (active[q] && dlen[q*32 +: 32] > len_max) len_max = dlen[q*32 +: 32];
    case (ctl_phase_q)
@@CTLCASE@@      PH_DRAIN: begin
        ctl_cnt_d = ctl_cnt_q + 1;
        if (ctl_cnt_d == ctl_len_q) begin
          if (more_blk) begin
            ctl_blk_d = ctl_blk_q + 1;
            blk_@@I0@@_d = lb_@@I0@@;
            blk_@@IN@@_d = lb_@@IN@@;
            enter_look = 1'b1;
          end else if (next_active[0]) begin  // a next round (its array 0 has a tile)
            ctl_round_d = ctl_round_q + 1;
            ctl_blk_d = 32'd0;
            blk_@@I0@@_d = 32'd0;
            blk_@@IN@@_d = cfg_@@IC@@ < INNER ? cfg_@@IC@@ : INNER;
            ctl_phase_d = @@FIRST@@;
            next_round = 1'b1;
          end else
            ctl_phase_d = PH_DONE;
        end
      end
      default: ;
    endcase
@@ENTERLOOK@@  end

  always @(posedge clk)
    if (rst) begin
@@INIT@@    end else begin
@@REGQ@@    end
endmodule
)V";

// The weight orientation's controller phases (Build, Look, Flush, Drain).
const char* kCtlWeight = R"V(      PH_BUILD:
        if (!(|busy)) enter_look = 1'b1;
      PH_LOOK:
        if (!(|busy)) begin
          ctl_phase_d = PH_FLUSH;
          ctl_cnt_d = 32'd0;
        end
      PH_FLUSH: begin
        ctl_cnt_d = ctl_cnt_q + 1;
        if (ctl_cnt_d == LAT) begin
          ctl_phase_d = PH_DRAIN;
          ctl_cnt_d = 32'd0;
          ctl_len_d = len_max;
        end
      end
)V";
const char* kEnterLookWeight =
    R"V(    // enter_look: the first non-empty issue lists (none in any array: flush)
    if (enter_look) begin
      ctl_phase_d = PH_LOOK;
      if (&lk_none) begin
        ctl_phase_d = PH_FLUSH;
        ctl_cnt_d = 32'd0;
      end
    end
)V";
// The activation orientation's Look (block 0 also builds; then Drain).
const char* kCtlAct = R"V(      PH_LOOK:
        if (!(|busy)) begin
          ctl_phase_d = PH_DRAIN;
          ctl_cnt_d = 32'd0;
          ctl_len_d = len_max;
        end
)V";

// One array of the weight orientation: loader, Gray-code builder, lookup issue, read
// pipeline, lanes, drain.
const char* kArrWeight = R"V(
@@UNITHEAD@@  input  wire [31:0]       blk_nb_q,    // tokens of the block (controller)
  input  wire [31:0]       lb_m0,       // the look block: the next one on the last drain edge
  input  wire [31:0]       lb_nb,
  output reg               lk_none,     // the look block has no issue in this array
  output wire [31:0]       w_rd_grp,    // weights of group w_rd_grp for lanes w_rd_out ..
  output wire [31:0]       w_rd_out,
  input  wire [BW-1:0]     w_rd_data,   // lane l, element t at ((l*G+t)*WB), 0 past N or K
  output wire [31:0]       a_rd_grp,    // activations of groups a_rd_grp .. +S-1 for tokens
  output wire [31:0]       a_rd_tok,    // a_rd_tok .. +BT-1
  input  wire [AD-1:0]     a_rd_data,   // slot s, token m, element t at (((s*BT+m)*G+t)*AB)
@@UNITTAIL@@  localparam G = @@G@@, WB = @@WB@@, VB = WB, AB = @@AB@@, EB = @@EB@@, ACC = @@ACC@@;
  localparam AW = @@AW@@, R = @@R@@, S = @@S@@, LN = @@LN@@, BT = @@BT@@, LAT = @@LAT@@;
  localparam OB = @@OB@@, NST = @@NST@@, INIT = @@BINIT@@, SKIP = @@SKIP@@, SHARE = @@SHARE@@;
  localparam SIGNED = @@SIGNED@@, OFFSET = @@OFFSET@@, P = @@P@@;
  localparam BW = LN * G * WB, AD = S * BT * G * AB, MW = LN * EB;
  localparam PW = BT * LN * ACC, PX = PW + OB, RA = @@RA@@, NP = S * AB;
  localparam SW = BT + 8; // read stage: {mask, plane[4:0], negate, zero, valid}
  localparam [2:0] PH_BUILD = 3'd0, PH_LOOK = 3'd1, PH_DRAIN = 3'd3;

@@UNITREGS@@
  assign w_rd_grp = tile_j0_q + ld_slot_q;
  assign w_rd_out = tile_o0_q;
  assign a_rd_grp = tile_j0_q;
  assign a_rd_tok = lb_m0;
  // verilator lint_off UNUSED
  wire _unused_bits = &{1'b0, addr, dif, 1'b0};  // high address bits, the even LSB of A - sum V
  // verilator lint_on UNUSED

@@LDFN@@@@FUNCS@@@@TILEWALK@@
  integer s, b, m, t, l, x, p;
  reg [AB-1:0]   a_el, a_code;
  reg [S*AB*BT*G-1:0] idx_v;  // index of (slot, plane, token)
  reg [S*AB*BT-1:0]   cand_v; // (slot, plane, token) has an issue
  reg [NP-1:0]        ne_v;   // (slot, plane) has a non-empty issue list
  reg [NP*16-1:0]     first_v;
  reg [G-1:0]    ix, idx_cur;
  reg [15:0]     nxt, key;
  reg            has_nxt, found, issuing;
  reg [BT-1:0]   mask_cur;
  reg            rd_zero, rd_neg;
  reg [G-1:0]    rd_row;
  reg [31:0]     cur_p, addr, lk_s_e, lk_b_e;
  reg [15:0]     lk_ptr_e;
  reg            ld_go, bld_go;
  reg [BW-1:0]   bbuf;
  reg [G*EB-1:0] lane_v;
  reg [EB-1:0]   ent;
  reg [AW-1:0]   gsum, e_aw, term, accv, sumv, dif;
  reg [ACC-1:0]  fin;
  reg [SW-1:0]   rd_out;

  always @* begin
    // temporaries: every one assigned first (no latch)
    a_el = {AB{1'b0}}; a_code = {AB{1'b0}}; ix = {G{1'b0}}; key = 16'd0; found = 1'b0;
    cur_p = 32'd0; addr = 32'd0; ld_go = 1'b0; bld_go = 1'b0; bbuf = {BW{1'b0}};
    lane_v = {(G*EB){1'b0}}; ent = {EB{1'b0}}; gsum = {AW{1'b0}}; e_aw = {AW{1'b0}};
    term = {AW{1'b0}}; accv = {AW{1'b0}}; sumv = {AW{1'b0}}; dif = {AW{1'b0}};
    fin = {ACC{1'b0}}; packed_w = {PX{1'b0}};
    // ---- indexes and issue candidates of the look block ----
    idx_v = {(S*AB*BT*G){1'b0}};
    cand_v = {(S*AB*BT){1'b0}};
    for (s = 0; s < S; s = s + 1)
      for (m = 0; m < BT; m = m + 1)
        for (t = 0; t < G; t = t + 1) begin
          a_el = a_rd_data[((s*BT+m)*G+t)*AB +: AB];
          a_code = a_el;
          if (OFFSET) a_code[AB-1] = !a_el[AB-1];  // offset: the MSB inverted
          for (b = 0; b < AB; b = b + 1)
            idx_v[((s*AB+b)*BT+m)*G+t] = a_code[b] && (tile_j0_q + s) * G + t < cfg_k;
        end
    ne_v = {NP{1'b0}};
    first_v = {(NP*16){1'b0}};
    nxt = 16'd0;
    has_nxt = 1'b0;
    idx_cur = {G{1'b0}};
    mask_cur = {BT{1'b0}};
    for (s = 0; s < S; s = s + 1)
      for (b = 0; b < AB; b = b + 1) begin
        found = 1'b0;
        for (m = 0; m < BT; m = m + 1) begin
          ix = idx_v[((s*AB+b)*BT+m)*G +: G];
          cand_v[(s*AB+b)*BT+m] = s < tile_nj_q && m < lb_nb && (!SKIP || ix != {G{1'b0}});
          key = SHARE ? {{(16-G){1'b0}}, ix} : m[15:0];  // the list's order
          if (cand_v[(s*AB+b)*BT+m]) begin
            if (!found || key < first_v[(s*AB+b)*16 +: 16]) first_v[(s*AB+b)*16 +: 16] = key;
            found = 1'b1;
            if (s == lk_s_q && b == lk_b_q) begin
              if (key > lk_ptr_q && (!has_nxt || key < nxt)) begin
                nxt = key;
                has_nxt = 1'b1;
              end
              if (key == lk_ptr_q) begin
                mask_cur[m] = 1'b1;
                idx_cur = ix;
              end
            end
          end
        end
        ne_v[s*AB+b] = found;
      end
    issuing = ctl_phase_q == PH_LOOK && !lk_done_q;
    {rd_row, rd_neg, rd_zero} = lut_read(idx_cur);

    // ---- defaults: hold ----
@@HOLD@@    mem_we = 1'b0; mem_waddr = {RA{1'b0}}; mem_wdata = {MW{1'b0}};
    mem_re = 1'b0; mem_raddr = {RA{1'b0}};
    rd_in = {SW{1'b0}};

    // ---- lanes: the oldest read stage (issued LAT edges ago) is added ----
    rd_out = rd_pipe_q[LAT*SW-1 -: SW];
    if (rd_out[0])
      for (m = 0; m < BT; m = m + 1)
        if (rd_out[8+m])
          for (l = 0; l < LN; l = l + 1) begin
            ent = mem_rdata[l*EB +: EB];
            e_aw = rd_out[1] ? {AW{1'b0}} : sx_e2a(ent);
            if (rd_out[2]) e_aw = -e_aw;
            term = e_aw << rd_out[7:3];
            accv = acc_d[(m*LN+l)*AW +: AW];
            acc_d[(m*LN+l)*AW +: AW] = !OFFSET && {27'd0, rd_out[7:3]} == AB - 1 ? accv - term
                                                                                 : accv + term;
          end

    // ---- build: loader and Gray-code builder ----
    ld_go = ld_slot_q < tile_nj_q && !buf_full_q[ld_slot_q[0]];
    bld_go = !bld_busy_q && bld_slot_q < tile_nj_q && buf_full_q[bld_slot_q[0]];
    bbuf = bld_slot_q[0] ? buf1_q : buf0_q;
    if (ctl_phase_q == PH_BUILD) begin
      if (ld_go) begin
        ld_cnt_d = ld_cnt_q + 1;
        if (ld_cnt_d == ld_len(tile_no_q)) begin
          if (ld_slot_q[0]) buf1_d = w_rd_data; else buf0_d = w_rd_data;
          buf_full_d[ld_slot_q[0]] = 1'b1;
          ld_slot_d = ld_slot_q + 1;
          ld_cnt_d = 32'd0;
        end
      end
      if (bld_go) begin
        bld_busy_d = 1'b1;
        bld_step_d = 32'd0;
        bld_cnt_d = 32'd0;
        bld_d = {MW{1'b0}};
        for (l = 0; l < LN; l = l + 1) begin
          gsum = sum_d[l*AW +: AW];
          for (t = 0; t < G; t = t + 1)
            gsum = gsum + sx_v2a(bbuf[(l*G+t)*WB +: WB]);
          sum_d[l*AW +: AW] = gsum;
        end
      end
      if (bld_busy_d) begin
        bld_cnt_d = bld_cnt_d + 1;
        if (bld_cnt_d == (SIGNED && bld_step_d == 0 ? INIT : 1)) begin
          for (l = 0; l < LN; l = l + 1) begin
            for (t = 0; t < G; t = t + 1)
              lane_v[t*EB +: EB] = sx_v2e(bbuf[(l*G+t)*WB +: WB]);
            bld_d[l*EB +: EB] = step_val(bld_step_d, bld_d[l*EB +: EB], lane_v);
          end
          mem_we = 1'b1;
          addr = bld_slot_q * R + {{(32-G){1'b0}}, step_row(bld_step_d)};
          mem_waddr = addr[RA-1:0];
          mem_wdata = bld_d;
          bld_cnt_d = 32'd0;
          bld_step_d = bld_step_d + 1;
          if (bld_step_d == NST) begin
            bld_busy_d = 1'b0;
            buf_full_d[bld_slot_q[0]] = 1'b0;
            bld_slot_d = bld_slot_q + 1;
          end
        end
      end
    end

    // ---- look: one issue per edge ----
    if (issuing) begin
      rd_in = {mask_cur, lk_b_q[4:0], rd_neg, rd_zero, 1'b1};
      mem_re = !rd_zero;
      addr = lk_s_q * R + {{(32-G){1'b0}}, rd_row};
      mem_raddr = addr[RA-1:0];
      if (has_nxt)
        lk_ptr_d = nxt;
      else begin
        cur_p = lk_s_q * AB + lk_b_q;
        lk_done_d = 1'b1;
        for (p = NP - 1; p >= 0; p = p - 1)
          if (p > cur_p && ne_v[p]) begin
            lk_s_d = p / AB;
            lk_b_d = p % AB;
            lk_ptr_d = first_v[p*16 +: 16];
            lk_done_d = 1'b0;
          end
      end
    end

@@DRAIN@@
    // ---- work left after this edge (the controller ends a phase when no array has any) ----
    busy = ctl_phase_q == PH_BUILD ? bld_slot_d < tile_nj_q : ctl_phase_q == PH_LOOK && !lk_done_d;
    // enter_look (the controller's, taken on the clock): the look block's first non-empty
    // issue list
    lk_none = 1'b1; lk_s_e = 32'd0; lk_b_e = 32'd0; lk_ptr_e = 16'd0;
    for (p = NP - 1; p >= 0; p = p - 1)
      if (ne_v[p]) begin
        lk_s_e = p / AB;
        lk_b_e = p % AB;
        lk_ptr_e = first_v[p*16 +: 16];
        lk_none = 1'b0;
      end
  end

@@UNITCLOCK@@)V";

// One array of the activation orientation: per output block of LN outputs it reads the
// tile's rows (one row = the MT token tables of one group); the first block also builds
// them (docs/lut-gemv.md "Schedule").
const char* kArrAct = R"V(
@@UNITHEAD@@  input  wire [31:0]       blk_n0_q,    // the output block (controller)
  input  wire [31:0]       blk_nn_q,
  output wire [31:0]       w_rd_grp,    // weights of group w_rd_grp (the planes the lanes use)
  output wire [31:0]       w_rd_out,    // for the outputs w_rd_out .. +LN-1
  input  wire [BW-1:0]     w_rd_data,   // lane l, element t at ((l*G+t)*UB), 0 past N or K
  output wire [31:0]       a_rd_grp,    // activations of group a_rd_grp (the row being built)
  output wire [31:0]       a_rd_tok,    // for the tokens a_rd_tok .. +MT-1
  input  wire [AD-1:0]     a_rd_data,   // token m, element t at ((m*G+t)*VB), 0 past M or K
@@UNITTAIL@@  localparam G = @@G@@, UB = @@UB@@, VB = @@VB@@, EB = @@EB@@, ACC = @@ACC@@, AW = @@AW@@;
  localparam R = @@R@@, RW = @@RW@@, MT = @@MT@@, LN = @@LN@@, LAT = @@LAT@@, OB = @@OB@@;
  localparam NST = @@NST@@, SIGNED = @@SIGNED@@, OFFSET = @@OFFSET@@, DUAL = @@DUAL@@;
  localparam BW = LN * G * UB, AD = MT * G * VB, MW = MT * R * EB, RA = @@RA@@;
  localparam PW = MT * LN * ACC, PX = PW + OB, P = @@P@@;
  localparam SW = 33; // read stage: {group, valid}
  localparam [2:0] PH_LOOK = 3'd1, PH_DRAIN = 3'd3;

@@UNITREGS@@
  wire [SW-1:0]  rd_out = rd_pipe_q[LAT*SW-1 -: SW]; // the oldest stage: its row is usable

  assign w_rd_grp = rd_out[0] ? rd_out[SW-1:1] : hold_group_q;
  assign w_rd_out = blk_n0_q;
  assign a_rd_grp = tile_j0_q + wr_rows_q;
  assign a_rd_tok = tile_o0_q;
  // verilator lint_off UNUSED
  wire _unused_bits = &{1'b0, dif, 1'b0};  // the even LSB of A - sum V
  // verilator lint_on UNUSED

@@BRFN@@@@FUNCS@@@@TILEWALK@@
  integer x, l, t, b, k;
  reg            use_row, ready, pending;
  reg [MW-1:0]   row_v, row_w;
  reg [31:0]     grp, pl;
  reg [UB-1:0]   w_code;
  reg [G-1:0]    ix, rd_row;
  reg            rd_zero, rd_neg;
  reg [G*EB-1:0] tok_v;
  reg [EB-1:0]   ent, cur;
  reg [AW-1:0]   gsum, e_aw, term, accv, sumv, dif;
  reg [ACC-1:0]  fin;

  always @* begin
    // temporaries: every one assigned first (no latch)
    row_w = {MW{1'b0}}; w_code = {UB{1'b0}}; ix = {G{1'b0}}; rd_row = {G{1'b0}};
    rd_zero = 1'b0; rd_neg = 1'b0; tok_v = {(G*EB){1'b0}}; ent = {EB{1'b0}};
    cur = {EB{1'b0}}; gsum = {AW{1'b0}}; e_aw = {AW{1'b0}}; term = {AW{1'b0}};
    accv = {AW{1'b0}}; sumv = {AW{1'b0}}; dif = {AW{1'b0}}; fin = {ACC{1'b0}};
    // ---- defaults: hold ----
@@HOLD@@    mem_we = 1'b0; mem_waddr = {RA{1'b0}}; mem_wdata = {MW{1'b0}};
    mem_re = 1'b0; mem_raddr = {RA{1'b0}};
    rd_in = {SW{1'b0}};

    // ---- lanes: the row of the oldest read stage on its plane 0, then the held row ----
    use_row = 1'b0; row_v = hold_q; grp = hold_group_q; pl = plane_q;
    if (rd_out[0]) begin
      use_row = 1'b1; row_v = mem_rdata; grp = rd_out[SW-1:1]; pl = 32'd0;
      hold_d = mem_rdata; hold_group_d = grp; plane_d = 32'd1;
    end else if (plane_q < UB) begin
      use_row = 1'b1;
      plane_d = plane_q + 1;
    end
    if (use_row)
      for (l = 0; l < LN; l = l + 1)
        if (l < blk_nn_q) begin
          // the index of output blk_n0 + l, group grp, plane pl (bits past K are 0)
          for (t = 0; t < G; t = t + 1) begin
            w_code = w_rd_data[(l*G+t)*UB +: UB];
            if (OFFSET) w_code[UB-1] = !w_code[UB-1];  // offset: the MSB inverted
            ix[t] = 1'b0;
            for (b = 0; b < UB; b = b + 1)
              if (b == pl) ix[t] = w_code[b] && grp * G + t < cfg_k;
          end
          {rd_row, rd_neg, rd_zero} = lut_read(ix);
          for (x = 0; x < MT; x = x + 1)
            if (x < tile_no_q) begin
              ent = row_v[(x*R + {{(32-G){1'b0}}, rd_row})*EB +: EB];
              e_aw = rd_zero ? {AW{1'b0}} : sx_e2a(ent);
              if (rd_neg) e_aw = -e_aw;
              term = e_aw << pl[4:0];
              accv = acc_d[(x*LN+l)*AW +: AW];
              acc_d[(x*LN+l)*AW +: AW] = !OFFSET && pl == UB - 1 ? accv - term : accv + term;
            end
        end

    // ---- look: the builder writes a row every Brow edges (first block only) ----
    if (ctl_phase_q == PH_LOOK && wr_rows_q < tile_nj_q) begin
      bld_cnt_d = bld_cnt_q + 1;
      if (bld_cnt_d == brow_len(tile_no_q)) begin
        for (x = 0; x < MT; x = x + 1) begin
          gsum = sum_q[x*AW +: AW];
          for (t = 0; t < G; t = t + 1) begin
            tok_v[t*EB +: EB] = sx_v2e(a_rd_data[(x*G+t)*VB +: VB]);
            gsum = gsum + sx_v2a(a_rd_data[(x*G+t)*VB +: VB]);
          end
          sum_d[x*AW +: AW] = gsum;
          cur = {EB{1'b0}};  // T[0] (subset); the signed start overwrites it
          for (k = 0; k < NST; k = k + 1) begin
            cur = step_val(k, cur, tok_v);
            row_w[(x*R + {{(32-G){1'b0}}, step_row(k)})*EB +: EB] = cur;
          end
        end
        mem_we = 1'b1;
        mem_waddr = wr_rows_q[RA-1:0];
        mem_wdata = row_w;
        wr_rows_d = wr_rows_q + 1;
        bld_cnt_d = 32'd0;
      end
    end
    // ---- look: the reader, row r once written (1rw1r) or all written (1rw), every UB edges
    ready = DUAL ? rd_row_q < wr_rows_q : wr_rows_q == tile_nj_q;
    if (ctl_phase_q == PH_LOOK) begin
      if (rd_row_q < tile_nj_q && rd_wait_q == 32'd0 && ready) begin
        rd_in = {tile_j0_q + rd_row_q, 1'b1};
        mem_re = 1'b1;
        mem_raddr = rd_row_q[RA-1:0];
        rd_row_d = rd_row_q + 1;
        rd_wait_d = UB - 1;
      end else if (rd_wait_q != 32'd0)
        rd_wait_d = rd_wait_q - 1;
    end
    pending = rd_in[0];  // reads in flight after this edge
    for (k = 0; k < LAT - 1; k = k + 1)
      pending = pending || rd_pipe_q[k*SW];

@@DRAIN@@
    // ---- work left after this edge (the controller ends a phase when no array has any) ----
    busy = ctl_phase_q == PH_LOOK &&
           (wr_rows_d < tile_nj_q || rd_row_d < tile_nj_q || pending || plane_d < UB);
  end

@@UNITCLOCK@@)V";

const char* kSram = R"V(
(* blackbox *)
module @@TOP@@_lut_sram (
  input  wire            clk,
  input  wire            we,
  input  wire [RA-1:0]   waddr,
  input  wire [MW-1:0]   wdata,
  input  wire            re,
  input  wire [RA-1:0]   raddr,
  output wire [MW-1:0]   rdata
);
  localparam ROWS = @@ROWS@@, MW = @@MW@@, RA = @@RA@@;
  reg [MW-1:0] mem [0:ROWS-1];
  reg [RA-1:0] raddr_q;
  always @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    if (re) raddr_q <= raddr;
  end
@@DOUT@@endmodule
)V";

// One register of a generated top: `name`_q and its next value `name`_d.
struct RegDecl {
  std::string name, width; // width: a Verilog expression ("32", "MT*AW", "1")
  std::string init;        // its value on rst / enter_round ("": zero)
  bool fsm_none = false;   // (* fsm_encoding = "none" *): keeps yosys from extracting an FSM
  RegDecl(std::string n, std::string w, std::string i = "", bool f = false)
      : name(std::move(n)), width(std::move(w)), init(std::move(i)), fsm_none(f) {}
};

// The declarations of `regs`: every _q, then every _d.
std::string reg_decls(const std::vector<RegDecl>& regs) {
  std::string q, d;
  for (const RegDecl& r : regs) {
    const bool numeric = r.width.find_first_not_of("0123456789") == std::string::npos;
    const std::string range = r.width == "1" ? ""
                              : numeric      ? "[" + num(std::stoll(r.width) - 1) + ":0] "
                                             : "[" + r.width + "-1:0] ";
    q += std::string("  ") + (r.fsm_none ? "(* fsm_encoding = \"none\" *) " : "") + "reg " + range +
         r.name + "_q;\n";
    d += "  reg " + range + r.name + "_d;\n";
  }
  return q + d;
}
// One line per register: `name`_LHS OP `name`_RHS; (the hold "_d = _q" or the clocked "_q <= _d").
std::string reg_moves(const std::vector<RegDecl>& regs, const std::string& indent,
                      const std::string& lhs, const std::string& op, const std::string& rhs) {
  std::string s;
  for (const RegDecl& r : regs)
    s += indent + r.name + lhs + " " + op + " " + r.name + rhs + ";\n";
  return s;
}
// One line per register: `name`_q <= its init.
std::string reg_inits(const std::vector<RegDecl>& regs, const std::string& indent) {
  std::string s;
  for (const RegDecl& r : regs) {
    const std::string zero = r.width == "1"    ? "1'b0"
                             : r.width == "32" ? "32'd0"
                                               : "{(" + r.width + "){1'b0}}";
    s += indent + r.name + "_q <= " + (r.init.empty() ? zero : r.init) + ";\n";
  }
  return s;
}
// The keys of a module whose registers are `regs`: REGS (declarations), HOLD (the
// defaults of the next values), REGQ (the clocked copies) and INIT (rst / enter_round).
void reg_keys(std::map<std::string, std::string>& v, const std::vector<RegDecl>& regs,
              const std::string& copy_indent) {
  v["REGS"] = reg_decls(regs);
  v["HOLD"] = reg_moves(regs, "    ", "_d", "=", "_q");
  v["REGQ"] = reg_moves(regs, copy_indent, "_q", "<=", "_d");
  v["INIT"] = reg_inits(regs, copy_indent);
}

// A table function `fn`(arg) of the values value(1..n) (else 1), after `comment`.
template <class F>
std::string table_function(const std::string& comment, const std::string& fn,
                           const std::string& arg, int64_t n, F value) {
  std::string s = "  // " + comment + "\n  function [31:0] " + fn + "(input [31:0] " + arg +
                  ");\n    begin\n      case (" + arg + ")\n";
  for (int64_t i = 1; i <= n; ++i)
    s += "        32'd" + num(i) + ": " + fn + " = 32'd" + num(value(i)) + ";\n";
  return s + "        default: " + fn + " = 32'd1;\n      endcase\n    end\n  endfunction\n";
}

// The shared functions (drain length, the Gray walk, sign extensions) of a design whose
// drain packs up to `words` words.
std::string funcs_text(const LutGemvParams& p, const LutArith& ar, int64_t words,
                       std::map<std::string, std::string> v) {
  const int g = ar.group(), e = ar.entry_bits();
  const bool sgn = p.arith.form == LutForm::Signed;
  v["DRFN"] = table_function("drain cycles ceil(words ACC / out_bits)", "drain_len", "words", words,
                             [&](int64_t w) { return lut_drain_cycles(p, w); });
  std::string rows, vals;
  const auto& walk = ar.gray_schedule();
  for (size_t k = 0; k < walk.size(); ++k) {
    const LutBuildStep& st = walk[k];
    const std::string K = "        32'd" + num(int64_t(k)) + ": ";
    rows += K + "step_row = " + num(g) + "'d" + num(st.row) + ";\n";
    auto el = [&](int t) { return "v[" + num(int64_t(t) * e) + " +: EB]"; };
    std::string val;
    if (st.elem < 0) { // the signed start T[1] = V_0 - sum_{t>=1} V_t
      val = el(0);
      for (int t = 1; t < g; ++t)
        val += " - " + el(t);
    } else {
      const std::string op = st.sign > 0 ? " + " : " - ";
      val = "prev" + op + el(st.elem);
      if (sgn) val += op + el(st.elem); // +-2 V_t
    }
    vals += K + "step_val = " + val + ";\n";
  }
  v["ROWCASE"] = rows;
  v["VALCASE"] = vals;
  auto sx = [](int from, int to) {
    return from == to ? std::string("w")
                      : "{{" + num(to - from) + "{w[" + num(from - 1) + "]}}, w}";
  };
  v["SXV2E"] = sx(ar.v_bits(), e);
  v["SXV2A"] = sx(ar.v_bits(), ar.a_bits());
  v["SXE2A"] = sx(e, ar.a_bits());
  return subst(kFuncs, v);
}

// The array's read data: L - 1 output registers after the registered address.
std::string sram_dout(int lat, int64_t mw) {
  if (lat == 1) return "  assign rdata = mem[raddr_q];\n";
  std::string d = "  reg [" + num(int64_t(lat - 1) * mw - 1) + ":0] dout_q;\n";
  d += "  always @(posedge clk)\n" +
       pipe_shift("dout_q", lat - 1, int(mw), "mem[raddr_q]").substr(2);
  d += "  assign rdata = dout_q[" + num(int64_t(lat - 1) * mw - 1) + " -: MW];\n";
  return d;
}

// The keys the two orientations name differently, for the shared pieces.
std::map<std::string, std::string> orientation_keys(bool weight) {
  return {// drain: words of NXMAX x LN accumulators, sum V of word (x, l) at sum_q[SUMIX],
          // the index operand UBITS wide, NX x NL words drained
          {"NXMAX", weight ? "BT" : "MT"},
          {"SUMIX", weight ? "l" : "x"},
          {"UBITS", weight ? "AB" : "UB"},
          {"NX", weight ? "blk_nb_q" : "tile_no_q"},
          {"NL", weight ? "tile_no_q" : "blk_nn_q"},
          // tiles: OUTER operands (of cfg_OC) x SLOTS groups; inner blocks of INNER (of cfg_IC)
          {"OC", weight ? "n" : "m"},
          {"IC", weight ? "m" : "n"},
          {"OUTER", weight ? "LN" : "MT"},
          {"INNER", weight ? "BT" : "LN"},
          {"SLOTS", weight ? "S" : "RW"},
          {"I0", weight ? "m0" : "n0"},
          {"IN", weight ? "nb" : "nn"}};
}

// The registers of the array unit `<top>_arr` (the model's Array), with the keys `v`
// of its tile ranges and widths (unit_module, lut_gemv_register_bits).
std::vector<RegDecl> unit_regs(const LutGemvParams& p, std::map<std::string, std::string>& v) {
  const bool weight = p.arith.table == LutTable::Weight;
  const std::string w32 = "32";
  // enter_round(o0, j0): the tile's ranges; an array without a tile has none
  const std::string act = "o0 < cfg_" + v["OC"];
  auto range = [&](const std::string& n, const std::string& x0, const std::string& cap) {
    return act + " ? (cfg_" + n + " - " + x0 + " < " + cap + " ? cfg_" + n + " - " + x0 + " : " +
           cap + ") : 32'd0";
  };
  std::vector<RegDecl> regs = {{"active", "1", act},
                               {"tile_o0", w32, "o0"},
                               {"tile_no", w32, range(v["OC"], "o0", v["OUTER"])},
                               {"tile_j0", w32, "j0"},
                               {"tile_nj", w32, range("g", "j0", v["SLOTS"])}};
  if (weight) {
    for (const char* n : {"ld_slot", "ld_cnt"})
      regs.push_back({n, w32});
    regs.push_back({"buf_full", "2"});
    regs.push_back({"buf0", "BW"});
    regs.push_back({"buf1", "BW"});
    for (const char* n : {"bld_slot", "bld_step", "bld_cnt"})
      regs.push_back({n, w32});
    regs.push_back({"bld_busy", "1"});
    regs.push_back({"bld", "MW"});
    regs.push_back({"sum", "LN*AW"});
    regs.push_back({"lk_s", w32});
    regs.push_back({"lk_b", w32});
    // plain: the token of the issue; shared: its index
    regs.push_back({"lk_ptr", "16", "", true});
    regs.push_back({"lk_done", "1", "1'b1"});
    regs.push_back({"acc", "BT*LN*AW"});
  } else {
    for (const char* n : {"bld_cnt", "wr_rows", "rd_row", "rd_wait", "hold_group"})
      regs.push_back({n, w32});
    regs.push_back({"plane", w32, "UB"});
    regs.push_back({"sum", "MT*AW"});
    regs.push_back({"hold", "MW"});
    regs.push_back({"acc", "MT*LN*AW"});
  }
  regs.push_back({"dr", "PX"});
  return regs;
}

// The array unit `<top>_arr` of either orientation, for the common keys `v`.
std::string unit_module(const LutGemvParams& p, const LutArith& ar,
                        std::map<std::string, std::string> v) {
  const bool weight = p.arith.table == LutTable::Weight;
  for (const auto& [k, x] : orientation_keys(weight))
    v[k] = x;
  const int64_t S = p.rows / ar.rows(), LN = weight ? p.cols / ar.entry_bits() : p.lanes;
  const int64_t BT = weight ? p.batch : p.tokens_per_pass;
  if (weight) {
    const int g = ar.group();
    v["WB"] = num(ar.v_bits());
    v["AB"] = num(ar.u_bits());
    v["S"] = num(S);
    v["BT"] = num(BT);
    v["BINIT"] = num(p.build_init_cycles);
    v["SKIP"] = p.skip_zero_index && p.arith.form == LutForm::Subset ? "1" : "0";
    v["SHARE"] = p.batch_shared_lookup ? "1" : "0";
    v["LDFN"] =
        table_function("load cycles ceil(g no WB / stream_bits) for no lanes", "ld_len", "no", LN,
                       [&](int64_t no) {
                         return (int64_t(g) * no * ar.v_bits() + p.stream_bits - 1) / p.stream_bits;
                       });
  } else {
    v["UB"] = num(ar.u_bits());
    v["VB"] = num(ar.v_bits());
    v["RW"] = num(p.rows);
    v["MT"] = num(BT);
    v["DUAL"] = p.dual_port ? "1" : "0";
    v["BRFN"] = table_function(
        "row build cycles ceil(no R / builder_entries_per_cycle) for no tokens", "brow_len", "no",
        BT, [&](int64_t no) { return lut_act_build_row_cycles(p, ar, no); });
  }
  const std::vector<RegDecl> regs = unit_regs(p, v);
  v["LN"] = num(LN);
  v["FUNCS"] = funcs_text(p, ar, LN * BT, v);
  reg_keys(v, regs, "      ");
  v["ENTER"] = weight
                   ? "      if (enter_look) begin  // the look block's first issue\n"
                     "        lk_s_q <= lk_s_e; lk_b_q <= lk_b_e; lk_ptr_q <= lk_ptr_e;\n"
                     "        lk_done_q <= lk_none;\n      end\n"
                   : "      if (enter_look) begin  // the next output block reads the rows again\n"
                     "        rd_row_q <= 32'd0;\n        rd_wait_q <= 32'd0;\n      end\n";
  v["PIPE"] = pipe_shift("rd_pipe_q", p.read_latency, weight ? int(BT) + 8 : 33, "rd_in")
                  .substr(2); // at the clocked block's indent
  v["UNITHEAD"] = subst(kUnitHead, v);
  v["UNITREGS"] = subst(kUnitRegs, v);
  v["UNITTAIL"] = kUnitTail;
  v["TILEWALK"] = subst(kTileWalk, v);
  v["DRAIN"] = subst(kDrain, v);
  v["UNITCLOCK"] = subst(kUnitClock, v);
  return subst(weight ? kArrWeight : kArrAct, v);
}

// The controller's registers, for the keys `v` of top_module.
std::vector<RegDecl> ctl_regs(std::map<std::string, std::string>& v) {
  const std::string w32 = "32";
  const std::string in = v["IN"], ic = "cfg_" + v["IC"];
  return {{"ctl_phase", "3", v["FIRST"], true},
          {"ctl_round", w32},
          {"ctl_blk", w32},
          {"ctl_cnt", w32},
          {"ctl_len", w32},
          {"blk_" + v["I0"], w32},
          {"blk_" + in, w32, ic + " < INNER ? " + ic + " : INNER"}};
}

// The top (controller and P array units) for the common keys `v`.
std::string top_module(const LutGemvParams& p, const LutArith& ar,
                       std::map<std::string, std::string> v) {
  const bool weight = p.arith.table == LutTable::Weight;
  for (const auto& [k, x] : orientation_keys(weight))
    v[k] = x;
  const int g = ar.group();
  const int64_t LN = weight ? p.cols / ar.entry_bits() : p.lanes;
  v["BW"] = num(LN * g * p.arith.weight_bits);
  v["AD"] =
      num((weight ? (p.rows / ar.rows()) * p.batch : p.tokens_per_pass) * g * p.arith.act_bits);
  v["INNER"] = num(weight ? p.batch : p.lanes);
  v["CTLPARAMS"] =
      weight ? "  localparam LAT = " + num(p.read_latency) +
                   ";\n  localparam [2:0] PH_BUILD = 3'd0, PH_LOOK = 3'd1, PH_FLUSH = 3'd2, "
                   "PH_DRAIN = 3'd3,\n                   PH_DONE = 3'd4;\n"
             : "  localparam [2:0] PH_LOOK = 3'd1, PH_DRAIN = 3'd3, PH_DONE = 3'd4;\n";
  v["CTLWIRES"] = weight ? "  wire [P-1:0]   lk_none;\n" : "";
  v["UNITCONN"] = weight ? "        .blk_nb_q(blk_nb_q), .lb_m0(lb_m0), .lb_nb(lb_nb), "
                           ".lk_none(lk_none[i]),\n"
                         : "        .blk_n0_q(blk_n0_q), .blk_nn_q(blk_nn_q),\n";
  v["CTLCASE"] = weight ? kCtlWeight : kCtlAct;
  v["ENTERLOOK"] = weight ? kEnterLookWeight : "    if (enter_look) ctl_phase_d = PH_LOOK;\n";
  v["FIRST"] = weight ? "PH_BUILD" : "PH_LOOK";
  reg_keys(v, ctl_regs(v), "      ");
  return subst(kTop, v);
}

// The array's row width in bits: weight E entries of e bits; activation the M_t tables of
// one group (R entries each).
int64_t row_bits(const LutGemvParams& p, const LutArith& ar) {
  const int e = ar.entry_bits();
  return p.arith.table == LutTable::Weight ? (p.cols / e) * e
                                           : int64_t(p.tokens_per_pass) * ar.rows() * e;
}

// The keys every module of the design shares (top `top`).
std::map<std::string, std::string> common_keys(const LutGemvParams& p, const LutArith& ar,
                                               const std::string& top) {
  const bool sgn = p.arith.form == LutForm::Signed;
  const int R = ar.rows();
  // the array: weight S R rows of E entries; activation `rows` rows of M_t tables
  const int64_t rows = p.arith.table == LutTable::Weight ? (p.rows / R) * R : p.rows;
  const int64_t mw = row_bits(p, ar);
  return {{"TOP", top},
          {"P", num(p.arrays)},
          {"G", num(ar.group())},
          {"EB", num(ar.entry_bits())},
          {"ACC", num(ar.acc_bits())},
          {"AW", num(ar.a_bits())},
          {"R", num(R)},
          {"LAT", num(p.read_latency)},
          {"OB", num(p.out_bits)},
          {"NST", num(int64_t(ar.gray_schedule().size()))},
          {"SIGNED", sgn ? "1" : "0"},
          {"OFFSET", p.arith.index_code == LutIndexCode::Offset ? "1" : "0"},
          {"RA", num(std::max(1, ceil_log2(rows)))},
          {"ROWS", num(rows)},
          {"MW", num(mw)},
          {"FIN", sgn ? "dif[AW-1:1]" : "dif[ACC-1:0]"},
          {"DOUT", sram_dout(p.read_latency, mw)}};
}

// The bits of `regs`, each width a product of numbers and the names in `vals`.
int64_t regs_bits(const std::vector<RegDecl>& regs, const std::map<std::string, int64_t>& vals) {
  int64_t bits = 0;
  for (const RegDecl& r : regs) {
    int64_t w = 1;
    size_t at = 0;
    while (at <= r.width.size()) {
      const size_t star = std::min(r.width.find('*', at), r.width.size());
      const std::string f = r.width.substr(at, star - at);
      if (f.find_first_not_of("0123456789") == std::string::npos) {
        w *= std::stoll(f);
      } else {
        const auto it = vals.find(f);
        if (it == vals.end())
          throw std::logic_error("lut_gemv register " + r.name + ": unknown width name " + f);
        w *= it->second;
      }
      at = star + 1;
    }
    bits += w;
  }
  return bits;
}

} // namespace

bool lut_gemv_rtl_supported(const ArchConfig& arch, std::string* why) {
  auto no = [&](const std::string& m) {
    if (why) *why = m;
    return false;
  };
  if (arch.engine != "lut_gemv") return no("engine: not lut_gemv");
  const LutGemvParams p = lut_gemv_params(arch);
  if (LutArith(p.arith).a_bits() <= LutArith(p.arith).entry_bits())
    return no("acc_bits: the Verilog needs accumulators wider than entry_bits");
  return true;
}

GeneratedRtl generate_lut_gemv_verilog(const ArchConfig& arch, const std::string& regenerate_cmd) {
  std::string why;
  if (!lut_gemv_rtl_supported(arch, &why)) throw std::invalid_argument(why);
  const LutGemvParams p = lut_gemv_params(arch);
  const LutArith ar(p.arith);
  const bool weight = p.arith.table == LutTable::Weight;
  GeneratedRtl out;
  out.top = "tpe_" + verilog_ident(arch.name);
  const std::map<std::string, std::string> v = common_keys(p, ar, out.top);
  const std::string file = out.top + ".v", sram = out.top + "_lut_sram.v",
                    unit = out.top + "_arr.v";
  out.files[file] =
      generated_banner("lut_gemv engine " + out.top + " (" + lut_gemv_shape(p) +
                           "): " + (weight ? "weight" : "activation") + " orientation, " +
                           num(p.arrays) + (p.arrays == 1 ? " array" : " arrays in lockstep") +
                           "; registers as sim/lut_gemv_core.cpp",
                       regenerate_cmd) +
      top_module(p, ar, v);
  out.files[unit] = generated_banner("one array unit of " + out.top + " (" +
                                         (weight ? "weight" : "activation") + " orientation)",
                                     regenerate_cmd) +
                    unit_module(p, ar, v);
  out.files[sram] = generated_banner("behavioural SRAM array of " + out.top +
                                         " (OpenRAM port timing; blackboxed in synthesis)",
                                     regenerate_cmd) +
                    subst(kSram, v);
  out.sources = {sram, unit, file};
  out.files["filelist.f"] = sram + "\n" + unit + "\n" + file + "\n";
  return out;
}

LutGemvRegisterBits lut_gemv_register_bits(const ArchConfig& arch) {
  std::string why;
  if (!lut_gemv_rtl_supported(arch, &why)) throw std::invalid_argument(why);
  const LutGemvParams p = lut_gemv_params(arch);
  const LutArith ar(p.arith);
  const bool weight = p.arith.table == LutTable::Weight;
  std::map<std::string, std::string> v = common_keys(p, ar, "count");
  for (const auto& [k, x] : orientation_keys(weight))
    v[k] = x;
  v["FIRST"] = weight ? "PH_BUILD" : "PH_LOOK";
  const int64_t LN = weight ? p.cols / ar.entry_bits() : p.lanes;
  const int64_t inner = weight ? p.batch : p.tokens_per_pass;  // BT or MT
  const int64_t idx_bits = weight ? ar.v_bits() : ar.u_bits(); // the weights' bits in BW
  const std::map<std::string, int64_t> vals = {{"LN", LN},
                                               {"AW", ar.a_bits()},
                                               {"BT", inner},
                                               {"MT", inner},
                                               {"MW", row_bits(p, ar)},
                                               {"BW", LN * ar.group() * idx_bits},
                                               {"PX", inner * LN * ar.acc_bits() + p.out_bits}};
  LutGemvRegisterBits r;
  r.arrays = p.arrays;
  // the read pipeline: LAT stages of SW bits (kUnitRegs; SW in kArrWeight / kArrAct)
  r.unit = regs_bits(unit_regs(p, v), vals) + int64_t(p.read_latency) * (weight ? inner + 8 : 33);
  r.controller = regs_bits(ctl_regs(v), vals);
  return r;
}

} // namespace tpe
