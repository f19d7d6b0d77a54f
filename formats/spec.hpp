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
#include "formats/spec_term.hpp"

namespace bitexact {

// Throws FormatError with the position of the offending character.
Format parse_format(std::string_view spec);
// The same without consulting the catalogue (used while the catalogue itself is being built).
Format parse_format_uncatalogued(std::string_view spec);
// A format given as the value of another spec's key (a scheme's elem=float<e=3,m=2>, an
// accumulation model's out=float32): parse_format(arg.value), whose error becomes
// "WHAT: 'KEY': ..." pointing at the offending character of `spec` (a FormatFileError stays one).
Format parse_format_arg(std::string_view spec, const SpecArg& arg, std::string_view what);

// One paragraph of text describing the grammar, for --help.
const char* format_spec_help();

}  // namespace bitexact
