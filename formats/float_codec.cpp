#include "formats/float_codec.hpp"

#include <bit>

#include "formats/error.hpp"

namespace bitexact {

std::optional<uint64_t> float_nan_code(const Format& f, bool sign) {
  const FloatParams& p = f.fp;
  const FloatFacts& x = f.facts;
  const uint64_t s = sign ? x.sign_bit : 0;
  switch (p.nan) {
    case NanPolicy::None: return std::nullopt;
    case NanPolicy::NegZero: return x.sign_bit;
    case NanPolicy::AllOnes: return s | (x.max_code + 1);
    case NanPolicy::Ieee: {
      const uint64_t quiet = p.man_bits > 0 ? uint64_t{1} << (p.man_bits - 1) : 0;
      return s | (uint64_t(x.exp_field_max) << p.man_bits) | quiet;
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> float_inf_code(const Format& f, bool sign) {
  if (!f.has_inf()) return std::nullopt;
  const uint64_t s = sign ? f.facts.sign_bit : 0;
  if (f.fp.inf == InfPolicy::Top) return s | (f.facts.max_code + 1);
  return s | (uint64_t(f.facts.exp_field_max) << f.fp.man_bits);
}

std::optional<uint64_t> float_zero_code(const Format& f, bool sign) {
  if (!f.fp.has_zero) return std::nullopt;
  return (sign && f.has_neg_zero()) ? f.facts.sign_bit : 0;
}

uint64_t float_max_code(const Format& f, bool sign) { return (sign ? f.facts.sign_bit : 0) | f.facts.max_code; }
uint64_t float_min_code(const Format& f, bool sign) { return (sign ? f.facts.sign_bit : 0) | f.facts.min_code; }

std::optional<uint64_t> float_encode(const Format& f, const Unpacked& v) {
  const FloatParams& p = f.fp;
  const FloatFacts& x = f.facts;
  if (v.sign && !p.is_signed && v.cls != ValueClass::Zero && v.cls != ValueClass::NaN) return std::nullopt;
  switch (v.cls) {
    case ValueClass::NaN: return float_nan_code(f, v.sign);
    case ValueClass::Inf: return float_inf_code(f, v.sign);
    case ValueClass::Zero: return float_zero_code(f, v.sign);
    case ValueClass::Finite: break;
  }
  if (v.significand == 0) return float_zero_code(f, v.sign);
  // Normalise so the significand has exactly man_bits+1 bits (or fewer, for subnormals).
  uint64_t sig = v.significand;
  int exp = v.exponent;
  const int tz = std::countr_zero(sig);
  sig >>= tz;
  exp += tz;
  const int msb = 63 - std::countl_zero(sig);
  const int e = exp + msb;  // unbiased exponent of the leading bit
  const uint64_t s = v.sign ? x.sign_bit : 0;
  uint64_t mag;
  if (e >= x.emin) {
    if (msb > p.man_bits) return std::nullopt;
    const uint64_t man = (sig << (p.man_bits - msb)) & x.man_mask;
    const int64_t field = int64_t(e) + p.bias;
    if (field < 0 || field > x.exp_field_max) return std::nullopt;
    mag = (uint64_t(field) << p.man_bits) | man;
  } else {
    if (!p.subnormals) return std::nullopt;
    const int shift = exp - (x.emin - p.man_bits);  // position of the LSB in subnormal units
    if (shift < 0) return std::nullopt;
    mag = sig << shift;
  }
  if (mag > x.max_code) return std::nullopt;
  return s | mag;
}

}  // namespace bitexact
