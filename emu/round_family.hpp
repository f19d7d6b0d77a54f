// The per-family halves of round_to_format (emu/round.hpp is the only public entry point).
// Each takes its decision from emu/round_decision.hpp, so every family honours every mode alike.
#pragma once

#include <cstdint>

#include "emu/env.hpp"
#include "emu/exact.hpp"
#include "formats/format.hpp"

namespace bitexact {

uint64_t round_other_family(const Format& f, const Exact& x, Env& env);  // dispatch

uint64_t round_int(const Format& f, const Exact& x, Env& env);    // emu/round_int.cpp

uint64_t round_posit(const Format& f, const Exact& x, Env& env);  // emu/round_posit.cpp

uint64_t round_table(const Format& f, const Exact& x, Env& env);  // emu/round_table.cpp

}  // namespace bitexact
