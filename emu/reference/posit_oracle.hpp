// The oracle's posit rounding: the 2022 Posit Standard's rounding rule applied
// literally to an exact MPFR value, with posit values decoded here bit by bit (independently of
// formats/posit_format.cpp and emu/round_posit.cpp). Internal to emu/reference/.
#pragma once

#include "emu/env.hpp"
#include "emu/reference/mpfr_util.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/format.hpp"

namespace bitexact::reference {

// The value of the positive posit<n,es> code `code` (n up to 126 bits) into v (precision >= 128).
void posit_value(int n, int es, unsigned __int128 code, mpfr_ptr v);

// Rounds the non-zero value (-1)^sign * (|x| + sticky) into the posit format f.
OracleResult posit_round_exact(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env);

// NaN (and NaR) -> NaR; +-inf -> NaR with invalid; zero -> 0.
OracleResult posit_nan_result(const Format& f);
OracleResult posit_inf_result(const Format& f);
OracleResult posit_zero_result(const Format& f);

}  // namespace bitexact::reference
