// Verilog emitter of the output-stationary array of serial PEs: the
// sparsity-encoded `opt3` and `opt4c` (the bit-weight paper, HPCA 2025), the Stripes-style
// `bitserial` and the Bit-Pragmatic-style `pragmatic`. Modules: the row encoder of
// a group of 4 operands (`_senc` with the EN-T encoder `_ent_enc` shared with the
// `ent` PE, `_sbits` or `_soneff`), the PE, the PE array, the controller and the
// top; the controller and array are common, the PE's term datapath and the row
// bundle differ. `opt4c`, `bitserial` and `pragmatic` place one encoder per row
// at the west edge and send its terms along the row; `opt3` sends the row's
// operand group along the row and gives every PE its own sparse encoder.
// Register-for-register twin of sim/sparse_core.cpp, whose header describes the
// pipeline.
#include "rtl_gen/sparse_verilog.h"
#include "pe_models/sparse_encoder.h"
#include "rtl_gen/pe_verilog.h"
#include "rtl_gen/verilog_text.h"

namespace tpe {

namespace {

const char* kSenc = R"(`timescale 1ns/1ps
// Sparse encoder of one group of 4 west operands (OPT3 / OPT4C). On 'adv' it loads
// the EN-T digit at bit weight 'bw' of each operand of the group on a_grp (or
// nothing when fv = 0): a mask of the nonzero digits and each digit's negate and
// double bits (the operand's sign applied). Every cycle it issues the lowest
// remaining digit (sel one-hot, neg, dbl; nz = a digit is issued) and on 'step'
// drops it; 'last' says at most one digit is left.
module @@P@@_senc #(
  parameter W = @@W@@,
  parameter BWB = @@BWB@@
) (
  input  wire           clk,
  input  wire           rst,
  input  wire [4*W-1:0] a_grp,
  input  wire [BWB-1:0] bw,
  input  wire           adv,
  input  wire           fv,
  input  wire           step,
  output wire [3:0]     sel,
  output wire           neg,
  output wire           dbl,
  output wire           nz,
  output wire           last
);
  reg  [3:0] mask, dneg, ddbl;
  wire [3:0] nz_in, neg_in, dbl_in;
  genvar p;
  generate
    for (p = 0; p < 4; p = p + 1) begin : g_op
      wire [W:0] code;
      @@P@@_ent_enc u_ent (.a(a_grp[p*W +: W]), .code(code));
      wire [1:0] d = code[2*bw +: 2];
      assign nz_in[p] = d != 2'b00;
      assign neg_in[p] = code[W] ^ (d == 2'b11);
      assign dbl_in[p] = d == 2'b10;
    end
  endgenerate
  wire [3:0] rest = mask & (mask - 4'd1);
  assign sel = mask & ~(mask - 4'd1);
  assign neg = |(sel & dneg);
  assign dbl = |(sel & ddbl);
  assign nz = |mask;
  assign last = rest == 4'd0;
  always @(posedge clk) begin
    if (rst) mask <= 4'd0;
    else if (adv) mask <= fv ? nz_in : 4'd0;
    else if (step) mask <= rest;
  end
  always @(posedge clk) begin
    if (adv && fv) begin
      dneg <= neg_in;
      ddbl <= dbl_in;
    end
  end
endmodule
)";

const char* kSbits = R"(`timescale 1ns/1ps
// Bit-serial row encoder (bitserial): on 'adv' it loads bit 'bw' of each of the 4
// operands of the group on a_grp (nothing when fv = 0) and whether bw is the
// sign bit (weight -2^(W-1)). One cycle per group: all 4 bits go out at once.
module @@P@@_sbits #(
  parameter W = @@W@@,
  parameter BWB = @@BWB@@
) (
  input  wire           clk,
  input  wire           rst,
  input  wire [4*W-1:0] a_grp,
  input  wire [BWB-1:0] bw,
  input  wire           adv,
  input  wire           fv,
  output reg  [3:0]     bits,
  output reg            neg
);
  localparam [BWB-1:0] BW_MSB = @@BWB@@'d@@DTOP@@;
  wire [3:0] b_in;
  genvar p;
  generate
    for (p = 0; p < 4; p = p + 1) begin : g_op
      wire [W-1:0] a = a_grp[p*W +: W];
      assign b_in[p] = a[bw];
    end
  endgenerate
  always @(posedge clk) begin
    if (rst) bits <= 4'd0;
    else if (adv) bits <= fv ? b_in : 4'd0;
  end
  always @(posedge clk) if (adv && fv) neg <= bw == BW_MSB;
endmodule
)";

const char* kSoneff = R"(`timescale 1ns/1ps
// Bit-Pragmatic row encoder (pragmatic): on 'adv' it loads the magnitude bits and
// the sign of each of the 4 operands of the group (nothing when fv = 0). Every
// cycle each lane with bits left issues the position of its lowest one (v, e, n)
// and on 'step' drops it; 'last' says no lane has more than one bit left.
module @@P@@_soneff #(
  parameter W = @@W@@,
  parameter EB = @@EB@@
) (
  input  wire            clk,
  input  wire            rst,
  input  wire [4*W-1:0]  a_grp,
  input  wire            adv,
  input  wire            fv,
  input  wire            step,
  output wire [3:0]      v,
  output wire [4*EB-1:0] e,
  output wire [3:0]      n,
  output wire            last
);
  wire [3:0] lane_last;
  genvar p;
  generate
    for (p = 0; p < 4; p = p + 1) begin : g_op
      wire [W-1:0] a = a_grp[p*W +: W];
      wire [W-1:0] mag = a[W-1] ? (~a + 1'b1) : a;
      reg  [W-1:0] m;
      reg          sg;
      wire [W-1:0] rest = m & (m - 1'b1);
      wire [W-1:0] low = m & ~(m - 1'b1); // the lowest remaining bit, one-hot
      assign v[p] = |m;
      assign n[p] = sg;
      assign lane_last[p] = rest == {W{1'b0}};
@@EBITS@@      always @(posedge clk) begin
        if (rst) m <= {W{1'b0}};
        else if (adv) m <= fv ? mag : {W{1'b0}};
        else if (step) m <= rest;
      end
      always @(posedge clk) if (adv && fv) sg <= a[W-1];
    end
  endgenerate
  assign last = &lane_last;
endmodule
)";

const char* kPe = R"(`timescale 1ns/1ps
// Serial PE (@@KIND@@). @@PEDOC@@ After a fold's end the pair is read as zero at the next
// running cycle (clr), and on load_res its sum goes into the drain register,
// which otherwise takes the drain register above when dr_shift is set. The only
// carry-propagate add is the one from the registered pair into the drain
// register; all sums wrap modulo 2^A.
module @@P@@_pe #(
  parameter W = @@W@@,
  parameter A = @@A@@@@PEPARAM@@
) (
  input  wire           clk,
  input  wire           rst,
@@SELPORTS@@  input  wire [4*W-1:0] b_grp,    // the column's 4 operands of the group
  input  wire           run,      // the execute stage works this cycle
  input  wire           shift,    // last cycle of a pass that does not end the fold
  input  wire           clr,      // the pair holds the last fold's result: read it as 0
  input  wire           load_res, // the fold ended last cycle: drain register <= s + c
  input  wire           dr_shift,
  input  wire [A-1:0]   res_up,
  output reg  [A-1:0]   res
);
@@SELSRC@@  reg  [A-1:0] s, c;
  wire [A-1:0] s_in = clr ? {A{1'b0}} : s;
  wire [A-1:0] c_in = clr ? {A{1'b0}} : c;
@@TERMS@@  always @(posedge clk) begin
    if (rst) begin
      s <= {A{1'b0}};
      c <= {A{1'b0}};
    end else if (run) begin
      s <= @@SNEXT@@;
      c <= @@CNEXT@@;
    end
  end
  always @(posedge clk) begin
    if (load_res) res <= s + c;
    else if (dr_shift) res <= res_up;
  end
endmodule
)";

// opt4c: the row's encoder output comes in; opt3: the PE encodes the row's group.
const char* kSelPortsShared =
    R"(  input  wire [3:0]     sel,      // the row encoder's issued digit: one-hot position
  input  wire           neg,
  input  wire           dbl,
)";
const char* kSelPortsOwn = R"(  input  wire [4*W-1:0] a_grp,    // the row's west group (F stage)
  input  wire [BWB-1:0] f_bw,     // its bit weight
  input  wire           adv,
  input  wire           fv,
  input  wire           step,
  output wire           nz,       // this PE's encoder issues a digit
  output wire           last,     // ... and has at most one left
)";
const char* kPeDocEnt =
    R"(Each running cycle it adds the issued digit
// times the selected operand of its column group (+-b or +-2b, no multiplier)
// into the carry-save pair (s, c); the negation's +1 enters as the carry word's
// LSB. Passes run from the highest bit weight down (Horner): at the end of a
// pass that does not end the fold the pair is shifted left by 2 (the next
// weight is 4x less).)";
const char* kTermsEnt =
    R"(  wire [W-1:0] bsel = ({W{sel[0]}} & b_grp[0 +: W]) | ({W{sel[1]}} & b_grp[W +: W]) |
                      ({W{sel[2]}} & b_grp[2*W +: W]) | ({W{sel[3]}} & b_grp[3*W +: W]);
  wire [A-1:0] bx = {{(A-W){bsel[W-1]}}, bsel};
  wire [A-1:0] mag = dbl ? {bx[A-2:0], 1'b0} : bx;
  wire         any = |sel;
  wire [A-1:0] x = any ? (neg ? ~mag : mag) : {A{1'b0}};
  wire [A-1:0] s_n = s_in ^ c_in ^ x;
  wire [A-2:0] cm = (s_in[A-2:0] & c_in[A-2:0]) | (s_in[A-2:0] & x[A-2:0]) |
                    (c_in[A-2:0] & x[A-2:0]);
  wire [A-1:0] c_n = {cm, any & neg};
)";
const char* kPeDocBits =
    R"(Each running cycle the 4 lanes' bits at the pass's
// bit position gate the column's 4 operands; their sum (negated in the sign
// bit's pass, the +1s collected in a correction word) and the carry-save pair
// (s, c) go through a tree of 3:2 carry-save adders. Passes run from the MSB
// down (Horner): at the end of a pass that does not end the fold the pair is
// shifted left by 1.)";
const char* kTermsBits = R"(  wire [4*A-1:0] t;
  wire [2:0]     ncnt = neg ? ({2'b00, bits[0]} + {2'b00, bits[1]} + {2'b00, bits[2]} +
                               {2'b00, bits[3]}) : 3'd0;
  wire [A-1:0]   corr = {{(A-3){1'b0}}, ncnt};
  genvar p;
  generate
    for (p = 0; p < 4; p = p + 1) begin : g_lane
      wire [W-1:0] b = b_grp[p*W +: W];
      wire [A-1:0] bx = {{(A-W){b[W-1]}}, b};
      assign t[p*A +: A] = bits[p] ? (neg ? ~bx : bx) : {A{1'b0}};
    end
  endgenerate
)";
const char* kPeDocOneff =
    R"(Each running cycle every lane with a bit left adds its
// column operand shifted by the bit's position (negated for a negative operand,
// the +1s collected in a correction word); the 4 terms and the carry-save pair
// (s, c) go through a tree of 3:2 carry-save adders. One pass: the pair is never
// shifted.)";
const char* kTermsOneff = R"(  wire [4*A-1:0] t;
  wire [3:0]     nv = v & n;
  wire [2:0]     ncnt = {2'b00, nv[0]} + {2'b00, nv[1]} + {2'b00, nv[2]} + {2'b00, nv[3]};
  wire [A-1:0]   corr = {{(A-3){1'b0}}, ncnt};
  genvar p;
  generate
    for (p = 0; p < 4; p = p + 1) begin : g_lane
      wire [W-1:0] b = b_grp[p*W +: W];
      wire [A-1:0] bx = {{(A-W){b[W-1]}}, b};
      wire [A-1:0] sh = bx << e[p*EB +: EB];
      assign t[p*A +: A] = v[p] ? (n[p] ? ~sh : sh) : {A{1'b0}};
    end
  endgenerate
  // one pass: the pair is never shifted
  // verilator lint_off UNUSED
  wire _unused_shift = &{1'b0, shift, 1'b0};
  // verilator lint_on UNUSED
)";
const char* kSelPortsBits =
    R"(  input  wire [3:0]     bits,     // the row's 4 operand bits at the pass's position
  input  wire           neg,      // the pass is the sign bit's
)";
const char* kSelPortsOneff = R"(  input  wire [3:0]     v,        // lane issues a bit
  input  wire [4*EB-1:0] e,       // ... at this position
  input  wire [3:0]     n,        // ... of a negative operand
)";
const char* kSelSrcOwn = R"(  wire [3:0] sel;
  wire       neg, dbl;
  @@P@@_senc #(.W(W), .BWB(BWB)) u_senc (.clk(clk), .rst(rst), .a_grp(a_grp), .bw(f_bw),
    .adv(adv), .fv(fv), .step(step), .sel(sel), .neg(neg), .dbl(dbl), .nz(nz), .last(last));
)";

const char* kArray = R"(`timescale 1ns/1ps
// R x C array of sparsity-encoded PEs (@@KIND@@). Row i's digit stream@@ROWDOC@@
// reaches every PE of the row in the same cycle; column j's operand group reaches
// every PE of the column; control is broadcast. The drain registers form one
// shift chain per column; 'bottom' is the bottom row's.
module @@P@@_array #(
  parameter R = @@R@@,
  parameter C = @@C@@,
  parameter W = @@W@@,
  parameter A = @@A@@@@PEPARAM@@
) (
  input  wire             clk,
  input  wire             rst,
@@ROWPORTS@@  input  wire [C*4*W-1:0] col_b,
  input  wire             run,
  input  wire             shift,
  input  wire             clr,
  input  wire             load_res,
  input  wire             dr_shift,
  output wire [C*A-1:0]   bottom
);
  wire [(R+1)*C*A-1:0] res_v;
@@ROWWIRES@@  genvar i, j;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_top
      assign res_v[j*A +: A] = {A{1'b0}};
      assign bottom[j*A +: A] = res_v[(R*C+j)*A +: A];
    end
    for (i = 0; i < R; i = i + 1) begin : g_row
      for (j = 0; j < C; j = j + 1) begin : g_col
        @@P@@_pe #(.W(W), .A(A)@@PEPARAMCONN@@) pe (
          .clk(clk), .rst(rst),
@@PECONN@@          .b_grp(col_b[j*4*W +: 4*W]),
          .run(run), .shift(shift), .clr(clr), .load_res(load_res),
          .dr_shift(dr_shift),
          .res_up(res_v[(i*C+j)*A +: A]),
          .res(res_v[((i+1)*C+j)*A +: A])
        );
      end
@@ROWREDUCE@@    end
  endgenerate
endmodule
)";

const char* kRowPortsShared = R"(  input  wire [R*4-1:0]   row_sel,
  input  wire [R-1:0]     row_neg,
  input  wire [R-1:0]     row_dbl,
)";
const char* kPeConnShared =
    R"(          .sel(row_sel[i*4 +: 4]), .neg(row_neg[i]), .dbl(row_dbl[i]),
)";
const char* kRowPortsOwn = R"(  input  wire [R*4*W-1:0] row_a,
  input  wire [BWB-1:0]   f_bw,
  input  wire             adv,
  input  wire             fv,
  input  wire             step,
  output wire [R-1:0]     row_nz,   // the row issues a digit (its first PE's encoder)
  output wire [R-1:0]     row_last, // every PE of the row has at most one digit left
)";
const char* kRowPortsBits = R"(  input  wire [R*4-1:0]   row_bits,
  input  wire [R-1:0]     row_neg,
)";
const char* kPeConnBits = R"(          .bits(row_bits[i*4 +: 4]), .neg(row_neg[i]),
)";
const char* kRowPortsOneff = R"(  input  wire [R*4-1:0]   row_v,
  input  wire [R*4*EB-1:0] row_e,
  input  wire [R*4-1:0]   row_n,
)";
const char* kPeConnOneff =
    R"(          .v(row_v[i*4 +: 4]), .e(row_e[i*4*EB +: 4*EB]), .n(row_n[i*4 +: 4]),
)";
const char* kRowWiresOwn = R"(  wire [R*C-1:0] nz_v, last_v;
)";
const char* kPeConnOwn =
    R"(          .a_grp(row_a[i*4*W +: 4*W]), .f_bw(f_bw), .adv(adv), .fv(fv), .step(step),
          .nz(nz_v[i*C+j]), .last(last_v[i*C+j]),
)";
const char* kRowReduceOwn = R"(      assign row_nz[i] = nz_v[i*C];
      assign row_last[i] = &last_v[i*C +: C];
)";
const char* kRowNzUnusedOwn =
    R"(  // the other PEs' nz equal the first PE's (same operands): not read
  // verilator lint_off UNUSED
  wire _unused_nz = &{1'b0, nz_v, 1'b0};
  // verilator lint_on UNUSED
)";

const char* kCtrl = R"(`timescale 1ns/1ps
// Controller of the sparse array. Issue side: for each fold (mt, nt) and each
// bit weight bw, from the highest down, it reads the fold's G group words from both operand SRAMs
// (addresses mt*G + g and nt*G + g); a read is issued whenever the SRAM output
// registers (F) are empty or being taken (adv). F carries the flags of its word
// (bit weight, last group of the pass, last pass of the fold, last fold).
// Execute side (E): adv when E is empty or every row has at most one digit left,
// unless E ends a fold while the previous fold's drain still needs its registers
// (hold). Output side: the cycle after a fold end the PEs add their pairs into
// the drain registers (load_res), and an R-cycle drain writes the bottom row's
// drain registers to consecutive output words.
module @@P@@_ctrl #(
  parameter R = @@R@@,
  parameter BWB = @@BWB@@
) (
  input  wire           clk,
  input  wire           rst,
  input  wire           start,
  input  wire [31:0]    cfg_g,   // ceil(K / 4)
  input  wire [31:0]    cfg_mt,  // ceil(M / R)
  input  wire [31:0]    cfg_nt,  // ceil(N / C)
  output reg            busy,
  output reg            done,
  output wire           w_rd_en,
  output wire [31:0]    w_rd_addr,
  output wire           n_rd_en,
  output wire [31:0]    n_rd_addr,
  input  wire           all_last,
  output reg            fv,
  output reg  [BWB-1:0] f_bw,
  output wire           adv,
  output wire           run,
  output wire           step,
  output wire           shift,    // pass end that does not end the fold
  output reg            clr,      // the PEs' pair holds the last fold's result
  output reg            load_res, // a fold ended last cycle
  output wire           o_wr_en,
  output wire [31:0]    o_wr_addr
);
  reg        iss, f_glast, f_flast, f_final, e_valid, e_glast, e_flast, e_final;
  reg        dr_act, dr_final, fe_final;
  reg [31:0] g_r, nt_r, gcnt, ntc, mtc, waddr, wbase, naddr, nbase, dr_d, oaddr;
  reg [BWB-1:0] bwc;
  localparam [BWB-1:0] BW_TOP = @@BWB@@'d@@DTOP@@; // passes run from weight D-1 down to 0
  // a fold end loads the drain registers at the next edge: the previous drain
  // must then be idle or at its last write
  wire drain_busy_next;
  generate
    if (R == 1) begin : g_dr1
      assign drain_busy_next = 1'b0;
    end else if (R == 2) begin : g_dr2
      assign drain_busy_next = load_res;
    end else begin : g_drn
      assign drain_busy_next = load_res | (dr_act & (dr_d < R - 2));
    end
  endgenerate
  wire hold = e_valid & e_flast & all_last & drain_busy_next;
  assign adv = ~e_valid | (all_last & ~hold);
  assign run = e_valid & ~hold;
  assign step = run & ~adv;
  wire   pass_end = run & adv & e_glast;
  wire   fold_end = pass_end & e_flast;
  assign shift = pass_end & ~e_flast;
  wire rd_en = iss & (adv | ~fv);
  wire glast = gcnt == 1;
  wire blast = bwc == {BWB{1'b0}};
  wire finish = dr_act & (dr_d == R - 1) & dr_final;
  assign w_rd_en = rd_en;
  assign n_rd_en = rd_en;
  assign w_rd_addr = waddr;
  assign n_rd_addr = naddr;
  assign o_wr_en = dr_act;
  assign o_wr_addr = oaddr;
  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0; done <= 1'b0; iss <= 1'b0; fv <= 1'b0; f_bw <= {BWB{1'b0}};
      f_glast <= 1'b0; f_flast <= 1'b0; f_final <= 1'b0;
      e_valid <= 1'b0; e_glast <= 1'b0; e_flast <= 1'b0; e_final <= 1'b0;
      dr_act <= 1'b0; dr_final <= 1'b0; fe_final <= 1'b0; clr <= 1'b0; load_res <= 1'b0;
      bwc <= BW_TOP;
      g_r <= 0; nt_r <= 0; gcnt <= 0; ntc <= 0; mtc <= 0; waddr <= 0; wbase <= 0;
      naddr <= 0; nbase <= 0; dr_d <= 0; oaddr <= 0;
    end else begin
      done <= finish;
      if (finish) busy <= 1'b0;
      // output side: drain
      if (dr_act) begin
        oaddr <= oaddr + 1;
        if (dr_d == R - 1) dr_act <= 1'b0;
        else dr_d <= dr_d + 1;
      end
      if (load_res) begin
        dr_act <= 1'b1;
        dr_d <= 0;
        dr_final <= fe_final;
      end
      load_res <= fold_end;
      if (fold_end) fe_final <= e_final;
      if (fold_end) clr <= 1'b1;
      else if (run) clr <= 1'b0;
      // execute stage flags
      if (adv) begin
        e_valid <= fv;
        if (fv) begin
          e_glast <= f_glast; e_flast <= f_flast; e_final <= f_final;
        end
      end
      // issue side: F registers and address counters
      if (rd_en) begin
        fv <= 1'b1;
        f_bw <= bwc;
        f_glast <= glast;
        f_flast <= glast & blast;
        f_final <= glast & blast & (mtc == 1) & (ntc == 1);
        if (glast) begin
          gcnt <= g_r;
          if (blast) begin
            bwc <= BW_TOP;
            if (ntc == 1) begin
              ntc <= nt_r; nbase <= 0; naddr <= 0;
              wbase <= waddr + 1; waddr <= waddr + 1;
              if (mtc == 1) iss <= 1'b0;
              else mtc <= mtc - 1;
            end else begin
              ntc <= ntc - 1;
              nbase <= naddr + 1; naddr <= naddr + 1;
              waddr <= wbase;
            end
          end else begin
            bwc <= bwc - 1'b1;
            waddr <= wbase;
            naddr <= nbase;
          end
        end else begin
          gcnt <= gcnt - 1;
          waddr <= waddr + 1;
          naddr <= naddr + 1;
        end
      end else if (adv) begin
        fv <= 1'b0;
      end
      if (start && !busy) begin
        g_r <= cfg_g; nt_r <= cfg_nt;
        busy <= 1'b1; iss <= 1'b1;
        gcnt <= cfg_g; bwc <= BW_TOP; mtc <= cfg_mt; ntc <= cfg_nt;
        waddr <= 0; wbase <= 0; naddr <= 0; nbase <= 0; oaddr <= 0;
      end
    end
  end
endmodule
)";

const char* kTop = R"(`timescale 1ns/1ps
// @@DESC@@
// Top of the output-stationary array of sparsity-encoded PEs. Operand SRAM words
// hold a group of 4 consecutive K elements per row (west) or column (north), lane
// i*4 + p. SRAM ports follow a 1-cycle read latency (data on *_rd_data the cycle
// after *_rd_en). Pulse 'start' with the cfg_* words; 'done' pulses the cycle
// after the last output write. dig_valid (one bit per row, or per row and lane
// for bitserial/pragmatic) says the row's encoder issues a term (a nonzero EN-T
// digit or a bit) this cycle: a statistics port, summed over a run it is the
// number of terms processed.
module @@TOP@@ #(
  parameter R = @@R@@,
  parameter C = @@C@@,
  parameter W = @@W@@,
  parameter A = @@A@@,
  parameter BWB = @@BWB@@
) (
  input  wire             clk,
  input  wire             rst,
  input  wire             start,
  input  wire [31:0]      cfg_k,   // K groups: ceil(K / 4)
  input  wire [31:0]      cfg_mt,
  input  wire [31:0]      cfg_nt,
  output wire             busy,
  output wire             done,
  output wire             w_rd_en,
  output wire [31:0]      w_rd_addr,
  input  wire [R*4*W-1:0] w_rd_data,
  output wire             n_rd_en,
  output wire [31:0]      n_rd_addr,
  input  wire [C*4*W-1:0] n_rd_data,
  output wire             o_wr_en,
  output wire [31:0]      o_wr_addr,
  output wire [C*A-1:0]   o_wr_data,
  output wire [R*@@DV@@-1:0] dig_valid
);
  wire           all_last, fv, adv, run, step, shift, clr, load_res;
  wire [BWB-1:0] f_bw;
  wire [R*@@DV@@-1:0] row_nz;
  wire [R-1:0]   row_last;
  reg  [C*4*W-1:0] col_b; // the execute stage's column groups
  @@P@@_ctrl #(.R(R), .BWB(BWB)) u_ctrl (
    .clk(clk), .rst(rst), .start(start), .cfg_g(cfg_k), .cfg_mt(cfg_mt), .cfg_nt(cfg_nt),
    .busy(busy), .done(done), .w_rd_en(w_rd_en), .w_rd_addr(w_rd_addr),
    .n_rd_en(n_rd_en), .n_rd_addr(n_rd_addr), .all_last(all_last), .fv(fv), .f_bw(f_bw),
    .adv(adv), .run(run), .step(step), .shift(shift), .clr(clr), .load_res(load_res),
    .o_wr_en(o_wr_en), .o_wr_addr(o_wr_addr));
  always @(posedge clk) if (adv && fv) col_b <= n_rd_data;
  assign all_last = &row_last;
  assign dig_valid = run ? row_nz : {(R*@@DV@@){1'b0}};
@@ROWS@@  @@P@@_array #(.R(R), .C(C), .W(W), .A(A)@@TOPARRAYPARAM@@) u_array (
    .clk(clk), .rst(rst),
@@ARRAYROWCONN@@    .col_b(col_b), .run(run), .shift(shift), .clr(clr), .load_res(load_res),
    .dr_shift(o_wr_en), .bottom(o_wr_data));
endmodule
)";

// opt4c: one sparse encoder per row at the west edge.
const char* kRowsShared = R"(  wire [R*4-1:0] row_sel;
  wire [R-1:0]   row_neg, row_dbl;
  genvar i;
  generate
    for (i = 0; i < R; i = i + 1) begin : g_row_enc
      @@P@@_senc #(.W(W), .BWB(BWB)) u_enc (.clk(clk), .rst(rst),
        .a_grp(w_rd_data[i*4*W +: 4*W]), .bw(f_bw), .adv(adv), .fv(fv), .step(step),
        .sel(row_sel[i*4 +: 4]), .neg(row_neg[i]), .dbl(row_dbl[i]), .nz(row_nz[i]),
        .last(row_last[i]));
    end
  endgenerate
)";
const char* kRowsBits = R"(  wire [R*4-1:0] row_bits;
  wire [R-1:0]   row_neg;
  genvar i;
  generate
    for (i = 0; i < R; i = i + 1) begin : g_row_enc
      @@P@@_sbits #(.W(W), .BWB(BWB)) u_enc (.clk(clk), .rst(rst),
        .a_grp(w_rd_data[i*4*W +: 4*W]), .bw(f_bw), .adv(adv), .fv(fv),
        .bits(row_bits[i*4 +: 4]), .neg(row_neg[i]));
    end
  endgenerate
  assign row_nz = row_bits;
  assign row_last = {R{1'b1}}; // one cycle per group
  // the encoders never step
  // verilator lint_off UNUSED
  wire _unused_step = &{1'b0, step, 1'b0};
  // verilator lint_on UNUSED
)";
const char* kArrayConnBits = R"(    .row_bits(row_bits), .row_neg(row_neg),
)";
const char* kRowsOneff = R"(  wire [R*4-1:0] row_v, row_n;
  wire [R*4*@@EB@@-1:0] row_e;
  genvar i;
  generate
    for (i = 0; i < R; i = i + 1) begin : g_row_enc
      @@P@@_soneff #(.W(W), .EB(@@EB@@)) u_enc (.clk(clk), .rst(rst),
        .a_grp(w_rd_data[i*4*W +: 4*W]), .adv(adv), .fv(fv), .step(step),
        .v(row_v[i*4 +: 4]), .e(row_e[i*4*@@EB@@ +: 4*@@EB@@]), .n(row_n[i*4 +: 4]),
        .last(row_last[i]));
    end
  endgenerate
  assign row_nz = row_v;
  // one pass: the bit weight is always 0
  // verilator lint_off UNUSED
  wire _unused_bw = &{1'b0, f_bw, 1'b0};
  // verilator lint_on UNUSED
)";
const char* kArrayConnOneff = R"(    .row_v(row_v), .row_e(row_e), .row_n(row_n),
)";
const char* kArrayConnShared = R"(    .row_sel(row_sel), .row_neg(row_neg), .row_dbl(row_dbl),
)";
const char* kArrayConnOwn = R"(    .row_a(w_rd_data), .f_bw(f_bw), .adv(adv), .fv(fv), .step(step),
    .row_nz(row_nz), .row_last(row_last),
)";

int bw_bits(int passes) {
  int b = 1;
  while ((1 << b) < passes)
    ++b;
  return b;
}

} // namespace

namespace {

// Seven words (the pair, four lane terms, the correction) to the next pair
// through four levels of 3:2 carry-save adders.
std::string csa_tree_text() {
  auto csa = [](const std::string& x, const std::string& y, const std::string& z,
                const std::string& so, const std::string& co) {
    return "  wire [A-1:0] " + so + " = " + x + " ^ " + y + " ^ " + z + ";\n  wire [A-2:0] " + co +
           "_m = (" + x + "[A-2:0] & " + y + "[A-2:0]) | (" + x + "[A-2:0] & " + z +
           "[A-2:0]) | (" + y + "[A-2:0] & " + z + "[A-2:0]);\n  wire [A-1:0] " + co + " = {" + co +
           "_m, 1'b0};\n";
  };
  return "  wire [A-1:0] t0 = t[0 +: A], t1 = t[A +: A], t2 = t[2*A +: A], t3 = t[3*A +: A];\n" +
         csa("s_in", "c_in", "t0", "u0s", "u0c") + csa("t1", "t2", "t3", "u1s", "u1c") +
         csa("u0s", "u0c", "u1s", "v0s", "v0c") + csa("v0s", "v0c", "u1c", "w0s", "w0c") +
         csa("w0s", "w0c", "corr", "s_n", "c_n");
}

// e[p*EB + b] = OR of the one-hot lowest bit over the positions whose index has bit b.
std::string ebits_text(int W, int EB) {
  std::string t;
  for (int b = 0; b < EB; ++b) {
    std::string mask;
    for (int k = W - 1; k >= 0; --k)
      mask += ((k >> b) & 1) ? "1" : "0";
    t += "      assign e[p*EB + " + std::to_string(b) + "] = |(low & " + std::to_string(W) + "'b" +
         mask + ");\n";
  }
  return t;
}

} // namespace

std::string serial_encoder_module(const std::string& prefix, const std::string& pe, int W) {
  const SerialInfo si = serial_info(pe, W);
  const std::map<std::string, std::string> v = {{"P", prefix},
                                                {"W", std::to_string(W)},
                                                {"BWB", std::to_string(bw_bits(si.passes))},
                                                {"DTOP", std::to_string(si.passes - 1)},
                                                {"EB", std::to_string(bw_bits(W))},
                                                {"EBITS", ebits_text(W, bw_bits(W))}};
  switch (si.scheme) {
  case SerialScheme::EntDigits:
    return subst(kSenc, v);
  case SerialScheme::Bits:
    return subst(kSbits, v);
  case SerialScheme::Oneffsets:
    return subst(kSoneff, v);
  }
  return "";
}

GeneratedRtl generate_sparse_verilog(const ArchConfig& a, const std::string& regen) {
  const std::string p = "tpe_" + verilog_ident(a.name);
  const int W = a.operand_bits();
  const SerialInfo si = serial_info(a.pe, W);
  const bool ent = si.scheme == SerialScheme::EntDigits;
  const bool own = a.pe == "opt3"; // the encoder inside every PE
  const bool bits = si.scheme == SerialScheme::Bits;
  const int EB = bw_bits(W);
  const std::string kind = a.pe == "opt4c" ? "opt4c: digits from the row's shared encoder"
                           : own           ? "opt3: its own sparse encoder"
                           : bits          ? "bitserial: bits from the row's encoder"
                                           : "pragmatic: bit positions from the row's encoder";
  std::map<std::string, std::string> v = {
      {"P", p},
      {"TOP", p},
      {"R", std::to_string(a.rows)},
      {"C", std::to_string(a.cols)},
      {"W", std::to_string(W)},
      {"A", std::to_string(a.acc_bits)},
      {"BWB", std::to_string(bw_bits(si.passes))},
      {"DTOP", std::to_string(si.passes - 1)},
      {"EB", std::to_string(EB)},
      {"DV", ent ? "1" : "4"},
      {"KIND", kind},
      {"DESC", "Design '" + a.name + "': " + std::to_string(a.rows) + "x" + std::to_string(a.cols) +
                   " array of serial PEs (" + a.pe + "), output stationary, " + a.format +
                   " operands, " + std::to_string(a.acc_bits) + "-bit accumulators"},
  };
  GeneratedRtl g;
  g.top = p;
  const std::string banner = generated_banner("tpe serial engine '" + a.name + "'", regen);
  // structural pieces first (they hold tokens themselves), then the values
  std::map<std::string, std::string> all = v;
  const std::string shift2 = "shift ? {@@X@@_n[A-3:0], 2'b00} : @@X@@_n";
  const std::string shift1 = "shift ? {@@X@@_n[A-2:0], 1'b0} : @@X@@_n";
  const std::string snext = ent ? shift2 : bits ? shift1 : "@@X@@_n";
  all["SNEXT"] = subst(snext, {{"X", "s"}});
  all["CNEXT"] = subst(snext, {{"X", "c"}});
  all["PEDOC"] = ent ? kPeDocEnt : bits ? kPeDocBits : kPeDocOneff;
  all["TERMS"] =
      ent ? std::string(kTermsEnt) : std::string(bits ? kTermsBits : kTermsOneff) + csa_tree_text();
  all["SELPORTS"] = own    ? kSelPortsOwn
                    : ent  ? kSelPortsShared
                    : bits ? kSelPortsBits
                           : kSelPortsOneff;
  all["SELSRC"] = own ? kSelSrcOwn : "";
  all["ROWDOC"] = own ? " (its operand group)" : " (from its encoder)";
  all["ROWPORTS"] = own    ? kRowPortsOwn
                    : ent  ? kRowPortsShared
                    : bits ? kRowPortsBits
                           : kRowPortsOneff;
  all["ROWWIRES"] = own ? std::string(kRowWiresOwn) + kRowNzUnusedOwn : "";
  all["PECONN"] = own ? kPeConnOwn : ent ? kPeConnShared : bits ? kPeConnBits : kPeConnOneff;
  all["ROWREDUCE"] = own ? kRowReduceOwn : "";
  all["ROWS"] = own ? "" : ent ? kRowsShared : bits ? kRowsBits : kRowsOneff;
  all["PEPARAM"] = own                                    ? ",\n  parameter BWB = @@BWB@@"
                   : si.scheme == SerialScheme::Oneffsets ? ",\n  parameter EB = @@EB@@"
                                                          : "";
  all["PEPARAMCONN"] = own                                    ? ", .BWB(BWB)"
                       : si.scheme == SerialScheme::Oneffsets ? ", .EB(EB)"
                                                              : "";
  all["TOPARRAYPARAM"] = own                                    ? ", .BWB(BWB)"
                         : si.scheme == SerialScheme::Oneffsets ? ", .EB(@@EB@@)"
                                                                : "";
  all["ARRAYROWCONN"] = own    ? kArrayConnOwn
                        : ent  ? kArrayConnShared
                        : bits ? kArrayConnBits
                               : kArrayConnOneff;
  all["EBITS"] = ebits_text(W, EB);
  auto add = [&](const std::string& file, const std::string& text) {
    g.files[file] = banner + subst(subst(text, all), v);
    g.sources.push_back(file);
  };
  if (ent) {
    g.files[p + "_ent_enc.v"] = banner + ent_encoder_module(p, W);
    g.sources.push_back(p + "_ent_enc.v");
  }
  const std::string enc = p + (ent ? "_senc.v" : bits ? "_sbits.v" : "_soneff.v");
  g.files[enc] = banner + serial_encoder_module(p, a.pe, W);
  g.sources.push_back(enc);
  add(p + "_pe.v", kPe);
  add(p + "_array.v", kArray);
  add(p + "_ctrl.v", kCtrl);
  add(p + ".v", kTop);
  std::string fl;
  for (auto& s : g.sources)
    fl += s + "\n";
  g.files["filelist.f"] = fl;
  return g;
}

} // namespace tpe
