// The lut_gemv Verilog (both orientations, one array). Weight orientation, edge by edge as
// sim/lut_gemv_core.cpp: one combinational block computes every next register from
// the current ones (loader, Gray-code builder with its walk unrolled into case
// tables generated from LutArith::gray_schedule(), the lookup issue list of the token
// block found by priority encoders over the (slot, plane, token) candidates, the lanes
// consuming the oldest read-pipeline stage, the drain's correction and packing), and
// one clocked block registers them. The operands arrive through combinational read
// ports that the harness serves (w_rd: one group of every lane, a_rd: the tile's
// groups of the look block's tokens), the outputs leave as out_bits chunks of the
// packed partial sums, one per drain edge. Activation orientation (kTopAct): the
// builder forms a row (the tile's token tables of one group, the Gray walk unrolled)
// on its Brow-th edge, the reader issues a row every w edges once it is written (1rw1r)
// or the tile's rows all are (1rw), and the lanes take plane 0 from the arriving row and
// planes 1..w-1 from the held one, indexing with the weight planes of their outputs
// (w_rd: the group's weights of the output block; a_rd: the group's activations of the
// tile's tokens). The pieces both share (module head, drain, enter_round's head, the
// Gray walk, LutArith::read) are written once.
#include "rtl_gen/lut_gemv_verilog.h"
#include "core/bits.h"
#include "dataflows/lut_gemv_mapping.h"
#include "pe_models/lut_table.h"
#include "rtl_gen/verilog_text.h"
#include <map>
#include <stdexcept>
#include <vector>

namespace tpe {

namespace {

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

const char* kFuncs = R"V(  // drain cycles ceil(words ACC / out_bits)
  function [31:0] drain_len(input [31:0] words);
    begin
      case (words)
@@DRCASE@@        default: drain_len = 32'd1;
      endcase
    end
  endfunction
  // the Gray walk (LutArith::gray_schedule): table row written by step k
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

// The pieces both tops share: the module head and the drain port (ports, outputs, the
// drain's packing of the corrected words and its first lines in the controller).
const char* kHead = R"V(module @@TOP@@ (
  input  wire              clk,
  input  wire              rst,       // synchronous: the edge with rst high starts the GEMM
  input  wire [31:0]       cfg_m,     // M tokens (rows of A)
  input  wire [31:0]       cfg_k,     // K
  input  wire [31:0]       cfg_n,     // N outputs (columns of B)
  input  wire [31:0]       cfg_g,     // G = ceil(K / g) groups
  output wire              done,
)V";
const char* kPortTail =
    R"V(  output wire              o_wr_en,   // one chunk of the drained partial sums per edge
  output wire [31:0]       o_wr_tile,
  output wire [31:0]       o_wr_blk,
  output wire [31:0]       o_wr_chunk,
  output wire [OB-1:0]     o_wr_data, // bits chunk*OB.. of the words (x*nl+l)*ACC
  output wire              row_wr,    // an array row written on this edge
  output wire              row_rd     // an array row read on this edge
);
)V";
const char* kOutAssign = R"V(  assign done = ctl_phase_q == PH_DONE;
  assign o_wr_en = ctl_phase_q == PH_DRAIN;
  assign o_wr_tile = ctl_round_q;
  assign o_wr_blk = ctl_blk_q;
  assign o_wr_chunk = ctl_cnt_q;
  assign o_wr_data = ctl_cnt_q == 32'd0 ? packed_w[OB-1:0] : dr_q[OB-1:0];
  assign row_wr = mem_we;
  assign row_rd = mem_re;
)V";
// the words x * NL + l of x < NX tokens and l < NL lanes (shared_pieces)
const char* kDrainPack = R"V(    // ---- drain: the correction of every word, packed ----
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
)V";
// enter_round's head: the tile (outer operand from o0, groups from j0), inner block 0
const char* kRoundHead =
    R"V(  // enter_round: tile t of the round (@@OW@@ o0.., groups j0..), @@IW@@ block 0
  task enter_round(input [31:0] o0, input [31:0] j0);
    begin
      tile_o0_q <= o0;
      tile_no_q <= cfg_@@OC@@ - o0 < @@OUTER@@ ? cfg_@@OC@@ - o0 : @@OUTER@@;
      tile_j0_q <= j0;
      tile_nj_q <= cfg_g - j0 < @@SLOTS@@ ? cfg_g - j0 : @@SLOTS@@;
      blk_@@I0@@_q <= 32'd0;
      blk_@@IN@@_q <= cfg_@@IC@@ < @@INNER@@ ? cfg_@@IC@@ : @@INNER@@;
)V";
const char* kDrainHead = R"V(      PH_DRAIN: begin
        if (ctl_cnt_q == 32'd0) begin
          acc_d = {(@@NXMAX@@*LN*AW){1'b0}};
          dr_d = packed_w >> OB;
        end else
          dr_d = dr_q >> OB;
        ctl_cnt_d = ctl_cnt_q + 1;
)V";

const char* kTop = R"V(
@@HEAD@@  output wire [31:0]       w_rd_grp,  // weights of group w_rd_grp for lanes w_rd_out ..
  output wire [31:0]       w_rd_out,
  input  wire [BW-1:0]     w_rd_data, // lane l, element t at ((l*G+t)*WB), 0 past N or K
  output wire [31:0]       a_rd_grp,  // activations of groups a_rd_grp .. +S-1 for tokens
  output wire [31:0]       a_rd_tok,  // a_rd_tok .. +BT-1
  input  wire [AD-1:0]     a_rd_data, // slot s, token m, element t at (((s*BT+m)*G+t)*AB)
@@PORTTAIL@@  localparam G = @@G@@, WB = @@WB@@, VB = WB, AB = @@AB@@, EB = @@EB@@, ACC = @@ACC@@, AW = @@AW@@;
  localparam R = @@R@@, S = @@S@@, LN = @@LN@@, BT = @@BT@@, LAT = @@LAT@@, OB = @@OB@@;
  localparam NST = @@NST@@, INIT = @@INIT@@, SKIP = @@SKIP@@, SHARE = @@SHARE@@;
  localparam SIGNED = @@SIGNED@@, OFFSET = @@OFFSET@@;
  localparam BW = LN * G * WB, AD = S * BT * G * AB, MW = LN * EB;
  localparam PW = BT * LN * ACC, PX = PW + OB, RA = @@RA@@, NP = S * AB;
  localparam SW = BT + 8; // read stage: {mask, plane[4:0], negate, zero, valid}
  localparam [2:0] PH_BUILD = 3'd0, PH_LOOK = 3'd1, PH_FLUSH = 3'd2, PH_DRAIN = 3'd3,
                   PH_DONE = 3'd4;

  // ---- registers (sim/lut_gemv_core.cpp names) ----
  // fsm_encoding none: yosys would extract these as FSMs whose inputs are the whole issue
  // logic (hours of fsm_extract)
  (* fsm_encoding = "none" *) reg [2:0] ctl_phase_q;
  reg [31:0]     ctl_round_q, ctl_blk_q, ctl_cnt_q, ctl_len_q;
  reg [31:0]     tile_o0_q, tile_no_q, tile_j0_q, tile_nj_q, blk_m0_q, blk_nb_q;
  reg [31:0]     ld_slot_q, ld_cnt_q;
  reg [1:0]      buf_full_q;
  reg [BW-1:0]   buf_q0, buf_q1;
  reg [31:0]     bld_slot_q, bld_step_q, bld_cnt_q;
  reg            bld_busy_q;
  reg [MW-1:0]   bld_q;
  reg [LN*AW-1:0] sum_q;
  reg [31:0]     lk_s_q, lk_b_q;
  (* fsm_encoding = "none" *) reg [15:0] lk_ptr_q; // plain: the token of the issue; shared: its index
  reg            lk_done_q;
  reg [LAT*SW-1:0] rd_pipe_q;
  reg [BT*LN*AW-1:0] acc_q;
  reg [PX-1:0]   dr_q;       // the chunks still to drain

  // ---- next values ----
  reg [2:0]      ctl_phase_d;
  reg [31:0]     ctl_round_d, ctl_blk_d, ctl_cnt_d, ctl_len_d;
  reg [31:0]     tile_o0_d, tile_no_d, tile_j0_d, tile_nj_d, blk_m0_d, blk_nb_d;
  reg [31:0]     ld_slot_d, ld_cnt_d;
  reg [1:0]      buf_full_d;
  reg [BW-1:0]   buf_d0, buf_d1;
  reg [31:0]     bld_slot_d, bld_step_d, bld_cnt_d;
  reg            bld_busy_d;
  reg [MW-1:0]   bld_d;
  reg [LN*AW-1:0] sum_d;
  reg [31:0]     lk_s_d, lk_b_d;
  reg [15:0]     lk_ptr_d;
  reg            lk_done_d;
  reg [SW-1:0]   rd_in;
  reg [BT*LN*AW-1:0] acc_d;
  reg [PX-1:0]   dr_d, packed_w;

  // ---- the array ----
  reg            mem_we, mem_re;
  reg [RA-1:0]   mem_waddr, mem_raddr;
  reg [MW-1:0]   mem_wdata;
  wire [MW-1:0]  mem_rdata;
  @@TOP@@_lut_sram u_mem (.clk(clk), .we(mem_we), .waddr(mem_waddr), .wdata(mem_wdata),
                          .re(mem_re), .raddr(mem_raddr), .rdata(mem_rdata));

  // ---- the look block: the token block the lookups address (the next one on the
  // last drain edge, whose issue list enter_look settles) ----
  wire         drain_last = ctl_phase_q == PH_DRAIN && ctl_cnt_q + 32'd1 == ctl_len_q;
  wire         more_blk = blk_m0_q + BT < cfg_m;
  wire [31:0]  lb_m0 = drain_last && more_blk ? blk_m0_q + BT : blk_m0_q;
  wire [31:0]  lb_rem = cfg_m - lb_m0;
  wire [31:0]  lb_nb = lb_rem < BT ? lb_rem : BT;
  wire         last_tile = tile_o0_q + LN >= cfg_n && tile_j0_q + S >= cfg_g;
  wire [31:0]  nt_j0 = tile_j0_q + S >= cfg_g ? 32'd0 : tile_j0_q + S;
  wire [31:0]  nt_o0 = tile_j0_q + S >= cfg_g ? tile_o0_q + LN : tile_o0_q;

  assign w_rd_grp = tile_j0_q + ld_slot_q;
  assign w_rd_out = tile_o0_q;
  assign a_rd_grp = tile_j0_q;
  assign a_rd_tok = lb_m0;
@@OUTASSIGN@@  // verilator lint_off UNUSED
  wire _unused_bits = &{1'b0, addr, dif, 1'b0};  // high address bits, the even LSB of A - sum V
  // verilator lint_on UNUSED

  // load cycles ceil(g no WB / stream_bits) for no lanes
  function [31:0] ld_len(input [31:0] no);
    begin
      case (no)
@@LDCASE@@        default: ld_len = 32'd1;
      endcase
    end
  endfunction
@@FUNCS@@
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
  reg [31:0]     cur_p, addr;
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
    ctl_phase_d = ctl_phase_q; ctl_round_d = ctl_round_q; ctl_blk_d = ctl_blk_q;
    ctl_cnt_d = ctl_cnt_q; ctl_len_d = ctl_len_q;
    tile_o0_d = tile_o0_q; tile_no_d = tile_no_q; tile_j0_d = tile_j0_q; tile_nj_d = tile_nj_q;
    blk_m0_d = blk_m0_q; blk_nb_d = blk_nb_q;
    ld_slot_d = ld_slot_q; ld_cnt_d = ld_cnt_q; buf_full_d = buf_full_q;
    buf_d0 = buf_q0; buf_d1 = buf_q1;
    bld_slot_d = bld_slot_q; bld_step_d = bld_step_q; bld_cnt_d = bld_cnt_q;
    bld_busy_d = bld_busy_q; bld_d = bld_q; sum_d = sum_q;
    lk_s_d = lk_s_q; lk_b_d = lk_b_q; lk_ptr_d = lk_ptr_q; lk_done_d = lk_done_q;
    acc_d = acc_q; dr_d = dr_q;
    mem_we = 1'b0; mem_waddr = {RA{1'b0}}; mem_wdata = {MW{1'b0}};
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
    bbuf = bld_slot_q[0] ? buf_q1 : buf_q0;
    if (ctl_phase_q == PH_BUILD) begin
      if (ld_go) begin
        ld_cnt_d = ld_cnt_q + 1;
        if (ld_cnt_d == ld_len(tile_no_q)) begin
          if (ld_slot_q[0]) buf_d1 = w_rd_data; else buf_d0 = w_rd_data;
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

@@DRAINPACK@@
    // ---- controller ----
    case (ctl_phase_q)
      PH_BUILD:
        if (!(bld_slot_d < tile_nj_q)) ctl_phase_d = PH_LOOK;
      PH_LOOK:
        if (lk_done_d) begin
          ctl_phase_d = PH_FLUSH;
          ctl_cnt_d = 32'd0;
        end
      PH_FLUSH: begin
        ctl_cnt_d = ctl_cnt_q + 1;
        if (ctl_cnt_d == LAT) begin
          ctl_phase_d = PH_DRAIN;
          ctl_cnt_d = 32'd0;
          ctl_len_d = drain_len(blk_nb_q * tile_no_q);
        end
      end
@@DRAINHEAD@@        if (ctl_cnt_d == ctl_len_q) begin
          if (more_blk) begin
            ctl_blk_d = ctl_blk_q + 1;
            blk_m0_d = lb_m0;
            blk_nb_d = lb_nb;
            ctl_phase_d = PH_LOOK;
          end else if (!last_tile) begin
            ctl_round_d = ctl_round_q + 1;
            ctl_blk_d = 32'd0;
            ctl_phase_d = PH_BUILD;
          end else
            ctl_phase_d = PH_DONE;
        end
      end
      default: ;
    endcase
    // enter_look: the first non-empty issue list of the look block (none: flush)
    if (ctl_phase_d == PH_LOOK && ctl_phase_q != PH_LOOK) begin
      lk_done_d = 1'b1;
      for (p = NP - 1; p >= 0; p = p - 1)
        if (ne_v[p]) begin
          lk_s_d = p / AB;
          lk_b_d = p % AB;
          lk_ptr_d = first_v[p*16 +: 16];
          lk_done_d = 1'b0;
        end
      if (lk_done_d) begin
        ctl_phase_d = PH_FLUSH;
        ctl_cnt_d = 32'd0;
      end
    end
  end

@@ROUNDHEAD@@      ld_slot_q <= 32'd0; ld_cnt_q <= 32'd0; buf_full_q <= 2'b00;
      bld_slot_q <= 32'd0; bld_step_q <= 32'd0; bld_cnt_q <= 32'd0; bld_busy_q <= 1'b0;
      bld_q <= {MW{1'b0}}; sum_q <= {(LN*AW){1'b0}};
      lk_s_q <= 32'd0; lk_b_q <= 32'd0; lk_ptr_q <= 16'd0; lk_done_q <= 1'b1;
      acc_q <= {(BT*LN*AW){1'b0}};
    end
  endtask

  always @(posedge clk) begin
    if (rst) begin
      ctl_phase_q <= PH_BUILD; ctl_round_q <= 32'd0; ctl_blk_q <= 32'd0;
      ctl_cnt_q <= 32'd0; ctl_len_q <= 32'd0;
      enter_round(32'd0, 32'd0);
      buf_q0 <= {BW{1'b0}}; buf_q1 <= {BW{1'b0}};
      rd_pipe_q <= {(LAT*SW){1'b0}};
      dr_q <= {PX{1'b0}};
    end else begin
      ctl_phase_q <= ctl_phase_d; ctl_round_q <= ctl_round_d; ctl_blk_q <= ctl_blk_d;
      ctl_cnt_q <= ctl_cnt_d; ctl_len_q <= ctl_len_d;
      buf_q0 <= buf_d0; buf_q1 <= buf_d1;
@@PIPE@@      dr_q <= dr_d;
      if (ctl_phase_q == PH_DRAIN && ctl_phase_d == PH_BUILD)
        enter_round(nt_o0, nt_j0);
      else begin
        tile_o0_q <= tile_o0_d; tile_no_q <= tile_no_d;
        tile_j0_q <= tile_j0_d; tile_nj_q <= tile_nj_d;
        blk_m0_q <= blk_m0_d; blk_nb_q <= blk_nb_d;
        ld_slot_q <= ld_slot_d; ld_cnt_q <= ld_cnt_d; buf_full_q <= buf_full_d;
        bld_slot_q <= bld_slot_d; bld_step_q <= bld_step_d; bld_cnt_q <= bld_cnt_d;
        bld_busy_q <= bld_busy_d; bld_q <= bld_d; sum_q <= sum_d;
        lk_s_q <= lk_s_d; lk_b_q <= lk_b_d; lk_ptr_q <= lk_ptr_d; lk_done_q <= lk_done_d;
        acc_q <= acc_d;
      end
    end
  end
endmodule
)V";

// The activation orientation (table: activation): per round, output blocks of LN
// outputs read the tile's rows (one row = the MT token tables of one group); the first
// block also builds them (docs/lut-gemv.md "Schedule").
const char* kTopAct = R"V(
@@HEAD@@  output wire [31:0]       w_rd_grp,  // weights of group w_rd_grp (the planes the lanes use)
  output wire [31:0]       w_rd_out,  // for the outputs w_rd_out .. +LN-1
  input  wire [BW-1:0]     w_rd_data, // lane l, element t at ((l*G+t)*UB), 0 past N or K
  output wire [31:0]       a_rd_grp,  // activations of group a_rd_grp (the row being built)
  output wire [31:0]       a_rd_tok,  // for the tokens a_rd_tok .. +MT-1
  input  wire [AD-1:0]     a_rd_data, // token m, element t at ((m*G+t)*VB), 0 past M or K
@@PORTTAIL@@  localparam G = @@G@@, UB = @@UB@@, VB = @@VB@@, EB = @@EB@@, ACC = @@ACC@@, AW = @@AW@@;
  localparam R = @@R@@, RW = @@RW@@, MT = @@MT@@, LN = @@LN@@, LAT = @@LAT@@, OB = @@OB@@;
  localparam NST = @@NST@@, SIGNED = @@SIGNED@@, OFFSET = @@OFFSET@@, DUAL = @@DUAL@@;
  localparam BW = LN * G * UB, AD = MT * G * VB, MW = MT * R * EB, RA = @@RA@@;
  localparam PW = MT * LN * ACC, PX = PW + OB;
  localparam SW = 33; // read stage: {group, valid}
  localparam [2:0] PH_LOOK = 3'd1, PH_DRAIN = 3'd3, PH_DONE = 3'd4;

  // ---- registers (sim/lut_gemv_core.cpp names) and their next values ----
@@REGS@@  reg [LAT*SW-1:0] rd_pipe_q;
  reg [SW-1:0]   rd_in;
  reg [PX-1:0]   packed_w;
  reg            next_round;

  // ---- the array: RW rows of the MT token tables of one group ----
  reg            mem_we, mem_re;
  reg [RA-1:0]   mem_waddr, mem_raddr;
  reg [MW-1:0]   mem_wdata;
  wire [MW-1:0]  mem_rdata;
  @@TOP@@_lut_sram u_mem (.clk(clk), .we(mem_we), .waddr(mem_waddr), .wdata(mem_wdata),
                          .re(mem_re), .raddr(mem_raddr), .rdata(mem_rdata));

  wire [SW-1:0]  rd_out = rd_pipe_q[LAT*SW-1 -: SW]; // the oldest stage: its row is usable
  wire         more_blk = blk_n0_q + LN < cfg_n;
  wire         last_tile = tile_o0_q + MT >= cfg_m && tile_j0_q + RW >= cfg_g;
  wire [31:0]  nt_j0 = tile_j0_q + RW >= cfg_g ? 32'd0 : tile_j0_q + RW;
  wire [31:0]  nt_o0 = tile_j0_q + RW >= cfg_g ? tile_o0_q + MT : tile_o0_q;
  wire [31:0]  nb_rem = cfg_n - blk_n0_q - LN;

  assign w_rd_grp = rd_out[0] ? rd_out[SW-1:1] : hold_group_q;
  assign w_rd_out = blk_n0_q;
  assign a_rd_grp = tile_j0_q + wr_rows_q;
  assign a_rd_tok = tile_o0_q;
@@OUTASSIGN@@  // verilator lint_off UNUSED
  wire _unused_bits = &{1'b0, dif, 1'b0};  // the even LSB of A - sum V
  // verilator lint_on UNUSED

  // row build cycles ceil(no R / builder_entries_per_cycle) for no tokens
  function [31:0] brow_len(input [31:0] no);
    begin
      case (no)
@@BRCASE@@        default: brow_len = 32'd1;
      endcase
    end
  endfunction
@@FUNCS@@
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
    next_round = 1'b0;
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

@@DRAINPACK@@
    // ---- controller ----
    case (ctl_phase_q)
      PH_LOOK:
        if (!(wr_rows_d < tile_nj_q || rd_row_d < tile_nj_q || pending || plane_d < UB)) begin
          ctl_phase_d = PH_DRAIN;
          ctl_cnt_d = 32'd0;
          ctl_len_d = drain_len(blk_nn_q * tile_no_q);
        end
@@DRAINHEAD@@        if (ctl_cnt_d == ctl_len_q) begin
          if (more_blk) begin  // enter_look: the next output block reads the rows
            ctl_blk_d = ctl_blk_q + 1;
            blk_n0_d = blk_n0_q + LN;
            blk_nn_d = nb_rem < LN ? nb_rem : LN;
            rd_row_d = 32'd0;
            rd_wait_d = 32'd0;
            ctl_phase_d = PH_LOOK;
          end else if (!last_tile) begin
            ctl_round_d = ctl_round_q + 1;
            ctl_blk_d = 32'd0;
            ctl_phase_d = PH_LOOK;
            next_round = 1'b1;
          end else
            ctl_phase_d = PH_DONE;
        end
      end
      default: ;
    endcase
  end

@@ROUNDHEAD@@      bld_cnt_q <= 32'd0; wr_rows_q <= 32'd0; sum_q <= {(MT*AW){1'b0}};
      rd_row_q <= 32'd0; rd_wait_q <= 32'd0;
      hold_q <= {MW{1'b0}}; hold_group_q <= 32'd0; plane_q <= UB;
      acc_q <= {(MT*LN*AW){1'b0}};
    end
  endtask

  always @(posedge clk) begin
    if (rst) begin
      ctl_phase_q <= PH_LOOK; ctl_round_q <= 32'd0; ctl_blk_q <= 32'd0;
      ctl_cnt_q <= 32'd0; ctl_len_q <= 32'd0;
      enter_round(32'd0, 32'd0);
      rd_pipe_q <= {(LAT*SW){1'b0}};
      dr_q <= {PX{1'b0}};
    end else begin
@@CTLREG@@@@PIPE@@      if (next_round)
        enter_round(nt_o0, nt_j0);
      else begin
@@TILEREG@@      end
    end
  end
endmodule
)V";

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
  std::string name, range; // range "" for one bit, else "[..]"
  bool fsm_none = false;   // (* fsm_encoding = "none" *): keeps yosys from extracting an FSM
};

// The declarations of `regs`: every _q, then every _d.
std::string reg_decls(const std::vector<RegDecl>& regs) {
  std::string q, d;
  for (const RegDecl& r : regs) {
    const std::string range = r.range.empty() ? "" : r.range + " ";
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

// The case lines of a table function `fn` for the arguments 1..n.
template <class F> std::string case_lines(const std::string& fn, int64_t n, F value) {
  std::string s;
  for (int64_t i = 1; i <= n; ++i)
    s += "        32'd" + num(i) + ": " + fn + " = 32'd" + num(value(i)) + ";\n";
  return s;
}

// The shared functions (drain length, the Gray walk, sign extensions) of a design whose
// drain packs up to `words` words.
std::string funcs_text(const LutGemvParams& p, const LutArith& ar, int64_t words,
                       std::map<std::string, std::string> v) {
  const int g = ar.group(), e = ar.entry_bits();
  const bool sgn = p.arith.form == LutForm::Signed;
  v["DRCASE"] = case_lines("drain_len", words, [&](int64_t w) { return lut_drain_cycles(p, w); });
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

// The shared pieces of the `weight` (else activation) top into `v`.
void shared_pieces(std::map<std::string, std::string>& v, bool weight) {
  std::map<std::string, std::string> d = v;
  // drain: words of NXMAX x LN accumulators, sum V of word (x, l) at sum_q[SUMIX], the
  // index operand UBITS wide, NX x NL words drained
  d["NXMAX"] = weight ? "BT" : "MT";
  d["SUMIX"] = weight ? "l" : "x";
  d["UBITS"] = weight ? "AB" : "UB";
  d["NX"] = weight ? "blk_nb_q" : "tile_no_q";
  d["NL"] = weight ? "tile_no_q" : "blk_nn_q";
  // enter_round: the outer operand (tile) and the inner block
  d["OW"] = weight ? "outputs" : "tokens";
  d["IW"] = weight ? "token" : "output";
  d["OC"] = weight ? "n" : "m";
  d["IC"] = weight ? "m" : "n";
  d["OUTER"] = weight ? "LN" : "MT";
  d["INNER"] = weight ? "BT" : "LN";
  d["SLOTS"] = weight ? "S" : "RW";
  d["I0"] = weight ? "m0" : "n0";
  d["IN"] = weight ? "nb" : "nn";
  v["HEAD"] = subst(kHead, d);
  v["PORTTAIL"] = kPortTail;
  v["OUTASSIGN"] = kOutAssign;
  v["DRAINPACK"] = subst(kDrainPack, d);
  v["DRAINHEAD"] = subst(kDrainHead, d);
  v["ROUNDHEAD"] = subst(kRoundHead, d);
}

// The weight orientation's top (kTop) for the common keys `v`.
std::string weight_top(const LutGemvParams& p, const LutArith& ar,
                       std::map<std::string, std::string> v) {
  const int g = ar.group(), e = ar.entry_bits(), R = ar.rows();
  const int64_t S = p.rows / R, LN = p.cols / e, BT = p.batch;
  const bool sgn = p.arith.form == LutForm::Signed;
  v["WB"] = num(ar.v_bits());
  v["AB"] = num(ar.u_bits());
  v["S"] = num(S);
  v["LN"] = num(LN);
  v["BT"] = num(BT);
  v["INIT"] = num(p.build_init_cycles);
  v["SKIP"] = p.skip_zero_index && !sgn ? "1" : "0";
  v["SHARE"] = p.batch_shared_lookup ? "1" : "0";
  v["LDCASE"] = case_lines("ld_len", LN, [&](int64_t no) {
    return (int64_t(g) * no * ar.v_bits() + p.stream_bits - 1) / p.stream_bits;
  });
  v["FUNCS"] = funcs_text(p, ar, LN * BT, v);
  v["PIPE"] = pipe_shift("rd_pipe_q", p.read_latency, int(BT) + 8, "rd_in");
  shared_pieces(v, true);
  return subst(kTop, v);
}

// The activation orientation's top (kTopAct) for the common keys `v`.
std::string activation_top(const LutGemvParams& p, const LutArith& ar,
                           std::map<std::string, std::string> v) {
  const int64_t MT = p.tokens_per_pass, LN = p.lanes;
  v["UB"] = num(ar.u_bits());
  v["VB"] = num(ar.v_bits());
  v["RW"] = num(p.rows);
  v["MT"] = num(MT);
  v["LN"] = num(LN);
  v["DUAL"] = p.dual_port ? "1" : "0";
  v["BRCASE"] =
      case_lines("brow_len", MT, [&](int64_t no) { return lut_act_build_row_cycles(p, ar, no); });
  v["FUNCS"] = funcs_text(p, ar, MT * LN, v);
  const std::string w32 = "[31:0]";
  const std::vector<RegDecl> ctl = {{"ctl_phase", "[2:0]", true},
                                    {"ctl_round", w32},
                                    {"ctl_blk", w32},
                                    {"ctl_cnt", w32},
                                    {"ctl_len", w32},
                                    {"dr", "[PX-1:0]"}};
  std::vector<RegDecl> tile;
  for (const char* n : {"tile_o0", "tile_no", "tile_j0", "tile_nj", "blk_n0", "blk_nn", "bld_cnt",
                        "wr_rows", "rd_row", "rd_wait", "hold_group", "plane"})
    tile.push_back({n, w32});
  tile.push_back({"sum", "[MT*AW-1:0]"});
  tile.push_back({"hold", "[MW-1:0]"});
  tile.push_back({"acc", "[MT*LN*AW-1:0]"});
  std::vector<RegDecl> all = ctl;
  all.insert(all.end(), tile.begin(), tile.end());
  v["REGS"] = reg_decls(all);
  v["HOLD"] = reg_moves(all, "    ", "_d", "=", "_q");
  v["CTLREG"] = reg_moves(ctl, "      ", "_q", "<=", "_d");
  v["TILEREG"] = reg_moves(tile, "        ", "_q", "<=", "_d");
  v["PIPE"] = pipe_shift("rd_pipe_q", p.read_latency, 33, "rd_in");
  shared_pieces(v, false);
  return subst(kTopAct, v);
}

} // namespace

bool lut_gemv_rtl_supported(const ArchConfig& arch, std::string* why) {
  auto no = [&](const std::string& m) {
    if (why) *why = m;
    return false;
  };
  if (arch.engine != "lut_gemv") return no("engine: not lut_gemv");
  const LutGemvParams p = lut_gemv_params(arch);
  if (p.arrays != 1) return no("arrays: the Verilog covers arrays: 1 only (not yet more)");
  if (LutArith(p.arith).a_bits() <= LutArith(p.arith).entry_bits())
    return no("acc_bits: the Verilog needs accumulators wider than entry_bits");
  return true;
}

GeneratedRtl generate_lut_gemv_verilog(const ArchConfig& arch, const std::string& regenerate_cmd) {
  std::string why;
  if (!lut_gemv_rtl_supported(arch, &why)) throw std::invalid_argument(why);
  const LutGemvParams p = lut_gemv_params(arch);
  const LutArith ar(p.arith);
  const int e = ar.entry_bits(), R = ar.rows();
  const bool weight = p.arith.table == LutTable::Weight;
  const bool sgn = p.arith.form == LutForm::Signed;
  // the array: weight S R rows of E entries; activation `rows` rows of M_t tables
  const int64_t rows = weight ? (p.rows / R) * R : p.rows;
  const int64_t mw = weight ? (p.cols / e) * e : int64_t(p.tokens_per_pass) * R * e;
  GeneratedRtl out;
  out.top = verilog_ident(arch.name);
  const std::map<std::string, std::string> v = {
      {"TOP", out.top},
      {"G", num(ar.group())},
      {"EB", num(e)},
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
  const std::string file = out.top + ".v", sram = out.top + "_lut_sram.v";
  out.files[file] =
      generated_banner("lut_gemv engine " + out.top + " (" + lut_gemv_shape(p) +
                           "): " + (weight ? "weight" : "activation") +
                           " orientation, one array; registers as sim/lut_gemv_core.cpp",
                       regenerate_cmd) +
      (weight ? weight_top(p, ar, v) : activation_top(p, ar, v));
  out.files[sram] = generated_banner("behavioural SRAM array of " + out.top +
                                         " (OpenRAM port timing; blackboxed in synthesis)",
                                     regenerate_cmd) +
                    subst(kSram, v);
  out.sources = {sram, file};
  out.files["filelist.f"] = sram + "\n" + file + "\n";
  return out;
}

} // namespace tpe
