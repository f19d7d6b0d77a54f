#include "formats/value_table.hpp"

#include <stdexcept>

#include "formats/error.hpp"

namespace bitexact {

// Placeholder until the table family lands: every entry point reports it is missing.
Format make_table_format(std::string name, std::string, std::shared_ptr<const ValueTable>) {
  throw FormatError("the table family is not implemented yet (format '" + name + "')");
}

Unpacked table_decode(const Format&, uint64_t) { throw std::logic_error("table family: not implemented"); }

std::optional<uint64_t> table_encode(const Format&, const Unpacked&) {
  throw std::logic_error("table family: not implemented");
}

std::optional<Format> parse_table_spec(const SpecTerm&) { return std::nullopt; }

}  // namespace bitexact
