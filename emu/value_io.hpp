// Text <-> value, exactly: decimal and C99 hex-float strings in, shortest round-trip decimal out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "emu/env.hpp"
#include "emu/exact.hpp"
#include "formats/format.hpp"

namespace bitexact {

// Parses "1.5", "-0", "1e-9", "inf", "-inf", "nan", "0x1.8p+0", "-0x1p-3" into its exact value
// (or exact-plus-sticky for decimals that are not dyadic; rounding it once is then correct).
// Throws FormatError naming the input and the offending character's position.
Exact parse_value(std::string_view text);

// Rounds the parsed text into f under env (one rounding, correct for every mode). An integer format
// under overflow=wrap reads the value exactly modulo twice its code span first, so the wrapped code of
// a value beyond parse_value's 124 kept bits is exact too.
uint64_t value_from_string(const Format& f, std::string_view text, Env& env);

// The shortest decimal string that reads back (rne) to the same code: "nan", "inf", "-inf",
// "-0", "448", "0.001953125", "1.5e-07"... Exponent form is used when it is shorter.
std::string value_to_string(const Format& f, uint64_t code);

// The exact value as a C99 hex float ("0x1.cp+8"); "nan", "inf", "-inf", "0x0p+0", "-0x0p+0".
std::string value_to_hex(const Format& f, uint64_t code);

// Every digit of the exact value in plain decimal (no exponent), for format tables.
std::string value_to_exact_decimal(const Format& f, uint64_t code);

}  // namespace bitexact
