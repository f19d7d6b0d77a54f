// Simulation top for the integer array: the good array and its FAULT=1 variant (B not skewed) side
// by side on the same inputs, `fault` selecting whose outputs leave.
module bitexact_mac_array_int_faults #(
  parameter int ROWS = 2,
  parameter int COLS = 2,
  parameter int LANES = 4,
  parameter int A_W = 8,
  parameter int B_W = 8,
  parameter int OUT_W = 32,
  parameter int PIPELINE = 2,
  localparam int CNT_W = $clog2(LANES + 1),
  localparam int FW = bitexact_formats_pkg::FLAGS_W
) (
  input  logic                         clk,
  input  logic                         rst_n,
  input  logic                         fault,
  input  logic [ROWS-1:0]              in_a_valid,
  input  logic [ROWS-1:0]              in_a_first,
  input  logic [ROWS-1:0]              in_a_last,
  input  logic [ROWS*CNT_W-1:0]        in_a_count,
  input  logic [ROWS*LANES*A_W-1:0]    in_a,
  input  logic [ROWS-1:0]              in_a_has_c,
  input  logic [ROWS*COLS*OUT_W-1:0]   in_c,
  input  logic [COLS-1:0]              in_b_valid,
  input  logic [COLS*LANES*B_W-1:0]    in_b,
  output logic [ROWS*COLS-1:0]         out_valid,
  output logic [ROWS*COLS*OUT_W-1:0]   out_code,
  output logic [ROWS*COLS*FW-1:0]      out_flags
);
  logic [ROWS*COLS-1:0] v [2];
  logic [ROWS*COLS*OUT_W-1:0] c [2];
  logic [ROWS*COLS*FW-1:0] f [2];
  for (genvar g = 0; g < 2; g++) begin : unit
    bitexact_mac_array_int #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .A_W(A_W), .B_W(B_W), .OUT_W(OUT_W),
                             .PIPELINE(PIPELINE), .FAULT(g)) u (
      .clk, .rst_n, .in_a_valid, .in_a_first, .in_a_last, .in_a_count, .in_a, .in_a_has_c, .in_c,
      .in_b_valid, .in_b, .out_valid(v[g]), .out_code(c[g]), .out_flags(f[g]));
  end
  assign out_valid = v[fault];
  assign out_code = c[fault];
  assign out_flags = f[fault];
endmodule
