// The integer DPn unit (hwmodel/mac Dpn with integer operands and accum=exact<out=int32>): LANES
// signed products per cycle summed exactly into an ACC_W-bit register, the result saturated into
// the OUT_W-bit output (invalid flag, as the core's round_int under the default overflow policy).
// Same ports and latency as Dpn::step(): a chunk enters with in_valid (in_first clears the register
// and loads in_c when in_has_c; lanes >= in_count are gated off); the chunk with in_last has its
// result on out_* PIPELINE cycles later, for one cycle.
// FAULT (tests only): 1 = the last lane's multiplier drops the product's top bit (a product width
// of A_W + B_W - 1: wrong only for -2^(A_W-1) * -2^(B_W-1)); 2 = saturation off by one.
module bitexact_mac_dpn_int #(
  parameter int LANES = 4,
  parameter int A_W = 8,
  parameter int B_W = 8,
  parameter int OUT_W = 32,
  parameter int ACC_W = 48,      // register bits: 2^(ACC_W-1) / 2^(A_W+B_W-2) products before wrap
  parameter int PIPELINE = 2,    // >= 1
  parameter int FAULT = 0,
  localparam int CNT_W = $clog2(LANES + 1),
  localparam int P_W = A_W + B_W
) (
  input  logic                   clk,
  input  logic                   rst_n,
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
  // Products, gated lanes contribute 0.
  logic signed [P_W-1:0] prod [LANES];
  always_comb begin
    for (int l = 0; l < LANES; l++) begin
      prod[l] = $signed(in_a[l*A_W +: A_W]) * $signed(in_b[l*B_W +: B_W]);
      if (FAULT == 1 && l == LANES - 1) prod[l][P_W-1] = prod[l][P_W-2];
      if (CNT_W'(l) >= in_count) prod[l] = '0;
    end
  end

  logic signed [ACC_W-1:0] acc_q, acc_d, sum;
  always_comb begin
    sum = '0;
    for (int l = 0; l < LANES; l++) sum = sum + ACC_W'(prod[l]);
    acc_d = in_first ? (in_has_c ? ACC_W'($signed(in_c)) : '0) : acc_q;
    acc_d = acc_d + sum;
  end

  // Saturation into OUT_W bits.
  localparam logic signed [ACC_W-1:0] KMAX = ACC_W'({1'b0, {(OUT_W-1){1'b1}}}) - ACC_W'(FAULT == 2 ? 1 : 0);
  localparam logic signed [ACC_W-1:0] KMIN = -KMAX - ACC_W'(FAULT == 2 ? 0 : 1);
  logic [OUT_W-1:0] res_code;
  logic [bitexact_formats_pkg::FLAGS_W-1:0] res_flags;
  always_comb begin
    res_flags = '0;
    res_code = acc_d[OUT_W-1:0];
    if (acc_d > KMAX) begin
      res_code = KMAX[OUT_W-1:0];
      res_flags[bitexact_formats_pkg::FLAG_INVALID] = 1'b1;
    end else if (acc_d < KMIN) begin
      res_code = KMIN[OUT_W-1:0];
      res_flags[bitexact_formats_pkg::FLAG_INVALID] = 1'b1;
    end
  end

  // The register; the result of a last chunk leaves through the output stage.
  always_ff @(posedge clk) begin
    if (!rst_n) acc_q <= '0;
    else if (in_valid) acc_q <= acc_d;
  end
  bitexact_mac_out_pipe #(.W(OUT_W), .PIPELINE(PIPELINE)) u_out (
    .clk, .rst_n, .fire(in_valid && in_last), .res_code, .res_flags, .out_valid, .out_code, .out_flags);
endmodule
