#include <bit>

#include <boost/multiprecision/cpp_int.hpp>

#include "emu/exact_arith.hpp"
#include "emu/ops.hpp"
#include "emu/ops/nan_rules.hpp"
#include "emu/round.hpp"

namespace bitexact {

uint64_t sqrt(const Format& f, uint64_t ca, Env& env) {
  using boost::multiprecision::uint256_t;
  const Unpacked a = decode_operand(f, ca, env);
  if (any_nan({&a}, env)) return nan_out(f, env);
  if (a.is_zero()) return round_to_format(f, Exact::zero(a.sign), env);
  if (a.sign) return invalid_out(f, env);
  if (a.is_inf()) return round_to_format(f, Exact::inf(false), env);

  // Normalise the radicand to 2^252 <= r < 2^254 with an even exponent; its integer square
  // root then has 127 bits and the remainder becomes the sticky bit.
  int shift = 252 - (63 - std::countl_zero(a.significand));
  if ((int64_t(a.exponent) - shift) % 2 != 0) ++shift;
  const uint256_t r = uint256_t(a.significand) << shift;
  uint256_t rem;
  const uint256_t root = boost::multiprecision::sqrt(r, rem);
  const u128 root128 = (u128(uint64_t(root >> 64)) << 64) | u128(uint64_t(root & uint256_t(~uint64_t{0})));
  const int32_t exp = int32_t((int64_t(a.exponent) - shift) / 2);
  return round_to_format(f, Exact::finite(false, root128, exp, rem != 0), env);
}

}  // namespace bitexact
