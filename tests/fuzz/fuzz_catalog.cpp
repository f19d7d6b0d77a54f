// Format catalogues (formats/catalog.hpp: formats/catalog.toml and `--catalog FILE`). Input: the
// TOML text. Properties, for a catalogue that parses: every name and alias finds its entry; every
// entry's corner codes decode -> encode to the same value; a float entry's parameters find an entry.
// Allowed errors: FormatError.
#define BITEXACT_FUZZ_WITH_EMU
#include "tests/fuzz/fuzz_common.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Catalog c;
  if (!allowed([&] { c = Catalog::parse(text, "fuzz.toml"); })) return 0;
  for (const CatalogEntry& e : c.entries()) {
    const Format& f = e.format;
    FUZZ_CHECK(c.find(f.name) != nullptr, "entry '" + f.name + "' not found by its name");
    for (const std::string& a : e.aliases) FUZZ_CHECK(c.find(a) != nullptr, "alias '" + a + "' not found");
    FUZZ_CHECK(f.width() >= 1 && f.width() <= 64, "entry '" + f.name + "' width out of 1..64");
    if (f.is_float()) FUZZ_CHECK(c.find_params(f.fp) != nullptr, "entry '" + f.name + "' not found by its parameters");
    (void)spec_string(f);
    for (const uint64_t code : {uint64_t{0}, f.facts.code_mask, f.facts.sign_bit, max_code(f, false), max_code(f, true),
                                min_code(f, false), min_code(f, true)})
      check_code_round_trip(f, code);
  }
  return 0;
}
