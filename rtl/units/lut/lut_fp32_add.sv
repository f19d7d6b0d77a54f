// x + y formed exactly, then ONE rounding to a binary float with EB exponent and MB mantissa bits
// (float32 by default; EB 5 / MB 10 is float16), RNE, subnormals kept: the LUT tile's float
// accumulation step (hwmodel/README.md "LUT tile numerics" 4-5, the model's round_sum). Operands
// arrive unpacked, value = (-1)^s * m * 2^e with m < 2^24 (an fp32 or fp16 code, a table entry
// times 2^b, the offset z * T_ones, the accumulator halved one binade below its format's range):
// cls 0 zero, 1 finite, 2 inf, 3 NaN. IEEE specials: NaN in -> the default NaN (0x7FC00000,
// 0x7E00); inf - inf -> NaN + invalid; an exact zero sum of non-zero terms is +0; (-0) + (-0) = -0
// (so -0 is the identity: round(y) = -0 + y). Flags (emu/env.hpp bits): inexact 1, underflow 2
// (tiny after rounding and inexact), overflow 4, invalid 16.
// FAULT 1: the alignment drops the sticky bit of the smaller operand's shifted-out bits (a wrong
// tie break and a missing inexact flag when they were not all zero).
module lut_fp32_add #(
    parameter int EB = 8,
    parameter int MB = 23,
    parameter int FAULT = 0
) (
    input  logic [1:0]        x_cls,
    input  logic              x_s,
    input  logic signed [9:0] x_e,
    input  logic [23:0]       x_m,
    input  logic [1:0]        y_cls,
    input  logic              y_s,
    input  logic signed [9:0] y_e,
    input  logic [23:0]       y_m,
    output logic [EB+MB:0]    code,
    output logic [7:0]        flags
);
  localparam int BIAS = (1 << (EB - 1)) - 1;
  localparam int EMIN = 1 - BIAS;  // the exponent of the smallest normal
  localparam logic [EB+MB:0] QNAN = {1'b0, {EB{1'b1}}, 1'b1, {(MB - 1){1'b0}}};
  localparam logic [EB+MB-1:0] INF = {{EB{1'b1}}, {MB{1'b0}}};

  // Normalize a finite operand to a 24-bit significand with its leading one at bit 23.
  function automatic logic [33:0] norm(input logic signed [9:0] e, input logic [23:0] m);
    logic [4:0] lz;
    lz = 5'd0;
    for (int i = 0; i < 24; i++)
      if (m[i]) lz = 5'(23 - i);
    norm = {e - 10'(lz), m << lz};
  endfunction

  logic signed [9:0] xe, ye, be, se;
  logic [23:0] xm, ym, bm, sm;
  logic bs, ss, x_big, sub, tiny, g, st, inc;
  logic [10:0] d;
  logic [27:0] bw, sw, r, rn;  // 24-bit significand + guard, round, sticky; bit 27 the carry
  logic [4:0] q;
  logic signed [10:0] er, bexp;
  logic [MB-1:0] kept;  // the stored mantissa bits (the implicit bit dropped)
  logic [EB+MB-1:0] mag;
  logic [10:0] sh;
  logic [27:0] rs;  // bits 27..26 stay 0 (a right shift of rn, whose bit 27 is 0, by >= 1)
  logic [1:0]  unused_rs;
  assign unused_rs = rs[27:26];

  always_comb begin
    code = QNAN;
    flags = 8'd0;
    sh = '0;
    rs = '0;
    mag = '0;
    {xe, xm} = norm(x_e, x_m);
    {ye, ym} = norm(y_e, y_m);
    // big = the operand of larger magnitude (a zero is never big unless both are zero)
    x_big = (y_cls == 2'd0) || (x_cls == 2'd1 && (xe > ye || (xe == ye && xm >= ym)));
    {bs, be, bm} = x_big ? {x_s, xe, xm} : {y_s, ye, ym};
    {ss, se, sm} = x_big ? {y_s, ye, (y_cls == 2'd0) ? 24'd0 : ym} : {x_s, xe, (x_cls == 2'd0) ? 24'd0 : xm};
    d = 11'(be) - 11'(se);
    if (x_big && y_cls == 2'd0) d = '0;
    if (!x_big && x_cls == 2'd0) d = '0;
    bw = {1'b0, bm, 3'b000};
    if (d >= 11'd27) sw = {27'd0, FAULT != 1 && |sm};
    else begin
      sw = {1'b0, sm, 3'b000} >> d;
      if (FAULT != 1) sw[0] = sw[0] | |(({1'b0, sm, 3'b000} << (11'd28 - d)) & 28'hfffffff);
    end
    sub = bs ^ ss;
    r = sub ? bw - sw : bw + sw;
    q = 5'd0;
    for (int i = 0; i < 28; i++)
      if (r[i]) q = 5'(i);
    // rn: leading one at bit 26; value = rn * 2^er
    if (q == 5'd27) begin
      rn = {1'b0, r[27:2], r[1] | r[0]};
      er = 11'(be) - 11'sd3 + 11'sd1;
    end else begin
      rn = r << (5'd26 - q);  // q <= 26 here
      er = 11'(be) - 11'sd3 - {6'd0, 5'd26 - q};
    end
    tiny = 1'b0;
    bexp = er + 11'sd26 + 11'(BIAS);
    if (er + 11'sd26 >= 11'(EMIN)) begin
      kept = rn[25-:MB];
      g = rn[25-MB];
      st = |rn[24-MB:0];
    end else begin  // subnormal: the LSB is 2^(EMIN - MB)
      sh = 11'(11'(EMIN) - 11'sd26 - er);
      // tiny after rounding: not when the value rounds up to 2^EMIN at unbounded exponent range
      tiny = !(er + 11'sd26 == 11'(EMIN - 1) && &rn[26-:MB+1] && rn[25-MB]);
      if (sh >= 11'd28) begin
        rs = {27'd0, |rn};
      end else begin
        rs = rn >> sh;
        rs[0] = rs[0] | |((rn << (11'd28 - sh)) & 28'hfffffff);
      end
      bexp = '0;
      kept = rs[25-:MB];
      g = rs[25-MB];
      st = |rs[24-MB:0];
    end
    inc = g & (st | kept[0]);
    if (x_cls == 2'd3 || y_cls == 2'd3) begin
      code = QNAN;
    end else if (x_cls == 2'd2 || y_cls == 2'd2) begin
      if (x_cls == 2'd2 && y_cls == 2'd2 && x_s != y_s) begin
        code = QNAN;
        flags = 8'd16;
      end else begin
        code = {x_cls == 2'd2 ? x_s : y_s, INF};
      end
    end else if (x_cls == 2'd0 && y_cls == 2'd0) begin
      code = {x_s & y_s, {(EB + MB){1'b0}}};
    end else if (r == 28'd0) begin
      code = '0;  // an exact zero sum: +0 under RNE
    end else if (bexp >= 11'((1 << EB) - 1)) begin
      code = {bs, INF};
      flags = 8'd5;  // overflow, inexact
    end else begin
      mag = {bexp[EB-1:0], kept} + {{(EB + MB - 1){1'b0}}, inc};
      code = {bs, mag};
      if (mag[EB+MB-1-:EB] == '1) flags = 8'd5;
      else if (g | st) flags = tiny ? 8'd3 : 8'd1;
    end
  end
endmodule
