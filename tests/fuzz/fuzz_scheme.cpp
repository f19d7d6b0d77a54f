// Quantization scheme specs (emu/scheme.hpp): scalar formats and block-scaled composites (MX,
// NVFP4, BFP, group-wise INT), as `bitexact error --scheme` reads them. Input: "SPEC\nCONTROL".
// Properties, for a spec that parses: print -> parse (scheme_name reads back to the same name and
// bits per value); fake_quantize of a few picked values completes with finite or NaN/inf outputs
// only where the input was. Allowed errors: FormatError.
#define BITEXACT_FUZZ_WITH_EMU
#include "tests/fuzz/fuzz_common.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>

#include "emu/scheme.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  const std::string spec(in.text());
  std::string lower = spec;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.find("file") != std::string::npos) return 0;  // codebook<file=PATH> formats read files
  Scheme s;
  if (!allowed([&] { s = parse_scheme(spec); })) return 0;
  const std::string printed = scheme_name(s);
  Scheme t;
  FUZZ_CHECK(allowed([&] { t = parse_scheme(printed); }), "'" + spec + "' prints as '" + printed + "' which does not parse");
  FUZZ_CHECK(scheme_name(t) == printed, "'" + spec + "' -> '" + printed + "' -> '" + scheme_name(t) + "'");
  FUZZ_CHECK(t.is_block == s.is_block && bits_per_value(t) == bits_per_value(s), "'" + spec + "' -> '" + printed + "' differs");
  (void)scheme_family(s);

  // Quantize a short tensor of picked doubles (two blocks of the scheme, at most 256 values).
  const size_t block = std::max<size_t>(1, scheme_block_size(s));
  const size_t n = std::min<size_t>(256, 2 * block);
  std::vector<double> x(n), y(n);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t k = in.u8();
    x[i] = k < 8 ? std::bit_cast<double>(in.u64()) : std::ldexp(double(int8_t(k)), int(in.u8() % 64) - 32);
  }
  Env env = pick_env(in);
  (void)allowed([&] { fake_quantize(s, x, y, env, nullptr, 1); });
  return 0;
}
