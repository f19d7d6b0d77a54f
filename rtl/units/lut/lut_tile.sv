// The LUT Tensor Core tile (hwmodel/lut/tile.hpp, LutTile::step) in RTL: INT8 tables with a
// per-table power-of-two scale or FP16 tables (TABLE), a 32-bit wrapping accumulator per unit
// (m, n) (integer activations) or a float32 / float16 one (ACCUM 1 / 2: every add rounded once,
// RNE), one weight bit-plane per valid cycle. Numerics are hwmodel/README.md "LUT tile numerics", NOT the published
// RTL's (hardware.md §1.4: it adds b to an FP16 exponent field and leaves the offset and halving of
// the weight reinterpretation to the caller):
//   plane 0:   acc = z * T_ones + c_0       (z = 2^B - 1 unsigned, -1 signed, 0 odd)
//   plane b:   acc = acc + c_b,             c_b = (+-T[idx]) * 2^b exactly (T[i] = t_i * 2^e or fp16)
//   output:    result = psum + (acc >>> 1)  (odd: psum + acc); chain: psum = the previous result
// all modulo 2^32. Timing as the model (rtl/sim/lockstep.hpp's convention: outputs read before the
// edge): the result of an operation whose last plane enters in cycle t is on `result` with
// `out_valid` in cycle t + PIPELINE (the accumulators after edge t, PIPELINE - 1 registers after).
//
// Structure as the published tile: M table register rows (latched on plane 0, bypassed in that
// cycle), per unit a 2^(K-1):1 mux, a sign flip and a bit-significance shift, an accumulator; the
// output stage (psum add, halving) and PIPELINE - 1 registers after it.
//
// cfg_w_bits / cfg_weight are quasi-static configuration inputs (one verilation serves W1..W4 and
// every weight mapping; synthesis ties them). FAULT != 0 builds a deliberately wrong tile, for the
// tests that prove the lockstep check catches it:
//   1: negation as ones' complement (~v, the classic sign-flip bug)
//   2: wrong plane weight: the bit-significance shift saturates at 2 (plane 3 weighs 4, not 8)
//   3: no reinterpretation offset (as the published RTL: left to the caller)
//   4: (float accumulators) the adders drop the alignment's sticky bit (lut_fp32_add FAULT 1)
module lut_tile #(
    parameter int M = 2,
    parameter int N = 64,
    parameter int K = 4,
    parameter int W_MAX = 4,     // largest cfg_w_bits
    parameter int PIPELINE = 2,  // cycles from the last plane to the result (>= 1)
    parameter int SW = 8,        // width of the signed per-table scale exponent e (>= 6)
    parameter int TABLE = 0,     // LutTable: 0 int8 codes with a 2^e scale per table, 1 float16 codes
    parameter int ACCUM = 0,     // 0 int32 (wrapping), 1 float32, 2 float16 (every add rounded once, RNE)
    parameter int FAULT = 0,
    localparam int E = 1 << (K - 1),
    localparam int TW = TABLE == 0 ? 8 : 16  // table code width
) (
    input  logic                         clk,
    input  logic                         rst_n,
    input  logic [2:0]                   cfg_w_bits,  // B, 1..W_MAX
    input  logic [1:0]                   cfg_weight,  // LutWeight: 0 unsigned, 1 signed, 2 odd
    input  logic                         in_valid,    // a bit-plane enters this cycle
    input  logic [M*E*TW-1:0]            tab,         // plane 0: the tables' codes, [m][i] at (m*E + i)*TW
    input  logic [M*SW-1:0]              tab_scale,   // plane 0: per table e (TABLE 0: T[i] = t_i * 2^e), [m] at m*SW
    input  logic [N*K-1:0]               plane,       // stored patterns [n] at n*K: bit 0 negate, K-1..1 index
    input  logic                         psum_en,     // plane 0: add psum at the output stage
    input  logic                         chain,       // plane 0: add the previous result instead
    input  logic [M*N*32-1:0]            psum,        // plane 0: the addend, [m][n] at (m*N + n)*32 (float16: the low half)
    output logic                         out_valid,
    output logic [M*N*32-1:0]            result,      // [m][n] at (m*N + n)*32 (float16: the low half, the high half 0)
    output logic [7:0]                   out_flags    // the operation's flags (emu/env.hpp bits); int32: none
);
  localparam int PW = $clog2(W_MAX + 1);

  // ---- plane sequencing: counts valid planes (an operation is B valid cycles, not necessarily
  // consecutive, as LutTile::step) ----
  logic [PW-1:0] pl;
  wire           first = (pl == '0);
  wire           last = (pl == PW'(cfg_w_bits - 3'd1));
  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) pl <= '0;
    else if (in_valid) pl <= last ? '0 : pl + 1'b1;

  // ---- table registers (one row per activation row), latched on plane 0 ----
  logic [M*E*TW-1:0] tab_q;
  logic [M*SW-1:0]   scale_q;
  logic                     psum_en_q, chain_q;
  logic [M*N*32-1:0] psum_q;
  always_ff @(posedge clk)
    if (in_valid && first) begin
      tab_q <= tab;
      scale_q <= tab_scale;
      psum_en_q <= psum_en;
      chain_q <= chain;
      psum_q <= psum;
    end
  wire [M*E*TW-1:0] tab_c = first ? tab : tab_q;
  wire [M*SW-1:0] scale_c = first ? tab_scale : scale_q;

  // +-T[i] * 2^b modulo 2^32, formed on the magnitude (a right shift for a negative exponent
  // truncates the magnitude, as the model's int_value; integer activations never need it).
  // TABLE 0: T[i] = t_i * 2^e, t_i the int8 code (0x80 is a NaN table and reads 0). TABLE 1: the
  // float16 code's significand and exponent (inf / NaN read 0, as int_value).
  function automatic logic [31:0] scaled(input logic [15:0] code, input logic [SW-1:0] e,
                                         input logic [PW-1:0] b, input logic negate);
    logic [10:0] mag;
    logic signed [SW+1:0] ex, sh;
    logic [31:0] v;
    logic s;
    if (TABLE == 0) begin
      s = code[7];
      mag = {3'b0, code[7] ? 8'(-code[7:0]) : code[7:0]};
      if (code[7:0] == 8'h80) mag = '0;
      ex = {{2{e[SW-1]}}, e};
    end else begin
      s = code[15];
      mag = {code[14:10] != 5'd0, code[9:0]};
      if (code[14:10] == 5'h1f) mag = '0;
      ex = {{(SW - 3){1'b0}}, code[14:10] == 5'd0 ? 5'd1 : code[14:10]} - (SW + 2)'(25);
    end
    sh = ex + {{(SW - PW + 2){1'b0}}, b};
    if (sh[SW+1]) v = {21'b0, mag} >> (-sh);
    else v = {21'b0, mag} << sh;
    if (s ^ negate) v = (FAULT == 1) ? ~v : 32'(-v);
    scaled = v;
  endfunction

  // Unpacked operands of lut_fp32_add, {cls[1:0], s, e[9:0], m[23:0]}: (-1)^s * m * 2^e; cls 0 zero,
  // 1 finite, 2 inf, 3 NaN. A table entry times 2^b, negated when the pattern says so:
  function automatic logic [36:0] unpack_entry(input logic [15:0] code, input logic [SW-1:0] e,
                                               input logic [PW-1:0] b, input logic negate);
    logic [1:0] cls;
    logic s;
    logic signed [9:0] ex;
    logic [23:0] m;
    if (TABLE == 0) begin  // t * 2^e; the code 0x80 is a NaN table
      s = code[7] ^ negate;
      m = {16'd0, code[7] ? 8'(-code[7:0]) : code[7:0]};
      cls = code[7:0] == 8'h80 ? 2'd3 : code[7:0] == 8'd0 ? 2'd0 : 2'd1;
      ex = 10'({{(10 - SW){e[SW-1]}}, e});
    end else begin
      s = code[15] ^ negate;
      m = {13'd0, code[14:10] != 5'd0, code[9:0]};
      cls = code[14:10] == 5'h1f ? (code[9:0] != 10'd0 ? 2'd3 : 2'd2) : (code[14:0] == 15'd0 ? 2'd0 : 2'd1);
      ex = {5'd0, code[14:10] == 5'd0 ? 5'd1 : code[14:10]} - 10'sd25;
    end
    unpack_entry = {cls, s, ex + {{(10 - PW){1'b0}}, b}, m};
  endfunction
  // An accumulator code: float32 (ACCUM 1) or float16 in the low half (ACCUM 2).
  function automatic logic [36:0] unpack_acc(input logic [31:0] c);
    logic [1:0] cls;
    if (ACCUM == 2) begin
      cls = c[14:10] == 5'h1f ? (c[9:0] != 10'd0 ? 2'd3 : 2'd2) : (c[14:0] == 15'd0 ? 2'd0 : 2'd1);
      unpack_acc = {cls, c[15], {5'd0, c[14:10] == 5'd0 ? 5'd1 : c[14:10]} - 10'sd25, 13'd0, c[14:10] != 5'd0, c[9:0]};
    end else begin
      cls = c[30:23] == 8'hff ? (c[22:0] != 23'd0 ? 2'd3 : 2'd2) : (c[30:0] == 31'd0 ? 2'd0 : 2'd1);
      unpack_acc = {cls, c[31], {2'd0, c[30:23] == 8'd0 ? 8'd1 : c[30:23]} - 10'sd150, c[30:23] != 8'd0, c[22:0]};
    end
  endfunction

  // ---- units: mux, sign flip, shift, accumulate ----
  logic [M*N*32-1:0] acc;
  logic [PW-1:0] pl_w;         // the plane's significance
  always_comb begin
    pl_w = pl;
    if (FAULT == 2 && pl > PW'(2)) pl_w = PW'(2);
  end

  // ---- output stage (psum + h * acc, combinational from the accumulators in the cycle after
  // the last plane) and PIPELINE - 1 registers ----
  logic              done;    // acc holds a finished operation
  logic [M*N*32-1:0] last_q;  // the latest result (chain)
  logic [M*N*32-1:0] res_c;
  logic [7:0]        res_f;   // the operation's flags
  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) done <= 1'b0;
    else done <= in_valid && last;

  generate
    if (ACCUM == 0) begin : g_int
      logic [M*32-1:0] offset;     // z * T_ones, added on plane 0
      logic [M*32-1:0] t1;         // T_ones = T[2^(K-1) - 1], the all-(+1) entry
      always_comb
        for (int m = 0; m < M; m++) begin
          t1[m*32+:32] = scaled(16'(tab_c[(m*E+E-1)*TW+:TW]), scale_c[m*SW+:SW], '0, 1'b0);
          case (cfg_weight)
            2'd0: offset[m*32+:32] = (t1[m*32+:32] << cfg_w_bits) - t1[m*32+:32];  // z = 2^B - 1
            2'd1: offset[m*32+:32] = 32'(-t1[m*32+:32]);                           // z = -1
            default: offset[m*32+:32] = '0;                                        // odd: no offset
          endcase
          if (FAULT == 3) offset[m*32+:32] = '0;
        end
      always_ff @(posedge clk)
        if (in_valid)
          for (int m = 0; m < M; m++)
            for (int n = 0; n < N; n++)
              acc[(m*N+n)*32+:32] <= (first ? offset[m*32+:32] : acc[(m*N+n)*32+:32]) +
                  scaled(16'(tab_c[(m*E+32'(plane[n*K+1+:K-1]))*TW+:TW]), scale_c[m*SW+:SW], pl_w, plane[n*K]);
      always_comb
        for (int i = 0; i < M * N; i++)
          res_c[i*32+:32] = (chain_q ? last_q[i*32+:32] : psum_en_q ? psum_q[i*32+:32] : 32'd0) +
              (cfg_weight == 2'd2 ? acc[i*32+:32] : {acc[i*32+31], acc[i*32+1+:31]});
      assign res_f = '0;
    end else begin : g_fp
      // Unpacked operands for lut_fp32_add: {cls, s, e, m}, value (-1)^s * m * 2^e.
      localparam int EB = ACCUM == 2 ? 5 : 8, MB = ACCUM == 2 ? 10 : 23, AW = 1 + EB + MB;
      localparam logic [36:0] NEG_ZERO = {2'd0, 1'b1, 10'd0, 24'd0};  // the identity: round(y) = -0 + y
      logic [M*37-1:0] off;        // z * T_ones (z = 0: -0)
      logic [7:0] flags_q;         // the running operation's flags
      logic [M*N*8-1:0] pf, of;    // per unit: the plane add's and the output add's flags
      logic [M*N*32-1:0] acc_n;
      logic [7:0] pf_or, of_or;
      always_comb
        for (int m = 0; m < M; m++) begin
          logic [36:0] t;
          t = unpack_entry(16'(tab_c[(m*E+E-1)*TW+:TW]), scale_c[m*SW+:SW], '0, cfg_weight == 2'd1);
          if (cfg_weight == 2'd0) t[23:0] = (t[23:0] << cfg_w_bits) - t[23:0];  // z = 2^B - 1
          off[m*37+:37] = (cfg_weight == 2'd2 || FAULT == 3) ? NEG_ZERO : t;
        end
      for (genvar m = 0; m < M; m++) begin : g_row
        for (genvar n = 0; n < N; n++) begin : g_unit
          localparam int U = m * N + n;
          wire [36:0] px = first ? off[m*37+:37] : unpack_acc(acc[U*32+:32]);
          wire [36:0] py = unpack_entry(16'(tab_c[(m*E+32'(plane[n*K+1+:K-1]))*TW+:TW]), scale_c[m*SW+:SW],
                                        pl_w, plane[n*K]);
          wire [36:0] ox = chain_q ? unpack_acc(last_q[U*32+:32]) : psum_en_q ? unpack_acc(psum_q[U*32+:32]) : NEG_ZERO;
          wire [36:0] oa = unpack_acc(acc[U*32+:32]);
          // h = 1/2 (unsigned, signed): one binade down, exact (the adder takes e below fp32's range)
          wire [36:0] oy = (cfg_weight != 2'd2 && oa[36:35] == 2'd1) ? {oa[36:34], oa[33:24] - 10'd1, oa[23:0]} : oa;
          wire [AW-1:0] plane_code, out_code;
          assign acc_n[U*32+:32] = 32'(plane_code);
          assign res_c[U*32+:32] = 32'(out_code);
          lut_fp32_add #(.EB(EB), .MB(MB), .FAULT(FAULT == 4 ? 1 : 0)) u_plane (.x_cls(px[36:35]), .x_s(px[34]), .x_e(px[33:24]), .x_m(px[23:0]),
                                .y_cls(py[36:35]), .y_s(py[34]), .y_e(py[33:24]), .y_m(py[23:0]),
                                .code(plane_code), .flags(pf[U*8+:8]));
          lut_fp32_add #(.EB(EB), .MB(MB), .FAULT(FAULT == 4 ? 1 : 0)) u_out (.x_cls(ox[36:35]), .x_s(ox[34]), .x_e(ox[33:24]), .x_m(ox[23:0]),
                              .y_cls(oy[36:35]), .y_s(oy[34]), .y_e(oy[33:24]), .y_m(oy[23:0]),
                              .code(out_code), .flags(of[U*8+:8]));
        end
      end
      always_comb begin
        pf_or = '0;
        of_or = '0;
        for (int i = 0; i < M * N; i++) begin
          pf_or = pf_or | pf[i*8+:8];
          of_or = of_or | of[i*8+:8];
        end
      end
      always_ff @(posedge clk)
        if (in_valid) begin
          acc <= acc_n;
          flags_q <= (first ? 8'd0 : flags_q) | pf_or;
        end
      assign res_f = flags_q | of_or;
    end
  endgenerate

  always_ff @(posedge clk)
    if (done) last_q <= res_c;
  generate
    if (PIPELINE == 1) begin : g_comb
      assign out_valid = done;
      assign result = res_c;
      assign out_flags = res_f;
    end else begin : g_regs
      logic [PIPELINE-2:0] sv;
      logic [M*N*32-1:0]   sd [PIPELINE-1];
      logic [7:0]          sf [PIPELINE-1];
      always_ff @(posedge clk or negedge rst_n)
        if (!rst_n) sv <= '0;
        else sv <= (PIPELINE - 1)'({sv, done});
      always_ff @(posedge clk) begin
        if (done) begin
          sd[0] <= res_c;
          sf[0] <= res_f;
        end
        for (int i = 1; i < PIPELINE - 1; i++) begin
          sd[i] <= sd[i-1];
          sf[i] <= sf[i-1];
        end
      end
      assign out_valid = sv[PIPELINE-2];
      assign result = sd[PIPELINE-2];
      assign out_flags = sf[PIPELINE-2];
    end
  endgenerate
endmodule
