#include "formats/int_format.hpp"

#include <stdexcept>

#include "formats/error.hpp"

namespace bitexact {

// Placeholder until the int family lands: every entry point reports it is missing.
Format make_int_format(std::string name, const IntParams&) {
  throw FormatError("the int family is not implemented yet (format '" + name + "')");
}

Unpacked int_decode(const Format&, uint64_t) { throw std::logic_error("int family: not implemented"); }

std::optional<uint64_t> int_encode(const Format&, const Unpacked&) {
  throw std::logic_error("int family: not implemented");
}

std::optional<Format> parse_int_spec(const SpecTerm&) { return std::nullopt; }

}  // namespace bitexact
