#include <compare>

#include "emu/exact_arith.hpp"
#include "emu/ops.hpp"
#include "emu/round.hpp"

namespace bitexact {

namespace {

// Orders two non-NaN values (-0 == +0).
std::partial_ordering compare_values(const Unpacked& a, const Unpacked& b) {
  auto mag = [](const Unpacked& u) -> int {  // -1 zero, 0 finite, 1 inf
    return u.is_zero() ? -1 : (u.is_inf() ? 1 : 0);
  };
  if (a.is_zero() && b.is_zero()) return std::partial_ordering::equivalent;
  const int sa = a.is_zero() ? 0 : (a.sign ? -1 : 1);
  const int sb = b.is_zero() ? 0 : (b.sign ? -1 : 1);
  if (sa != sb) return sa <=> sb;
  // Same sign, both non-zero: compare magnitudes, then flip for negatives.
  std::strong_ordering m = std::strong_ordering::equal;
  if (mag(a) != mag(b)) {
    m = mag(a) <=> mag(b);
  } else if (a.is_finite_nonzero()) {
    // Compare sig * 2^exp exactly: align the exponents (significands are below 2^64).
    const int64_t ea = int64_t(a.exponent) + (63 - __builtin_clzll(a.significand));
    const int64_t eb = int64_t(b.exponent) + (63 - __builtin_clzll(b.significand));
    if (ea != eb) {
      m = ea <=> eb;
    } else {
      const u128 xa = u128(a.significand) << (a.exponent - std::min(a.exponent, b.exponent));
      const u128 xb = u128(b.significand) << (b.exponent - std::min(a.exponent, b.exponent));
      m = xa <=> xb;
    }
  }
  return sa < 0 ? (0 <=> m) : (m <=> 0);
}

struct Cmp {
  std::partial_ordering order;
};

Cmp compare(const Format& f, uint64_t ca, uint64_t cb, Env& env, bool signaling) {
  const Unpacked a = decode_operand(f, ca, env), b = decode_operand(f, cb, env);
  if (a.is_nan() || b.is_nan()) {
    if (signaling || a.signaling || b.signaling) env.flags |= flag::invalid;
    return {std::partial_ordering::unordered};
  }
  return {compare_values(a, b)};
}

}  // namespace

bool eq(const Format& f, uint64_t a, uint64_t b, Env& env) { return compare(f, a, b, env, false).order == 0; }
bool lt(const Format& f, uint64_t a, uint64_t b, Env& env) { return compare(f, a, b, env, true).order < 0; }
bool le(const Format& f, uint64_t a, uint64_t b, Env& env) { return compare(f, a, b, env, true).order <= 0; }
bool eq_signaling(const Format& f, uint64_t a, uint64_t b, Env& env) {
  return compare(f, a, b, env, true).order == 0;
}
bool lt_quiet(const Format& f, uint64_t a, uint64_t b, Env& env) { return compare(f, a, b, env, false).order < 0; }
bool le_quiet(const Format& f, uint64_t a, uint64_t b, Env& env) { return compare(f, a, b, env, false).order <= 0; }

// minimumNumber / maximumNumber (IEEE 754-2019 9.6): a NaN operand loses to a number,
// -0 orders below +0, a signalling NaN raises invalid; the result is an operand's code.
static uint64_t pick(const Format& f, uint64_t ca, uint64_t cb, Env& env, bool want_max) {
  const Unpacked a = decode_operand(f, ca, env), b = decode_operand(f, cb, env);
  if (a.signaling || b.signaling) env.flags |= flag::invalid;
  if (a.is_nan() && b.is_nan()) return round_to_format(f, Exact::nan(false), env);
  if (a.is_nan()) return cb;
  if (b.is_nan()) return ca;
  std::partial_ordering o = compare_values(a, b);
  if (o == 0 && a.is_zero() && b.is_zero() && a.sign != b.sign) o = a.sign ? std::partial_ordering::less
                                                                             : std::partial_ordering::greater;
  if (want_max) return o < 0 ? cb : ca;
  return o > 0 ? cb : ca;
}

uint64_t min(const Format& f, uint64_t a, uint64_t b, Env& env) { return pick(f, a, b, env, false); }
uint64_t max(const Format& f, uint64_t a, uint64_t b, Env& env) { return pick(f, a, b, env, true); }

}  // namespace bitexact
