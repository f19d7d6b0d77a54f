// The oracle's rounding: SEMANTICS.md applied literally to an exact MPFR value, plus the
// special-value rules (NaN, infinity, zero results). Internal to emu/reference/.
#pragma once

#include "emu/env.hpp"
#include "emu/reference/mpfr_util.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/format.hpp"

namespace bitexact::reference {

// Rounds the non-zero value (-1)^sign * (x + (sticky ? a positive amount below x's last bit : 0))
// into f. x is the magnitude (positive); it is only read.
OracleResult round_exact(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env, Method method);

// The result of an operation whose exact result is NaN: the positive canonical NaN (or, in a
// format without NaN, per env.nan_to_nonan, raising invalid).
OracleResult nan_operation_result(const Format& f, const Env& env);
// A NaN input converted into f: canonical NaN with the input's sign per env.nan_sign.
OracleResult nan_convert_result(const Format& f, bool sign, const Env& env);
// An infinite result (or input) of sign `sign`.
OracleResult inf_result(const Format& f, bool sign, const Env& env);
// An exact zero result (or input) of sign `sign`.
OracleResult zero_result(const Format& f, bool sign, const Env& env);

}  // namespace bitexact::reference
