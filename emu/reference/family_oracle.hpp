// The oracle for the non-float families: each family's rounding rule and special-value rules
// applied literally to an exact MPFR value (round_exact.cpp dispatches here). Internal.
#pragma once

#include "emu/env.hpp"
#include "emu/reference/mpfr_util.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/format.hpp"

namespace bitexact::reference {

// As round_exact (round_exact.hpp) for a format that is not a float.
OracleResult family_round_exact(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env,
                                Method method);
// As nan_operation_result / nan_convert_result / inf_result / zero_result.
OracleResult family_nan_result(const Format& f, bool sign, bool from_operation, const Env& env);
OracleResult family_inf_result(const Format& f, bool sign, const Env& env);
OracleResult family_zero_result(const Format& f, bool sign, const Env& env);

}  // namespace bitexact::reference
