// What the DPI-C entry points share: the memo of parsed format specs and the Env built from the
// integer mode arguments (numbering in bitexact_dpi.h).
#pragma once

#include <memory>

#include "emu/env.hpp"
#include "formats/format.hpp"

namespace bitexact::dpi {

// The parsed format of a spec, or nullptr if it does not parse (or spec is null). Thread-safe.
std::shared_ptr<const Format> find_format(const char* spec);
// Fills env's mode and policies; returns BX_OK or the BX_ERR_ code of the first bad argument.
int make_env(int rounding, int overflow, int subnormals, int tininess, Env& env);
// No bits set above the format's width.
bool fits(const Format& f, unsigned long long code);

}  // namespace bitexact::dpi
