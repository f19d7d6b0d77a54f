// Dot products under an accumulation model (emu/accum/accum_model.hpp): the generic, reference
// path. Every fast path (emu/gemm.hpp) must equal it element for element.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "emu/accum/accum_model.hpp"
#include "emu/env.hpp"
#include "emu/exact.hpp"
#include "formats/format.hpp"

namespace bitexact {

// sum(a[i]*b[i]) + c under the model; a in format fa, b in fb, c a code of m.out_format
// (has_c = false: no addend). Returns a code of m.out_format; flags accumulate in env.flags.
// The output rounding uses m.out_rounding, or env.mode when the model leaves it unset; the
// intermediate roundings use the model's modes with env's policies. Throws std::invalid_argument
// when a and b differ in length.
uint64_t dot(const AccumModel& m, const Format& fa, std::span<const uint64_t> a, const Format& fb,
             std::span<const uint64_t> b, uint64_t c, bool has_c, Env& env);

// The same over products given as exact values (products[i] is the i-th term, already formed by
// the caller: exact, or scaled block elements), with the addend as an exact value (nullptr: none).
// The model's product mode is not applied here: the caller has formed the terms.
uint64_t dot_terms(const AccumModel& m, std::span<const Exact> products, const Exact* c, Env& env);

// The i-th product under the model's product mode (exact, rounded into prod(), or L-Mul), as an
// exact value; NaN/Inf/zero classes per IEEE (0*inf is NaN and raises invalid in env.flags).
Exact model_product(const AccumModel& m, const Format& fa, uint64_t a, const Format& fb, uint64_t b, Env& env);

// round_to_format under env's policies, random source and flags, but in `mode` (env.mode restored).
uint64_t round_in_mode(const Format& f, const Exact& x, RoundingMode mode, Env& env);

}  // namespace bitexact
