// Simulation top for the lockstep test: the floating-point PE (bitserial_pe_fp.sv) for E4M3 x E2M1
// terms and for float16 activations x int4 bit planes (A_IEEE, W_INT), each good and with FAULT 1,
// float16 x E2M3 (float6_e2m3fn) terms and float16 x a BitMoD codebook (bitmod_fp4_er_pos) with its
// FAULT 2, on the same inputs; `fault` picks whose outputs leave: 0 E4M3 x E2M1, 1 its FAULT 1,
// 2 float16 x int4, 3 its FAULT 1, 4 float16 x E2M3, 5 float16 x bitmod_fp4_er_pos, 6 its FAULT 2,
// 7 bfloat16 x int4 bit planes, 8 its FAULT 3 (no float32 overflow). Activation
// lanes are 16 bits wide (the E4M3 PEs read the low byte), weight lanes 8 (the low 4 or 6 bits).
module bitserial_pe_fp_faults #(
    parameter int LANES = 4,
    // Which PEs are built (the others' outputs read 0; every PE costs its evaluation each cycle, so
    // the two groups are two verilations of this top): 0 the minifloat and float16 PEs (fault 0..4),
    // 1 the codebook and bfloat16 PEs (fault 5..8).
    parameter int GROUP = 0
) (
    input  logic                           clk,
    input  logic                           rst_n,
    input  logic [3:0]                     fault,
    input  logic                           in_load,
    input  logic                           in_first,
    input  logic                           in_last,
    input  logic [$clog2(LANES + 1) - 1:0] in_count,
    input  logic [LANES * 16 - 1:0]        in_a,
    input  logic [LANES * 8 - 1:0]         in_w,
    input  logic                           in_has_c,
    input  logic [31:0]                    in_c,
    output logic                           out_ready,
    output logic                           out_valid,
    output logic [31:0]                    out_code,
    output logic [4:0]                     out_flags
);
  logic [8:0] ready, valid;
  logic [31:0] code[9];
  logic [4:0] flags[9];
  logic [LANES * 8 - 1:0] a8;
  logic [LANES * 4 - 1:0] w4;
  logic [LANES * 6 - 1:0] w6;
  always_comb
    for (int l = 0; l < LANES; l++) begin
      a8[l*8+:8] = in_a[l*16+:8];
      w4[l*4+:4] = in_w[l*8+:4];
      w6[l*6+:6] = in_w[l*8+:6];
    end
  logic unused_in;
  assign unused_in = ^{a8, w6};
  if (GROUP != 0) begin : g_no_g0
    for (genvar i = 0; i < 5; i++) begin : g_off
      assign ready[i] = 1'b0;
      assign valid[i] = 1'b0;
      assign code[i] = '0;
      assign flags[i] = '0;
    end
  end else begin : g_g0
  for (genvar f = 0; f < 2; f++) begin : g_pe
    bitserial_pe_fp #(.LANES(LANES), .FAULT(f)) u_pe (
        .clk, .rst_n, .in_load, .in_first, .in_last, .in_count, .in_a(a8), .in_w(w4), .in_has_c, .in_c,
        .out_ready(ready[f]), .out_valid(valid[f]), .out_code(code[f]), .out_flags(flags[f])
    );
    bitserial_pe_fp #(.LANES(LANES), .A_E(5), .A_M(10), .A_BIAS(15), .A_IEEE(1), .W_E(2), .W_M(1), .W_INT(1),
                      .ACC_W(64), .FAULT(f)) u_pe16 (
        .clk, .rst_n, .in_load, .in_first, .in_last, .in_count, .in_a, .in_w(w4), .in_has_c, .in_c,
        .out_ready(ready[2+f]), .out_valid(valid[2+f]), .out_code(code[2+f]), .out_flags(flags[2+f])
    );
  end
  bitserial_pe_fp #(.LANES(LANES), .A_E(5), .A_M(10), .A_BIAS(15), .A_IEEE(1), .W_E(2), .W_M(3), .W_BIAS(1),
                    .ACC_W(64)) u_pe16_e2m3 (
      .clk, .rst_n, .in_load, .in_first, .in_last, .in_count, .in_a, .in_w(w6), .in_has_c, .in_c,
      .out_ready(ready[4]), .out_valid(valid[4]), .out_code(code[4]), .out_flags(flags[4])
  );
  end
  if (GROUP != 1) begin : g_no_g1
    for (genvar i = 5; i < 9; i++) begin : g_off
      assign ready[i] = 1'b0;
      assign valid[i] = 1'b0;
      assign code[i] = '0;
      assign flags[i] = '0;
    end
  end else begin : g_g1
  // float16 x bitmod_fp4_er_pos (BitMoD FP4 with the extra value 10 in the -0 code: {0, 1, 2, 3,
  // 4, 6, 8, 12, 10, -1, -2, -3, -4, -6, -8, -12}, 2 terms per weight) and its FAULT 2.
  localparam logic [127:0] BITMOD_FP4_ER_POS = 128'h8C888684_8382810A_0C080604_03020100;
  for (genvar f = 0; f < 2; f++) begin : g_bitmod
    bitserial_pe_fp #(.LANES(LANES), .A_E(5), .A_M(10), .A_BIAS(15), .A_IEEE(1), .W_E(2), .W_M(1), .W_TAB_N(4),
                      .W_TAB(BITMOD_FP4_ER_POS), .W_TAB_LSB(0), .W_TERMS(2), .ACC_W(64), .FAULT(2 * f)) u_pe (
        .clk, .rst_n, .in_load, .in_first, .in_last, .in_count, .in_a, .in_w(w4), .in_has_c, .in_c,
        .out_ready(ready[5+f]), .out_valid(valid[5+f]), .out_code(code[5+f]), .out_flags(flags[5+f])
    );
  end
  // bfloat16 x int4 bit planes: a 270-bit group register and a 288-bit accumulator (LSB 2^-133),
  // float32 out with subnormal results and overflow to inf; and its FAULT 3 (no overflow detection).
  for (genvar f = 0; f < 2; f++) begin : g_bf16
    bitserial_pe_fp #(.LANES(LANES), .A_E(8), .A_M(7), .A_BIAS(127), .A_IEEE(1), .W_E(2), .W_M(1), .W_INT(1),
                      .ACC_W(288), .FAULT(3 * f)) u_pe (
        .clk, .rst_n, .in_load, .in_first, .in_last, .in_count, .in_a, .in_w(w4), .in_has_c, .in_c,
        .out_ready(ready[7+f]), .out_valid(valid[7+f]), .out_code(code[7+f]), .out_flags(flags[7+f])
    );
  end
  end
  wire [3:0] s = fault > 4'd8 ? 4'd0 : fault;
  assign out_ready = ready[s];
  assign out_valid = valid[s];
  assign out_code = code[s];
  assign out_flags = flags[s];
endmodule
