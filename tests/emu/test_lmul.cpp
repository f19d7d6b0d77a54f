// L-Mul (emu/accum/lmul.hpp): hand-worked values, and its error against exact E4M3 / E5M2
// products over every pair of finite non-zero operands, computed here independently from the
// paper's formula in double arithmetic (every quantity involved is exact in double).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>

#include "emu/accum/dot.hpp"
#include "emu/accum/lmul.hpp"
#include "formats/codec.hpp"
#include "formats/spec.hpp"

using namespace bitexact;

namespace {

Format F(const char* s) { return parse_format(s); }

// The paper's formula from the two values: v = (1 + m) 2^e with m in [0, 1).
double formula(double x, double y, int l) {
  int ex = 0, ey = 0;
  const double fx = std::frexp(std::fabs(x), &ex) * 2 - 1, fy = std::frexp(std::fabs(y), &ey) * 2 - 1;
  const double r = std::ldexp(1 + fx + fy + std::ldexp(1, -l), ex - 1 + ey - 1);
  return (x < 0) != (y < 0) ? -r : r;
}

struct Stats {
  double mean = 0, max = 0;
  long n = 0;
};

Stats error_over_all_pairs(const Format& f, bool check_formula) {
  Stats s;
  const int l = lmul_offset_bits(f.fp.man_bits);
  double sum = 0;
  for (uint64_t a = 0; a < 256; ++a)
    for (uint64_t b = 0; b < 256; ++b) {
      const Unpacked ua = decode(f, a), ub = decode(f, b);
      if (!ua.is_finite_nonzero() || !ub.is_finite_nonzero()) continue;
      const double x = to_double(ua), y = to_double(ub), exact = x * y;  // exact: <= 8 significant bits
      const double got = lmul(f, a, f, b);
      if (check_formula && got != formula(x, y, l)) {
        CHECK(got == formula(x, y, l));
      }
      const double rel = std::fabs(got - exact) / std::fabs(exact);
      sum += rel;
      s.max = std::max(s.max, rel);
      ++s.n;
    }
  s.mean = sum / double(s.n);
  return s;
}

// The relative error of the ordinary FP8 product (exact product rounded back into f, rne).
Stats rounding_error_over_all_pairs(const Format& f) {
  Stats s;
  double sum = 0;
  const AccumModel m = parse_accum_model(std::string("exact<out=") + f.name + ">");
  for (uint64_t a = 0; a < 256; ++a)
    for (uint64_t b = 0; b < 256; ++b) {
      const Unpacked ua = decode(f, a), ub = decode(f, b);
      if (!ua.is_finite_nonzero() || !ub.is_finite_nonzero()) continue;
      Env env;
      env.overflow = OverflowPolicy::Saturate;
      const std::vector<uint64_t> va{a}, vb{b};
      const double exact = to_double(ua) * to_double(ub);
      // Only products inside the format's normal range (no underflow to 0, no saturation).
      if (std::fabs(exact) < min_normal(f).approx() || std::fabs(exact) > max_finite(f).approx()) continue;
      const double r = to_double(decode(f, dot(m, f, va, f, vb, 0, false, env)));
      const double rel = std::fabs(r - exact) / std::fabs(exact);
      sum += rel;
      s.max = std::max(s.max, rel);
      ++s.n;
    }
  s.mean = sum / double(s.n);
  return s;
}

}  // namespace

TEST_CASE("L-Mul: l(m) and hand-worked products") {
  CHECK(lmul_offset_bits(2) == 2);
  CHECK(lmul_offset_bits(3) == 3);
  CHECK(lmul_offset_bits(4) == 3);
  CHECK(lmul_offset_bits(7) == 4);
  CHECK(lmul_offset_bits(23) == 4);
  const Format e4 = F("e4m3"), e5 = F("e5m2");
  // E4M3 (m = 3, l = 3): 1.5 * 1.5 -> (1 + 0.5 + 0.5 + 0.125) = 2.125 (exact 2.25).
  CHECK(lmul(e4, 0x3C, e4, 0x3C) == 2.125);
  // 1 * 1 -> 1.125: the offset is always added.
  CHECK(lmul(e4, 0x38, e4, 0x38) == 1.125);
  // -3 * 0.875 = -(1.5 * 2) * (1.75 / 2) -> -(1 + 0.5 + 0.75 + 0.125) = -2.375 (exact -2.625).
  CHECK(lmul(e4, 0xC4, e4, 0x36) == -2.375);
  // E5M2 (m = 2, l = 2): 1.75 * 1.25 -> 1 + 0.75 + 0.25 + 0.25 = 2.25 (exact 2.1875).
  CHECK(lmul(e5, 0x3F, e5, 0x3D) == 2.25);
  // Subnormal operand: e4m3 0x01 = 2^-9 = (1 + 0) 2^-9; times 1.5: (1 + 0 + 0.5 + 0.125) 2^-9.
  CHECK(lmul(e4, 0x01, e4, 0x3C) == 1.625 * std::ldexp(1, -9));
  // Specials.
  CHECK(std::isnan(lmul(e4, 0x7F, e4, 0x38)));
  CHECK(std::isnan(lmul(e5, 0x7C, e5, 0x00)));
  CHECK(lmul(e5, 0x7C, e5, 0xBC) == -INFINITY);
  CHECK(std::signbit(lmul(e4, 0x80, e4, 0x38)));
  // As a product mode of the dot model.
  const AccumModel m = parse_accum_model("exact<product=lmul>");
  Env env;
  const std::vector<uint64_t> a{0x3C, 0x38}, b{0x3C, 0x38};
  CHECK(to_double(decode(m.out_format, dot(m, e4, a, e4, b, 0, false, env))) == 2.125 + 1.125);
}

TEST_CASE("L-Mul: error against exact products over all E4M3 and E5M2 operand pairs") {
  const Format e4 = F("e4m3"), e5 = F("e5m2");
  const Stats s4 = error_over_all_pairs(e4, true), s5 = error_over_all_pairs(e5, true);
  const Stats r4 = rounding_error_over_all_pairs(e4), r5 = rounding_error_over_all_pairs(e5);
  std::printf("L-Mul rel. error: e4m3 mean %.6f max %.6f (%ld pairs); e5m2 mean %.6f max %.6f (%ld pairs)\n",
              s4.mean, s4.max, s4.n, s5.mean, s5.max, s5.n);
  std::printf("FP8 product rounded (rne) where it is a normal: e4m3 mean %.6f max %.6f; e5m2 mean %.6f max %.6f\n", r4.mean,
              r4.max, r5.mean, r5.max);
  // Max: E4M3 at xm = ym = 7/8: |1/8 - 49/64| / (15/8)^2 = 41/225; E5M2 at xm = ym = 0: 1/4.
  CHECK(s4.max == doctest::Approx(41.0 / 225).epsilon(1e-12));
  CHECK(s5.max == 0.25);
  CHECK(s4.mean == doctest::Approx(0.069030).epsilon(1e-5));
  CHECK(s5.mean == doctest::Approx(0.112948).epsilon(1e-5));
  // The FP8 product itself, rounded back into the format where it is normal, for comparison
  // (max: half an ulp relative to the smallest significand of the binade, 2^-4/(1+2^-3+...) style).
  CHECK(r4.mean == doctest::Approx(0.018573).epsilon(1e-4));
  CHECK(r4.max == doctest::Approx(0.051852).epsilon(1e-4));
  CHECK(r5.mean == doctest::Approx(0.035090).epsilon(1e-4));
  CHECK(r5.max == doctest::Approx(1.0 / 9).epsilon(1e-9));
  CHECK(s4.n == 252 * 252);  // 256 codes - 2 zeros - 2 NaNs
  CHECK(s5.n == 246 * 246);  // 256 codes - 2 zeros - 2 infinities - 6 NaNs
}
