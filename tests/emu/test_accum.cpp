// Accumulation models (emu/accum/): spec parsing and naming, the Kulisch accumulator, and every
// model kind against an independent computation (MPFR exact sums + the reference oracle's
// rounding, see accum_oracle.hpp), plus hand-worked cases for the knobs.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

#include "emu/accum/accum_model.hpp"
#include "emu/accum/dot.hpp"
#include "emu/accum/kulisch.hpp"
#include "emu/block/exact_value.hpp"
#include "emu/random.hpp"
#include "emu/round.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "tests/emu/accum_oracle.hpp"

using namespace bitexact;
using namespace bitexact::testing;

namespace {

Format F(const char* s) { return parse_format(s); }

// A random finite code of f (NaN and Inf skipped).
uint64_t random_finite(const Format& f, uint64_t seed, uint64_t& idx) {
  while (true) {
    const uint64_t c = counter_random(seed, 7, idx++) & f.facts.code_mask;
    const Unpacked u = decode(f, c);
    if (u.cls == ValueClass::Zero || u.cls == ValueClass::Finite) return c;
  }
}

// The code of v in f; v must be exactly representable.
uint64_t code_of(const Format& f, double v) {
  Env env;
  const uint64_t c = round_to_format(f, exact_of(v), env);
  REQUIRE(env.flags == 0);
  return c;
}
std::vector<uint64_t> codes(const Format& f, std::initializer_list<double> vs) {
  std::vector<uint64_t> r;
  for (double v : vs) r.push_back(code_of(f, v));
  return r;
}
double value(const Format& f, uint64_t c) { return to_double(decode(f, c)); }

// dot() of doubles (exactly representable in fa/fb) under spec, decoded as a double.
double dotv(const char* spec, const char* fa, std::initializer_list<double> a, const char* fb,
            std::initializer_list<double> b, std::optional<double> c = std::nullopt, uint8_t* flags = nullptr) {
  const AccumModel m = parse_accum_model(spec);
  const Format A = F(fa), B = F(fb);
  Env env;
  const uint64_t r = dot(m, A, codes(A, a), B, codes(B, b), c ? code_of(m.out_format, *c) : 0, c.has_value(), env);
  if (flags) *flags = env.flags;
  return value(m.out_format, r);
}

}  // namespace

TEST_CASE("accum model specs: presets, kinds, canonical names round-trip") {
  for (const auto& p : accum_presets()) {
    CAPTURE(p.name);
    const AccumModel m = parse_accum_model(p.name);
    CHECK(accum_model_name(m) == p.name);
    CHECK(parse_accum_model(accum_model_name(m)) == m);
    CHECK(!p.source.empty());
    CHECK(!p.confidence.empty());
  }
  const char* specs[] = {"exact<out=float16>", "sequential<acc=bfloat16,fma=false,out=e4m3,out_round=rtz>",
                         "pairwise<acc=float16,acc_round=rtz>", "fused<k=16,acc=13,carry=3,guard=3,sticky=true,round=rne>",
                         "fused<k=4,acc=24,align=floor,round=floor,addend=false,norm=final>",
                         "h100-fp8<promote=64,wide=float64>", "exact<product=lmul>",
                         "fused<product=round,pformat=float16,pround=rtz>", "exact<out=float<e=5,m=2>,out_round=sr:8>"};
  for (const char* s : specs) {
    CAPTURE(s);
    const AccumModel m = parse_accum_model(s);
    CHECK(parse_accum_model(accum_model_name(m)) == m);
  }
  CHECK(accum_model_name(parse_accum_model("sequential<acc=float32>")) == "fp32-fma");
  CHECK(accum_model_name(parse_accum_model("exact")) == "exact");
  CHECK(accum_model_name(parse_accum_model("exact<out=float16>")) == "exact<out=float16>");
  CHECK(parse_accum_model("v100-fp16").k == 4);
  CHECK(parse_accum_model("deepseek-v3").promote_every == 128);
  CHECK(parse_accum_model("h100-fp8").acc_bits == 13);
  // Errors name the position.
  auto err_at = [](const char* s) {
    try {
      parse_accum_model(s);
    } catch (const FormatError& e) {
      return e.position();
    }
    return size_t(999);
  };
  CHECK(err_at("nosuch") == 0);
  CHECK(err_at("fused<k=0>") == 8);
  CHECK(err_at("exact<k=4>") == 6);
  CHECK(err_at("sequential<acc=e9m9>") >= 15);
  CHECK(err_at("fused<round=up>") == 12);
  CHECK(err_at("fused<k=4,promote=6>") != 999);
  CHECK(err_at("fused<k=4") != 999);
  CHECK_THROWS_AS(parse_accum_model("exact<pround=sr:4>"), FormatError);
}

TEST_CASE("Kulisch accumulator: exact over the whole float64 product range") {
  const Format d = F("float64");
  Kulisch k;
  auto prod = [&](double x, double y) {
    Env env;
    const Unpacked a = decode(d, code_of(d, x)), b = decode(d, code_of(d, y));
    Exact p = Exact::finite(a.sign != b.sign, u128(a.significand) * b.significand, a.exponent + b.exponent);
    return p;
  };
  const double big = 1.7976931348623157e308, tiny = 4.9406564584124654e-324;
  k.add(prod(big, big));
  k.add(prod(tiny, tiny));
  k.add(prod(-big, big));
  Exact v = k.value();
  CHECK(v.cls == ValueClass::Finite);
  CHECK(!v.sign);
  CHECK(v.significand == (u128(1) << msb(v.significand)));  // a power of two ...
  CHECK(v.exponent + msb(v.significand) == -2148);          // ... 2^-2148 = min_subnormal^2
  CHECK(k.width() >= 4096);
  k.add(prod(-tiny, tiny));
  CHECK(k.is_zero());
  // Random signed sums against cpp_int.
  using boost::multiprecision::cpp_int;
  Kulisch q;
  cpp_int ref = 0;
  const int lsb = -400;
  for (uint64_t i = 0; i < 2000; ++i) {
    const uint64_t r = counter_random(3, 1, i);
    const u128 sig = (u128(counter_random(3, 2, i)) << (r % 64)) | 1;
    const int e = int(r % 700) - 400;
    const bool neg = (r >> 40) & 1;
    q.add(Exact::finite(neg, sig, e));
    cpp_int t = cpp_int(uint64_t(sig >> 64));
    t <<= 64;
    t |= cpp_int(uint64_t(sig));
    t <<= (e - lsb);
    ref += neg ? cpp_int(-t) : t;
  }
  const Exact got = q.value();
  cpp_int mag = ref < 0 ? cpp_int(-ref) : ref;
  CHECK(got.sign == (ref < 0));
  const int top = int(msb(mag));
  const int shift = top - 127;
  REQUIRE(shift > 0);
  cpp_int kept = mag >> shift;
  CHECK(uint64_t(kept) == uint64_t(got.significand));
  CHECK(uint64_t(kept >> 64) == uint64_t(got.significand >> 64));
  CHECK(got.exponent == lsb + shift);
  CHECK(got.sticky == ((mag & ((cpp_int(1) << shift) - 1)) != 0));
}

TEST_CASE("exact model: random dot products of many formats against MPFR + the oracle's rounding") {
  struct Case { const char *fa, *fb, *out; };
  const Case cases[] = {{"e4m3", "e4m3", "float32"}, {"e5m2", "e4m3", "bfloat16"}, {"float16", "float16", "float16"},
                        {"bfloat16", "bfloat16", "float32"}, {"float32", "float32", "float32"},
                        {"float64", "float64", "float64"}, {"e2m1", "e3m2", "e4m3"}, {"float64", "float16", "e5m2"}};
  const RoundingMode modes[] = {RoundingMode::RNE, RoundingMode::RTZ, RoundingMode::RUP, RoundingMode::RNA,
                                RoundingMode::ROD};
  int n = 0;
  for (const Case& cs : cases) {
    const Format A = F(cs.fa), B = F(cs.fb), O = F(cs.out);
    AccumModel m = parse_accum_model(std::string("exact<out=") + cs.out + ">");
    uint64_t idx = 0;
    for (int t = 0; t < 300; ++t) {
      const size_t len = 1 + counter_random(11, 3, uint64_t(t)) % 40;
      std::vector<uint64_t> a(len), b(len);
      for (size_t i = 0; i < len; ++i) {
        a[i] = random_finite(A, 21, idx);
        b[i] = random_finite(B, 22, idx);
      }
      const bool has_c = t % 2;
      const uint64_t c = random_finite(O, 23, idx);
      Env env;
      env.mode = modes[t % 5];
      Mp sum(kPrec);
      exact_dot(A, a, B, b, has_c ? &O : nullptr, c, sum);
      const OracleResult want = oracle_round(O, sum, false, env);
      if (mpfr_zero_p(sum)) continue;  // zero signs: hand-worked below
      const uint64_t got = dot(m, A, a, B, b, c, has_c, env);
      CAPTURE(cs.fa);
      CAPTURE(t);
      CHECK(got == want.code);
      CHECK(env.flags == want.flags);
      ++n;
    }
  }
  CHECK(n > 2000);
}

TEST_CASE("exact model: exhaustive two-term e2m1 dot products into e2m1 and e4m3, every mode") {
  const Format A = F("e2m1");
  for (const char* out : {"e2m1", "e4m3"}) {
    const Format O = F(out);
    const AccumModel m = parse_accum_model(std::string("exact<out=") + out + ">");
    int n = 0;
    for (RoundingMode mode : {RoundingMode::RNE, RoundingMode::RTZ, RoundingMode::RDN, RoundingMode::ROD}) {
      for (uint64_t x = 0; x < (1u << 16); ++x) {
        const std::vector<uint64_t> a{x & 15, (x >> 4) & 15}, b{(x >> 8) & 15, (x >> 12) & 15};
        Env env;
        env.mode = mode;
        env.overflow = OverflowPolicy::Saturate;
        Mp sum(kPrec);
        exact_dot(A, a, A, b, nullptr, 0, sum);
        if (mpfr_zero_p(sum)) continue;
        const OracleResult want = oracle_round(O, sum, false, env);
        const uint64_t got = dot(m, A, a, A, b, 0, false, env);
        if (got != want.code || env.flags != want.flags) {
          CAPTURE(x);
          CHECK(got == want.code);
          CHECK(env.flags == want.flags);
        }
        ++n;
      }
    }
    CHECK(n > 200000);
  }
}

TEST_CASE("exact model: hand-worked sums, zero signs and specials") {
  // fp16: 2048 + 1 + 1 is 2050 exactly (representable): one rounding keeps both ones.
  CHECK(dotv("exact<out=float16>", "float16", {2048, 1, 1}, "float16", {1, 1, 1}) == 2050);
  // float32 out: 2^24 + 1 + 1 = 2^24 + 2 exactly.
  CHECK(dotv("exact", "float32", {16777216, 1, 1}, "float32", {1, 1, 1}) == 16777218);
  // Catastrophic cancellation is exact: 1e30*1e30 - 1e30*1e30 + 1 = 1.
  CHECK(dotv("exact<out=float64>", "float32", {1e30f, -1e30f, 1}, "float32", {1e30f, 1e30f, 1}) == 1);
  // Zero signs: all products -0 give -0; a cancellation gives +0 (rne).
  CHECK(std::signbit(dotv("exact", "e4m3", {-0.0, 0.0}, "e4m3", {1, -1})));
  CHECK(!std::signbit(dotv("exact", "e4m3", {1, -1}, "e4m3", {1, 1})));
  CHECK(!std::signbit(dotv("exact", "e4m3", {0.0, -0.0}, "e4m3", {1, 1})));
  // Specials: inf - inf is NaN + invalid; 0 * inf is NaN + invalid; inf + finite is inf.
  uint8_t fl = 0;
  CHECK(std::isnan(dotv("exact", "e5m2", {INFINITY, INFINITY}, "e5m2", {1, -1}, std::nullopt, &fl)));
  CHECK(fl == flag::invalid);
  CHECK(std::isnan(dotv("exact", "e5m2", {INFINITY}, "e5m2", {0}, std::nullopt, &fl)));
  CHECK(fl == flag::invalid);
  CHECK(dotv("exact", "e5m2", {INFINITY, 2}, "e5m2", {1, 3}, 1.0, &fl) == INFINITY);
  CHECK(fl == 0);
  // An empty dot product is +0; with c, c itself.
  CHECK(dotv("exact", "e4m3", {}, "e4m3", {}) == 0);
  CHECK(dotv("exact", "e4m3", {}, "e4m3", {}, 3.5) == 3.5);
  // Overflow of the output raises overflow | inexact (fp16 max 65504).
  CHECK(dotv("exact<out=float16>", "e5m2", {57344, 57344}, "e5m2", {2, 2}, std::nullopt, &fl) == INFINITY);
  CHECK(fl == (flag::overflow | flag::inexact));
  Env env;
  CHECK_THROWS_AS(dot(parse_accum_model("exact"), F("e4m3"), std::vector<uint64_t>{1}, F("e4m3"),
                      std::vector<uint64_t>{}, 0, false, env),
                  std::invalid_argument);
}

namespace {

// The sequential oracle: every step's exact sum in MPFR rounded by the reference oracle.
uint64_t oracle_sequential(const Format& A, const std::vector<uint64_t>& a, const Format& B,
                           const std::vector<uint64_t>& b, const Format& acc, bool fma, const Format& O, const Env& env0,
                           uint8_t& flags) {
  Env env = env0;
  Mp x(128), y(128), p(256), s(kPrec);
  bool have = false;
  uint64_t accc = 0;
  flags = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    load(A, a[i], x);
    load(B, b[i], y);
    mpfr_mul(p, x, y, MPFR_RNDN);
    if (!fma) {
      const OracleResult pr = oracle_round(acc, p, mpfr_signbit(p) != 0, env);
      flags |= pr.flags;
      load(acc, pr.code, p);
    }
    if (have) {
      load(acc, accc, s);
      mpfr_add(s, s, p, MPFR_RNDN);
    } else {
      mpfr_set(s, p, MPFR_RNDN);
    }
    const OracleResult r = oracle_round(acc, s, false, env);
    flags |= r.flags;
    accc = r.code;
    have = true;
  }
  load(acc, accc, s);
  const OracleResult r = oracle_round(O, s, false, env);
  flags |= r.flags;
  return r.code;
}

}  // namespace

TEST_CASE("sequential model: random fma chains and multiply-then-add chains against the oracle") {
  struct Case { const char *fa, *acc, *out; };
  const Case cases[] = {{"e4m3", "float16", "float32"}, {"e5m2", "bfloat16", "bfloat16"}, {"float16", "float16", "float16"},
                        {"bfloat16", "float32", "float32"}, {"e4m3", "e5m2", "e4m3"}, {"float32", "float32", "float64"}};
  int n = 0;
  for (const Case& cs : cases) {
    for (bool fma : {true, false}) {
      const Format A = F(cs.fa), Acc = F(cs.acc), O = F(cs.out);
      const AccumModel m = parse_accum_model(std::string("sequential<acc=") + cs.acc + ",fma=" + (fma ? "true" : "false") +
                                             ",out=" + cs.out + ">");
      uint64_t idx = 0;
      for (int t = 0; t < 200; ++t) {
        const size_t len = 1 + counter_random(12, 3, uint64_t(t)) % 24;
        std::vector<uint64_t> a(len), b(len);
        for (size_t i = 0; i < len; ++i) {
          a[i] = random_finite(A, 31, idx);
          b[i] = random_finite(A, 32, idx);
        }
        Env env;
        env.overflow = t % 3 ? OverflowPolicy::Saturate : OverflowPolicy::Ieee;
        uint8_t want_flags = 0;
        // Zero intermediate sums have mode-dependent signs; the oracle reads every zero as +0.
        Mp chk(kPrec);
        exact_dot(A, a, A, b, nullptr, 0, chk);
        const uint64_t want = oracle_sequential(A, a, A, b, Acc, fma, O, env, want_flags);
        const uint64_t got = dot(m, A, a, A, b, 0, false, env);
        const Unpacked gu = decode(O, got), wu = decode(O, want);
        if (gu.is_zero() && wu.is_zero()) continue;
        if (gu.is_nan() && wu.is_nan()) continue;
        CAPTURE(cs.fa);
        CAPTURE(cs.acc);
        CAPTURE(fma);
        CAPTURE(t);
        CHECK(got == want);
        CHECK(env.flags == want_flags);
        ++n;
      }
    }
  }
  CHECK(n > 1500);
}

TEST_CASE("sequential model: hand-worked per-step rounding") {
  // fp16 accumulator: 2048 + 1 = 2049 is a tie between 2048 and 2050 -> 2048 (even); twice.
  CHECK(dotv("fp16-fma", "float16", {2048, 1, 1}, "float16", {1, 1, 1}) == 2048);
  // Order matters: 1 + 1 + 2048 = 2050 exactly.
  CHECK(dotv("fp16-fma", "float16", {1, 1, 2048}, "float16", {1, 1, 1}) == 2050);
  // fma vs multiply-then-add: (1 + 2^-6)^2 = 1 + 2^-5 + 2^-12. fp16 fma: round(-1 + p) = 2^-5 + 2^-12
  // exactly (8 significant bits); multiply first: p rounds to 1 + 2^-5 (2^-12 < half an ulp of 1), then
  // -1 + that = 2^-5.
  const double x = 1 + std::ldexp(1, -6);
  CHECK(dotv("sequential<acc=float16,out=float32>", "float16", {-1, x}, "float16", {1, x}) ==
        std::ldexp(1, -5) + std::ldexp(1, -12));
  CHECK(dotv("sequential<acc=float16,fma=false,out=float32>", "float16", {-1, x}, "float16", {1, x}) == std::ldexp(1, -5));
  // A rounding mode for the accumulator: rtz drops the +1 of 2048 + 1 + 1 too; rup keeps 2050 + 2.
  CHECK(dotv("sequential<acc=float16,acc_round=rup,out=float16>", "float16", {2048, 1, 1}, "float16", {1, 1, 1}) == 2052);
  // c is the accumulator's start value.
  CHECK(dotv("fp16-fma", "float16", {1, 1}, "float16", {1, 1}, 2048.0) == 2048);
  // bf16 multiply-then-add: (1 + 2^-7)^2 = 1 + 2^-6 + 2^-14 rounds to 1 + 2^-6 (bf16 ulp at 1: 2^-7).
  const double y = 1 + std::ldexp(1, -7);
  CHECK(dotv("bf16-seq", "bfloat16", {y}, "bfloat16", {y}) == 1 + std::ldexp(1, -6));
}

TEST_CASE("pairwise model: random trees against the oracle, and a hand-worked tree") {
  // fp16 tree over 2048, 1, 1, 1: (2048 + 1) -> 2048 (tie to even), (1 + 1) = 2, 2048 + 2 = 2050;
  // the sequential chain loses every 1 (2048 + 1 -> 2048 three times).
  CHECK(dotv("pairwise<acc=float16,out=float16>", "float16", {2048, 1, 1, 1}, "float16", {1, 1, 1, 1}) == 2050);
  CHECK(dotv("fp16-fma", "float16", {2048, 1, 1, 1}, "float16", {1, 1, 1, 1}) == 2048);
  // Odd leaves pass up unrounded: a single exact product reaches the output rounding alone.
  CHECK(dotv("pairwise<acc=e4m3,out=float32>", "e4m3", {1.125}, "e4m3", {1.125}) == 1.265625);
  // Random: pairwise tree oracle in MPFR.
  const Format A = F("e4m3"), Acc = F("bfloat16"), O = F("float32");
  const AccumModel m = parse_accum_model("pairwise<acc=bfloat16>");
  uint64_t idx = 0;
  int n = 0;
  for (int t = 0; t < 400; ++t) {
    const size_t len = 1 + counter_random(13, 3, uint64_t(t)) % 33;
    std::vector<uint64_t> a(len), b(len);
    for (size_t i = 0; i < len; ++i) {
      a[i] = random_finite(A, 41, idx);
      b[i] = random_finite(A, 42, idx);
    }
    Env env;
    // Oracle: leaves exact in MPFR, each internal sum rounded by the reference oracle.
    std::vector<std::unique_ptr<Mp>> level;
    for (size_t i = 0; i < len; ++i) {
      auto p = std::make_unique<Mp>(kPrec);
      Mp x(128), y(128);
      load(A, a[i], x);
      load(A, b[i], y);
      mpfr_mul(*p, x, y, MPFR_RNDN);
      level.push_back(std::move(p));
    }
    while (level.size() > 1) {
      std::vector<std::unique_ptr<Mp>> next;
      for (size_t i = 0; i + 1 < level.size(); i += 2) {
        auto s = std::make_unique<Mp>(kPrec);
        mpfr_add(*s, *level[i], *level[i + 1], MPFR_RNDN);
        load(Acc, oracle_round(Acc, *s, false, env).code, *s);
        next.push_back(std::move(s));
      }
      if (level.size() % 2) next.push_back(std::move(level.back()));
      level.swap(next);
    }
    const OracleResult want = oracle_round(O, *level[0], false, env);
    const uint64_t got = dot(m, A, a, A, b, 0, false, env);
    if (decode(O, got).is_zero() && decode(O, want.code).is_zero()) continue;
    CHECK(got == want.code);
    ++n;
  }
  CHECK(n > 350);
}

// ---- The fused K-term model: one hand-worked case per knob (emu/SEMANTICS.md "Accumulation models").

namespace {
const double u23 = std::ldexp(1, -23), u24 = std::ldexp(1, -24);
}  // namespace

TEST_CASE("fused: alignment to the largest exponent truncates small products (Fasi et al.'s V100 behaviour)") {
  // c = 1 and four fp16 products 2^-12 * 2^-12 = 2^-24: aligned to 2^0, the register's LSB is 2^-23,
  // so each 2^-24 is dropped; the exact sum 1 + 2^-22 is representable in fp32.
  const double t = std::ldexp(1, -12);
  CHECK(dotv("v100-fp16", "float16", {t, t, t, t}, "float16", {t, t, t, t}, 1.0) == 1);
  CHECK(dotv("exact", "float16", {t, t, t, t}, "float16", {t, t, t, t}, 1.0) == 1 + std::ldexp(1, -22));
  CHECK(dotv("fp32-pairwise", "float16", {t, t, t, t}, "float16", {t, t, t, t}, 1.0) == 1 + std::ldexp(1, -22));
  // Without c, the four products align among themselves (reference 2^-24) and sum exactly.
  CHECK(dotv("v100-fp16", "float16", {t, t, t, t}, "float16", {t, t, t, t}) == std::ldexp(1, -22));
  // addend=false: the products are summed first (exactly, 2^-22), then added to c: 1 + 2^-22.
  CHECK(dotv("v100-fp16<addend=false>", "float16", {t, t, t, t}, "float16", {t, t, t, t}, 1.0) ==
        1 + std::ldexp(1, -22));
}

TEST_CASE("fused: k, the number of products per step") {
  // Products 2^-24 x4 then 1 (fp16 inputs, no c). k=4: the first step sums the four exactly
  // (2^-22), the second adds 1: 1 + 2^-22. k=8: one step aligned to 1 drops them all: 1.
  const double t = std::ldexp(1, -12);
  CHECK(dotv("v100-fp16", "float16", {t, t, t, t, 1}, "float16", {t, t, t, t, 1}) == 1 + std::ldexp(1, -22));
  CHECK(dotv("a100-fp16", "float16", {t, t, t, t, 1}, "float16", {t, t, t, t, 1}) == 1);
}

TEST_CASE("fused: alignment truncation rz (sign-magnitude) vs floor (two's complement)") {
  // 1 - 2^-24: rz cuts the magnitude of -2^-24 to 0 (result 1); floor rounds it to -2^-23 (result
  // 1 - 2^-23, exact in 24 bits).
  const double t = std::ldexp(1, -12);
  CHECK(dotv("v100-fp16", "float16", {1, -t}, "float16", {1, t}) == 1);
  CHECK(dotv("v100-fp16<align=floor>", "float16", {1, -t}, "float16", {1, t}) == 1 - u23);
}

TEST_CASE("fused: per-step rounding of the normalised register rz / rne / floor") {
  // (1 + 3*2^-23) + 1 = 2 + 3*2^-23 needs 25 bits: rz keeps 2 + 2^-22, rne goes to the even 2 + 2^-21,
  // floor of the negative sum gives -(2 + 2^-21), rz of it -(2 + 2^-22).
  const double x = 1 + 3 * u23;
  CHECK(dotv("fused<k=2,acc=24,round=rz>", "float32", {x, 1}, "float32", {1, 1}) == 2 + 2 * u23);
  CHECK(dotv("fused<k=2,acc=24,round=rne>", "float32", {x, 1}, "float32", {1, 1}) == 2 + 4 * u23);
  CHECK(dotv("fused<k=2,acc=24,round=floor>", "float32", {-x, -1}, "float32", {1, 1}) == -(2 + 4 * u23));
  CHECK(dotv("fused<k=2,acc=24,round=rz>", "float32", {-x, -1}, "float32", {1, 1}) == -(2 + 2 * u23));
}

TEST_CASE("fused: carry-out bits") {
  // 2 + 3*2^-23 overflows a register with no carry bit (|S| < 2^1): it is shifted right by one and
  // the shifted-out bit dropped (2 + 2^-22), so rne no longer sees the tie; with 2 carry bits rne
  // rounds the whole sum (2 + 2^-21).
  const double x = 1 + 3 * u23;
  CHECK(dotv("fused<k=2,acc=24,carry=0,round=rne>", "float32", {x, 1}, "float32", {1, 1}) == 2 + 2 * u23);
  CHECK(dotv("fused<k=2,acc=24,carry=2,round=rne>", "float32", {x, 1}, "float32", {1, 1}) == 2 + 4 * u23);
}

TEST_CASE("fused: guard and sticky bits") {
  // 1 + 1.5*2^-24 (exact 1 + 0.75 ulp): correctly rounded (rne) it is 1 + 2^-23.
  // guard=0: the term is cut to 0 -> 1. guard=1: cut to 2^-24 = half an ulp, a tie -> 1 (even).
  // guard=1 + sticky: 2^-24 plus the jam bit 2^-25 -> above half -> 1 + 2^-23. guard=2: exact -> 1 + 2^-23.
  const double y = 1.5 * u24;
  const char* base = "fused<k=2,acc=24,round=rne";
  auto r = [&](const char* extra) {
    return dotv((std::string(base) + extra + ">").c_str(), "float32", {1, y}, "float32", {1, 1});
  };
  CHECK(r("") == 1);
  CHECK(r(",guard=1") == 1);
  CHECK(r(",guard=1,sticky=true") == 1 + u23);
  CHECK(r(",guard=2") == 1 + u23);
  CHECK(r(",sticky=true") == 1);  // the jam bit alone sits at 2^-24: 1 + 2^-24 is a tie -> 1
}

TEST_CASE("fused: normalisation points (per step vs final)") {
  // k=2. Step 1: 1 - (1 - 2^-20) = 2^-20. Step 2 adds 2^-40 + 2^-40.
  // norm=step: the register is renormalised to 2^-20 (exponent -20), the next alignment keeps
  // 2^-39 exactly: 2^-20 + 2^-39. norm=final: the register keeps the step's exponent 0, its LSB
  // stays 2^-23 and both 2^-40 are dropped: 2^-20.
  const double e = std::ldexp(1, -20);
  CHECK(dotv("fused<k=2,acc=24>", "float32", {1, -1, e, e}, "float32", {1, 1 - e, e, e}) == e + std::ldexp(1, -39));
  CHECK(dotv("fused<k=2,acc=24,norm=final>", "float32", {1, -1, e, e}, "float32", {1, 1 - e, e, e}) == e);
  CHECK(parse_accum_model("fused<norm=none>").normalize == Normalize::Final);
}

TEST_CASE("fused: accumulator width (h100-fp8's 13 bits vs 24) and promotion every N products") {
  // e4m3: 1*1 then 255 products 2^-7 * 2^-6 = 2^-13. With a 13-bit register aligned to 1 the LSB is
  // 2^-12, so every 2^-13 is dropped: 1. A 24-bit register keeps them: 1 + 255*2^-13.
  std::vector<double> a(256, std::ldexp(1, -7)), b(256, std::ldexp(1, -6));
  a[0] = b[0] = 1;
  const Format E = F("e4m3");
  auto run = [&](const char* spec) {
    const AccumModel m = parse_accum_model(spec);
    std::vector<uint64_t> ca, cb;
    for (double v : a) ca.push_back(code_of(E, v));
    for (double v : b) cb.push_back(code_of(E, v));
    Env env;
    return value(m.out_format, dot(m, E, ca, E, cb, 0, false, env));
  };
  CHECK(run("h100-fp8") == 1);
  CHECK(run("h100-fp8<acc=24>") == 1 + 255 * std::ldexp(1, -13));
  // deepseek-v3: products 0..127 form one chain (1, the small ones dropped) and 128..255 another
  // that starts empty and sums its 128 products exactly (2^-6); fp32 adds them: 1 + 2^-6.
  CHECK(run("deepseek-v3") == 1 + std::ldexp(1, -6));
  CHECK(run("exact") == 1 + 255 * std::ldexp(1, -13));
}

TEST_CASE("fused: rounded products, output format and output rounding") {
  // e4m3 1.125 * 1.125 = 1.265625 exactly; rounded into e4m3 first (rne) it is 1.25.
  CHECK(dotv("fused<k=4,acc=24>", "e4m3", {1.125}, "e4m3", {1.125}) == 1.265625);
  CHECK(dotv("fused<k=4,acc=24,product=round,pformat=e4m3>", "e4m3", {1.125}, "e4m3", {1.125}) == 1.25);
  // fp16 output: 1 + 3*2^-12 rounds (rne) to 1 + 2^-10, (rtz) to 1.
  const double z = std::ldexp(1, -12);
  CHECK(dotv("v100-fp16<out=float16>", "float32", {1, 3 * z}, "float32", {1, 1}) == 1 + std::ldexp(1, -10));
  CHECK(dotv("v100-fp16<out=float16,out_round=rtz>", "float32", {1, 3 * z}, "float32", {1, 1}) == 1);
}

TEST_CASE("fused: a wide exact-enough register equals the exact model, k=1 with guard+sticky+rne equals the fp32 fma chain") {
  const Format E = F("e4m3"), B = F("e5m2");
  const AccumModel wide = parse_accum_model("fused<k=8,acc=80,carry=8>");
  const AccumModel ex = parse_accum_model("exact");
  const AccumModel k1 = parse_accum_model("fused<k=1,acc=24,guard=40,sticky=true,round=rne>");
  const AccumModel fma = parse_accum_model("fp32-fma");
  uint64_t idx = 0;
  int n = 0;
  for (int t = 0; t < 1000; ++t) {
    const size_t len = 1 + counter_random(14, 3, uint64_t(t)) % 70;
    std::vector<uint64_t> a(len), b(len);
    for (size_t i = 0; i < len; ++i) {
      a[i] = random_finite(E, 51, idx);
      b[i] = random_finite(B, 52, idx);
    }
    Env e1, e2, e3, e4;
    const uint64_t x = dot(wide, E, a, B, b, 0, false, e1), y = dot(ex, E, a, B, b, 0, false, e2);
    const uint64_t z = dot(k1, E, a, B, b, 0, false, e3), w = dot(fma, E, a, B, b, 0, false, e4);
    if (!(decode(F("float32"), x).is_zero() && decode(F("float32"), y).is_zero())) CHECK(x == y);
    if (!(decode(F("float32"), z).is_zero() && decode(F("float32"), w).is_zero())) CHECK(z == w);
    ++n;
  }
  CHECK(n == 1000);
}

TEST_CASE("fused with promotion: an addend that overflows the wide format stays infinite") {
  // bfloat16 addend -2^20 rounded into a float16 wide accumulator overflows to -inf (float16 max
  // is 65504); the products 1*1 + 1*1 cannot bring it back, so the result is bfloat16 -inf with
  // overflow raised. (Before the fix the infinite W was read as 0 and the result was 2.)
  uint8_t flags = 0;
  const double r = dotv("fused<k=1,acc=8,carry=1,promote=2,wide=float16,out=bfloat16>", "e4m3", {1, 1}, "e4m3",
                        {1, 1}, -1048576.0, &flags);
  CHECK(r == -INFINITY);
  CHECK((flags & flag::overflow) != 0);
}
