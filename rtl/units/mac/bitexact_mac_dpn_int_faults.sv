// Simulation top for the integer DPn: the good unit and its FAULT=1 and FAULT=2 variants side by side
// on the same inputs, `fault` selecting whose outputs leave; one verilated model serves both the
// lockstep checks and the proof that the harness catches a wrong unit.
module bitexact_mac_dpn_int_faults #(
  parameter int LANES = 4,
  parameter int A_W = 8,
  parameter int B_W = 8,
  parameter int OUT_W = 32,
  parameter int ACC_W = 48,
  parameter int PIPELINE = 2,
  localparam int CNT_W = $clog2(LANES + 1)
) (
  input  logic                   clk,
  input  logic                   rst_n,
  input  logic [1:0]             fault,
  input  logic                   in_valid,
  input  logic                   in_first,
  input  logic                   in_last,
  input  logic [CNT_W-1:0]       in_count,
  input  logic [LANES*A_W-1:0]   in_a,
  input  logic [LANES*B_W-1:0]   in_b,
  input  logic                   in_has_c,
  input  logic [OUT_W-1:0]       in_c,
  output logic                   out_valid,
  output logic [OUT_W-1:0]       out_code,
  output logic [bitexact_formats_pkg::FLAGS_W-1:0] out_flags
);
  localparam int FW = bitexact_formats_pkg::FLAGS_W;
  logic [2:0] v;
  logic [OUT_W-1:0] c [3];
  logic [FW-1:0] f [3];
  for (genvar g = 0; g < 3; g++) begin : unit
    bitexact_mac_dpn_int #(.LANES(LANES), .A_W(A_W), .B_W(B_W), .OUT_W(OUT_W), .ACC_W(ACC_W),
                           .PIPELINE(PIPELINE), .FAULT(g)) u (
      .clk, .rst_n, .in_valid, .in_first, .in_last, .in_count, .in_a, .in_b, .in_has_c, .in_c,
      .out_valid(v[g]), .out_code(c[g]), .out_flags(f[g]));
  end
  always_comb begin
    case (fault)
      2'd1: {out_valid, out_code, out_flags} = {v[1], c[1], f[1]};
      2'd2: {out_valid, out_code, out_flags} = {v[2], c[2], f[2]};
      default: {out_valid, out_code, out_flags} = {v[0], c[0], f[0]};
    endcase
  end
endmodule
