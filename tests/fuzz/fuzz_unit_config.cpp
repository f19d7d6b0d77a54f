// Hardware unit configurations (hwmodel/config_spec.hpp: the key=value lists of `bitexact hw`
// and the unit models): mac, bitserial and lut. Input: "SPEC\nCONTROL"; the first control byte
// picks the unit. Property, for a spec that parses: print -> parse (the unit's *_config_name
// reads back to an equal config). Allowed errors: FormatError, std::invalid_argument.
#define BITEXACT_FUZZ_WITH_EMU
#include "tests/fuzz/fuzz_common.hpp"

#include <algorithm>
#include <cctype>

#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/lut/config.hpp"
#include "hwmodel/mac/config.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;
using namespace bitexact::hw;

namespace {

template <class Parse, class Name>
void round_trip(const std::string& spec, Parse parse, Name name) {
  decltype(parse(spec)) c;
  if (!allowed([&] { c = parse(spec); })) return;
  const std::string printed = name(c);
  decltype(parse(spec)) d;
  FUZZ_CHECK(allowed([&] { d = parse(printed); }), "'" + spec + "' prints as '" + printed + "' which does not parse");
  FUZZ_CHECK(d == c, "'" + spec + "' -> '" + printed + "' reads back another config");
  FUZZ_CHECK(name(d) == printed, "'" + spec + "' -> '" + printed + "' -> '" + name(d) + "'");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  const std::string spec(in.text());
  std::string lower = spec;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.find("file") != std::string::npos) return 0;  // codebook<file=PATH> formats read files
  switch (in.pick(3)) {
    case 0: round_trip(spec, parse_mac_config, mac_config_name); break;
    case 1: round_trip(spec, parse_bitserial_config, bitserial_config_name); break;
    default: round_trip(spec, parse_lut_config, lut_config_name); break;
  }
  return 0;
}
