// Simulation top for the lockstep test: the floating-point PE (bitserial_pe_fp.sv, E4M3 x E2M1 by
// default) and its FAULT 1 variant on the same inputs; `fault` picks whose outputs leave.
module bitserial_pe_fp_faults #(
    parameter int LANES = 4
) (
    input  logic                           clk,
    input  logic                           rst_n,
    input  logic                           fault,
    input  logic                           in_load,
    input  logic                           in_first,
    input  logic                           in_last,
    input  logic [$clog2(LANES + 1) - 1:0] in_count,
    input  logic [LANES * 8 - 1:0]         in_a,
    input  logic [LANES * 4 - 1:0]         in_w,
    input  logic                           in_has_c,
    input  logic [31:0]                    in_c,
    output logic                           out_ready,
    output logic                           out_valid,
    output logic [31:0]                    out_code,
    output logic [4:0]                     out_flags
);
  logic [1:0] ready, valid;
  logic [31:0] code[2];
  logic [4:0] flags[2];
  for (genvar f = 0; f < 2; f++) begin : g_pe
    bitserial_pe_fp #(.LANES(LANES), .FAULT(f)) u_pe (
        .clk, .rst_n, .in_load, .in_first, .in_last, .in_count, .in_a, .in_w, .in_has_c, .in_c,
        .out_ready(ready[f]), .out_valid(valid[f]), .out_code(code[f]), .out_flags(flags[f])
    );
  end
  assign out_ready = ready[fault];
  assign out_valid = valid[fault];
  assign out_code = code[fault];
  assign out_flags = flags[fault];
endmodule
