#include <bit>

#include "emu/exact_arith.hpp"
#include "emu/ops.hpp"
#include "emu/ops/nan_rules.hpp"
#include "emu/round.hpp"

namespace bitexact {

uint64_t div(const Format& f, uint64_t ca, uint64_t cb, Env& env) {
  const Unpacked a = decode_operand(f, ca, env), b = decode_operand(f, cb, env);
  if (any_nan({&a, &b}, env)) return nan_out(f, env);
  const bool sign = a.sign != b.sign;
  if (a.is_inf()) {
    if (b.is_inf()) return invalid_out(f, env);
    return round_to_format(f, Exact::inf(sign), env);
  }
  if (b.is_inf()) return round_to_format(f, Exact::zero(sign), env);
  if (b.is_zero()) {
    if (a.is_zero()) return invalid_out(f, env);
    env.flags |= flag::divbyzero;
    return round_to_format(f, Exact::inf(sign), env);
  }
  if (a.is_zero()) return round_to_format(f, Exact::zero(sign), env);

  // Long division in two 63-bit steps: both significands normalised to bit 63, so the
  // quotient has 126 or 127 bits and the remainder becomes the sticky bit.
  const int sa = std::countl_zero(a.significand), sb = std::countl_zero(b.significand);
  const uint64_t na = a.significand << sa, nb = b.significand << sb;
  const u128 n1 = u128(na) << 63;
  const u128 q1 = n1 / nb, r1 = n1 % nb;
  const u128 n2 = r1 << 63;
  const u128 q2 = n2 / nb, r2 = n2 % nb;
  const u128 q = (q1 << 63) | q2;
  // a/b = (na/nb) * 2^(ea - sa - eb + sb), and na/nb = q * 2^-126 (+ sticky).
  const int32_t exp = a.exponent - sa - (b.exponent - sb) - 126;
  return round_to_format(f, Exact::finite(sign, q, exp, r2 != 0), env);
}

}  // namespace bitexact
