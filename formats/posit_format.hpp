// The posit family: posit<n,es> (PositParams in formats/format.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "formats/format.hpp"
#include "formats/spec_term.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

// Validates p; throws FormatError on a bad combination.
Format make_posit_format(std::string name, const PositParams& p);

Unpacked posit_decode(const Format& f, uint64_t code);
std::optional<uint64_t> posit_encode(const Format& f, const Unpacked& v);

// The format if t names this family, nullopt otherwise; throws FormatError for a malformed one.
std::optional<Format> parse_posit_spec(const SpecTerm& t);

}  // namespace bitexact
