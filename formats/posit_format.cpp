#include "formats/posit_format.hpp"

#include <stdexcept>

#include "formats/error.hpp"

namespace bitexact {

// Placeholder until the posit family lands: every entry point reports it is missing.
Format make_posit_format(std::string name, const PositParams&) {
  throw FormatError("the posit family is not implemented yet (format '" + name + "')");
}

Unpacked posit_decode(const Format&, uint64_t) { throw std::logic_error("posit family: not implemented"); }

std::optional<uint64_t> posit_encode(const Format&, const Unpacked&) {
  throw std::logic_error("posit family: not implemented");
}

std::optional<Format> parse_posit_spec(const SpecTerm&) { return std::nullopt; }

}  // namespace bitexact
