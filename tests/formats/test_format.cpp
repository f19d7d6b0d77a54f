// Derived facts of every catalogued format against the published tables
// (shared/reference/emulators.md section (b): OFP8, OCP MX v1.0, ml_dtypes, IEEE 754).
#include <doctest/doctest.h>

#include <cmath>

#include "formats/catalog.hpp"
#include "formats/codec.hpp"

using namespace bitexact;

namespace {
const Format& fmt_named(const char* n) {
  const CatalogEntry* e = Catalog::builtin().find(n);
  REQUIRE(e != nullptr);
  return e->format;
}
struct Facts {
  const char* name;
  int width;
  double max, min_normal, min_sub;
  int binades;
};
}  // namespace

TEST_CASE("catalogued formats have the published range facts") {
  const Facts table[] = {
      {"float64", 64, 1.7976931348623157e308, 0x1p-1022, 0x1p-1074, 2046 + 52},
      {"float32", 32, 3.4028234663852886e38, 0x1p-126, 0x1p-149, 254 + 23},
      {"tfloat32", 19, 0x1.ffcp127, 0x1p-126, 0x1p-136, 254 + 10},
      {"float16", 16, 65504, 0x1p-14, 0x1p-24, 30 + 10},
      {"bfloat16", 16, 0x1.fep127, 0x1p-126, 0x1p-133, 254 + 7},
      {"float8_e4m3fn", 8, 448, 0x1p-6, 0x1p-9, 16 + 3 - 1},
      {"float8_e5m2", 8, 57344, 0x1p-14, 0x1p-16, 30 + 2},
      {"float8_e4m3fnuz", 8, 240, 0x1p-7, 0x1p-10, 15 + 3},
      {"float8_e5m2fnuz", 8, 57344, 0x1p-15, 0x1p-17, 31 + 2},
      {"float8_e4m3b11fnuz", 8, 30, 0x1p-10, 0x1p-13, 15 + 3},
      {"float8_e4m3", 8, 240, 0x1p-6, 0x1p-9, 14 + 3},
      {"float8_e3m4", 8, 15.5, 0.25, 0x1p-6, 6 + 4},
      {"float8_e8m0fnu", 8, 0x1p127, 0x1p-127, 0x1p-127, 255},
      {"float6_e2m3fn", 6, 7.5, 1, 0.125, 3 + 3},
      {"float6_e3m2fn", 6, 28, 0.25, 0.0625, 7 + 2},
      {"float4_e2m1fn", 4, 6, 1, 0.5, 3 + 1},
      {"ue4m3", 7, 448, 0x1p-6, 0x1p-9, 15 + 3},
  };
  for (const Facts& t : table) {
    CAPTURE(t.name);
    const Format& f = fmt_named(t.name);
    CHECK(f.width() == t.width);
    CHECK(max_finite(f).approx() == t.max);
    CHECK(min_normal(f).approx() == t.min_normal);
    CHECK(min_subnormal(f).approx() == t.min_sub);
    CHECK(binade_count(f) == t.binades);
  }
  CHECK(Catalog::builtin().entries().size() == 59);
}

TEST_CASE("OCP E4M3 special codes") {
  const Format& f = fmt_named("float8_e4m3fn");
  CHECK(decode(f, 0x7F).is_nan());
  CHECK(decode(f, 0xFF).is_nan());
  CHECK(decode(f, 0x7E).cls == ValueClass::Finite);
  CHECK(decode(f, 0x80).is_zero());
  CHECK(decode(f, 0x80).sign);
  CHECK(*nan_code(f, false) == 0x7F);
  CHECK(*nan_code(f, true) == 0xFF);
  CHECK_FALSE(inf_code(f, false).has_value());
  CHECK(max_code(f, true) == 0xFE);
  CHECK(epsilon(f).approx() == 0.125);
}

TEST_CASE("fnuz formats: 0x80 is the only NaN and there is no -0") {
  for (const char* n : {"float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz"}) {
    CAPTURE(n);
    const Format& f = fmt_named(n);
    int nans = 0;
    for (uint64_t c = 0; c < 256; ++c) nans += decode(f, c).is_nan();
    CHECK(nans == 1);
    CHECK(decode(f, 0x80).is_nan());
    CHECK(*zero_code(f, true) == 0);
    CHECK_FALSE(f.has_neg_zero());
  }
}

TEST_CASE("E8M0 has no zero, no sign, and 0xFF is NaN") {
  const Format& f = fmt_named("e8m0");
  const Unpacked lo = decode(f, 0x00);
  CHECK(lo.cls == ValueClass::Finite);
  CHECK(std::ldexp(double(lo.significand), lo.exponent) == 0x1p-127);
  CHECK(decode(f, 0x7F).exponent == 0);
  CHECK(decode(f, 0xFF).is_nan());
  CHECK_FALSE(zero_code(f, false).has_value());
}

TEST_CASE("FP4 E2M1 value set") {
  const Format& f = fmt_named("float4_e2m1fn");
  const double expect[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  for (uint64_t c = 0; c < 16; ++c) {
    const Unpacked u = decode(f, c);
    const double v = u.is_zero() ? 0.0 : std::ldexp(double(u.significand), u.exponent);
    CHECK(v == expect[c & 7]);
    CHECK(u.sign == (c >= 8));
  }
}

TEST_CASE("IEEE NaN payloads: quiet vs signalling") {
  const Format& f = fmt_named("float16");
  CHECK(decode(f, 0x7C00).is_inf());
  CHECK(decode(f, 0x7E00).is_nan());
  CHECK_FALSE(decode(f, 0x7E00).signaling);
  CHECK(decode(f, 0x7C01).signaling);
  CHECK(*nan_code(f, false) == 0x7E00);
}

TEST_CASE("encode is the inverse of decode on every code of every format up to 16 bits") {
  for (const CatalogEntry& e : Catalog::builtin().entries()) {
    const Format& f = e.format;
    if (f.width() > 16) continue;
    CAPTURE(f.name);
    size_t mismatches = 0;
    for (uint64_t c : all_codes(f)) {
      const Unpacked u = decode(f, c);
      const auto back = encode(f, u);
      if (u.is_nan() && !f.has_nan()) {
        mismatches += back.has_value();  // an unused codebook code: reads as NaN, no value to encode
      } else if (u.is_nan()) {
        mismatches += !back || !decode(f, *back).is_nan();
      } else if (u.is_zero() && (c & f.facts.sign_bit) == 0) {
        mismatches += back != c;
      } else if (u.is_zero() && !f.has_neg_zero()) {
        mismatches += back != 0;
      } else {
        mismatches += back != c;
      }
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("encode rejects values the format cannot hold") {
  const Format& f = fmt_named("float8_e4m3fn");
  Unpacked u;
  u.cls = ValueClass::Finite;
  u.significand = 15;  // 1.111b * 2^8 = 480 is the NaN code's slot
  u.exponent = 5;
  CHECK_FALSE(encode(f, u).has_value());
  u.significand = 9;  // 1.001b needs 4 bits: fine; 17 (1.0001b) needs 5: not representable
  u.exponent = 0;
  CHECK(encode(f, u).has_value());
  u.significand = 17;
  CHECK_FALSE(encode(f, u).has_value());
}

TEST_CASE("invalid parameter combinations are rejected") {
  FloatParams p{4, 3, 7, true, true, true, InfPolicy::Ieee, NanPolicy::AllOnes};
  CHECK_THROWS(make_float_format("x", p));
  p = {4, 3, 7, false, true, true, InfPolicy::None, NanPolicy::NegZero};
  CHECK_THROWS(make_float_format("x", p));
  p = {0, 3, 7, true, true, true, InfPolicy::None, NanPolicy::None};
  CHECK_THROWS(make_float_format("x", p));
  p = {11, 60, 7, true, true, true, InfPolicy::None, NanPolicy::None};
  CHECK_THROWS(make_float_format("x", p));
}
