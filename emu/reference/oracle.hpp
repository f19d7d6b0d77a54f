// The independent oracle: what an operation's result MUST be under emu/SEMANTICS.md, computed
// without the core's rounding routine (emu/round.hpp) or exact arithmetic (emu/exact_arith.hpp).
//
// The exact result comes from MPFR (add/sub/mul/fma exactly, div/sqrt at 400 bits with the
// direction of inexactness kept). Its two lattice neighbours come either from a sorted table of
// every finite value of the format (Method::Enumerate, formats up to 16 bits) or from MPFR
// rounding at the format's precision (Method::Mpfr, any width); SEMANTICS.md's mode rules are
// then applied literally. Thread-safe: scratch MPFR numbers and value tables are per thread.
#pragma once

#include <cstdint>
#include <string>

#include "emu/env.hpp"
#include "formats/format.hpp"

namespace bitexact::reference {

struct OracleResult {
  uint64_t code = 0;
  uint8_t flags = 0;
  uint8_t draws = 0;  // random words consumed (0 or 1; stochastic modes only)
  bool operator==(const OracleResult&) const = default;
};

enum class Op : uint8_t { Convert, Add, Sub, Mul, Div, Fma, Sqrt };
const char* op_name(Op op);

// How the neighbours of the exact result are found. Auto: Enumerate for formats of at most
// 16 bits, Mpfr otherwise. Enumerate on a wider format throws std::invalid_argument.
enum class Method : uint8_t { Auto, Enumerate, Mpfr };

// env supplies mode, sr_bits, policies and, for stochastic modes, the random word: the next
// explicit word (env.explicit_bits[env.explicit_pos]) when explicit_bits is non-empty, otherwise
// counter_random(env.seed, env.stream, env.index). env is not modified; env.flags is ignored.
OracleResult oracle_convert(const Format& from, uint64_t a, const Format& to, const Env& env,
                            Method method = Method::Auto);
OracleResult oracle_binary(Op op, const Format& f, uint64_t a, uint64_t b, const Env& env,
                           Method method = Method::Auto);  // op: Add, Sub, Mul or Div
OracleResult oracle_fma(const Format& f, uint64_t a, uint64_t b, uint64_t c, const Env& env,
                        Method method = Method::Auto);
OracleResult oracle_sqrt(const Format& f, uint64_t a, const Env& env, Method method = Method::Auto);

// A decimal or hex-float string (MPFR's own parser, at enough precision that no rounding boundary
// of any format lies between the parsed and the true value) rounded into `to`. Decimal exponents
// are limited to |e| <= 100000 (MPFR's exponent range is not the concern of this oracle).
OracleResult oracle_from_string(const Format& to, const std::string& text, const Env& env,
                                Method method = Method::Auto);

}  // namespace bitexact::reference
