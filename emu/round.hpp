// THE rounding routine: the only place in bitexact where an exact value becomes a code.
// Every operation (convert, add, ..., accumulation models) ends here.
#pragma once

#include <cstdint>

#include "emu/env.hpp"
#include "emu/exact.hpp"
#include "formats/format.hpp"

namespace bitexact {

// Rounds x into format f under env (mode, overflow and subnormal policies, tininess,
// NaN policies, random source) and ORs the raised flags into env.flags.
// x.cls == NaN means "a NaN result"; env decides its code. Invalid-operation flags for
// NaN results are raised by the operation, not here.
uint64_t round_to_format(const Format& f, const Exact& x, Env& env);

// The code for a NaN result in f (no flags touched); for formats without NaN, per env.nan_to_nonan.
uint64_t nan_result(const Format& f, bool sign, const Env& env);

}  // namespace bitexact
