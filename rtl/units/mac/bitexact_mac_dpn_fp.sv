// The floating-point DPn unit with a fused accumulator (hwmodel/mac Dpn, accum=fused<k=LANES,acc=ACC,
// align=rz,round=rz,out=float32>, e.g. v100-fp16 with FP8 operands): each chunk is one fused step.
//   - products exact (LANES small-float x small-float significand products, no rounding);
//   - the step's terms (the products and the register R) aligned to the largest leading exponent E,
//     on the grid 2^(E-(ACC-1)), bits below dropped (truncation of the magnitude: RZ);
//   - their exact sum normalised back to ACC bits, truncated (RZ), kept as (sign, magnitude, exponent);
//   - the result R packed into float32: exact (ACC <= 24 and every value on the 2^-149 grid).
// No guard or sticky bits (guard=0, sticky=false): the carry-out rule of the model (carry bits)
// then never changes the result, since the renormalisation truncates at a coarser grid than the
// carry-out truncation, so CARRY is not a parameter. NaN / infinity classes and the zero sign follow
// IEEE 754 addition over the set of terms (the model's Classes); invalid for inf*0, +inf + -inf and a
// signalling NaN operand or addend. The addend c (in_has_c with in_first) is a float32 code and starts R.
// Same ports and latency as Dpn::step() (see bitexact_mac_dpn_int.sv); the fused step is per chunk
// with at least one active lane, so in_count < LANES only on a dot product's last chunk (the model
// steps every k = LANES products, across chunks).
// Operands: any float format of the package (OCP FP8 / FP6 / FP4, float16, bfloat16), A and B
// independently (E4M3 x E2M1). With bfloat16 (WIDE) the register's value can leave float32's range:
// the result is rounded to nearest even into float32 (overflow to infinity, subnormals; overflow,
// underflow and inexact flags as the core's round_to_format with tininess after rounding, which
// here is before rounding too: R has at most 24 significant bits).
// MX block inputs (A_MX / B_MX, OCP MX v1.0 as the model reads them, scales applied before the sum):
// the operand is an element code (FP8 / FP6 / FP4) and in_scale_a / in_scale_b the E8M0 scale of
// the block the chunk lies in (LANES divides the block size 32: one scale per chunk and operand);
// a product is x * y * 2^(scale - 127) exactly, a NaN when either scale is 0xFF, and elements are
// read as values (a signalling-NaN element raises no invalid). Scales reach 2^+-127 per operand, so
// MX units take the WIDE path. Scalar operands ignore the scale ports.
// FAULT (tests only): 1 = the alignment rounds the product terms to nearest instead of truncating;
// 2 = subnormal A operands read with exponent 0 instead of 1 (half their value); 3 = the NaN scale
// code 0xFF read as the number 2^128; 4 = the WIDE subnormal rounding ignores the sticky bit (a value
// just above half an ulp is taken for a tie).
module bitexact_mac_dpn_fp #(
  parameter int LANES = 4,
  parameter int A_FMT = bitexact_formats_pkg::FMT_FP8_E4M3,
  parameter int B_FMT = bitexact_formats_pkg::FMT_FP8_E4M3,
  parameter int ACC = 24,       // register significand bits, <= 24
  parameter bit A_MX = 1'b0,    // A is an MX block operand (A_FMT its element format)
  parameter bit B_MX = 1'b0,
  parameter int PIPELINE = 2,
  parameter int FAULT = 0,
  localparam int CNT_W = $clog2(LANES + 1),
  localparam int A_W = bitexact_formats_pkg::fmt_width(A_FMT),
  localparam int B_W = bitexact_formats_pkg::fmt_width(B_FMT)
) (
  input  logic                   clk,
  input  logic                   rst_n,
  input  logic                   in_valid,
  input  logic                   in_first,
  input  logic                   in_last,
  input  logic [CNT_W-1:0]       in_count,
  input  logic [LANES*A_W-1:0]   in_a,
  input  logic [LANES*B_W-1:0]   in_b,
  input  logic [7:0]             in_scale_a,  // E8M0 block scales (MX operands)
  input  logic [7:0]             in_scale_b,
  input  logic                   in_has_c,
  input  logic [31:0]            in_c,
  output logic                   out_valid,
  output logic [31:0]            out_code,
  output logic [bitexact_formats_pkg::FLAGS_W-1:0] out_flags
);
  localparam int AE = bitexact_formats_pkg::fmt_exp_bits(A_FMT), AM = bitexact_formats_pkg::fmt_man_bits(A_FMT), ABIAS = bitexact_formats_pkg::fmt_bias(A_FMT);
  localparam int BE = bitexact_formats_pkg::fmt_exp_bits(B_FMT), BM = bitexact_formats_pkg::fmt_man_bits(B_FMT), BBIAS = bitexact_formats_pkg::fmt_bias(B_FMT);
  localparam int ANAN = bitexact_formats_pkg::fmt_nan_style(A_FMT), BNAN = bitexact_formats_pkg::fmt_nan_style(B_FMT);
  localparam int PW = AM + BM + 2;   // product significand bits
  // Operands with 8 exponent bits (bfloat16): products from 2^-266 to 2^256, beyond float32's range,
  // so wider exponents and a rounding output stage (WIDE); the others' sums are exact in float32.
  localparam bit WIDE = AE >= 8 || BE >= 8 || A_MX || B_MX;
  localparam int EW = WIDE ? 12 : 10;  // signed exponents: operands, products, the register, float32
  localparam int RW = 24;            // the register's magnitude, leading bit at RW-1 (float32's)
  localparam int TW = ACC + PW + 4;  // aligned terms and their signed sum (LANES + 1 terms)
  localparam int LW = $clog2(TW);

  // ---- operands and products -------------------------------------------------------------------
  logic                  p_fin [LANES], p_zero [LANES], p_nan [LANES], p_inf [LANES], p_inv [LANES];
  logic                  p_sign [LANES];
  logic [PW-1:0]         p_sig [LANES];
  logic signed [EW-1:0]  p_exp [LANES];   // exponent of the product significand's LSB
  logic signed [EW-1:0]  p_lead [LANES];  // exponent of its leading one

  // MX: the chunk's block scales, 2^(code - 127) each; 0xFF (NaN) makes every active product NaN.
  logic signed [EW-1:0] scale_exp;
  logic                 scale_nan;
  always_comb begin
    scale_exp = (A_MX ? EW'(in_scale_a) - EW'(127) : '0) + (B_MX ? EW'(in_scale_b) - EW'(127) : '0);
    scale_nan = FAULT != 3 && ((A_MX && &in_scale_a) || (B_MX && &in_scale_b));
  end

  always_comb begin
    for (int l = 0; l < LANES; l++) begin
      logic [AE-1:0] ea; logic [AM-1:0] ma; logic sa, a_nan, a_inf, a_zero;
      logic [BE-1:0] eb; logic [BM-1:0] mb; logic sb, b_nan, b_inf, b_zero;
      logic active;
      ea = in_a[l*A_W + AM +: AE];
      ma = in_a[l*A_W +: AM];
      sa = in_a[l*A_W + A_W - 1];
      eb = in_b[l*B_W + BM +: BE];
      mb = in_b[l*B_W +: BM];
      sb = in_b[l*B_W + B_W - 1];
      a_nan = (ANAN == bitexact_formats_pkg::NAN_ALL_ONES && &ea && &ma) || (ANAN == bitexact_formats_pkg::NAN_IEEE && &ea && |ma);
      a_inf = ANAN == bitexact_formats_pkg::NAN_IEEE && &ea && ~|ma;
      a_zero = ~|ea && ~|ma;
      b_nan = (BNAN == bitexact_formats_pkg::NAN_ALL_ONES && &eb && &mb) || (BNAN == bitexact_formats_pkg::NAN_IEEE && &eb && |mb);
      b_inf = BNAN == bitexact_formats_pkg::NAN_IEEE && &eb && ~|mb;
      b_zero = ~|eb && ~|mb;
      active = CNT_W'(l) < in_count;
      // inf x 0, or a signalling NaN operand (IEEE-style formats: the mantissa's top bit clear;
      // not MX elements).
      p_inv[l] = active && ((a_inf && b_zero) || (a_zero && b_inf) ||
                            (!A_MX && ANAN == bitexact_formats_pkg::NAN_IEEE && a_nan && !ma[AM-1]) ||
                            (!B_MX && BNAN == bitexact_formats_pkg::NAN_IEEE && b_nan && !mb[BM-1]));
      p_nan[l] = active && (a_nan || b_nan || (a_inf && b_zero) || (a_zero && b_inf) || scale_nan);
      p_inf[l] = active && !p_nan[l] && (a_inf || b_inf);
      p_zero[l] = active && !p_nan[l] && !p_inf[l] && (a_zero || b_zero);
      p_fin[l] = active && !p_nan[l] && !p_inf[l] && !p_zero[l];
      p_sign[l] = sa ^ sb;
      p_sig[l] = PW'({|ea, ma}) * PW'({|eb, mb});
      p_exp[l] = (|ea ? EW'(ea) : EW'(FAULT == 2 ? 0 : 1)) - EW'(ABIAS + AM) + (|eb ? EW'(eb) : EW'(1)) - EW'(BBIAS + BM)
                 + scale_exp;
      p_lead[l] = p_exp[l];
      for (int b = 0; b < PW; b++)
        if (p_sig[l][b]) p_lead[l] = p_exp[l] + EW'(b);
    end
  end

  // ---- the addend: a float32 code --------------------------------------------------------------
  logic                 c_nan, c_snan, c_inf, c_zero, c_fin;
  logic [RW-1:0]        c_mag;
  logic signed [EW-1:0] c_exp;
  always_comb begin
    c_nan = &in_c[30:23] && |in_c[22:0];
    c_snan = c_nan && !in_c[22];
    c_inf = &in_c[30:23] && ~|in_c[22:0];
    c_zero = ~|in_c[30:0];
    c_fin = !c_nan && !c_inf && !c_zero;
    c_mag = {|in_c[30:23], in_c[22:0]};
    c_exp = EW'(in_c[30:23]) - EW'(127);
    if (~|in_c[30:23]) begin  // subnormal: normalise (exact)
      c_exp = -EW'(149);
      for (int b = 0; b < 23; b++)
        if (in_c[b]) begin
          c_exp = EW'(b) - EW'(149);
          c_mag = RW'(in_c[22:0]) << (23 - b);
        end
    end
  end

  // ---- registers: R and the classes of the terms so far ----------------------------------------
  logic                 r_nz_q, r_sign_q;
  logic [RW-1:0]        r_mag_q;
  logic signed [EW-1:0] r_exp_q;
  logic                 k_nan_q, k_pinf_q, k_ninf_q, k_any_q, k_negz_q, k_inv_q;

  // This chunk's starting state: the registers, or the addend on a first chunk.
  logic                 r0_nz, r0_sign;
  logic [RW-1:0]        r0_mag;
  logic signed [EW-1:0] r0_exp;
  logic                 k_nan, k_pinf, k_ninf, k_any, k_negz, k_inv;
  always_comb begin
    if (in_first) begin
      r0_nz = in_has_c && c_fin;
      r0_sign = in_c[31];
      r0_mag = c_mag;
      r0_exp = c_exp;
      k_nan = in_has_c && c_nan;
      k_pinf = in_has_c && c_inf && !in_c[31];
      k_ninf = in_has_c && c_inf && in_c[31];
      k_any = in_has_c;
      k_negz = !in_has_c || (c_zero && in_c[31]);
      k_inv = in_has_c && c_snan;
    end else begin
      r0_nz = r_nz_q;
      r0_sign = r_sign_q;
      r0_mag = r_mag_q;
      r0_exp = r_exp_q;
      k_nan = k_nan_q;
      k_pinf = k_pinf_q;
      k_ninf = k_ninf_q;
      k_any = k_any_q;
      k_negz = k_negz_q;
      k_inv = k_inv_q;
    end
    for (int l = 0; l < LANES; l++) begin
      k_nan = k_nan || p_nan[l];
      k_pinf = k_pinf || (p_inf[l] && !p_sign[l]);
      k_ninf = k_ninf || (p_inf[l] && p_sign[l]);
      k_inv = k_inv || p_inv[l];
      k_any = k_any || p_nan[l] || p_inf[l] || p_zero[l] || p_fin[l];
      k_negz = k_negz && !p_fin[l] && !(p_zero[l] && !p_sign[l]);
    end
  end

  // ---- the fused step ---------------------------------------------------------------------------
  logic                 any_term;
  logic signed [EW-1:0] e_max;
  logic signed [TW-1:0] sum;
  logic [TW-1:0]        mag;
  logic [LW-1:0]        lead;
  logic                 r1_nz, r1_sign;
  logic [RW-1:0]        r1_mag;
  logic signed [EW-1:0] r1_exp;
  logic [TW-1:0]        t_full, t_term, t_r;
  logic [EW-1:0]        t_d, t_dr;
  always_comb begin
    any_term = r0_nz;
    e_max = r0_exp;
    for (int l = 0; l < LANES; l++)
      if (p_fin[l] && (!any_term || p_lead[l] > e_max)) begin
        e_max = p_lead[l];
        any_term = 1'b1;
      end
    sum = '0;
    t_full = '0;
    t_term = '0;
    t_d = '0;
    for (int l = 0; l < LANES; l++) begin
      t_d = e_max - p_exp[l];  // >= the product's leading-one position
      t_full = TW'(p_sig[l]) << (ACC - 1);
      t_term = t_d >= EW'(TW) ? '0 : t_full >> t_d;
      if (FAULT == 1 && t_d != '0 && t_d < EW'(TW)) t_term = t_term + TW'(t_full[t_d - 1]);  // round half up
      if (p_fin[l]) sum = p_sign[l] ? sum - $signed(t_term) : sum + $signed(t_term);
    end
    t_dr = e_max - r0_exp + EW'(RW - ACC);
    t_r = t_dr >= EW'(TW) ? '0 : TW'(r0_mag) >> t_dr;
    if (r0_nz) sum = r0_sign ? sum - $signed(t_r) : sum + $signed(t_r);
    mag = sum[TW-1] ? TW'(-sum) : TW'(sum);
    lead = '0;
    for (int b = 0; b < TW; b++)
      if (mag[b]) lead = LW'(b);
    r1_nz = any_term && mag != '0;
    r1_sign = sum[TW-1];
    if (lead > LW'(ACC - 1)) r1_mag = RW'(mag >> (lead - LW'(ACC - 1))) << (RW - ACC);
    else r1_mag = RW'(mag << (LW'(ACC - 1) - lead)) << (RW - ACC);
    r1_exp = e_max - EW'(ACC - 1) + EW'(lead);
    // A chunk without active lanes is no step (the model steps on pending products only): R, e.g. a
    // float32 addend wider than ACC bits, passes unchanged.
    if (in_count == '0) begin
      r1_nz = r0_nz;
      r1_sign = r0_sign;
      r1_mag = r0_mag;
      r1_exp = r0_exp;
    end
  end

  // ---- the result: float32 (exact unless WIDE) ----------------------------------------------------
  logic [31:0] res_code;
  logic [bitexact_formats_pkg::FLAGS_W-1:0] res_flags;
  logic [RW-1:0] sub_q;       // WIDE: the subnormal significand, rounded (2^23: the smallest normal)
  logic          sub_inexact;
  logic [EW-1:0]   sub_sh;
  logic [2*RW-1:0] sub_mag;   // r1_mag shifted onto the subnormal grid: integer part, then the rest
  logic            sub_guard, sub_sticky;
  always_comb begin
    sub_sh = -EW'(126) - r1_exp;  // >= 1 when r1_exp is below the normal range
    sub_mag = {r1_mag, {RW{1'b0}}} >> (sub_sh > EW'(RW + 1) ? EW'(RW + 1) : sub_sh);
    sub_guard = sub_mag[RW-1];
    sub_sticky = FAULT != 4 && |sub_mag[RW-2:0];
    sub_q = '0;
    sub_inexact = 1'b0;
    if (WIDE && r1_exp < -EW'(126)) begin
      sub_q = sub_mag[2*RW-1:RW] + RW'(sub_guard && (sub_sticky || sub_mag[RW]));
      sub_inexact = sub_guard || sub_sticky;
    end
  end
  always_comb begin
    res_flags = '0;
    res_flags[bitexact_formats_pkg::FLAG_INVALID] = k_inv || (k_pinf && k_ninf);
    if (k_nan || (k_pinf && k_ninf)) res_code = 32'h7fc00000;
    else if (k_pinf || k_ninf) res_code = {k_ninf, 8'hff, 23'h0};
    else if (!r1_nz) res_code = {k_any && k_negz, 31'h0};
    else if (WIDE && r1_exp > EW'(127)) begin  // overflow, nearest even: infinity
      res_code = {r1_sign, 8'hff, 23'h0};
      res_flags[bitexact_formats_pkg::FLAG_OVERFLOW] = 1'b1;
      res_flags[bitexact_formats_pkg::FLAG_INEXACT] = 1'b1;
    end else if (r1_exp >= -EW'(126)) res_code = {r1_sign, 8'(r1_exp + EW'(127)), r1_mag[22:0]};
    else if (WIDE) begin
      res_code = {r1_sign, 31'(sub_q)};  // a carry into bit 23 makes the smallest normal
      res_flags[bitexact_formats_pkg::FLAG_UNDERFLOW] = sub_inexact;
      res_flags[bitexact_formats_pkg::FLAG_INEXACT] = sub_inexact;
    end else res_code = {r1_sign, 8'h0, 23'(r1_mag >> (-EW'(126) - r1_exp))};
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      {r_nz_q, r_sign_q, r_mag_q, r_exp_q} <= '0;
      {k_nan_q, k_pinf_q, k_ninf_q, k_any_q, k_negz_q, k_inv_q} <= '0;
    end else if (in_valid) begin
      {r_nz_q, r_sign_q, r_mag_q, r_exp_q} <= {r1_nz, r1_sign, r1_mag, r1_exp};
      {k_nan_q, k_pinf_q, k_ninf_q, k_any_q, k_negz_q, k_inv_q} <= {k_nan, k_pinf, k_ninf, k_any, k_negz, k_inv};
    end
  end
  bitexact_mac_out_pipe #(.W(32), .PIPELINE(PIPELINE)) u_out (
    .clk, .rst_n, .fire(in_valid && in_last), .res_code, .res_flags, .out_valid, .out_code, .out_flags);
endmodule
