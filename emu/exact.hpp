// The exact (or exact-plus-sticky) result every operation hands to the rounding routine.
#pragma once

#include <bit>
#include <cstdint>

#include "formats/unpacked.hpp"

namespace bitexact {

using u128 = unsigned __int128;

// Index of the most significant set bit of a non-zero 128-bit value.
inline int msb(u128 x) {
  const uint64_t hi = uint64_t(x >> 64);
  return hi ? 127 - std::countl_zero(hi) : 63 - std::countl_zero(uint64_t(x));
}

// value = (-1)^sign * (significand + (sticky ? a positive amount < 1 : 0)) * 2^exponent.
// sticky records non-zero bits below the significand's LSB that were dropped; the rounding
// routine is exact as long as the significand keeps at least two bits below the target's LSB
// whenever sticky is set (every producer keeps far more).
struct Exact {
  ValueClass cls = ValueClass::Zero;
  bool sign = false;
  bool sticky = false;
  int32_t exponent = 0;
  u128 significand = 0;

  static Exact zero(bool sign) { return {ValueClass::Zero, sign, false, 0, 0}; }
  static Exact inf(bool sign) { return {ValueClass::Inf, sign, false, 0, 0}; }
  static Exact nan(bool sign = false) { return {ValueClass::NaN, sign, false, 0, 0}; }
  static Exact finite(bool sign, u128 sig, int32_t exp, bool sticky = false) {
    return {sig == 0 && !sticky ? ValueClass::Zero : ValueClass::Finite, sign, sticky, exp, sig};
  }
  static Exact from(const Unpacked& u) {
    return {u.cls, u.sign, false, u.exponent, u.significand};
  }
};

}  // namespace bitexact
