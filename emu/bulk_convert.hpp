// Bulk conversion of float32 arrays into a narrow format: the hot path for tensor work.
//
// Results equal convert() element by element (tests/emu/test_bulk_convert.cpp proves it on
// every float32 exponent and, in `make test-long`, on all 2^32 inputs). Formats and modes the
// fast kernel does not cover fall back to the generic rounding routine per element.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emu/env.hpp"
#include "formats/format.hpp"

namespace bitexact {

// out[i] = code of in[i] in `to` (to.width() <= 16); flags ORed into env.flags. Stochastic modes
// use element index env.index + i, so results do not depend on how an array is split; env.index
// advances by n.
void convert_float32_bulk(const float* in, uint16_t* out, size_t n, const Format& to, Env& env);

// Whether convert_float32_bulk takes the specialised kernel for this format and env.
bool bulk_fast_path(const Format& to, const Env& env);

}  // namespace bitexact
