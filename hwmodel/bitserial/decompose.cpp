#include "hwmodel/bitserial/decompose.hpp"

#include <bit>
#include <stdexcept>
#include <string>

#include "formats/codec.hpp"

namespace bitexact::hw {

namespace {

[[noreturn]] void bad(const std::string& msg) { throw std::invalid_argument("bitserial: " + msg); }

// Bit j of W's two's complement (any j: sign extension beyond 63).
int bit(int64_t w, int j) { return j < 0 ? 0 : int((w >> std::min(j, 63)) & 1); }

}  // namespace

std::vector<SerialDigit> bit_planes(int64_t w, int bits, bool is_signed) {
  std::vector<SerialDigit> d(static_cast<size_t>(bits));
  for (int j = 0; j < bits; ++j) {
    const int b = bit(w, j);
    d[size_t(j)] = {int8_t(is_signed && j == bits - 1 ? -b : b), int8_t(j)};
  }
  return d;
}

std::vector<SerialDigit> booth4_digits(int64_t w, int bits, bool is_signed) {
  int n = is_signed ? bits : bits + 1;  // an unsigned weight needs a zero sign bit
  n += n & 1;                           // sign-extend to an even width
  std::vector<SerialDigit> d(static_cast<size_t>(n / 2));
  for (int j = 0; j < n / 2; ++j)
    d[size_t(j)] = {int8_t(-2 * bit(w, 2 * j + 1) + bit(w, 2 * j) + bit(w, 2 * j - 1)), int8_t(2 * j)};
  return d;
}

std::vector<SerialDigit> leading_one_terms(int64_t w) {
  std::vector<SerialDigit> d;
  const uint64_t mag = w < 0 ? uint64_t(-w) : uint64_t(w);
  for (int i = 63; i >= 0; --i)
    if ((mag >> i) & 1) d.push_back({int8_t(w < 0 ? -1 : 1), int8_t(i)});
  return d;
}

WeightDigits decompose_weights(const Format& f, SerialEncoding e) {
  if (f.width() < 1 || f.width() > 8) bad("weights are 1..8 bits ('" + f.name + "' has " + std::to_string(f.width()) + ")");
  const bool integer = f.family == Family::Int;
  if (e != SerialEncoding::Terms && !integer)
    bad(std::string(serial_encoding_name(e)) + " needs integer weights ('" + f.name + "': use encoding=terms)");
  const size_t n = size_t{1} << f.width();
  std::vector<Unpacked> u(n);
  WeightDigits wd;
  int lsb = INT32_MAX;
  for (uint64_t c = 0; c < n; ++c) {
    u[c] = decode(f, c);
    if (u[c].is_nan() || u[c].is_inf()) bad("weight format '" + f.name + "' has non-finite codes");
    if (u[c].is_finite_nonzero()) lsb = std::min(lsb, u[c].exponent + std::countr_zero(u[c].significand));
  }
  if (lsb == INT32_MAX) lsb = 0;
  if (integer) lsb = std::min(lsb, -f.ip.frac_bits);
  wd.lsb = lsb;
  wd.integer.resize(n);
  wd.zero_sign.resize(n);
  std::vector<std::vector<SerialDigit>> per(n);
  for (uint64_t c = 0; c < n; ++c) {
    int64_t w = 0;
    if (u[c].is_finite_nonzero()) {
      const int sh = u[c].exponent - lsb;
      if (sh > 40 || std::bit_width(u[c].significand) + sh > 40) bad("weight format '" + f.name + "' spans too many binades");
      w = int64_t(u[c].significand << sh);
      if (u[c].sign) w = -w;
    }
    wd.integer[c] = w;
    wd.zero_sign[c] = u[c].is_zero() && u[c].sign;
    switch (e) {
      case SerialEncoding::BitPlane: per[c] = bit_planes(w, f.ip.bits, f.ip.is_signed); break;
      case SerialEncoding::Booth4: per[c] = booth4_digits(w, f.ip.bits, f.ip.is_signed); break;
      case SerialEncoding::Terms: per[c] = leading_one_terms(w); break;
    }
    wd.cycles = std::max(wd.cycles, int(per[c].size()));
  }
  wd.cycles = std::max(wd.cycles, 1);
  wd.digits.assign(n * size_t(wd.cycles), SerialDigit{});
  for (uint64_t c = 0; c < n; ++c)
    for (size_t j = 0; j < per[c].size(); ++j) wd.digits[c * size_t(wd.cycles) + j] = per[c][j];
  return wd;
}

}  // namespace bitexact::hw
