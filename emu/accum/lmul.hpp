// L-Mul (Luo & Sun, "Addition is All You Need for Energy-efficient Language Models",
// arXiv 2410.00907, 2024): a float product whose mantissa product is replaced by an addition,
//   (1 + xm) 2^xe * (1 + ym) 2^ye  ~  (1 + xm + ym + 2^-l(m)) 2^(xe + ye),
//   l(m) = m for m <= 3, 3 for m = 4, 4 for m > 4   (m: mantissa bits).
// bitexact's reading for what the paper leaves open (emu/SEMANTICS.md "L-Mul"): m is the larger
// mantissa width of the two formats; subnormal operands are first written as (1 + xm) 2^xe
// exactly; the result is the exact value of the formula (no rounding: the model rounds later).
#pragma once

#include <cstdint>

#include "emu/exact.hpp"
#include "formats/format.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

// l(m) of the paper.
int lmul_offset_bits(int mantissa_bits);

// The mantissa width L-Mul uses for a pair of formats (floats: the larger man_bits; other
// families: their precision - 1 read as a float of the same significand width).
int lmul_mantissa_bits(const Format& fa, const Format& fb);

// L-Mul of two finite non-zero values with offset 2^-l: exact.
Exact lmul_exact(const Unpacked& a, const Unpacked& b, int l);

// The scalar L-Mul: the exact value of a*b under L-Mul as a double (exact for formats of at most
// 16 bits); NaN for NaN operands or 0*inf, signed inf for inf operands, signed 0 for zeros.
double lmul(const Format& fa, uint64_t a, const Format& fb, uint64_t b);

}  // namespace bitexact
