// Simulation top for the floating-point DPn: on the same inputs the good unit (A_FMT x B_FMT, ACC),
// its FAULT=1 variant (product terms rounded to nearest at the alignment instead of truncated), a
// good unit with a second register width ACC_ALT (13: the h100-fp8 register), a good unit over
// E5M2 x E5M2 (IEEE infinities and NaNs) and a good unit over FP16 x FP16 (Volta's v100-fp16
// operands), `fault` selecting whose outputs leave (0..4): one verilated model carries five
// configurations and the fault proof. Lane fields are 16 bits wide (lane l at [l*16 +: 16]); the
// 8-bit units read the low 8 bits of each.
module bitexact_mac_dpn_fp_faults #(
  parameter int LANES = 4,
  parameter int A_FMT = bitexact_formats_pkg::FMT_FP8_E4M3,
  parameter int B_FMT = bitexact_formats_pkg::FMT_FP8_E4M3,
  parameter int ACC = 24,
  parameter int ACC_ALT = 13,
  parameter int PIPELINE = 2,
  localparam int CNT_W = $clog2(LANES + 1),
  localparam int LW = 16
) (
  input  logic                   clk,
  input  logic                   rst_n,
  input  logic [2:0]             fault,
  input  logic                   in_valid,
  input  logic                   in_first,
  input  logic                   in_last,
  input  logic [CNT_W-1:0]       in_count,
  input  logic [LANES*LW-1:0]    in_a,
  input  logic [LANES*LW-1:0]    in_b,
  input  logic                   in_has_c,
  input  logic [31:0]            in_c,
  output logic                   out_valid,
  output logic [31:0]            out_code,
  output logic [bitexact_formats_pkg::FLAGS_W-1:0] out_flags
);
  localparam int E5M2 = bitexact_formats_pkg::FMT_FP8_E5M2;
  localparam int FP16 = bitexact_formats_pkg::FMT_FP16;
  localparam int A_W = bitexact_formats_pkg::fmt_width(A_FMT);
  localparam int B_W = bitexact_formats_pkg::fmt_width(B_FMT);
  // The 8-bit units' operands: each lane's low bits.
  logic [LANES*A_W-1:0] a8;
  logic [LANES*B_W-1:0] b8;
  always_comb
    for (int l = 0; l < LANES; l++) begin
      a8[l*A_W +: A_W] = in_a[l*LW +: A_W];
      b8[l*B_W +: B_W] = in_b[l*LW +: B_W];
    end
  logic [4:0] v;
  logic [31:0] c [5];
  logic [bitexact_formats_pkg::FLAGS_W-1:0] f [5];
  for (genvar g = 0; g < 4; g++) begin : unit
    bitexact_mac_dpn_fp #(.LANES(LANES), .A_FMT(g == 3 ? E5M2 : A_FMT), .B_FMT(g == 3 ? E5M2 : B_FMT),
                          .ACC(g == 2 ? ACC_ALT : ACC),
                          .PIPELINE(PIPELINE), .FAULT(g == 1 ? 1 : 0)) u (
      .clk, .rst_n, .in_valid, .in_first, .in_last, .in_count, .in_a(a8), .in_b(b8), .in_has_c, .in_c,
      .out_valid(v[g]), .out_code(c[g]), .out_flags(f[g]));
  end
  bitexact_mac_dpn_fp #(.LANES(LANES), .A_FMT(FP16), .B_FMT(FP16), .ACC(ACC), .PIPELINE(PIPELINE)) u_fp16 (
      .clk, .rst_n, .in_valid, .in_first, .in_last, .in_count, .in_a, .in_b, .in_has_c, .in_c,
      .out_valid(v[4]), .out_code(c[4]), .out_flags(f[4]));
  always_comb begin
    case (fault)
      3'd1: {out_valid, out_code, out_flags} = {v[1], c[1], f[1]};
      3'd2: {out_valid, out_code, out_flags} = {v[2], c[2], f[2]};
      3'd3: {out_valid, out_code, out_flags} = {v[3], c[3], f[3]};
      3'd4: {out_valid, out_code, out_flags} = {v[4], c[4], f[4]};
      default: {out_valid, out_code, out_flags} = {v[0], c[0], f[0]};
    endcase
  end
endmodule
