// Posits: the codec against the oracle's own decoder, the core's rounding (emu/round_posit.cpp)
// against the oracle written from the 2022 Posit Standard (emu/reference/posit_oracle.cpp),
// exhaustively for every posit<n,es> with n <= 8, seeded random for posit16 / posit32, and
// hand-worked values from the standard's definitions.
#include <doctest/doctest.h>

#include <atomic>
#include <bit>
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

#include "emu/ops.hpp"
#include "emu/random.hpp"
#include "emu/reference/conformance.hpp"
#include "emu/reference/posit_oracle.hpp"
#include "formats/catalog.hpp"
#include "formats/codec.hpp"
#include "formats/posit_format.hpp"
#include "formats/spec.hpp"
#include "tests/reduced.hpp"

using namespace bitexact;
using namespace bitexact::reference;

namespace {

constexpr uint8_t X = flag::inexact, U = flag::underflow, O = flag::overflow, V = flag::invalid;
constexpr RoundingMode kModes[] = {RoundingMode::RNE, RoundingMode::RNA, RoundingMode::RTZ, RoundingMode::RUP,
                                   RoundingMode::RDN, RoundingMode::ROD, RoundingMode::SR,  RoundingMode::SRR};

Format P(int n, int es) { return make_posit_format(posit_spec_string({n, es}), {n, es}); }
const Format& F(const char* n) { return Catalog::builtin().find(n)->format; }

Env env_for(RoundingMode m, uint64_t seed = 7) {
  Env e;
  e.mode = m;
  e.sr_bits = m == RoundingMode::SRR ? 3 : 0;
  e.seed = seed;
  return e;
}

struct Tally {
  std::atomic<uint64_t> cases{0}, bad{0};
  std::mutex m;
  std::string first;
  void check(const Case& c, const Env& e) {
    const CaseOutcome o = check_case(c, e);
    ++cases;
    if (!o.ok() && bad++ < 5) {
      std::lock_guard<std::mutex> lock(m);
      first += describe_case(c, e, o) + "\n";
    }
  }
};

uint64_t d2p(const Format& f, double x, RoundingMode m = RoundingMode::RNE, uint8_t* flags = nullptr) {
  Env e = env_for(m);
  const uint64_t c = from_double(f, x, e);
  if (flags) *flags = e.flags;
  return c;
}

}  // namespace

namespace {
// posit<n,es> for n = 2..8 and es = 0..3; the reduced sweep (BITEXACT_REDUCED=1, the sanitizer
// build): n = 2, 5, 8 with es = 0 and 2.
std::vector<Format> small_posits() {
  std::vector<Format> v;
  for (int n = 2; n <= 8; ++n)
    for (int es = 0; es <= 3; ++es)
      if (!bitexact_test::reduced() || ((n == 2 || n == 5 || n == 8) && (es == 0 || es == 2))) v.push_back(P(n, es));
  return v;
}
}  // namespace

TEST_CASE("posit codec: hand-worked codes of posit<8,2>, posit<8,0>, posit16, posit32") {
  const Format p8 = P(8, 2), p80 = P(8, 0), p16 = P(16, 2), p32 = P(32, 2);
  Env e;
  auto val = [&](const Format& f, uint64_t c) { return to_double(f, c, e); };
  // posit8 (es = 2): maxpos = 2^((n-2)*4) = 2^24, minpos = 2^-24, 1 = 0x40, NaR = 0x80.
  CHECK(val(p8, 0x7F) == std::ldexp(1, 24));
  CHECK(val(p8, 0x01) == std::ldexp(1, -24));
  CHECK(val(p8, 0x40) == 1.0);
  CHECK(val(p8, 0xC0) == -1.0);
  CHECK(val(p8, 0x81) == -std::ldexp(1, 24));
  CHECK(val(p8, 0xFF) == -std::ldexp(1, -24));
  CHECK(std::isnan(val(p8, 0x80)));
  CHECK(val(p8, 0x00) == 0.0);
  CHECK(val(p8, 0x48) == 2.0);    // 0 10 01 000: k = 0, e = 1
  CHECK(val(p8, 0x50) == 4.0);    // e = 2
  CHECK(val(p8, 0x44) == 1.5);    // fraction .1
  CHECK(val(p8, 0x7C) == 65536);  // 0 111110 0: k = 4, e = 0 (its low bit cut off)
  CHECK(val(p8, 0x7D) == 262144); // 0 111110 1: e = 2 (the exponent's low bit is cut off and reads 0)
  CHECK(val(p8, 0x03) == std::ldexp(1, -18));  // 0 000001 1: k = -5, e = 2
  // posit<8,0>: maxpos 2^6, 1.5 = 0x50, 2 = 0x60.
  CHECK(val(p80, 0x7F) == 64);
  CHECK(val(p80, 0x01) == 1.0 / 64);
  CHECK(val(p80, 0x50) == 1.5);
  CHECK(val(p80, 0x60) == 2.0);
  CHECK(val(p80, 0x30) == 0.75);  // 0 01 10000: k = -1, 1.5 / 2
  // posit16 / posit32 (es = 2).
  CHECK(val(p16, 0x4000) == 1.0);
  CHECK(val(p16, 0x7FFF) == std::ldexp(1, 56));
  CHECK(val(p16, 0x0001) == std::ldexp(1, -56));
  CHECK(val(p32, 0x40000000) == 1.0);
  CHECK(val(p32, 0x7FFFFFFF) == std::ldexp(1, 120));
  CHECK(val(p32, 0x00000001) == std::ldexp(1, -120));
  CHECK(val(p32, 0x3FFFFFFF) == 1.0 - std::ldexp(1, -28));  // 0 01 11 1...1: 2^-1 * (2 - 2^-27)
  CHECK(*nan_code(p32, false) == 0x80000000);
  CHECK(!inf_code(p32, false).has_value());
  CHECK(max_code(p8, true) == 0x81);
  CHECK(min_code(p8, true) == 0xFF);
}

TEST_CASE("posit rounding: the standard's bit-string rule, hand-worked on posit<8,2>") {
  const Format p8 = P(8, 2);
  uint8_t fl = 0;
  // 65536 (0x7C) and 262144 (0x7D) are adjacent; v, the 9-bit posit 0x7C followed by 1, is 2^17.
  CHECK(d2p(p8, 131072, RoundingMode::RNE, &fl) == 0x7C);  // x = v: tie, 0x7C is even
  CHECK(fl == X);
  CHECK(d2p(p8, 131073) == 0x7D);
  CHECK(d2p(p8, 150000) == 0x7D);  // nearer to 65536 arithmetically, but above v
  CHECK(d2p(p8, 144179.2) == 0x7D);
  CHECK(d2p(p8, 98304) == 0x7C);
  CHECK(d2p(p8, -150000) == 0x83);  // negation is two's complement
  CHECK(d2p(p8, 131072, RoundingMode::RNA) == 0x7D);
  CHECK(d2p(p8, 131072, RoundingMode::RTZ) == 0x7C);
  CHECK(d2p(p8, 70000, RoundingMode::RUP) == 0x7D);
  CHECK(d2p(p8, -70000, RoundingMode::RUP) == 0x84);
  CHECK(d2p(p8, 70000, RoundingMode::ROD) == 0x7D);
  // Beyond maxpos: maxpos in every mode, never NaR; below minpos: minpos, never 0.
  for (RoundingMode m : kModes) {
    CHECK(d2p(p8, 1e30, m, &fl) == 0x7F);
    CHECK(fl == (O | X));
    CHECK(d2p(p8, -1e30, m) == 0x81);
    CHECK(d2p(p8, 1e-30, m, &fl) == 0x01);
    CHECK(fl == (U | X));
    CHECK(d2p(p8, -1e-30, m) == 0xFF);
  }
  CHECK(d2p(p8, std::ldexp(1, 24), RoundingMode::RNE, &fl) == 0x7F);
  CHECK(fl == 0);
  CHECK(d2p(p8, std::ldexp(1, -24), RoundingMode::RNE, &fl) == 0x01);
  CHECK(fl == 0);
  // Between maxpos/4 (0x7E = 2^20) and maxpos: v = 2^22 (exponent bits beyond the code).
  CHECK(d2p(p8, std::ldexp(1, 22)) == 0x7E);
  CHECK(d2p(p8, std::ldexp(1.0001, 22)) == 0x7F);
  // Specials: NaN -> NaR; +-inf -> NaR with invalid (the standard converts infinities to NaR); -0 -> 0.
  CHECK(d2p(p8, NAN, RoundingMode::RNE, &fl) == 0x80);
  CHECK(fl == 0);
  CHECK(d2p(p8, INFINITY, RoundingMode::RNE, &fl) == 0x80);
  CHECK(fl == V);
  CHECK(d2p(p8, -0.0) == 0x00);
  // Saturation does not depend on the overflow policy.
  Env sat;
  sat.overflow = OverflowPolicy::Saturate;
  CHECK(from_double(p8, 1e30, sat) == 0x7F);
  // posit<8,0>: fraction-only cuts are ordinary round-to-nearest-even.
  const Format p80 = P(8, 0);
  CHECK(d2p(p80, 1.0 + 1.0 / 64) == 0x40);  // tie between 1 (0x40) and 1 + 1/32 (0x41)
  CHECK(d2p(p80, 1.0 + 3.0 / 64) == 0x42);  // tie, 0x41 odd -> 0x42
  // posit32: 1 + 2^-28 is a tie between 1 and 1 + 2^-27.
  const Format p32 = P(32, 2);
  CHECK(d2p(p32, 1.0 + std::ldexp(1, -28)) == 0x40000000);
  CHECK(d2p(p32, 1.0 + std::ldexp(3, -28)) == 0x40000002);
}

TEST_CASE("posit codec: every code of every posit<n,es>, n <= 12, against the oracle's decoder") {
  uint64_t checked = 0;
  Mp v(192), w(192);
  for (int n = kPositMinN; n <= 12; ++n) {
    for (int es = 0; es <= kPositMaxEs; ++es) {
      const Format f = P(n, es);
      for (uint64_t c = 0; c <= f.facts.code_mask; ++c) {
        const Unpacked u = decode(f, c);
        CAPTURE(f.name);
        CAPTURE(c);
        REQUIRE(encode(f, u) == c);
        if (c == 0) { CHECK(u.is_zero()); continue; }
        if (c == f.facts.sign_bit) { CHECK(u.is_nan()); continue; }
        REQUIRE(u.is_finite_nonzero());
        const uint64_t mag = u.sign ? (~c + 1) & f.facts.code_mask : c;
        posit_value(n, es, mag, v);
        mpfr_set_uj_2exp(w, u.significand, u.exponent, MPFR_RNDN);
        CHECK(mpfr_cmp(v, w) == 0);
        CHECK(u.sign == ((c & f.facts.sign_bit) != 0));
        ++checked;
      }
    }
  }
  CHECK(checked == 6 * ((1u << 13) - 4 - 2 * 11));  // all codes of n = 2..12 but 0 and NaR, for 6 values of es
}

TEST_CASE("posit exhaustive: every code of every <= 8-bit catalogued format and every float16/bfloat16 code into "
          "every posit<n,es> (n <= 8), every posit code into every catalogued format, every mode") {
  const std::vector<Format> posits = small_posits();
  std::vector<const Format*> sources, targets;
  for (const CatalogEntry& e : Catalog::builtin().entries()) {
    if (e.format.width() <= 8) sources.push_back(&e.format);
    targets.push_back(&e.format);
  }
  const Format* wide[] = {&F("float16"), &F("bfloat16")};
  struct Job {
    const Format* from;
    const Format* to;
    RoundingMode m;
  };
  std::vector<Job> jobs;
  for (const Format& p : posits)
    for (RoundingMode m : kModes) {
      for (const Format* s : sources) jobs.push_back({s, &p, m});
      for (const Format* t : targets) jobs.push_back({&p, t, m});
      if (m == RoundingMode::RNE || m == RoundingMode::RTZ || m == RoundingMode::SR || p.width() == 8)
        for (const Format* s : wide) jobs.push_back({s, &p, m});
    }
  Tally t;
  parallel_for(jobs.size(), 2, [&](uint64_t j) {
    const Job& job = jobs[j];
    Env e = env_for(job.m);
    for (uint64_t c = 0; c <= job.from->facts.code_mask; ++c) {
      e.index = c;
      t.check(Case{Op::Convert, job.from, job.to, c, 0, 0}, e);
    }
  });
  INFO(t.first);
  CHECK(t.bad == 0);
  uint64_t expected = 0;
  for (const Format& p : posits)
    for (RoundingMode m : kModes) {
      for (const Format* s : sources) expected += s->facts.code_mask + 1;
      expected += targets.size() * (p.facts.code_mask + 1);
      if (m == RoundingMode::RNE || m == RoundingMode::RTZ || m == RoundingMode::SR || p.width() == 8)
        expected += 2 * 65536;
    }
  CHECK(t.cases == expected);
  MESSAGE("posit conversions checked: ", t.cases.load(), std::string(bitexact_test::reduced() ? " (reduced sweep)" : ""));
}

TEST_CASE("posit exhaustive: add/sub/mul/div of every pair and sqrt of every code, every posit<n,es> with n <= 8, "
          "every mode") {
  const std::vector<Format> posits = small_posits();
  struct Job {
    const Format* f;
    RoundingMode m;
  };
  std::vector<Job> jobs;
  for (const Format& p : posits)
    for (RoundingMode m : kModes)
      if (p.width() <= 7 || m == RoundingMode::RNE || p.pp.es == 2 || p.pp.es == 0) jobs.push_back({&p, m});
  Tally t;
  parallel_for(jobs.size(), 2, [&](uint64_t j) {
    const Job& job = jobs[j];
    Env e = env_for(job.m);
    const uint64_t n = job.f->facts.code_mask + 1;
    for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div})
      for (uint64_t i = 0; i < n * n; ++i) {
        e.index = i;
        t.check(Case{op, job.f, nullptr, i / n, i % n, 0}, e);
      }
    for (uint64_t i = 0; i < n; ++i) {
      e.index = i;
      t.check(Case{Op::Sqrt, job.f, nullptr, i, 0, 0}, e);
    }
  });
  INFO(t.first);
  CHECK(t.bad == 0);
  uint64_t expected = 0;
  for (const Job& j : jobs) {
    const uint64_t n = j.f->facts.code_mask + 1;
    expected += 4 * n * n + n;
  }
  CHECK(t.cases == expected);
  MESSAGE("posit operations checked: ", t.cases.load(), std::string(bitexact_test::reduced() ? " (reduced sweep)" : ""));
}

TEST_CASE("posit16 and posit32: seeded random operations and conversions, every mode, plus special operands") {
  const Format* fs[] = {&F("posit16"), &F("posit32"), &F("posit16_1")};
  Tally t;
  for (const Format* f : fs) {
    const uint64_t mask = f->facts.code_mask, nar = f->facts.sign_bit;
    const uint64_t specials[] = {0, nar, 1, mask, nar - 1, nar + 1, uint64_t{1} << (f->width() - 2)};
    for (RoundingMode m : kModes) {
      Env e = env_for(m, 11);
      parallel_for(20000, 2, [&](uint64_t i) {
        Env ei = e;
        ei.index = i;
        const uint64_t r = counter_random(5, uint64_t(m), i);
        uint64_t a = r & mask, b = (r >> 32) & mask;
        if (i < 49) a = specials[i % 7], b = specials[i / 7];
        for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div}) t.check(Case{op, f, nullptr, a, b, 0}, ei);
        t.check(Case{Op::Sqrt, f, nullptr, a, 0, 0}, ei);
        t.check(Case{Op::Fma, f, nullptr, a, b, counter_random(6, uint64_t(m), i) & mask}, ei);
        t.check(Case{Op::Convert, f, &F("float32"), a, 0, 0}, ei);
        t.check(Case{Op::Convert, &F("float64"), f, counter_random(7, uint64_t(m), i), 0, 0}, ei);
        t.check(Case{Op::Convert, &F("float32"), f, r & 0xFFFFFFFF, 0, 0}, ei);
      });
    }
  }
  INFO(t.first);
  CHECK(t.bad == 0);
  CHECK(t.cases == 3 * 8 * 20000 * 9);
}

TEST_CASE("posit spec grammar: posit<n,es>, positN, positN_E, keyed form, catalogue names, errors") {
  CHECK(parse_format("posit<8,2>").name == "posit8");
  CHECK(parse_format("posit8").pp == PositParams{8, 2});
  CHECK(parse_format("posit8_2").name == "posit8");
  CHECK(parse_format("posit16_1").name == "posit16_1");
  CHECK(parse_format("posit<16,1>").name == "posit16_1");
  CHECK(parse_format("posit<n=6,es=1>").pp == PositParams{6, 1});
  CHECK(parse_format("posit12_3").name == "posit<12,3>");
  CHECK(parse_format("posit4_1").pp == PositParams{4, 1});
  CHECK(parse_format("posit32").width() == 32);
  CHECK(spec_string(parse_format("posit8")) == "posit<8,2>");
  CHECK_THROWS(parse_format("posit<33,2>"));
  CHECK_THROWS(parse_format("posit<8,6>"));
  CHECK_THROWS(parse_format("posit<8>"));
  CHECK_THROWS(parse_format("posit"));
  CHECK_THROWS(parse_format("posit1"));
  CHECK_THROWS(parse_format("posit8_9"));
  CHECK_THROWS(parse_format("posit<8,2,1>"));
  CHECK_THROWS(parse_format("posit<n=8,x=2>"));
}
