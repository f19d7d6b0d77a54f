// Calibration datapath for rtl/synth: W flip-flops with a load enable (the cost model's reg(bits)
// primitive; dffunmap turns the enable into a mux2 per bit).
module reg_bits #(
  parameter int W = 32
) (
  input  logic         clk,
  input  logic         en,
  input  logic [W-1:0] d,
  output logic [W-1:0] q
);
  always_ff @(posedge clk)
    if (en) q <= d;
endmodule
