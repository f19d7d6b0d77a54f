// The bulk float32 kernel must equal the generic convert() for every result and every flag.
#include <doctest/doctest.h>

#include <bit>
#include <cstring>
#include <random>
#include <vector>

#include "emu/bulk_convert.hpp"
#include "emu/ops.hpp"
#include "formats/catalog.hpp"
#include "formats/spec.hpp"
#include "tests/reduced.hpp"

using namespace bitexact;

namespace {

// Every float32 exponent and sign with the mantissa patterns that stress rounding: the ends,
// halfway points and their neighbours at every target precision, and random fill.
std::vector<float> probe_inputs() {
  std::vector<uint32_t> mant;
  for (uint32_t k = 0; k < 24; ++k) {
    const uint32_t h = 1u << k;
    for (uint32_t d : {h - 1, h, h + 1, 3 * h, 3 * h - 1, 3 * h + 1}) mant.push_back(d & 0x7FFFFF);
    mant.push_back((0x7FFFFF - h + 1) & 0x7FFFFF);
    mant.push_back((0x7FFFFF ^ h) & 0x7FFFFF);
  }
  std::mt19937 rng(12345);
  for (int i = 0; i < 200; ++i) mant.push_back(rng() & 0x7FFFFF);
  std::vector<float> v;
  for (uint32_t s = 0; s < 2; ++s)
    for (uint32_t e = 0; e < 256; ++e)
      for (uint32_t m : mant) v.push_back(std::bit_cast<float>((s << 31) | (e << 23) | m));
  // The reduced sweep (BITEXACT_REDUCED=1, the sanitizer build): every 5th input, so every sign and
  // exponent keeps a fifth of its mantissa patterns (a different fifth per exponent).
  if (bitexact_test::reduced()) {
    std::vector<float> r;
    for (size_t i = 0; i < v.size(); i += 5) r.push_back(v[i]);
    v = r;
  }
  return v;
}

}  // namespace

TEST_CASE("bulk float32 conversion equals the generic path for every <=16-bit format, mode and policy") {
  const std::vector<float> in = probe_inputs();
  const Format& f32 = Catalog::builtin().find("float32")->format;
  const RoundingMode modes[] = {RoundingMode::RNE, RoundingMode::RNA, RoundingMode::RTZ,
                                RoundingMode::RUP, RoundingMode::RDN, RoundingMode::ROD};
  // Every catalogued format of <= 16 bits, plus shapes whose range pokes outside float32's.
  std::vector<Format> targets;
  for (const CatalogEntry& e : Catalog::builtin().entries())
    if (e.format.width() <= 16) targets.push_back(e.format);
  for (const char* spec : {"float<e=8,m=7,bias=128>", "float<e=8,m=7,bias=141>", "float<e=8,m=7,bias=100>",
                           "float<e=6,m=5,bias=40,inf=none,nan=none>", "float<e=5,m=3,subnormals=false>"})
    targets.push_back(parse_format(spec));
  size_t checked = 0, fast_configs = 0;
  for (const Format& to : targets) {
    for (RoundingMode mode : modes)
      for (OverflowPolicy ov : {OverflowPolicy::Ieee, OverflowPolicy::Saturate})
        for (Tininess tin : {Tininess::AfterRounding, Tininess::BeforeRounding}) {
          CAPTURE(to.name);
          CAPTURE(rounding_name(mode));
          CAPTURE(overflow_name(ov));
          Env env;
          env.mode = mode;
          env.overflow = ov;
          env.tininess = tin;
          fast_configs += bulk_fast_path(to, env);
          std::vector<uint16_t> out(in.size());
          Env bulk = env;
          convert_float32_bulk(in.data(), out.data(), in.size(), to, bulk);
          uint8_t all_flags = 0;
          size_t bad = 0;
          for (size_t i = 0; i < in.size(); ++i) {
            Env one = env;
            const uint64_t want = convert(f32, std::bit_cast<uint32_t>(in[i]), to, one);
            all_flags |= one.flags;
            Env single = env;
            uint16_t got1 = 0;
            convert_float32_bulk(&in[i], &got1, 1, to, single);
            if (out[i] != want || got1 != want || single.flags != one.flags) {
              if (bad++ < 3)
                MESSAGE("input ", std::bit_cast<uint32_t>(in[i]), " bulk ", out[i], " single ", got1, " flags ",
                        int(single.flags), " want ", want, " flags ", int(one.flags));
            }
          }
          checked += in.size();
          CHECK(bad == 0);
          CHECK(bulk.flags == all_flags);
        }
  }
  CHECK(fast_configs >= 12 * 11);  // the kernel really is exercised for most formats
  CHECK(checked > bitexact_test::reduce(25'000'000, 5));
  MESSAGE(checked, " conversions", std::string(bitexact_test::reduced() ? " (reduced sweep)" : ""));
}

TEST_CASE("bulk stochastic conversion keys random bits by element index") {
  const Format& to = Catalog::builtin().find("float8_e4m3fn")->format;
  std::vector<float> in(1000);
  for (size_t i = 0; i < in.size(); ++i) in[i] = 1.0f + float(i) / 1024.0f;
  Env env;
  env.mode = RoundingMode::SR;
  env.seed = 7;
  std::vector<uint16_t> whole(in.size()), parts(in.size());
  Env a = env;
  convert_float32_bulk(in.data(), whole.data(), in.size(), to, a);
  Env b = env;
  convert_float32_bulk(in.data(), parts.data(), 333, to, b);
  convert_float32_bulk(in.data() + 333, parts.data() + 333, in.size() - 333, to, b);
  CHECK(whole == parts);
  CHECK(a.index == 1000);
  size_t differ_from_rne = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    Env r;
    differ_from_rne += from_float(to, in[i], r) != whole[i];
  }
  CHECK(differ_from_rne > 50);
}
