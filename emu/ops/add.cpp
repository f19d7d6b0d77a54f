#include "emu/exact_arith.hpp"
#include "emu/ops.hpp"
#include "emu/ops/nan_rules.hpp"
#include "emu/round.hpp"

namespace bitexact {

namespace {

uint64_t add_signed(const Format& f, Unpacked a, Unpacked b, Env& env) {
  if (any_nan({&a, &b}, env)) return nan_out(f, env);
  if (a.is_inf() || b.is_inf()) {
    if (a.is_inf() && b.is_inf() && a.sign != b.sign) return invalid_out(f, env);
    return round_to_format(f, Exact::inf(a.is_inf() ? a.sign : b.sign), env);
  }
  if (a.is_zero() && b.is_zero())
    return round_to_format(f, Exact::zero(a.sign == b.sign ? a.sign : zero_sum_sign(env.mode)), env);
  if (a.is_zero()) return round_to_format(f, Exact::from(b), env);
  if (b.is_zero()) return round_to_format(f, Exact::from(a), env);
  return round_to_format(f, exact_add(Exact::from(a), Exact::from(b), env.mode), env);
}

}  // namespace

uint64_t add(const Format& f, uint64_t a, uint64_t b, Env& env) {
  return add_signed(f, decode_operand(f, a, env), decode_operand(f, b, env), env);
}

uint64_t sub(const Format& f, uint64_t a, uint64_t b, Env& env) {
  Unpacked nb = decode_operand(f, b, env);
  if (!nb.is_nan()) nb.sign = !nb.sign;
  return add_signed(f, decode_operand(f, a, env), nb, env);
}

}  // namespace bitexact
