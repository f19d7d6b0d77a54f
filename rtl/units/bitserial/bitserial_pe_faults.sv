// Simulation top for the lockstep test (tests/rtl/test_lockstep_bitserial.cpp): the good PE and its
// three deliberately wrong variants (bitserial_pe.sv FAULT 1..3) side by side on the same inputs;
// `fault` picks whose outputs leave (0: the good one). One verilated model then serves both the
// lockstep checks and the proof that the harness catches each fault.
module bitserial_pe_faults #(
    parameter int LANES = 4,
    parameter int A_W = 8,
    parameter int W_W = 4,
    parameter bit W_SIGNED = 1'b1,
    parameter int ENC = 1,
    parameter int OUT_W = 32,
    parameter int ACC_W = 48
) (
    input  logic                           clk,
    input  logic                           rst_n,
    input  logic [1:0]                     fault,
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
  logic [3:0] ready, valid;
  logic [OUT_W - 1:0] code[4];
  logic [4:0] flags[4];
  for (genvar f = 0; f < 4; f++) begin : g_pe
    bitserial_pe #(
        .LANES(LANES), .A_W(A_W), .W_W(W_W), .W_SIGNED(W_SIGNED), .ENC(ENC), .OUT_W(OUT_W),
        .ACC_W(ACC_W), .OVERFLOW(0), .FAULT(f)
    ) u_pe (
        .clk, .rst_n, .in_load, .in_first, .in_last, .in_count, .in_a, .in_w, .in_has_c, .in_c,
        .out_ready(ready[f]), .out_valid(valid[f]), .out_code(code[f]), .out_flags(flags[f])
    );
  end
  assign out_ready = ready[fault];
  assign out_valid = valid[fault];
  assign out_code = code[fault];
  assign out_flags = flags[fault];
endmodule
