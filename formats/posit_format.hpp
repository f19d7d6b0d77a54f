// The posit family: posit<n,es> (PositParams in formats/format.hpp).
//
// Encoding (2022 Standard for Posit Arithmetic; other es as in the posit literature):
// an n-bit code; all zeros is 0 and 1 followed by zeros is NaR (not a real). A code with the sign
// bit set is the two's complement negation of a positive posit. After the sign of a positive
// posit come the regime, a run of k+1 ones closed by a 0 (scale factor k >= 0) or a run of -k
// zeros closed by a 1 (k < 0), then es exponent bits e and the fraction f; bits cut off by the
// end of the code read as 0. value = 2^(k * 2^es + e) * (1 + f). Codes are monotone in value
// when read as two's complement integers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "formats/format.hpp"
#include "formats/spec_term.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

inline constexpr int kPositMinN = 2, kPositMaxN = 32, kPositMaxEs = 5;

// Validates p (2 <= n <= 32, 0 <= es <= 5); throws FormatError on a bad combination.
Format make_posit_format(std::string name, const PositParams& p);

Unpacked posit_decode(const Format& f, uint64_t code);
std::optional<uint64_t> posit_encode(const Format& f, const Unpacked& v);

// The format if t names this family, nullopt otherwise; throws FormatError for a malformed one.
// Spellings: posit<n,es>, posit<n=N,es=E>, positN (es = 2, the 2022 standard), positN_E.
std::optional<Format> parse_posit_spec(const SpecTerm& t);

// log2 of maxpos, (n-2) * 2^es; minpos is 2^-posit_max_scale.
int posit_max_scale(const PositParams& p);

// The canonical spec string, posit<n,es>.
std::string posit_spec_string(const PositParams& p);

}  // namespace bitexact
