// User-defined codebooks from a text file: one entry per code, in code order.
//
//   # comment (anywhere after '#')
//   name = my_codebook      optional; default: codebook<file=PATH>
//   bits = 3                optional; default: the smallest width that holds every entry
//   -1.5                    code 0: a decimal (nearest binary64) or hex-float (exact) number
//   0x1.8p-2                code 1
//   nan | inf | -inf        NaN or infinity codes
//   unused                  a code that holds no value (decodes as NaN, never produced)
//
// Header lines come before the first entry. Errors name the file and line: "PATH:LINE: ...".
#pragma once

#include <string>
#include <string_view>

#include "formats/value_table.hpp"

namespace bitexact {

ValueTable parse_codebook(std::string_view text, const std::string& origin);
ValueTable load_codebook(const std::string& path);  // FormatError "PATH: cannot read" if unreadable

}  // namespace bitexact
