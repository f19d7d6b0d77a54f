// User codebook files (formats/codebook.hpp). Input: "FILE TEXT\0CONTROL". Properties, for a file
// that parses: the table format's codes decode -> encode to the same value (every code of tables
// up to 8 bits, picked codes beyond); conversion of picked codes out of the codebook into a picked
// format, and of picked codes of that format into the codebook, equal the oracle (code and flags).
// Allowed errors: FormatError (FormatFileError).
#define BITEXACT_FUZZ_WITH_EMU
#include "tests/fuzz/fuzz_common.hpp"

#include <memory>

#include "emu/ops.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/codebook.hpp"
#include "formats/value_table.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;

namespace {

void check_convert(const Format& from, uint64_t c, const Format& to, const Env& env) {
  Env core_env = env;
  const uint64_t got = convert(from, c, to, core_env);
  const reference::OracleResult want = reference::oracle_convert(from, c, to, env, oracle_method(to));
  const std::string where =
      fmt::format("convert {} 0x{:x} to {} under {}", spec_string(from), c, spec_string(to), env_name(env));
  FUZZ_CHECK(got == want.code, where + fmt::format(": core 0x{:x}, oracle 0x{:x}", got, want.code));
  FUZZ_CHECK(core_env.flags == want.flags, where + fmt::format(": core flags {:#x}, oracle {:#x}", core_env.flags, want.flags));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size, '\0');
  std::shared_ptr<ValueTable> table;
  if (!allowed([&] { table = std::make_shared<ValueTable>(parse_codebook(in.text(), "fuzz.cb")); })) return 0;
  const Format f = make_table_format("", "codebook<file=fuzz.cb>", table);
  FUZZ_CHECK(f.width() == table->width() && f.width() >= 1 && f.width() <= 16, "table width out of 1..16");
  (void)table->values_string();
  if (f.width() <= 8) {
    for (uint64_t c = 0; c <= f.facts.code_mask; ++c) check_code_round_trip(f, c);
  } else {
    for (int i = 0; i < 64; ++i) check_code_round_trip(f, in.u64() & f.facts.code_mask);
  }
  const Format& other = pick_format(in);
  for (int i = 0; i < 4; ++i) {
    check_convert(f, in.u64() & f.facts.code_mask, other, pick_env(in));
    check_convert(other, in.u64() & other.facts.code_mask, f, pick_env(in));
  }
  return 0;
}
