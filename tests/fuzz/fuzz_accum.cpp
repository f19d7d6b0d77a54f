// Accumulation model specs (emu/accum/accum_model.hpp): PRESET, KIND<key=value,...>,
// PRESET<...>, as `--accum` and `bitexact dot` read them. Input: "SPEC\nCONTROL". Properties, for
// a spec that parses: print -> parse (accum_model_name and accum_model_spec both read back to an
// equal model); a dot product of picked e4m3 codes under the model completes.
// Allowed errors: FormatError.
#define BITEXACT_FUZZ_WITH_EMU
#include "tests/fuzz/fuzz_common.hpp"

#include <algorithm>
#include <cctype>

#include "emu/accum/accum_model.hpp"
#include "emu/accum/dot.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  const std::string spec(in.text());
  std::string lower = spec;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.find("file") != std::string::npos) return 0;  // codebook<file=PATH> formats read files
  AccumModel m;
  if (!allowed([&] { m = parse_accum_model(spec); })) return 0;
  for (const std::string& printed : {accum_model_name(m), accum_model_spec(m)}) {
    AccumModel n;
    FUZZ_CHECK(allowed([&] { n = parse_accum_model(printed); }), "'" + spec + "' prints as '" + printed + "' which does not parse");
    FUZZ_CHECK(n == m, "'" + spec + "' -> '" + printed + "' reads back another model");
  }
  // A dot product of up to 16 picked code pairs (operand formats e4m3 and bf16, an addend).
  static const Format fa = parse_format("e4m3"), fb = parse_format("bf16");
  const size_t k = 1 + in.pick(16);
  std::vector<uint64_t> a(k), b(k);
  for (size_t i = 0; i < k; ++i) {
    a[i] = in.u8();
    b[i] = in.u64() & 0xffff;
  }
  const uint64_t c = in.u64() & m.out_format.facts.code_mask;
  Env env = pick_env(in);
  uint64_t r = 0;
  if (!allowed([&] { r = dot(m, fa, a, fb, b, c, in.u8() & 1, env); })) return 0;
  FUZZ_CHECK((r & ~m.out_format.facts.code_mask) == 0, "dot result wider than the output format");
  return 0;
}
