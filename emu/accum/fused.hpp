// The fused K-term dot-product model (tensor cores): K products per step aligned into a
// fixed-point register, with every knob of AccumModel's "Fused" group. Semantics: emu/SEMANTICS.md
// "Accumulation models". Called by dot_terms(); exposed for the GEMM fast path's equality tests.
#pragma once

#include <span>

#include "emu/accum/accum_model.hpp"
#include "emu/env.hpp"
#include "emu/exact.hpp"

namespace bitexact {

// The value the fused chain hands to the output rounding, for finite or zero products and addend
// (specials are resolved by the caller). With promotion this is the wide accumulator's value.
// Intermediate roundings (promotion adds) raise their flags in env.flags.
Exact fused_accumulate(const AccumModel& m, std::span<const Exact> products, const Exact* c, Env& env);

}  // namespace bitexact
