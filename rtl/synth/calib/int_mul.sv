// Calibration datapath for rtl/synth: a combinational WA x WB integer multiplier with the full
// WA+WB-bit product, two's complement when SIGNED (the cost model's int_mul(a x b) primitive).
module int_mul #(
  parameter int WA = 8,
  parameter int WB = 8,
  parameter bit SIGNED = 1'b1
) (
  input  logic [WA-1:0]    a,
  input  logic [WB-1:0]    b,
  output logic [WA+WB-1:0] y
);
  always_comb begin
    if (SIGNED) y = WA'(signed'(a)) * WB'(signed'(b));
    else y = a * b;
  end
endmodule
