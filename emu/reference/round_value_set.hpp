// The oracle's rounding into integer / fixed-point (Family::Int) and codebook (Family::Table)
// formats: emu/SEMANTICS.md's "Integers and fixed point" and "Codebook formats" applied literally
// to the sorted list of every value (decode() of every code, MPFR arithmetic), or for integers of
// any width to the integer lattice computed with MPFR. Internal to emu/reference/.
#pragma once

#include "emu/env.hpp"
#include "emu/reference/mpfr_util.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/format.hpp"

namespace bitexact::reference {

bool is_value_set_family(const Format& f);  // Family::Int or Family::Table

// The counterparts of round_exact.hpp's functions for those families.
OracleResult vs_round_exact(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env, Method method);
OracleResult vs_nan_result(const Format& f, bool kept_sign, const Env& env);
OracleResult vs_inf_result(const Format& f, bool sign, const Env& env);
OracleResult vs_zero_result(const Format& f, bool sign, const Env& env);

}  // namespace bitexact::reference
