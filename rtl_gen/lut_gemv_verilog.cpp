// The lut_gemv Verilog (weight orientation, one array). Algorithm, edge by edge as
// sim/lut_gemv_core.cpp: one combinational block computes every next register from
// the current ones (loader, Gray-code builder with its walk unrolled into case
// tables generated from LutArith::gray_schedule(), the lookup issue list of the token
// block found by priority encoders over the (slot, plane, token) candidates, the lanes
// consuming the oldest read-pipeline stage, the drain's correction and packing), and
// one clocked block registers them. The operands arrive through combinational read
// ports that the harness serves (w_rd: one group of every lane, a_rd: the tile's
// groups of the look block's tokens), the outputs leave as out_bits chunks of the
// packed partial sums, one per drain edge.
#include "rtl_gen/lut_gemv_verilog.h"
#include "core/bits.h"
#include "dataflows/lut_gemv_mapping.h"
#include "pe_models/lut_table.h"
#include "rtl_gen/rtl_generator.h"
#include "rtl_gen/verilog_text.h"
#include <stdexcept>

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

const char* kTop = R"V(
module @@TOP@@ (
  input  wire              clk,
  input  wire              rst,       // synchronous: the edge with rst high starts the GEMM
  input  wire [31:0]       cfg_m,     // M tokens (rows of A)
  input  wire [31:0]       cfg_k,     // K
  input  wire [31:0]       cfg_n,     // N outputs (columns of B)
  input  wire [31:0]       cfg_g,     // G = ceil(K / g) groups
  output wire              done,
  output wire [31:0]       w_rd_grp,  // weights of group w_rd_grp for lanes w_rd_out ..
  output wire [31:0]       w_rd_out,
  input  wire [BW-1:0]     w_rd_data, // lane l, element t at ((l*G+t)*WB), 0 past N or K
  output wire [31:0]       a_rd_grp,  // activations of groups a_rd_grp .. +S-1 for tokens
  output wire [31:0]       a_rd_tok,  // a_rd_tok .. +BT-1
  input  wire [AD-1:0]     a_rd_data, // slot s, token m, element t at (((s*BT+m)*G+t)*AB)
  output wire              o_wr_en,   // one chunk of the drained partial sums per edge
  output wire [31:0]       o_wr_tile,
  output wire [31:0]       o_wr_blk,
  output wire [31:0]       o_wr_chunk,
  output wire [OB-1:0]     o_wr_data, // bits chunk*OB.. of the words (x*no+l)*ACC
  output wire              row_wr,    // an array row written on this edge
  output wire              row_rd     // an array row read on this edge
);
  localparam G = @@G@@, WB = @@WB@@, AB = @@AB@@, EB = @@EB@@, ACC = @@ACC@@, AW = @@AW@@;
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

  assign done = ctl_phase_q == PH_DONE;
  assign w_rd_grp = tile_j0_q + ld_slot_q;
  assign w_rd_out = tile_o0_q;
  assign a_rd_grp = tile_j0_q;
  assign a_rd_tok = lb_m0;
  assign o_wr_en = ctl_phase_q == PH_DRAIN;
  assign o_wr_tile = ctl_round_q;
  assign o_wr_blk = ctl_blk_q;
  assign o_wr_chunk = ctl_cnt_q;
  assign o_wr_data = ctl_cnt_q == 32'd0 ? packed_w[OB-1:0] : dr_q[OB-1:0];
  assign row_wr = mem_we;
  assign row_rd = mem_re;
  // verilator lint_off UNUSED
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
  // drain cycles ceil(words ACC / out_bits)
  function [31:0] drain_len(input [31:0] words);
    begin
      case (words)
@@DRCASE@@        default: drain_len = 32'd1;
      endcase
    end
  endfunction
  // the Gray walk (LutArith::gray_schedule): row written by step k
  function [RA-1:0] step_row(input [31:0] k);
    begin
      case (k)
@@ROWCASE@@        default: step_row = {RA{1'b0}};
      endcase
    end
  endfunction
  // the entry of step k from the previous one and the lane's g elements (EB bits each)
  function [EB-1:0] step_val(input [31:0] k, input [EB-1:0] prev, input [G*EB-1:0] v);
    begin
      case (k)
@@VALCASE@@        default: step_val = prev;
      endcase
    end
  endfunction

  // sign extensions (weights to entries and accumulators, entries to accumulators)
  function [EB-1:0] sx_w2e(input [WB-1:0] w);
    sx_w2e = @@SXW2E@@;
  endfunction
  function [AW-1:0] sx_w2a(input [WB-1:0] w);
    sx_w2a = @@SXW2A@@;
  endfunction
  function [AW-1:0] sx_e2a(input [EB-1:0] w);
    sx_e2a = @@SXE2A@@;
  endfunction

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
    // LutArith::read: subset row idx-1 (0: no read); signed odd idx >> 1, even mirrored
    if (SIGNED) begin
      rd_zero = 1'b0;
      rd_neg = !idx_cur[0];
      rd_row = idx_cur[0] ? idx_cur >> 1 : (idx_cur >> 1) ^ ({G{1'b1}} >> 1);
    end else begin
      rd_zero = idx_cur == {G{1'b0}};
      rd_neg = 1'b0;
      rd_row = idx_cur + {G{1'b1}};  // idx - 1
    end

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
            gsum = gsum + sx_w2a(bbuf[(l*G+t)*WB +: WB]);
          sum_d[l*AW +: AW] = gsum;
        end
      end
      if (bld_busy_d) begin
        bld_cnt_d = bld_cnt_d + 1;
        if (bld_cnt_d == (SIGNED && bld_step_d == 0 ? INIT : 1)) begin
          for (l = 0; l < LN; l = l + 1) begin
            for (t = 0; t < G; t = t + 1)
              lane_v[t*EB +: EB] = sx_w2e(bbuf[(l*G+t)*WB +: WB]);
            bld_d[l*EB +: EB] = step_val(bld_step_d, bld_d[l*EB +: EB], lane_v);
          end
          mem_we = 1'b1;
          addr = bld_slot_q * R + {{(32-RA){1'b0}}, step_row(bld_step_d)};
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

    // ---- drain: the correction of every (token, lane) word, packed ----
    packed_w = {PX{1'b0}};
    for (x = 0; x < BT; x = x + 1)
      for (l = 0; l < LN; l = l + 1) begin
        accv = acc_q[(x*LN+l)*AW +: AW];
        sumv = sum_q[l*AW +: AW];
        dif = SIGNED ? accv - sumv : OFFSET ? accv - (sumv << (AB - 1)) : accv;
        fin = @@FIN@@;
        if (x < blk_nb_q && l < tile_no_q)
          packed_w = packed_w | ({{(PX-ACC){1'b0}}, fin} << ((x * tile_no_q + l) * ACC));
      end

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
      PH_DRAIN: begin
        if (ctl_cnt_q == 32'd0) begin
          acc_d = {(BT*LN*AW){1'b0}};
          dr_d = packed_w >> OB;
        end else
          dr_d = dr_q >> OB;
        ctl_cnt_d = ctl_cnt_q + 1;
        if (ctl_cnt_d == ctl_len_q) begin
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

  // enter_round: tile t of the round (outputs o0.., groups j0..), token block 0
  task enter_round(input [31:0] o0, input [31:0] j0);
    begin
      tile_o0_q <= o0;
      tile_no_q <= cfg_n - o0 < LN ? cfg_n - o0 : LN;
      tile_j0_q <= j0;
      tile_nj_q <= cfg_g - j0 < S ? cfg_g - j0 : S;
      blk_m0_q <= 32'd0;
      blk_nb_q <= cfg_m < BT ? cfg_m : BT;
      ld_slot_q <= 32'd0; ld_cnt_q <= 32'd0; buf_full_q <= 2'b00;
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

} // namespace

bool lut_gemv_rtl_supported(const ArchConfig& arch, std::string* why) {
  auto no = [&](const std::string& m) {
    if (why) *why = m;
    return false;
  };
  if (arch.engine != "lut_gemv") return no("engine: not lut_gemv");
  const LutGemvParams p = lut_gemv_params(arch);
  if (p.arith.table != LutTable::Weight)
    return no("table: the Verilog covers table: weight only (activation: not yet)");
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
  const int g = ar.group(), e = ar.entry_bits(), R = ar.rows();
  const int64_t S = p.rows / R, LN = p.cols / e, BT = p.batch;
  const bool sgn = p.arith.form == LutForm::Signed;
  const int RA = std::max(1, ceil_log2(S * R));
  const int acc = ar.acc_bits();
  GeneratedRtl out;
  out.top = "tpe_" + verilog_ident(arch.name);
  std::map<std::string, std::string> v = {
      {"TOP", out.top},
      {"G", num(g)},
      {"WB", num(ar.v_bits())},
      {"AB", num(ar.u_bits())},
      {"EB", num(e)},
      {"ACC", num(acc)},
      {"AW", num(ar.a_bits())},
      {"R", num(R)},
      {"S", num(S)},
      {"LN", num(LN)},
      {"BT", num(BT)},
      {"LAT", num(p.read_latency)},
      {"OB", num(p.out_bits)},
      {"NST", num(int64_t(ar.gray_schedule().size()))},
      {"INIT", num(p.build_init_cycles)},
      {"SKIP", p.skip_zero_index && !sgn ? "1" : "0"},
      {"SHARE", p.batch_shared_lookup ? "1" : "0"},
      {"SIGNED", sgn ? "1" : "0"},
      {"OFFSET", p.arith.index_code == LutIndexCode::Offset ? "1" : "0"},
      {"RA", num(RA)},
      {"ROWS", num(S * R)},
      {"MW", num(LN * e)}};
  std::string ld, dr, rows, vals;
  for (int64_t no = 1; no <= LN; ++no)
    ld += "        32'd" + num(no) + ": ld_len = 32'd" +
          num((int64_t(g) * no * ar.v_bits() + p.stream_bits - 1) / p.stream_bits) + ";\n";
  for (int64_t w = 1; w <= LN * BT; ++w)
    dr += "        32'd" + num(w) + ": drain_len = 32'd" + num(lut_drain_cycles(p, w)) + ";\n";
  const auto& walk = ar.gray_schedule();
  for (size_t k = 0; k < walk.size(); ++k) {
    const LutBuildStep& st = walk[k];
    const std::string K = "        32'd" + num(int64_t(k)) + ": ";
    rows += K + "step_row = " + num(RA) + "'d" + num(st.row) + ";\n";
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
  v["LDCASE"] = ld;
  v["DRCASE"] = dr;
  v["ROWCASE"] = rows;
  v["VALCASE"] = vals;
  auto sx = [](int from, int to) {
    return from == to ? std::string("w")
                      : "{{" + num(to - from) + "{w[" + num(from - 1) + "]}}, w}";
  };
  v["SXW2E"] = sx(ar.v_bits(), e);
  v["SXW2A"] = sx(ar.v_bits(), ar.a_bits());
  v["SXE2A"] = sx(e, ar.a_bits());
  v["FIN"] = sgn ? "dif[AW-1:1]" : "dif[ACC-1:0]";
  const int SW = int(BT) + 8;
  v["PIPE"] = pipe_shift("rd_pipe_q", p.read_latency, SW, "rd_in");
  if (p.read_latency == 1)
    v["DOUT"] = "  assign rdata = mem[raddr_q];\n";
  else {
    std::string d = "  reg [" + num(int64_t(p.read_latency - 1) * LN * e - 1) + ":0] dout_q;\n";
    d += "  always @(posedge clk)\n" +
         pipe_shift("dout_q", p.read_latency - 1, int(LN * e), "mem[raddr_q]").substr(2);
    d += "  assign rdata = dout_q[" + num(int64_t(p.read_latency - 1) * LN * e - 1) + " -: MW];\n";
    v["DOUT"] = d;
  }
  const std::string file = out.top + ".v", sram = out.top + "_lut_sram.v";
  out.files[file] =
      generated_banner("lut_gemv engine " + out.top + " (" + lut_gemv_shape(p) +
                           "): weight orientation, one array; registers as sim/lut_gemv_core.cpp",
                       regenerate_cmd) +
      subst(kTop, v);
  out.files[sram] = generated_banner("behavioural SRAM array of " + out.top +
                                         " (OpenRAM port timing; blackboxed in synthesis)",
                                     regenerate_cmd) +
                    subst(kSram, v);
  out.sources = {sram, file};
  out.files["filelist.f"] = sram + "\n" + file + "\n";
  return out;
}

} // namespace tpe
