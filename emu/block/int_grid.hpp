// Integer elements as float formats, so that they round through THE rounding routine.
//
// The integers -(2^k - 1) .. 2^k - 1, times 2^-frac, are exactly the values of the float format
// float<e=1, m=k-1, bias=2-k+frac, inf=none, nan=none>: its subnormal binade has quantum
// 2^(emin-m) = 2^-frac and its one normal binade continues the same grid up to (2^k - 1) * 2^-frac.
// The magnitude part of such a code IS the integer, so codes map to two's complement directly.
// (Symmetric range: the most negative two's-complement code is never produced, as MXINT8 requires.)
#pragma once

#include <cstdint>

#include "formats/format.hpp"

namespace bitexact {

// k = magnitude bits (1..52); the grid holds -(2^k-1)..(2^k-1) times 2^-frac.
Format make_int_grid(int magnitude_bits, int frac_bits);

// Sign-magnitude grid code <-> the integer it holds.
inline int64_t grid_to_int(const Format& g, uint64_t code) {
  const int64_t mag = int64_t(code & ~g.facts.sign_bit);
  return (code & g.facts.sign_bit) ? -mag : mag;
}
inline uint64_t int_to_grid(const Format& g, int64_t v) {
  return v < 0 ? (g.facts.sign_bit | uint64_t(-v)) : uint64_t(v);
}

}  // namespace bitexact
