// Stochastic rounding against its definition in emu/SEMANTICS.md:
//   sr:R  hi iff floor(f * 2^R) + r >= 2^R, r = the low R bits of the draw;
//   sr    hi iff u < F, or u == F and bits of f remain below the top 64 (F = floor(f * 2^64)).
// With explicit random words these are deterministic, so they are checked exactly (and against
// the oracle); the counter-based generator is checked statistically with a fixed seed.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <vector>

#include "emu/ops.hpp"
#include "emu/random.hpp"
#include "emu/reference/conformance.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/catalog.hpp"
#include "formats/codec.hpp"

using namespace bitexact;
using namespace bitexact::reference;

namespace {

const Format& F(const char* n) { return Catalog::builtin().find(n)->format; }
const Format& f32() { return F("float32"); }

std::vector<const Format*> small_formats() {
  std::vector<const Format*> v;
  for (const CatalogEntry& e : Catalog::builtin().entries())
    if (e.format.width() <= 8) v.push_back(&e.format);
  return v;
}

// The float32 code of (-1)^sign * sig * 2^exp, if representable.
std::optional<uint64_t> f32_code(bool sign, uint64_t sig, int exp) {
  Unpacked u;
  u.cls = ValueClass::Finite;
  u.sign = sign;
  u.significand = sig;
  u.exponent = exp;
  return encode(f32(), u);
}

struct Out {
  uint64_t code;
  uint8_t flags;
  size_t draws;
};

// The core converting a float32 code with one explicit random word.
Out core_sr(const Format& to, uint64_t x, RoundingMode m, int R, uint64_t word) {
  Env e;
  e.mode = m;
  e.sr_bits = R;
  const uint64_t words[] = {word};
  e.explicit_bits = words;
  const uint64_t c = convert(f32(), x, to, e);
  return {c, e.flags, e.explicit_pos};
}

OracleResult oracle_sr(const Format& to, uint64_t x, RoundingMode m, int R, uint64_t word) {
  Env e;
  e.mode = m;
  e.sr_bits = R;
  const uint64_t words[] = {word};
  e.explicit_bits = words;
  return oracle_convert(f32(), x, to, e);
}

}  // namespace

TEST_CASE("sr:R: every <=8-bit code's neighbourhood from float32, explicit words, exact definition") {
  // x = lo + (j / 2^19) * ulp for the lattice point lo of every code: fraction f = j / 2^19 exactly,
  // so floor(f * 2^R) is known and the result must be hi exactly when r >= 2^R - floor(f * 2^R).
  const int Rs[] = {1, 2, 3, 4, 7, 8, 16, 19, 23, 32};
  uint64_t checked = 0, mismatches = 0;
  for (const Format* t : small_formats()) {
    for (uint64_t code = 0; code <= t->facts.code_mask; ++code) {
      const Unpacked u = decode(*t, code);
      if (!u.is_finite_nonzero()) continue;
      const uint64_t mag = code & ~t->facts.sign_bit;
      // The lattice spacing above lo: one unit of the significand's last place.
      for (uint64_t k = 0; k < 6; ++k) {
        const uint64_t j = k == 0 ? (uint64_t{1} << 18) : k == 1 ? (uint64_t{1} << 17) : k == 2 ? 1
                           : counter_random(1, code, k) & ((uint64_t{1} << 19) - 1);
        const auto x = f32_code(u.sign, (u.significand << 19) + j, u.exponent - 19);
        REQUIRE(x.has_value());
        for (int R : Rs) {
          const uint64_t FR = R <= 19 ? j >> (19 - R) : j << (R - 19);
          const uint64_t threshold = (uint64_t{1} << R) - FR;  // hi iff r >= threshold
          std::vector<uint64_t> words;
          if (R <= 4)
            for (uint64_t r = 0; r < (uint64_t{1} << R); ++r) words.push_back(r | (counter_random(2, code, r) << R));
          for (uint64_t w = 0; w < 4; ++w) words.push_back(counter_random(3, code * 64 + k, w));
          if (threshold > 0) words.push_back(threshold - 1);
          if (threshold < (uint64_t{1} << R)) words.push_back(threshold);
          for (uint64_t w : words) {
            const Out c = core_sr(*t, *x, RoundingMode::SRR, R, w);
            const OracleResult o = oracle_sr(*t, *x, RoundingMode::SRR, R, w);
            ++checked;
            bool ok = c.code == o.code && c.flags == o.flags && c.draws == o.draws;
            // The definition itself, where both candidates are finite codes of the same sign.
            if (j != 0 && mag < t->facts.max_code) {
              const bool hi = (w & ((uint64_t{1} << R) - 1)) >= threshold;
              ok = ok && c.draws == 1 && c.code == (hi ? code + 1 : code);
            }
            if (!ok && mismatches++ < 10)
              FAIL_CHECK(t->name, " code ", code, " j ", j, " R ", R, " word ", w, ": core ", c.code, "/",
                         int(c.flags), "/", c.draws, " oracle ", o.code, "/", int(o.flags), "/", int(o.draws),
                         " threshold ", threshold);
          }
        }
      }
    }
  }
  CHECK(mismatches == 0);
  CHECK(checked > 500'000);
  MESSAGE("sr:R cases: ", checked);
}

TEST_CASE("sr and sr:R: exact probabilities over every value of the top random bits") {
  // x = lo + (k / 2^n) ulp: over the 2^n words whose top n bits take every value (the rest
  // random), sr rounds away for exactly k of them; sr:R with R = n for exactly k of the 2^n
  // values of r, and with R < n for floor(k / 2^(n-R)).
  constexpr int n = 8;
  uint64_t checked = 0;
  for (const char* name : {"float8_e4m3fn", "float8_e5m2", "float8_e3m4", "float8_e8m0fnu", "float4_e2m1fn",
                           "float6_e3m2fn", "ue4m3", "bfloat16", "float16"}) {
    const Format& t = F(name);
    // A few lattice points: small normal, around one, the top binade, a subnormal, negatives.
    std::vector<uint64_t> codes = {t.facts.min_normal_code + 1, t.facts.max_code - 1, t.facts.max_code >> 1};
    if (t.fp.subnormals && t.fp.man_bits > 0) codes.push_back(1);
    if (t.fp.is_signed) codes.push_back(t.facts.sign_bit | (t.facts.max_code >> 1));
    for (uint64_t code : codes) {
      const Unpacked u = decode(t, code);
      REQUIRE(u.is_finite_nonzero());
      for (uint64_t k = 0; k < (uint64_t{1} << n); k += (k < 8 ? 1 : 7)) {
        const auto x = f32_code(u.sign, (u.significand << n) + k, u.exponent - n);
        REQUIRE(x.has_value());
        uint64_t away = 0, away_r = 0, away_r3 = 0;
        for (uint64_t i = 0; i < (uint64_t{1} << n); ++i) {
          const uint64_t w = (i << (64 - n)) | (counter_random(5, code * 256 + k, i) >> n);
          const Out c = core_sr(t, *x, RoundingMode::SR, 0, w);
          CHECK((c.code == code || c.code == code + 1));
          away += c.code != code;
          CHECK(oracle_sr(t, *x, RoundingMode::SR, 0, w) == OracleResult{c.code, c.flags, uint8_t(c.draws)});
          away_r += core_sr(t, *x, RoundingMode::SRR, n, i | (w << n)).code != code;
          if (i < 8) away_r3 += core_sr(t, *x, RoundingMode::SRR, 3, i).code != code;
          ++checked;
        }
        CHECK(away == k);
        CHECK(away_r == k);
        CHECK(away_r3 == (k >> (n - 3)));
        if (k > 0) {
          // u == F with no bits of f below the top 64: not away; one below F: away.
          const uint64_t Fw = k << (64 - n);
          CHECK(core_sr(t, *x, RoundingMode::SR, 0, Fw).code == code);
          CHECK(core_sr(t, *x, RoundingMode::SR, 0, Fw - 1).code == code + 1);
        }
      }
    }
  }
  MESSAGE("enumerated words: ", checked);
  CHECK(checked > 10'000);
}

TEST_CASE("sr: a fraction longer than 64 bits (1/3 in bfloat16) and u == F") {
  // 1/3 lies between lo = 170/512 (0x3EAA) and hi = 171/512 (0x3EAB): f = 2/3, whose binary
  // expansion never ends, so F = floor(2^65 / 3) = 0xAAAAAAAAAAAAAAAA and u == F rounds away.
  const Format& bf = F("bfloat16");
  const uint64_t one = 0x3F80, three = 0x4040;
  auto run = [&](RoundingMode m, int R, uint64_t w) {
    Env e;
    e.mode = m;
    e.sr_bits = R;
    const uint64_t words[] = {w};
    e.explicit_bits = words;
    const Env before = e;
    const uint64_t c = div(bf, one, three, e);
    CHECK(e.explicit_pos == 1);
    CHECK(e.flags == flag::inexact);
    CHECK(oracle_binary(Op::Div, bf, one, three, before) == OracleResult{c, e.flags, 1});
    return c;
  };
  const uint64_t Fw = 0xAAAAAAAAAAAAAAAAULL;
  CHECK(run(RoundingMode::SR, 0, Fw) == 0x3EAB);
  CHECK(run(RoundingMode::SR, 0, Fw - 1) == 0x3EAB);
  CHECK(run(RoundingMode::SR, 0, Fw + 1) == 0x3EAA);
  CHECK(run(RoundingMode::SR, 0, 0) == 0x3EAB);
  CHECK(run(RoundingMode::SR, 0, ~uint64_t{0}) == 0x3EAA);
  // sr:2: floor(2/3 * 4) = 2, so r >= 2 rounds away.
  CHECK(run(RoundingMode::SRR, 2, 1) == 0x3EAA);
  CHECK(run(RoundingMode::SRR, 2, 2) == 0x3EAB);
  CHECK(run(RoundingMode::SRR, 2, 0xFFFFFFFFFFFFFFFCULL) == 0x3EAA);  // only the low R bits count
  // The same in float32: 1/3 = 0x3EAAAAAA + (2/3) ulp.
  const Format& f = f32();
  Env e;
  e.mode = RoundingMode::SR;
  const uint64_t w1[] = {Fw};
  e.explicit_bits = w1;
  CHECK(div(f, 0x3F800000, 0x40400000, e) == 0x3EAAAAAB);
  e = {};
  e.mode = RoundingMode::SR;
  const uint64_t w2[] = {Fw + 1};
  e.explicit_bits = w2;
  CHECK(div(f, 0x3F800000, 0x40400000, e) == 0x3EAAAAAA);
}

TEST_CASE("stochastic modes draw once per inexact rounding and never for exact results") {
  const Format& t = F("float8_e4m3fn");
  for (RoundingMode m : {RoundingMode::SR, RoundingMode::SRR}) {
    Env e;
    e.mode = m;
    e.sr_bits = 4;
    e.seed = 11;
    convert(f32(), std::bit_cast<uint32_t>(1.5f), t, e);  // exact
    CHECK(e.index == 0);
    convert(f32(), std::bit_cast<uint32_t>(1.51f), t, e);  // inexact
    CHECK(e.index == 1);
    convert(f32(), std::bit_cast<uint32_t>(0.0f), t, e);
    convert(f32(), std::bit_cast<uint32_t>(NAN), t, e);
    CHECK(e.index == 1);
    add(t, 0x38, 0x38, e);  // 1 + 1 = 2 exactly
    CHECK(e.index == 1);
    mul(t, 0x39, 0x39, e);  // 1.125^2 = 1.265625: inexact
    CHECK(e.index == 2);
    // Explicit words are consumed in order; the oracle reads the word at explicit_pos.
    // 1.51 lies between 1.5 (0x3C) and 1.625 (0x3D), f ~ 0.08: sr goes up for u = 0 and
    // down for u = 2^64-1; sr:4 (floor(16 f) = 1) up for r = 15 and down for r = 0.
    const uint64_t up = m == RoundingMode::SR ? 0 : ~uint64_t{0}, down = ~up;
    const uint64_t words[] = {up, down};
    Env x;
    x.mode = m;
    x.sr_bits = 4;
    x.explicit_bits = words;
    const uint64_t a = convert(f32(), std::bit_cast<uint32_t>(1.51f), t, x);
    CHECK(x.explicit_pos == 1);
    CHECK(oracle_convert(f32(), std::bit_cast<uint32_t>(1.51f), t, x) == OracleResult{0x3C, flag::inexact, 1});
    const uint64_t b = convert(f32(), std::bit_cast<uint32_t>(1.51f), t, x);
    CHECK(x.explicit_pos == 2);
    CHECK(a == 0x3D);
    CHECK(b == 0x3C);
  }
}

namespace {

struct Stats {
  double mean = 0, se = 0;
  double frac_up = 0;
};

// Mean rounding error in units of the lattice spacing, over n values drawn by gen(i), with the
// counter-based generator (seed fixed).
template <class Gen>
Stats error_stats(const Format& t, RoundingMode m, int R, uint64_t n, Gen gen) {
  Env e;
  e.mode = m;
  e.sr_bits = R;
  e.seed = 20240601;
  double sum = 0, sum2 = 0;
  uint64_t up = 0;
  for (uint64_t i = 0; i < n; ++i) {
    const float x = gen(i);
    const uint64_t code = from_float(t, x, e);
    Env tmp;
    const double y = to_double(t, code, tmp);
    // The two candidates from the oracle (rtz and away-from-zero), independent of the core.
    Env rtz;
    rtz.mode = RoundingMode::RTZ;
    const uint64_t lo = oracle_convert(f32(), std::bit_cast<uint32_t>(x), t, rtz).code;
    Env away;
    away.mode = x > 0 ? RoundingMode::RUP : RoundingMode::RDN;
    const uint64_t hi = oracle_convert(f32(), std::bit_cast<uint32_t>(x), t, away).code;
    REQUIRE((code == lo || code == hi));
    const double vlo = to_double(t, lo, tmp), vhi = to_double(t, hi, tmp);
    if (vlo == vhi) continue;
    const double err = (y - double(x)) / std::fabs(vhi - vlo);
    sum += err;
    sum2 += err * err;
    up += code == hi;
  }
  Stats s;
  s.mean = sum / double(n);
  const double var = sum2 / double(n) - s.mean * s.mean;
  s.se = std::sqrt(var / double(n));
  s.frac_up = double(up) / double(n);
  return s;
}

float uniform_float(uint64_t i, uint64_t stream, float lo, float hi) {
  const double u = double(counter_random(99, stream, i) >> 11) * 0x1p-53;
  return float(lo + (hi - lo) * u);
}

}  // namespace

TEST_CASE("sr with the counter-based generator: mean rounding error is zero within 4 standard errors") {
  const uint64_t n = 200'000;
  // bfloat16 from float32 in [1, 2): 16 fraction bits below bfloat16's last place.
  const Stats sr = error_stats(F("bfloat16"), RoundingMode::SR, 0, n, [](uint64_t i) { return uniform_float(i, 1, 1, 2); });
  CHECK(std::fabs(sr.mean) < 4 * sr.se);
  CHECK(sr.frac_up == doctest::Approx(0.5).epsilon(0.02));
  // The test has power: truncation is biased by about -1/2 ulp.
  const Stats rtz = error_stats(F("bfloat16"), RoundingMode::RTZ, 0, n, [](uint64_t i) { return uniform_float(i, 1, 1, 2); });
  CHECK(rtz.mean < -0.4);
  CHECK(std::fabs(rtz.mean) > 100 * rtz.se);
  // E4M3 across many binades, both signs.
  const Stats e4 = error_stats(F("float8_e4m3fn"), RoundingMode::SR, 0, n,
                               [](uint64_t i) { return uniform_float(i, 2, -300, 300); });
  CHECK(std::fabs(e4.mean) < 4 * e4.se);
  // sr:8 is unbiased when the fraction has at most 8 bits: E4M3 from 12-bit significands.
  const Stats r8 = error_stats(F("float8_e4m3fn"), RoundingMode::SRR, 8, n, [](uint64_t i) {
    const float x = uniform_float(i, 3, 1, 16);
    return std::ldexp(std::round(std::ldexp(x, 8)), -8);  // 12 significant bits at most in [1, 16)
  });
  CHECK(std::fabs(r8.mean) < 4 * r8.se);
  // ... and sr:1 on 8-bit fractions is biased (it only sees the top fraction bit).
  const Stats r1 = error_stats(F("float8_e4m3fn"), RoundingMode::SRR, 1, n, [](uint64_t i) {
    const float x = uniform_float(i, 3, 1, 16);
    return std::ldexp(std::round(std::ldexp(x, 8)), -8);
  });
  CHECK(r1.mean < -4 * r1.se);
}

TEST_CASE("sr with the counter-based generator: frequency of rounding away equals the fraction") {
  // 1 + 0.3 ulp-ish in E4M3: x = 1 + 77/256 * 0.125 (f = 77/256 exactly); over 100,000 draws
  // (different element indices) the frequency of 1.125 is f within 4 sigma.
  const Format& t = F("float8_e4m3fn");
  const float x = 1.0f + 77.0f / 256.0f * 0.125f;
  const uint64_t n = 100'000;
  Env e;
  e.mode = RoundingMode::SR;
  e.seed = 5;
  uint64_t up = 0;
  for (uint64_t i = 0; i < n; ++i) up += from_float(t, x, e) == 0x39;
  CHECK(e.index == n);
  const double f = 77.0 / 256.0, sigma = std::sqrt(f * (1 - f) / double(n));
  CHECK(std::fabs(double(up) / double(n) - f) < 4 * sigma);
}
