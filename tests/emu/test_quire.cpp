// The quire (emu/quire.hpp): widths from the 2022 Posit Standard, hand-worked fused dot products,
// and seeded random dot products against an exact MPFR sum rounded by the posit oracle.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "emu/ops.hpp"
#include "emu/quire.hpp"
#include "emu/random.hpp"
#include "emu/reference/posit_oracle.hpp"
#include "formats/catalog.hpp"
#include "formats/posit_format.hpp"

using namespace bitexact;
using namespace bitexact::reference;

namespace {

Format P(int n, int es) { return make_posit_format(posit_spec_string({n, es}), {n, es}); }

// The oracle: sum of a[i]*b[i] exactly in MPFR (values from the oracle's own posit decoder),
// then the posit oracle's rounding.
OracleResult oracle_dot(const Format& f, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                        const Env& env) {
  const int n = f.pp.n, es = f.pp.es;
  Mp sum(4096), x(192), y(192), prod(400);
  mpfr_set_zero(sum, 1);
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == f.facts.sign_bit || b[i] == f.facts.sign_bit) return {f.facts.sign_bit, 0, 0};
    auto load = [&](uint64_t c, Mp& m) {
      if (c == 0) { mpfr_set_zero(m, 1); return; }
      const bool neg = (c & f.facts.sign_bit) != 0;
      posit_value(n, es, neg ? (~c + 1) & f.facts.code_mask : c, m);
      if (neg) mpfr_neg(m, m, MPFR_RNDN);
    };
    load(a[i], x);
    load(b[i], y);
    REQUIRE(mpfr_mul(prod, x, y, MPFR_RNDN) == 0);
    REQUIRE(mpfr_add(sum, sum, prod, MPFR_RNDN) == 0);
  }
  if (mpfr_zero_p(sum)) return {0, 0, 0};
  const bool sign = mpfr_signbit(sum) != 0;
  mpfr_abs(sum, sum, MPFR_RNDN);
  return posit_round_exact(f, sum, false, sign, env);
}

}  // namespace

TEST_CASE("quire widths: 16n bits for es = 2 (2022 standard), 2^(es+2)(n-2)+32 otherwise, LSB minpos^2") {
  CHECK(Quire(P(8, 2)).width() == 128);
  CHECK(Quire(P(16, 2)).width() == 256);
  CHECK(Quire(P(32, 2)).width() == 512);
  CHECK(Quire(P(8, 2)).lsb_exponent() == -48);
  CHECK(Quire(P(8, 0)).width() == 56);
  CHECK(Quire(P(16, 1)).width() == 144);
  CHECK_THROWS_AS(Quire(Catalog::builtin().find("float16")->format), std::invalid_argument);
}

TEST_CASE("quire: hand-worked fused dot products") {
  const Format p8 = P(8, 2);
  Env env;
  // maxpos^2 + minpos^2 - maxpos^2 = minpos^2 = 2^-48 exactly; rounded once: minpos (never 0).
  {
    Quire q(p8);
    q.madd(0x7F, 0x7F);
    q.madd(0x01, 0x01);
    q.msub(0x7F, 0x7F);
    const Exact v = q.value();
    CHECK(v.cls == ValueClass::Finite);
    CHECK(v.significand == 1);
    CHECK(v.exponent == -48);
    Env e;
    CHECK(q.to_posit(e) == 0x01);
    CHECK(e.flags == (flag::underflow | flag::inexact));
  }
  // 1*1 + 2^-24 * 1 - 1*1 = minpos, exact; sequential posit8 rounding would lose it (1 + 2^-24 -> 1).
  {
    const std::vector<uint64_t> a = {0x40, 0x01, 0x40}, b = {0x40, 0x40, 0xC0};
    Env e;
    CHECK(fused_dot(p8, a, b, e) == 0x01);
    CHECK(e.flags == 0);
    Env s;
    const uint64_t naive = add(p8, add(p8, mul(p8, 0x40, 0x40, s), mul(p8, 0x01, 0x40, s), s), mul(p8, 0x40, 0xC0, s), s);
    CHECK(naive == 0x00);
  }
  // qAddP / qSubP, qAddQ, and NaR: anything with NaR is NaR.
  {
    Quire q(p8), r(p8);
    q.add(0x48);  // 2
    q.sub(0x40);  // -1
    CHECK(q.to_posit(env) == 0x40);
    r.madd(0x48, 0x48);  // 4
    q.add(r);
    CHECK(q.to_posit(env) == 0x52);  // 5 = 0 10 10 010: 4 * 1.25
    q.madd(0x80, 0x40);
    CHECK(q.is_nar());
    CHECK(q.to_posit(env) == 0x80);
    q.clear();
    CHECK(q.to_posit(env) == 0x00);
  }
}

TEST_CASE("quire: seeded random fused dot products against an exact MPFR sum, every mode") {
  const RoundingMode modes[] = {RoundingMode::RNE, RoundingMode::RNA, RoundingMode::RTZ, RoundingMode::RUP,
                                RoundingMode::RDN, RoundingMode::ROD, RoundingMode::SR,  RoundingMode::SRR};
  uint64_t cases = 0, bad = 0;
  for (const Format& f : {P(8, 2), P(8, 0), P(16, 2), P(16, 1), P(32, 2), P(6, 3)}) {
    for (RoundingMode m : modes) {
      for (uint64_t t = 0; t < 300; ++t) {
        const size_t len = 1 + counter_random(1, t, 0) % 64;
        std::vector<uint64_t> a(len), b(len);
        for (size_t i = 0; i < len; ++i) {
          a[i] = counter_random(2, t, i) & f.facts.code_mask;
          b[i] = counter_random(3, t, i) & f.facts.code_mask;
          if (a[i] == f.facts.sign_bit) a[i] = 0;
          if (b[i] == f.facts.sign_bit) b[i] = 1;
          // Cancellation: every third pair repeats an earlier product negated.
          if (i >= 1 && i % 3 == 0) { a[i] = a[i - 1]; b[i] = (~b[i - 1] + 1) & f.facts.code_mask; }
        }
        Env e;
        e.mode = m;
        e.sr_bits = 5;
        e.seed = 9;
        e.index = t;
        const OracleResult o = oracle_dot(f, a, b, e);  // before the core advances e.index
        const uint64_t core = fused_dot(f, a, b, e);
        ++cases;
        if (core != o.code || e.flags != o.flags) {
          if (bad++ < 5) FAIL_CHECK(f.name, " ", rounding_name(m, 5), " t=", t, ": core ", core, "/", int(e.flags),
                                    " oracle ", o.code, "/", int(o.flags));
        }
      }
    }
  }
  CHECK(bad == 0);
  CHECK(cases == 6 * 8 * 300);
}
