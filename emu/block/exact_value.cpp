#include "emu/block/exact_value.hpp"

namespace bitexact {

Exact exact_quotient(double x, double s) {
  const Exact a = exact_of(x), b = exact_of(s);
  if (a.cls != ValueClass::Finite) return a;
  // A zero or non-finite divisor (a scale that over- or underflowed a double) as IEEE division
  // would give it: the long division below needs a non-zero significand.
  if (b.cls == ValueClass::NaN) return Exact::nan();
  if (b.cls == ValueClass::Inf) return Exact::zero(a.sign != b.sign);
  if (b.cls == ValueClass::Zero) return Exact::inf(a.sign != b.sign);
  // Long division in two 63-bit steps, as emu/ops/div.cpp: both significands normalised to
  // bit 63, the quotient keeps 126 or 127 bits and the remainder becomes the sticky bit.
  const uint64_t sa_sig = uint64_t(a.significand), sb_sig = uint64_t(b.significand);
  const int sa = std::countl_zero(sa_sig), sb = std::countl_zero(sb_sig);
  const uint64_t na = sa_sig << sa, nb = sb_sig << sb;
  const u128 n1 = u128(na) << 63;
  const u128 q1 = n1 / nb, r1 = n1 % nb;
  const u128 n2 = r1 << 63;
  const u128 q2 = n2 / nb, r2 = n2 % nb;
  const u128 q = (q1 << 63) | q2;
  const int32_t exp = a.exponent - sa - (b.exponent - sb) - 126;
  return Exact::finite(a.sign, q, exp, r2 != 0);
}

}  // namespace bitexact
