// Bits <-> exact value for every family: the API the rest of bitexact uses. No rounding happens
// here: encode() only accepts values the format represents exactly (emu/round.hpp rounds).
// Each family implements its own codec (float_codec, int_format, posit_format, value_table);
// these functions dispatch on Format::family (the float family inline, as it is the hot path).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "formats/float_codec.hpp"
#include "formats/format.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

Unpacked decode_other_family(const Format& f, uint64_t code);
std::optional<uint64_t> encode_other_family(const Format& f, const Unpacked& v);

inline Unpacked decode(const Format& f, uint64_t code) {
  return f.is_float() ? float_decode(f, code) : decode_other_family(f, code);
}

// The code of an exactly representable value; nullopt if the value is not in the format.
// NaN gives the format's canonical NaN with the requested sign where the format has a signed NaN.
inline std::optional<uint64_t> encode(const Format& f, const Unpacked& v) {
  return f.is_float() ? float_encode(f, v) : encode_other_family(f, v);
}

// Canonical special codes; has_value() is false when the format lacks the value.
// nan_code: for IEEE NaN the quiet NaN with only the mantissa MSB set; NaR for posits.
inline std::optional<uint64_t> nan_code(const Format& f, bool sign) {
  return f.is_float() ? float_nan_code(f, sign) : f.special.nan;
}
inline std::optional<uint64_t> inf_code(const Format& f, bool sign) {
  return f.is_float() ? float_inf_code(f, sign) : sign ? f.special.neg_inf : f.special.pos_inf;
}
// fnuz/unsigned floats and formats with a single zero: always +0.
inline std::optional<uint64_t> zero_code(const Format& f, bool sign) {
  if (f.is_float()) return float_zero_code(f, sign);
  return sign && f.special.neg_zero ? f.special.neg_zero : f.special.pos_zero;
}
// +-largest finite value (for a format without negative values, sign is ignored).
inline uint64_t max_code(const Format& f, bool sign) {
  if (f.is_float()) return float_max_code(f, sign);
  return sign && f.is_signed ? f.special.neg_max : f.special.pos_max;
}
// +-smallest non-zero magnitude.
inline uint64_t min_code(const Format& f, bool sign) {
  if (f.is_float()) return float_min_code(f, sign);
  return sign && f.is_signed ? f.special.neg_min : f.special.pos_min;
}

// Every code of the format in ascending code order (formats up to 16 bits).
std::vector<uint64_t> all_codes(const Format& f);

}  // namespace bitexact
