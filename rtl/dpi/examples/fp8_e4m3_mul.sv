// An OCP E4M3 (float8_e4m3fn) multiplier, written as a small device under test for the DPI-C golden
// model and the gen -> simulate -> verify walkthrough. Combinational; round to nearest, ties to even;
// subnormal inputs and outputs; a NaN input (S.1111.111) gives NaN 0x7F; overflow gives NaN with the
// product's sign (SAT = 0, OCP's non-saturating mode) or +-448 (SAT = 1, OCP SAT).
// Flags in TestFloat order (bit 0 inexact, 1 underflow, 2 overflow; divide-by-zero and invalid cannot
// happen: E4M3 has no infinity and its NaN is quiet); underflow is tiny after rounding and inexact.
//
// FAULT builds a deliberately wrong datapath, for showing that the checks catch it:
//   0  correct
//   1  truncates instead of rounding to nearest even
//   2  drops the sticky bit: decides every round-up on the guard bit and the LSB alone
//   3  detects tininess before rounding (codes right, the underflow flag wrong just below 2^-6)
module fp8_e4m3_mul #(
  parameter bit SAT = 1'b0,
  parameter int FAULT = 0
) (
  input  logic [7:0] a,
  input  logic [7:0] b,
  output logic [7:0] y,
  output logic [4:0] flags
);
  // An operand is sig * 2^(e - 10): sig = {hidden bit, 3 mantissa bits}, e = exponent field (1 for subnormals).
  logic       sign, nan_in, zero_in, guard, sticky, round_up, overflow, inexact, tiny;
  logic [3:0] sig_a, sig_b;
  logic [7:0] prod;  // sig_a * sig_b: the exact product is prod * 2^(e_a + e_b - 20)
  logic [4:0] n;     // the kept significand, 0..16 after rounding
  int         e_a, e_b, e0, lead, q, sh, sh4, field;

  always_comb begin
    sign    = a[7] ^ b[7];
    nan_in  = (a[6:0] == 7'h7F) || (b[6:0] == 7'h7F);
    zero_in = (a[6:0] == 7'h00) || (b[6:0] == 7'h00);
    sig_a   = {a[6:3] != 4'd0, a[2:0]};
    sig_b   = {b[6:3] != 4'd0, b[2:0]};
    e_a     = (a[6:3] == 4'd0) ? 1 : {28'd0, a[6:3]};
    e_b     = (b[6:3] == 4'd0) ? 1 : {28'd0, b[6:3]};
    prod    = sig_a * sig_b;
    e0      = e_a + e_b - 20;

    // Position of the leading one of the product.
    lead = 0;
    for (int i = 0; i < 8; i++)
      if (prod[i]) lead = i;

    // Exponent of the result's LSB: 3 bits below the leading one, never below the subnormal quantum 2^-9.
    q = lead + e0 - 3;
    if (q < -9) q = -9;
    sh = q - e0;  // product bits dropped (<= 0: exact, shift left)

    guard  = 1'b0;
    sticky = 1'b0;
    if (sh <= 0) begin
      n = 5'(prod << (-sh));
    end else begin
      n = (sh >= 8) ? 5'd0 : 5'(prod >> sh);
      guard = (sh <= 8) ? prod[sh-1] : 1'b0;
      for (int i = 0; i < 8; i++)
        if (i < sh - 1 && prod[i]) sticky = 1'b1;
    end

    case (FAULT)
      1:       round_up = 1'b0;
      2:       round_up = guard & n[0];
      default: round_up = guard & (sticky | n[0]);
    endcase
    n = n + {4'd0, round_up};
    if (n == 5'd16) begin  // rounding carried into the next binade
      n = 5'd8;
      q = q + 1;
    end

    // Exponent field: q + 10 for a normal significand (8..15); 0 for a subnormal one (then q == -9).
    field    = n[3] ? q + 10 : 0;
    overflow = field > 15 || (field == 15 && n[2:0] == 3'b111);

    // Tiny after rounding: the product rounded to 4 significant bits with an unbounded exponent is
    // below 2^-6. Only a product in [2^-7, 2^-6) can round up to 2^-6: all 4 kept bits ones and a guard bit.
    sh4  = lead - 3;
    tiny = (lead + e0 < -7) ||
           (lead + e0 == -7 && !(sh4 >= 1 && (prod >> sh4) == 8'd15 && prod[sh4-1]));
    if (FAULT == 3) tiny = lead + e0 < -6;  // the fault: tininess before rounding
    inexact = guard | sticky | overflow;
    flags = (nan_in || zero_in) ? 5'd0 : {2'b00, overflow, inexact & tiny & !overflow, inexact};

    if (nan_in)        y = 8'h7F;
    else if (zero_in)  y = {sign, 7'h00};
    else if (overflow) y = SAT ? {sign, 7'h7E} : {sign, 7'h7F};
    else               y = {sign, field[3:0], n[2:0]};
  end
endmodule
