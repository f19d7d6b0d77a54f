// NaN operand handling shared by the arithmetic operations.
#pragma once

#include <initializer_list>

#include "emu/env.hpp"
#include "emu/round.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

// If any operand is NaN: raises invalid for a signalling one and returns true.
inline bool any_nan(std::initializer_list<const Unpacked*> ops, Env& env) {
  bool nan = false;
  for (const Unpacked* u : ops) {
    if (u->is_nan()) {
      nan = true;
      if (u->signaling) env.flags |= flag::invalid;
    }
  }
  return nan;
}

// The canonical NaN result of an operation (positive; invalid raised by the caller if due).
inline uint64_t nan_out(const Format& f, Env& env) { return round_to_format(f, Exact::nan(false), env); }

// An invalid operation (inf - inf, 0 * inf, 0/0, sqrt(-x), ...).
inline uint64_t invalid_out(const Format& f, Env& env) {
  env.flags |= flag::invalid;
  return nan_out(f, env);
}

}  // namespace bitexact
