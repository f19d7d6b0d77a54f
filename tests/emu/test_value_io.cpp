// Text <-> value (emu/value_io.hpp): known codes worked out from the format tables, exact
// halfway decimals built with big integers, a cross-check against from_double on random
// doubles, every mode against the MPFR oracle, and the shortest-decimal round trip over every
// code of every <=16-bit format.
#include <doctest/doctest.h>

#include <bit>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <random>
#include <string>

#include <boost/multiprecision/cpp_int.hpp>

#include "emu/ops.hpp"
#include "emu/reference/oracle.hpp"
#include "emu/value_io.hpp"
#include "formats/catalog.hpp"
#include "formats/error.hpp"
#include "formats/codec.hpp"
#include "formats/spec.hpp"

using namespace bitexact;
using boost::multiprecision::cpp_int;

namespace {

const Format& F(const char* n) {
  const CatalogEntry* e = Catalog::builtin().find(n);
  REQUIRE(e != nullptr);
  return e->format;
}

struct R {
  uint64_t code;
  uint8_t flags;
  bool operator==(const R&) const = default;
};

doctest::String toString(const R& r) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "{code 0x%" PRIx64 ", flags 0x%02x}", r.code, unsigned(r.flags));
  return buf;
}

R rd(const char* fmt, const std::string& text, RoundingMode m = RoundingMode::RNE,
     OverflowPolicy o = OverflowPolicy::Ieee) {
  Env env;
  env.mode = m;
  env.overflow = o;
  const uint64_t c = value_from_string(F(fmt), text, env);
  return {c, env.flags};
}

constexpr uint8_t X = flag::inexact, U = flag::underflow, O = flag::overflow, V = flag::invalid;
constexpr RoundingMode RNE = RoundingMode::RNE, RNA = RoundingMode::RNA, RTZ = RoundingMode::RTZ,
                       RUP = RoundingMode::RUP, RDN = RoundingMode::RDN, ROD = RoundingMode::ROD;

size_t error_position(const std::string& text) {
  try {
    parse_value(text);
  } catch (const FormatError& e) {
    CHECK(e.input() == text);
    CHECK(std::string(e.what()).find("bad value") != std::string::npos);
    return e.position();
  }
  FAIL("no error for '" << text << "'");
  return 0;
}

// Exact decimal string of n * 2^e.
std::string exact_dec(cpp_int n, int e) {
  bool neg = n < 0;
  if (neg) n = -n;
  std::string digits;
  int point = 0;  // digits after the decimal point
  if (e >= 0) {
    digits = cpp_int(n << e).str();
  } else {
    digits = cpp_int(n * boost::multiprecision::pow(cpp_int(5), unsigned(-e))).str();
    point = -e;
  }
  if (int(digits.size()) <= point) digits.insert(0, size_t(point - int(digits.size()) + 1), '0');
  std::string s = digits.substr(0, digits.size() - size_t(point));
  if (point > 0) s += "." + digits.substr(digits.size() - size_t(point));
  return (neg ? "-" : "") + s;
}

// A decimal string as (significant digits, scientific exponent), for comparing spellings.
std::pair<std::string, int> normalise(std::string s) {
  if (!s.empty() && s[0] == '-') s.erase(0, 1);
  int exp = 0;
  if (auto e = s.find_first_of("eE"); e != std::string::npos) {
    exp = std::stoi(s.substr(e + 1));
    s.resize(e);
  }
  auto dot = s.find('.');
  int int_digits = int(dot == std::string::npos ? s.size() : dot);
  if (dot != std::string::npos) s.erase(dot, 1);
  size_t first = s.find_first_not_of('0');
  if (first == std::string::npos) return {"0", 0};
  int sci = int_digits - 1 - int(first) + exp;
  s = s.substr(first);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  return {s, sci};
}

}  // namespace

TEST_CASE("parse_value: exact values and classes") {
  CHECK(parse_value("0").cls == ValueClass::Zero);
  CHECK_FALSE(parse_value("0").sign);
  CHECK(parse_value("-0").cls == ValueClass::Zero);
  CHECK(parse_value("-0").sign);
  CHECK(parse_value("-0.000e5").sign);
  CHECK(parse_value("inf").cls == ValueClass::Inf);
  CHECK(parse_value("-Infinity").cls == ValueClass::Inf);
  CHECK(parse_value("-Infinity").sign);
  CHECK(parse_value("+INF").cls == ValueClass::Inf);
  CHECK(parse_value("nan").cls == ValueClass::NaN);
  CHECK(parse_value("-NaN").sign);
  const Exact a = parse_value("1.5");
  CHECK(a.cls == ValueClass::Finite);
  CHECK_FALSE(a.sticky);
  CHECK(a.significand == u128(3) << -(a.exponent + 1));  // 1.5 = 3 * 2^-1
  CHECK(parse_value("0.1").sticky);
  CHECK_FALSE(parse_value("0.125").sticky);
  CHECK_FALSE(parse_value("0x1.8p+0").sticky);
}

TEST_CASE("value_from_string: decimal and hex-float spellings") {
  CHECK(rd("float32", "1.5") == R{0x3fc00000, 0});
  CHECK(rd("float32", ".5") == R{0x3f000000, 0});
  CHECK(rd("float32", "1.") == R{0x3f800000, 0});
  CHECK(rd("float32", "+2") == R{0x40000000, 0});
  CHECK(rd("float32", "-0") == R{0x80000000, 0});
  CHECK(rd("float32", "00012.50e-1") == R{0x3fa00000, 0});
  CHECK(rd("float32", "1E+1") == R{0x41200000, 0});
  CHECK(rd("float32", "0x1.8p+0") == R{0x3fc00000, 0});
  CHECK(rd("float32", "-0X1P-3") == R{0xbe000000, 0});
  CHECK(rd("float32", "0x.8p1") == R{0x3f800000, 0});
  CHECK(rd("float32", "0x10") == R{0x41800000, 0});   // exponent is optional
  CHECK(rd("float32", "0xA.Bp0") == R{0x412b0000, 0});  // 10.6875
  CHECK(rd("float32", "0x0.000p+0") == R{0, 0});
  CHECK(rd("float32", "0x1.fffffep+127") == R{0x7f7fffff, 0});
  CHECK(rd("float32", "0x1.ffffffp+127") == R{0x7f800000, O | X});  // tie with 2^128: even -> overflow
  CHECK(rd("float32", "0x1.fffffefffffffffffffffffffffffffffffffp+127") == R{0x7f7fffff, X});
  CHECK(rd("float32", "0x1.000001p0") == R{0x3f800000, X});
  CHECK(rd("float32", "0x1.0000010000000000000000000000000000001p0") == R{0x3f800001, X});
  CHECK(rd("float32", "inf") == R{0x7f800000, 0});
  CHECK(rd("float32", "-inf") == R{0xff800000, 0});
  CHECK(rd("float32", "nan") == R{0x7fc00000, 0});
  CHECK(rd("float32", "-nan") == R{0xffc00000, 0});
}

TEST_CASE("value_from_string: float32 known answers in every mode") {
  CHECK(rd("float32", "0.1") == R{0x3dcccccd, X});
  CHECK(rd("float32", "0.1", RTZ) == R{0x3dcccccc, X});
  CHECK(rd("float32", "0.1", RUP) == R{0x3dcccccd, X});
  CHECK(rd("float32", "0.1", RDN) == R{0x3dcccccc, X});
  CHECK(rd("float32", "0.1", RNA) == R{0x3dcccccd, X});
  CHECK(rd("float32", "0.1", ROD) == R{0x3dcccccd, X});
  CHECK(rd("float32", "-0.1", RDN) == R{0xbdcccccd, X});
  CHECK(rd("float32", "-0.1", RUP) == R{0xbdcccccc, X});
  CHECK(rd("float32", "1e-46") == R{0x00000000, U | X});
  CHECK(rd("float32", "1e-46", RUP) == R{0x00000001, U | X});
  CHECK(rd("float32", "1e-45") == R{0x00000001, U | X});
  CHECK(rd("float32", "16777217") == R{0x4b800000, X});       // 2^24+1: tie to even
  CHECK(rd("float32", "16777217", RNA) == R{0x4b800001, X});
  CHECK(rd("float32", "16777219") == R{0x4b800002, X});       // 2^24+3: tie to even (up)
  CHECK(rd("float32", "16777217.000000000000000001") == R{0x4b800001, X});
  CHECK(rd("float32", "16777216.999999999999999999") == R{0x4b800000, X});
  CHECK(rd("float32", "3.4028235e38") == R{0x7f7fffff, X});
  CHECK(rd("float32", "3.40282357e38") == R{0x7f800000, O | X});
  CHECK(rd("float32", "3.40282357e38", RTZ) == R{0x7f7fffff, X});  // rounds to max: no overflow
  CHECK(rd("float32", "340282356779733661637539395458142568448") == R{0x7f800000, O | X});
  CHECK(rd("float32", "340282356779733661637539395458142568447") == R{0x7f7fffff, X});
  CHECK(rd("float32", "1.1754943508222875e-38") == R{0x00800000, X});  // just above 2^-126 (rounds to it)
}

TEST_CASE("value_from_string: float64 halfway decimals") {
  CHECK(rd("float64", "9007199254740993") == R{0x4340000000000000, X});
  CHECK(rd("float64", "9007199254740993", RUP) == R{0x4340000000000001, X});
  CHECK(rd("float64", "9007199254740993", RNA) == R{0x4340000000000001, X});
  CHECK(rd("float64", "9007199254740993", RTZ) == R{0x4340000000000000, X});
  CHECK(rd("float64", "9007199254740993", ROD) == R{0x4340000000000001, X});
  CHECK(rd("float64", "-9007199254740993", RDN) == R{0xc340000000000001, X});
  CHECK(rd("float64", "9007199254740995") == R{0x4340000000000002, X});
  CHECK(rd("float64", "9007199254740993.0000000000000000000000000000001") == R{0x4340000000000001, X});
  CHECK(rd("float64", "9007199254740992.9999999999999999999999999999999") == R{0x4340000000000000, X});
  CHECK(rd("float64", "0.1") == R{0x3fb999999999999a, X});
  CHECK(rd("float64", "1.7976931348623157e308") == R{0x7fefffffffffffff, X});
  CHECK(rd("float64", "4.9406564584124654e-324") == R{0x0000000000000001, U | X});
  CHECK(rd("float64", "2.2250738585072014e-308") == R{0x0010000000000000, X});
  // 2^-1075 exactly: half the smallest subnormal, a tie that goes to the even code 0.
  const std::string half_min = exact_dec(1, -1075);
  CHECK(rd("float64", half_min) == R{0, U | X});
  CHECK(rd("float64", half_min, RNA) == R{1, U | X});
  CHECK(rd("float64", half_min + "1") == R{1, U | X});
  CHECK(rd("float64", "0x1p-1075") == R{0, U | X});
  CHECK(rd("float64", "0x1.00000000000000000001p-1075") == R{1, U | X});
  // The overflow threshold 2^1024 - 2^970 (midpoint of max and 2^1024): a tie, to even = 2^1024.
  const std::string mid_max = exact_dec((cpp_int(1) << 54) - 1, 970);
  CHECK(rd("float64", mid_max) == R{0x7ff0000000000000, O | X});
  CHECK(rd("float64", exact_dec((cpp_int(1) << 1024) - (cpp_int(1) << 970) - 1, 0)) == R{0x7fefffffffffffff, X});
  // Every float64 midpoint built exactly, for random neighbours.
  std::mt19937_64 rng(12345);
  for (int i = 0; i < 300; ++i) {
    const uint64_t bits = rng() & 0x7fefffffffffffffull;  // finite, below max
    const uint64_t exp_field = bits >> 52, man = bits & ((uint64_t{1} << 52) - 1);
    const cpp_int sig = exp_field ? (man | (uint64_t{1} << 52)) : man;
    const int e = exp_field ? int(exp_field) - 1075 : -1074;
    const std::string mid = exact_dec(sig * 2 + 1, e - 1);
    const bool even = (bits & 1) == 0;
    CAPTURE(mid);
    CHECK(rd("float64", mid).code == (even ? bits : bits + 1));
    CHECK(rd("float64", mid, RUP).code == bits + 1);
    CHECK(rd("float64", mid, RTZ).code == bits);
    CHECK(rd("float64", "-" + mid, RNA).code == ((bits + 1) | 0x8000000000000000ull));
    const std::string tail = mid.find('.') == std::string::npos ? ".000000000000000000000001" : "000000000000000000000001";
    CHECK(rd("float64", mid + tail).code == bits + 1);
    // Just below the midpoint: (2*sig+1) * 2^(e-1) - 2^(e-1-80), exactly.
    const std::string below = exact_dec((sig * 2 + 1) * (cpp_int(1) << 80) - 1, e - 1 - 80);
    CHECK(rd("float64", below).code == bits);
    CHECK(rd("float64", below, RNA).code == bits);
  }
}

TEST_CASE("value_from_string: small formats") {
  CHECK(rd("float8_e4m3fn", "464") == R{0x7e, X});
  CHECK(rd("float8_e4m3fn", "448") == R{0x7e, 0});
  CHECK(rd("float8_e4m3fn", "465") == R{0x7f, O | X});
  CHECK(rd("float8_e4m3fn", "465", RNE, OverflowPolicy::Saturate) == R{0x7e, O | X});
  CHECK(rd("float8_e4m3fn", "1.5") == R{0x3c, 0});
  CHECK(rd("float8_e4m3fn", "-0") == R{0x80, 0});
  CHECK(rd("float8_e4m3fn", "nan") == R{0x7f, 0});
  CHECK(rd("float8_e4m3fn", "-nan") == R{0xff, 0});
  CHECK(rd("float8_e4m3fn", "inf") == R{0x7f, V});
  CHECK(rd("float8_e4m3fn", "1e-9") == R{0x00, U | X});
  CHECK(rd("float8_e4m3fn", "0.001953125") == R{0x01, 0});   // 2^-9
  CHECK(rd("float8_e4m3fn", "0.0009765625") == R{0x00, U | X});  // 2^-10: tie to even 0
  CHECK(rd("float8_e4m3fn", "0.0009765625", RNA) == R{0x01, U | X});
  CHECK(rd("float8_e4m3fn", "0.00097656250001") == R{0x01, U | X});
  CHECK(rd("float8_e5m2", "57344") == R{0x7b, 0});
  CHECK(rd("float8_e5m2", "61440") == R{0x7c, O | X});
  CHECK(rd("float8_e5m2", "61439.999") == R{0x7b, X});
  CHECK(rd("float16", "65504") == R{0x7bff, 0});
  CHECK(rd("float16", "65520") == R{0x7c00, O | X});
  CHECK(rd("float16", "65519.99") == R{0x7bff, X});
  CHECK(rd("float16", "5.9604644775390625e-8") == R{0x0001, 0});
  CHECK(rd("float16", "-0x1p-24") == R{0x8001, 0});
  CHECK(rd("float16", "0.1") == R{0x2e66, X});
  CHECK(rd("bfloat16", "1.00390625") == R{0x3f80, X});
  CHECK(rd("bfloat16", "1.00390625", RUP) == R{0x3f81, X});
  CHECK(rd("bfloat16", "1.01171875") == R{0x3f82, X});  // 1 + 3*2^-8: tie, to even 0x3f82
  CHECK(rd("float8_e8m0fnu", "1") == R{0x7f, 0});
  CHECK(rd("float8_e8m0fnu", "0.75") == R{0x7e, X});  // tie 0.5 (0x7e, even) / 1 (0x7f)
  CHECK(rd("float8_e8m0fnu", "0.75", RUP) == R{0x7f, X});
  CHECK(rd("float8_e8m0fnu", "3") == R{0x80, X});     // tie 2 (0x80) / 4 (0x81)
  CHECK(rd("float4_e2m1fn", "5") == R{0x6, X});       // tie 4 (0x6) / 6 (0x7) -> even
  CHECK(rd("float4_e2m1fn", "6.5") == R{0x7, X});
  CHECK(rd("float4_e2m1fn", "-0.25") == R{0x8, U | X});  // tie 0 / 0.5 -> -0
  CHECK(rd("float4_e2m1fn", "7") == R{0x7, O | X});   // rounds to 8: no inf, no NaN -> max
  CHECK(rd("float6_e2m3fn", "7.5") == R{0x1f, 0});
}

TEST_CASE("value_from_string: absurd exponents and long inputs are clamped yet round correctly") {
  CHECK(rd("float64", "1e-999999") == R{0, U | X});
  CHECK(rd("float64", "1e-999999", RUP) == R{1, U | X});
  CHECK(rd("float64", "-1e-999999", RDN) == R{0x8000000000000001, U | X});
  CHECK(rd("float64", "1e999999") == R{0x7ff0000000000000, O | X});
  CHECK(rd("float64", "1e999999", RTZ) == R{0x7fefffffffffffff, O | X});
  CHECK(rd("float64", "-1e999999999999999999999") == R{0xfff0000000000000, O | X});
  CHECK(rd("float64", "1e-999999999999999999999") == R{0, U | X});
  CHECK(rd("float64", "0x1p-99999999999") == R{0, U | X});
  CHECK(rd("float64", "0x1p+99999999999") == R{0x7ff0000000000000, O | X});
  CHECK(rd("float64", "1e400") == R{0x7ff0000000000000, O | X});
  CHECK(rd("float64", "1e-400", RUP) == R{1, U | X});
  CHECK(rd("float64", "0e999999999") == R{0, 0});
  CHECK(rd("float8_e4m3fn", "1e-9999") == R{0, U | X});
  CHECK(rd("float8_e4m3fn", "1e9999", RNE, OverflowPolicy::Saturate) == R{0x7e, O | X});
  // 30000 digits: 10^29999 is huge; 0.(29999 zeros)1 is tiny.
  CHECK(rd("float64", "1" + std::string(29999, '0')) == R{0x7ff0000000000000, O | X});
  CHECK(rd("float64", "0." + std::string(29999, '0') + "1", RUP) == R{1, U | X});
  // A long mantissa: 1 followed by 25000 digits, with a 1 at the very end: 1 + tiny.
  CHECK(rd("float64", "1." + std::string(25000, '0') + "1", RUP) == R{0x3ff0000000000001, X});
  CHECK(rd("float64", "1." + std::string(25000, '0') + "1") == R{0x3ff0000000000000, X});
  CHECK(rd("float64", std::string(25000, '0') + "1.5") == R{0x3ff8000000000000, 0});
}

TEST_CASE("parse_value: errors name the input and the 0-based position") {
  CHECK(error_position("") == 0);
  CHECK(error_position("1.2.3") == 3);
  CHECK(error_position("0x") == 2);
  CHECK(error_position("-0x") == 3);
  CHECK(error_position("1e") == 2);
  CHECK(error_position("1e+") == 3);
  CHECK(error_position("1ex") == 2);
  CHECK(error_position("abc") == 0);
  CHECK(error_position("1.5x") == 3);
  CHECK(error_position("-") == 1);
  CHECK(error_position(".") == 1);
  CHECK(error_position("0x1p") == 4);
  CHECK(error_position("0x1.8q3") == 5);
  CHECK(error_position("0xg") == 2);
  CHECK(error_position("0x1.2.3") == 5);
  CHECK(error_position("infx") == 3);
  CHECK(error_position("nan(1)") == 3);
  CHECK(error_position(" 1") == 0);
  CHECK(error_position("1 ") == 1);
  CHECK(error_position("--1") == 1);
  CHECK(error_position("1e5.0") == 3);
  try {
    parse_value("1.2.3");
  } catch (const FormatError& e) {
    CHECK(std::string(e.what()) == "bad value: unexpected character '.' (at character 4 of '1.2.3')");
  }
}

TEST_CASE("value_from_string agrees with from_double on random doubles (%.17g, %a, exact decimal)") {
  const char* formats[] = {"float64", "float32", "float16", "bfloat16", "tfloat32", "float8_e4m3fn",
                           "float8_e5m2", "float8_e4m3fnuz", "float8_e8m0fnu", "float6_e3m2fn", "float4_e2m1fn"};
  const RoundingMode modes[] = {RNE, RNA, RTZ, RUP, RDN, ROD, RoundingMode::SR};
  std::mt19937_64 rng(2024);
  for (int i = 0; i < 3000; ++i) {
    uint64_t bits = rng();
    // Bias towards the ranges small formats care about.
    if (i % 2) bits = (bits & 0x800fffffffffffffull) | (uint64_t(1023 - 30 + int(rng() % 60)) << 52);
    const double x = std::bit_cast<double>(bits);
    if (std::isnan(x)) continue;
    char g17[64], ahex[64];
    std::snprintf(g17, sizeof g17, "%.17g", x);
    std::snprintf(ahex, sizeof ahex, "%a", x);
    CAPTURE(g17);
    CAPTURE(ahex);
    // %.17g reads back to the same double; %a is exact.
    CHECK(rd("float64", g17).code == bits);
    CHECK(rd("float64", ahex) == R{bits, 0});
    const std::string exact = value_to_exact_decimal(F("float64"), bits);
    CHECK(rd("float64", exact) == R{bits, 0});
    for (const char* fmt : formats) {
      for (RoundingMode m : modes) {
        for (OverflowPolicy o : {OverflowPolicy::Ieee, OverflowPolicy::Saturate}) {
          Env ref;
          ref.mode = m;
          ref.overflow = o;
          ref.seed = 7;
          ref.index = uint64_t(i);
          const uint64_t want = from_double(F(fmt), x, ref);
          for (const std::string& s : {std::string(ahex), exact}) {
            Env env;
            env.mode = m;
            env.overflow = o;
            env.seed = 7;
            env.index = uint64_t(i);
            const uint64_t got = value_from_string(F(fmt), s, env);
            CAPTURE(fmt);
            CAPTURE(int(m));
            CHECK(R{got, env.flags} == R{want, ref.flags});
          }
        }
      }
    }
  }
}

TEST_CASE("value_to_string / value_to_hex / value_to_exact_decimal: known spellings") {
  CHECK(value_to_string(F("float32"), 0x3dcccccd) == "0.1");
  CHECK(value_to_string(F("float32"), 0x7f7fffff) == "3.4028235e+38");
  CHECK(value_to_string(F("float32"), 0x00000001) == "1e-45");
  CHECK(value_to_string(F("float32"), 0x80000000) == "-0");
  CHECK(value_to_string(F("float32"), 0x3fc00000) == "1.5");
  CHECK(value_to_string(F("float32"), 0x4b800000) == "16777216");
  CHECK(value_to_string(F("float32"), rd("float32", "1.5e-7").code) == "1.5e-07");
  CHECK(value_to_string(F("float32"), 0x34210000) == "1.4994293e-07");  // 0x1.42p-23
  CHECK(value_to_string(F("float32"), 0x4cebc28a) == "123606096");     // integers below 1e15 keep every digit
  CHECK(value_to_string(F("float32"), 0x501502f9) == "1e+10");
  CHECK(value_to_string(F("float32"), 0x5a0e1bca) == "1e+16");
  CHECK(value_to_string(F("float16"), 0x3555) == "0.3333");
  CHECK(value_to_string(F("float16"), 0x3c01) == "1.001");
  CHECK(value_to_string(F("float64"), 0x3fb999999999999a) == "0.1");
  CHECK(value_to_string(F("float64"), 1) == "5e-324");
  CHECK(value_to_string(F("float64"), 0x7fefffffffffffff) == "1.7976931348623157e+308");
  CHECK(value_to_string(F("float64"), 0x4415af1d78b58c40) == "1e+20");
  CHECK(value_to_string(F("float16"), 0x7bff) == "65504");
  CHECK(value_to_string(F("float16"), 0x0001) == "6e-08");
  CHECK(value_to_string(F("float16"), 0x7c00) == "inf");
  CHECK(value_to_string(F("float16"), 0xfc00) == "-inf");
  CHECK(value_to_string(F("float16"), 0x7e00) == "nan");
  CHECK(value_to_string(F("float16"), 0x2e66) == "0.1");
  CHECK(value_to_string(F("float8_e4m3fn"), 0x7e) == "448");
  CHECK(value_to_string(F("float8_e4m3fn"), 0x01) == "0.002");
  CHECK(value_to_string(F("float8_e4m3fn"), 0x7f) == "nan");
  CHECK(value_to_string(F("float8_e5m2"), 0x7b) == "57344");
  CHECK(value_to_string(F("float8_e8m0fnu"), 0x00) == "6e-39");
  CHECK(value_to_string(F("float8_e8m0fnu"), 0x7f) == "1");
  CHECK(value_to_string(F("float4_e2m1fn"), 0x1) == "0.5");
  CHECK(value_to_string(F("float4_e2m1fn"), 0xf) == "-6");

  CHECK(value_to_hex(F("float8_e4m3fn"), 0x7e) == "0x1.cp+8");
  CHECK(value_to_hex(F("float8_e4m3fn"), 0x01) == "0x1p-9");  // subnormal, normalised
  CHECK(value_to_hex(F("float8_e4m3fn"), 0x03) == "0x1.8p-8");
  CHECK(value_to_hex(F("float8_e4m3fn"), 0x80) == "-0x0p+0");
  CHECK(value_to_hex(F("float8_e4m3fn"), 0x00) == "0x0p+0");
  CHECK(value_to_hex(F("float8_e4m3fn"), 0x7f) == "nan");
  CHECK(value_to_hex(F("float32"), 0x3f800000) == "0x1p+0");
  CHECK(value_to_hex(F("float32"), 0xbfc00000) == "-0x1.8p+0");
  CHECK(value_to_hex(F("float32"), 0x7f7fffff) == "0x1.fffffep+127");
  CHECK(value_to_hex(F("float32"), 0xff800000) == "-inf");
  CHECK(value_to_hex(F("float64"), 0x3fb999999999999a) == "0x1.999999999999ap-4");
  CHECK(value_to_hex(F("float64"), 1) == "0x1p-1074");

  CHECK(value_to_exact_decimal(F("float8_e4m3fn"), 0x01) == "0.001953125");
  CHECK(value_to_exact_decimal(F("float8_e4m3fn"), 0x7e) == "448");
  CHECK(value_to_exact_decimal(F("float8_e4m3fn"), 0xbc) == "-1.5");
  CHECK(value_to_exact_decimal(F("float8_e4m3fn"), 0x80) == "-0");
  CHECK(value_to_exact_decimal(F("float32"), 0x3dcccccd) == "0.100000001490116119384765625");
  CHECK(value_to_exact_decimal(F("float32"), 0x7f7fffff) == "340282346638528859811704183484516925440");
  CHECK(value_to_exact_decimal(F("float16"), 0x0001) == "0.000000059604644775390625");
}

TEST_CASE("value_to_string is the shortest round trip: agrees with std::to_chars on random floats and doubles") {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 5000; ++i) {
    const uint64_t b64 = rng();
    const double d = std::bit_cast<double>(b64);
    if (!std::isfinite(d) || d == 0) continue;
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    const std::string ours = value_to_string(F("float64"), b64);
    CAPTURE(ours);
    CHECK(normalise(ours) == normalise(std::string(buf, r.ptr)));
    CHECK(rd("float64", ours).code == b64);

    const uint32_t b32 = uint32_t(rng());
    const float f = std::bit_cast<float>(b32);
    if (!std::isfinite(f) || f == 0) continue;
    r = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
    const std::string ours32 = value_to_string(F("float32"), b32);
    CAPTURE(ours32);
    if (std::fabs(f) >= 1e7f && std::fabs(f) < 1e15f)  // integers keep every digit (exact)
      CHECK(ours32 == value_to_exact_decimal(F("float32"), b32));
    else
      CHECK(normalise(ours32) == normalise(std::string(buf, r.ptr)));
  }
}

TEST_CASE("every code of every catalogued format of <= 16 bits reads back from its strings") {
  for (const CatalogEntry& e : Catalog::builtin().entries()) {
    const Format& f = e.format;
    if (f.width() > 16) continue;
    CAPTURE(f.name);
    for (uint64_t code : all_codes(f)) {
      const Unpacked u = decode(f, code);
      const std::string s = value_to_string(f, code);
      CAPTURE(code);
      CAPTURE(s);
      if (u.is_nan()) {
        CHECK(s == "nan");
        CHECK(value_to_hex(f, code) == "nan");
        continue;
      }
      const auto canonical = encode(f, u);
      if (!canonical || *canonical != code) continue;  // an alias of another code's value
      if (f.family == Family::Int && f.ip.symmetric && code == f.facts.sign_bit) continue;  // decodes, never produced
      Env env;
      CHECK(value_from_string(f, s, env) == code);
      Env exact_env;
      CHECK(value_from_string(f, value_to_hex(f, code), exact_env) == code);
      CHECK(value_from_string(f, value_to_exact_decimal(f, code), exact_env) == code);
      CHECK(exact_env.flags == 0);
    }
  }
}

// The independent check: the same strings parsed by MPFR (emu/reference oracle_from_string) and
// rounded by the oracle, in every deterministic mode and both overflow policies. Strings are
// random decimals and hex floats across each format's range, exact midpoints between neighbouring
// codes (printed from float64, which holds them exactly) and midpoints nudged by 1e-30 relative.
TEST_CASE("value_from_string equals the MPFR oracle on random, halfway and near-halfway strings") {
  std::mt19937_64 rng(2026);
  const char* formats[] = {"float8_e4m3fn", "float8_e5m2",   "float8_e4m3fnuz", "float6_e2m3fn", "float4_e2m1fn",
                           "float8_e8m0fnu", "ue4m3",        "float16",         "bfloat16",      "float32",
                           "float64"};
  size_t cases = 0, bad = 0;
  for (const char* name : formats) {
    const Format& f = F(name);
    std::vector<std::string> inputs;
    const int lo10 = int((f.facts.emin - f.fp.man_bits - 3) * 0.30103), hi10 = int((f.facts.emax + 2) * 0.30103) + 1;
    char buf[128];
    for (int i = 0; i < 400; ++i) {  // random decimals: 1..25 significant digits, exponent over the range
      std::string digits;
      const int nd = 1 + int(rng() % 25);
      for (int k = 0; k < nd; ++k) digits += char('0' + rng() % 10);
      const int e10 = lo10 + int(rng() % uint64_t(hi10 - lo10 + 1)) - nd + 1;
      inputs.push_back((rng() & 1 ? "-" : "") + digits + "e" + std::to_string(e10));
    }
    for (int i = 0; i < 100; ++i) {  // random hex floats
      std::snprintf(buf, sizeof buf, "%s0x%" PRIx64 "p%d", rng() & 1 ? "-" : "", rng() >> (rng() % 64),
                    f.facts.emin - 70 + int(rng() % uint64_t(f.facts.emax - f.facts.emin + 80)));
      inputs.push_back(buf);
    }
    if (f.width() <= 32) {  // midpoints of neighbouring positive codes, exact in float64
      Env conv;
      const uint64_t n_codes = f.width() <= 16 ? (uint64_t{1} << f.width()) : 0;
      for (int i = 0; i < 300; ++i) {
        const uint64_t c = n_codes ? rng() % (f.facts.max_code + 1) : rng() % f.facts.max_code;
        const double a = to_double(f, c, conv);
        const double b = c == f.facts.max_code ? a + (a - to_double(f, c - 1, conv)) : to_double(f, c + 1, conv);
        if (!(b > a)) continue;
        const double mid = a + (b - a) / 2;
        std::snprintf(buf, sizeof buf, "%.60g", mid);
        inputs.push_back(buf);
        inputs.push_back(std::string("-") + buf);
        std::snprintf(buf, sizeof buf, "%.40e", mid * (1 + 1e-30 * (rng() & 1 ? 1 : -1)));
        inputs.push_back(buf);
      }
    }
    for (const std::string& text : inputs)
      for (RoundingMode mode : {RNE, RNA, RTZ, RUP, RDN, ROD})
        for (OverflowPolicy ov : {OverflowPolicy::Ieee, OverflowPolicy::Saturate}) {
          Env env;
          env.mode = mode;
          env.overflow = ov;
          const reference::OracleResult want = reference::oracle_from_string(f, text, env);
          const uint64_t got = value_from_string(f, text, env);
          ++cases;
          if (got != want.code || env.flags != want.flags) {
            if (bad++ < 5)
              MESSAGE(name, " '", text, "' ", rounding_name(mode), "/", overflow_name(ov), ": core 0x", got, " flags ",
                      int(env.flags), ", oracle 0x", want.code, " flags ", int(want.flags));
          }
        }
  }
  CHECK(bad == 0);
  CHECK(cases == 174000);
}

TEST_CASE("overflow=wrap of a parsed value beyond 124 bits keeps its low bits (found by fuzz_value)") {
  // value_from_string kept 124 significant bits, enough to round in every mode but not to wrap: the
  // code is the integer modulo the span. Hand-worked residues (python: (k - kmin) % span + kmin).
  const Format i8 = parse_format("int8"), s8 = parse_format("int8_sym");
  const std::string n = "123456789012345678901234567890123456789012345678901";  // 167 bits
  auto wrapped = [](const Format& f, const std::string& text, RoundingMode m = RoundingMode::RNE) {
    Env env;
    env.overflow = OverflowPolicy::Wrap;
    env.mode = m;
    const uint64_t c = value_from_string(f, text, env);
    CHECK(env.flags == (flag::overflow | flag::inexact));
    return c;
  };
  CHECK(wrapped(i8, n) == 53);
  CHECK(wrapped(s8, n) == 212);
  CHECK(wrapped(i8, "-" + n) == 203);
  CHECK(wrapped(s8, "-" + n) == 44);
  CHECK(wrapped(i8, "12345678901234567890123456789012345678901.5") == 54);  // tie to even: ...902
  CHECK(wrapped(s8, "12345678901234567890123456789012345678901.5") == 228);
  CHECK(wrapped(i8, "0x1" + std::string(49, '0') + "1") == 1);
  CHECK(wrapped(s8, "0x1" + std::string(49, '0') + "1") == 2);
  // 10^45500 has 151,149 bits (beyond the 10^10000 the parser clamps at and the oracle's 34000-bit
  // parse): python ((10**45500 + 127) % 255 - 127) & 0xff.
  CHECK(wrapped(s8, "1e45500") == 0x73);
  {
    Env e;
    e.overflow = OverflowPolicy::Wrap;
    CHECK(reference::oracle_from_string(s8, "1e45500", e).code == 0x73);
  }
  // Against the oracle (MPFR's parser) in every mode, fixed point and unsigned formats too.
  for (const char* spec : {"int8", "int8_sym", "uint4", "q3.4", "int<bits=12,frac=-3>", "int<bits=5,signed=false,frac=7>"}) {
    const Format f = parse_format(spec);
    for (const std::string& t : {n, "-" + n, std::string("1e400"), std::string("-7.25e60"), std::string("0x1.8p300"),
                                std::string("123456789012345678901234567890123456789.0625"), std::string("3.5")}) {
      for (int m = 0; m < 8; ++m) {
        Env env;
        env.overflow = OverflowPolicy::Wrap;
        env.mode = RoundingMode(m);
        env.sr_bits = 5;
        env.seed = 7;
        const Env e0 = env;
        const uint64_t got = value_from_string(f, t, env);
        const reference::OracleResult want = reference::oracle_from_string(f, t, e0);
        INFO(spec, " ", t, " mode ", m);
        CHECK(got == want.code);
        CHECK(env.flags == want.flags);
      }
    }
  }
}
