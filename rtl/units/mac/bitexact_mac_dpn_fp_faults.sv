// Simulation top for the floating-point DPn: on the same inputs, `fault` selecting whose outputs
// leave, one verilated model carries every configuration the lockstep tests check and the fault
// proofs:
//   0  A_FMT x B_FMT (E4M3 x E4M3), ACC        6  E3M2 x E3M2 (FP6)
//   1  0 with FAULT=1 (alignment rounds)       7  E2M1 x E2M1 (FP4)
//   2  0 with ACC_ALT (13: h100-fp8's)         8  E4M3 x E2M1 (mixed)
//   3  E5M2 x E5M2 (IEEE inf / NaN)            9  7 with FAULT=2 (subnormal A read as 2^0)
//   4  FP16 x FP16 (v100-fp16's operands)     10  BF16 x BF16 (float32 rounding of the result)
//   5  E2M3 x E2M3 (FP6)                      11  MXFP8 E4M3 x MXFP8 E4M3 (E8M0 scales)
//                                             12  MXFP4 x MXFP4
//                                             13  MXFP6 E2M3 x MXFP6 E3M2
//                                             14  MXFP8 E4M3 x MXFP4
//                                             15  12 with FAULT=3 (NaN scale read as 2^128)
//                                             16  10 with FAULT=4 (subnormal rounding without sticky)
// Lane fields are 16 bits wide (lane l at [l*16 +: 16]); a narrower unit reads the low bits of each.
// SET picks which configurations are built (a simulator evaluates every unit each cycle, so the
// lockstep tests verilate two tops): 0 the scalar ones (0..10, 16), 1 the MX ones (11..15); a select
// outside the set answers zeros (never valid).
module bitexact_mac_dpn_fp_faults #(
  parameter int LANES = 4,
  parameter int A_FMT = bitexact_formats_pkg::FMT_FP8_E4M3,
  parameter int B_FMT = bitexact_formats_pkg::FMT_FP8_E4M3,
  parameter int ACC = 24,
  parameter int ACC_ALT = 13,
  parameter int PIPELINE = 2,
  parameter int SET = 0,
  localparam int CNT_W = $clog2(LANES + 1),
  localparam int LW = 16,
  localparam int N = 17
) (
  input  logic                   clk,
  input  logic                   rst_n,
  input  logic [4:0]             fault,
  input  logic                   in_valid,
  input  logic                   in_first,
  input  logic                   in_last,
  input  logic [CNT_W-1:0]       in_count,
  input  logic [LANES*LW-1:0]    in_a,
  input  logic [LANES*LW-1:0]    in_b,
  input  logic [7:0]             in_scale_a,
  input  logic [7:0]             in_scale_b,
  input  logic                   in_has_c,
  input  logic [31:0]            in_c,
  output logic                   out_valid,
  output logic [31:0]            out_code,
  output logic [bitexact_formats_pkg::FLAGS_W-1:0] out_flags
);
  // Configuration g's operand formats, register width and FAULT.
  function automatic int a_fmt(int g);
    case (g)
      3: a_fmt = bitexact_formats_pkg::FMT_FP8_E5M2;
      4: a_fmt = bitexact_formats_pkg::FMT_FP16;
      5: a_fmt = bitexact_formats_pkg::FMT_FP6_E2M3;
      6: a_fmt = bitexact_formats_pkg::FMT_FP6_E3M2;
      7, 9: a_fmt = bitexact_formats_pkg::FMT_FP4_E2M1;
      8: a_fmt = bitexact_formats_pkg::FMT_FP8_E4M3;
      10, 16: a_fmt = bitexact_formats_pkg::FMT_BF16;
      11, 14: a_fmt = bitexact_formats_pkg::FMT_FP8_E4M3;
      12, 15: a_fmt = bitexact_formats_pkg::FMT_FP4_E2M1;
      13: a_fmt = bitexact_formats_pkg::FMT_FP6_E2M3;
      default: a_fmt = A_FMT;
    endcase
  endfunction
  function automatic int b_fmt(int g);
    case (g)
      0, 1, 2: b_fmt = B_FMT;
      8, 14: b_fmt = bitexact_formats_pkg::FMT_FP4_E2M1;
      13: b_fmt = bitexact_formats_pkg::FMT_FP6_E3M2;
      default: b_fmt = a_fmt(g);
    endcase
  endfunction
  function automatic int fault_of(int g);
    fault_of = g == 1 ? 1 : g == 9 ? 2 : g == 15 ? 3 : g == 16 ? 4 : 0;
  endfunction

  logic v [N];
  logic [31:0] c [N];
  logic [bitexact_formats_pkg::FLAGS_W-1:0] f [N];
  for (genvar g = 0; g < N; g++) begin : unit
    localparam int AF = a_fmt(g), BF = b_fmt(g);
    if ((g >= 11 && g <= 15) != (SET == 1)) begin : g_off
      assign {v[g], c[g], f[g]} = '0;
    end else begin : g_on
      localparam int AW = bitexact_formats_pkg::fmt_width(AF), BW = bitexact_formats_pkg::fmt_width(BF);
      logic [LANES*AW-1:0] a;
      logic [LANES*BW-1:0] b;
      always_comb
        for (int l = 0; l < LANES; l++) begin
          a[l*AW +: AW] = in_a[l*LW +: AW];
          b[l*BW +: BW] = in_b[l*LW +: BW];
        end
      bitexact_mac_dpn_fp #(.LANES(LANES), .A_FMT(AF), .B_FMT(BF), .ACC(g == 2 ? ACC_ALT : ACC),
                            .A_MX(g >= 11 && g <= 15), .B_MX(g >= 11 && g <= 15),
                            .PIPELINE(PIPELINE), .FAULT(fault_of(g))) u (
        .clk, .rst_n, .in_valid, .in_first, .in_last, .in_count, .in_a(a), .in_b(b), .in_scale_a, .in_scale_b,
        .in_has_c, .in_c,
        .out_valid(v[g]), .out_code(c[g]), .out_flags(f[g]));
    end
  end
  always_comb begin
    {out_valid, out_code, out_flags} = {v[0], c[0], f[0]};
    for (int g = 1; g < N; g++)
      if (int'(fault) == g) {out_valid, out_code, out_flags} = {v[g], c[g], f[g]};
  end
endmodule
