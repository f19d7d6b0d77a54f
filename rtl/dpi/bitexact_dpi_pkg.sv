// bitexact DPI-C golden model: the SystemVerilog side of bitexact_dpi.h.
//
//   import bitexact_dpi_pkg::*;
//   longint unsigned r; int unsigned fl;
//   if (bx_op("e4m3", BX_OP_MUL, BX_RM_RNE, BX_OVF_IEEE, BX_SUB_KEEP, BX_TINY_AFTER,
//             a, b, 0, 0, r, fl) != BX_OK) $fatal(1, "bx_op failed");
//
// Link libbitexact_dpi.so into the simulation (Verilator: add it to the executable; VCS, Questa,
// Xcelium: -sv_lib <dir>/libbitexact_dpi). Codes are passed zero-extended to 64 bits; results come
// back the same way (take the low width bits). Every function is pure and thread-safe.
// The numbering below equals bitexact_dpi.h (tests/rtl/test_dpi.cpp checks it).
// verilator lint_off UNUSEDPARAM
package bitexact_dpi_pkg;

  // Status codes (negative: error; bx_error_message names them).
  localparam int BX_OK = 0;
  localparam int BX_ERR_FORMAT = -1;
  localparam int BX_ERR_OPERATION = -2;
  localparam int BX_ERR_ROUNDING = -3;
  localparam int BX_ERR_OVERFLOW = -4;
  localparam int BX_ERR_SUBNORMALS = -5;
  localparam int BX_ERR_TININESS = -6;
  localparam int BX_ERR_OPERAND = -7;
  localparam int BX_ERR_RANDOM = -8;
  localparam int BX_ERR_MODEL = -9;
  localparam int BX_ERR_ARGUMENT = -10;
  localparam int BX_ERR_INTERNAL = -11;

  // Operations (emu/operation.hpp Operation).
  localparam int BX_OP_ADD = 0;
  localparam int BX_OP_SUB = 1;
  localparam int BX_OP_MUL = 2;
  localparam int BX_OP_DIV = 3;
  localparam int BX_OP_FMA = 4;
  localparam int BX_OP_SQRT = 5;
  localparam int BX_OP_MIN = 6;
  localparam int BX_OP_MAX = 7;
  localparam int BX_OP_EQ = 8;
  localparam int BX_OP_LT = 9;
  localparam int BX_OP_LE = 10;
  localparam int BX_OP_CONVERT = 11;

  // Rounding modes (emu/env.hpp RoundingMode); sr:R is bx_rm_sr_bits(R).
  localparam int BX_RM_RNE = 0;
  localparam int BX_RM_RNA = 1;
  localparam int BX_RM_RTZ = 2;
  localparam int BX_RM_RUP = 3;
  localparam int BX_RM_RDN = 4;
  localparam int BX_RM_ROD = 5;
  localparam int BX_RM_SR = 6;
  localparam int BX_RM_SRR = 7;

  // Overflow policies (emu/env.hpp OverflowPolicy).
  localparam int BX_OVF_IEEE = 0;
  localparam int BX_OVF_SATURATE = 1;
  localparam int BX_OVF_WRAP = 2;

  // Subnormal policies (emu/env.hpp SubnormalPolicy).
  localparam int BX_SUB_KEEP = 0;
  localparam int BX_SUB_FTZ = 1;
  localparam int BX_SUB_DAZ = 2;
  localparam int BX_SUB_FTZ_DAZ = 3;

  // Tininess (emu/env.hpp Tininess).
  localparam int BX_TINY_AFTER = 0;
  localparam int BX_TINY_BEFORE = 1;

  // Exception flags, TestFloat bit order.
  localparam int unsigned BX_FLAG_INEXACT = 1;
  localparam int unsigned BX_FLAG_UNDERFLOW = 2;
  localparam int unsigned BX_FLAG_OVERFLOW = 4;
  localparam int unsigned BX_FLAG_DIVBYZERO = 8;
  localparam int unsigned BX_FLAG_INVALID = 16;

  // sr:R: stochastic rounding with R random bits (1..32), taken from the low R bits of random_bits.
  function automatic int bx_rm_sr_bits(int r);
    return BX_RM_SRR | (r << 8);
  endfunction

  import "DPI-C" function int bx_op(input string format, input int op, input int rounding, input int overflow,
                                    input int subnormals, input int tininess, input longint unsigned a,
                                    input longint unsigned b, input longint unsigned c,
                                    input longint unsigned random_bits, output longint unsigned result,
                                    output int unsigned flags);

  import "DPI-C" function int bx_convert(input string from_format, input string to_format, input int rounding,
                                         input int overflow, input int subnormals, input int tininess,
                                         input longint unsigned a, input longint unsigned random_bits,
                                         output longint unsigned result, output int unsigned flags);

  // A dot product under an accumulation model (bx_dot in bitexact_dpi.h), over open arrays: a[] and b[]
  // of the same size; random_bits[] may be empty unless the model rounds stochastically.
  import "DPI-C" function int bx_dot_sv(input string model, input string format_a, input string format_b,
                                        input longint unsigned a[], input longint unsigned b[],
                                        input longint unsigned c, input int has_c, input int rounding,
                                        input int overflow, input int subnormals, input int tininess,
                                        input longint unsigned random_bits[], output longint unsigned result,
                                        output int unsigned flags);

  import "DPI-C" function int bx_width(input string format);
  import "DPI-C" function int bx_is_nan(input string format, input longint unsigned code);
  import "DPI-C" function string bx_error_message(input int status);

endpackage
// verilator lint_on UNUSEDPARAM
