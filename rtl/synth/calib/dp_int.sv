// Calibration datapath for rtl/synth: an integer DPn lane group (N signed WA x WB products summed
// exactly and added into an ACC-bit register each enabled clock; `clear` loads the sum instead), the
// shape of the mac unit's INT configuration. A stand-in until rtl/units/mac lands: the cost model's
// int_mac family (Bit Fusion's fitted INT PE) is compared against it.
module dp_int #(
  parameter int N = 4,
  parameter int WA = 8,
  parameter int WB = 8,
  parameter int ACC = 32
) (
  input  logic              clk,
  input  logic              en,
  input  logic              clear,
  input  logic [N*WA-1:0]   a,
  input  logic [N*WB-1:0]   b,
  output logic [ACC-1:0]    acc
);
  logic [ACC-1:0] sum;
  always_comb begin
    sum = '0;
    for (int i = 0; i < N; i++)
      sum = sum + ACC'(signed'(a[i*WA +: WA]) * signed'(b[i*WB +: WB]));
  end
  always_ff @(posedge clk)
    if (en) acc <= clear ? sum : acc + sum;
endmodule
