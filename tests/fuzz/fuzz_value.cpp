// Decimal and hex-float value parsing (emu/value_io.hpp). Input: "VALUE\nCONTROL". Properties:
//   - parse_value either succeeds or throws FormatError;
//   - value_from_string(f, text, env) equals the oracle (MPFR's own parser, emu/reference) in
//     code and flags, for a picked format and Env, whenever MPFR reads the same text;
//   - print -> parse: value_to_string and value_to_hex of the result read back (rne) to the same
//     value, and so does value_to_exact_decimal for formats up to 16 bits.
// Allowed errors: FormatError.
#define BITEXACT_FUZZ_WITH_EMU
#include "tests/fuzz/fuzz_common.hpp"

#include <cctype>

#include "emu/reference/oracle.hpp"
#include "emu/value_io.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;

namespace {

// The oracle limits decimal exponents to |e| <= 100000 and MPFR accepts spellings the project
// does not document ("@inf@", a leading '+', whitespace): compare only plain [-]digits[.digits][e[+-]digits]
// and [-]0x hex floats with a small exponent.
bool oracle_comparable(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  const bool hex = s.size() >= i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
  if (hex) i += 2;
  size_t digits = 0;
  bool dot = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (hex ? std::isxdigit(static_cast<unsigned char>(c)) : std::isdigit(static_cast<unsigned char>(c))) ++digits;
    else if (c == '.' && !dot) dot = true;
    else break;
  }
  if (digits == 0) return false;
  if (i == s.size()) return true;
  if (!(hex ? (s[i] == 'p' || s[i] == 'P') : (s[i] == 'e' || s[i] == 'E'))) return false;
  ++i;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  const size_t e0 = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  return i == s.size() && i > e0 && i - e0 <= 5;
}

void read_back(const Format& f, uint64_t code, const std::string& text, const char* how) {
  Env rne;
  uint64_t back = 0;
  const std::string where = fmt::format("{} 0x{:x} printed ({}) as '{}'", spec_string(f), code, how, text);
  FUZZ_CHECK(allowed([&] { back = value_from_string(f, text, rne); }), where + " does not parse");
  FUZZ_CHECK(same_value(decode(f, back), decode(f, code)), where + fmt::format(" reads back as 0x{:x}", back));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  const std::string text(in.text());
  if (!allowed([&] { (void)parse_value(text); })) return 0;

  const Format& f = pick_format(in);
  Env env = pick_env(in);
  const Env env0 = env;
  uint64_t code = 0;
  FUZZ_CHECK(allowed([&] { code = value_from_string(f, text, env); }), "'" + text + "' parses but does not convert");
  FUZZ_CHECK((code & ~f.facts.code_mask) == 0, "'" + text + "' gave a code wider than the format");

  if (oracle_comparable(text)) {
    const reference::OracleResult want = reference::oracle_from_string(f, text, env0, oracle_method(f));
    const std::string where = fmt::format("'{}' into {} under {}", text, spec_string(f), env_name(env0));
    FUZZ_CHECK(code == want.code, where + fmt::format(": core 0x{:x}, oracle 0x{:x}", code, want.code));
    FUZZ_CHECK(env.flags == want.flags, where + fmt::format(": core flags {:#x}, oracle {:#x}", env.flags, want.flags));
  }

  read_back(f, code, value_to_string(f, code), "shortest");
  read_back(f, code, value_to_hex(f, code), "hex");
  if (f.width() <= 16) read_back(f, code, value_to_exact_decimal(f, code), "exact decimal");
  return 0;
}
