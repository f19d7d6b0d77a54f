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
  CHECK_THROWS_WITH_AS(parse_mac_config("lanes=0"), doctest::Contains("(at character 1 of 'lanes=0')"), FormatError);
  CHECK_THROWS_AS(parse_mac_config("accum=fp32-pairwise"), FormatError);
  CHECK_THROWS_AS(parse_mac_config("lanes=3,act=mxfp8_e4m3"), FormatError);
  CHECK_THROWS_AS(parse_mac_config("widgets=3"), FormatError);
  CHECK_THROWS_WITH_AS(parse_mac_config("rows=2,feed=ring"),
                       "bad mac config: feed is systolic or broadcast (at character 13 of 'rows=2,feed=ring')", FormatError);
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

void dump(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  fprintf(stderr, "A=");
  for (auto x : a) fprintf(stderr, "%llx ", (unsigned long long)x);
  fprintf(stderr, "\nB=");
  for (auto x : b) fprintf(stderr, "%llx ", (unsigned long long)x);
  fprintf(stderr, "\n");
}

// One dot product through the unit and through dot(); returns whether code and flags agree.
bool same_as_dot(Dpn& u, const MacConfig& c, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                 const uint64_t* addend, Env env) {
  const auto r = feed_dot(u, a, b, addend, nullptr, nullptr, env.index);
  env.flags = 0;
  const uint64_t want = dot(c.accum, c.act.format, a, c.weight.format, b, addend ? *addend : 0, addend != nullptr, env);
  const size_t chunks = a.empty() ? 1 : (a.size() + size_t(c.lanes) - 1) / size_t(c.lanes);
  const bool timing_ok = r.valid_cycle == chunks - 1 + size_t(c.pipeline);
  if (getenv("MAC_DEBUG") && !(r.code == want && r.flags == env.flags && timing_ok))
    fprintf(stderr, "%s K=%zu\n", mac_config_name(c).c_str(), a.size()), dump(a, b), fprintf(stderr, "a=%llx,%llx b=%llx,%llx c=%llx got %llx/%x want %llx/%x t%d\n", (unsigned long long)a[0],
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

// ---- Seeded-random dot products beyond the exhaustive shapes ----

#include "emu/block/block_format.hpp"
#include "hwmodel/gemm_runner.hpp"
#include "hwmodel/layers.hpp"
#include "hwmodel/mac/array.hpp"

namespace {

uint64_t random_code(std::mt19937_64& rng, const Format& f) { return rng() & f.facts.code_mask; }

// The exact value of an MX element times its E8M0 scale, through the core's decode (independent of
// the unit's tables): element value * 2^(scale - 127).
Exact mx_value(const BlockFormat& b, uint64_t code, uint64_t scale) {
  if (scale == 0xFF) return Exact::nan();
  if (b.int_element) {
    const int64_t v = int64_t((code ^ (uint64_t{1} << (b.int_bits - 1))) & ((uint64_t{1} << b.int_bits) - 1)) -
                      (int64_t{1} << (b.int_bits - 1));
    if (v == 0) return Exact::zero(false);
    return Exact::finite(v < 0, u128(uint64_t(v < 0 ? -v : v)), -b.int_frac + int(scale) - 127);
  }
  Exact x = Exact::from(decode(b.element, code));
  if (x.cls == ValueClass::Finite) x.exponent += int(scale) - 127;
  return x;
}

Exact times(const Exact& x, const Exact& y) {
  if (x.cls == ValueClass::NaN || y.cls == ValueClass::NaN) return Exact::nan();
  const bool s = x.sign != y.sign;
  if ((x.cls == ValueClass::Inf && y.cls == ValueClass::Zero) || (x.cls == ValueClass::Zero && y.cls == ValueClass::Inf))
    return Exact::nan();
  if (x.cls == ValueClass::Inf || y.cls == ValueClass::Inf) return Exact::inf(s);
  if (x.cls == ValueClass::Zero || y.cls == ValueClass::Zero) return Exact::zero(s);
  return Exact::finite(s, x.significand * y.significand, x.exponent + y.exponent);  // small significands
}

}  // namespace

TEST_CASE("dpn: seeded-random DP4 / DP8 / DP16 dot products of every length equal dot() (several models)") {
  const char* models[] = {"v100-fp16", "a100-fp16", "h100-fp8", "deepseek-v3", "exact", "fp32-fma", "fp32-seq",
                          "fused<k=16,acc=30,guard=3,sticky=true,align=floor,round=rne>", "fused<k=4,product=lmul>",
                          "fused<k=8,acc=24,addend=false>", "fp16-fma", "bf16-seq"};
  const char* fmts[][2] = {{"e4m3", "e4m3"}, {"e5m2", "e4m3"}, {"float16", "float16"}, {"bfloat16", "bfloat16"},
                           {"e2m1", "e2m3"}, {"e3m2", "e2m1"}};
  std::mt19937_64 rng(42);
  size_t cases = 0, bad = 0;
  for (int lanes : {4, 8, 16})
    for (const char* model : models)
      for (const auto& fp : fmts) {
        const MacConfig c = config(lanes, fp[0], fp[1], model, 1 + int(rng() % 4));
        Env env;
        env.seed = 3;
        Dpn u(c, env);
        const Format &fa = c.act.format, &fb = c.weight.format;
        for (int rep = 0; rep < 40; ++rep) {
          const size_t K = 1 + rng() % 300;
          std::vector<uint64_t> a(K), b(K);
          for (size_t i = 0; i < K; ++i) {
            a[i] = random_code(rng, fa);
            b[i] = random_code(rng, fb);
          }
          const uint64_t addend = random_code(rng, c.accum.out_format);
          env.index = rng();
          ++cases;
          if (!same_as_dot(u, c, a, b, rep % 3 ? &addend : nullptr, env)) ++bad;
        }
      }
  CHECK(bad == 0);
  MESSAGE("random dot products: " << cases);
}

TEST_CASE("dpn: stochastic output rounding draws as dot() with the same index") {
  const MacConfig c = config(4, "e4m3", "e4m3", "fused<k=4,acc=24,out=bfloat16,out_round=sr>");
  std::mt19937_64 rng(9);
  Env env;
  env.seed = 11;
  Dpn u(c, env);
  size_t bad = 0;
  for (int rep = 0; rep < 300; ++rep) {
    std::vector<uint64_t> a(37), b(37);
    for (auto& x : a) x = rng() & 0x77;
    for (auto& x : b) x = rng() & 0x77;
    env.index = rng();
    if (!same_as_dot(u, c, a, b, nullptr, env)) ++bad;
  }
  CHECK(bad == 0);
}

TEST_CASE("dpn: MX block inputs, scales applied in the unit, equal dot_terms of the scaled products") {
  std::mt19937_64 rng(5);
  size_t cases = 0, bad = 0;
  const char* schemes[][2] = {{"mxfp8_e4m3", "mxfp8_e4m3"}, {"mxfp4", "mxfp4"}, {"mxfp6_e3m2", "mxfp8_e5m2"},
                              {"mxint8", "mxfp4"}, {"mxfp8_e4m3", "float8_e4m3fn"}};
  for (int lanes : {4, 32, 64})
    for (const char* model : {"h100-fp8", "v100-fp16", "exact", "fp32-fma", "deepseek-v3"})
      for (const auto& sp : schemes) {
        const MacConfig c = config(lanes, sp[0], sp[1], model);
        Env env;
        Dpn u(c, env);
        for (int rep = 0; rep < 20; ++rep) {
          const size_t K = 32 * (1 + rng() % 4);
          std::vector<uint64_t> a(K), b(K), sa(K / 32), sb(K / 32);
          auto fill = [&](const Scheme& s, std::vector<uint64_t>& v, std::vector<uint64_t>& sc) {
            const int bits = s.is_block ? (s.block.int_element ? s.block.int_bits : s.block.element.width())
                                        : s.format.width();
            for (auto& x : v) x = rng() & ((uint64_t{1} << bits) - 1);
            for (auto& x : sc) x = 115 + rng() % 25;
            if (rng() % 10 == 0) sc[0] = 0xFF;  // a NaN scale now and then
          };
          fill(c.act, a, sa);
          fill(c.weight, b, sb);
          const auto r = feed_dot(u, a, b, nullptr, &sa, &sb);
          std::vector<Exact> p(K);
          for (size_t i = 0; i < K; ++i) {
            const Exact x = c.act.is_block ? mx_value(c.act.block, a[i], sa[i / 32])
                                           : Exact::from(decode(c.act.format, a[i]));
            const Exact y = c.weight.is_block ? mx_value(c.weight.block, b[i], sb[i / 32])
                                              : Exact::from(decode(c.weight.format, b[i]));
            p[i] = times(x, y);
          }
          Env e2;
          const uint64_t want = dot_terms(c.accum, p, nullptr, e2);
          ++cases;
          if (r.code != want) {
            ++bad;
            if (getenv("MAC_DEBUG")) fprintf(stderr, "MX %s K=%zu\n", mac_config_name(c).c_str(), K);
          }
        }
      }
  CHECK(bad == 0);
  MESSAGE("MX dot products: " << cases);
}

TEST_CASE("dpn: MX scales after the sum (each block's sum rounded, scaled, added) differ from before, as worked") {
  // Block 1: 32 products 1 x 1 at scales 2^-30 each side... here only A is scaled: 2^-30, B at 2^0.
  // Block 2: 32 products 1 x 1 at scale 1. fused<k=32,acc=24> (truncation to 24 bits), float64 out.
  MacConfig c = config(32, "mxfp8_e4m3", "mxfp8_e4m3", "fused<k=32,acc=24,carry=2,out=float64>");
  Env env;
  const uint64_t one = 0x38;  // e4m3 1.0
  std::vector<uint64_t> a(64, one), b(64, one), sa{127 - 30, 127}, sb{127, 127};
  Dpn before(c, env);
  // Before: the register holds 32 * 2^-30 = 2^-25 after block 1; block 2 aligns it to 2^5 on a
  // 24-bit grid (LSB 2^-18): lost. Result 32.
  CHECK(feed_dot(before, a, b, nullptr, &sa, &sb).code == 0x4040000000000000ull);
  c.accum.scales = ScaleApply::After;
  Dpn after(c, env);
  // After: block sums 32 and 32, scaled: 2^-25 + 32 added exactly then rounded once to float64.
  CHECK(feed_dot(after, a, b, nullptr, &sa, &sb).code == 0x4040000000400000ull);
}

// ---- The array and the GEMM runner ----

namespace {

MacOperand random_operand(const Scheme& s, size_t rows, size_t k, std::mt19937_64& rng) {
  MacOperand o;
  o.scheme = s;
  o.rows = rows;
  o.k = k;
  const int bits = s.is_block ? (s.block.int_element ? s.block.int_bits : s.block.element.width()) : s.format.width();
  o.codes.resize(rows * k);
  for (auto& x : o.codes) x = rng() & ((uint64_t{1} << bits) - 1);
  if (s.is_block) {
    o.scales.resize(rows * k / s.block.block);
    for (auto& x : o.scales) x = 120 + rng() % 14;
  }
  return o;
}

}  // namespace

TEST_CASE("mac array: GEMMs through the clocked array equal dot() per element, cycles equal the runner's closed form") {
  std::mt19937_64 rng(77);
  struct Case {
    const char* cfg;
    size_t M, N, K;
  };
  const Case cases[] = {
      {"lanes=4,act=e4m3,weight=e4m3,accum=v100-fp16,rows=4,cols=4,pipeline=2", 8, 8, 32},
      {"lanes=4,act=e4m3,weight=e4m3,accum=v100-fp16,rows=4,cols=3,pipeline=3", 10, 7, 19},   // edge tiles, K padding
      {"lanes=8,act=e5m2,weight=e4m3,accum=h100-fp8,rows=3,cols=5,pipeline=1,feed=broadcast", 7, 11, 70},
      {"lanes=2,act=int8,weight=int4,accum=exact<out=int32>,rows=2,cols=2,pipeline=2", 5, 3, 9},
      {"lanes=16,act=float16,weight=float16,accum=fp32-fma,rows=2,cols=4,pipeline=4", 3, 9, 40},
      {"lanes=1,act=bfloat16,weight=bfloat16,accum=deepseek-v3,rows=1,cols=1,pipeline=1", 2, 3, 300},
  };
  for (const Case& k : cases) {
    INFO(k.cfg);
    const MacConfig cfg = parse_mac_config(k.cfg);
    const MacOperand a = random_operand(cfg.act, k.M, k.K, rng), b = random_operand(cfg.weight, k.N, k.K, rng);
    std::vector<uint64_t> c(k.M * k.N);
    for (auto& x : c) x = rng() & cfg.accum.out_format.facts.code_mask & 0x3FFFFFFF;
    std::vector<uint64_t> out1(k.M * k.N), out3(k.M * k.N);
    Env env;
    const MacGemmStats s1 = run_gemm(cfg, a, b, c, out1, env, 1);
    Env env3;
    const MacGemmStats s3 = run_gemm(cfg, a, b, c, out3, env3, 3);
    CHECK(out1 == out3);
    CHECK(s1.cycles == s3.cycles);
    CHECK(env.flags == env3.flags);
    size_t bad = 0;
    for (size_t i = 0; i < k.M; ++i)
      for (size_t j = 0; j < k.N; ++j) {
        Env e;
        e.index = uint64_t(i * k.N + j) << 32;
        const std::vector<uint64_t> ar(a.codes.begin() + long(i * k.K), a.codes.begin() + long((i + 1) * k.K));
        const std::vector<uint64_t> br(b.codes.begin() + long(j * k.K), b.codes.begin() + long((j + 1) * k.K));
        if (dot(cfg.accum, cfg.act.format, ar, cfg.weight.format, br, c[i * k.N + j], true, e) != out1[i * k.N + j]) ++bad;
      }
    CHECK(bad == 0);
    const GemmEstimate est = estimate_gemm(array_spec(cfg), GemmShape{k.M, k.N, k.K});
    CHECK(est.cycles == s1.cycles);
    CHECK(est.tiles == s1.tiles);
  }
}

TEST_CASE("gemm runner: closed-form laws on hand-worked shapes") {
  // 16x16 array of DP4 (1 cycle per op, latency 2, systolic), 64 x 64 x 64: 16 tiles x 16 ops,
  // cycles = 255 + 2 + 30 = 287; peak 1024 MACs/cycle.
  ArraySpec dp4{UnitTiming{1, 1, 4, 1, 2}, 16, 16, true};
  GemmEstimate e = estimate_gemm(dp4, {64, 64, 64});
  CHECK(e.tiles == 16);
  CHECK(e.ops == 256);
  CHECK(e.cycles == 287);
  CHECK(e.peak_macs_per_cycle == 1024);
  CHECK(e.macs_per_cycle == doctest::Approx(262144.0 / 287));
  CHECK(e.tile_utilization == 1.0);
  // Edge tiles: 17 x 16 x 4 -> 2 row tiles, the second using 1 row: skew 0 + 15.
  e = estimate_gemm(dp4, {17, 16, 4});
  CHECK(e.tiles == 2);
  CHECK(e.cycles == 1 + 2 + 15);
  CHECK(e.tile_utilization == doctest::Approx(17.0 / 32.0));
  // LUT tile M2N64K4 at W_BIT = 2 (hardware.md §1.6): M*N*K / W_BIT = 256 MACs per cycle; a
  // 2 x 64 x 4096 GEMV-like tile: 1024 ops of 2 cycles.
  ArraySpec lut{UnitTiming{2, 64, 4, 2, 3}, 1, 1, false};
  CHECK(lut.unit.macs_per_cycle() == 256);
  e = estimate_gemm(lut, {2, 64, 4096});
  CHECK(e.ops == 1024);
  CHECK(e.cycles == 1023 * 2 + 3);
  // Bit-serial, L = 8 lanes, 4-bit weights at 2 bits per cycle: L / ceil(4/2) = 4 MACs per cycle.
  ArraySpec bs{UnitTiming{1, 1, 8, 2, 2}, 1, 1, false};
  CHECK(bs.unit.macs_per_cycle() == 4);
  e = estimate_gemm(bs, {1, 1, 800});
  CHECK(e.cycles == 99 * 2 + 2);
  // Traffic: A panel 16 x 64 bytes fits, B (64 x 64) fits: DRAM reads each once; SRAM reads A per tile column.
  e = estimate_gemm(dp4, {64, 64, 64}, MemorySpec{8, 8, 32, 4096, 4096, false});
  CHECK(e.sram_a_reads == 4.0 * 64 * 64);
  CHECK(e.dram_a == 64.0 * 64);
  CHECK(e.dram_b == 64.0 * 64);
  CHECK(e.dram_bytes == 4096 + 4096 + 64 * 64 * 4);
  e = estimate_gemm(dp4, {64, 64, 64}, MemorySpec{8, 8, 32, 512, 1024, false});
  CHECK_FALSE(e.a_panel_fits);
  CHECK(e.dram_a == 4.0 * 64 * 64);
  CHECK(e.dram_b == 4.0 * 64 * 64);
  CHECK_THROWS_AS(estimate_gemm(dp4, {0, 1, 1}), std::invalid_argument);
}

TEST_CASE("layer presets: Llama-2-7B and BitNet b1.58 3B projections") {
  const ModelPreset& l = model_preset("llama2-7b");
  CHECK(l.blocks == 32);
  CHECK(l.layers.size() == 7);
  CHECK(l.layers[4].N == 11008);
  CHECK(l.layers[6].K == 11008);
  const ModelPreset& b = model_preset("bitnet-b1.58-3b");
  CHECK(b.layers[0].K == 3200);
  CHECK(b.layers[5].N == 8640);
  CHECK(b.layers[0].weight_bits == 2);
  CHECK_THROWS_AS(model_preset("gpt-5"), std::invalid_argument);
  const GemmShape g = layer_gemm(l.layers[0], 2048);
  CHECK(g.M == 2048);
  const GemmEstimate e = estimate_gemm(ArraySpec{UnitTiming{1, 1, 4, 1, 2}, 16, 16, true}, g);
  CHECK(e.tiles == 128 * 256);
}

TEST_CASE("dpn: an addend that overflows the wide promotion format stays infinite (SEMANTICS: W starts as round_wide(c))") {
  // bfloat16 addend -2^20 rounded into a float16 wide accumulator overflows to -inf; the products
  // (1 x 1) cannot bring it back. emu_accum checks dot() on the same case.
  const MacConfig c = config(2, "e4m3", "e4m3", "fused<k=1,acc=8,carry=1,promote=2,wide=float16,out=bfloat16>");
  Env env;
  Dpn u(c, env);
  const uint64_t minus_2p20 = 0xC980;  // bfloat16 -2^20
  const auto r = feed_dot(u, {0x38, 0x38}, {0x38, 0x38}, &minus_2p20);
  CHECK(r.code == 0xFF80);  // bfloat16 -inf
  CHECK((r.flags & flag::overflow) != 0);
}

TEST_CASE("mac array: MX block GEMMs (scales fed beside the chunks) equal the scaled products summed by the core") {
  std::mt19937_64 rng(91);
  for (const char* spec : {"lanes=8,act=mxfp8_e4m3,weight=mxfp4,accum=h100-fp8,rows=3,cols=2,pipeline=2",
                           "lanes=64,act=mxfp6_e2m3,weight=mxfp8_e5m2,accum=deepseek-v3,rows=2,cols=2,pipeline=1",
                           "lanes=32,act=mxint8,weight=mxfp4,accum=exact,rows=2,cols=3,pipeline=3,feed=broadcast"}) {
    INFO(spec);
    const MacConfig cfg = parse_mac_config(spec);
    const size_t M = 5, N = 4, K = 128;
    const MacOperand a = random_operand(cfg.act, M, K, rng), b = random_operand(cfg.weight, N, K, rng);
    std::vector<uint64_t> out(M * N);
    Env env;
    const MacGemmStats st = run_gemm(cfg, a, b, {}, out, env, 2);
    size_t bad = 0;
    for (size_t i = 0; i < M; ++i)
      for (size_t j = 0; j < N; ++j) {
        std::vector<Exact> p(K);
        for (size_t t = 0; t < K; ++t)
          p[t] = times(mx_value(cfg.act.block, a.codes[i * K + t], a.scales[i * (K / 32) + t / 32]),
                       mx_value(cfg.weight.block, b.codes[j * K + t], b.scales[j * (K / 32) + t / 32]));
        Env e;
        if (dot_terms(cfg.accum, p, nullptr, e) != out[i * N + j]) ++bad;
      }
    CHECK(bad == 0);
    CHECK(st.cycles == estimate_gemm(array_spec(cfg), GemmShape{M, N, K}).cycles);
  }
}

#include "emu/gemm.hpp"

TEST_CASE("mac array: GEMMs equal the emulated GEMM (emu/gemm.hpp) element for element") {
  std::mt19937_64 rng(123);
  for (const char* spec : {"lanes=4,act=e4m3,weight=e4m3,accum=v100-fp16,rows=4,cols=4",
                           "lanes=32,act=e5m2,weight=e4m3,accum=deepseek-v3,rows=2,cols=8,pipeline=3",
                           "lanes=8,act=bfloat16,weight=bfloat16,accum=fp32-fma,rows=3,cols=3,feed=broadcast",
                           "lanes=16,act=int8,weight=int4,accum=exact<out=int32>,rows=4,cols=2"}) {
    INFO(spec);
    const MacConfig cfg = parse_mac_config(spec);
    const size_t M = 19, N = 13, K = 160;
    const MacOperand a = random_operand(cfg.act, M, K, rng), b = random_operand(cfg.weight, N, K, rng);
    std::vector<uint64_t> out(M * N), want(M * N);
    Env env, env2;
    run_gemm(cfg, a, b, {}, out, env, 2);
    gemm(cfg.accum, gemm_operand(cfg.act.format, a.codes, M, K, false), gemm_operand(cfg.weight.format, b.codes, N, K, false),
         {}, want, env2, 2);
    CHECK(out == want);
    CHECK(env.flags == env2.flags);
  }
}

TEST_CASE("dpn: the exact register's double partial sums flush into the Kulisch register (E4M3: every 2^17 - 1 products)") {
  const MacConfig c = config(64, "e4m3", "e4m3", "exact");
  std::mt19937_64 rng(17);
  Env env;
  Dpn u(c, env);
  const size_t K = 140000;  // one flush at 131071 products, the rest at the end
  std::vector<uint64_t> a(K), b(K);
  for (size_t i = 0; i < K; ++i) {
    a[i] = rng() & 0xFE;  // finite codes
    b[i] = rng() & 0xFE;
  }
  CHECK(same_as_dot(u, c, a, b, nullptr, env));
  // All products at the largest magnitude: 448 * 448 * K exceeds 2^53 / 2^-18 grid without the flush.
  std::vector<uint64_t> big(K, 0x7E);
  CHECK(same_as_dot(u, c, big, big, nullptr, env));
}

TEST_CASE("dpn: back-to-back dot products, one chunk per cycle, each result exactly `pipeline` cycles after its last chunk") {
  const MacConfig c = config(4, "int8", "int8", "exact<out=int32>", 3);
  Env env;
  Dpn u(c, env);
  // Dot products of 2, 1 and 3 chunks fed without gaps: last chunks at cycles 1, 2 and 5.
  const int chunks[] = {2, 1, 3};
  std::vector<uint64_t> ones(4, 1), twos(4, 2);
  std::vector<std::pair<uint64_t, uint64_t>> got;  // (cycle, value)
  uint64_t cyc = 0;
  auto record = [&](const DpnOutputs& o) {
    if (o.valid) got.emplace_back(cyc, o.code);
    ++cyc;
  };
  for (int d = 0; d < 3; ++d)
    for (int s = 0; s < chunks[d]; ++s) {
      DpnInputs in;
      in.valid = true;
      in.first = s == 0;
      in.last = s + 1 == chunks[d];
      in.a = ones.data();
      in.b = d == 1 ? twos.data() : ones.data();
      record(u.step(in));
    }
  for (int t = 0; t < 5; ++t) record(u.step(DpnInputs{}));
  REQUIRE(got.size() == 3);
  CHECK(got[0] == std::pair<uint64_t, uint64_t>{1 + 3, 8});   // 2 chunks of 4 ones
  CHECK(got[1] == std::pair<uint64_t, uint64_t>{2 + 3, 8});   // 4 products 1 x 2
  CHECK(got[2] == std::pair<uint64_t, uint64_t>{5 + 3, 12});  // 3 chunks
  // A chunk without a dot product started is a protocol error.
  Dpn v(c, env);
  DpnInputs bad;
  bad.valid = true;
  bad.a = ones.data();
  bad.b = ones.data();
  CHECK_THROWS_AS(v.step(bad), std::logic_error);
}
