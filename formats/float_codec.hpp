// Bits <-> exact value for the float family. No rounding happens here: encode() only
// accepts values the format represents exactly (emu/round.hpp does the rounding).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "formats/format.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

Unpacked decode(const Format& f, uint64_t code);

// The code of an exactly representable value; nullopt if the value is not in the format.
// NaN gives the format's canonical NaN with the requested sign where the format has a signed NaN.
std::optional<uint64_t> encode(const Format& f, const Unpacked& v);

// Canonical special codes. nan_code: for IEEE NaN the quiet NaN with only the mantissa MSB set;
// has_value() is false when the format lacks the value.
std::optional<uint64_t> nan_code(const Format& f, bool sign);
std::optional<uint64_t> inf_code(const Format& f, bool sign);
std::optional<uint64_t> zero_code(const Format& f, bool sign);  // fnuz/unsigned: always +0
uint64_t max_code(const Format& f, bool sign);                  // +-largest finite
uint64_t min_code(const Format& f, bool sign);                  // +-smallest positive

// Every code of the format in ascending code order (formats up to 16 bits).
std::vector<uint64_t> all_codes(const Format& f);

}  // namespace bitexact
