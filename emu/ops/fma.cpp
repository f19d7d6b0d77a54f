#include "emu/exact_arith.hpp"
#include "emu/ops.hpp"
#include "emu/ops/nan_rules.hpp"
#include "emu/round.hpp"

namespace bitexact {

uint64_t fma(const Format& f, uint64_t ca, uint64_t cb, uint64_t cc, Env& env) {
  const Unpacked a = decode_operand(f, ca, env), b = decode_operand(f, cb, env), c = decode_operand(f, cc, env);
  const bool inf_times_zero = (a.is_inf() && b.is_zero()) || (a.is_zero() && b.is_inf());
  // As SoftFloat: inf * 0 raises invalid even when the addend is a quiet NaN.
  if (any_nan({&a, &b, &c}, env)) {
    if (inf_times_zero) env.flags |= flag::invalid;
    return nan_out(f, env);
  }
  if (inf_times_zero) return invalid_out(f, env);
  const bool psign = a.sign != b.sign;
  if (a.is_inf() || b.is_inf()) {
    if (c.is_inf() && c.sign != psign) return invalid_out(f, env);
    return round_to_format(f, Exact::inf(psign), env);
  }
  if (c.is_inf()) return round_to_format(f, Exact::inf(c.sign), env);
  const bool pzero = a.is_zero() || b.is_zero();
  if (pzero && c.is_zero())
    return round_to_format(f, Exact::zero(psign == c.sign ? psign : zero_sum_sign(env.mode)), env);
  if (pzero) return round_to_format(f, Exact::from(c), env);
  const Exact p = exact_mul(a, b);
  if (c.is_zero()) return round_to_format(f, p, env);
  return round_to_format(f, exact_add(p, Exact::from(c), env.mode), env);
}

}  // namespace bitexact
