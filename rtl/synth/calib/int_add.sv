// Calibration datapath for rtl/synth: a combinational W-bit adder, sum modulo 2^W (the cost model's
// int_add(n) primitive: adders, comparators, incrementers).
module int_add #(
  parameter int W = 32
) (
  input  logic [W-1:0] a,
  input  logic [W-1:0] b,
  output logic [W-1:0] y
);
  always_comb y = a + b;
endmodule
