// Integers and fixed point (Family::Int): value = integer(code) * 2^-frac_bits, the integer
// read from the code as two's complement (signed) or plainly (unsigned). A symmetric format's
// most negative code (-2^(bits-1)) still decodes, but rounding never produces it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formats/format.hpp"
#include "formats/spec_term.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

// Validates (bits 1..32; symmetric needs signed and bits >= 2; |frac_bits| <= 256) and fills the
// family, facts (width, code_mask, sign_bit) and the canonical name when `name` is empty.
Format make_int_format(std::string name, const IntParams& p);

// The produced range of integers (symmetric formats exclude -2^(bits-1)).
int64_t int_min(const IntParams& p);
int64_t int_max(const IntParams& p);
// The code of an integer in the format's range (two's complement for signed formats).
inline uint64_t int_code_of(const IntParams& p, int64_t k) {
  return uint64_t(k) & ((p.bits >= 64 ? 0 : (uint64_t{1} << p.bits)) - 1);
}

Unpacked int_decode(const Format& f, uint64_t code);
std::optional<uint64_t> int_encode(const Format& f, const Unpacked& v);  // exact values only

// The spec forms: int<bits=B[,signed=..][,symmetric=..][,frac=N]>, uint<bits=B[,frac=N]>, intN, uintN,
// intN_sym, intN<symmetric> (a positional flag), fixed<m=M,n=N[,signed=..]>, qM.N, uqM.N.
// nullopt for other names; FormatError (with position) for a malformed one.
std::optional<Format> parse_int_spec(const SpecTerm& t);

// The canonical spec string: int<bits=B[,signed=false][,symmetric=true][,frac=N]>.
std::string int_spec_string(const IntParams& p);

// Canonical spelling: int8, uint4, int4_sym, q3.4 / uq3.4 (TI Q notation: m integer bits, n
// fraction bits, sign not counted), or int<bits=..,frac=..,...> where Q notation does not fit.
std::string int_canonical_name(const IntParams& p);

}  // namespace bitexact
