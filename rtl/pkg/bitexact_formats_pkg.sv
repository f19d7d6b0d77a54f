// The number formats the RTL units support, one id per format, and their fields as constant
// functions (usable in parameter expressions; Verilator 5.006 and yosys 0.23 both read them).
// The names and field values are those of the C++ catalog (formats/catalog, `bitexact formats`):
// OCP FP8/FP6/FP4 ("fn" formats have no infinities; E4M3's only NaN is S.1111.111), IEEE binary16 /
// binary32, bfloat16, two's complement integers.
// A unit uses a few of these: the others are not warnings.
/* verilator lint_off UNUSEDPARAM */
package bitexact_formats_pkg;

  // Format ids (ints, not an enum, and functions assign their name rather than `return`: the forms
  // yosys 0.23 reads).
  localparam int FMT_INT4 = 0;
  localparam int FMT_INT8 = 1;
  localparam int FMT_UINT8 = 2;
  localparam int FMT_INT32 = 3;
  localparam int FMT_FP4_E2M1 = 4;   // float4_e2m1fn
  localparam int FMT_FP6_E2M3 = 5;   // float6_e2m3fn
  localparam int FMT_FP6_E3M2 = 6;   // float6_e3m2fn
  localparam int FMT_FP8_E4M3 = 7;   // float8_e4m3fn
  localparam int FMT_FP8_E5M2 = 8;   // float8_e5m2
  localparam int FMT_FP16 = 9;       // float16
  localparam int FMT_BF16 = 10;      // bfloat16
  localparam int FMT_FP32 = 11;      // float32

  // How NaN (and infinity) are encoded in a float format.
  localparam int NAN_NONE = 0;      // no NaN, no infinity (FP4, FP6): every code is finite
  localparam int NAN_ALL_ONES = 1;  // fn formats with NaN (E4M3): S.1111.111 is NaN, no infinity
  localparam int NAN_IEEE = 2;      // all-ones exponent: zero mantissa Inf, else NaN

  function automatic logic fmt_is_int(int f);
    fmt_is_int = f == FMT_INT4 || f == FMT_INT8 || f == FMT_UINT8 || f == FMT_INT32;
  endfunction

  function automatic logic fmt_is_signed(int f);
    fmt_is_signed = f != FMT_UINT8;
  endfunction

  function automatic int fmt_width(int f);
    case (f)
      FMT_INT4, FMT_FP4_E2M1: fmt_width = 4;
      FMT_FP6_E2M3, FMT_FP6_E3M2: fmt_width = 6;
      FMT_INT8, FMT_UINT8, FMT_FP8_E4M3, FMT_FP8_E5M2: fmt_width = 8;
      FMT_FP16, FMT_BF16: fmt_width = 16;
      default: fmt_width = 32;
    endcase
  endfunction

  // Exponent field bits (0 for integers).
  function automatic int fmt_exp_bits(int f);
    case (f)
      FMT_FP4_E2M1, FMT_FP6_E2M3: fmt_exp_bits = 2;
      FMT_FP6_E3M2: fmt_exp_bits = 3;
      FMT_FP8_E4M3: fmt_exp_bits = 4;
      FMT_FP8_E5M2, FMT_FP16: fmt_exp_bits = 5;
      FMT_BF16, FMT_FP32: fmt_exp_bits = 8;
      default: fmt_exp_bits = 0;
    endcase
  endfunction

  // Stored mantissa (fraction) bits; for integers the magnitude bits below the sign.
  function automatic int fmt_man_bits(int f);
    case (f)
      FMT_FP4_E2M1: fmt_man_bits = 1;
      FMT_FP6_E3M2, FMT_FP8_E5M2: fmt_man_bits = 2;
      FMT_FP6_E2M3, FMT_FP8_E4M3: fmt_man_bits = 3;
      FMT_BF16: fmt_man_bits = 7;
      FMT_FP16: fmt_man_bits = 10;
      FMT_FP32: fmt_man_bits = 23;
      default: fmt_man_bits = fmt_width(f) - (fmt_is_signed(f) ? 1 : 0);
    endcase
  endfunction

  function automatic int fmt_bias(int f);
    fmt_bias = fmt_is_int(f) ? 0 : (1 << (fmt_exp_bits(f) - 1)) - 1;
  endfunction

  function automatic int fmt_nan_style(int f);
    case (f)
      FMT_FP4_E2M1, FMT_FP6_E2M3, FMT_FP6_E3M2: fmt_nan_style = NAN_NONE;
      FMT_FP8_E4M3: fmt_nan_style = NAN_ALL_ONES;
      FMT_FP8_E5M2, FMT_FP16, FMT_BF16, FMT_FP32: fmt_nan_style = NAN_IEEE;
      default: fmt_nan_style = NAN_NONE;
    endcase
  endfunction

  // Exception flags as the C++ core numbers them (emu/env.hpp flag::).
  localparam int FLAG_INEXACT = 0;
  localparam int FLAG_UNDERFLOW = 1;
  localparam int FLAG_OVERFLOW = 2;
  localparam int FLAG_DIVZERO = 3;
  localparam int FLAG_INVALID = 4;
  localparam int FLAGS_W = 5;

endpackage
/* verilator lint_on UNUSEDPARAM */
