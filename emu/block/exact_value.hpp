// Exact values of host doubles and exact quotients, for scaling before the single rounding.
#pragma once

#include <bit>
#include <cstdint>

#include "emu/exact.hpp"

namespace bitexact {

// The exact value of a finite double (zero included).
inline Exact exact_of(double x) {
  const uint64_t u = std::bit_cast<uint64_t>(x);
  const bool sign = (u >> 63) != 0;
  const int e = int((u >> 52) & 0x7FF);
  uint64_t sig = u & ((uint64_t{1} << 52) - 1);
  if (e == 0x7FF) return sig ? Exact::nan(sign) : Exact::inf(sign);
  if (e == 0 && sig == 0) return Exact::zero(sign);
  if (e) sig |= uint64_t{1} << 52;
  return Exact::finite(sign, sig, (e ? e : 1) - 1075);
}

// x * 2^k, exactly.
inline Exact exact_scaled_pow2(double x, int k) {
  Exact v = exact_of(x);
  if (v.cls == ValueClass::Finite) v.exponent += k;
  return v;
}

// x / s exactly (exact-plus-sticky, 126+ quotient bits); x finite, s finite and > 0.
Exact exact_quotient(double x, double s);

}  // namespace bitexact
