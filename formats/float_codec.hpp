// Bits <-> exact value for the float family (formats/codec.hpp is the family-generic API).
// No rounding happens here: float_encode() only accepts values the format represents exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "formats/format.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

// Inline: it is on every operation's hot path.
inline Unpacked float_decode(const Format& f, uint64_t code) {
  const FloatParams& p = f.fp;
  const FloatFacts& x = f.facts;
  code &= x.code_mask;
  Unpacked u;
  u.sign = (code & x.sign_bit) != 0;
  const uint64_t mag = code & ~x.sign_bit & x.code_mask;
  const uint64_t field = mag >> p.man_bits;
  const uint64_t man = mag & x.man_mask;

  if (p.nan == NanPolicy::NegZero && code == x.sign_bit) {
    u.cls = ValueClass::NaN;
    return u;
  }
  if (x.top_field_special && field == uint64_t(x.exp_field_max)) {
    if (man == 0 && p.inf == InfPolicy::Ieee) {
      u.cls = ValueClass::Inf;
    } else {
      u.cls = ValueClass::NaN;
      u.signaling = p.man_bits > 0 && (man >> (p.man_bits - 1)) == 0;
    }
    return u;
  }
  if (p.inf == InfPolicy::Top && mag == x.max_code + 1) {
    u.cls = ValueClass::Inf;
    return u;
  }
  if (p.nan == NanPolicy::AllOnes && mag == x.max_code + 1) {
    u.cls = ValueClass::NaN;
    return u;
  }
  if (field == 0 && p.has_zero) {
    if (man == 0 || !p.subnormals) {
      u.cls = ValueClass::Zero;
      return u;
    }
    u.cls = ValueClass::Finite;
    u.subnormal = true;
    u.significand = man;
    u.exponent = x.emin - p.man_bits;
    return u;
  }
  u.cls = ValueClass::Finite;
  u.significand = man | (uint64_t{1} << p.man_bits);
  u.exponent = int32_t(field) - p.bias - p.man_bits;
  return u;
}

// The code of an exactly representable value; nullopt if the value is not in the format.
// NaN gives the format's canonical NaN with the requested sign where the format has a signed NaN.
std::optional<uint64_t> float_encode(const Format& f, const Unpacked& v);

// Canonical special codes. nan_code: for IEEE NaN the quiet NaN with only the mantissa MSB set;
// has_value() is false when the format lacks the value.
std::optional<uint64_t> float_nan_code(const Format& f, bool sign);
std::optional<uint64_t> float_inf_code(const Format& f, bool sign);
std::optional<uint64_t> float_zero_code(const Format& f, bool sign);  // fnuz/unsigned: always +0
uint64_t float_max_code(const Format& f, bool sign);                  // +-largest finite
uint64_t float_min_code(const Format& f, bool sign);                  // +-smallest positive


}  // namespace bitexact
