// Bits <-> exact value for the float family (formats/codec.hpp is the family-generic API).
// No rounding happens here: float_encode() only accepts values the format represents exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "formats/format.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

Unpacked float_decode(const Format& f, uint64_t code);

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
