// Simulation top for the array: on the same inputs the good INT8 array, its FAULT=1 variant (B not
// skewed), an array of E4M3 x E4M3 PEs with a fused 24-bit register (v100-fp16) and an INT8 array
// with a broadcast feed, `fault` (0..3) selecting whose outputs leave.
module bitexact_mac_array_faults #(
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
  input  logic [1:0]                   fault,
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
  logic [ROWS*COLS-1:0] v [4];
  logic [ROWS*COLS*OUT_W-1:0] c [4];
  logic [ROWS*COLS*FW-1:0] f [4];
  for (genvar g = 0; g < 4; g++) begin : unit
    bitexact_mac_array #(.ROWS(ROWS), .COLS(COLS), .LANES(LANES), .A_W(A_W), .B_W(B_W), .OUT_W(OUT_W),
                         .PIPELINE(PIPELINE), .PE_FP(g == 2), .BROADCAST(g == 3), .FAULT(g == 1 ? 1 : 0)) u (
      .clk, .rst_n, .in_a_valid, .in_a_first, .in_a_last, .in_a_count, .in_a, .in_a_has_c, .in_c,
      .in_b_valid, .in_b, .out_valid(v[g]), .out_code(c[g]), .out_flags(f[g]));
  end
  always_comb begin
    case (fault)
      2'd1: {out_valid, out_code, out_flags} = {v[1], c[1], f[1]};
      2'd2: {out_valid, out_code, out_flags} = {v[2], c[2], f[2]};
      2'd3: {out_valid, out_code, out_flags} = {v[3], c[3], f[3]};
      default: {out_valid, out_code, out_flags} = {v[0], c[0], f[0]};
    endcase
  end
endmodule
