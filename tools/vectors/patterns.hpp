// The operand codes gen draws on, per format.
//
// sanity_codes: a handful of hand-picked values: +-0, +-1, 1 + 1 ulp, 1.5, half an ulp of 1 (so
// that 1 + it is an exact tie), the smallest subnormal and normal, +-max, +-inf, quiet and
// signalling NaN; the ones the format has.
// pattern_codes: TestFloat's idea (an exponent list crossed with a significand-pattern list,
// both signs) written for any ExMy: exponent fields at the ends of the range and around the bias;
// significands all-zero, all-one, single bits, runs of ones from either end, alternating bits
// and the patterns next to the halfway point. Formats of other families get code-level
// patterns (zero, one, the extremes, single bits, runs). Deduplicated, in a fixed order.
#pragma once

#include <cstdint>
#include <vector>

#include "formats/format.hpp"

namespace bitexact::vectors {

std::vector<uint64_t> sanity_codes(const Format& f);
std::vector<uint64_t> pattern_codes(const Format& f);
// For a float: the exponent fields and significand patterns pattern_codes crosses.
std::vector<uint64_t> pattern_exponents(const Format& f);
std::vector<uint64_t> pattern_significands(const Format& f);

}  // namespace bitexact::vectors
