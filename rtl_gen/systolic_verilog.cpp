// Systolic Verilog emitter. Each module is a template with @@KEY@@ tokens; the
// generator fills in the design prefix and the parameter defaults (rows, cols,
// operand and accumulator widths) from ArchConfig, so the same text serves
// every configuration and the modules stay parameterized. Register-for-register
// twin of sim/systolic_core.cpp; the schedule is derived in README "Timing model".
#include "rtl_gen/systolic_verilog.h"
#include "dataflows/systolic_mapping.h"
#include "pe_models/pe.h"
#include "rtl_gen/broadcast_verilog.h"
#include "rtl_gen/fp_pe_verilog.h"
#include "rtl_gen/pe_verilog.h"
#include "rtl_gen/sparse_verilog.h"
#include "rtl_gen/verilog_text.h"
#include <algorithm>
#include <stdexcept>
#include <vector>

namespace tpe {

namespace {

// Sign-extend or truncate the PW-bit product (@@PW@@: 2*W, or (AW+W) for a west
// operand of another width) to A bits (three cases, because a zero-width
// replication is illegal in Verilog-2005).
const char* kProdExt = R"(@@MULT@@  wire [A-1:0] prod_ext;
  generate
    if (A > @@PW@@) begin : g_ext
      assign prod_ext = {{(A-@@PW@@){prod[@@PW@@-1]}}, prod};
    end else if (A == @@PW@@) begin : g_same
      assign prod_ext = prod;
    end else begin : g_trunc
      assign prod_ext = prod[A-1:0];
      // verilator lint_off UNUSED
      wire _unused_high = &{1'b0, prod[@@PW@@-1:A], 1'b0};
      // verilator lint_on UNUSED
    end
  endgenerate
)";

const char* kPeOs = R"(`timescale 1ns/1ps
// Output-stationary PE. a and its flags move right, b moves down; on a valid flag
// the PE accumulates a*b (restarting on 'first'); otherwise, while its drain bit
// is set, it takes the accumulator of the PE above (results leave through the
// bottom of the column). Accumulation wraps modulo 2^A.@@ACCDOC@@ PEs on the east
// (south) edge have no forwarding registers for a and flags (b): nothing reads them.
module @@P@@_pe #(
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter AC = @@AC@@,
  parameter LAST_COL = 0,
  parameter LAST_ROW = 0
) (
  input  wire         clk,
  input  wire         rst,
  input  wire [AW-1:0] a_in,    // west operand (EN-T code word for the ent PE)
  input  wire [2:0]   f_in,     // {last, first, valid}
  input  wire [W-1:0] b_in,
  input  wire [AC-1:0] acc_up,  // accumulator of the PE above
  input  wire         dv_up,    // drain bit of the PE above
  input  wire         dstart,   // column drain start (0 in the top row)
  output wire [AW-1:0] a_out,
  output wire [2:0]   f_out,
  output wire [W-1:0] b_out,
  output reg  [AC-1:0] acc,
  output reg          dv
);
@@DATAPATH@@
  always @(posedge clk) begin
    if (f_in[0]) acc <= @@ACCNEXT@@;
    else if (dv) acc <= acc_up;
  end
  always @(posedge clk) begin
    if (rst) dv <= 1'b0;
    else dv <= dstart | dv_up;
  end
@@FWDEAST@@
  generate
    if (LAST_ROW) begin : g_south_edge
      assign b_out = {W{1'b0}};
    end else begin : g_fwd_south
      reg [W-1:0] b_q;
      always @(posedge clk) b_q <= b_in;
      assign b_out = b_q;
    end
  endgenerate
endmodule
)";

const char* kPeWs = R"(`timescale 1ns/1ps
// Weight-stationary MAC PE (also used for input stationary). a and its flags move
// right, partial sums move down. The stationary operand is double buffered: the
// shadow register shifts down the column while 'pv' is set (preload) and is
// copied into the active register by the 'swap' flag that travels with the first
// row of the next tile. Accumulation wraps modulo 2^A.@@ACCDOC@@ PEs on the east
// edge have no forwarding registers for a and flags: nothing reads them.
module @@P@@_pe #(
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter AC = @@AC@@,
  parameter LAST_COL = 0
) (
  input  wire         clk,
  input  wire         rst,
  input  wire [AW-1:0] a_in,    // west operand (EN-T code word for the ent PE)
  input  wire [1:0]   f_in,     // {swap, valid}
  input  wire [AC-1:0] ps_up,   // partial sum from above (0 in the top row)
  input  wire [W-1:0] sh_up,    // preload chain from above
  input  wire         pv,       // preload shift enable of this column
  output wire [AW-1:0] a_out,
  output wire [1:0]   f_out,
  output reg  [AC-1:0] ps,
  output reg  [W-1:0] sh
);
  reg  [W-1:0] wa;
  wire [W-1:0] w_eff = f_in[1] ? sh : wa;
@@DATAPATH@@
  always @(posedge clk) begin
    if (f_in[0]) begin
      ps <= @@ACCNEXT@@;
      if (f_in[1]) wa <= sh;
    end
    if (pv) sh <= sh_up;
  end
@@FWDEAST@@endmodule
)";

// The PE's multiplier: behavioural for `mac`, else the PE library's structure.
const char* kMulBehavioural = R"(  wire signed [2*W-1:0] ax = {{W{a_in[W-1]}}, a_in};
  wire signed [2*W-1:0] bx = {{W{@@BOP@@[W-1]}}, @@BOP@@};
  wire signed [2*W-1:0] prod = ax * bx;
)";
// `mac` with a west operand of AW bits and a north operand of W bits (AW != W)
const char* kMulBehaviouralMixed = R"(  wire signed [AW+W-1:0] ax = {{W{a_in[AW-1]}}, a_in};
  wire signed [AW+W-1:0] bx = {{AW{@@BOP@@[W-1]}}, @@BOP@@};
  wire signed [AW+W-1:0] prod = ax * bx;
)";
const char* kMulInstance = R"(  wire [2*W-1:0] prod;
  @@P@@_mul u_mul (.a(a_in), .b(@@BOP@@), .p(prod));
)";

// OPT1 (compressed accumulation): the accumulator is the carry-save pair {c, s};
// one CSA tree per cycle, no carry-propagate add until the south edge.
const char* kOpt1Doc = R"(
// OPT1: the accumulator is a carry-save pair {c, s} (AC = 2A bits): the Booth
// partial products of a*b and the pair go through one CSA tree per cycle (no
// carry-propagate add in the PE); pairs travel down the column and are added
// once at the south edge of the array.)";
const char* kOpt1Step = R"(  wire [A-1:0] s_n, c_n;
  @@P@@_opt1_step u_step (.a(a_in), .b(@@BOP@@), .first(@@FIRST@@),
    .s_in(@@PAIR@@[A-1:0]), .c_in(@@PAIR@@[2*A-1:A]), .s_out(s_n), .c_out(c_n));
)";

// East forwarding registers of a PE (absent on the east edge); FW flag bits.
const char* kFwdEast = R"(  generate
    if (LAST_COL) begin : g_east_edge
      assign a_out = {AW{1'b0}};
      assign f_out = {@@FW@@{1'b0}};
      // flag bits and reset that only the forwarding registers would read
      // verilator lint_off UNUSED
      wire _unused_east = &{1'b0, f_in, rst, 1'b0};
      // verilator lint_on UNUSED
    end else begin : g_fwd_east
      reg [AW-1:0] a_q;
      reg [@@FW@@-1:0] f_q;
      always @(posedge clk) a_q <= a_in;
      always @(posedge clk) begin
        if (rst) f_q <= {@@FW@@{1'b0}};
        else f_q <= f_in;
      end
      assign a_out = a_q;
      assign f_out = f_q;
    end
  endgenerate
)";

// Triangular delay line: lane l is delayed by l cycles (REVERSE = 0, skew) or by
// LANES-1-l cycles (REVERSE = 1, deskew). @@RST@@ variants clear on reset (flags).
const char* kSkew = R"(`timescale 1ns/1ps
// Triangular delay line (skew / deskew buffer): lane l is delayed by l clock
// cycles, or by LANES-1-l when REVERSE = 1.@@RSTDOC@@
module @@P@@_@@NAME@@ #(
  parameter LANES = 4,
  parameter WIDTH = 8,
  parameter REVERSE = 0
) (
  input  wire                   clk,@@RSTPORT@@
  input  wire [LANES*WIDTH-1:0] din,
  output wire [LANES*WIDTH-1:0] dout
);
  genvar l;
  generate
    for (l = 0; l < LANES; l = l + 1) begin : g_lane
      localparam integer D = REVERSE ? LANES - 1 - l : l;
      if (D == 0) begin : g_pass
        assign dout[l*WIDTH +: WIDTH] = din[l*WIDTH +: WIDTH];
      end else if (D == 1) begin : g_one
        reg [WIDTH-1:0] sr;
        always @(posedge clk) sr <= @@RSTEXPR1@@din[l*WIDTH +: WIDTH];
        assign dout[l*WIDTH +: WIDTH] = sr;
      end else begin : g_many
        reg [D*WIDTH-1:0] sr;
        always @(posedge clk) sr <= @@RSTEXPRN@@{sr[(D-1)*WIDTH-1:0], din[l*WIDTH +: WIDTH]};
        assign dout[l*WIDTH +: WIDTH] = sr[D*WIDTH-1 -: WIDTH];
      end
    end
  endgenerate
  // With a single lane nothing is clocked.
  // verilator lint_off UNUSED
  wire _unused_ports = &{1'b0, clk@@RSTUSE@@, 1'b0};
  // verilator lint_on UNUSED
endmodule
)";

const char* kArrayOs = R"(`timescale 1ns/1ps
// R x C output-stationary PE array. Row i's a/flags enter at the west edge, column
// j's b at the north edge; 'bottom' is the accumulator row that drains out of the
// south edge. fin says 'last' enters the bottom-right PE (it tells the
// controller when a fold's results reach the south edge).
module @@P@@_array #(
  parameter R = @@R@@,
  parameter C = @@C@@,
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter AC = @@AC@@
) (
  input  wire           clk,
  input  wire           rst,
  input  wire [R*AW-1:0] row_a,
  input  wire [R*3-1:0] row_f,
  input  wire [C*W-1:0] col_b,
  output wire [C*A-1:0] bottom,
  output wire           fin     // valid & last entering the bottom-right PE
);
  wire [R*(C+1)*AW-1:0] a_h;
  wire [R*(C+1)*3-1:0] f_h;
  wire [(R+1)*C*W-1:0] b_v;
  wire [(R+1)*C*AC-1:0] acc_v;
  wire [(R+1)*C-1:0]   dv_v;
  wire [C-1:0]         dstart;
  genvar i, j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_top
      assign b_v[j*W +: W] = col_b[j*W +: W];
      assign acc_v[j*AC +: AC] = {AC{1'b0}};
      assign dv_v[j] = 1'b0;
      // a column starts draining when 'last' enters its bottom PE
      assign dstart[j] = f_h[((R-1)*(C+1)+j)*3] & f_h[((R-1)*(C+1)+j)*3+2];
      wire [AC-1:0] edge_v = acc_v[(R*C+j)*AC +: AC];
      assign bottom[j*A +: A] = @@EDGESUM@@;
    end
    for (i = 0; i < R; i = i + 1) begin : g_row
      assign a_h[(i*(C+1))*AW +: AW] = row_a[i*AW +: AW];
      assign f_h[(i*(C+1))*3 +: 3] = row_f[i*3 +: 3];
      for (j = 0; j < C; j = j + 1) begin : g_col
        @@P@@_pe #(.W(W), .AW(AW), .A(A), .AC(AC), .LAST_COL(j == C - 1), .LAST_ROW(i == R - 1)) pe (
          .clk(clk), .rst(rst),
          .a_in(a_h[(i*(C+1)+j)*AW +: AW]),
          .f_in(f_h[(i*(C+1)+j)*3 +: 3]),
          .b_in(b_v[(i*C+j)*W +: W]),
          .acc_up(acc_v[(i*C+j)*AC +: AC]),
          .dv_up(dv_v[i*C+j]),
          .dstart(i == 0 ? 1'b0 : dstart[j]),
          .a_out(a_h[(i*(C+1)+j+1)*AW +: AW]),
          .f_out(f_h[(i*(C+1)+j+1)*3 +: 3]),
          .b_out(b_v[((i+1)*C+j)*W +: W]),
          .acc(acc_v[((i+1)*C+j)*AC +: AC]),
          .dv(dv_v[(i+1)*C+j])
        );
      end
    end
  endgenerate
  assign fin = dstart[C-1];
  // Registers forwarded past the east and south edges have no reader.
  // verilator lint_off UNUSED
  wire _unused_edges = &{1'b0, a_h, f_h, b_v[R*C*W +: C*W], dv_v[R*C +: C], 1'b0};
  // verilator lint_on UNUSED
endmodule
)";

const char* kArrayWs = R"(`timescale 1ns/1ps
// R x C weight-stationary PE array. Row i's a/flags enter at the west edge; the
// preload chain of column j enters at the north edge with its shift enable pv[j];
// partial sums leave through the south edge ('bottom'). fin says a valid row
// enters the bottom-right PE (its results reach the south edge next cycle).
module @@P@@_array #(
  parameter R = @@R@@,
  parameter C = @@C@@,
  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter AC = @@AC@@
) (
  input  wire           clk,
  input  wire           rst,
  input  wire [R*AW-1:0] row_a,
  input  wire [R*2-1:0] row_f,
  input  wire [C*W-1:0] col_b,
  input  wire [C-1:0]   col_pv,
  output wire [C*A-1:0] bottom,
  output wire           fin     // valid entering the bottom-right PE
);
  wire [R*(C+1)*AW-1:0] a_h;
  wire [R*(C+1)*2-1:0] f_h;
  wire [(R+1)*C*W-1:0] sh_v;
  wire [(R+1)*C*AC-1:0] ps_v;
  genvar i, j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_top
      assign sh_v[j*W +: W] = col_b[j*W +: W];
      assign ps_v[j*AC +: AC] = {AC{1'b0}};
      wire [AC-1:0] edge_v = ps_v[(R*C+j)*AC +: AC];
      assign bottom[j*A +: A] = @@EDGESUM@@;
    end
    for (i = 0; i < R; i = i + 1) begin : g_row
      assign a_h[(i*(C+1))*AW +: AW] = row_a[i*AW +: AW];
      assign f_h[(i*(C+1))*2 +: 2] = row_f[i*2 +: 2];
      for (j = 0; j < C; j = j + 1) begin : g_col
        @@P@@_pe #(.W(W), .AW(AW), .A(A), .AC(AC), .LAST_COL(j == C - 1)) pe (
          .clk(clk), .rst(rst),
          .a_in(a_h[(i*(C+1)+j)*AW +: AW]),
          .f_in(f_h[(i*(C+1)+j)*2 +: 2]),
          .ps_up(ps_v[(i*C+j)*AC +: AC]),
          .sh_up(sh_v[(i*C+j)*W +: W]),
          .pv(col_pv[j]),
          .a_out(a_h[(i*(C+1)+j+1)*AW +: AW]),
          .f_out(f_h[(i*(C+1)+j+1)*2 +: 2]),
          .ps(ps_v[((i+1)*C+j)*AC +: AC]),
          .sh(sh_v[((i+1)*C+j)*W +: W])
        );
      end
    end
  endgenerate
  assign fin = f_h[((R-1)*(C+1)+C-1)*2];
  // Registers forwarded past the east and south edges have no reader.
  // verilator lint_off UNUSED
  wire _unused_edges = &{1'b0, a_h, f_h, sh_v[R*C*W +: C*W], 1'b0};
  // verilator lint_on UNUSED
endmodule
)";

const char* kCtrlOs = R"(`timescale 1ns/1ps
// Output-stationary controller. Issue side: for each fold (mt, nt) it reads K
// words from each operand SRAM (one per cycle, flags first/last), then idles
// R-1 cycles so the fold's drain never meets the next fold's first MACs; folds
// start every K+R-1 cycles. Output side: when 'last' enters the bottom-right PE
// it writes the fold's R result rows, bottom row first, to consecutive words.
// Timing: every counter only increments, decrements or reloads a saved value and
// is compared for equality, so no wide adder sits on any controller path.
module @@P@@_ctrl #(
  parameter R = @@R@@
) (
  input  wire        clk,
  input  wire        rst,
  input  wire        start,
  input  wire [31:0] cfg_k,   // K
  input  wire [31:0] cfg_mt,  // ceil(M / R)
  input  wire [31:0] cfg_nt,  // ceil(N / C)
  output reg         busy,
  output reg         done,
  output wire        w_rd_en,
  output wire [31:0] w_rd_addr,
  output wire        n_rd_en,
  output wire [31:0] n_rd_addr,
  output reg  [2:0]  f1,      // {last, first, valid} registered with the SRAM read data
  input  wire        fin,     // 'last' enters the bottom-right PE
  output wire        o_wr_en,
  output wire [31:0] o_wr_addr
);
  reg        iss, gap, first_q, ow_act, ow_final;
  reg [31:0] k_r, nt_r, icnt, gcnt, ntc, mtc, waddr, wbase, naddr;
  reg [31:0] ow_d, oaddr, omtc, ontc;
  wire        rd_en = iss & ~gap;
  wire [31:0] waddr_next = rd_en ? waddr + 1 : waddr;
  wire [31:0] naddr_next = rd_en ? naddr + 1 : naddr;
  wire        fold_end;
  wire        finish = ow_act && (ow_d == R - 1) && ow_final;
  generate
    if (R == 1) begin : g_nogap
      assign fold_end = rd_en & (icnt == 1);
      // verilator lint_off UNUSED
      wire _unused_gap = &{1'b0, gcnt, 1'b0};
      // verilator lint_on UNUSED
    end else begin : g_gap
      assign fold_end = gap & (gcnt == 1);
    end
  endgenerate
  assign w_rd_en = rd_en;
  assign n_rd_en = rd_en;
  assign w_rd_addr = waddr;
  assign n_rd_addr = naddr;
  assign o_wr_en = ow_act;
  assign o_wr_addr = oaddr;
  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; done <= 1'b0; iss <= 1'b0; gap <= 1'b0; first_q <= 1'b0;
      ow_act <= 1'b0; ow_final <= 1'b0; f1 <= 3'b000;
      k_r <= 0; nt_r <= 0; icnt <= 0; gcnt <= 0; ntc <= 0; mtc <= 0;
      waddr <= 0; wbase <= 0; naddr <= 0; ow_d <= 0; oaddr <= 0; omtc <= 0; ontc <= 0;
    end else begin
      f1 <= rd_en ? {icnt == 1, first_q, 1'b1} : 3'b000;
      done <= finish;
      if (finish) busy <= 1'b0;
      // output side
      if (ow_act) begin
        oaddr <= oaddr + 1;
        if (ow_d == R - 1) ow_act <= 1'b0;
        else ow_d <= ow_d + 1;
      end
      if (fin) begin
        ow_act <= 1'b1;
        ow_d <= 0;
        ow_final <= (omtc == 1) && (ontc == 1);
        if (ontc == 1) begin
          ontc <= nt_r;
          omtc <= omtc - 1;
        end else ontc <= ontc - 1;
      end
      // issue side
      waddr <= waddr_next;
      naddr <= naddr_next;
      if (rd_en) begin
        icnt <= icnt - 1;
        first_q <= 1'b0;
        if (icnt == 1) begin
          gap <= 1'b1;
          gcnt <= R - 1;
        end
      end
      if (gap) gcnt <= gcnt - 1;
      if (fold_end) begin
        gap <= 1'b0;
        icnt <= k_r;
        first_q <= 1'b1;
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
      end
      if (start && !busy) begin
        k_r <= cfg_k; nt_r <= cfg_nt;
        busy <= 1'b1; iss <= 1'b1; gap <= 1'b0; first_q <= 1'b1;
        icnt <= cfg_k; mtc <= cfg_mt; ntc <= cfg_nt;
        waddr <= 0; wbase <= 0; naddr <= 0;
        oaddr <= 0; omtc <= cfg_mt; ontc <= cfg_nt;
      end
    end
  end
endmodule
)";

// Output-stationary controller of block-scaled designs: kCtrlOs plus the block
// position bpos (blocks of BLK = 2^LB elements from k = 0 of each fold), the
// scale SRAM reads at each block's start (one word per block and fold, addresses
// as the operand SRAMs': west replays its M tile's words for every N tile), the
// block-end bit fb1 (registered with the SRAM data, like f1), and 'first' on the
// first block's end (the accumulator adds that block to +0).
const char* kCtrlOsBlock = R"(`timescale 1ns/1ps
// Output-stationary controller, block-scaled operands (blocks of BLK elements
// along K). Issue side: for each fold (mt, nt) it reads K words from each operand
// SRAM (one per cycle) and, at each block's start, one word from each scale SRAM;
// flags {last, first, valid} and the block-end bit fb1 are registered with the
// data ('first' marks the end of the fold's first block). Then it idles R-1
// cycles; folds start every K+R-1 cycles. Output side as the plain controller.
module @@P@@_ctrl #(
  parameter R = @@R@@,
  parameter LB = @@LB@@
) (
  input  wire        clk,
  input  wire        rst,
  input  wire        start,
  input  wire [31:0] cfg_k,   // K
  input  wire [31:0] cfg_mt,  // ceil(M / R)
  input  wire [31:0] cfg_nt,  // ceil(N / C)
  output reg         busy,
  output reg         done,
  output wire        w_rd_en,
  output wire [31:0] w_rd_addr,
  output wire        n_rd_en,
  output wire [31:0] n_rd_addr,
  output wire        s_rd_en,  // scale SRAMs: a block starts
  output wire [31:0] ws_rd_addr,
  output wire [31:0] ns_rd_addr,
  output reg  [2:0]  f1,      // {last, first, valid} registered with the SRAM read data
  output reg         fb1,     // block end, registered with the SRAM read data
  input  wire        fin,     // 'last' enters the bottom-right PE
  output wire        o_wr_en,
  output wire [31:0] o_wr_addr
);
  reg        iss, gap, first_q, ow_act, ow_final;
  reg [31:0] k_r, nt_r, icnt, gcnt, ntc, mtc, waddr, wbase, naddr;
  reg [31:0] wsaddr, wsbase, nsaddr;
  reg [LB-1:0] bpos;
  reg [31:0] ow_d, oaddr, omtc, ontc;
  wire        rd_en = iss & ~gap;
  wire        bstart = rd_en & (bpos == 0);
  wire        bend = (bpos == {LB{1'b1}}) | (icnt == 1);
  wire [31:0] waddr_next = rd_en ? waddr + 1 : waddr;
  wire [31:0] naddr_next = rd_en ? naddr + 1 : naddr;
  wire [31:0] wsaddr_next = bstart ? wsaddr + 1 : wsaddr;
  wire [31:0] nsaddr_next = bstart ? nsaddr + 1 : nsaddr;
  wire        fold_end;
  wire        finish = ow_act && (ow_d == R - 1) && ow_final;
  generate
    if (R == 1) begin : g_nogap
      assign fold_end = rd_en & (icnt == 1);
      // verilator lint_off UNUSED
      wire _unused_gap = &{1'b0, gcnt, 1'b0};
      // verilator lint_on UNUSED
    end else begin : g_gap
      assign fold_end = gap & (gcnt == 1);
    end
  endgenerate
  assign w_rd_en = rd_en;
  assign n_rd_en = rd_en;
  assign s_rd_en = bstart;
  assign w_rd_addr = waddr;
  assign n_rd_addr = naddr;
  assign ws_rd_addr = wsaddr;
  assign ns_rd_addr = nsaddr;
  assign o_wr_en = ow_act;
  assign o_wr_addr = oaddr;
  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; done <= 1'b0; iss <= 1'b0; gap <= 1'b0; first_q <= 1'b0;
      ow_act <= 1'b0; ow_final <= 1'b0; f1 <= 3'b000; fb1 <= 1'b0;
      k_r <= 0; nt_r <= 0; icnt <= 0; gcnt <= 0; ntc <= 0; mtc <= 0; bpos <= 0;
      waddr <= 0; wbase <= 0; naddr <= 0; wsaddr <= 0; wsbase <= 0; nsaddr <= 0;
      ow_d <= 0; oaddr <= 0; omtc <= 0; ontc <= 0;
    end else begin
      f1 <= rd_en ? {icnt == 1, first_q & bend, 1'b1} : 3'b000;
      fb1 <= rd_en & bend;
      done <= finish;
      if (finish) busy <= 1'b0;
      // output side
      if (ow_act) begin
        oaddr <= oaddr + 1;
        if (ow_d == R - 1) ow_act <= 1'b0;
        else ow_d <= ow_d + 1;
      end
      if (fin) begin
        ow_act <= 1'b1;
        ow_d <= 0;
        ow_final <= (omtc == 1) && (ontc == 1);
        if (ontc == 1) begin
          ontc <= nt_r;
          omtc <= omtc - 1;
        end else ontc <= ontc - 1;
      end
      // issue side
      waddr <= waddr_next;
      naddr <= naddr_next;
      wsaddr <= wsaddr_next;
      nsaddr <= nsaddr_next;
      if (rd_en) begin
        icnt <= icnt - 1;
        bpos <= bpos + 1;
        if (bend) first_q <= 1'b0;
        if (icnt == 1) begin
          gap <= 1'b1;
          gcnt <= R - 1;
        end
      end
      if (gap) gcnt <= gcnt - 1;
      if (fold_end) begin
        gap <= 1'b0;
        icnt <= k_r;
        bpos <= 0;
        first_q <= 1'b1;
        if (ntc == 1) begin
          ntc <= nt_r;
          naddr <= 0;
          nsaddr <= 0;
          wbase <= waddr_next;
          wsbase <= wsaddr_next;
          if (mtc == 1) iss <= 1'b0;
          else mtc <= mtc - 1;
        end else begin
          ntc <= ntc - 1;
          waddr <= wbase;
          wsaddr <= wsbase;
        end
      end
      if (start && !busy) begin
        k_r <= cfg_k; nt_r <= cfg_nt;
        busy <= 1'b1; iss <= 1'b1; gap <= 1'b0; first_q <= 1'b1; bpos <= 0;
        icnt <= cfg_k; mtc <= cfg_mt; ntc <= cfg_nt;
        waddr <= 0; wbase <= 0; naddr <= 0; wsaddr <= 0; wsbase <= 0; nsaddr <= 0;
        oaddr <= 0; omtc <= cfg_mt; ontc <= cfg_nt;
      end
    end
  end
endmodule
)";

// Top of a block-scaled os design: the operand SRAMs of W-bit codes, a scale SRAM
// of 8-bit codes for each operand with blocks (ports ws_* / ns_*), and the lanes
// the array carries: west {block end, scale, code} (AW = W + 9 bits), north
// {scale, code} (NW = W + 8); a scale lane holds its word over the block.
const char* kTopOsBlockDoc =
    R"(// Top of the output-stationary systolic engine with block-scaled operands: blocks
// of @@BLK@@ elements along K share a scale code, read once per block from the scale
// SRAM of its operand and held beside the element lanes (constant over a block).)";
const char* kTopOsBlockParams = R"(  parameter NW = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter AC = @@AC@@)";
const char* kTopOsBlock = R"(  wire [R*AW-1:0] row_a;
  wire [C*NW-1:0] col_b;
  wire [C*A-1:0]  bottom;
  wire            fin;
  wire [2:0]      f1;
  wire            fb1, s_rd_en;
  wire [31:0]     ws_addr, ns_addr;
  wire [R*3-1:0]  row_f;
  @@P@@_ctrl #(.R(R)) u_ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_k(cfg_k), .cfg_mt(cfg_mt), .cfg_nt(cfg_nt),
    .busy(busy), .done(done), .w_rd_en(w_rd_en), .w_rd_addr(w_rd_addr),
    .n_rd_en(n_rd_en), .n_rd_addr(n_rd_addr), .s_rd_en(s_rd_en), .ws_rd_addr(ws_addr),
    .ns_rd_addr(ns_addr), .f1(f1), .fb1(fb1), .fin(fin),
    .o_wr_en(o_wr_en), .o_wr_addr(o_wr_addr));
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
  wire [R*AW-1:0] w_in;
  wire [C*NW-1:0] n_in;
  genvar e;
  generate
    for (e = 0; e < R; e = e + 1) begin : g_west_lane
      assign w_in[e*AW +: AW] = {fb1, ws_now[e*8 +: 8], w_rd_data[e*CW +: CW]};
    end
    for (e = 0; e < C; e = e + 1) begin : g_north_lane
      assign n_in[e*NW +: NW] = {ns_now[e*8 +: 8], n_rd_data[e*@@NCW@@ +: @@NCW@@]};
    end
  endgenerate
  @@P@@_skew #(.LANES(R), .WIDTH(AW)) u_skew_west (.clk(clk), .din(w_in), .dout(row_a));
  @@P@@_skew #(.LANES(C), .WIDTH(NW)) u_skew_north (.clk(clk), .din(n_in), .dout(col_b));
  @@P@@_skew_rst #(.LANES(R), .WIDTH(3)) u_skew_flags (.clk(clk), .rst(rst), .din({R{f1}}), .dout(row_f));
  @@P@@_array #(.R(R), .C(C), .W(NW), .AW(AW), .A(A), .AC(AC)) u_array (
    .clk(clk), .rst(rst), .row_a(row_a), .row_f(row_f), .col_b(col_b), .bottom(bottom), .fin(fin));
  @@P@@_skew #(.LANES(C), .WIDTH(A), .REVERSE(1)) u_deskew (.clk(clk), .din(bottom), .dout(o_wr_data));
@@SCALEUNUSED@@endmodule
)";

// The PE datapath of block-scaled designs: each product adds exactly into the
// block register; at the block end (a_in's top bit) the block sum times the two
// scales is added into the accumulator with one rounding (+0 on 'first').
const char* kFpBlockStep = R"(  wire [@@PB@@-1:0] prod;
  @@P@@_fmul u_mul (.a(a_in[@@CW@@-1:0]), .b(b_in[@@CWN@@-1:0]), .p(prod));
  reg  [@@BS@@-1:0] bsum;  // exact block register {nan, +inf, -inf, value}
  wire [@@BS@@-1:0] bsum_new;
  @@P@@_bterm u_bterm (.acc(bsum), .x(prod), .acc_new(bsum_new));
  always @(posedge clk) begin
    if (rst) bsum <= {@@BS@@{1'b0}};
    else if (f_in[0]) bsum <= a_in[AW-1] ? {@@BS@@{1'b0}} : bsum_new;
  end
  wire [@@DB@@-1:0] dsum;
  @@P@@_bgsum u_bgsum (.acc(bsum_new), .u(dsum));
  wire [@@SB@@-1:0] sprod;
  @@P@@_bscale u_bscale (.sa(a_in[@@CW@@+7:@@CW@@]), .sb(b_in[@@CWN@@+7:@@CWN@@]), .p(sprod));
  wire [@@XB@@-1:0] xsum;
  @@P@@_bprod u_bprod (.a(dsum), .b(sprod), .p(xsum));
  wire [A-1:0] acc_sum;
  @@P@@_fadd u_add (.acc(f_in[1] ? {A{1'b0}} : acc), .x(xsum), .acc_new(acc_sum));
)";

// The ws/is PE datapath of block-scaled designs: the partial sum is {exact block
// partial [AC-A], accumulator [A]}; each product adds exactly into the block
// partial from above; on the block's last k (the top bit of the west lane or of
// the stationary lane) the block sum times the two scales is added into the
// accumulator with one rounding and the block partial restarts at 0.
const char* kFpBlockWsStep = R"(  wire [@@PB@@-1:0] prod;
  @@P@@_fmul u_mul (.a(a_in[@@CW@@-1:0]), .b(w_eff[@@CWN@@-1:0]), .p(prod));
  wire [AC-A-1:0] bsum_new;
  @@P@@_bterm u_bterm (.acc(ps_up[AC-1:A]), .x(prod), .acc_new(bsum_new));
  wire [@@DB@@-1:0] dsum;
  @@P@@_bgsum u_bgsum (.acc(bsum_new), .u(dsum));
  wire [@@SB@@-1:0] sprod;
  @@P@@_bscale u_bscale (.sa(a_in[@@CW@@+7:@@CW@@]), .sb(w_eff[@@CWN@@+7:@@CWN@@]), .p(sprod));
  wire [@@XB@@-1:0] xsum;
  @@P@@_bprod u_bprod (.a(dsum), .b(sprod), .p(xsum));
  wire [A-1:0] acc_sum;
  @@P@@_fadd u_add (.acc(ps_up[A-1:0]), .x(xsum), .acc_new(acc_sum));
  wire bend = a_in[AW-1] | w_eff[W-1];
  wire [AC-1:0] ps_next = bend ? {{(AC-A){1'b0}}, acc_sum} : {bsum_new, ps_up[A-1:0]};
)";

// Top of a block-scaled ws/is design (docs/formats-engines.md "Block-scaled
// operands"): lanes {block end, scale, code} (W = AW = CW + 9) from the element
// and scale SRAMs read together; partial sums {block partial, accumulator} read
// back at the top of the columns (second output bank ob_* beside o_*).
const char* kTopWsBlockDoc =
    R"(// Top of the weight-stationary systolic engine with block-scaled operands (input
// stationary uses the same hardware with the operands swapped by the mapping).
// Each lane of an operand with blocks carries a 9-bit {block end, scale code}
// beside its element code, read from that operand's scale SRAM with the element
// word (ws_rd_* with w_rd_*, ns_rd_* with n_rd_*). A partial sum is {exact block
// partial [BS], accumulator [A]}: the output SRAM holds the accumulators (o_*) and,
// in a second bank at the same addresses, the block partials (ob_*); every K-tile
// after the first reads both back with its west word and feeds them in at the top
// of the columns, so the blocks reach the accumulator in K order.)";
const char* kTopWsBlockParams = R"(  parameter W = @@W@@,
  parameter AW = @@AW@@,
  parameter A = @@A@@,
  parameter BS = @@BS@@,
  parameter AC = @@AC@@)";
const char* kTopWsBlock = R"(  wire [R*AW-1:0] row_a;
  wire [C*W-1:0]  col_b;
  wire [C*AC-1:0] col_ps, bottom, outv;
  wire            fin, f1pv, wr1, wr1_acc, tz1;
  wire [1:0]      f1;
  wire [R*2-1:0]  row_f;
  wire [C-1:0]    col_pv;
  @@P@@_ctrl #(.R(R)) u_ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_t(cfg_t), .cfg_nt(cfg_nt), .cfg_kt(cfg_kt),
    .busy(busy), .done(done), .w_rd_en(w_rd_en), .w_rd_addr(w_rd_addr),
    .n_rd_en(n_rd_en), .n_rd_addr(n_rd_addr), .f1(f1), .f1pv(f1pv), .tz1(tz1), .fin(fin),
    .o_rd_en(o_rd_en), .o_rd_addr(o_rd_addr), .wr1(wr1), .wr1_acc(wr1_acc),
    .o_wr_en(o_wr_en), .o_wr_addr(o_wr_addr));
  wire [R*9-1:0]  ws_now;
  wire [C*9-1:0]  ns_now;
@@SCALELANES@@  wire [R*AW-1:0] w_in;
  wire [C*W-1:0]  n_in;
  wire [C*AC-1:0] p_in;
  genvar e;
  generate
    for (e = 0; e < R; e = e + 1) begin : g_west_lane
      assign w_in[e*AW +: AW] = {ws_now[e*9 +: 9], w_rd_data[e*CW +: CW]};
    end
    for (e = 0; e < C; e = e + 1) begin : g_north_lane
      assign n_in[e*W +: W] = {ns_now[e*9 +: 9], n_rd_data[e*@@NCW@@ +: @@NCW@@]};
      // K-tile 0 starts from +0 and an empty block, later K-tiles from the SRAM
      assign p_in[e*AC +: AC] = tz1 ? {AC{1'b0}} : {ob_rd_data[e*BS +: BS], o_rd_data[e*A +: A]};
    end
    // output stage: the row leaving the deskew, registered, is written the next cycle
    for (e = 0; e < C; e = e + 1) begin : g_out
      always @(posedge clk) if (wr1) begin
        o_wr_data[e*A +: A] <= outv[e*AC +: A];
        ob_wr_data[e*BS +: BS] <= outv[e*AC + A +: BS];
      end
    end
  endgenerate
  @@P@@_skew #(.LANES(R), .WIDTH(AW)) u_skew_west (.clk(clk), .din(w_in), .dout(row_a));
  @@P@@_skew #(.LANES(C), .WIDTH(W)) u_skew_north (.clk(clk), .din(n_in), .dout(col_b));
  @@P@@_skew #(.LANES(C), .WIDTH(AC)) u_skew_ps (.clk(clk), .din(p_in), .dout(col_ps));
  @@P@@_skew_rst #(.LANES(R), .WIDTH(2)) u_skew_flags (.clk(clk), .rst(rst), .din({R{f1}}), .dout(row_f));
  @@P@@_skew_rst #(.LANES(C), .WIDTH(1)) u_skew_pv (.clk(clk), .rst(rst), .din({C{f1pv}}), .dout(col_pv));
  @@P@@_array #(.R(R), .C(C), .W(W), .AW(AW), .A(A), .AC(AC)) u_array (
    .clk(clk), .rst(rst), .row_a(row_a), .row_f(row_f), .col_b(col_b), .col_pv(col_pv),
    .col_ps(col_ps), .bottom(bottom), .fin(fin));
  @@P@@_skew #(.LANES(C), .WIDTH(AC), .REVERSE(1)) u_deskew (.clk(clk), .din(bottom), .dout(outv));
  // verilator lint_off UNUSED
  wire _unused_acc = &{1'b0, wr1_acc, 1'b0}; // no accumulate stage: the top adds
  // verilator lint_on UNUSED
endmodule
)";

const char* kCtrlWs = R"(`timescale 1ns/1ps
// Weight-stationary controller (also input stationary). Fold f = (nt, kt): the
// K-tile x N-tile of the stationary operand is preloaded through the north port
// (R consecutive words, bottom row first) while fold f-1 streams; then T = cfg_t
// west words stream through with 'swap' on the first. Folds start every
// max(T, 2R-1, 3) cycles. Output side: each row leaving the array is added to the
// partial sum read back from the output SRAM (every K-tile after the first) in a
// registered stage and written the cycle after. Timing: counters only increment,
// decrement or reload saved values and are compared for equality or with
// constants, so no wide adder sits on any controller path.
module @@P@@_ctrl #(
  parameter R = @@R@@
) (
  input  wire        clk,
  input  wire        rst,
  input  wire        start,
  input  wire [31:0] cfg_t,   // streamed rows (M for ws, N for is)
  input  wire [31:0] cfg_nt,  // column tiles
  input  wire [31:0] cfg_kt,  // ceil(K / R)
  output reg         busy,
  output reg         done,
  output wire        w_rd_en,
  output wire [31:0] w_rd_addr,
  output wire        n_rd_en,
  output wire [31:0] n_rd_addr,
  output reg  [1:0]  f1,      // {swap, valid} registered with the west read data
  output reg         f1pv,    // preload valid registered with the north read data
  input  wire        fin,     // a valid row enters the bottom-right PE
  output wire        o_rd_en,
  output wire [31:0] o_rd_addr,
  output reg         wr1,     // a row leaves the deskew: the accumulate stage loads
  output reg         wr1_acc, // ... adding the partial sum read back
  output reg         o_wr_en,
  output reg  [31:0] o_wr_addr
);
  localparam integer PDMIN = (2 * R - 1 > 3) ? 2 * R - 1 : 3;
  reg [1:0]  phase;           // 0 idle, 1 initial preload, 2 run
  reg        strm, kfirst, wr1_last, wr2_last;
  reg [31:0] t_r, kt_r, pd_r, ic, c, fcnt, scnt, ktc, ntc, waddr, naddr;
  reg [31:0] moc, ktoc, ntoc, oaddr, obase, wr1_addr;
  wire       rd_w = (phase == 2'd2) && strm;
  wire       has_next = !((ktc == 1) && (ntc == 1));
  wire       in_window;       // cycles R-1 .. 2R-2 of a fold: preload the next tile
  generate
    if (R == 1) begin : g_r1
      assign in_window = (c == 0);
    end else begin : g_rn
      assign in_window = (c > R - 2) && (c < 2 * R - 1);
    end
  endgenerate
  wire       rd_n = (phase == 2'd1) || ((phase == 2'd2) && has_next && in_window);
  wire       fold_end = (phase == 2'd2) && (fcnt == 1);
  wire       init_end = (phase == 2'd1) && (ic == R - 1);
  wire [31:0] waddr_next = rd_w ? waddr + 1 : waddr;
  wire       finish = o_wr_en && wr2_last;
  assign w_rd_en = rd_w;
  assign w_rd_addr = waddr;
  assign n_rd_en = rd_n;
  assign n_rd_addr = naddr;
  assign o_rd_en = fin && !kfirst;
  assign o_rd_addr = oaddr;
  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; done <= 1'b0; phase <= 2'd0; f1 <= 2'b00; f1pv <= 1'b0;
      strm <= 1'b0; kfirst <= 1'b1; wr1 <= 1'b0; wr1_acc <= 1'b0; wr1_last <= 1'b0;
      o_wr_en <= 1'b0; o_wr_addr <= 0; wr2_last <= 1'b0; wr1_addr <= 0;
      t_r <= 0; kt_r <= 0; pd_r <= 0; ic <= 0; c <= 0; fcnt <= 0; scnt <= 0;
      ktc <= 0; ntc <= 0; waddr <= 0; naddr <= 0;
      moc <= 0; ktoc <= 0; ntoc <= 0; oaddr <= 0; obase <= 0;
    end else begin
      f1 <= rd_w ? {c == 0, 1'b1} : 2'b00;
      f1pv <= rd_n;
      done <= finish;
      if (finish) busy <= 1'b0;
      // output side: stage 2 writes what stage 1 registered
      o_wr_en <= wr1;
      o_wr_addr <= wr1_addr;
      wr2_last <= wr1_last;
      wr1 <= fin;
      wr1_acc <= !kfirst;
      wr1_addr <= oaddr;
      wr1_last <= fin && (moc == 1) && (ktoc == 1) && (ntoc == 1);
      if (fin) begin
        if (moc == 1) begin
          moc <= t_r;
          if (ktoc == 1) begin
            ktoc <= kt_r;
            ntoc <= ntoc - 1;
            kfirst <= 1'b1;
            oaddr <= oaddr + 1;
            obase <= oaddr + 1;
          end else begin
            ktoc <= ktoc - 1;
            kfirst <= 1'b0;
            oaddr <= obase;
          end
        end else begin
          moc <= moc - 1;
          oaddr <= oaddr + 1;
        end
      end
      // issue side
      waddr <= waddr_next;
      if (rd_n) naddr <= naddr + 1;
      if (rd_w) begin
        scnt <= scnt - 1;
        if (scnt == 1) strm <= 1'b0;
      end
      if (phase == 2'd1) ic <= ic + 1;
      if (phase == 2'd2) begin
        c <= c + 1;
        fcnt <= fcnt - 1;
      end
      if (init_end || fold_end) begin
        phase <= 2'd2;
        c <= 0;
        fcnt <= pd_r;
        strm <= 1'b1;
        scnt <= t_r;
      end
      if (fold_end) begin
        if (ktc == 1) begin
          ktc <= kt_r;
          waddr <= 0;
          if (ntc == 1) begin
            phase <= 2'd0;
            strm <= 1'b0;
          end else ntc <= ntc - 1;
        end else ktc <= ktc - 1;
      end
      if (start && !busy) begin
        t_r <= cfg_t; kt_r <= cfg_kt;
        pd_r <= (cfg_t > PDMIN) ? cfg_t : PDMIN;
        busy <= 1'b1; phase <= 2'd1; strm <= 1'b0;
        ic <= 0; c <= 0; ktc <= cfg_kt; ntc <= cfg_nt; waddr <= 0; naddr <= 0;
        moc <= cfg_t; ktoc <= cfg_kt; ntoc <= cfg_nt; kfirst <= 1'b1; oaddr <= 0; obase <= 0;
      end
    end
  end
endmodule
)";

// Output accumulator stage (ws/is); its doc and per-column sum are the integer or
// the FP parts below.
const char* kAccum = R"(`timescale 1ns/1ps
@@ACCUMDOC@@
module @@P@@_accum #(
  parameter C = @@C@@,
  parameter A = @@A@@
) (
  input  wire           clk,
  input  wire           en,
  input  wire [C*A-1:0] din,
  input  wire [C*A-1:0] psum,
  input  wire           acc_en,
  output reg  [C*A-1:0] dout
);
  wire [C*A-1:0] sum;
  genvar j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_col
@@COLSUM@@    end
  endgenerate
  always @(posedge clk) if (en) dout <= sum;
endmodule
)";
const char* kAccumDocInt =
    R"(// Output accumulator stage: adds the partial sum read back from the output SRAM
// to each result leaving the array (every K-tile after the first), modulo 2^A,
// and registers it for the output-SRAM write the next cycle.)";
const char* kAccumSumInt =
    "      assign sum[j*A +: A] = acc_en ? din[j*A +: A] + psum[j*A +: A] : din[j*A +: A];\n";
// FP accumulator stage: C = C_old + psum with one rounding (@@P@@_fadd2).
const char* kAccumDocFp =
    R"(// Output accumulator stage: adds each result leaving the array to the partial sum
// read back from the output SRAM (every K-tile after the first) with one rounding
// in the accumulator format (@@P@@_fadd2), and registers it for the output-SRAM
// write the next cycle.)";
const char* kAccumSumFp = R"(      wire [A-1:0] s;
      @@P@@_fadd2 u_add (.acc(psum[j*A +: A]), .b(din[j*A +: A]), .y(s));
      assign sum[j*A +: A] = acc_en ? s : din[j*A +: A];
)";

// FP datapath (rtl_gen/fp_pe_verilog.h): decoders and product in P_fmul, one
// accumulate step in P_fadd; the accumulator restarts at +0 (code 0) on 'first'
// (os); ws/is PEs add to the partial sum from above (code 0 in the top row).
const char* kFpDoc = R"(
// FP datapath: the codes are decoded and multiplied in @@P@@_fmul (exact product
// or L-Mul) and added with one rounding in @@P@@_fadd (or exactly, `fixed`); the
// sentence above holds for int accumulators only.)";
const char* kFpStep = R"(  wire [@@PB@@-1:0] prod;
  @@P@@_fmul u_mul (.a(a_in), .b(@@BOP@@), .p(prod));
  wire [A-1:0] acc_sum;
  @@P@@_fadd u_add (.acc(@@ACCIN@@), .x(prod), .acc_new(acc_sum));
)";

// Top after its head (top_module_head): edge buffers; @@BODY@@ holds the
// dataflow-specific part.
const char* kTop = R"(  wire [R*AW-1:0] row_a;
  wire [C*W-1:0] col_b;
  wire [C*A-1:0] bottom;
  wire           fin;
@@WEST@@  @@P@@_skew #(.LANES(R), .WIDTH(AW)) u_skew_west (.clk(clk), .din(w_in), .dout(row_a));
  @@P@@_skew #(.LANES(C), .WIDTH(W)) u_skew_north (.clk(clk), .din(n_rd_data), .dout(col_b));
@@BODY@@endmodule
)";

// West operands as they enter the skew buffer: plain, or EN-T encoded once per
// row at the array edge (the encoder shared by the whole row).
const char* kWestPlain = R"(  wire [R*AW-1:0] w_in = w_rd_data;
)";
const char* kWestEnt = R"(  wire [R*AW-1:0] w_in;
  genvar e;
  generate
    for (e = 0; e < R; e = e + 1) begin : g_west_enc
      @@P@@_ent_enc u_enc (.a(w_rd_data[e*W +: W]), .code(w_in[e*AW +: AW]));
    end
  endgenerate
)";

const char* kTopOsBody = R"(  wire [2:0]     f1;
  wire [R*3-1:0] row_f;
  @@P@@_ctrl #(.R(R)) u_ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_k(cfg_k), .cfg_mt(cfg_mt), .cfg_nt(cfg_nt),
    .busy(busy), .done(done), .w_rd_en(w_rd_en), .w_rd_addr(w_rd_addr),
    .n_rd_en(n_rd_en), .n_rd_addr(n_rd_addr), .f1(f1), .fin(fin),
    .o_wr_en(o_wr_en), .o_wr_addr(o_wr_addr));
  @@P@@_skew_rst #(.LANES(R), .WIDTH(3)) u_skew_flags (.clk(clk), .rst(rst), .din({R{f1}}), .dout(row_f));
  @@P@@_array #(.R(R), .C(C), .W(W), .AW(AW), .A(A), .AC(AC)) u_array (
    .clk(clk), .rst(rst), .row_a(row_a), .row_f(row_f), .col_b(col_b), .bottom(bottom), .fin(fin));
  @@P@@_skew #(.LANES(C), .WIDTH(A), .REVERSE(1)) u_deskew (.clk(clk), .din(bottom), .dout(o_wr_data));
)";

const char* kTopWsBody = R"(  wire [1:0]     f1;
  wire           f1pv, wr1, wr1_acc;
  wire [R*2-1:0] row_f;
  wire [C-1:0]   col_pv;
  wire [C*A-1:0] outv;
  @@P@@_ctrl #(.R(R)) u_ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_t(cfg_t), .cfg_nt(cfg_nt), .cfg_kt(cfg_kt),
    .busy(busy), .done(done), .w_rd_en(w_rd_en), .w_rd_addr(w_rd_addr),
    .n_rd_en(n_rd_en), .n_rd_addr(n_rd_addr), .f1(f1), .f1pv(f1pv), .fin(fin),
    .o_rd_en(o_rd_en), .o_rd_addr(o_rd_addr), .wr1(wr1), .wr1_acc(wr1_acc),
    .o_wr_en(o_wr_en), .o_wr_addr(o_wr_addr));
  @@P@@_skew_rst #(.LANES(R), .WIDTH(2)) u_skew_flags (.clk(clk), .rst(rst), .din({R{f1}}), .dout(row_f));
  @@P@@_skew_rst #(.LANES(C), .WIDTH(1)) u_skew_pv (.clk(clk), .rst(rst), .din({C{f1pv}}), .dout(col_pv));
  @@P@@_array #(.R(R), .C(C), .W(W), .AW(AW), .A(A), .AC(AC)) u_array (
    .clk(clk), .rst(rst), .row_a(row_a), .row_f(row_f), .col_b(col_b), .col_pv(col_pv),
    .bottom(bottom), .fin(fin));
  @@P@@_skew #(.LANES(C), .WIDTH(A), .REVERSE(1)) u_deskew (.clk(clk), .din(bottom), .dout(outv));
  @@P@@_accum #(.C(C), .A(A)) u_accum (
    .clk(clk), .en(wr1), .din(outv), .psum(o_rd_data), .acc_en(wr1_acc), .dout(o_wr_data));
)";

// The ws/is controller of block-scaled designs: kCtrlWs with the fold period at
// least R + C + 3 (ws_block_period: a row's partial sums are written back before
// the next K-tile reads them), the output SRAM read at the top with the west word
// (every K-tile after the first; address raddr: the N-tile's base plus the row),
// and tz1, registered with the read data: K-tile 0 starts from +0.
std::string ws_block_ctrl(const ArchConfig& a) {
  const int64_t pd =
      std::max<int64_t>({2 * int64_t(a.rows) - 1, 3, ws_block_period(a.rows, a.cols)});
  std::string t = kCtrlWs;
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"Folds start every\n// max(T, 2R-1, 3) cycles. Output side: each row leaving the array "
            "is added to the\n"
            "// partial sum read back from the output SRAM (every K-tile after the first) in a\n"
            "// registered stage and written the cycle after.",
            "Folds start every\n// max(T, PDMIN) cycles, PDMIN = max(2R-1, R+C+3) = " +
                std::to_string(pd) +
                ". Block-scaled operands: every K-tile after\n// the first reads the output SRAM "
                "word of a row with its west word (o_rd_*; tz1\n// registered with the data marks "
                "K-tile 0, which starts from +0); the row leaving\n// the array is registered and "
                "written the cycle after."},
           {"  localparam integer PDMIN = (2 * R - 1 > 3) ? 2 * R - 1 : 3;",
            "  localparam integer PDMIN = " + std::to_string(pd) + ";"},
           {"  output reg         f1pv,    // preload valid registered with the north read data\n",
            "  output reg         f1pv,    // preload valid registered with the north read data\n"
            "  output reg         tz1,     // K-tile 0, registered with the west read data\n"},
           {"  reg [31:0] moc, ktoc, ntoc, oaddr, obase, wr1_addr;",
            "  reg [31:0] moc, ktoc, ntoc, oaddr, obase, wr1_addr, raddr, rbase;"},
           {"  assign o_rd_en = fin && !kfirst;\n  assign o_rd_addr = oaddr;",
            "  assign o_rd_en = rd_w && (ktc != kt_r);\n  assign o_rd_addr = raddr;"},
           {"      busy <= 1'b0; done <= 1'b0; phase <= 2'd0; f1 <= 2'b00; f1pv <= 1'b0;\n",
            "      busy <= 1'b0; done <= 1'b0; phase <= 2'd0; f1 <= 2'b00; f1pv <= 1'b0;\n"
            "      tz1 <= 1'b0; raddr <= 0; rbase <= 0;\n"},
           {"      f1pv <= rd_n;\n", "      f1pv <= rd_n;\n      tz1 <= rd_w && (ktc == kt_r);\n"
                                     "      if (rd_w) raddr <= raddr + 1;\n"},
           {"      if (fold_end) begin\n        if (ktc == 1) begin\n",
            "      if (fold_end) begin\n        if (ktc == 1) rbase <= rd_w ? raddr + 1 : raddr;\n"
            "        else raddr <= rbase;\n        if (ktc == 1) begin\n"},
           {"        moc <= cfg_t; ktoc <= cfg_kt; ntoc <= cfg_nt; kfirst <= 1'b1; oaddr <= 0; "
            "obase <= 0;\n",
            "        moc <= cfg_t; ktoc <= cfg_kt; ntoc <= cfg_nt; kfirst <= 1'b1; oaddr <= 0; "
            "obase <= 0;\n"
            "        raddr <= 0; rbase <= 0;\n"}})
    t = replace_checked(t, from, to);
  return subst(t, {{"P", "@@P@@"}, {"R", "@@R@@"}});
}

} // namespace

GeneratedRtl generate_systolic_verilog(const ArchConfig& a, const std::string& regen) {
  const PeInfo* info = PeRegistry::instance().find(a.pe);
  if (info && info->sparse_group) return generate_sparse_verilog(a, regen);
  if (a.engine != "systolic") return generate_broadcast_verilog(a, regen);
  const bool os = a.dataflow == "os";
  const std::string p = "tpe_" + verilog_ident(a.name);
  std::map<std::string, std::string> v = {
      {"P", p},
      {"TOP", p},
      {"R", std::to_string(a.rows)},
      {"C", std::to_string(a.cols)},
      {"W", std::to_string(a.north_bits())},
      {"A", std::to_string(a.acc_bits)},
      {"AW", std::to_string(pe_west_width(a.pe, a.west_bits()))},
      {"AC", std::to_string(a.pe == "opt1" ? 2 * a.acc_bits : a.acc_bits)},
      {"EDGESUM", a.pe == "opt1" ? "edge_v[A-1:0] + edge_v[2*A-1:A]" : "edge_v"},
      {"DESC", "Design '" + a.name + "': " + std::to_string(a.rows) + "x" + std::to_string(a.cols) +
                   " systolic array, dataflow " + a.dataflow + ", PE " + a.pe + ", " +
                   design_formats_desc(a)},
  };
  GeneratedRtl g;
  g.top = p;
  const std::string banner = generated_banner("tpe systolic engine '" + a.name + "'", regen);
  auto add = [&](const std::string& file, const std::string& text) {
    g.files[file] = banner + subst(text, v);
    g.sources.push_back(file);
  };
  const bool opt1 = a.pe == "opt1";
  const bool fp = uses_fp_datapath(a);
  FpPeArith fa;
  if (fp) fa = fp_pe_arith(a);
  const bool blk = fp && fa.block > 0; // block-scaled operands
  // the west and north element code widths (they differ only for `mac`)
  const int WA = a.west_bits(), WN = a.north_bits();
  if (blk && os) { // lanes {block end, scale, code} west and {scale, code} north
    v["W"] = std::to_string(WN + 8);
    v["AW"] = std::to_string(WA + 9);
  } else if (blk) { // ws/is: {block end, scale, code} lanes; partial sums {block, acc}
    v["W"] = std::to_string(WN + 9);
    v["AW"] = std::to_string(WA + 9);
    v["AC"] = std::to_string(a.acc_bits + fa.block_spec.width + 3);
  }
  auto pe_text = [&](const char* tmpl, const char* bop, const char* flag_bits) {
    const char* mult = pe_has_multiplier_module(a.pe) ? kMulInstance
                       : WA == WN                     ? kMulBehavioural
                                                      : kMulBehaviouralMixed;
    const std::string prodext =
        subst(kProdExt, {{"MULT", subst(mult, {{"BOP", bop}, {"P", "@@P@@"}})},
                         {"PW", WA == WN ? "2*W" : "(AW+W)"}});
    // OPT1: one CSA step on the carry-save pair {c, s}; 'first' (os) or the zero
    // pair above the top row (ws) starts from zero
    const std::string step = subst(kOpt1Step, {{"BOP", bop},
                                               {"P", "@@P@@"},
                                               {"FIRST", os ? "f_in[1]" : "1'b0"},
                                               {"PAIR", os ? "acc" : "ps_up"}});
    const std::string fp_step =
        subst(kFpStep, {{"P", "@@P@@"},
                        {"BOP", bop},
                        {"PB", std::to_string(fa.prod_w.bus_bits())},
                        {"ACCIN", os ? "f_in[1] ? {A{1'b0}} : acc" : "ps_up"}});
    const std::string blk_step = !blk ? ""
                                      : subst(os ? kFpBlockStep : kFpBlockWsStep,
                                              {{"P", "@@P@@"},
                                               {"PB", std::to_string(fa.prod_w.bus_bits())},
                                               {"CW", std::to_string(fa.WW)},
                                               {"CWN", std::to_string(fa.WN)},
                                               {"BS", std::to_string(fa.block_spec.width + 3)},
                                               {"DB", std::to_string(fa.bsum_w.bus_bits())},
                                               {"SB", std::to_string(fa.scale_w.bus_bits())},
                                               {"XB", std::to_string(fa.bx_w.bus_bits())}});
    const std::string next = blk    ? (os ? "a_in[AW-1] ? acc_sum : acc" : "ps_next")
                             : fp   ? "acc_sum"
                             : opt1 ? "{c_n, s_n}"
                             : os   ? "(f_in[1] ? {A{1'b0}} : acc) + prod_ext"
                                    : "ps_up + prod_ext";
    return subst(tmpl, {{"P", "@@P@@"},
                        {"W", "@@W@@"},
                        {"AW", "@@AW@@"},
                        {"A", "@@A@@"},
                        {"AC", "@@AC@@"},
                        {"ACCDOC", fp     ? kFpDoc
                                   : opt1 ? kOpt1Doc
                                          : ""},
                        {"DATAPATH", blk    ? blk_step
                                     : fp   ? fp_step
                                     : opt1 ? step
                                            : prodext},
                        {"ACCNEXT", next},
                        {"FWDEAST", subst(kFwdEast, {{"FW", flag_bits}})}});
  };
  add(p + "_pe.v", os ? pe_text(kPeOs, "b_in", "3") : pe_text(kPeWs, "w_eff", "2"));
  if (fp)
    for (const auto& [file, text] : fp_pe_modules(p, fa, !os && !blk, 0)) {
      g.files[file] = banner + text;
      g.sources.push_back(file);
    }
  if (pe_has_multiplier_module(a.pe)) {
    g.files[p + "_mul.v"] = banner + multiplier_module(a.pe, p, WN);
    g.sources.push_back(p + "_mul.v");
  }
  if (opt1) {
    g.files[p + "_opt1_step.v"] = banner + opt1_step_module(p, WN, a.acc_bits);
    g.sources.push_back(p + "_opt1_step.v");
  }
  if (a.pe == "ent") {
    g.files[p + "_ent_enc.v"] = banner + ent_encoder_module(p, WN);
    g.sources.push_back(p + "_ent_enc.v");
  }
  add(p + "_skew.v", subst(kSkew, {{"P", "@@P@@"},
                                   {"NAME", "skew"},
                                   {"RSTDOC", ""},
                                   {"RSTPORT", ""},
                                   {"RSTEXPR1", ""},
                                   {"RSTEXPRN", ""},
                                   {"RSTUSE", ""}}));
  add(p + "_skew_rst.v",
      subst(kSkew, {{"P", "@@P@@"},
                    {"NAME", "skew_rst"},
                    {"RSTDOC", "\n// Cleared by a synchronous reset (used for flags)."},
                    {"RSTPORT", "\n  input  wire                   rst,"},
                    {"RSTEXPR1", "rst ? {WIDTH{1'b0}} : "},
                    {"RSTEXPRN", "rst ? {(D*WIDTH){1'b0}} : "},
                    {"RSTUSE", ", rst"}}));
  if (blk && !os) // the top row takes the partial sums read back; the bottom is AC wide
    add(p + "_array.v",
        replace_checked(
            replace_checked(
                replace_checked(
                    kArrayWs, "  output wire [C*A-1:0] bottom,",
                    "  input  wire [C*AC-1:0] col_ps, // partial sums into the top row\n"
                    "  output wire [C*AC-1:0] bottom,"),
                "assign ps_v[j*AC +: AC] = {AC{1'b0}};",
                "assign ps_v[j*AC +: AC] = col_ps[j*AC +: AC];"),
            "assign bottom[j*A +: A] = @@EDGESUM@@;", "assign bottom[j*AC +: AC] = edge_v;"));
  else
    add(p + "_array.v", os ? kArrayOs : kArrayWs);
  if (blk && !os) {
    add(p + "_ctrl.v", ws_block_ctrl(a));
  } else if (blk) {
    int lb = 0;
    while ((1 << lb) < fa.block)
      ++lb;
    if ((1 << lb) != fa.block) throw std::logic_error("block size is not a power of two");
    add(p + "_ctrl.v",
        subst(kCtrlOsBlock, {{"P", "@@P@@"}, {"R", "@@R@@"}, {"LB", std::to_string(lb)}}));
  } else {
    add(p + "_ctrl.v", os ? kCtrlOs : kCtrlWs);
  }
  if (!os && !blk)
    add(p + "_accum.v", subst(kAccum, {{"P", "@@P@@"},
                                       {"C", "@@C@@"},
                                       {"A", "@@A@@"},
                                       {"ACCUMDOC", fp ? kAccumDocFp : kAccumDocInt},
                                       {"COLSUM", fp ? kAccumSumFp : kAccumSumInt}}));
  const std::string top_doc =
      os ? "// Top of the output-stationary systolic engine."
         : "// Top of the weight-stationary systolic engine (input stationary uses the same\n"
           "// hardware with the operands swapped by the mapping).";
  const std::vector<VerilogPort> cfg =
      cfg_ports(os ? std::vector<std::string>{"cfg_k", "cfg_mt", "cfg_nt"}
                   : std::vector<std::string>{"cfg_t", "cfg_nt", "cfg_kt"});
  const std::vector<VerilogPort> ord = sram_port("o_rd", "C*A"), owr = sram_port("o_wr", "C*A");
  // the module header of a block-scaled top: parameters R, C, CW (west element code
  // bits; CWN the north's when it differs) and `params`, the operand and scale SRAM
  // ports, the controller's cfg words and the output ports of the dataflow
  const auto block_head = [&](const std::string& doc, const char* params,
                              const std::string& scale_ports, std::vector<VerilogPort> out) {
    out.insert(out.begin(), VerilogPort{"", "", scale_ports});
    const std::vector<std::string> names =
        WA == WN ? std::vector<std::string>{"R", "C", "CW", "@@PARAMS@@"}
                 : std::vector<std::string>{"R", "C", "CW", "CWN", "@@PARAMS@@"};
    return subst(top_module_head(names, cfg, "R*CW", WA == WN ? "C*CW" : "C*CWN", out, 12),
                 {{"DESC", "@@DESC@@"},
                  {"TOPDOC", doc},
                  {"TOP", "@@TOP@@"},
                  {"R", "@@R@@"},
                  {"C", "@@C@@"},
                  {"CW", std::to_string(fa.WW)},
                  {"CWN", std::to_string(fa.WN)},
                  {"PARAMS", params}});
  };
  if (blk) { // the top's own tokens join the design's (the top is the last file)
    const ScaleSramVerilog sv = scale_sram_verilog(fa, os ? 8 : 9, os, 12);
    v["CW"] = std::to_string(fa.WW);
    v["NCW"] = WA == WN ? "CW" : "CWN";
    v["BS"] = std::to_string(fa.block_spec.width + 3);
    v["SCALELANES"] = sv.lanes;
    v["SCALEUNUSED"] = sv.unused;
    if (os)
      add(p + ".v", block_head(subst(kTopOsBlockDoc, {{"BLK", std::to_string(fa.block)}}),
                               kTopOsBlockParams, sv.ports, owr) +
                        kTopOsBlock);
    else
      add(p + ".v", block_head(kTopWsBlockDoc, kTopWsBlockParams, sv.ports,
                               {ord[0],
                                ord[1],
                                ord[2],
                                {"input", "[C*BS-1:0]", "ob_rd_data"},
                                owr[0],
                                owr[1],
                                {"output", "[C*A-1:0]", "o_wr_data", "reg"},
                                {"output", "[C*BS-1:0]", "ob_wr_data", "reg"}}) +
                        kTopWsBlock);
  } else {
    std::vector<VerilogPort> out = os ? std::vector<VerilogPort>{} : ord;
    out.insert(out.end(), owr.begin(), owr.end());
    add(p + ".v", subst(top_module_head({"R", "C", "W", "AW", "A", "AC"}, cfg,
                                        WA == WN ? "R*W" : "R*AW", "C*W", out, 10) +
                            kTop,
                        {{"P", "@@P@@"},
                         {"TOP", "@@TOP@@"},
                         {"DESC", "@@DESC@@"},
                         {"R", "@@R@@"},
                         {"C", "@@C@@"},
                         {"W", "@@W@@"},
                         {"AW", "@@AW@@"},
                         {"A", "@@A@@"},
                         {"AC", "@@AC@@"},
                         {"WEST", a.pe == "ent" ? kWestEnt : kWestPlain},
                         {"TOPDOC", top_doc},
                         {"BODY", os ? kTopOsBody : kTopWsBody}}));
  }
  std::string fl;
  for (auto& s : g.sources)
    fl += s + "\n";
  g.files["filelist.f"] = fl;
  return g;
}

} // namespace tpe
