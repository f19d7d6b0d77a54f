#include "emu/exact_arith.hpp"

#include <bit>
#include <cassert>

#include "formats/codec.hpp"

namespace bitexact {

Unpacked decode_operand(const Format& f, uint64_t code, const Env& env) {
  Unpacked u = decode(f, code);
  if (u.subnormal && env.flush_inputs()) {
    u.cls = ValueClass::Zero;
    u.significand = 0;
    u.exponent = 0;
    u.subnormal = false;
  }
  return u;
}

Exact exact_mul(const Unpacked& a, const Unpacked& b) {
  return Exact::finite(a.sign != b.sign, u128(a.significand) * b.significand, a.exponent + b.exponent);
}

Exact exact_add(const Exact& a, const Exact& b, RoundingMode mode) {
  assert(a.cls == ValueClass::Finite && b.cls == ValueClass::Finite && !a.sticky && !b.sticky);
  // Narrow operands with close exponents: the exact sum fits in 64 bits, no window needed.
  if ((a.significand >> 64) == 0 && (b.significand >> 64) == 0) {
    const int64_t d = int64_t(a.exponent) - b.exponent;
    const int la = std::bit_width(uint64_t(a.significand)), lb = std::bit_width(uint64_t(b.significand));
    if ((d >= 0 && la + d <= 62 && lb <= 62) || (d < 0 && lb - d <= 62 && la <= 62)) {
      const uint64_t xa = uint64_t(a.significand) << (d > 0 ? d : 0);
      const uint64_t xb = uint64_t(b.significand) << (d < 0 ? -d : 0);
      const int32_t e = d > 0 ? b.exponent : a.exponent;
      if (a.sign == b.sign) return Exact::finite(a.sign, xa + xb, e);
      if (xa == xb) return Exact::zero(zero_sum_sign(mode));
      return xa > xb ? Exact::finite(a.sign, xa - xb, e) : Exact::finite(b.sign, xb - xa, e);
    }
  }
  constexpr int kTop = 125;  // MSB position of the larger operand; bits 126-127 absorb the carry
  const int la = msb(a.significand), lb = msb(b.significand);
  u128 sa = a.significand << (kTop - la);
  u128 sb = b.significand << (kTop - lb);
  int64_t ea = int64_t(a.exponent) - (kTop - la);
  int64_t eb = int64_t(b.exponent) - (kTop - lb);
  bool sign_a = a.sign, sign_b = b.sign;
  if (eb > ea || (eb == ea && sb > sa)) {
    std::swap(sa, sb);
    std::swap(ea, eb);
    std::swap(sign_a, sign_b);
  }
  const int64_t d = ea - eb;
  if (d >= 128) {
    sb = 1;  // only the sticky survives
  } else if (d > 0) {
    const bool lost = (sb & ((u128(1) << d) - 1)) != 0;
    sb = (sb >> d) | u128(lost);
  }
  if (sign_a == sign_b) return Exact::finite(sign_a, sa + sb, int32_t(ea));
  const u128 diff = sa - sb;  // sa >= sb by the swap above
  if (diff == 0) return Exact::zero(zero_sum_sign(mode));
  return Exact::finite(sign_a, diff, int32_t(ea));
}

}  // namespace bitexact
