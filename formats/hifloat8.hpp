// HiFloat8 (HiF8), Ascend's tapered-precision 8-bit float: "Ascend HiFloat8 Format for Deep
// Learning" (Luo et al., arXiv 2409.16626, 2024), section 2 and Table 1.
//
// Fields: sign S, a prefix-coded dot field D, an exponent of D bits, the mantissa.
//   dot code  D    exponent bits  mantissa bits  exponents
//   11        4    4              1              +-8 .. +-15
//   10        3    3              2              +-4 .. +-7
//   01        2    2              3              +-2, +-3
//   001       1    1              3              +-1
//   0001      0    0              3              0
//   0000      denormal mode       3 (M)          value 2^(M-23), M = 1..7: 2^-22 .. 2^-16
// The exponent is sign-magnitude (its first bit the sign, 1 = negative) with an implicit leading
// magnitude bit: D bits give magnitudes 2^(D-1) .. 2^D - 1. Normal value (-1)^S 2^E (1 + m).
// 31 normal binades (E = -15..15) and 7 denormal ones: 38. Specials: 0x00 zero (the only one),
// 0x80 NaN, 0x6F / 0xEF +-inf (exponent +15 with mantissa 1), so max = 2^15.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "formats/unpacked.hpp"

namespace bitexact {

// The exact value of a HiF8 code (Zero, Finite, Inf or NaN), from the definition above.
Unpacked hifloat8_decode(uint64_t code);

// Every code's value in code order: the entries of HiF8's value table (formats/value_table.hpp).
std::vector<std::optional<Unpacked>> hifloat8_entries();

}  // namespace bitexact
