// Systolic Verilog emitter. Each module is a template with @@KEY@@ tokens; the
// generator fills in the design prefix and the parameter defaults (rows, cols,
// operand and accumulator widths) from ArchConfig, so the same text serves
// every configuration and the modules stay parameterized. Register-for-register
// twin of sim/systolic_core.cpp; the schedule is derived in README "Timing model".
#include "rtl_gen/systolic_verilog.h"
#include "rtl_gen/verilog_text.h"

namespace tpe {

namespace {

// Sign-extend or truncate the 2W-bit product to A bits (three cases, because a
// zero-width replication is illegal in Verilog-2005).
const char* kProdExt = R"(  wire signed [2*W-1:0] ax = {{W{a_in[W-1]}}, a_in};
  wire signed [2*W-1:0] bx = {{W{@@BOP@@[W-1]}}, @@BOP@@};
  wire signed [2*W-1:0] prod = ax * bx;
  wire [A-1:0] prod_ext;
  generate
    if (A > 2*W) begin : g_ext
      assign prod_ext = {{(A-2*W){prod[2*W-1]}}, prod};
    end else if (A == 2*W) begin : g_same
      assign prod_ext = prod;
    end else begin : g_trunc
      assign prod_ext = prod[A-1:0];
      // verilator lint_off UNUSED
      wire _unused_high = &{1'b0, prod[2*W-1:A], 1'b0};
      // verilator lint_on UNUSED
    end
  endgenerate
)";

const char* kPeOs = R"(`timescale 1ns/1ps
// Output-stationary MAC PE. a and its flags move right, b moves down; on a valid
// flag the PE accumulates a*b (restarting on 'first'); otherwise, while its drain
// bit is set, it takes the accumulator of the PE above (results leave through the
// bottom of the column). Accumulation wraps modulo 2^A.
module @@P@@_pe #(
  parameter W = @@W@@,
  parameter A = @@A@@
) (
  input  wire         clk,
  input  wire         rst,
  input  wire [W-1:0] a_in,
  input  wire [2:0]   f_in,     // {last, first, valid}
  input  wire [W-1:0] b_in,
  input  wire [A-1:0] acc_up,   // accumulator of the PE above
  input  wire         dv_up,    // drain bit of the PE above
  input  wire         dstart,   // column drain start (0 in the top row)
  output reg  [W-1:0] a_out,
  output reg  [2:0]   f_out,
  output reg  [W-1:0] b_out,
  output reg  [A-1:0] acc,
  output reg          dv
);
@@PRODEXT@@
  always @(posedge clk) begin
    a_out <= a_in;
    b_out <= b_in;
    if (f_in[0]) acc <= (f_in[1] ? {A{1'b0}} : acc) + prod_ext;
    else if (dv) acc <= acc_up;
  end
  always @(posedge clk) begin
    if (rst) begin
      f_out <= 3'b000;
      dv <= 1'b0;
    end else begin
      f_out <= f_in;
      dv <= dstart | dv_up;
    end
  end
endmodule
)";

const char* kPeWs = R"(`timescale 1ns/1ps
// Weight-stationary MAC PE (also used for input stationary). a and its flags move
// right, partial sums move down. The stationary operand is double buffered: the
// shadow register shifts down the column while 'pv' is set (preload) and is
// copied into the active register by the 'swap' flag that travels with the first
// row of the next tile. Accumulation wraps modulo 2^A.
module @@P@@_pe #(
  parameter W = @@W@@,
  parameter A = @@A@@
) (
  input  wire         clk,
  input  wire         rst,
  input  wire [W-1:0] a_in,
  input  wire [1:0]   f_in,     // {swap, valid}
  input  wire [A-1:0] ps_up,    // partial sum from above (0 in the top row)
  input  wire [W-1:0] sh_up,    // preload chain from above
  input  wire         pv,       // preload shift enable of this column
  output reg  [W-1:0] a_out,
  output reg  [1:0]   f_out,
  output reg  [A-1:0] ps,
  output reg  [W-1:0] sh
);
  reg  [W-1:0] wa;
  wire [W-1:0] w_eff = f_in[1] ? sh : wa;
@@PRODEXT@@
  always @(posedge clk) begin
    a_out <= a_in;
    if (f_in[0]) begin
      ps <= ps_up + prod_ext;
      if (f_in[1]) wa <= sh;
    end
    if (pv) sh <= sh_up;
  end
  always @(posedge clk) begin
    if (rst) f_out <= 2'b00;
    else f_out <= f_in;
  end
endmodule
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
  parameter A = @@A@@
) (
  input  wire           clk,
  input  wire           rst,
  input  wire [R*W-1:0] row_a,
  input  wire [R*3-1:0] row_f,
  input  wire [C*W-1:0] col_b,
  output wire [C*A-1:0] bottom,
  output wire           fin     // valid & last entering the bottom-right PE
);
  wire [R*(C+1)*W-1:0] a_h;
  wire [R*(C+1)*3-1:0] f_h;
  wire [(R+1)*C*W-1:0] b_v;
  wire [(R+1)*C*A-1:0] acc_v;
  wire [(R+1)*C-1:0]   dv_v;
  wire [C-1:0]         dstart;
  genvar i, j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_top
      assign b_v[j*W +: W] = col_b[j*W +: W];
      assign acc_v[j*A +: A] = {A{1'b0}};
      assign dv_v[j] = 1'b0;
      // a column starts draining when 'last' enters its bottom PE
      assign dstart[j] = f_h[((R-1)*(C+1)+j)*3] & f_h[((R-1)*(C+1)+j)*3+2];
      assign bottom[j*A +: A] = acc_v[(R*C+j)*A +: A];
    end
    for (i = 0; i < R; i = i + 1) begin : g_row
      assign a_h[(i*(C+1))*W +: W] = row_a[i*W +: W];
      assign f_h[(i*(C+1))*3 +: 3] = row_f[i*3 +: 3];
      for (j = 0; j < C; j = j + 1) begin : g_col
        @@P@@_pe #(.W(W), .A(A)) pe (
          .clk(clk), .rst(rst),
          .a_in(a_h[(i*(C+1)+j)*W +: W]),
          .f_in(f_h[(i*(C+1)+j)*3 +: 3]),
          .b_in(b_v[(i*C+j)*W +: W]),
          .acc_up(acc_v[(i*C+j)*A +: A]),
          .dv_up(dv_v[i*C+j]),
          .dstart(i == 0 ? 1'b0 : dstart[j]),
          .a_out(a_h[(i*(C+1)+j+1)*W +: W]),
          .f_out(f_h[(i*(C+1)+j+1)*3 +: 3]),
          .b_out(b_v[((i+1)*C+j)*W +: W]),
          .acc(acc_v[((i+1)*C+j)*A +: A]),
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
  parameter A = @@A@@
) (
  input  wire           clk,
  input  wire           rst,
  input  wire [R*W-1:0] row_a,
  input  wire [R*2-1:0] row_f,
  input  wire [C*W-1:0] col_b,
  input  wire [C-1:0]   col_pv,
  output wire [C*A-1:0] bottom,
  output wire           fin     // valid entering the bottom-right PE
);
  wire [R*(C+1)*W-1:0] a_h;
  wire [R*(C+1)*2-1:0] f_h;
  wire [(R+1)*C*W-1:0] sh_v;
  wire [(R+1)*C*A-1:0] ps_v;
  genvar i, j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_top
      assign sh_v[j*W +: W] = col_b[j*W +: W];
      assign ps_v[j*A +: A] = {A{1'b0}};
      assign bottom[j*A +: A] = ps_v[(R*C+j)*A +: A];
    end
    for (i = 0; i < R; i = i + 1) begin : g_row
      assign a_h[(i*(C+1))*W +: W] = row_a[i*W +: W];
      assign f_h[(i*(C+1))*2 +: 2] = row_f[i*2 +: 2];
      for (j = 0; j < C; j = j + 1) begin : g_col
        @@P@@_pe #(.W(W), .A(A)) pe (
          .clk(clk), .rst(rst),
          .a_in(a_h[(i*(C+1)+j)*W +: W]),
          .f_in(f_h[(i*(C+1)+j)*2 +: 2]),
          .ps_up(ps_v[(i*C+j)*A +: A]),
          .sh_up(sh_v[(i*C+j)*W +: W]),
          .pv(col_pv[j]),
          .a_out(a_h[(i*(C+1)+j+1)*W +: W]),
          .f_out(f_h[(i*(C+1)+j+1)*2 +: 2]),
          .ps(ps_v[((i+1)*C+j)*A +: A]),
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
// it writes the fold's R result rows, bottom row first, one per cycle.
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
  output reg  [2:0]  f1,      // flags registered with the SRAM read data
  input  wire        fin,     // 'last' enters the bottom-right PE
  output wire        o_wr_en,
  output wire [31:0] o_wr_addr
);
  reg        iss, ow_act, ow_final;
  reg [31:0] k_r, mt_r, nt_r, s, mt, nt, wbase, nbase;
  reg [31:0] ow_d, ow_addr, mto, nto, olast;
  wire       rd_en = iss && (s < k_r);
  wire [2:0] fl = rd_en ? {s == k_r - 1, s == 0, 1'b1} : 3'b000;
  wire       ostart = fin;
  wire       finish = ow_act && (ow_d == R - 1) && ow_final;
  assign w_rd_en = rd_en;
  assign n_rd_en = rd_en;
  assign w_rd_addr = wbase + s;
  assign n_rd_addr = nbase + s;
  assign o_wr_en = ow_act;
  assign o_wr_addr = ow_addr;
  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; done <= 1'b0; iss <= 1'b0; ow_act <= 1'b0; ow_final <= 1'b0; f1 <= 3'b000;
      k_r <= 0; mt_r <= 0; nt_r <= 0; s <= 0; mt <= 0; nt <= 0; wbase <= 0; nbase <= 0;
      ow_d <= 0; ow_addr <= 0; mto <= 0; nto <= 0; olast <= 0;
    end else begin
      f1 <= fl;
      done <= finish;
      if (finish) busy <= 1'b0;
      if (ow_act) begin
        if (ow_d == R - 1) ow_act <= 1'b0;
        else begin
          ow_d <= ow_d + 1;
          ow_addr <= ow_addr - nt_r;
        end
      end
      if (ostart) begin
        ow_act <= 1'b1;
        ow_d <= 0;
        ow_addr <= olast;
        ow_final <= (mto == mt_r - 1) && (nto == nt_r - 1);
        if (nto == nt_r - 1) begin
          nto <= 0;
          mto <= mto + 1;
          olast <= olast - (nt_r - 1) + R * nt_r;
        end else begin
          nto <= nto + 1;
          olast <= olast + 1;
        end
      end
      if (iss) begin
        if (s == k_r + R - 2) begin
          s <= 0;
          if (nt == nt_r - 1) begin
            nt <= 0;
            nbase <= 0;
            if (mt == mt_r - 1) iss <= 1'b0;
            else begin
              mt <= mt + 1;
              wbase <= wbase + k_r;
            end
          end else begin
            nt <= nt + 1;
            nbase <= nbase + k_r;
          end
        end else s <= s + 1;
      end
      if (start && !busy) begin
        k_r <= cfg_k; mt_r <= cfg_mt; nt_r <= cfg_nt;
        busy <= 1'b1; iss <= 1'b1;
        s <= 0; mt <= 0; nt <= 0; wbase <= 0; nbase <= 0;
        mto <= 0; nto <= 0;
        olast <= (R - 1) * cfg_nt;
      end
    end
  end
endmodule
)";

const char* kCtrlWs = R"(`timescale 1ns/1ps
// Weight-stationary controller (also input stationary). Fold f = (nt, kt): the
// K-tile x N-tile of the stationary operand is preloaded through the north port
// (R words, bottom row first) while fold f-1 streams; then T = cfg_t west words
// stream through with 'swap' on the first. Folds start every max(T, 2R-1, 2)
// cycles. Output side: each row leaving the array is written to the output SRAM,
// added to the partial sum read back from it for every K-tile after the first.
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
  output reg         o_wr_en,
  output reg  [31:0] o_wr_addr,
  output reg         wr_acc   // add the partial sum read back from the output SRAM
);
  localparam integer PDMIN = (2 * R - 1 > 2) ? 2 * R - 1 : 2;
  reg [1:0]  phase;           // 0 idle, 1 initial preload, 2 run
  reg [31:0] t_r, nt_r, kt_r, pd_r, ic, c, kt, nt, wbase, ntop;
  reg [31:0] mo, kto, nto, o_addr;
  reg        wr_last;
  wire       rd_w = (phase == 2'd2) && (c < t_r);
  wire       has_next = !((kt == kt_r - 1) && (nt == nt_r - 1));
  wire       rd_n = (phase == 2'd1) ||
                    ((phase == 2'd2) && has_next && (c + 1 >= R) && (c < 2 * R - 1));
  wire [1:0] fl = rd_w ? {c == 0, 1'b1} : 2'b00;
  wire       fin_v = fin;
  wire       finish = o_wr_en && wr_last;
  assign w_rd_en = rd_w;
  assign w_rd_addr = wbase + c;
  assign n_rd_en = rd_n;
  assign n_rd_addr = ntop - ((phase == 2'd1) ? ic : c - (R - 1));
  assign o_rd_en = fin_v && (kto != 0);
  assign o_rd_addr = o_addr;
  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; done <= 1'b0; phase <= 2'd0; f1 <= 2'b00; f1pv <= 1'b0;
      o_wr_en <= 1'b0; o_wr_addr <= 0; wr_acc <= 1'b0; wr_last <= 1'b0;
      t_r <= 0; nt_r <= 0; kt_r <= 0; pd_r <= 0; ic <= 0; c <= 0; kt <= 0; nt <= 0;
      wbase <= 0; ntop <= 0; mo <= 0; kto <= 0; nto <= 0; o_addr <= 0;
    end else begin
      f1 <= fl;
      f1pv <= rd_n;
      done <= finish;
      if (finish) busy <= 1'b0;
      o_wr_en <= fin_v;
      wr_acc <= kto != 0;
      o_wr_addr <= o_addr;
      wr_last <= fin_v && (mo == t_r - 1) && (kto == kt_r - 1) && (nto == nt_r - 1);
      if (fin_v) begin
        if (mo == t_r - 1) begin
          mo <= 0;
          if (kto == kt_r - 1) begin
            kto <= 0;
            nto <= nto + 1;
            o_addr <= nto + 1;
          end else begin
            kto <= kto + 1;
            o_addr <= nto;
          end
        end else begin
          mo <= mo + 1;
          o_addr <= o_addr + nt_r;
        end
      end
      if (phase == 2'd1) begin
        if (ic == R - 1) begin
          phase <= 2'd2;
          c <= 0;
          ntop <= ntop + R;
        end else ic <= ic + 1;
      end else if (phase == 2'd2) begin
        if (c == pd_r - 1) begin
          c <= 0;
          ntop <= ntop + R;
          if (kt == kt_r - 1) begin
            kt <= 0;
            wbase <= 0;
            if (nt == nt_r - 1) phase <= 2'd0;
            else nt <= nt + 1;
          end else begin
            kt <= kt + 1;
            wbase <= wbase + t_r;
          end
        end else c <= c + 1;
      end
      if (start && !busy) begin
        t_r <= cfg_t; nt_r <= cfg_nt; kt_r <= cfg_kt;
        pd_r <= (cfg_t > PDMIN) ? cfg_t : PDMIN;
        busy <= 1'b1; phase <= 2'd1;
        ic <= 0; c <= 0; kt <= 0; nt <= 0; wbase <= 0;
        ntop <= R - 1;
        mo <= 0; kto <= 0; nto <= 0; o_addr <= 0;
      end
    end
  end
endmodule
)";

const char* kAccum = R"(`timescale 1ns/1ps
// Output accumulator stage: adds the partial sum read back from the output SRAM
// to each result leaving the array (every K-tile after the first), modulo 2^A.
module @@P@@_accum #(
  parameter C = @@C@@,
  parameter A = @@A@@
) (
  input  wire [C*A-1:0] din,
  input  wire [C*A-1:0] psum,
  input  wire           acc_en,
  output wire [C*A-1:0] dout
);
  genvar j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_col
      assign dout[j*A +: A] = acc_en ? din[j*A +: A] + psum[j*A +: A] : din[j*A +: A];
    end
  endgenerate
endmodule
)";

// Top: shared ports and edge buffers; @@BODY@@ holds the dataflow-specific part.
const char* kTop = R"(`timescale 1ns/1ps
// @@DESC@@
@@TOPDOC@@
// SRAM ports follow a 1-cycle read latency (data on *_rd_data the cycle after
// *_rd_en). Pulse 'start' with the cfg_* words; 'done' pulses the cycle after the
// last output write.
module @@TOP@@ #(
  parameter R = @@R@@,
  parameter C = @@C@@,
  parameter W = @@W@@,
  parameter A = @@A@@
) (
  input  wire           clk,
  input  wire           rst,
  input  wire           start,
@@CFGPORTS@@
  output wire           busy,
  output wire           done,
  output wire           w_rd_en,
  output wire [31:0]    w_rd_addr,
  input  wire [R*W-1:0] w_rd_data,
  output wire           n_rd_en,
  output wire [31:0]    n_rd_addr,
  input  wire [C*W-1:0] n_rd_data,
@@ORDPORTS@@  output wire           o_wr_en,
  output wire [31:0]    o_wr_addr,
  output wire [C*A-1:0] o_wr_data
);
  wire [R*W-1:0] row_a;
  wire [C*W-1:0] col_b;
  wire [C*A-1:0] bottom;
  wire           fin;
  @@P@@_skew #(.LANES(R), .WIDTH(W)) u_skew_west (.clk(clk), .din(w_rd_data), .dout(row_a));
  @@P@@_skew #(.LANES(C), .WIDTH(W)) u_skew_north (.clk(clk), .din(n_rd_data), .dout(col_b));
@@BODY@@endmodule
)";

const char* kTopOsBody = R"(  wire [2:0]     f1;
  wire [R*3-1:0] row_f;
  @@P@@_ctrl #(.R(R)) u_ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_k(cfg_k), .cfg_mt(cfg_mt), .cfg_nt(cfg_nt),
    .busy(busy), .done(done), .w_rd_en(w_rd_en), .w_rd_addr(w_rd_addr),
    .n_rd_en(n_rd_en), .n_rd_addr(n_rd_addr), .f1(f1), .fin(fin),
    .o_wr_en(o_wr_en), .o_wr_addr(o_wr_addr));
  @@P@@_skew_rst #(.LANES(R), .WIDTH(3)) u_skew_flags (.clk(clk), .rst(rst), .din({R{f1}}), .dout(row_f));
  @@P@@_array #(.R(R), .C(C), .W(W), .A(A)) u_array (
    .clk(clk), .rst(rst), .row_a(row_a), .row_f(row_f), .col_b(col_b), .bottom(bottom), .fin(fin));
  @@P@@_skew #(.LANES(C), .WIDTH(A), .REVERSE(1)) u_deskew (.clk(clk), .din(bottom), .dout(o_wr_data));
)";

const char* kTopWsBody = R"(  wire [1:0]     f1;
  wire           f1pv, wr_acc;
  wire [R*2-1:0] row_f;
  wire [C-1:0]   col_pv;
  wire [C*A-1:0] outv;
  @@P@@_ctrl #(.R(R)) u_ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_t(cfg_t), .cfg_nt(cfg_nt), .cfg_kt(cfg_kt),
    .busy(busy), .done(done), .w_rd_en(w_rd_en), .w_rd_addr(w_rd_addr),
    .n_rd_en(n_rd_en), .n_rd_addr(n_rd_addr), .f1(f1), .f1pv(f1pv), .fin(fin),
    .o_rd_en(o_rd_en), .o_rd_addr(o_rd_addr), .o_wr_en(o_wr_en), .o_wr_addr(o_wr_addr),
    .wr_acc(wr_acc));
  @@P@@_skew_rst #(.LANES(R), .WIDTH(2)) u_skew_flags (.clk(clk), .rst(rst), .din({R{f1}}), .dout(row_f));
  @@P@@_skew_rst #(.LANES(C), .WIDTH(1)) u_skew_pv (.clk(clk), .rst(rst), .din({C{f1pv}}), .dout(col_pv));
  @@P@@_array #(.R(R), .C(C), .W(W), .A(A)) u_array (
    .clk(clk), .rst(rst), .row_a(row_a), .row_f(row_f), .col_b(col_b), .col_pv(col_pv),
    .bottom(bottom), .fin(fin));
  @@P@@_skew #(.LANES(C), .WIDTH(A), .REVERSE(1)) u_deskew (.clk(clk), .din(bottom), .dout(outv));
  @@P@@_accum #(.C(C), .A(A)) u_accum (.din(outv), .psum(o_rd_data), .acc_en(wr_acc), .dout(o_wr_data));
)";

} // namespace

GeneratedRtl generate_systolic_verilog(const ArchConfig& a, const std::string& regen) {
  const bool os = a.dataflow == "os";
  const std::string p = "tpe_" + verilog_ident(a.name);
  std::map<std::string, std::string> v = {
      {"P", p},
      {"TOP", p},
      {"R", std::to_string(a.rows)},
      {"C", std::to_string(a.cols)},
      {"W", std::to_string(a.operand_bits())},
      {"A", std::to_string(a.acc_bits)},
      {"DESC", "Design '" + a.name + "': " + std::to_string(a.rows) + "x" + std::to_string(a.cols) +
                   " systolic array, dataflow " + a.dataflow + ", PE " + a.pe + ", " + a.format +
                   " operands, " + std::to_string(a.acc_bits) + "-bit accumulators"},
  };
  GeneratedRtl g;
  g.top = p;
  const std::string banner = generated_banner("tpe systolic engine '" + a.name + "'", regen);
  auto add = [&](const std::string& file, const std::string& text) {
    g.files[file] = banner + subst(text, v);
    g.sources.push_back(file);
  };
  auto pe_text = [&](const char* tmpl, const char* bop) {
    return subst(tmpl, {{"P", "@@P@@"},
                        {"W", "@@W@@"},
                        {"A", "@@A@@"},
                        {"PRODEXT", subst(kProdExt, {{"BOP", bop}})}});
  };
  add(p + "_pe.v", os ? pe_text(kPeOs, "b_in") : pe_text(kPeWs, "w_eff"));
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
  add(p + "_array.v", os ? kArrayOs : kArrayWs);
  add(p + "_ctrl.v", os ? kCtrlOs : kCtrlWs);
  if (!os) add(p + "_accum.v", kAccum);
  const std::string top_doc =
      os ? "// Top of the output-stationary systolic engine."
         : "// Top of the weight-stationary systolic engine (input stationary uses the same\n"
           "// hardware with the operands swapped by the mapping).";
  const std::string cfg_ports =
      os ? "  input  wire [31:0]    cfg_k,\n  input  wire [31:0]    cfg_mt,\n"
           "  input  wire [31:0]    cfg_nt,"
         : "  input  wire [31:0]    cfg_t,\n  input  wire [31:0]    cfg_nt,\n"
           "  input  wire [31:0]    cfg_kt,";
  const std::string ord_ports =
      os ? ""
         : "  output wire           o_rd_en,\n  output wire [31:0]    o_rd_addr,\n"
           "  input  wire [C*A-1:0] o_rd_data,\n";
  add(p + ".v", subst(kTop, {{"P", "@@P@@"},
                             {"TOP", "@@TOP@@"},
                             {"DESC", "@@DESC@@"},
                             {"R", "@@R@@"},
                             {"C", "@@C@@"},
                             {"W", "@@W@@"},
                             {"A", "@@A@@"},
                             {"TOPDOC", top_doc},
                             {"CFGPORTS", cfg_ports},
                             {"ORDPORTS", ord_ports},
                             {"BODY", os ? kTopOsBody : kTopWsBody}}));
  std::string fl;
  for (auto& s : g.sources)
    fl += s + "\n";
  g.files["filelist.f"] = fl;
  return g;
}

} // namespace tpe
