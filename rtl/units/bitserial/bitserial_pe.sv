// The bit-serial PE (BitMoD-style; hardware.md §2.1), integer configuration: LANES signed integer
// activations x integer weights form a weight group; the PE latches the group and streams one digit
// of every weight per lane per cycle, CYCLES cycles per group:
//   ENC 0, bit planes (1 bit/cycle, Stripes / Loom): digit j = bit j of the weight, the MSB plane of
//          a signed weight weighing -2^(W_W-1); CYCLES = W_W;
//   ENC 1, radix-4 Booth (2 bits/cycle, BitMoD INT): digit j = -2 x(2j+1) + x(2j) + x(2j-1) in
//          {-2..2}, x(-1) = 0, the weight sign-extended (zero-extended when unsigned) to an even width
//          n (W_W rounded up to even; W_W + 1 rounded up when unsigned); CYCLES = n / 2.
// Each cycle every lane adds activation x digit x 2^significance (a shifted, negated or doubled copy
// of the activation: no multiplier) into the exact group register; the finished group goes into an
// exact ACC_W-bit accumulator (Kulisch for integers), and the dot product's result is rounded into
// OUT_W-bit two's complement (out of range: OVERFLOW 0 clamps + invalid, 1 clamps + overflow|inexact,
// 2 wraps + overflow|inexact; emu/round_int.cpp's policies) in the output register.
//
// Ports and timing are those of hwmodel/bitserial/pe.hpp BitSerialPe::step() with
// accum=exact<out=int{OUT_W}>: in_* are one step()'s SerialInputs (in_count = count, LANES for all;
// in.index has no effect on exact integers), out_* its SerialOutputs, out_ready is ready(). A group
// loaded at edge t streams its digits at edges t .. t+CYCLES-1; with in_last its result is in the
// output register after edge t+CYCLES-1, i.e. step() returns it at t+CYCLES (latency CYCLES + 1).
// A load while busy is ignored (the C++ model throws).
//
// FAULT (deliberately wrong variants the lockstep harness must catch): 1 drops the sign of the
// weight's MSB (the MSB bit plane weighs +2^(W_W-1); Booth's top digit reads its sign bit as 0);
// 2 delays out_valid and the result by one cycle; 3 ignores in_first (the accumulator is neither
// cleared nor loaded with the addend).
module bitserial_pe #(
    parameter int LANES = 4,
    parameter int A_W = 8,
    parameter int W_W = 4,
    parameter bit W_SIGNED = 1'b1,
    parameter int ENC = 1,
    parameter int OUT_W = 32,
    parameter int ACC_W = 48,
    parameter int OVERFLOW = 0,
    parameter int FAULT = 0
) (
    input  logic                           clk,
    input  logic                           rst_n,       // synchronous, active low
    input  logic                           in_load,
    input  logic                           in_first,
    input  logic                           in_last,
    input  logic [$clog2(LANES + 1) - 1:0] in_count,    // active lanes 0..LANES
    input  logic [LANES * A_W - 1:0]       in_a,        // lane l at [l*A_W +: A_W]
    input  logic [LANES * W_W - 1:0]       in_w,        // lane l at [l*W_W +: W_W]
    input  logic                           in_has_c,
    input  logic [OUT_W - 1:0]             in_c,
    output logic                           out_ready,
    output logic                           out_valid,
    output logic [OUT_W - 1:0]             out_code,
    output logic [4:0]                     out_flags    // emu/env.hpp flag bits: 1 inexact, 4 overflow, 16 invalid
);
  localparam int BOOTH_N = W_SIGNED ? (W_W + 1) / 2 * 2 : (W_W + 2) / 2 * 2;
  localparam int CYCLES = ENC == 0 ? W_W : BOOTH_N / 2;
  localparam int J_W = CYCLES > 1 ? $clog2(CYCLES) : 1;
  localparam int G_W = A_W + BOOTH_N + 3 + $clog2(LANES + 1);  // the exact group register
  localparam int XW = BOOTH_N + 1;                              // Booth: {weight extended, x(-1)}

  // The digit of weight w at step j: {-2..2} as a 3-bit two's complement number.
  function automatic logic signed [2:0] digit_of(input logic [W_W - 1:0] w, input logic [J_W - 1:0] j);
    logic [XW - 1:0] x;
    logic [2:0] xs;
    logic b;
    logic signed [2:0] d;
    d = 3'sd0;
    if (ENC == 0) begin
      b = 1'(w >> j);
      if (W_SIGNED && 32'(j) == W_W - 1 && FAULT != 1) d = b ? -3'sd1 : 3'sd0;
      else d = b ? 3'sd1 : 3'sd0;
    end else begin
      x = {{(XW - 1 - W_W){W_SIGNED & w[W_W-1]}}, w, 1'b0};
      xs = 3'(x >> (2 * 32'(j)));
      if (FAULT == 1 && 32'(j) == CYCLES - 1) xs[2] = 1'b0;
      case (xs[2:0])
        3'b001, 3'b010: d = 3'sd1;
        3'b011:         d = 3'sd2;
        3'b100:         d = -3'sd2;
        3'b101, 3'b110: d = -3'sd1;
        default:        d = 3'sd0;
      endcase
    end
    digit_of = d;
  endfunction

  function automatic int shift_of(input logic [J_W - 1:0] j);
    shift_of = ENC == 0 ? 32'(j) : 2 * 32'(j);
  endfunction

  // State.
  logic [LANES * A_W - 1:0] a_q;
  logic [LANES * W_W - 1:0] w_q;
  logic signed [G_W - 1:0] grp_q;
  logic signed [ACC_W - 1:0] acc_q;
  logic valid_q;
  logic [OUT_W - 1:0] code_q;
  logic [4:0] flags_q;

  // This cycle's operands: the group being loaded, or the latched one.
  logic ld, active, done, last_cur;
  logic [J_W - 1:0] j_cur;
  logic [LANES * A_W - 1:0] a_gated, a_cur;
  logic [LANES * W_W - 1:0] w_cur;
  logic signed [G_W - 1:0] pp_sum, grp_next;
  logic signed [ACC_W - 1:0] c_ext, acc_base, acc_next;

  bitserial_seq #(.CYCLES(CYCLES)) u_seq (
      .clk, .rst_n, .in_load, .in_last, .ld, .active, .done, .last_cur, .j_cur, .out_ready
  );
  assign w_cur = ld ? in_w : w_q;
  assign a_cur = ld ? a_gated : a_q;
  assign c_ext = in_has_c ? ACC_W'($signed(in_c)) : '0;

  // Lanes at or above in_count are gated off (their activations latched as zero).
  always_comb begin
    for (int l = 0; l < LANES; l++)
      a_gated[l*A_W+:A_W] = 32'(l) < 32'(in_count) ? in_a[l*A_W+:A_W] : '0;
  end

  // Every lane's partial product activation x digit x 2^significance, summed.
  always_comb begin
    logic signed [G_W - 1:0] av, pp;
    logic signed [2:0] d;
    pp_sum = '0;
    for (int l = 0; l < LANES; l++) begin
      av = G_W'($signed(a_cur[l*A_W+:A_W]));
      d = digit_of(w_cur[l*W_W+:W_W], j_cur);
      case (d)
        3'sd1:   pp = av;
        3'sd2:   pp = av <<< 1;
        -3'sd1:  pp = -av;
        -3'sd2:  pp = -(av <<< 1);
        default: pp = '0;
      endcase
      pp_sum = pp_sum + (pp <<< shift_of(j_cur));
    end
  end

  assign grp_next = (ld ? G_W'(0) : grp_q) + pp_sum;
  assign acc_base = (ld && in_first && FAULT != 3) ? c_ext : acc_q;
  assign acc_next = acc_base + ACC_W'(grp_next);

  // The exact sum rounded into OUT_W-bit two's complement under the overflow policy.
  localparam logic signed [ACC_W - 1:0] OUT_MAX = ACC_W'({1'b0, {(OUT_W - 1) {1'b1}}});
  localparam logic signed [ACC_W - 1:0] OUT_MIN = -OUT_MAX - ACC_W'(1);
  logic [OUT_W - 1:0] res_code;
  logic [4:0] res_flags;
  always_comb begin
    res_code = acc_next[OUT_W-1:0];
    res_flags = 5'd0;
    if (acc_next > OUT_MAX || acc_next < OUT_MIN) begin
      if (OVERFLOW != 2) res_code = acc_next < 0 ? OUT_MIN[OUT_W-1:0] : OUT_MAX[OUT_W-1:0];
      res_flags = OVERFLOW == 0 ? 5'd16 : 5'd5;
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      a_q <= '0;
      w_q <= '0;
      grp_q <= '0;
      acc_q <= '0;
      valid_q <= 1'b0;
      code_q <= '0;
      flags_q <= '0;
    end else begin
      valid_q <= 1'b0;
      if (ld) begin
        a_q <= a_gated;
        w_q <= in_w;
        if (in_first && FAULT != 3) acc_q <= c_ext;
      end
      if (active) begin
        grp_q <= grp_next;
        if (done) begin
          acc_q <= acc_next;
          if (last_cur) begin
            valid_q <= 1'b1;
            code_q <= res_code;
            flags_q <= res_flags;
          end
        end
      end
    end
  end

  // The output register (FAULT 2: one stage more).
  generate
    if (FAULT == 2) begin : g_late
      logic valid_d;
      logic [OUT_W - 1:0] code_d;
      logic [4:0] flags_d;
      always_ff @(posedge clk) begin
        valid_d <= rst_n & valid_q;
        code_d <= code_q;
        flags_d <= flags_q;
      end
      assign out_valid = valid_d;
      assign out_code = code_d;
      assign out_flags = flags_d;
    end else begin : g_out
      assign out_valid = valid_q;
      assign out_code = code_q;
      assign out_flags = flags_q;
    end
  endgenerate
endmodule
