#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "formats/codebook.hpp"
#include "formats/error.hpp"
#include "formats/value_table.hpp"

using namespace bitexact;

namespace {

double value(const ValueTable& t, uint64_t code) {
  const Unpacked u = t.decode(code);
  if (u.is_nan()) return NAN;
  if (u.is_inf()) return u.sign ? -INFINITY : INFINITY;
  if (u.is_zero()) return u.sign ? -0.0 : 0.0;
  const double m = std::ldexp(double(u.significand), u.exponent);
  return u.sign ? -m : m;
}

std::string error_of(const std::string& text) {
  try {
    parse_codebook(text, "cb.txt");
  } catch (const FormatError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("NF4: QLoRA's 16 float32 values in ascending code order") {
  const ValueTable t = nf4_table();
  CHECK(t.width() == 4);
  CHECK(value(t, 0) == -1.0);
  CHECK(value(t, 7) == 0.0);
  CHECK(value(t, 8) == double(0.07958029955625534f));
  CHECK(value(t, 15) == 1.0);
  for (uint64_t c = 0; c < 16; ++c) CHECK(double(float(value(t, c))) == value(t, c));  // float32 values
  for (uint64_t c = 1; c < 16; ++c) CHECK(value(t, c - 1) < value(t, c));
  CHECK(t.has_zero());
  CHECK_FALSE(t.has_nan());
  CHECK(*t.zero_code(true) == 7);  // one zero code
  CHECK(t.max_code(false) == 15);
  CHECK(t.max_code(true) == 0);
  CHECK(t.smallest_code(false) == 8);
  CHECK(t.smallest_code(true) == 6);
  // Ranks: 8 positive values then the virtual end 1 + (1 - 0.7229...) on the positive side.
  CHECK(t.side(false).mag.size() == 10);
  CHECK(t.side(true).mag.size() == 9);
}

TEST_CASE("ternary, binary and their virtual ends") {
  const ValueTable t = ternary_table();
  CHECK(value(t, 0) == 0.0);
  CHECK(value(t, 1) == 1.0);
  CHECK(std::isnan(value(t, 2)));
  CHECK_FALSE(t.is_used(2));
  CHECK(value(t, 3) == -1.0);
  CHECK(t.side(false).mag.back() == 2 * t.side(false).mag[1]);  // 1 + (1 - 0)
  const ValueTable b = binary_table();
  CHECK(value(b, 0) == -1.0);
  CHECK(value(b, 1) == 1.0);
  CHECK_FALSE(b.has_zero());
  CHECK(b.side(false).mag.back() == 3 * b.side(false).mag[1]);  // 1 + (1 - (-1))
  CHECK(*b.encode(b.decode(1)) == 1);
}

TEST_CASE("pow2 with and without zero") {
  const ValueTable d = pow2_table(3, 0, false);  // DenseShift 3-bit: +-{1/8, 1/4, 1/2, 1}
  CHECK(value(d, 0) == 0.125);
  CHECK(value(d, 3) == 1.0);
  CHECK(value(d, 4) == -0.125);
  CHECK(value(d, 7) == -1.0);
  CHECK_FALSE(d.has_zero());
  const ValueTable z = pow2_table(3, 2, true);  // {+-0, +-1, +-2, +-4}
  CHECK(value(z, 0) == 0.0);
  CHECK(std::signbit(value(z, 4)));
  CHECK(value(z, 1) == 1.0);
  CHECK(value(z, 3) == 4.0);
  CHECK(*z.zero_code(true) == 4);
  CHECK(*z.zero_code(false) == 0);
  CHECK_THROWS_AS(pow2_table(8, 0, false), FormatError);
  CHECK_THROWS_AS(pow2_table(1, 0, true), FormatError);
}

TEST_CASE("BitMoD FP3/FP4 variants put the special value in the -0 code") {
  const ValueTable a = bitmod_table(3, "er_pos");
  CHECK(value(a, 4) == 3.0);
  CHECK(value(a, 3) == 4.0);
  CHECK(value(a, 7) == -4.0);
  CHECK(bitmod_table(3, "ea_neg").sorted_values().front().code == 4);
  CHECK(value(bitmod_table(4, "er_neg"), 8) == -10.0);
  CHECK(value(bitmod_table(4, "ea_pos"), 8) == 16.0);
  CHECK(value(bitmod_table(4, "ea_pos"), 7) == 12.0);
  CHECK(bitmod_table(4, "").sorted_values().size() == 15);
  CHECK_THROWS_AS(bitmod_table(4, "xx"), FormatError);
}

TEST_CASE("codebook files: entries, header keys and errors with file:line") {
  const ValueTable t = parse_codebook("# test\nname = mine\n-1.5\n0x1.8p-2 # comment\n0\nunused\nnan\n", "cb.txt");
  CHECK(t.name() == "mine");
  CHECK(t.width() == 3);
  CHECK(value(t, 0) == -1.5);
  CHECK(value(t, 1) == 0.375);
  CHECK_FALSE(t.is_used(3));
  CHECK(t.has_nan());
  CHECK(*t.nan_code(false) == 4);
  CHECK_FALSE(t.is_used(7));
  CHECK(parse_codebook("bits = 8\n1\n-1\n", "x").width() == 8);
  CHECK(value(parse_codebook("0.1\n-0.1\n", "x"), 0) == 0.1);  // nearest binary64

  CHECK(error_of("1\n2\nx\n") == "cb.txt:3: 'x' is not a number, nan, inf or unused");
  CHECK(error_of("1\nbits = 4\n") == "cb.txt:2: 'bits' must come before the first entry");
  CHECK(error_of("bits = 1\n1\n2\n-1\n") == "cb.txt:1: 3 entries do not fit bits = 1");
  CHECK(error_of("bits = 40\n") == "cb.txt:1: bits must be an integer 1..16, not '40'");
  CHECK(error_of("foo = 1\n") == "cb.txt:1: unknown key 'foo' (expected name or bits)");
  CHECK(error_of("1 2\n") == "cb.txt:1: one entry per line, got '1 2'");
  CHECK(error_of("1e999\n") == "cb.txt:1: '1e999' overflows binary64");
  CHECK(error_of("") == "cb.txt: no entries");
  CHECK(error_of("1\n1\n").find("hold the same value") != std::string::npos);
  CHECK(error_of("1\n2\n").find("no negative value and no zero") != std::string::npos);
  CHECK(error_of("1\n").find("at least two") != std::string::npos);
  CHECK(error_of("1e300\n-1e-300\n").find("span") != std::string::npos);
  CHECK_THROWS_AS(load_codebook("/nonexistent/cb.txt"), FormatError);
  // A one-sided table with zero: the empty side is {0, first gap}.
  const ValueTable u = parse_codebook("0\n0.5\n1\n2\n", "x");
  CHECK(u.side_empty(true));
  CHECK(u.side(true).mag.back() == u.side(false).mag[1]);
}
