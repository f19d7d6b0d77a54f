// Spec strings: how a user names a format.
//
//   NAME                 a catalogue name or alias (float8_e4m3fn, e4m3, bf16, ...), case-insensitive
//   eXmY                 an ExMy float; the catalogued one if its shape is catalogued (e4m3 is OCP E4M3),
//                        otherwise IEEE-like: bias 2^(X-1)-1, inf=ieee, nan=ieee, subnormals
//   float<e=X,m=Y,...>   any float; keys: e, m, bias, signed, subnormals, zero, inf, nan
//   NAME<key=value,...>  a catalogued or eXmY format with some parameters overridden
//
// Values: bias is an integer; signed/subnormals/zero are true|false; inf is ieee|none;
// nan is ieee|allones|negzero|none (also fn = allones, fnuz = negzero).
//
// The other families parse their own forms (formats/int_format.hpp, posit_format.hpp,
// value_table.hpp) from the same NAME<args> shape (formats/spec_term.hpp); a catalogue entry of
// another family is its defining spec, and NAME<args> appends/overrides that spec's arguments.
#pragma once

#include <string_view>

#include "formats/format.hpp"

namespace bitexact {

// Throws FormatError with the position of the offending character.
Format parse_format(std::string_view spec);
// The same without consulting the catalogue (used while the catalogue itself is being built).
Format parse_format_uncatalogued(std::string_view spec);

// One paragraph of text describing the grammar, for --help.
const char* format_spec_help();

}  // namespace bitexact
