// Known answers for the rounding routine, each worked out by hand from the format tables
// (OFP8 Tables 1-3, OCP MX v1.0, IEEE 754) and emu/SEMANTICS.md.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "emu/ops.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/catalog.hpp"
#include "formats/spec.hpp"

using namespace bitexact;

namespace {
const Format& F(const char* n) { return Catalog::builtin().find(n)->format; }

struct R {
  uint64_t code;
  uint8_t flags;
};
R conv(const char* fmt, double x, RoundingMode m = RoundingMode::RNE, OverflowPolicy o = OverflowPolicy::Ieee) {
  Env env;
  env.mode = m;
  env.overflow = o;
  const uint64_t c = from_double(F(fmt), x, env);
  return {c, env.flags};
}
constexpr uint8_t X = flag::inexact, U = flag::underflow, O = flag::overflow, V = flag::invalid;
}  // namespace

TEST_CASE("OCP E4M3: rne, overflow after rounding, NaN on non-saturating overflow") {
  CHECK(conv("float8_e4m3fn", 448).code == 0x7E);
  CHECK(conv("float8_e4m3fn", 464).code == 0x7E);  // tie between 448 (even) and 480 -> 448
  CHECK(conv("float8_e4m3fn", 464).flags == X);
  CHECK(conv("float8_e4m3fn", 465).code == 0x7F);  // rounds to 480 > max: NaN
  CHECK(conv("float8_e4m3fn", 465).flags == (O | X));
  CHECK(conv("float8_e4m3fn", 465, RoundingMode::RNE, OverflowPolicy::Saturate).code == 0x7E);
  CHECK(conv("float8_e4m3fn", -1e6, RoundingMode::RNE, OverflowPolicy::Saturate).code == 0xFE);
  CHECK(conv("float8_e4m3fn", 1e6, RoundingMode::RTZ).code == 0x7E);  // rtz overflows to max
  CHECK(conv("float8_e4m3fn", -1e6, RoundingMode::RUP).code == 0xFE);
  CHECK(conv("float8_e4m3fn", -1e6, RoundingMode::RDN).code == 0xFF);
  CHECK(conv("float8_e4m3fn", 1.0 / 0.0).code == 0x7F);  // OFP8 Table 3: NONSAT inf -> NaN
  CHECK(conv("float8_e4m3fn", 1.0 / 0.0, RoundingMode::RNE, OverflowPolicy::Saturate).code == 0x7E);
  CHECK(conv("float8_e4m3fn", -1.0 / 0.0, RoundingMode::RNE, OverflowPolicy::Saturate).code == 0xFE);
}

TEST_CASE("OCP E5M2: overflow to inf, saturation to 57344") {
  CHECK(conv("float8_e5m2", 57344).code == 0x7B);
  CHECK(conv("float8_e5m2", 61440).code == 0x7C);  // tie 57344 (odd code 0x7B) / 65536 -> inf
  CHECK(conv("float8_e5m2", 61439).code == 0x7B);
  CHECK(conv("float8_e5m2", 1e9, RoundingMode::RNE, OverflowPolicy::Saturate).code == 0x7B);
  CHECK(conv("float8_e5m2", -1.0 / 0.0, RoundingMode::RNE, OverflowPolicy::Saturate).code == 0xFB);
  CHECK(conv("float8_e5m2", 0x1p-17).code == 0x00);  // half of min subnormal: tie to even zero
  CHECK(conv("float8_e5m2", 0x1p-17).flags == (U | X));
  CHECK(conv("float8_e5m2", -0x1.8p-17).code == 0x81);
}

TEST_CASE("every mode on one inexact value") {
  // 1 + 1/16 + 1/32 = 1.09375 in E4M3 lies between 1.0 (0x38) and 1.125 (0x39), closer to 1.125.
  CHECK(conv("e4m3", 1.09375, RoundingMode::RNE).code == 0x39);
  CHECK(conv("e4m3", 1.09375, RoundingMode::RTZ).code == 0x38);
  CHECK(conv("e4m3", 1.0625, RoundingMode::RNE).code == 0x38);  // tie -> even
  CHECK(conv("e4m3", 1.0625, RoundingMode::RNA).code == 0x39);  // tie -> away
  CHECK(conv("e4m3", -1.0625, RoundingMode::RNA).code == 0xB9);
  CHECK(conv("e4m3", -1.01, RoundingMode::RUP).code == 0xB8);
  CHECK(conv("e4m3", -1.01, RoundingMode::RDN).code == 0xB9);
  CHECK(conv("e4m3", 1.01, RoundingMode::ROD).code == 0x39);   // truncates to 0x38 (even) -> odd 0x39
  CHECK(conv("e4m3", 1.13, RoundingMode::ROD).code == 0x39);   // truncates to 0x39, already odd
  CHECK(conv("e4m3", 1.125, RoundingMode::ROD).code == 0x39);  // exact stays
  CHECK(conv("e4m3", 1.0, RoundingMode::ROD).code == 0x38);
}

TEST_CASE("FP4 E2M1 and FP6 always saturate, NaN follows the preset") {
  CHECK(conv("float4_e2m1fn", 5.0).code == 0x6);    // tie 4 (0x6 even) / 6 (0x7)
  CHECK(conv("float4_e2m1fn", 100.0).code == 0x7);
  CHECK(conv("float4_e2m1fn", 100.0).flags == (O | X));
  CHECK(conv("float4_e2m1fn", -0.25).code == 0x8);  // tie -0 / -0.5 -> -0
  CHECK(conv("float6_e2m3fn", 7.75).code == 0x1F);
  CHECK(conv("float6_e3m2fn", 30.0).code == 0x1F);
  Env ocp = preset_env(Preset::Ocp), mld = preset_env(Preset::MlDtypes);
  CHECK(from_double(F("e2m1"), std::nan(""), ocp) == 0x7);
  CHECK(ocp.flags == V);
  CHECK(from_double(F("e2m1"), std::nan(""), mld) == 0x8);
  CHECK(from_double(F("e2m1"), -std::nan(""), mld) == 0x0);  // ml_dtypes negates its -0 stand-in
  CHECK(from_double(F("e2m1"), -std::nan(""), ocp) == 0x7);
}

TEST_CASE("E8M0: powers of two, ties to the even code, no zero") {
  CHECK(conv("e8m0", 1.0).code == 0x7F);
  CHECK(conv("e8m0", 3.0).code == 0x80);  // tie 2 (0x80 even) / 4 (0x81)
  CHECK(conv("e8m0", 6.0).code == 0x82);  // tie 4 (0x81 odd) / 8 (0x82 even)
  CHECK(conv("e8m0", 3.0, RoundingMode::RUP).code == 0x81);
  CHECK(conv("e8m0", 0.0).code == 0xFF);
  CHECK(conv("e8m0", 0.0).flags == V);
  CHECK(conv("e8m0", 0.0, RoundingMode::RNE, OverflowPolicy::Saturate).code == 0x00);
  CHECK(conv("e8m0", -2.0).code == 0xFF);
  CHECK(conv("e8m0", 1e-300).code == 0x00);
  CHECK(conv("e8m0", 1e-300).flags == (U | X));
  CHECK(conv("e8m0", 1e300).code == 0xFF);
  CHECK(conv("e8m0", 1e300, RoundingMode::RNE, OverflowPolicy::Saturate).code == 0xFE);
  Env cuda = preset_env(Preset::Cuda);
  CHECK(preset_default_rounding(Preset::Cuda, F("e8m0").fp.has_zero) == RoundingMode::RUP);
  CHECK(preset_default_rounding(Preset::MlDtypes, F("e8m0").fp.has_zero) == RoundingMode::RNA);
  CHECK(preset_default_rounding(Preset::MlDtypes, F("e4m3").fp.has_zero) == RoundingMode::RNE);
  CHECK(conv("e8m0", 3.0, RoundingMode::RNA).code == 0x81);  // ml_dtypes 0.6.0 rounds this tie up
  CHECK(from_double(F("e8m0"), 1e300, cuda) == 0xFE);
}

TEST_CASE("a signed format without zero keeps the sign of a value that rounds to zero") {
  const Format f = make_float_format("t", {3, 2, 3, true, false, false, InfPolicy::None, NanPolicy::None});
  Env e;
  CHECK(from_double(f, -1e-9, e) == 0x20);
  CHECK(e.flags == (U | X));
  Env z;
  z.overflow = OverflowPolicy::Saturate;
  CHECK(from_double(f, -0.0, z) == 0x00);
}

TEST_CASE("fnuz: -0 becomes +0, NaN is 0x80") {
  CHECK(conv("float8_e4m3fnuz", -0.0).code == 0x00);
  CHECK(conv("float8_e4m3fnuz", -1e-9).code == 0x00);
  CHECK(conv("float8_e4m3fnuz", std::nan("")).code == 0x80);
  CHECK(conv("float8_e4m3fnuz", 1e9).code == 0x80);  // IEEE policy, no inf: NaN
  CHECK(conv("float8_e4m3fnuz", 240).code == 0x7F);
}

TEST_CASE("unsigned UE4M3: negatives are invalid unless they round to zero") {
  CHECK(conv("ue4m3", 448).code == 0x7E);
  CHECK(conv("ue4m3", -1e-9).code == 0x00);
  CHECK(conv("ue4m3", -1.0).code == 0x7F);
  CHECK(conv("ue4m3", -1.0).flags == V);
  CHECK(conv("ue4m3", -1.0, RoundingMode::RNE, OverflowPolicy::Saturate).code == 0x00);
}

TEST_CASE("tininess before and after rounding, flush to zero") {
  // float16: 0x1.ffcp-15 is just below min normal 2^-14; rounded to 11 bits it becomes 2^-14.
  Env after;
  const uint64_t c = from_double(F("float16"), 0x1.ffep-15, after);
  CHECK(c == 0x0400);
  CHECK(after.flags == X);  // not tiny after rounding
  Env before;
  before.tininess = Tininess::BeforeRounding;
  CHECK(from_double(F("float16"), 0x1.ffep-15, before) == 0x0400);
  CHECK(before.flags == (U | X));
  Env ftz;
  ftz.subnormals = SubnormalPolicy::FlushOut;
  CHECK(from_double(F("float16"), -0x1p-20, ftz) == 0x8000);
  CHECK(ftz.flags == (U | X));
  Env daz;
  daz.subnormals = SubnormalPolicy::FlushIn;
  CHECK(convert(F("float16"), 0x0001, F("float32"), daz) == 0);
  Env keep;
  CHECK(convert(F("float16"), 0x0001, F("float32"), keep) == 0x33800000);
}

TEST_CASE("stochastic rounding with explicit random words") {
  // 1.0625 in E4M3: fraction of the quantum is exactly 1/2.
  const uint64_t below[] = {0x7FFFFFFFFFFFFFFFULL}, at[] = {0x8000000000000000ULL};
  Env e;
  e.mode = RoundingMode::SR;
  e.explicit_bits = below;
  CHECK(from_double(F("e4m3"), 1.0625, e) == 0x39);  // u < 1/2: away
  e.explicit_bits = at;
  e.explicit_pos = 0;
  CHECK(from_double(F("e4m3"), 1.0625, e) == 0x38);
  // sr:2 adds a 2-bit integer to the top two fraction bits (binary .10 here): carry iff r >= 2.
  Env r;
  r.mode = RoundingMode::SRR;
  r.sr_bits = 2;
  const uint64_t words[] = {0, 1, 2, 3};
  r.explicit_bits = words;
  CHECK(from_double(F("e4m3"), 1.0625, r) == 0x38);
  CHECK(from_double(F("e4m3"), 1.0625, r) == 0x38);
  CHECK(from_double(F("e4m3"), 1.0625, r) == 0x39);
  CHECK(from_double(F("e4m3"), 1.0625, r) == 0x39);
  CHECK_THROWS_AS(from_double(F("e4m3"), 1.0625, r), std::out_of_range);
  // Exact values draw nothing.
  Env c;
  c.mode = RoundingMode::SR;
  CHECK(from_double(F("e4m3"), 1.0, c) == 0x38);
  CHECK(c.index == 0);
}

TEST_CASE("parse_rounding: a long sr:R is an error, not an int overflow (found by fuzz_accum)") {
  // The digits of R were summed past the two-digit limit: signed overflow (UB) for 10+ digits.
  int bits = 0;
  CHECK_THROWS_AS(parse_rounding("sr:99999999999999999999", &bits), std::invalid_argument);
  CHECK_THROWS_AS(parse_rounding("sr:123", &bits), std::invalid_argument);
  CHECK_THROWS_AS(parse_rounding("sr:1x", &bits), std::invalid_argument);
  CHECK(parse_rounding("sr:12", &bits) == RoundingMode::SRR);
  CHECK(bits == 12);
}

TEST_CASE("negative into unsigned E8M0 under overflow=wrap: NaN + invalid, core and oracle (found by fuzz_spec)") {
  // wrap only concerns integers; a float target treats it as ieee. The oracle took wrap for saturate
  // (the smallest value, 0x00) in this one branch.
  const Format e8m0 = parse_format("e8m0");
  const Format q = parse_format("int<bits=8,frac=4>");
  for (const OverflowPolicy p : {OverflowPolicy::Ieee, OverflowPolicy::Wrap, OverflowPolicy::Saturate}) {
    Env env;
    env.overflow = p;
    const uint64_t got = convert(q, 0x80, e8m0, env);  // -8
    const uint64_t want = p == OverflowPolicy::Saturate ? 0x00 : 0xff;
    CHECK(got == want);
    CHECK(env.flags == flag::invalid);
    const reference::OracleResult o = reference::oracle_convert(q, 0x80, e8m0, Env{.overflow = p});
    CHECK(o.code == want);
    CHECK(o.flags == flag::invalid);
  }
}
