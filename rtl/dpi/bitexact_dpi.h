/* bitexact DPI-C golden model: pure C functions over bit patterns, for SystemVerilog testbenches
 * (import "DPI-C", see bitexact_dpi_pkg.sv) and for C/C++ callers.
 *
 * Every function is pure: its result depends only on its arguments (parsed format specs are memoised
 * behind a lock, which changes no result), so it may be called from any thread, in any order.
 * Integer types follow the DPI-C mapping (IEEE 1800-2017 Annex H) exactly as simulators generate
 * the import prototypes: longint unsigned <-> unsigned long long (64 bits, a uint64_t value),
 * int unsigned <-> unsigned int, int <-> int, string <-> const char*. So this header and a
 * simulator's generated header (Verilator's V<top>__Dpi.h) can be included in one file.
 *
 * Numbering: the BX_OP_, BX_RM_, BX_OVF_, BX_SUB_ and BX_TINY_ values equal the C++ enums
 * (emu/operation.hpp Operation, emu/env.hpp RoundingMode, OverflowPolicy, SubnormalPolicy,
 * Tininess); tests/rtl/test_dpi.cpp checks that, and that bitexact_dpi_pkg.sv says the same.
 */
#ifndef BITEXACT_DPI_H
#define BITEXACT_DPI_H

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes: 0 ok, negative on error (bx_error_message names them). Outputs are written only on 0. */
#define BX_OK 0
#define BX_ERR_FORMAT (-1)      /* a format spec that does not parse */
#define BX_ERR_OPERATION (-2)   /* an operation number out of range */
#define BX_ERR_ROUNDING (-3)    /* a rounding code out of range, or sr:R with R outside 1..32 */
#define BX_ERR_OVERFLOW (-4)    /* an overflow-policy code out of range */
#define BX_ERR_SUBNORMALS (-5)  /* a subnormal-policy code out of range */
#define BX_ERR_TININESS (-6)    /* a tininess code out of range */
#define BX_ERR_OPERAND (-7)     /* an operand with bits set above its format's width */
#define BX_ERR_RANDOM (-8)      /* a stochastic rounding needed more random words than were given */
#define BX_ERR_MODEL (-9)       /* an accumulation-model spec that does not parse */
#define BX_ERR_ARGUMENT (-10)   /* a null pointer, a negative length, or two operand formats a model refuses */
#define BX_ERR_INTERNAL (-11)   /* any other failure inside the model */

/* Operations: emu/operation.hpp Operation. eq/lt/le give 0 or 1. */
#define BX_OP_ADD 0
#define BX_OP_SUB 1
#define BX_OP_MUL 2
#define BX_OP_DIV 3
#define BX_OP_FMA 4 /* a*b+c, one rounding */
#define BX_OP_SQRT 5
#define BX_OP_MIN 6
#define BX_OP_MAX 7
#define BX_OP_EQ 8
#define BX_OP_LT 9
#define BX_OP_LE 10
#define BX_OP_CONVERT 11 /* in bx_op: into the same format (canonicalises NaN, applies daz/ftz) */

/* Rounding modes: emu/env.hpp RoundingMode. sr:R is BX_RM_SRR | R << 8 (BX_RM_SR_BITS(R)). */
#define BX_RM_RNE 0
#define BX_RM_RNA 1
#define BX_RM_RTZ 2
#define BX_RM_RUP 3
#define BX_RM_RDN 4
#define BX_RM_ROD 5
#define BX_RM_SR 6  /* exact-probability stochastic: random_bits is a 64-bit uniform fraction */
#define BX_RM_SRR 7 /* R-bit stochastic: the low R bits of random_bits are added below the kept LSB */
#define BX_RM_SR_BITS(r) (BX_RM_SRR | ((r) << 8))

/* Overflow policies: emu/env.hpp OverflowPolicy. */
#define BX_OVF_IEEE 0     /* to inf or max by mode; formats without inf: NaN (OCP non-saturating) */
#define BX_OVF_SATURATE 1 /* to +-max finite (OCP SAT) */
#define BX_OVF_WRAP 2     /* integers / fixed point: two's-complement wrap */

/* Subnormal policies: emu/env.hpp SubnormalPolicy. */
#define BX_SUB_KEEP 0
#define BX_SUB_FTZ 1     /* tiny results flush to signed zero */
#define BX_SUB_DAZ 2     /* subnormal operands read as signed zero */
#define BX_SUB_FTZ_DAZ 3

/* Tininess: emu/env.hpp Tininess. */
#define BX_TINY_AFTER 0
#define BX_TINY_BEFORE 1

/* Exception flags, TestFloat / SoftFloat bit order (emu/env.hpp flag::). */
#define BX_FLAG_INEXACT 1u
#define BX_FLAG_UNDERFLOW 2u
#define BX_FLAG_OVERFLOW 4u
#define BX_FLAG_DIVBYZERO 8u
#define BX_FLAG_INVALID 16u

/* One scalar operation on codes of `format` (any spec `bitexact formats` accepts: e4m3, bf16,
 * float<e=5,m=2,...>, int8, posit16, ...). Operands beyond the operation's arity are ignored (pass 0).
 * random_bits is the one 64-bit random word a stochastic rounding draws (replay a DUT's LFSR here);
 * it is ignored by the other modes. *result gets the result code (0/1 for eq, lt, le), *flags the
 * exception flags raised. */
int bx_op(const char* format, int op, int rounding, int overflow, int subnormals, int tininess,
          unsigned long long a, unsigned long long b, unsigned long long c, unsigned long long random_bits,
          unsigned long long* result, unsigned int* flags);

/* Conversion of code `a` of format `from` into format `to`. */
int bx_convert(const char* from, const char* to, int rounding, int overflow, int subnormals, int tininess,
               unsigned long long a, unsigned long long random_bits, unsigned long long* result,
               unsigned int* flags);

/* A dot product sum(a[i]*b[i]) (+ c) of n terms under an accumulation model: a preset (exact,
 * fp32-fma, v100-fp16, h100-fp8, ...) or KIND<key=value,...> as `bitexact dot --help` lists. a[] holds
 * codes of format_a, b[] codes of format_b, c (used when has_c != 0) and *result codes of the model's
 * output format. `rounding` is the output rounding when the model names none; overflow, subnormals
 * and tininess apply to every rounding. A stochastic rounding anywhere in the model takes the next
 * word of random_bits[0..n_random); running out is BX_ERR_RANDOM. */
int bx_dot(const char* model, const char* format_a, const char* format_b, int n, const unsigned long long* a,
           const unsigned long long* b, unsigned long long c, int has_c, int rounding, int overflow,
           int subnormals, int tininess, const unsigned long long* random_bits, int n_random,
           unsigned long long* result, unsigned int* flags);

/* The same for SystemVerilog open arrays (input longint unsigned a[], b[], random_bits[]): the
 * handles are svOpenArrayHandle (void*, IEEE 1800 Annex H); a and b must have the same size. Needs
 * the simulator's svSize / svLow / svGetArrElemPtr1 (BX_ERR_ARGUMENT when called outside one). */
int bx_dot_sv(const char* model, const char* format_a, const char* format_b, void* const a, void* const b,
              unsigned long long c, int has_c, int rounding, int overflow, int subnormals, int tininess,
              void* const random_bits, unsigned long long* result, unsigned int* flags);

/* Facts about a format: its width in bits (or a negative status), and whether a code is a NaN
 * (1 or 0; NaR for posits), for comparing NaN results by class. */
int bx_width(const char* format);
int bx_is_nan(const char* format, unsigned long long code);

/* A static one-line description of a status code ("ok", "format spec does not parse", ...). */
const char* bx_error_message(int status);

#ifdef __cplusplus
}
#endif

#endif /* BITEXACT_DPI_H */
