// The table family: a format given by an explicit list of values (codebooks such as NF4,
// ternary, power-of-two weights; HiFloat8). Every code decodes to an exact binary value.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/format.hpp"
#include "formats/spec_term.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

struct ValueTable {
  int width = 0;                   // code width in bits
  std::vector<Unpacked> by_code;   // 2^width entries: the exact value of every code
  std::vector<uint64_t> ascending; // one code per distinct finite value (zero included), ascending by value
};

// Builds a table format (fills facts.width/code_mask, special codes, spec); throws FormatError.
Format make_table_format(std::string name, std::string spec, std::shared_ptr<const ValueTable> table);

Unpacked table_decode(const Format& f, uint64_t code);
std::optional<uint64_t> table_encode(const Format& f, const Unpacked& v);

// The format if t names this family (codebook<...>, ...), nullopt otherwise.
std::optional<Format> parse_table_spec(const SpecTerm& t);

}  // namespace bitexact
