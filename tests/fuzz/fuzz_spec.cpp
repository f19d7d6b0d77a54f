// Format spec strings (formats/spec.hpp): NAME, eXmY, float<...>, int/fixed/posit/codebook forms.
// Input: "SPEC\nCONTROL". Properties, for a spec that parses:
//   - print -> parse: parse_format(spec_string(f)) prints the same spec and names the same format;
//   - decode -> encode: codes picked by the control bytes (and the format's corner codes) decode to
//     a value that encodes back to a code of the same value;
//   - conversion: convert() of those codes into a picked format under a picked Env equals the
//     oracle (emu/reference, MPFR), result code and flags.
// Allowed errors: FormatError (std::invalid_argument).
#define BITEXACT_FUZZ_WITH_EMU
#include "tests/fuzz/fuzz_common.hpp"

#include <algorithm>
#include <cctype>

#include "emu/ops.hpp"
#include "emu/reference/oracle.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  std::string spec(in.text());
  // codebook<file=PATH> reads a file the spec names: not this target's input (fuzz_codebook
  // parses codebook text), and a fuzzed path could name /dev/zero.
  std::string lower = spec;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.find("file") != std::string::npos) return 0;

  Format f;
  if (!allowed([&] { f = parse_format(spec); })) return 0;
  const std::string printed = spec_string(f);
  Format g;
  FUZZ_CHECK(allowed([&] { g = parse_format(printed); }), "'" + spec + "' prints as '" + printed + "' which does not parse");
  FUZZ_CHECK(spec_string(g) == printed, "'" + spec + "' -> '" + printed + "' -> '" + spec_string(g) + "'");
  FUZZ_CHECK(g.name == f.name, "'" + spec + "' named '" + f.name + "', its printed spec '" + g.name + "'");
  FUZZ_CHECK(g.family == f.family && g.width() == f.width(), "'" + spec + "' printed spec differs in family or width");
  FUZZ_CHECK(f.width() >= 1 && f.width() <= 64, "'" + spec + "' width out of 1..64");
  Format h;
  FUZZ_CHECK(allowed([&] { h = parse_format(f.name); }), "'" + spec + "' canonical name '" + f.name + "' does not parse");
  FUZZ_CHECK(spec_string(h) == printed, "'" + spec + "' canonical name '" + f.name + "' is another format");

  std::vector<uint64_t> codes = {0, f.facts.code_mask, f.facts.sign_bit, max_code(f, false), max_code(f, true),
                                 min_code(f, false), min_code(f, true)};
  for (int i = 0; i < 4 && in.more(); ++i) codes.push_back(in.u64() & f.facts.code_mask);
  for (const uint64_t c : codes) check_code_round_trip(f, c);

  // Conversion against the oracle.
  const Format& to = pick_format(in);
  for (const uint64_t c : codes) {
    Env env = pick_env(in);
    Env core_env = env;
    const uint64_t got = convert(f, c, to, core_env);
    const reference::OracleResult want = reference::oracle_convert(f, c, to, env, oracle_method(to));
    const std::string where = fmt::format("convert {} 0x{:x} to {} under {}", printed, c, spec_string(to), env_name(env));
    FUZZ_CHECK(got == want.code, where + fmt::format(": core 0x{:x}, oracle 0x{:x}", got, want.code));
    FUZZ_CHECK(core_env.flags == want.flags, where + fmt::format(": core flags {:#x}, oracle {:#x}", core_env.flags, want.flags));
  }
  return 0;
}
