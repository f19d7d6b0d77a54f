// The bit-serial PE, floating-point configuration (BitMoD's FP path; hardware.md §2.1): LANES
// minifloat activations (A_E exponent bits, A_M mantissa bits, bias A_BIAS, NaN S.1..1.1..1 as OCP
// E4M3, no infinities: float8_e4m3fn by default) x minifloat weights without NaN / Inf (W_E, W_M,
// bias W_BIAS: float4_e2m1fn by default) streamed as leading-one terms: a weight's value is
// W x 2^(1 - W_BIAS - W_M) with W = {hidden bit, mantissa} << (exponent - 1), and each cycle a lane
// adds sign x activation significand x 2^(activation scale + the next set bit of W, from the leading
// one down) into the exact group register; CYCLES = W_M + 1 terms per weight (2 for FP4).
// Every register is fixed point with its LSB at the smallest product's LSB (2^(2 - A_BIAS - A_M -
// W_BIAS - W_M), 2^-10 for E4M3 x E2M1): the group register and an ACC_W-bit accumulator are exact;
// the result is rounded to float32 (round to nearest even, inexact flag) in the output register.
//
// Same ports and timing as bitserial_pe.sv and hw::BitSerialPe::step() with
// accum=exact (float32 out): a NaN activation on an active lane makes the dot product NaN (0x7fc00000);
// an exactly zero result is -0 only when there are products and every one is -0 (round to nearest).
// The addend (in_has_c, in_c) is not supported here: a float32 addend does not fit the anchored
// accumulator (the lockstep test never drives it).
//
// A_IEEE 1: IEEE activations (float16 with A_E 5, A_M 10, A_BIAS 15): an all-ones exponent is inf
// (mantissa 0) or NaN; a signalling NaN (mantissa MSB 0) on an active lane raises invalid, inf x 0
// is NaN + invalid, +inf and -inf in one dot product NaN + invalid, otherwise an inf product makes
// the result that infinity. W_INT 1: the weights are (1 + W_E + W_M)-bit two's complement integers
// streamed as bit planes (CYCLES = their width, the MSB plane weighs -2^(width-1)), as
// hw::decompose_weights' BitPlane.
//
// bfloat16 activations (A_E 8, A_M 7, A_BIAS 127, A_IEEE 1): a group register of ~270 bits and an
// accumulator of ACC_W ~ 290 bits hold every product exactly (LSB 2^-133 with int4 weights); the
// float32 output then covers subnormal results (exact: the LSB is a multiple of 2^-149) and
// overflow to inf (overflow + inexact). LSB_EXP must be >= -149.
//
// FAULT 1: the output truncates instead of rounding to nearest even (caught when a sum needs more
// than 24 significant bits). FAULT 2 (value tables): the table's extra value in the -0 code
// (code 2^(W_W-1)) reads as zero, as a plain FP4 decoder would. FAULT 3: no overflow detection
// (the exponent field wraps past 254).
module bitserial_pe_fp #(
    parameter int LANES = 4,
    parameter int A_E = 4,
    parameter int A_M = 3,
    parameter int A_BIAS = 7,
    parameter int W_E = 2,
    parameter int W_M = 1,
    parameter int W_BIAS = 1,
    parameter int ACC_W = 48,
    parameter int A_IEEE = 0,
    parameter int W_INT = 0,
    // A value-table weight format (BitMoD codebooks, hardware.md §2.1; W_TAB_N != 0): code c means
    // (-1)^W_TAB[c*8+7] x W_TAB[c*8 +: 7] x 2^W_TAB_LSB (at most 16 codes, magnitudes below
    // 2^W_TAB_N), streamed as its leading-one terms, W_TERMS cycles (the table's largest popcount).
    parameter int W_TAB_N = 0,
    parameter logic [127:0] W_TAB = '0,
    parameter int W_TAB_LSB = 0,
    parameter int W_TERMS = 2,
    parameter int FAULT = 0
) (
    input  logic                           clk,
    input  logic                           rst_n,
    input  logic                           in_load,
    input  logic                           in_first,
    input  logic                           in_last,
    input  logic [$clog2(LANES + 1) - 1:0] in_count,
    input  logic [LANES * (1 + A_E + A_M) - 1:0] in_a,
    input  logic [LANES * (1 + W_E + W_M) - 1:0] in_w,
    input  logic                           in_has_c,   // not supported (see above)
    input  logic [31:0]                    in_c,
    output logic                           out_ready,
    output logic                           out_valid,
    output logic [31:0]                    out_code,
    output logic [4:0]                     out_flags
);
  localparam int A_W = 1 + A_E + A_M;
  localparam int W_W = 1 + W_E + W_M;
  localparam int CYCLES = W_INT != 0 ? W_W : W_TAB_N != 0 ? W_TERMS : W_M + 1;
  localparam int J_W = CYCLES > 1 ? $clog2(CYCLES) : 1;
  localparam int A_SH = (1 << A_E) - 2;            // largest activation scale (exponent field - 1)
  localparam int W_SH = W_INT != 0 ? W_W - 1 : W_TAB_N != 0 ? W_TAB_N - 1 : (1 << W_E) - 2 + W_M;  // largest term position
  localparam int P_W = A_M + 1 + A_SH + W_SH + 1;  // a product's magnitude bits
  localparam int G_W = P_W + 2 + $clog2(LANES + 1);
  localparam int LSB_EXP = 1 - A_BIAS - A_M + (W_INT != 0 ? 0 : W_TAB_N != 0 ? W_TAB_LSB : 1 - W_BIAS - W_M);  // the registers' LSB exponent

  // State.
  logic nan_q, negz_q, any_q, pinf_q, ninf_q, inv_q;
  logic [LANES * A_W - 1:0] a_q;
  logic [LANES * W_W - 1:0] w_q;
  logic [LANES - 1:0] act_q;  // lane active
  logic signed [G_W - 1:0] grp_q;
  logic signed [ACC_W - 1:0] acc_q;
  logic valid_q;
  logic [31:0] code_q;
  logic [4:0] flags_q;

  logic ld, active, done, last_cur;
  logic [J_W - 1:0] j_cur;
  logic [LANES - 1:0] act_in, act_cur;
  logic [LANES * A_W - 1:0] a_cur;
  logic [LANES * W_W - 1:0] w_cur;
  logic signed [G_W - 1:0] pp_sum, grp_next;
  logic signed [ACC_W - 1:0] acc_base, acc_next;
  logic grp_nan, grp_negz;  // this group: a NaN lane; every active lane's product a -0
  logic grp_pinf, grp_ninf, grp_inv;  // A_IEEE: an inf product of either sign; invalid (sNaN, inf x 0)

  bitserial_seq #(.CYCLES(CYCLES)) u_seq (
      .clk, .rst_n, .in_load, .in_last, .ld, .active, .done, .last_cur, .j_cur, .out_ready
  );
  assign a_cur = ld ? in_a : a_q;
  assign w_cur = ld ? in_w : w_q;
  assign act_cur = ld ? act_in : act_q;

  always_comb begin
    for (int l = 0; l < LANES; l++) act_in[l] = 32'(l) < 32'(in_count);
  end

  // Every active lane's term: sign x significand x 2^(scale + term position).
  always_comb begin
    logic [A_W - 1:0] a;
    logic [W_W - 1:0] w;
    logic [A_E - 1:0] ae;
    logic [W_E - 1:0] we;
    logic [A_M:0] asig;
    logic [W_M:0] wsig;
    logic signed [G_W - 1:0] t;
    int ash, wpos, seen;
    logic has_term, psign, tsign, azero, wzero, aspec, anan;
    logic [7:0] tv;  // W_TAB_N: the weight's table entry
    pp_sum = '0;
    grp_nan = 1'b0;
    grp_negz = 1'b1;
    grp_pinf = 1'b0;
    grp_ninf = 1'b0;
    grp_inv = 1'b0;
    for (int l = 0; l < LANES; l++) begin
      a = a_cur[l*A_W+:A_W];
      w = w_cur[l*W_W+:W_W];
      ae = a[A_W-2-:A_E];
      we = w[W_W-2-:W_E];
      asig = {ae != '0, a[A_M-1:0]};
      wsig = {W_INT != 0 ? w[W_W-2] : we != '0, w[W_M-1:0]};  // W_INT: the low W_M + 1 bits
      ash = ae == '0 ? 0 : 32'(ae) - 1;
      azero = asig == '0;
      wzero = W_INT != 0 ? w == '0 : wsig == '0;
      tv = W_TAB[32'(w)*8+:8];
      if (FAULT == 2 && 32'(w) == 1 << (W_W - 1)) tv = 8'd0;  // the extra value's code read as -0 (plain FP4)
      if (W_TAB_N != 0) wzero = tv[6:0] == '0;
      psign = a[A_W-1] ^ (W_TAB_N != 0 ? tv[7] : w[W_W-1]);
      aspec = A_IEEE != 0 && ae == '1;  // inf or NaN
      anan = A_IEEE != 0 ? aspec && a[A_M-1:0] != '0 : ae == '1 && a[A_M-1:0] == '1;
      tsign = psign;
      // The j-th set bit of wsig from the top, at position (weight scale + bit index).
      has_term = 1'b0;
      wpos = 0;
      seen = 0;
      if (W_INT != 0) begin  // bit plane j: bit j of w, the MSB plane negative
        has_term = |(w & (W_W'(1) << j_cur));
        wpos = 32'(j_cur);
        tsign = a[A_W-1] ^ (32'(j_cur) == W_W - 1);
      end else if (W_TAB_N != 0) begin  // the j-th set bit of the table magnitude from the top
        for (int b = W_TAB_N - 1; b >= 0; b--)
          if (tv[b]) begin
            if (seen == 32'(j_cur)) begin
              has_term = 1'b1;
              wpos = b;
            end
            seen = seen + 1;
          end
      end else
      for (int b = W_M; b >= 0; b--) begin
        if (wsig[b]) begin
          if (seen == 32'(j_cur)) begin
            has_term = 1'b1;
            wpos = b + (we == '0 ? 0 : 32'(we) - 1);
          end
          seen = seen + 1;
        end
      end
      t = G_W'(asig) <<< (ash + wpos);
      if (act_cur[l]) begin
        if (anan) begin
          grp_nan = 1'b1;
          if (A_IEEE != 0 && !a[A_M-1]) grp_inv = 1'b1;  // a signalling NaN
        end else if (aspec) begin  // inf
          if (wzero) begin
            grp_nan = 1'b1;
            grp_inv = 1'b1;
          end else if (psign) grp_ninf = 1'b1;
          else grp_pinf = 1'b1;
        end else if (has_term && !azero) pp_sum = tsign ? pp_sum - t : pp_sum + t;
        if (!((azero || wzero) && psign)) grp_negz = 1'b0;
      end
    end
  end

  assign grp_next = (ld ? G_W'(0) : grp_q) + pp_sum;
  assign acc_base = (ld && in_first) ? '0 : acc_q;
  assign acc_next = acc_base + ACC_W'(grp_next);

  // The dot product's NaN and all-products -0 state, including this group (its lanes are fixed
  // while it streams: the load cycle's view is the whole group's).
  logic nan_base, negz_base, any_base, nan_next, negz_next, any_next;
  logic pinf_next, ninf_next, inv_next;
  assign pinf_next = ((ld && in_first) ? 1'b0 : pinf_q) | grp_pinf;
  assign ninf_next = ((ld && in_first) ? 1'b0 : ninf_q) | grp_ninf;
  assign inv_next = ((ld && in_first) ? 1'b0 : inv_q) | grp_inv;
  assign nan_base = (ld && in_first) ? 1'b0 : nan_q;
  assign negz_base = (ld && in_first) ? 1'b1 : negz_q;
  assign any_base = (ld && in_first) ? 1'b0 : any_q;
  assign nan_next = nan_base | grp_nan;
  assign negz_next = negz_base & grp_negz;
  assign any_next = any_base | (|act_cur);  // a product at all (an empty dot product is +0)

  // Round acc_next to float32: value = acc_next x 2^LSB_EXP. Activations of float32's range
  // (bfloat16: LSB 2^-133) give results below the normal range (F32_SUB) and above FLT_MAX
  // (F32_OVF); for the others both branches are constant false.
  localparam bit F32_SUB = LSB_EXP < -126;
  localparam bit F32_OVF = LSB_EXP + ACC_W - 1 > 127;
  logic [31:0] res_code;
  logic [4:0] res_flags;
  always_comb begin
    logic [ACC_W - 1:0] mag;
    logic [ACC_W + 23:0] norm;
    logic [24:0] sig;
    logic sgn, guard, sticky, inexact;
    int p;
    sgn = acc_next < 0;
    mag = sgn ? ACC_W'(-acc_next) : ACC_W'(acc_next);
    p = 0;
    for (int b = 0; b < ACC_W; b++) if (mag[b]) p = b;
    // norm: the leading one at bit ACC_W + 23 (24 significant bits above ACC_W).
    norm = {mag, 24'd0} << (ACC_W - 1 - p);
    sig = {1'b0, norm[ACC_W+23-:24]};
    guard = norm[ACC_W-1];
    sticky = norm[ACC_W-2:0] != '0;
    inexact = guard | sticky;
    if (FAULT != 1 && guard && (sticky || sig[0])) sig = sig + 25'd1;
    res_flags = inexact ? 5'd1 : 5'd0;
    if (nan_next || (pinf_next && ninf_next)) begin
      res_code = 32'h7fc00000;
      res_flags = (inv_next || (pinf_next && ninf_next)) ? 5'd16 : 5'd0;
    end else if (pinf_next || ninf_next) begin
      res_code = {ninf_next, 31'h7f800000};
      res_flags = 5'd0;
    end else if (mag == '0) begin
      res_code = {negz_next & any_next, 31'd0};
    end else if (F32_OVF && FAULT != 3 && p + LSB_EXP + (sig[24] ? 1 : 0) > 127) begin  // rounded to 2^128 or more
      res_code = {sgn, 31'h7f800000};
      res_flags = 5'd5;  // overflow, inexact
    end else if (F32_SUB && p + LSB_EXP < -126) begin
      // Below float32's normal range: a subnormal code, exact (LSB_EXP >= -149) and so not an
      // underflow (tininess with an exact result raises nothing).
      res_code = {sgn, 31'(mag << (LSB_EXP + 149))};
    end else if (sig[24]) begin  // rounding carried into a new binade
      res_code = {sgn, 8'(p + LSB_EXP + 127 + 1), 23'd0};
    end else begin
      res_code = {sgn, 8'(p + LSB_EXP + 127), sig[22:0]};
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      nan_q <= 1'b0;
      negz_q <= 1'b1;
      any_q <= 1'b0;
      pinf_q <= 1'b0;
      ninf_q <= 1'b0;
      inv_q <= 1'b0;
      a_q <= '0;
      w_q <= '0;
      act_q <= '0;
      grp_q <= '0;
      acc_q <= '0;
      valid_q <= 1'b0;
      code_q <= '0;
      flags_q <= '0;
    end else begin
      valid_q <= 1'b0;
      if (ld) begin
        a_q <= in_a;
        w_q <= in_w;
        act_q <= act_in;
        if (in_first) begin
          acc_q <= '0;
          nan_q <= 1'b0;
          negz_q <= 1'b1;
          any_q <= 1'b0;
          pinf_q <= 1'b0;
          ninf_q <= 1'b0;
          inv_q <= 1'b0;
        end
      end
      if (active) begin
        grp_q <= grp_next;
        if (done) begin
          acc_q <= acc_next;
          nan_q <= nan_next;
          negz_q <= negz_next;
          any_q <= any_next;
          pinf_q <= A_IEEE != 0 && pinf_next;  // constant 0 without IEEE activations (synthesis drops them)
          ninf_q <= A_IEEE != 0 && ninf_next;
          inv_q <= A_IEEE != 0 && inv_next;
          if (last_cur) begin
            valid_q <= 1'b1;
            code_q <= res_code;
            flags_q <= res_flags;
          end
        end
      end
    end
  end

  assign out_valid = valid_q;
  assign out_code = code_q;
  assign out_flags = flags_q;

  logic unused;
  assign unused = ^{in_has_c, in_c};
endmodule
