// Text <-> value. Decimal strings are converted exactly with big integers (Boost cpp_int):
// the parsed value keeps a 124-bit significand plus a sticky bit, which the single rounding
// routine then rounds correctly in every mode (see emu/exact.hpp).
#include "emu/value_io.hpp"

#include <algorithm>
#include <cmath>
#include <bit>
#include <cctype>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

#include "emu/round.hpp"
#include "formats/error.hpp"
#include "formats/codec.hpp"
#include "formats/int_format.hpp"

namespace bitexact {

namespace {

using boost::multiprecision::cpp_int;

// Bits kept in the significand of a parsed inexact value (the rounding routine needs >= 2 below
// the target LSB; 124 leaves 70 below a float64 LSB, more than the 64 bits stochastic rounding reads).
constexpr int64_t kSigBits = 124;
// floor(log2 |x|) of a parsed value is clamped to +-kExpLimit: far beyond every format's exponent
// range (formats/format.hpp kMinExponent..kMaxExponent), so the clamped value rounds exactly as the
// real one (to 0/min or to overflow).
constexpr int64_t kExpLimit = (int64_t{1} << 15) + 59;
static_assert(kExpLimit > -int64_t(kMinExponent) + 2 && kExpLimit > kMaxExponent + 2);
// Decimal magnitudes beyond 10^+-kDecimalLimit (2^+-33219) are clamped without big arithmetic.
constexpr int64_t kDecimalLimit = 10000;
// Significant digits kept of a very long input; the rest becomes the sticky bit. Exact because
// every rounding boundary (a dyadic rational no smaller than 2^(kMinExponent-1)) has fewer than
// 0.7 * 16501 < 12000 significant decimal digits, so none lies between the truncated and real value.
constexpr size_t kMaxDigits = 20000;
// Exponent digits saturate here; anything this large is clamped anyway.
constexpr int64_t kExpSaturate = 1000000000;

[[noreturn]] void fail(std::string_view text, size_t pos, const std::string& what) {
  throw FormatError("bad value: " + what, std::string(text), pos);
}

std::string char_name(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", unsigned(u));
}

[[noreturn]] void fail_char(std::string_view text, size_t pos) {
  fail(text, pos, "unexpected character " + char_name(text[pos]));
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int64_t bit_length(const cpp_int& n) { return n == 0 ? 0 : int64_t(boost::multiprecision::msb(n)) + 1; }

// Integer formats under overflow=wrap keep the value modulo the code span, so bits far below a large
// value's top 124 still decide the result. For them the parsers reduce the exact value first:
// |x| >= M becomes (|x| mod M) + M, M = a / 2^b = 2 * span * quantum. That keeps the sign, the
// fraction, the parity of the integer part, its residue modulo the span and its being out of range,
// which is all rounding and wrapping read (emu/round_int.cpp).
struct WrapModulus {
  cpp_int a;
  unsigned b = 0;
};

// r = X mod m and whether X >= m, for X = n * base^e (e >= 0) without forming X when it is huge.
std::pair<cpp_int, bool> mod_power(const cpp_int& n, unsigned base, int64_t e, const cpp_int& m) {
  const double log2_x = double(bit_length(n)) + double(e) * std::log2(double(base));
  if (log2_x < double(bit_length(m)) + 64) {  // small enough to form exactly
    const cpp_int x = n * boost::multiprecision::pow(cpp_int(base), unsigned(e));
    return {x % m, x >= m};
  }
  const cpp_int p = boost::multiprecision::powm(cpp_int(base), cpp_int(e), m);
  return {(n % m) * p % m, true};
}

// (-1)^sign * (n + sticky) * 2^exp as an Exact with at most kSigBits significant bits (exactly
// kSigBits when sticky), its binary exponent clamped to +-kExpLimit.
Exact pack(bool sign, cpp_int n, int64_t exp, bool sticky) {
  if (n == 0) return Exact::zero(sign);
  int64_t bits = bit_length(n);
  if (bits > kSigBits) {
    const int64_t sh = bits - kSigBits;
    const cpp_int mask = (cpp_int(1) << sh) - 1;
    if ((n & mask) != 0) sticky = true;
    n >>= sh;
    exp += sh;
    bits = kSigBits;
  } else if (sticky && bits < kSigBits) {
    const int64_t sh = kSigBits - bits;
    n <<= sh;
    exp -= sh;
    bits = kSigBits;
  }
  const int64_t top = exp + bits - 1;  // floor(log2 |x|)
  if (top > kExpLimit) exp = kExpLimit - (bits - 1);
  if (top < -kExpLimit) exp = -kExpLimit - (bits - 1);
  const cpp_int lo_mask = (cpp_int(1) << 64) - 1;
  const uint64_t lo = static_cast<uint64_t>(n & lo_mask);
  const uint64_t hi = static_cast<uint64_t>(n >> 64);
  const u128 sig = (u128(hi) << 64) | lo;
  return Exact::finite(sign, sig, int32_t(exp), sticky);
}

// Digits after "e"/"p" (with optional sign); returns the saturated signed value.
int64_t parse_exponent(std::string_view text, size_t& i, const char* what) {
  bool neg = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
  if (i >= text.size()) fail(text, i, fmt::format("expected {} digits", what));
  if (!std::isdigit(static_cast<unsigned char>(text[i])))
    fail(text, i, fmt::format("expected {} digits, found {}", what, char_name(text[i])));
  int64_t v = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    v = std::min<int64_t>(v * 10 + (text[i] - '0'), kExpSaturate);
    ++i;
  }
  return neg ? -v : v;
}

Exact parse_hex(std::string_view text, size_t i, bool sign, const WrapModulus* wrap = nullptr) {
  cpp_int n = 0;
  int64_t exp = 0;  // value = n * 2^exp (+ sticky)
  bool sticky = false, dot = false, any = false;
  size_t kept = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    const int d = hex_digit(c);
    if (d >= 0) {
      any = true;
      if (kept == 0 && d == 0) {
        if (dot) exp -= 4;
        continue;  // leading zero
      }
      if (kept < kMaxDigits || wrap) {
        n = n * 16 + d;
        ++kept;
        if (dot) exp -= 4;
      } else {
        if (d != 0) sticky = true;
        if (!dot) exp += 4;
      }
    } else if (c == '.') {
      if (dot) fail_char(text, i);
      dot = true;
    } else {
      break;
    }
  }
  if (!any) {
    if (i < text.size()) fail(text, i, "expected hex digits after '0x', found " + char_name(text[i]));
    fail(text, i, "expected hex digits after '0x'");
  }
  if (i < text.size() && (text[i] == 'p' || text[i] == 'P')) {
    ++i;
    exp += parse_exponent(text, i, "binary exponent");
  }
  if (i < text.size()) fail_char(text, i);
  if (wrap && n != 0) {
    // x * 2^L is the integer n * 2^(exp + L), M * 2^L = a * 2^(L - b).
    const int64_t L = std::max<int64_t>(wrap->b, -exp);
    const cpp_int m = wrap->a << unsigned(L - wrap->b);
    auto [r, ge] = mod_power(n, 2, exp + L, m);
    return pack(sign, ge ? cpp_int(r + m) : cpp_int(n << unsigned(exp + L)), -L, false);
  }
  return pack(sign, std::move(n), exp, sticky);
}

Exact parse_decimal(std::string_view text, size_t i, bool sign, const WrapModulus* wrap = nullptr) {
  std::string digits;  // significant digits, leading zeros dropped
  int64_t exp10 = 0;   // value = digits * 10^exp10
  bool dot = false, any = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      any = true;
      if (dot) --exp10;
      if (digits.empty() && c == '0') continue;
      digits.push_back(c);
    } else if (c == '.') {
      if (dot) fail_char(text, i);
      dot = true;
    } else {
      break;
    }
  }
  if (!any) {
    if (i < text.size()) fail_char(text, i);
    fail(text, i, "expected digits");
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    exp10 += parse_exponent(text, i, "exponent");
  }
  if (i < text.size()) fail_char(text, i);

  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++exp10;
  }
  if (digits.empty()) return Exact::zero(sign);

  const int64_t magnitude = int64_t(digits.size()) + exp10;  // value in [10^(mag-1), 10^mag)
  // M >= 2^-254 > 10^-77: smaller values need no reduction.
  if (wrap && magnitude > -80) {
    const cpp_int d(digits);
    if (exp10 >= 0) {  // x * 2^b = d * 10^exp10 * 2^b against a
      auto [r, ge] = mod_power(d << wrap->b, 10, exp10, wrap->a);
      if (ge) return pack(sign, r + wrap->a, -int64_t(wrap->b), false);
    } else {  // x * 2^b * 10^k = d * 2^b against a * 10^k
      const cpp_int p = boost::multiprecision::pow(cpp_int(10), unsigned(-exp10));
      const cpp_int m = wrap->a * p;
      const cpp_int x = d << wrap->b;
      if (x >= m) {
        const cpp_int r = x % m + m;  // the value r / (2^b * 10^k)
        const int64_t sh = std::max<int64_t>(0, kSigBits + 2 + bit_length(p) - bit_length(r));
        cpp_int q, rem;
        boost::multiprecision::divide_qr(cpp_int(r << unsigned(sh)), p, q, rem);
        return pack(sign, std::move(q), -sh - int64_t(wrap->b), rem != 0);
      }
    }
    // |x| < M: the 124 kept bits below decide rounding and wrapping as they do without wrap.
  }
  if (magnitude > kDecimalLimit) return pack(sign, 1, 2 * kExpLimit, false);
  if (magnitude < -kDecimalLimit) return pack(sign, 1, -2 * kExpLimit, true);

  bool sticky = false;
  if (digits.size() > kMaxDigits) {
    exp10 += int64_t(digits.size() - kMaxDigits);
    digits.resize(kMaxDigits);
    sticky = true;  // the last digit was non-zero, so the dropped tail is
  }
  const cpp_int d(digits);
  if (exp10 >= 0) return pack(sign, d * boost::multiprecision::pow(cpp_int(10), unsigned(exp10)), 0, sticky);

  const cpp_int p = boost::multiprecision::pow(cpp_int(10), unsigned(-exp10));
  const int64_t s = std::max<int64_t>(0, kSigBits + 2 + bit_length(p) - bit_length(d));
  cpp_int q, r;
  boost::multiprecision::divide_qr(cpp_int(d << s), p, q, r);
  if (r != 0) sticky = true;
  return pack(sign, std::move(q), -s, sticky);
}

// The exact decimal digits of a finite non-zero decoded value: value = digits * 10^exp10,
// digits without leading or trailing zeros.
struct Decimal {
  std::string digits;
  int64_t exp10 = 0;
  int64_t sci() const { return int64_t(digits.size()) - 1 + exp10; }  // scientific exponent
};

Decimal exact_decimal(const Unpacked& u) {
  Decimal r;
  cpp_int n = u.significand;
  if (u.exponent >= 0) {
    n <<= u.exponent;
  } else {
    n *= boost::multiprecision::pow(cpp_int(5), unsigned(-u.exponent));
    r.exp10 = u.exponent;
  }
  r.digits = n.str();
  while (r.digits.size() > 1 && r.digits.back() == '0') {
    r.digits.pop_back();
    ++r.exp10;
  }
  return r;
}

std::string plain_form(bool neg, const std::string& d, int64_t x) {
  std::string s = neg ? "-" : "";
  const int64_t len = int64_t(d.size());
  if (x >= len - 1) {
    s += d;
    s.append(size_t(x - len + 1), '0');
  } else if (x >= 0) {
    s += d.substr(0, size_t(x + 1));
    s += '.';
    s += d.substr(size_t(x + 1));
  } else {
    s += "0.";
    s.append(size_t(-x - 1), '0');
    s += d;
  }
  return s;
}

std::string exponent_form(bool neg, const std::string& d, int64_t x) {
  std::string s = neg ? "-" : "";
  s += d[0];
  if (d.size() > 1) {
    s += '.';
    s += d.substr(1);
  }
  s += fmt::format("e{}{:02d}", x < 0 ? '-' : '+', x < 0 ? -x : x);
  return s;
}

std::string shortest_form(bool neg, const std::string& d, int64_t x) {
  std::string p = plain_form(neg, d, x);
  std::string e = exponent_form(neg, d, x);
  return e.size() < p.size() ? e : p;
}

}  // namespace

namespace {

Exact parse_value_impl(std::string_view text, const WrapModulus* wrap) {
  if (text.empty()) fail(text, 0, "empty string");
  size_t i = 0;
  bool sign = false;
  if (text[0] == '+' || text[0] == '-') {
    sign = text[0] == '-';
    ++i;
    if (i == text.size()) fail(text, i, "expected a number after the sign");
  }
  const std::string_view rest = text.substr(i);
  for (std::string_view word : {"infinity", "inf", "nan"}) {
    if (starts_with_ci(rest, word)) {
      const size_t end = i + word.size();
      if (end < text.size()) fail_char(text, end);
      return word == "nan" ? Exact::nan(sign) : Exact::inf(sign);
    }
  }
  if (rest.size() >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X')) return parse_hex(text, i + 2, sign, wrap);
  return parse_decimal(text, i, sign, wrap);
}

}  // namespace

Exact parse_value(std::string_view text) { return parse_value_impl(text, nullptr); }

uint64_t value_from_string(const Format& f, std::string_view text, Env& env) {
  if (f.family == Family::Int && env.overflow == OverflowPolicy::Wrap) {
    // M = 2 * span * 2^-frac_bits = a / 2^b (see WrapModulus).
    WrapModulus w;
    w.a = cpp_int(2 * (int_max(f.ip) - int_min(f.ip) + 1)) << unsigned(std::max(0, -f.ip.frac_bits));
    w.b = unsigned(std::max(0, f.ip.frac_bits));
    return round_to_format(f, parse_value_impl(text, &w), env);
  }
  return round_to_format(f, parse_value(text), env);
}

// The spelling of NaN, infinities and zeros (zero spelt as `zero`, with a '-' for -0).
static std::string special_text(const Unpacked& u, const char* zero) {
  if (u.is_nan()) return "nan";
  if (u.is_inf()) return u.sign ? "-inf" : "inf";
  return (u.sign ? "-" : "") + std::string(zero);
}

std::string value_to_string(const Format& f, uint64_t code) {
  const Unpacked u = decode(f, code);
  if (!u.is_finite_nonzero()) return special_text(u, "0");
  if (f.family == Family::Table && u.significand < (uint64_t{1} << 53) && u.exponent >= -1074 && u.exponent <= 960) {
    // A table's values are listed numbers (NF4's float32 constants), not a lattice: the shortest
    // text that reads back in the table (0.3 for NF4's 0.3379...) would hide the rounding, so
    // tables print the shortest float64 text of the exact value.
    const double v = std::ldexp(double(u.significand), u.exponent);
    return fmt::format("{}", u.sign ? -v : v);
  }
  const Decimal exact = exact_decimal(u);
  const std::string& d = exact.digits;
  const int64_t x = exact.sci();
  auto reads_back = [&](const std::string& s) {
    Env env;  // rne, IEEE overflow; a string that only reaches the code by overflowing (8 into
              // E2M3, whose max is 7.5 and which has neither inf nor NaN) does not count
    return value_from_string(f, s, env) == code && !(env.flags & flag::overflow);
  };
  // Integer digits of values below 10^15 are never rounded away (E4M3's max prints as 448, not as
  // the shorter 450 that also reads back); such integers are exact in float64 and in every tool.
  const size_t n_min = x >= 0 && x < 15 ? std::min(d.size(), size_t(x + 1)) : 1;
  for (size_t n = n_min; n < d.size(); ++n) {
    // The two n-digit neighbours of the exact value: truncated and incremented.
    std::string lo = d.substr(0, n);
    std::string hi = lo;
    int64_t hi_x = x;
    size_t k = n;
    while (k > 0 && hi[k - 1] == '9') hi[--k] = '0';
    if (k == 0) {
      hi = "1";
      ++hi_x;
    } else {
      ++hi[k - 1];
      while (hi.size() > 1 && hi.back() == '0') hi.pop_back();
    }
    while (lo.size() > 1 && lo.back() == '0') lo.pop_back();
    // Nearest first: the tail d[n..] compared with one half.
    const char first = d[n];
    const bool tail_rest = d.find_first_not_of('0', n + 1) != std::string::npos;
    // A tie prefers the even last digit (as Ryu and std::to_chars do).
    const bool tie = first == '5' && !tail_rest;
    const bool up_first = tie ? (d[n - 1] - '0') % 2 == 1 : first > '5' || (first == '5' && tail_rest);
    const std::string a = shortest_form(u.sign, up_first ? hi : lo, up_first ? hi_x : x);
    const std::string b = shortest_form(u.sign, up_first ? lo : hi, up_first ? x : hi_x);
    if (reads_back(a)) return a;
    if (reads_back(b)) return b;
  }
  return shortest_form(u.sign, d, x);
}

std::string value_to_hex(const Format& f, uint64_t code) {
  const Unpacked u = decode(f, code);
  if (!u.is_finite_nonzero()) return special_text(u, "0x0p+0");
  const int top = std::bit_width(u.significand) - 1;
  const int64_t e = int64_t(u.exponent) + top;
  std::string s = u.sign ? "-0x1" : "0x1";
  if (top > 0) {
    const int nibbles = (top + 3) / 4;
    const uint64_t frac = (u.significand & ((uint64_t{1} << top) - 1)) << (nibbles * 4 - top);
    std::string digits = fmt::format("{:0{}x}", frac, nibbles);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    if (!digits.empty()) s += "." + digits;
  }
  s += fmt::format("p{}{}", e < 0 ? '-' : '+', e < 0 ? -e : e);
  return s;
}

std::string value_to_exact_decimal(const Format& f, uint64_t code) {
  const Unpacked u = decode(f, code);
  if (!u.is_finite_nonzero()) return special_text(u, "0");
  const Decimal exact = exact_decimal(u);
  return plain_form(u.sign, exact.digits, exact.sci());
}

}  // namespace bitexact
