#include "formats/int_format.hpp"

#include <bit>

#include <fmt/format.h>

#include "formats/error.hpp"

namespace bitexact {

int64_t int_min(const IntParams& p) {
  if (!p.is_signed) return 0;
  const int64_t half = int64_t{1} << (p.bits - 1);
  return p.symmetric ? -(half - 1) : -half;
}

int64_t int_max(const IntParams& p) {
  return p.is_signed ? (int64_t{1} << (p.bits - 1)) - 1 : (int64_t{1} << p.bits) - 1;
}

std::string int_canonical_name(const IntParams& p) {
  const char* u = p.is_signed ? "" : "u";
  if (p.frac_bits == 0) return fmt::format("{}int{}{}", u, p.bits, p.symmetric ? "_sym" : "");
  const int m = p.bits - p.frac_bits - (p.is_signed ? 1 : 0);
  if (m >= 0 && p.frac_bits > 0 && !p.symmetric) return fmt::format("{}q{}.{}", u, m, p.frac_bits);
  return fmt::format("{}int<bits={},frac={}{}>", u, p.bits, p.frac_bits, p.symmetric ? ",symmetric=true" : "");
}

Format make_int_format(std::string name, const IntParams& p) {
  if (p.bits < 1 || p.bits > 32) throw FormatError(fmt::format("integer width {} is outside 1..32", p.bits));
  if (p.symmetric && !p.is_signed) throw FormatError("symmetric integers must be signed");
  if (p.symmetric && p.bits < 2) throw FormatError("symmetric integers need at least 2 bits");
  if (p.frac_bits < -256 || p.frac_bits > 256) throw FormatError(fmt::format("frac_bits {} is outside -256..256", p.frac_bits));
  Format f;
  f.family = Family::Int;
  f.ip = p;
  f.name = name.empty() ? int_canonical_name(p) : std::move(name);
  f.facts.width = p.bits;
  f.facts.code_mask = (uint64_t{1} << p.bits) - 1;
  f.facts.sign_bit = p.is_signed ? uint64_t{1} << (p.bits - 1) : 0;
  f.facts.max_code = int_code_of(p, int_max(p));
  f.facts.min_code = 1;
  return f;
}

Unpacked int_decode(const Format& f, uint64_t code) {
  const IntParams& p = f.ip;
  code &= f.facts.code_mask;
  int64_t k = int64_t(code);
  if (p.is_signed && (code & f.facts.sign_bit)) k -= int64_t{1} << p.bits;
  Unpacked u;
  if (k == 0) return u;  // +0
  u.cls = ValueClass::Finite;
  u.sign = k < 0;
  u.significand = uint64_t(k < 0 ? -k : k);
  u.exponent = -p.frac_bits;
  return u;
}

std::optional<uint64_t> int_encode(const Format& f, const Unpacked& v) {
  const IntParams& p = f.ip;
  if (v.is_zero()) return 0;
  if (!v.is_finite_nonzero() || v.significand == 0) return std::nullopt;
  // k = sig * 2^(exponent + frac_bits) must be an integer within the decodable range.
  const int64_t sh = int64_t(v.exponent) + p.frac_bits;
  uint64_t sig = v.significand;
  if (sh < 0) {
    if (sh <= -64 || (sig & ((uint64_t{1} << -sh) - 1)) != 0) return std::nullopt;
    sig >>= -sh;
  } else {
    if (sh >= 40 || std::bit_width(sig) + sh > 40) return std::nullopt;
    sig <<= sh;
  }
  const int64_t k = v.sign ? -int64_t(sig) : int64_t(sig);
  const int64_t lo = p.is_signed ? -(int64_t{1} << (p.bits - 1)) : 0;
  if (k < lo || k > int_max(p)) return std::nullopt;
  return int_code_of(p, k);
}

}  // namespace bitexact
