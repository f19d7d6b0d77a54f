#include "formats/codec.hpp"

#include "formats/error.hpp"
#include "formats/int_format.hpp"
#include "formats/posit_format.hpp"
#include "formats/value_table.hpp"

namespace bitexact {

Unpacked decode_other_family(const Format& f, uint64_t code) {
  switch (f.family) {
    case Family::Float: return float_decode(f, code);

    case Family::Int: return int_decode(f, code);

    case Family::Posit: return posit_decode(f, code);

    case Family::Table: return table_decode(f, code);
  }
  return {};
}

std::optional<uint64_t> encode_other_family(const Format& f, const Unpacked& v) {
  switch (f.family) {
    case Family::Float: return float_encode(f, v);

    case Family::Int: return int_encode(f, v);

    case Family::Posit: return posit_encode(f, v);

    case Family::Table: return table_encode(f, v);
  }
  return std::nullopt;
}

std::vector<uint64_t> all_codes(const Format& f) {
  if (f.width() > 16) throw FormatError("enumeration is limited to formats of at most 16 bits");
  std::vector<uint64_t> codes(size_t{1} << f.width());
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = i;
  return codes;
}

}  // namespace bitexact
