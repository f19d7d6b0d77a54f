// Simulation top for the lockstep test (tests/rtl/test_lockstep_bitserial.cpp): for both encodings
// (bit planes, Booth) the good PE, its three deliberately wrong variants (bitserial_pe.sv FAULT
// 1..3) and the good PE under the other overflow policies (OVERFLOW 1 saturate, 2 wrap) side by side
// on the same inputs; `enc`, `fault` and `ovf` pick whose outputs leave (fault 0, ovf 0: the good
// one under the default policy; ovf 1 / 2 with fault 0). One verilated model then serves both encodings, the lockstep checks and the proof that
// the harness catches each fault.
module bitserial_pe_faults #(
    parameter int LANES = 4,
    parameter int A_W = 8,
    parameter int W_W = 4,
    parameter bit W_SIGNED = 1'b1,
    parameter int OUT_W = 32,
    parameter int ACC_W = 48
) (
    input  logic                           clk,
    input  logic                           rst_n,
    input  logic                           enc,
    input  logic [1:0]                     fault,
    input  logic [1:0]                     ovf,
    input  logic                           in_load,
    input  logic                           in_first,
    input  logic                           in_last,
    input  logic [$clog2(LANES + 1) - 1:0] in_count,
    input  logic [LANES * A_W - 1:0]       in_a,
    input  logic [LANES * W_W - 1:0]       in_w,
    input  logic                           in_has_c,
    input  logic [OUT_W - 1:0]             in_c,
    output logic                           out_ready,
    output logic                           out_valid,
    output logic [OUT_W - 1:0]             out_code,
    output logic [4:0]                     out_flags
);
  // Index 4*enc + fault: the FAULT variants; 8 + 2*enc + ovf - 1: the OVERFLOW variants.
  logic [11:0] ready, valid;
  logic [OUT_W - 1:0] code[12];
  logic [4:0] flags[12];
  for (genvar e = 0; e < 2; e++) begin : g_enc
    for (genvar f = 0; f < 4; f++) begin : g_pe
      bitserial_pe #(
          .LANES(LANES), .A_W(A_W), .W_W(W_W), .W_SIGNED(W_SIGNED), .ENC(e), .OUT_W(OUT_W),
          .ACC_W(ACC_W), .OVERFLOW(0), .FAULT(f)
      ) u_pe (
          .clk, .rst_n, .in_load, .in_first, .in_last, .in_count, .in_a, .in_w, .in_has_c, .in_c,
          .out_ready(ready[4*e+f]), .out_valid(valid[4*e+f]), .out_code(code[4*e+f]), .out_flags(flags[4*e+f])
      );
    end
    for (genvar o = 1; o < 3; o++) begin : g_ovf
      bitserial_pe #(
          .LANES(LANES), .A_W(A_W), .W_W(W_W), .W_SIGNED(W_SIGNED), .ENC(e), .OUT_W(OUT_W),
          .ACC_W(ACC_W), .OVERFLOW(o), .FAULT(0)
      ) u_pe (
          .clk, .rst_n, .in_load, .in_first, .in_last, .in_count, .in_a, .in_w, .in_has_c, .in_c,
          .out_ready(ready[8+2*e+o-1]), .out_valid(valid[8+2*e+o-1]), .out_code(code[8+2*e+o-1]),
          .out_flags(flags[8+2*e+o-1])
      );
    end
  end
  wire [3:0] sel = ovf != 2'd0 ? 4'(8 + 2 * 32'(enc) + 32'(ovf) - 1) : {1'b0, enc, fault};
  assign out_ready = ready[sel];
  assign out_valid = valid[sel];
  assign out_code = code[sel];
  assign out_flags = flags[sel];
endmodule
