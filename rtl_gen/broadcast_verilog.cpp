// Broadcast-engine Verilog emitter. Templates with @@KEY@@ tokens filled from
// ArchConfig (prefix, dimensions, widths); the dot-product and multiplier
// modules come from the PE library (rtl_gen/pe_verilog). Register-for-register
// twin of sim/broadcast_core.cpp; schedules in dataflows/broadcast_mapping.cpp.
#include "rtl_gen/broadcast_verilog.h"
#include "rtl_gen/fp_pe_verilog.h"
#include "rtl_gen/pe_verilog.h"
#include "rtl_gen/verilog_text.h"
#include <stdexcept>

namespace tpe {

namespace {

// Sign-extension of the TW-bit dot product to the A-bit accumulator (TW <= A).
const char* kDotExt = R"(  wire [TW-1:0] y;
  @@P@@_dot u_dot (.a(a), .b(@@BOP@@), .y(y));
  wire [A-1:0] y_ext;
  generate
    if (A > TW) begin : g_ext
      assign y_ext = {{(A-TW){y[TW-1]}}, y};
    end else begin : g_same
      assign y_ext = y;
    end
  endgenerate
)";

// ------------------------------------------------------------------ grid

const char* kGridPe = R"(`timescale 1ns/1ps
// Grid PE (cube, matrix2d): the dot product of its row's G west lanes and its
// column's G north lanes, accumulated in place modulo 2^A (restarting on
// 'first'); on 'last' the new sum is also copied into the drain register, which
// the drain mux reads while the next fold accumulates.
module @@P@@_pe #(
  parameter G = @@G@@,
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter TW = @@TW@@
) (
  input  wire          clk,
  input  wire [2:0]    f,     // {last, first, valid}
  input  wire [G*AW-1:0] a,
  input  wire [G*W-1:0] b,
  output reg  [A-1:0]  dr
);
  reg  [A-1:0] acc;
@@DOTEXT@@  wire [A-1:0] nacc = (f[1] ? {A{1'b0}} : acc) + y_ext;
  always @(posedge clk) begin
    if (f[0]) begin
      acc <= nacc;
      if (f[2]) dr <= nacc;
    end
  end
endmodule
)";

const char* kGridArray = R"(`timescale 1ns/1ps
// R x C grid: row i's G west lanes and column j's G north lanes reach PE (i, j)
// in the cycle they leave the operand SRAMs (broadcast, no skew).
module @@P@@_array #(
  parameter R = @@R@@,
  parameter C = @@C@@,
  parameter G = @@G@@,
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter TW = @@TW@@
) (
  input  wire              clk,
  input  wire [2:0]        f,
  input  wire [R*G*AW-1:0] a,
  input  wire [C*G*W-1:0]  b,
  output wire [R*C*A-1:0]  dr
);
  genvar i, j;
  generate
    for (i = 0; i < R; i = i + 1) begin : g_row
      for (j = 0; j < C; j = j + 1) begin : g_col
        @@P@@_pe #(.G(G), .W(W), .AW(AW), .A(A), .TW(TW)) pe (
          .clk(clk), .f(f), .a(a[i*G*AW +: G*AW]), .b(b[j*G*W +: G*W]),
          .dr(dr[(i*C+j)*A +: A]));
      end
    end
  endgenerate
endmodule
)";

const char* kGridDrain = R"(`timescale 1ns/1ps
// Drain mux: the row of drain registers selected by the one-hot 'sel' (AND-OR).
module @@P@@_drain #(
  parameter R = @@R@@,
  parameter C = @@C@@,
  parameter A = @@A@@
) (
  input  wire [R*C*A-1:0] dr,
  input  wire [R-1:0]     sel,
  output reg  [C*A-1:0]   dout
);
  integer r;
  always @* begin
    dout = {C*A{1'b0}};
    for (r = 0; r < R; r = r + 1)
      dout = dout | ({C*A{sel[r]}} & dr[r*C*A +: C*A]);
  end
endmodule
)";

const char* kGridCtrl = R"(`timescale 1ns/1ps
// Grid controller. Issue side: for each fold (mt, nt), mt outer, one west and one
// north word per cycle for the fold's G groups (flags first/last/final registered
// with the read data), then idle until P = max(G, R) cycles have passed, so a
// fold's drain (R rows) never meets the next fold's. Output side: when 'last'
// reaches the PEs the drain starts, one row per cycle from row 0 (one-hot
// select) to consecutive output words. Every counter counts down to 1, counts up
// or reloads a saved value.
module @@P@@_ctrl #(
  parameter R = @@R@@
) (
  input  wire         clk,
  input  wire         rst,
  input  wire         start,
  input  wire [31:0]  cfg_k,   // G = ceil(K / depth)
  input  wire [31:0]  cfg_mt,  // ceil(M / R)
  input  wire [31:0]  cfg_nt,  // ceil(N / C)
  output reg          busy,
  output reg          done,
  output wire         w_rd_en,
  output wire [31:0]  w_rd_addr,
  output wire         n_rd_en,
  output wire [31:0]  n_rd_addr,
  output reg  [3:0]   f1,      // {final, last, first, valid} with the SRAM read data
  output wire         o_wr_en,
  output wire [31:0]  o_wr_addr,
  output reg  [R-1:0] osel     // drain row (one-hot)
);
  reg        iss, ow_act, ow_final;
  reg [31:0] k_r, p_r, nt_r, icnt, pcnt, mtc, ntc, waddr, wbase, naddr, oaddr;
  wire        rd_en = iss & (icnt != 0);
  wire        last = icnt == 1;
  wire        fold_end = iss & (pcnt == 1);
  wire [31:0] waddr_next = rd_en ? waddr + 1 : waddr;
  wire [31:0] period = (cfg_k > R) ? cfg_k : R;
  wire        fin = f1[0] & f1[2];
  wire        finish = ow_act & osel[R-1] & ow_final;
  assign w_rd_en = rd_en;
  assign n_rd_en = rd_en;
  assign w_rd_addr = waddr;
  assign n_rd_addr = naddr;
  assign o_wr_en = ow_act;
  assign o_wr_addr = oaddr;
  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; done <= 1'b0; iss <= 1'b0; ow_act <= 1'b0; ow_final <= 1'b0;
      f1 <= 4'b0000; osel <= {R{1'b0}};
      k_r <= 0; p_r <= 0; nt_r <= 0; icnt <= 0; pcnt <= 0; mtc <= 0; ntc <= 0;
      waddr <= 0; wbase <= 0; naddr <= 0; oaddr <= 0;
    end else begin
      f1 <= rd_en ? {last & (mtc == 1) & (ntc == 1), last, icnt == k_r, 1'b1} : 4'b0000;
      done <= finish;
      if (finish) busy <= 1'b0;
      // output side
      if (ow_act) begin
        oaddr <= oaddr + 1;
        osel <= osel << 1;
        if (osel[R-1]) ow_act <= 1'b0;
      end
      if (fin) begin
        ow_act <= 1'b1;
        osel <= ~({R{1'b1}} << 1);
        ow_final <= f1[3];
      end
      // issue side
      waddr <= waddr_next;
      if (rd_en) begin
        naddr <= naddr + 1;
        icnt <= icnt - 1;
      end
      if (iss) begin
        if (fold_end) begin
          icnt <= k_r;
          pcnt <= p_r;
          if (ntc == 1) begin
            ntc <= nt_r;
            naddr <= 0;
            wbase <= waddr_next;
            if (mtc == 1) iss <= 1'b0;
            else mtc <= mtc - 1;
          end else begin
            ntc <= ntc - 1;
            waddr <= wbase;
          end
        end else pcnt <= pcnt - 1;
      end
      if (start && !busy) begin
        k_r <= cfg_k; nt_r <= cfg_nt; p_r <= period;
        busy <= 1'b1; iss <= 1'b1;
        icnt <= cfg_k; pcnt <= period; mtc <= cfg_mt; ntc <= cfg_nt;
        waddr <= 0; wbase <= 0; naddr <= 0; oaddr <= 0;
      end
    end
  end
endmodule
)";

// FP grid PE: d = the exact group sum (@@P@@_fdot, a TW-bit Unpacked bus), added
// with one rounding (@@P@@_fadd) to the accumulator or to +0 (code 0) on 'first'.
const char* kGridPeFp = R"(`timescale 1ns/1ps
// Grid PE (cube, matrix2d), FP datapath: the exact sum d of the products of its
// row's G west lanes and its column's G north lanes (@@P@@_fdot), added with one
// rounding in the accumulator format (@@P@@_fadd; exact for `fixed`) to the
// accumulator, or to +0 on 'first'; on 'last' the new sum is also copied into the
// drain register, which the drain mux reads while the next fold accumulates.
module @@P@@_pe #(
  parameter G = @@G@@,
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter TW = @@TW@@
) (
  input  wire          clk,
  input  wire [2:0]    f,     // {last, first, valid}
  input  wire [G*AW-1:0] a,
  input  wire [G*W-1:0] b,
  output reg  [A-1:0]  dr
);
  reg  [A-1:0] acc;
  wire [TW-1:0] d;
  @@P@@_fdot u_dot (.a(a), .b(b), .d(d));
  wire [A-1:0] nacc;
  @@P@@_fadd u_add (.acc(f[1] ? {A{1'b0}} : acc), .x(d), .acc_new(nacc));
  always @(posedge clk) begin
    if (f[0]) begin
      acc <= nacc;
      if (f[2]) dr <= nacc;
    end
  end
endmodule
)";

// Block-scaled grid (cube, matrix2d with block % depth == 0): the group of G lanes
// lies inside one block; its exact sum adds exactly into the PE's block register,
// and at the block end (fb) the block sum times the two scales (sa, sb: the scale
// codes of the PE's row and column, held over the block) is added into the
// accumulator with one rounding (+0 on 'first', the first block's end).
const char* kGridPeBlock = R"(`timescale 1ns/1ps
// Grid PE (cube, matrix2d), block-scaled operands: the exact group sum d
// (@@P@@_fdot) adds exactly into the block register (@@P@@_bterm); at the block
// end (fb) the block sum times the scale product (@@P@@_bscale, @@P@@_bprod) is
// added with one rounding (@@P@@_fadd) to the accumulator, or to +0 on 'first';
// on 'last' the new sum is also copied into the drain register.
module @@P@@_pe #(
  parameter G = @@G@@,
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter TW = @@TW@@
) (
  input  wire          clk,
  input  wire          rst,
  input  wire [2:0]    f,     // {last, first, valid}
  input  wire          fb,    // block end
  input  wire [7:0]    sa,    // scale code of the row's block
  input  wire [7:0]    sb,    // scale code of the column's block
  input  wire [G*AW-1:0] a,
  input  wire [G*W-1:0] b,
  output reg  [A-1:0]  dr
);
  reg  [A-1:0] acc;
  wire [TW-1:0] d;
  @@P@@_fdot u_dot (.a(a), .b(b), .d(d));
  reg  [@@BS@@-1:0] bsum;  // exact block register {nan, +inf, -inf, value}
  wire [@@BS@@-1:0] bsum_new;
  @@P@@_bterm u_bterm (.acc(bsum), .x(d), .acc_new(bsum_new));
  always @(posedge clk) begin
    if (rst) bsum <= {@@BS@@{1'b0}};
    else if (f[0]) bsum <= fb ? {@@BS@@{1'b0}} : bsum_new;
  end
  wire [@@DB@@-1:0] dsum;
  @@P@@_bgsum u_bgsum (.acc(bsum_new), .u(dsum));
  wire [@@SB@@-1:0] sprod;
  @@P@@_bscale u_bscale (.sa(sa), .sb(sb), .p(sprod));
  wire [@@XB@@-1:0] xsum;
  @@P@@_bprod u_bprod (.a(dsum), .b(sprod), .p(xsum));
  wire [A-1:0] nacc;
  @@P@@_fadd u_add (.acc(f[1] ? {A{1'b0}} : acc), .x(xsum), .acc_new(nacc));
  always @(posedge clk) begin
    if (f[0] & fb) begin
      acc <= nacc;
      if (f[2]) dr <= nacc;
    end
  end
endmodule
)";

const char* kGridArrayBlock = R"(`timescale 1ns/1ps
// R x C grid, block-scaled operands: row i's G west lanes and scale code, column
// j's G north lanes and scale code reach PE (i, j) in the cycle they leave the
// SRAMs (broadcast, no skew), with the flags and the block-end bit.
module @@P@@_array #(
  parameter R = @@R@@,
  parameter C = @@C@@,
  parameter G = @@G@@,
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter TW = @@TW@@
) (
  input  wire              clk,
  input  wire              rst,
  input  wire [2:0]        f,
  input  wire              fb,
  input  wire [R*8-1:0]    sa,
  input  wire [C*8-1:0]    sb,
  input  wire [R*G*AW-1:0] a,
  input  wire [C*G*W-1:0]  b,
  output wire [R*C*A-1:0]  dr
);
  genvar i, j;
  generate
    for (i = 0; i < R; i = i + 1) begin : g_row
      for (j = 0; j < C; j = j + 1) begin : g_col
        @@P@@_pe #(.G(G), .W(W), .AW(AW), .A(A), .TW(TW)) pe (
          .clk(clk), .rst(rst), .f(f), .fb(fb), .sa(sa[i*8 +: 8]), .sb(sb[j*8 +: 8]),
          .a(a[i*G*AW +: G*AW]), .b(b[j*G*W +: G*W]), .dr(dr[(i*C+j)*A +: A]));
      end
    end
  endgenerate
endmodule
)";

const char* kGridBodyBlock = R"(  wire [3:0]       f1;
  wire             fb1, s_rd_en;
  wire [31:0]      ws_addr, ns_addr;
  wire [R-1:0]     osel;
  wire [R*C*A-1:0] dr;
  // 'final' is the controller's own (it ends the drain)
  // verilator lint_off UNUSED
  wire _unused_f1 = &{1'b0, f1[3], 1'b0};
  // verilator lint_on UNUSED
@@WEST@@  @@P@@_ctrl #(.R(R)) u_ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_k(cfg_k), .cfg_mt(cfg_mt), .cfg_nt(cfg_nt),
    .busy(busy), .done(done), .w_rd_en(w_rd_en), .w_rd_addr(w_rd_addr),
    .n_rd_en(n_rd_en), .n_rd_addr(n_rd_addr), .f1(f1), .o_wr_en(o_wr_en),
    .o_wr_addr(o_wr_addr), .osel(osel), .s_rd_en(s_rd_en), .ws_rd_addr(ws_addr),
    .ns_rd_addr(ns_addr), .fb1(fb1));
  // scale lanes: the word read at a block's start, held until the next read
  reg            s_v;
  reg  [R*8-1:0] ws_hold;
  reg  [C*8-1:0] ns_hold;
  wire [R*8-1:0] ws_now;
  wire [C*8-1:0] ns_now;
@@SCALELANES@@  always @(posedge clk) begin
    s_v <= rst ? 1'b0 : s_rd_en;
    ws_hold <= ws_now;
    ns_hold <= ns_now;
  end
  @@P@@_array #(.R(R), .C(C), .G(G), .W(W), .AW(AW), .A(A), .TW(TW)) u_array (
    .clk(clk), .rst(rst), .f(f1[2:0]), .fb(fb1), .sa(ws_now), .sb(ns_now), .a(w_in),
    .b(n_rd_data), .dr(dr));
  @@P@@_drain #(.R(R), .C(C), .A(A)) u_drain (.dr(dr), .sel(osel), .dout(o_wr_data));
@@SCALEUNUSED@@)";

// ------------------------------------------------------------------ tree

const char* kTreePe = R"(`timescale 1ns/1ps
// Adder tree (one of the C dot-product units): G stationary weights, loaded in
// one cycle from the weight SRAM word on 'load'; the dot product of the shared
// activation register and the weights is registered on 'v2'.
module @@P@@_pe #(
  parameter G = @@G@@,
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter TW = @@TW@@
) (
  input  wire            clk,
  input  wire            load,
  input  wire            v2,
  input  wire [G*AW-1:0] a,
  input  wire [G*W-1:0]  w_in,
  output reg  [A-1:0]    t
);
  reg  [G*W-1:0] wt;
@@DOTEXT@@  always @(posedge clk) begin
    if (load) wt <= w_in;
    if (v2) t <= y_ext;
  end
endmodule
)";

// FP tree: the register t holds the exact dot product d (a TW-bit Unpacked bus).
const char* kTreePeFp = R"(`timescale 1ns/1ps
// Adder tree (one of the C dot-product units), FP datapath: G stationary weights,
// loaded in one cycle from the weight SRAM word on 'load'; the exact dot product
// of the shared activation register and the weights (@@P@@_fdot, an Unpacked bus
// of TW bits, not rounded) is registered on 'v2'.
module @@P@@_pe #(
  parameter G = @@G@@,
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter TW = @@TW@@
) (
  input  wire            clk,
  input  wire            load,
  input  wire            v2,
  input  wire [G*AW-1:0] a,
  input  wire [G*W-1:0]  w_in,
  output reg  [TW-1:0]   t
);
  reg  [G*W-1:0] wt;
  wire [TW-1:0] d;
  @@P@@_fdot u_dot (.a(a), .b(wt), .d(d));
  always @(posedge clk) begin
    if (load) wt <= w_in;
    if (v2) t <= d;
  end
endmodule
)";

const char* kTreeArray = R"(`timescale 1ns/1ps
// C adder trees sharing one activation register (the vector read from the west
// SRAM, broadcast to every tree); tree j takes lanes j*G .. j*G+G-1 of the weight
// word.
module @@P@@_array #(
  parameter C = @@C@@,
  parameter G = @@G@@,
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter TW = @@TW@@
) (
  input  wire            clk,
  input  wire            v1,    // an activation vector is on the SRAM port
  input  wire            load,  // with the fold's weight word
  input  wire            v2,
  input  wire [G*AW-1:0] a,
  input  wire [C*G*W-1:0] w,
  output wire [C*A-1:0]  t
);
  reg [G*AW-1:0] aq;
  always @(posedge clk) if (v1) aq <= a;
  genvar j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_tree
      @@P@@_pe #(.G(G), .W(W), .AW(AW), .A(A), .TW(TW)) pe (
        .clk(clk), .load(v1 & load), .v2(v2), .a(aq), .w_in(w[j*G*W +: G*W]),
        .t(t[j*A +: A]));
    end
  endgenerate
endmodule
)";

const char* kTreeAccum = R"(`timescale 1ns/1ps
// Output accumulate stage: each tree's registered dot product plus the partial
// sum read back from the output SRAM (every K-tile after the first), modulo 2^A,
// straight to the SRAM write port. When the read of a word meets the write of
// the same word (a fold of one row), the written sum is kept and used instead.
module @@P@@_accum #(
  parameter C = @@C@@,
  parameter A = @@A@@
) (
  input  wire           clk,
  input  wire [C*A-1:0] din,
  input  wire [C*A-1:0] psum,
  input  wire           acc_en,
  input  wire           byp_next,
  output wire [C*A-1:0] dout
);
  reg           byp;
  reg [C*A-1:0] bdata;
  always @(posedge clk) begin
    byp <= byp_next;
    if (byp_next) bdata <= dout;
  end
  genvar j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_col
      wire [A-1:0] p = byp ? bdata[j*A +: A] : psum[j*A +: A];
      assign dout[j*A +: A] = (acc_en ? p : {A{1'b0}}) + din[j*A +: A];
    end
  endgenerate
endmodule
)";

const char* kTreeAccumFp = R"(`timescale 1ns/1ps
// Output accumulate stage, FP datapath: each tree's registered exact dot product
// added with one rounding (@@P@@_fadd) to the partial sum read back from the
// output SRAM (every K-tile after the first) or to +0, straight to the SRAM write
// port. When the read of a word meets the write of the same word (a fold of one
// row), the written sum is kept and used instead.
module @@P@@_accum #(
  parameter C = @@C@@,
  parameter A = @@A@@,
  parameter TW = @@TW@@
) (
  input  wire            clk,
  input  wire [C*TW-1:0] din,
  input  wire [C*A-1:0]  psum,
  input  wire            acc_en,
  input  wire            byp_next,
  output wire [C*A-1:0]  dout
);
  reg           byp;
  reg [C*A-1:0] bdata;
  always @(posedge clk) begin
    byp <= byp_next;
    if (byp_next) bdata <= dout;
  end
  genvar j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_col
      wire [A-1:0] p = byp ? bdata[j*A +: A] : psum[j*A +: A];
      @@P@@_fadd u_add (.acc(acc_en ? p : {A{1'b0}}), .x(din[j*TW +: TW]), .acc_new(dout[j*A +: A]));
    end
  endgenerate
endmodule
)";

// Block-scaled trees (block % depth == 0; docs/formats-engines.md): a block is BPT
// consecutive K-tiles. The accumulate stage adds the tree's exact sum into the
// exact block partial read back with the output word (from 0 in a block's first
// K-tile, 'bcont' low); in a block's last K-tile ('bend') the partial times the
// scale product is added to the word with one rounding and the partial written
// back is 0, otherwise the word passes through (the first block's words stay +0).
const char* kTreeAccumBlock = R"(`timescale 1ns/1ps
// Output accumulate stage, block-scaled operands: each tree's exact dot product
// adds exactly into its block partial (@@P@@_bterm; the partial read back beside
// the output word when 'bcont', else 0); at a block's end ('bend') the block sum
// times the scale product (@@P@@_bscale of the row's scale sa and the tree's sb,
// @@P@@_bprod) is added with one rounding (@@P@@_fadd) to the word read back, or
// to +0 in the first K-tile; otherwise the word and the new partial are written
// back. When the read of a word meets the write of the same word (a fold of one
// row), the written word and partial are kept and used instead.
module @@P@@_accum #(
  parameter C = @@C@@,
  parameter A = @@A@@,
  parameter TW = @@TW@@,
  parameter BS = @@BS@@
) (
  input  wire            clk,
  input  wire [C*TW-1:0] din,
  input  wire [C*A-1:0]  psum,
  input  wire [C*BS-1:0] bpsum,
  input  wire            acc_en,
  input  wire            bcont,
  input  wire            bend,
  input  wire [7:0]      sa,
  input  wire [C*8-1:0]  sb,
  input  wire            byp_next,
  output wire [C*A-1:0]  dout,
  output wire [C*BS-1:0] bout
);
  reg            byp;
  reg [C*A-1:0]  bdata;
  reg [C*BS-1:0] bbdata;
  always @(posedge clk) begin
    byp <= byp_next;
    if (byp_next) begin
      bdata <= dout;
      bbdata <= bout;
    end
  end
  genvar j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_col
      wire [A-1:0] p = byp ? bdata[j*A +: A] : psum[j*A +: A];
      wire [A-1:0] old = acc_en ? p : {A{1'b0}};
      wire [BS-1:0] bp = bcont ? (byp ? bbdata[j*BS +: BS] : bpsum[j*BS +: BS]) : {BS{1'b0}};
      wire [BS-1:0] bnew;
      @@P@@_bterm u_bterm (.acc(bp), .x(din[j*TW +: TW]), .acc_new(bnew));
      wire [@@DB@@-1:0] dsum;
      @@P@@_bgsum u_bgsum (.acc(bnew), .u(dsum));
      wire [@@SB@@-1:0] sprod;
      @@P@@_bscale u_bscale (.sa(sa), .sb(sb[j*8 +: 8]), .p(sprod));
      wire [@@XB@@-1:0] xsum;
      @@P@@_bprod u_bprod (.a(dsum), .b(sprod), .p(xsum));
      wire [A-1:0] nacc;
      @@P@@_fadd u_add (.acc(old), .x(xsum), .acc_new(nacc));
      assign dout[j*A +: A] = bend ? nacc : old;
      assign bout[j*BS +: BS] = bend ? {BS{1'b0}} : bnew;
    end
  endgenerate
endmodule
)";

const char* kTreeCtrl = R"(`timescale 1ns/1ps
// Adder-tree controller. Issue side: fold (nt, kt), kt inner: one activation word
// per cycle for the M rows of the K-tile, the fold's weight word with its first
// row (flags valid/load/acc/final registered with the read data). Pipeline: the
// operand registers (stage 1), the tree register (stage 2, which also reads the
// partial sum of every K-tile after the first), the accumulate stage writing the
// output word (stage 3). Every counter counts down to 1, counts up or reloads.
module @@P@@_ctrl (
  input  wire        clk,
  input  wire        rst,
  input  wire        start,
  input  wire [31:0] cfg_t,   // M
  input  wire [31:0] cfg_nt,  // ceil(N / C)
  input  wire [31:0] cfg_kt,  // ceil(K / depth)
  output reg         busy,
  output reg         done,
  output wire        w_rd_en,
  output wire [31:0] w_rd_addr,
  output wire        n_rd_en,
  output wire [31:0] n_rd_addr,
  output reg  [3:0]  f1,      // {final, acc, load, valid} with the SRAM read data
  output wire        v2,
  output wire        o_rd_en,
  output wire [31:0] o_rd_addr,
  output wire        o_wr_en,
  output wire [31:0] o_wr_addr,
  output wire        acc3,
  output wire        byp_next
);
  reg        iss;
  reg [3:0]  f2, f3;
  reg [31:0] t_r, kt_r, mcnt, ktc, ntc, waddr, naddr, oa, obase, oa1, oa2, oa3;
  wire first_row = mcnt == t_r, last_row = mcnt == 1;
  wire first_kt = ktc == kt_r, last_kt = ktc == 1, last_nt = ntc == 1;
  wire finish = f3[0] & f3[3];
  assign w_rd_en = iss;
  assign w_rd_addr = waddr;
  assign n_rd_en = iss & first_row;
  assign n_rd_addr = naddr;
  assign v2 = f2[0];
  assign o_rd_en = f2[0] & f2[2];
  assign o_rd_addr = oa2;
  assign o_wr_en = f3[0];
  assign o_wr_addr = oa3;
  assign acc3 = f3[2];
  assign byp_next = o_rd_en & o_wr_en & (oa2 == oa3);
  // verilator lint_off UNUSED
  wire _unused_f = &{1'b0, f2[1], f2[3], f3[1], 1'b0};
  // verilator lint_on UNUSED
  always @(posedge clk) begin
    oa1 <= oa;
    oa2 <= oa1;
    oa3 <= oa2;
    if (rst) begin
      busy <= 1'b0; done <= 1'b0; iss <= 1'b0;
      f1 <= 4'b0000; f2 <= 4'b0000; f3 <= 4'b0000;
      t_r <= 0; kt_r <= 0; mcnt <= 0; ktc <= 0; ntc <= 0;
      waddr <= 0; naddr <= 0; oa <= 0; obase <= 0;
    end else begin
      f1 <= iss ? {last_row & last_kt & last_nt, ~first_kt, first_row, 1'b1} : 4'b0000;
      f2 <= f1;
      f3 <= f2;
      done <= finish;
      if (finish) busy <= 1'b0;
      if (iss) begin
        waddr <= waddr + 1;
        oa <= oa + 1;
        if (last_row) begin
          mcnt <= t_r;
          naddr <= naddr + 1;
          if (last_kt) begin
            ktc <= kt_r;
            waddr <= 0;
            obase <= oa + 1;
            if (last_nt) iss <= 1'b0;
            else ntc <= ntc - 1;
          end else begin
            ktc <= ktc - 1;
            oa <= obase;
          end
        end else mcnt <= mcnt - 1;
      end
      if (start && !busy) begin
        t_r <= cfg_t; kt_r <= cfg_kt;
        busy <= 1'b1; iss <= 1'b1;
        mcnt <= cfg_t; ktc <= cfg_kt; ntc <= cfg_nt;
        waddr <= 0; naddr <= 0; oa <= 0; obase <= 0;
      end
    end
  end
endmodule
)";

const char* kGridTopDoc =
    R"(// Top of the grid engine: R x C dot products of G lanes per cycle, outputs
// accumulated in place and drained one row per cycle while the next fold runs.)";
const char* kGridBody = R"(  wire [3:0]       f1;
  wire [R-1:0]     osel;
  wire [R*C*A-1:0] dr;
  // 'final' is the controller's own (it ends the drain)
  // verilator lint_off UNUSED
  wire _unused_f1 = &{1'b0, f1[3], 1'b0};
  // verilator lint_on UNUSED
@@WEST@@  @@P@@_ctrl #(.R(R)) u_ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_k(cfg_k), .cfg_mt(cfg_mt), .cfg_nt(cfg_nt),
    .busy(busy), .done(done), .w_rd_en(w_rd_en), .w_rd_addr(w_rd_addr),
    .n_rd_en(n_rd_en), .n_rd_addr(n_rd_addr), .f1(f1), .o_wr_en(o_wr_en),
    .o_wr_addr(o_wr_addr), .osel(osel));
  @@P@@_array #(.R(R), .C(C), .G(G), .W(W), .AW(AW), .A(A), .TW(TW)) u_array (
    .clk(clk), .f(f1[2:0]), .a(w_in), .b(n_rd_data), .dr(dr));
  @@P@@_drain #(.R(R), .C(C), .A(A)) u_drain (.dr(dr), .sel(osel), .dout(o_wr_data));
)";

const char* kTreeTopDoc =
    R"(// Top of the adder-tree engine: C trees of G multipliers with stationary
// weights; one activation vector per cycle; partial sums of K-tiles accumulated
// through the output SRAM.)";
const char* kTreeBody = R"(  wire [3:0]     f1;
  wire           v2, acc3, byp_next;
  wire [C*A-1:0] t;
  // 'acc' and 'final' travel on inside the controller
  // verilator lint_off UNUSED
  wire _unused_f1 = &{1'b0, f1[3:2], 1'b0};
  // verilator lint_on UNUSED
@@WEST@@  @@P@@_ctrl u_ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_t(cfg_t), .cfg_nt(cfg_nt), .cfg_kt(cfg_kt),
    .busy(busy), .done(done), .w_rd_en(w_rd_en), .w_rd_addr(w_rd_addr),
    .n_rd_en(n_rd_en), .n_rd_addr(n_rd_addr), .f1(f1), .v2(v2),
    .o_rd_en(o_rd_en), .o_rd_addr(o_rd_addr), .o_wr_en(o_wr_en), .o_wr_addr(o_wr_addr),
    .acc3(acc3), .byp_next(byp_next));
  @@P@@_array #(.C(C), .G(G), .W(W), .AW(AW), .A(A), .TW(TW)) u_array (
    .clk(clk), .v1(f1[0]), .load(f1[1]), .v2(v2), .a(w_in), .w(n_rd_data), .t(t));
  @@P@@_accum #(.C(C), .A(A)) u_accum (
    .clk(clk), .din(t), .psum(o_rd_data), .acc_en(acc3), .byp_next(byp_next), .dout(o_wr_data));
)";

// West operands as they reach the PEs: plain, or EN-T encoded once per lane at
// the engine's edge (the encoder shared by every PE the lane is broadcast to).
const char* kWestPlain = R"(  wire [@@LANES@@*AW-1:0] w_in = w_rd_data;
)";
const char* kWestEnt = R"(  wire [@@LANES@@*AW-1:0] w_in;
  genvar e;
  generate
    for (e = 0; e < @@LANES@@; e = e + 1) begin : g_west_enc
      @@P@@_ent_enc u_enc (.a(w_rd_data[e*W +: W]), .code(w_in[e*AW +: AW]));
    end
  endgenerate
)";

// The block-scaled tree's texts (docs/formats-engines.md "Block-scaled operands"):
// the accumulate stage, the controller with the block position and the scale
// reads, the scale and block-partial ports and the top's body (`body`: the FP tree
// body it extends).
struct TreeBlockText {
  std::string accum, ctrl, body, topdoc;
  std::vector<VerilogPort> ports; // the scale and block-partial ports
};
TreeBlockText tree_block_text(const FpPeArith& fa, int G, const std::string& body) {
  const int bpt = fa.block / G, BS = fa.block_spec.width + 3;
  const std::string bs = std::to_string(BS);
  const std::map<std::string, std::string> keep = {
      {"P", "@@P@@"}, {"C", "@@C@@"}, {"A", "@@A@@"}, {"TW", "@@TW@@"}};
  auto with = [&](std::map<std::string, std::string> m) {
    m.insert(keep.begin(), keep.end());
    return m;
  };
  TreeBlockText t;
  t.accum = subst(kTreeAccumBlock, with({{"BS", bs},
                                         {"DB", std::to_string(fa.bsum_w.bus_bits())},
                                         {"SB", std::to_string(fa.scale_w.bus_bits())},
                                         {"XB", std::to_string(fa.bx_w.bus_bits())}}));
  t.ctrl = kTreeCtrl;
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"// output word (stage 3). Every counter counts down to 1, counts up or reloads.\n",
            "// output word (stage 3). Every counter counts down to 1, counts up or reloads.\n"
            "// Block-scaled operands: BPT = @@BPT@@ K-tiles per block (bpos); in a block's last\n"
            "// K-tile (bend) each row's west scale word and the fold's north scale word are\n"
            "// read (consecutive addresses; the west restarts with each N tile); the flags\n"
            "// {bcont, bend} travel with the rows to the accumulate stage.\n"},
           {"  output wire        byp_next\n);\n",
            "  output wire        byp_next,\n  output wire        s_rd_w,\n"
            "  output wire        s_rd_n,\n  output wire [31:0] ws_rd_addr,\n"
            "  output wire [31:0] ns_rd_addr,\n  output wire        bend3,\n"
            "  output wire        bcont3\n);\n"},
           {"  wire finish = f3[0] & f3[3];\n",
            "  wire finish = f3[0] & f3[3];\n  reg  [7:0]  bpos;\n  reg  [1:0]  b1, b2, b3;\n"
            "  reg  [31:0] wsaddr, nsaddr;\n  wire bend = (bpos == @@BPT@@ - 1) | last_kt;\n"
            "  assign s_rd_w = iss & bend;\n  assign s_rd_n = iss & first_row & bend;\n"
            "  assign ws_rd_addr = wsaddr;\n  assign ns_rd_addr = nsaddr;\n"
            "  assign bend3 = b3[0];\n  assign bcont3 = b3[1];\n"},
           {"      waddr <= 0; naddr <= 0; oa <= 0; obase <= 0;\n    end else begin\n",
            "      waddr <= 0; naddr <= 0; oa <= 0; obase <= 0;\n"
            "      bpos <= 0; b1 <= 2'b00; b2 <= 2'b00; b3 <= 2'b00; wsaddr <= 0; nsaddr <= 0;\n"
            "    end else begin\n"},
           {"      f3 <= f2;\n",
            "      f3 <= f2;\n      b1 <= iss ? {bpos != 0, bend} : 2'b00;\n      b2 <= b1;\n"
            "      b3 <= b2;\n"},
           {"        oa <= oa + 1;\n",
            "        oa <= oa + 1;\n        if (s_rd_w) wsaddr <= wsaddr + 1;\n"
            "        if (s_rd_n) nsaddr <= nsaddr + 1;\n"},
           {"          naddr <= naddr + 1;\n",
            "          naddr <= naddr + 1;\n          bpos <= bend ? 8'd0 : bpos + 8'd1;\n"},
           {"            waddr <= 0;\n", "            waddr <= 0;\n            wsaddr <= 0;\n"},
           {"        waddr <= 0; naddr <= 0; oa <= 0; obase <= 0;\n      end\n",
            "        waddr <= 0; naddr <= 0; oa <= 0; obase <= 0;\n"
            "        bpos <= 0; wsaddr <= 0; nsaddr <= 0;\n      end\n"}})
    t.ctrl = replace_checked(t.ctrl, from, to);
  t.ctrl = subst(t.ctrl, {{"BPT", std::to_string(bpt)}, {"P", "@@P@@"}});
  const ScaleSramVerilog sv = scale_ports_verilog({{fa.west_scale != nullptr, "ws", "1", "s_rd_w",
                                                    "ws_addr", "ws_rd_data", ", s_rd_w, ws_addr"},
                                                   {fa.north_scale != nullptr, "ns", "C", "s_rd_n",
                                                    "ns_addr", "ns_rd_data", ", s_rd_n, ns_addr"}},
                                                  8, 12);
  t.ports = {{"", "", sv.ports}};
  std::string lanes = sv.lanes, unused = sv.idle;
  // a block of several K-tiles: the exact partials travel with the output word
  std::string bpin = "ob_rd_data", bpout = "ob_wr_data";
  if (bpt > 1) {
    t.ports.push_back({"input", "[C*" + bs + "-1:0]", "ob_rd_data"});
    t.ports.push_back({"output", "[C*" + bs + "-1:0]", "ob_wr_data"});
  } else {
    bpin = "{(C*" + bs + "){1'b0}}";
    bpout = "bout_nc";
    lanes += "  wire [C*" + bs + "-1:0] bout_nc; // every K-tile ends its block\n";
    unused += ", bout_nc";
  }
  if (!unused.empty())
    lanes += "  // verilator lint_off UNUSED\n  wire _unused_block = &{1'b0" + unused +
             ", 1'b0};\n  // verilator lint_on UNUSED\n";
  t.body = replace_checked(
      body, "    .acc3(acc3), .byp_next(byp_next));\n",
      "    .acc3(acc3), .byp_next(byp_next), .s_rd_w(s_rd_w), .s_rd_n(s_rd_n),\n"
      "    .ws_rd_addr(ws_addr), .ns_rd_addr(ns_addr), .bend3(bend3), .bcont3(bcont3));\n"
      "  wire           s_rd_w, s_rd_n, bend3, bcont3;\n  wire [31:0]    ws_addr, ns_addr;\n"
      "  wire [7:0]     ws_now;\n  wire [C*8-1:0] ns_now;\n" +
          lanes +
          "  // the block scales: held with the weights (north), carried with the rows\n"
          "  reg  [7:0]     as1, as2;\n  reg  [C*8-1:0] wts, ts;\n"
          "  always @(posedge clk) begin\n    if (f1[0]) begin\n      as1 <= ws_now;\n"
          "      if (f1[1]) wts <= ns_now;\n    end\n    if (v2) begin\n      as2 <= as1;\n"
          "      ts <= wts;\n    end\n  end\n");
  t.body = replace_checked(t.body, ".acc_en(acc3), .byp_next(byp_next), .dout(o_wr_data));\n",
                           ".bpsum(" + bpin +
                               "), .acc_en(acc3), .bcont(bcont3),\n    .bend(bend3), .sa(as2), "
                               ".sb(ts), .byp_next(byp_next), .dout(o_wr_data), .bout(" +
                               bpout + "));\n");
  t.topdoc = "\n// Block-scaled operands: scale SRAMs (ws_rd_*: one 8-bit code per row and "
             "block;\n// ns_rd_*: C codes per N tile and block)" +
             std::string(bpt > 1 ? ", and each output word holds the trees'\n// exact block "
                                   "partials (ob_rd_data, ob_wr_data) between a block's K-tiles."
                                 : ".");
  return t;
}

} // namespace

GeneratedRtl generate_broadcast_verilog(const ArchConfig& a, const std::string& regen) {
  const bool tree = a.engine == "adder_tree";
  if (!tree && a.engine != "cube" && a.engine != "matrix2d")
    throw std::logic_error("generate_broadcast_verilog: engine '" + a.engine + "'");
  const std::string p = "tpe_" + verilog_ident(a.name);
  // WA: west (A) code bits, W: north (B) code bits (they differ only for `mac`)
  const int WA = a.west_bits(), W = a.north_bits(), G = a.depth;
  const bool fp = uses_fp_datapath(a);
  FpPeArith fa;
  if (fp) fa = fp_pe_arith(a);
  // TW: the integer dot product's width, or the FP datapath's exact-sum bus
  const int TW = fp ? dot_bus_widths(fa, G).bus_bits() : dot_width(WA, W, G, a.acc_bits);
  const std::string desc = "Design '" + a.name + "': " + a.engine + " " + a.shape() + ", PE " +
                           a.pe + ", " + design_formats_desc(a);
  const std::map<std::string, std::string> v = {
      {"P", p},
      {"TOP", p},
      {"R", std::to_string(a.rows)},
      {"C", std::to_string(a.cols)},
      {"G", std::to_string(G)},
      {"W", std::to_string(W)},
      {"AW", std::to_string(pe_west_width(a.pe, WA))},
      {"A", std::to_string(a.acc_bits)},
      {"TW", std::to_string(TW)},
      {"DESC", desc},
      {"LANES", tree ? "G" : "R*G"},
      {"BOP", tree ? "wt" : "b"},
  };
  GeneratedRtl g;
  g.top = p;
  const std::string banner =
      generated_banner("tpe " + a.engine + " engine '" + a.name + "'", regen);
  auto add_text = [&](const std::string& file, const std::string& text) {
    g.files[file] = banner + text;
    g.sources.push_back(file);
  };
  // two passes: the first inserts fragments (and `parts`, pieces of the template
  // itself), the second fills the tokens of all of them
  auto add = [&](const std::string& file, const std::string& tmpl,
                 const std::map<std::string, std::string>& parts = {}) {
    std::map<std::string, std::string> outer = parts;
    for (const auto& [k, val] : v)
      outer[k] = "@@" + k + "@@";
    outer["DOTEXT"] = kDotExt;
    outer["WEST"] = a.pe == "ent" ? kWestEnt : kWestPlain;
    std::string text = subst(tmpl, outer);
    if (!parts.empty()) text = subst(text, outer); // fragments inside the parts
    add_text(file, subst(text, v));
  };
  if (fp) {
    for (const auto& [file, text] : fp_pe_modules(p, fa, false, G))
      add_text(file, text);
  } else {
    if (pe_has_multiplier_module(a.pe) && !dot_is_sbw(a.pe, G))
      add_text(p + "_mul.v", multiplier_module(a.pe, p, W));
    if (a.pe == "ent") add_text(p + "_ent_enc.v", ent_encoder_module(p, W));
    add_text(p + "_dot.v", dot_product_module(a.pe, p, WA, W, G, TW));
  }
  // the top: the shared head with the engine's cfg words and `ports` before the
  // output write port, then its @@BODY@@
  const auto top = [&](std::vector<VerilogPort> ports) {
    for (const VerilogPort& q : sram_port("o_wr", "C*A"))
      ports.push_back(q);
    return top_module_head({"R", "C", "G", "W", "AW", "A", "TW"},
                           cfg_ports(tree ? std::vector<std::string>{"cfg_t", "cfg_nt", "cfg_kt"}
                                          : std::vector<std::string>{"cfg_k", "cfg_mt", "cfg_nt"}),
                           WA == W ? "R*G*W" : "R*G*AW", "C*G*W", ports, 12) +
           "@@BODY@@endmodule\n";
  };
  if (tree) {
    const bool blk = fp && fa.block > 0; // block-scaled operands (docs/formats-engines.md)
    // FP: the trees hand the exact TW-bit sums (not A-bit words) to the accumulate stage
    const auto tw = [&](const char* t,
                        std::initializer_list<std::pair<const char*, const char*>> r) {
      std::string x = t;
      if (fp)
        for (const auto& [from, to] : r)
          x = replace_checked(x, from, to);
      return x;
    };
    add(p + "_pe.v", fp ? kTreePeFp : kTreePe);
    add(p + "_array.v", tw(kTreeArray, {{"output wire [C*A-1:0]  t", "output wire [C*TW-1:0] t"},
                                        {".t(t[j*A +: A])", ".t(t[j*TW +: TW])"},
                                        {".A(A), .TW(TW)) pe (", ".TW(TW)) pe ("},
                                        {"  parameter A = @@A@@,\n", ""}}));
    const std::string body =
        tw(kTreeBody, {{"wire [C*A-1:0] t;", "wire [C*TW-1:0] t;"},
                       {"_accum #(.C(C), .A(A))", "_accum #(.C(C), .A(A), .TW(TW))"},
                       {"_array #(.C(C), .G(G), .W(W), .AW(AW), .A(A), .TW(TW))",
                        "_array #(.C(C), .G(G), .W(W), .AW(AW), .TW(TW))"}});
    if (!blk) {
      add(p + "_accum.v", fp ? kTreeAccumFp : kTreeAccum);
      add(p + "_ctrl.v", kTreeCtrl);
      add(p + ".v", top(sram_port("o_rd", "C*A")), {{"TOPDOC", kTreeTopDoc}, {"BODY", body}});
    } else {
      const TreeBlockText b = tree_block_text(fa, G, body);
      add(p + "_accum.v", b.accum);
      add(p + "_ctrl.v", b.ctrl);
      std::vector<VerilogPort> ports = sram_port("o_rd", "C*A");
      ports.insert(ports.end(), b.ports.begin(), b.ports.end());
      add(p + ".v", top(ports),
          {{"TOPDOC", std::string(kTreeTopDoc) + b.topdoc}, {"BODY", b.body}});
    }
  } else if (fp && fa.block > 0) { // block-scaled operands (docs/formats-engines.md)
    add(p + "_pe.v", subst(kGridPeBlock, {{"P", "@@P@@"},
                                          {"G", "@@G@@"},
                                          {"W", "@@W@@"},
                                          {"AW", "@@AW@@"},
                                          {"A", "@@A@@"},
                                          {"TW", "@@TW@@"},
                                          {"BS", std::to_string(fa.block_spec.width + 3)},
                                          {"DB", std::to_string(fa.bsum_w.bus_bits())},
                                          {"SB", std::to_string(fa.scale_w.bus_bits())},
                                          {"XB", std::to_string(fa.bx_w.bus_bits())}}));
    add(p + "_array.v", kGridArrayBlock);
    add(p + "_drain.v", kGridDrain);
    // the controller: groups per block (bpos), scale reads at a block's start, the
    // block-end bit fb1 and 'first' on the first block's end
    std::string ctrl = kGridCtrl;
    for (
        const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
            {"// or reloads a saved value.\n",
             "// or reloads a saved value. Block-scaled operands: GPB = @@GPB@@ groups per block;\n"
             "// one scale word per block from each scale SRAM at its first group (addresses\n"
             "// as the operand SRAMs'), the block-end bit fb1 with the flags, and 'first' on\n"
             "// the first block's end.\n"},
            {"  output reg  [R-1:0] osel     // drain row (one-hot)\n",
             "  output reg  [R-1:0] osel,    // drain row (one-hot)\n"
             "  output wire         s_rd_en, // scale SRAMs: a block starts\n"
             "  output wire [31:0]  ws_rd_addr,\n  output wire [31:0]  ns_rd_addr,\n"
             "  output reg          fb1      // block end, with the SRAM read data\n"},
            {"  wire        last = icnt == 1;\n",
             "  wire        last = icnt == 1;\n  reg  [7:0]  bpos;\n  reg         firstb;\n"
             "  reg  [31:0] wsaddr, wsbase, nsaddr;\n"
             "  wire        bend = (bpos == @@GPB@@ - 1) | last;\n"
             "  wire        bstart = rd_en & (bpos == 0);\n"
             "  wire [31:0] wsaddr_next = bstart ? wsaddr + 1 : wsaddr;\n"
             "  assign s_rd_en = bstart;\n  assign ws_rd_addr = wsaddr;\n"
             "  assign ns_rd_addr = nsaddr;\n"},
            {"      f1 <= 4'b0000; osel <= {R{1'b0}};\n",
             "      f1 <= 4'b0000; osel <= {R{1'b0}}; fb1 <= 1'b0; bpos <= 0; firstb <= 1'b0;\n"
             "      wsaddr <= 0; wsbase <= 0; nsaddr <= 0;\n"},
            {"      f1 <= rd_en ? {last & (mtc == 1) & (ntc == 1), last, icnt == k_r, 1'b1} : "
             "4'b0000;\n",
             "      f1 <= rd_en ? {last & (mtc == 1) & (ntc == 1), last, firstb & bend, 1'b1} : "
             "4'b0000;\n      fb1 <= rd_en & bend;\n      wsaddr <= wsaddr_next;\n"
             "      if (bstart) nsaddr <= nsaddr + 1;\n"},
            {"        naddr <= naddr + 1;\n        icnt <= icnt - 1;\n",
             "        naddr <= naddr + 1;\n        icnt <= icnt - 1;\n"
             "        bpos <= bend ? 8'd0 : bpos + 8'd1;\n        if (bend) firstb <= 1'b0;\n"},
            {"          icnt <= k_r;\n          pcnt <= p_r;\n",
             "          icnt <= k_r;\n          pcnt <= p_r;\n          bpos <= 0;\n"
             "          firstb <= 1'b1;\n"},
            {"            naddr <= 0;\n            wbase <= waddr_next;\n",
             "            naddr <= 0;\n            wbase <= waddr_next;\n            nsaddr <= 0;\n"
             "            wsbase <= wsaddr_next;\n"},
            {"            waddr <= wbase;\n",
             "            waddr <= wbase;\n            wsaddr <= wsbase;\n"},
            {"        waddr <= 0; wbase <= 0; naddr <= 0; oaddr <= 0;\n",
             "        waddr <= 0; wbase <= 0; naddr <= 0; oaddr <= 0;\n"
             "        bpos <= 0; firstb <= 1'b1; wsaddr <= 0; wsbase <= 0; nsaddr <= 0;\n"}})
      ctrl = replace_checked(ctrl, from, to);
    add(p + "_ctrl.v",
        subst(ctrl, {{"GPB", std::to_string(fa.block / G)}, {"P", "@@P@@"}, {"R", "@@R@@"}}));
    const ScaleSramVerilog sv = scale_sram_verilog(fa, 8, true, 12);
    const std::string &ports = sv.ports, &lanes = sv.lanes, &un = sv.unused;
    add(p + ".v", top({{"", "", ports}}),
        {{"TOPDOC", std::string(kGridTopDoc) +
                        "\n// Block-scaled operands: a scale SRAM per operand with blocks "
                        "(ws_rd_*, ns_rd_*),\n// one 8-bit code per lane and block, held "
                        "beside the element lanes over the block."},
         {"BODY", subst(kGridBodyBlock, {{"SCALELANES", lanes},
                                         {"SCALEUNUSED", un},
                                         {"P", "@@P@@"},
                                         {"WEST", "@@WEST@@"}})}});
  } else {
    add(p + "_pe.v", fp ? kGridPeFp : kGridPe);
    add(p + "_array.v", kGridArray);
    add(p + "_drain.v", kGridDrain);
    add(p + "_ctrl.v", kGridCtrl);
    add(p + ".v", top({}), {{"TOPDOC", kGridTopDoc}, {"BODY", kGridBody}});
  }
  std::string fl;
  for (auto& s : g.sources)
    fl += s + "\n";
  g.files["filelist.f"] = fl;
  return g;
}

} // namespace tpe
