#include "emu/accum/lmul.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "formats/codec.hpp"

namespace bitexact {

int lmul_offset_bits(int m) { return m <= 3 ? m : m == 4 ? 3 : 4; }

int lmul_mantissa_bits(const Format& fa, const Format& fb) {
  auto man = [](const Format& f) { return f.is_float() ? f.fp.man_bits : std::max(0, f.width() - 2); };
  return std::max(man(fa), man(fb));
}

Exact lmul_exact(const Unpacked& a, const Unpacked& b, int l) {
  // 1 + xm = A / 2^(wa-1) with A the significand of bit width wa (subnormals normalised exactly).
  const int wa = std::bit_width(a.significand), wb = std::bit_width(b.significand);
  const int s = std::max({wa - 1, wb - 1, l});
  const u128 n = (u128(a.significand) << (s - (wa - 1))) + (u128(b.significand) << (s - (wb - 1))) -
                 (u128(1) << s) + (u128(1) << (s - l));
  const int32_t e = a.exponent + (wa - 1) + b.exponent + (wb - 1) - s;
  return Exact::finite(a.sign != b.sign, n, e);
}

double lmul(const Format& fa, uint64_t a, const Format& fb, uint64_t b) {
  const Unpacked x = decode(fa, a), y = decode(fb, b);
  const bool sign = x.sign != y.sign;
  if (x.is_nan() || y.is_nan()) return NAN;
  if ((x.is_inf() && y.is_zero()) || (x.is_zero() && y.is_inf())) return NAN;
  if (x.is_inf() || y.is_inf()) return sign ? -INFINITY : INFINITY;
  if (x.is_zero() || y.is_zero()) return sign ? -0.0 : 0.0;
  const Exact p = lmul_exact(x, y, lmul_offset_bits(lmul_mantissa_bits(fa, fb)));
  const double m = std::ldexp(double(p.significand), p.exponent);
  return p.sign ? -m : m;
}

}  // namespace bitexact
