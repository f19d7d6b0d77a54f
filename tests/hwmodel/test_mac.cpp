// The MAC / dot-product unit: configuration, timing, bit-exactness with the core's dot products.
#include <doctest/doctest.h>

#include <stdexcept>

#include "formats/error.hpp"
#include "hwmodel/mac/config.hpp"

using namespace bitexact;
using namespace bitexact::hw;

TEST_CASE("mac config: defaults, spec round trip, timing and errors") {
  const MacConfig d;
  CHECK(d.lanes == 4);
  CHECK(scheme_name(d.act) == "float16");
  CHECK(accum_model_name(d.accum) == "v100-fp16");
  CHECK(d.accum.k == d.lanes);
  const MacConfig c = parse_mac_config("lanes=8,act=float8_e4m3fn,weight=mxfp4,accum=fused<k=8,acc=24,carry=2>,rows=16,cols=4,pipeline=3");
  CHECK(c.lanes == 8);
  CHECK(c.weight.is_block);
  CHECK(c.accum.k == 8);
  CHECK(c.rows == 16);
  CHECK(c.cols == 4);
  CHECK(parse_mac_config(mac_config_name(c)) == c);
  const UnitTiming t = timing(c);
  CHECK(t.tile_k == 8);
  CHECK(t.cycles_per_op == 1);
  CHECK(t.latency == 3);
  CHECK(t.macs_per_cycle() == 8.0);
  CHECK(array_skew(c) == 15 + 3);
  CHECK(array_skew(parse_mac_config("rows=16,cols=4,feed=broadcast")) == 0);
  CHECK_THROWS_AS(parse_mac_config("lanes=0"), FormatError);
  CHECK_THROWS_AS(parse_mac_config("accum=fp32-pairwise"), FormatError);
  CHECK_THROWS_AS(parse_mac_config("lanes=3,act=mxfp8_e4m3"), FormatError);
  CHECK_THROWS_AS(parse_mac_config("widgets=3"), FormatError);
  try {
    parse_mac_config("lanes=4,accum=fused<k=x>");
    FAIL("no throw");
  } catch (const FormatError& e) {
    CHECK(e.position() >= 15);
  }
  MacConfig bad;
  bad.pipeline = 0;
  CHECK_THROWS_AS(validate(bad), std::invalid_argument);
}

// ---- The DPn unit against the core's dot() ----

#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "emu/accum/dot.hpp"
#include "emu/block/block_quantize.hpp"
#include "emu/block/exact_value.hpp"
#include "emu/round.hpp"
#include "emu/exact_arith.hpp"
#include "formats/codec.hpp"
#include "formats/spec.hpp"
#include "hwmodel/mac/dpn.hpp"
#include "mac_feed.hpp"

namespace {

using bitexact::hw::test::feed_dot;

MacConfig config(int lanes, const char* fmt_a, const char* fmt_b, const char* model, int pipeline = 2) {
  MacConfig c;
  c.lanes = lanes;
  c.act = parse_scheme(fmt_a);
  c.weight = parse_scheme(fmt_b);
  c.accum = parse_accum_model(model);
  c.pipeline = pipeline;
  return c;
}

struct Checked {
  size_t cases = 0, mismatches = 0;
};

// One dot product through the unit and through dot(); returns whether code and flags agree.
bool same_as_dot(Dpn& u, const MacConfig& c, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                 const uint64_t* addend, Env env) {
  const auto r = feed_dot(u, a, b, addend, nullptr, nullptr, env.index);
  env.flags = 0;
  const uint64_t want = dot(c.accum, c.act.format, a, c.weight.format, b, addend ? *addend : 0, addend != nullptr, env);
  const size_t chunks = a.empty() ? 1 : (a.size() + size_t(c.lanes) - 1) / size_t(c.lanes);
  const bool timing_ok = r.valid_cycle == chunks - 1 + size_t(c.pipeline);
  if (getenv("MAC_DEBUG") && !(r.code == want && r.flags == env.flags && timing_ok))
    fprintf(stderr, "a=%llx,%llx b=%llx,%llx c=%llx got %llx/%x want %llx/%x t%d\n", (unsigned long long)a[0],
            (unsigned long long)(a.size() > 1 ? a[1] : 0), (unsigned long long)b[0], (unsigned long long)(b.size() > 1 ? b[1] : 0),
            (unsigned long long)(addend ? *addend : 0), (unsigned long long)r.code, r.flags, (unsigned long long)want, env.flags,
            int(timing_ok));
  return r.code == want && r.flags == env.flags && timing_ok;
}

const char* kFloatModels[] = {
    "v100-fp16<k=2>",  // one fused step per cycle (k = lanes)
    "h100-fp8",        // k = 32: a step spans 16 chunks
    "fused<k=2,acc=13,carry=3,guard=2,sticky=true,align=floor,round=rne,out=float16>",
    "fused<k=1,acc=8,carry=1,promote=2,wide=float16,wide_round=rtz,out=float16>",
    "exact",     // Kulisch register
    "fp32-fma",  // sequential chain (terms engine)
    "fused<k=2,acc=24,norm=final>",  // not a double register: terms engine
};
const char* kIntModels[] = {"exact<out=int32>", "exact", "v100-fp16<k=2>", "fp32-fma"};

// Every operand pair (x, y) of the format as the first product of a DP2 (the other product and the
// addend seeded-random), and as a DP1 single product.
Checked exhaustive_pairs(const char* fmt, const char* model, bool four_bit_quads) {
  Checked ck;
  const Format f = parse_format(fmt);
  const uint64_t n = f.facts.code_mask + 1;
  Env env;
  env.seed = 7;
  std::mt19937_64 rng(0x5eed ^ n);
  MacConfig c2 = config(2, fmt, fmt, model), c1 = config(1, fmt, fmt, model, 1);
  Dpn u2(c2, env), u1(c1, env);
  const Format& out = c2.accum.out_format;
  for (uint64_t x = 0; x < n; ++x)
    for (uint64_t y = 0; y < n; ++y) {
      if (four_bit_quads) {
        // 4-bit formats: every (x, y, p, q), the second product too.
        for (uint64_t p = 0; p < n; ++p)
          for (uint64_t q = 0; q < n; ++q) {
            ++ck.cases;
            if (!same_as_dot(u2, c2, {x, p}, {y, q}, nullptr, env)) ++ck.mismatches;
          }
      } else {
        const std::vector<uint64_t> a{x, rng() & f.facts.code_mask}, b{y, rng() & f.facts.code_mask};
        const uint64_t addend = rng() & out.facts.code_mask;
        ++ck.cases;
        if (!same_as_dot(u2, c2, a, b, (x ^ y) & 1 ? &addend : nullptr, env)) ++ck.mismatches;
      }
      ++ck.cases;
      if (!same_as_dot(u1, c1, {x}, {y}, nullptr, env)) ++ck.mismatches;
    }
  return ck;
}

}  // namespace

TEST_CASE("dpn: hand-worked results and timing") {
  Env env;
  // E4M3 DP4 under v100-fp16<k=4>: 1*1 + 2*2 + 3*3 + 0.5*0.5 = 14.25 exactly (fp32 out).
  const MacConfig c = config(4, "e4m3", "e4m3", "v100-fp16", 3);
  Dpn u(c, env);
  CHECK(std::string(u.engine_name()) == "fused-double");
  const Format e4m3 = parse_format("e4m3");
  auto code = [&](double v) { return round_to_format(e4m3, exact_of(v), env); };
  const std::vector<uint64_t> a{code(1), code(2), code(3), code(0.5)};
  const auto r = feed_dot(u, a, a);
  CHECK(r.code == 0x41640000u);  // 14.25f
  CHECK(r.valid_cycle == 3);     // one chunk, pipeline 3
  // 2^-24 vanishes next to 2^0 in a 24-bit register truncated to the largest exponent (Fasi et al.):
  // 1 + 2^-24 + ... -> 1 under v100-fp16 but 1 + 2^-24 under exact.
  const MacConfig cf = config(2, "float16", "float16", "v100-fp16<k=2>");
  const MacConfig ce = config(2, "float16", "float16", "exact");
  const Format h = parse_format("float16");
  auto hc = [&](double v) { return round_to_format(h, exact_of(v), env); };
  Dpn uf(cf, env), ue(ce, env);
  CHECK(std::string(ue.engine_name()) == "kulisch");
  const std::vector<uint64_t> x{hc(1), hc(0x1p-12)}, y{hc(1), hc(0x1p-12)};
  const uint64_t c24 = 0x33800000u;  // fp32 2^-24 as the addend: exactly 1 + 2^-23 in all
  CHECK(feed_dot(uf, x, y, &c24).code == 0x3f800000u);
  CHECK(feed_dot(ue, x, y, &c24).code == 0x3f800001u);
}

TEST_CASE("dpn: every operand pair of the 8-bit formats and every DP2 operand quadruple of the 4-bit formats equal dot()") {
  size_t total = 0;
  for (const char* fmt : {"float8_e4m3fn", "float8_e5m2", "float4_e2m1fn"})
    for (const char* model : kFloatModels) {
      const Checked ck = exhaustive_pairs(fmt, model, std::string(fmt) == "float4_e2m1fn");
      const std::string what = std::string(fmt) + " " + model;
      INFO(what);
      CHECK(ck.mismatches == 0);
      total += ck.cases;
    }
  for (const char* fmt : {"int8", "int4"})
    for (const char* model : kIntModels) {
      const Checked ck = exhaustive_pairs(fmt, model, std::string(fmt) == "int4");
      const std::string what = std::string(fmt) + " " + model;
      INFO(what);
      CHECK(ck.mismatches == 0);
      total += ck.cases;
    }
  MESSAGE("dot products compared: " << total);
}
