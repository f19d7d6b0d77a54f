#include "emu/exact_arith.hpp"
#include "emu/ops.hpp"
#include "emu/ops/nan_rules.hpp"
#include "emu/round.hpp"

namespace bitexact {

uint64_t mul(const Format& f, uint64_t ca, uint64_t cb, Env& env) {
  const Unpacked a = decode_operand(f, ca, env), b = decode_operand(f, cb, env);
  if (any_nan({&a, &b}, env)) return nan_out(f, env);
  const bool sign = a.sign != b.sign;
  if (a.is_inf() || b.is_inf()) {
    if (a.is_zero() || b.is_zero()) return invalid_out(f, env);
    return round_to_format(f, Exact::inf(sign), env);
  }
  if (a.is_zero() || b.is_zero()) return round_to_format(f, Exact::zero(sign), env);
  return round_to_format(f, exact_mul(a, b), env);
}

}  // namespace bitexact
