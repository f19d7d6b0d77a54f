// Exact arithmetic on unpacked values: the building blocks that operations and accumulation
// models use before the single rounding. Significands stay within 106 bits (two float64
// significands multiplied), and sums are formed in a 126-bit window with a jammed sticky LSB.
#pragma once

#include "emu/env.hpp"
#include "emu/exact.hpp"
#include "formats/format.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

// decode() with the env's denormals-are-zero input policy applied.
Unpacked decode_operand(const Format& f, uint64_t code, const Env& env);

// Exact product of two finite non-zero values.
Exact exact_mul(const Unpacked& a, const Unpacked& b);

// Sum of two finite non-zero values (significands < 2^106, no sticky), exact up to a jammed
// sticky bit far below any target LSB. An exact zero sum has the sign IEEE 754 gives for mode.
Exact exact_add(const Exact& a, const Exact& b, RoundingMode mode);

// Sign of an exact-zero sum of operands with different signs (or x - x).
inline bool zero_sum_sign(RoundingMode mode) { return mode == RoundingMode::RDN; }

}  // namespace bitexact
