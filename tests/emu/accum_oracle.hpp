// Test-side oracles for the accumulation models: exact sums in MPFR (values from decode(), no core
// arithmetic) and the reference oracle's rounding (emu/reference/round_exact.hpp), never the core's.
#pragma once

#include <cstdint>
#include <vector>

#include "emu/env.hpp"
#include "emu/reference/mpfr_util.hpp"
#include "emu/reference/round_exact.hpp"
#include "formats/codec.hpp"
#include "formats/format.hpp"

namespace bitexact::testing {

using reference::Mp;
using reference::OracleResult;

// An exact value: MPFR at the largest precision any sum of the tests needs.
inline constexpr mpfr_prec_t kPrec = 4608;

inline void load(const Format& f, uint64_t code, mpfr_ptr x) {
  const Unpacked u = decode(f, code);
  if (u.cls == ValueClass::NaN) return mpfr_set_nan(x);
  if (u.cls == ValueClass::Inf) return mpfr_set_inf(x, u.sign ? -1 : 1);
  if (u.cls == ValueClass::Zero) return mpfr_set_zero(x, u.sign ? -1 : 1);
  mpfr_set_uj_2exp(x, u.significand, u.exponent, MPFR_RNDN);
  if (u.sign) mpfr_neg(x, x, MPFR_RNDN);
}

// x (exact, finite) rounded into f by the oracle; zero_sign: the sign of an exact zero.
inline OracleResult oracle_round(const Format& f, mpfr_srcptr x, bool zero_sign, const Env& env) {
  if (mpfr_nan_p(x)) return reference::nan_operation_result(f, env);
  if (mpfr_inf_p(x)) return reference::inf_result(f, mpfr_signbit(x) != 0, env);
  if (mpfr_zero_p(x)) return reference::zero_result(f, zero_sign, env);
  Mp mag(kPrec);
  mpfr_abs(mag, x, MPFR_RNDN);
  return reference::round_exact(f, mag, false, mpfr_signbit(x) != 0, env, reference::Method::Auto);
}

// The code's exact value, into x.
inline void value_of(const Format& f, uint64_t code, mpfr_ptr x) { load(f, code, x); }

// Exact sum of a[i]*b[i] (+ c) into `sum` (finite inputs only).
inline void exact_dot(const Format& fa, const std::vector<uint64_t>& a, const Format& fb, const std::vector<uint64_t>& b,
                      const Format* fc, uint64_t c, mpfr_ptr sum) {
  Mp x(128), y(128), p(256);
  mpfr_set_zero(sum, 1);
  for (size_t i = 0; i < a.size(); ++i) {
    load(fa, a[i], x);
    load(fb, b[i], y);
    mpfr_mul(p, x, y, MPFR_RNDN);  // exact: 256 bits hold two 64-bit significands' product
    mpfr_add(sum, sum, p, MPFR_RNDN);
  }
  if (fc) {
    load(*fc, c, x);
    mpfr_add(sum, sum, x, MPFR_RNDN);
  }
}

}  // namespace bitexact::testing
