// HiFloat8's value set built from its definition (formats/hifloat8.hpp), checked against the
// paper's claims (arXiv 2409.16626: 31 normal + 7 denormal = 38 binades; 7 / 8 / 16 exponent
// values with 3 / 2 / 1 mantissa bits; one zero) and hand-worked codes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "formats/hifloat8.hpp"

using namespace bitexact;

namespace {
double value(const Unpacked& u) {
  if (u.is_zero()) return 0.0;
  if (u.is_inf()) return u.sign ? -INFINITY : INFINITY;
  if (u.is_nan()) return NAN;
  return (u.sign ? -1.0 : 1.0) * std::ldexp(double(u.significand), u.exponent);
}
double v(uint64_t c) { return value(hifloat8_decode(c)); }
}  // namespace

TEST_CASE("HiFloat8: hand-worked codes") {
  CHECK(v(0x00) == 0.0);
  CHECK(std::isnan(v(0x80)));
  CHECK(v(0x6F) == INFINITY);
  CHECK(v(0xEF) == -INFINITY);
  CHECK(v(0x08) == 1.0);             // 0 0001 000: D = 0, E = 0
  CHECK(v(0x0C) == 1.5);             // mantissa 100
  CHECK(v(0x10) == 2.0);             // 0 001 0 000: D = 1, E = +1
  CHECK(v(0x18) == 0.5);             // 0 001 1 000: E = -1
  CHECK(v(0x20) == 4.0);             // 0 01 00 000: D = 2, E = +2
  CHECK(v(0x28) == 8.0);             // 0 01 01 000: E = +3
  CHECK(v(0x30) == 0.25);            // 0 01 10 000: E = -2
  CHECK(v(0x40) == 16.0);            // 0 10 000 00: D = 3, E = +4
  CHECK(v(0x60) == 256.0);           // 0 11 0000 0: D = 4, E = +8
  CHECK(v(0x6E) == 32768.0);         // E = +15, mantissa 0: the largest finite value, 2^15
  CHECK(v(0x6D) == 1.5 * 16384.0);   // E = +14, mantissa 1
  CHECK(v(0x70) == std::ldexp(1, -8));   // 0 11 1000 0: E = -8
  CHECK(v(0x7F) == std::ldexp(1.5, -15)); // 0 11 1111 1: E = -15, the smallest normal binade
  CHECK(v(0x01) == std::ldexp(1, -22));  // denormal M = 1: 2^(1-23), the smallest positive value
  CHECK(v(0x07) == std::ldexp(1, -16));  // denormal M = 7
  CHECK(v(0x88) == -1.0);
}

TEST_CASE("HiFloat8: 31 normal + 7 denormal = 38 binades, precision per exponent, one zero") {
  std::set<int> normal, denormal;
  std::map<int, int> mantissa_bits;  // exponent -> stored mantissa bits
  int zeros = 0, nans = 0, infs = 0, finite = 0;
  std::set<double> values;
  for (uint64_t c = 0; c < 256; ++c) {
    const Unpacked u = hifloat8_decode(c);
    if (u.is_zero()) { ++zeros; continue; }
    if (u.is_nan()) { ++nans; continue; }
    if (u.is_inf()) { ++infs; continue; }
    ++finite;
    values.insert(value(u));
    const int e = u.exponent + (63 - __builtin_clzll(u.significand));
    if ((c & 0x78) == 0) denormal.insert(e);  // dot field 0000
    else {
      normal.insert(e);
      mantissa_bits[e] = 63 - __builtin_clzll(u.significand);
    }
  }
  CHECK(zeros == 1);
  CHECK(nans == 1);
  CHECK(infs == 2);
  CHECK(finite == 252);  // 256 codes - zero - NaN - 2 infinities
  CHECK(values.size() == 252);  // every finite non-zero code is a distinct value
  CHECK(normal.size() == 31);
  CHECK(*normal.begin() == -15);
  CHECK(*normal.rbegin() == 15);
  CHECK(denormal.size() == 7);
  CHECK(*denormal.begin() == -22);
  CHECK(*denormal.rbegin() == -16);
  int m3 = 0, m2 = 0, m1 = 0;
  for (auto [e, m] : mantissa_bits) (m == 3 ? m3 : m == 2 ? m2 : m1) += 1;
  CHECK(m3 == 7);   // E = 0, +-1, +-2, +-3
  CHECK(m2 == 8);   // +-4 .. +-7
  CHECK(m1 == 16);  // +-8 .. +-15
}

TEST_CASE("HiFloat8: in value order, neighbouring codes alternate in parity (ties to even are well defined)") {
  std::vector<std::pair<double, uint64_t>> pos;
  for (uint64_t c = 0; c < 0x80; ++c)
    if (std::isfinite(v(c))) pos.push_back({v(c), c});
  std::sort(pos.begin(), pos.end());
  REQUIRE(pos.size() == 127);
  for (size_t i = 0; i < pos.size(); ++i) CHECK((pos[i].second & 1) == (i & 1));
  // negative codes mirror the positive ones
  for (uint64_t c = 1; c < 0x80; ++c)
    if (c != 0x6F) CHECK(v(c | 0x80) == -v(c));
}
