// Calibration datapath for rtl/synth: a W-bit logical right barrel shifter by 0..2^S-1 positions
// (the cost model's shifter(n, s) primitive: ceil(log2 s) levels of W mux2 cells).
module shift_right #(
  parameter int W = 32,
  parameter int S = 5
) (
  input  logic [W-1:0] a,
  input  logic [S-1:0] s,
  output logic [W-1:0] y
);
  always_comb y = a >> s;
endmodule
