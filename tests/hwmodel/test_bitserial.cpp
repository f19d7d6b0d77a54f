// The bit-serial unit: configuration, timing, the weight decompositions (every code of every
// supported weight format), and the PE / array bit-exact with the core's dot products.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include <bit>
#include <tuple>
#include <cmath>
#include <random>

#include "emu/accum/dot.hpp"
#include "emu/gemm.hpp"
#include "emu/accum/kulisch.hpp"
#include "emu/exact_arith.hpp"
#include "formats/codec.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/bitserial/cost_input.hpp"
#include "hwmodel/bitserial/array.hpp"
#include "hwmodel/bitserial/decompose.hpp"
#include "hwmodel/bitserial/pe.hpp"

using namespace bitexact;
using namespace bitexact::hw;

namespace {

// Every weight format the PE streams, with the encodings that apply.
const std::vector<std::string> kIntWeights = {"int2", "int3", "int4", "int5", "int6", "int7", "int8",
                                              "uint2", "uint3", "uint4", "uint5", "uint6", "uint7", "uint8"};
const std::vector<std::string> kTermWeights = {
    "float4_e2m1fn", "float6_e2m3fn", "float6_e3m2fn", "bitmod_fp3", "bitmod_fp3_er_pos", "bitmod_fp3_er_neg",
    "bitmod_fp3_ea_pos", "bitmod_fp3_ea_neg", "bitmod<bits=4>", "bitmod_fp4_er_pos", "bitmod_fp4_er_neg",
    "bitmod_fp4_ea_pos", "bitmod_fp4_ea_neg", "int4", "int8", "uint4"};

// The weight's value as a double (exact for these formats).
double value(const Format& f, uint64_t c) { return to_double(decode(f, c)); }

double reconstruct(const WeightDigits& wd, uint64_t code) {
  double s = 0;
  for (int j = 0; j < wd.cycles; ++j) {
    const SerialDigit d = wd.digits[code * size_t(wd.cycles) + size_t(j)];
    s += double(d.digit) * std::ldexp(1.0, d.shift + wd.lsb);
  }
  return s;
}

}  // namespace

TEST_CASE("bitserial config: defaults, spec round trip, timing and errors") {
  const BitSerialConfig d;
  CHECK(d.lanes == 4);
  CHECK(d.bits_per_cycle == 2);
  CHECK(d.act.name == "float16");
  CHECK(d.weight.name == "int8");
  CHECK(d.encoding == SerialEncoding::Booth4);
  CHECK(accum_model_name(d.accum) == "exact");
  CHECK(timing(d).cycles_per_op == 4);  // BitMoD: INT8 in 4 cycles
  CHECK(timing(d).latency == 5);
  CHECK(timing(d).macs_per_cycle() == 1.0);
  const BitSerialConfig c = parse_bitserial_config("lanes=8,act=float8_e4m3fn,weight=bitmod_fp4_er_pos,rows=16,cols=4");
  CHECK(c.encoding == SerialEncoding::Terms);
  CHECK(timing(c).cycles_per_op == 2);  // BitMoD: FP4 in 2 cycles
  CHECK(timing(c).tile_k == 8);
  CHECK(parse_bitserial_config(bitserial_config_name(c)) == c);
  CHECK(parse_bitserial_config("bits=1,weight=int4").encoding == SerialEncoding::BitPlane);
  CHECK(timing(parse_bitserial_config("bits=1,weight=int4")).cycles_per_op == 4);
  CHECK(timing(parse_bitserial_config("weight=int6")).cycles_per_op == 3);  // BitMoD: INT6 in 3 cycles
  CHECK(timing(parse_bitserial_config("weight=bitmod_fp3")).cycles_per_op == 1);
  CHECK(timing(parse_bitserial_config("weight=bitmod_fp3_er_pos")).cycles_per_op == 2);
  CHECK(timing(parse_bitserial_config("weight=int8,accum=exact<out=int32>,act=int8")).cycles_per_op == 4);
  CHECK_THROWS_AS(parse_bitserial_config("lanes=0"), FormatError);
  CHECK_THROWS_WITH_AS(parse_bitserial_config("encoding=csd"),
                       "bad bitserial config: encoding is bitplane, booth4 or terms (at character 10 of 'encoding=csd')",
                       FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("accum=fp32-pairwise"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("accum=fp32-seq"), FormatError);  // product rounded
  CHECK_THROWS_AS(parse_bitserial_config("weight=float4_e2m1fn,encoding=booth4"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("weight=float8_e4m3fn"), FormatError);  // NaN codes
  CHECK_THROWS_AS(parse_bitserial_config("weight=int16"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("act=float32"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("bits=1,weight=int4,encoding=booth4"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("widgets=3"), FormatError);
}

TEST_CASE("bitserial decompositions: hand-worked digits") {
  // int4 -3 = 1101b: planes 1, 0, 1, -1 (the MSB plane weighs -8): 1 + 4 - 8 = -3.
  const auto p = bit_planes(-3, 4, true);
  REQUIRE(p.size() == 4);
  CHECK(p[0].digit == 1);
  CHECK(p[1].digit == 0);
  CHECK(p[2].digit == 1);
  CHECK(p[3].digit == -1);
  // int8 -128 = 1000 0000b: Booth digits 0, 0, 0, -2 (x 4^3 = -128).
  const auto b = booth4_digits(-128, 8, true);
  REQUIRE(b.size() == 4);
  CHECK(b[3].digit == -2);
  CHECK(b[3].shift == 6);
  CHECK((b[0].digit == 0 && b[1].digit == 0 && b[2].digit == 0));
  // int8 127 = 0111 1111b: digits -1, 0, 0, 2 -> -1 + 2*64 = 127.
  const auto b2 = booth4_digits(127, 8, true);
  CHECK(b2[0].digit == -1);
  CHECK(b2[1].digit == 0);
  CHECK(b2[2].digit == 0);
  CHECK(b2[3].digit == 2);
  // uint4 15: a zero sign bit makes 6 bits, 3 digits: -1 + 0*4 + 1*16.
  const auto b3 = booth4_digits(15, 4, false);
  REQUIRE(b3.size() == 3);
  CHECK(b3[0].digit == -1);
  CHECK(b3[1].digit == 0);
  CHECK(b3[2].digit == 1);
  // FP4 (BitMoD, scaled x2) 12 = 8 + 4; -10 = -8 - 2.
  const auto t = leading_one_terms(12);
  REQUIRE(t.size() == 2);
  CHECK((t[0].digit == 1 && t[0].shift == 3 && t[1].shift == 2));
  const auto t2 = leading_one_terms(-10);
  REQUIRE(t2.size() == 2);
  CHECK((t2[0].digit == -1 && t2[0].shift == 3 && t2[1].digit == -1 && t2[1].shift == 1));
  // e2m1 6.0 = 1.1b x 2^2: W = 12 at lsb -1 (0.5 is the smallest value), terms 8 + 4.
  const WeightDigits e = decompose_weights(parse_format("float4_e2m1fn"), SerialEncoding::Terms);
  CHECK(e.lsb == -1);
  CHECK(e.cycles == 2);
  CHECK(e.integer[0x7] == 12);
  CHECK(e.integer[0xF] == -12);
}

TEST_CASE("bitserial decompositions: every code of every weight format reconstructs, cycles = closed form") {
  size_t codes = 0;
  for (const std::string& name : kIntWeights) {
    const Format f = parse_format(name);
    const int b = f.ip.bits;
    for (SerialEncoding e : {SerialEncoding::BitPlane, SerialEncoding::Booth4, SerialEncoding::Terms}) {
      const WeightDigits wd = decompose_weights(f, e);
      CAPTURE(name);
      CAPTURE(serial_encoding_name(e));
      int max_terms = 0;
      for (uint64_t c = 0; c < (uint64_t{1} << b); ++c) {
        CHECK(reconstruct(wd, c) == value(f, c));
        CHECK(double(wd.integer[c]) == value(f, c));
        const int64_t w = wd.integer[c];
        max_terms = std::max(max_terms, std::popcount(uint64_t(w < 0 ? -w : w)));
        for (int j = 0; j < wd.cycles; ++j) {
          const int dg = wd.digits[c * size_t(wd.cycles) + size_t(j)].digit;
          CHECK(dg >= (e == SerialEncoding::Booth4 ? -2 : -1));
          CHECK(dg <= (e == SerialEncoding::Booth4 ? 2 : 1));
        }
        ++codes;
      }
      // Closed forms: b planes; ceil(b/2) Booth digits (unsigned: ceil((b+1)/2)); the largest popcount.
      if (e == SerialEncoding::BitPlane) CHECK(wd.cycles == b);
      if (e == SerialEncoding::Booth4) CHECK(wd.cycles == (f.ip.is_signed ? (b + 1) / 2 : (b + 2) / 2));
      if (e == SerialEncoding::Terms) CHECK(wd.cycles == std::max(1, max_terms));
    }
  }
  for (const std::string& name : kTermWeights) {
    const Format f = parse_format(name);
    const WeightDigits wd = decompose_weights(f, SerialEncoding::Terms);
    CAPTURE(name);
    for (uint64_t c = 0; c < (uint64_t{1} << f.width()); ++c, ++codes) CHECK(reconstruct(wd, c) == value(f, c));
    // FP4 and every BitMoD type: at most 2 terms (BitMoD's 2 cycles); FP3 without a special value: 1.
    if (name.starts_with("bitmod") || name == "float4_e2m1fn") CHECK(wd.cycles <= 2);
    if (name == "bitmod_fp3") CHECK(wd.cycles == 1);
    if (name == "float6_e2m3fn") CHECK(wd.cycles == 4);
    if (name == "float6_e3m2fn") CHECK(wd.cycles == 3);
  }
  MESSAGE("codes checked: " << codes);
}

namespace {

struct PeRun {
  uint64_t code = 0;
  uint8_t flags = 0;
  uint64_t cycles = 0;  // first load to the result's cycle, inclusive
};

// One dot product through the PE, groups back to back.
PeRun run_pe(BitSerialPe& pe, std::span<const uint64_t> a, std::span<const uint64_t> w, bool has_c = false,
             uint64_t c = 0) {
  const size_t L = size_t(pe.config().lanes), K = a.size(), G = (K + L - 1) / L;
  const int C = pe.cycles_per_weight();
  const uint64_t start = pe.cycle();
  PeRun r;
  for (size_t g = 0; g < G; ++g) {
    REQUIRE(pe.ready());
    SerialInputs in;
    in.load = true;
    in.first = g == 0;
    in.last = g + 1 == G;
    in.count = int(std::min(L, K - g * L));
    in.a = a.data() + g * L;
    in.w = w.data() + g * L;
    in.has_c = has_c;
    in.c = c;
    SerialOutputs o = pe.step(in);
    REQUIRE(!o.valid);
    for (int d = 1; d < C; ++d) REQUIRE(!pe.step(SerialInputs{}).valid);
  }
  const SerialOutputs o = pe.step(SerialInputs{});
  REQUIRE(o.valid);
  r.code = o.code;
  r.flags = o.flags;
  r.cycles = pe.cycle() - start;
  return r;
}

// The independent oracle for sequential / fused models: the exact group sums (Kulisch over the
// exact products; an all-zero group takes the IEEE zero-sum sign), then the model over them.
uint64_t group_oracle(const BitSerialConfig& cfg, std::span<const uint64_t> a, std::span<const uint64_t> w, Env& env) {
  const size_t L = size_t(cfg.lanes);
  std::vector<Exact> groups;
  for (size_t g = 0; g * L < a.size(); ++g) {
    Kulisch k;
    bool all_neg_zero = true, nan = false, pinf = false, ninf = false;
    for (size_t i = g * L; i < std::min(a.size(), g * L + L); ++i) {
      const Exact p = model_product(cfg.accum, cfg.act, a[i], cfg.weight, w[i], env);
      if (p.cls == ValueClass::Finite) k.add(p);
      if (p.cls == ValueClass::NaN) nan = true;
      if (p.cls == ValueClass::Inf) (p.sign ? ninf : pinf) = true;
      if (!(p.cls == ValueClass::Zero && p.sign)) all_neg_zero = false;
    }
    const RoundingMode mode = cfg.accum.out_rounding.value_or(env.mode);
    if (pinf && ninf) env.flags |= flag::invalid;
    if (nan || (pinf && ninf)) groups.push_back(Exact::nan());
    else if (pinf || ninf) groups.push_back(Exact::inf(ninf));
    else groups.push_back(k.is_zero() ? Exact::zero(all_neg_zero || zero_sum_sign(mode)) : k.value());
  }
  return dot_terms(cfg.accum, groups, nullptr, env);
}

bool same(const Format& f, uint64_t x, uint64_t y) {
  const Unpacked u = decode(f, x), v = decode(f, y);
  if (u.is_nan() && v.is_nan()) return true;
  return x == y;
}

// Exhaustive over every (activation, weight) code pair at lane 0 of a 3-element dot product whose
// other two pairs are seeded-random (so the accumulator sees more than one term), on DP1 and
// DP2; the PE against dot() (exact models, and any model on DP1). Returns the pairs checked.
size_t exhaustive_pairs(const std::string& spec, uint64_t act_step = 1) {
  size_t n = 0;
  for (int lanes : {1, 2}) {
    const BitSerialConfig cfg = parse_bitserial_config(spec + ",lanes=" + std::to_string(lanes));
    const bool vs_dot = cfg.accum.kind == AccumKind::Exact || lanes == 1;
    Env env;
    BitSerialPe pe(cfg, env);
    const uint64_t na = uint64_t{1} << cfg.act.width(), nw = uint64_t{1} << cfg.weight.width();
    const uint64_t latency = uint64_t(timing(cfg).latency), C = uint64_t(timing(cfg).cycles_per_op);
    std::mt19937_64 rng(uint64_t(lanes) * 7 + na);
    size_t bad = 0;
    for (uint64_t x = 0; x < na; x += act_step)
      for (uint64_t y = 0; y < nw; ++y) {
        uint64_t a[3] = {x, rng() & (na - 1), rng() & (na - 1)};
        uint64_t w[3] = {y, rng() & (nw - 1), rng() & (nw - 1)};
        const PeRun r = run_pe(pe, a, w);
        Env e;
        const uint64_t want = vs_dot ? dot(cfg.accum, cfg.act, a, cfg.weight, w, 0, false, e) : group_oracle(cfg, a, w, e);
        if (!same(cfg.accum.out_format, r.code, want) || (vs_dot && r.flags != e.flags)) {
          if (++bad <= 5) MESSAGE(spec << " lanes=" << lanes << " a=" << x << " w=" << y << " pe=" << r.code << " want=" << want);
        }
        const uint64_t groups = (3 + uint64_t(lanes) - 1) / uint64_t(lanes);
        if (r.cycles != (groups - 1) * C + latency) ++bad;
        ++n;
      }
    CHECK(bad == 0);
  }
  return n;
}

}  // namespace

TEST_CASE("bitserial PE: hand-worked group, cycles and protocol") {
  // int8 activations x int4 weights, Booth: 2 digits per weight. [3, -5, 7, 100] . [-8, 7, 1, -1]
  // = -24 - 35 + 7 - 100 = -152.
  BitSerialConfig cfg = parse_bitserial_config("act=int8,weight=int4,accum=exact<out=int32>");
  CHECK(timing(cfg).cycles_per_op == 2);
  Env env;
  BitSerialPe pe(cfg, env);
  const Format i8 = parse_format("int8"), i4 = parse_format("int4");
  auto code = [](const Format& f, int v) { return uint64_t(v) & f.facts.code_mask; };
  const uint64_t a[4] = {code(i8, 3), code(i8, -5), code(i8, 7), code(i8, 100)};
  const uint64_t w[4] = {code(i4, -8), code(i4, 7), code(i4, 1), code(i4, -1)};
  const PeRun r = run_pe(pe, a, w);
  CHECK(r.code == (uint64_t(-152) & 0xFFFFFFFFu));
  CHECK(r.cycles == 3);  // 2 digits + the output cycle
  // Two groups back to back: 8 elements in 2 * 2 + 1 cycles.
  const uint64_t a8[8] = {a[0], a[1], a[2], a[3], a[0], a[1], a[2], a[3]};
  const uint64_t w8[8] = {w[0], w[1], w[2], w[3], w[0], w[1], w[2], w[3]};
  const PeRun r8 = run_pe(pe, a8, w8);
  CHECK(r8.code == (uint64_t(-304) & 0xFFFFFFFFu));
  CHECK(r8.cycles == 5);
  // Loading while a group streams is a protocol error.
  SerialInputs in;
  in.load = in.first = in.last = true;
  in.a = a;
  in.w = w;
  pe.step(in);
  CHECK(!pe.ready());
  CHECK_THROWS_AS(pe.step(in), std::logic_error);
  // fp16 x e2m1 terms: 1.5 * 6 + (-0.25) * 0.5 = 8.875 exactly (float32 out).
  BitSerialConfig f = parse_bitserial_config("act=float16,weight=float4_e2m1fn,lanes=2");
  BitSerialPe pf(f, env);
  const uint64_t fa[2] = {0x3E00, 0xB400}, fw[2] = {0x7, 0x1};
  const PeRun rf = run_pe(pf, fa, fw);
  CHECK(rf.code == 0x410E0000u);  // 8.875f
  CHECK(rf.cycles == 3);
}

TEST_CASE("bitserial PE: exhaustive (activation, weight) pairs, DP1 and DP2, against dot()") {
  size_t n = 0;
  n += exhaustive_pairs("act=int8,weight=int4,bits=1,accum=exact<out=int32>");
  n += exhaustive_pairs("act=int8,weight=int4,bits=2,accum=exact<out=int32>");
  n += exhaustive_pairs("act=int8,weight=uint4,bits=2,accum=exact<out=int32>");
  n += exhaustive_pairs("act=int8,weight=int4,encoding=terms,accum=exact<out=int32>");
  n += exhaustive_pairs("act=int8,weight=int8,bits=2,accum=exact<out=int32>");
  n += exhaustive_pairs("act=float8_e4m3fn,weight=float4_e2m1fn,accum=exact");
  n += exhaustive_pairs("act=float8_e4m3fn,weight=float4_e2m1fn,accum=fp32-fma");
  n += exhaustive_pairs("act=float8_e4m3fn,weight=float4_e2m1fn,accum=v100-fp16");
  n += exhaustive_pairs("act=float8_e5m2,weight=bitmod_fp4_er_pos,accum=exact<out=float16>");
  n += exhaustive_pairs("act=float8_e4m3fn,weight=int4,accum=h100-fp8");
  n += exhaustive_pairs("act=float16,weight=bitmod<bits=4>,accum=exact");
  n += exhaustive_pairs("act=float16,weight=bitmod_fp4_ea_neg,accum=exact<out=float16>", 7);
  n += exhaustive_pairs("act=bfloat16,weight=bitmod_fp3_er_neg,accum=exact", 5);
  n += exhaustive_pairs("act=float8_e4m3fn,weight=float6_e3m2fn,accum=exact");
  MESSAGE("pairs checked: " << n);
}

TEST_CASE("bitserial PE: seeded-random dot products, lanes 4 and 8, every encoding and model") {
  struct Case {
    const char* spec;
    bool narrow;  // bfloat16 codes within 40 binades: no wide group (the group oracle sums groups)
  };
  const Case cases[] = {
      {"act=int8,weight=int8,bits=1,accum=exact<out=int32>", false},
      {"act=int8,weight=int6,bits=2,accum=exact<out=int32>", false},
      {"act=int8,weight=uint8,bits=2,accum=exact<out=float32>", false},
      {"act=float16,weight=int8,bits=2,accum=exact", false},
      {"act=float16,weight=int4,bits=1,accum=exact<out=float16>", false},
      {"act=float16,weight=bitmod_fp4_er_neg,accum=exact<out=float16>", false},
      {"act=float16,weight=bitmod_fp3_ea_pos,accum=fp32-fma", false},
      {"act=float16,weight=float4_e2m1fn,accum=v100-fp16", false},
      {"act=bfloat16,weight=float6_e2m3fn,accum=exact", false},
      {"act=bfloat16,weight=int4,accum=a100-fp16", true},
      {"act=float8_e5m2,weight=bitmod_fp4_ea_pos,accum=h100-fp8", false},
      {"act=float8_e4m3fn,weight=int8,accum=fused<k=8,acc=13,norm=final>", false},
  };
  size_t n = 0, wide = 0;
  for (const Case& cs : cases)
    for (int lanes : {4, 8})
      for (RoundingMode mode : {RoundingMode::RNE, RoundingMode::RDN, RoundingMode::RTZ}) {
        const BitSerialConfig cfg = parse_bitserial_config(std::string(cs.spec) + ",lanes=" + std::to_string(lanes));
        const std::string where = std::string(cs.spec) + " lanes=" + std::to_string(lanes) + " mode=" + rounding_name(mode);
        CAPTURE(where);
        Env env;
        env.mode = mode;
        BitSerialPe pe(cfg, env);
        std::mt19937_64 rng(n + 17);
        const uint64_t ma = cfg.act.facts.code_mask, mw = cfg.weight.facts.code_mask;
        for (int it = 0; it < 300; ++it, ++n) {
          const size_t K = 1 + rng() % 40;
          std::vector<uint64_t> a(K), w(K);
          for (auto& x : a) x = rng() & ma;
          for (auto& x : w) x = rng() & mw;
          if (cs.narrow)
            for (auto& x : a) x = (x & 0x807F) | (uint64_t(107 + rng() % 40) << 7);
          if (it % 5 == 0)  // many zeros: zero signs and cancellation
            for (size_t i = 0; i < K; ++i)
              if (rng() % 2) a[i] = rng() % 2 ? 0 : cfg.act.facts.sign_bit;
          const bool has_c = it % 3 == 0;
          const uint64_t c = has_c ? rng() & cfg.accum.out_format.facts.code_mask : 0;
          const PeRun r = run_pe(pe, a, w, has_c, c);
          Env e = env;
          const uint64_t want = dot(cfg.accum, cfg.act, a, cfg.weight, w, c, has_c, e);
          if (cfg.accum.kind == AccumKind::Exact) {
            CHECK(same(cfg.accum.out_format, r.code, want));
            CHECK(r.flags == e.flags);
          } else if (!has_c) {
            Env e2 = env;
            CHECK(same(cfg.accum.out_format, r.code, group_oracle(cfg, a, w, e2)));
          }
          CHECK(r.cycles == ((K + size_t(lanes) - 1) / size_t(lanes) - 1) * size_t(timing(cfg).cycles_per_op) +
                                size_t(timing(cfg).latency));
        }
        wide += pe.wide_groups();
        if (cfg.accum.kind != AccumKind::Exact) CHECK(pe.wide_groups() == 0);
      }
  MESSAGE("dot products: " << n << ", wide groups: " << wide);
}

TEST_CASE("bitserial array: GEMMs equal dot() per element, cycles equal the runner's closed form") {
  const char* specs[] = {
      "act=int8,weight=int4,bits=2,accum=exact<out=int32>,rows=4,cols=3",
      "act=float16,weight=bitmod_fp4_er_pos,accum=exact,lanes=8,rows=3,cols=5",
      "act=float8_e4m3fn,weight=int8,bits=1,accum=exact<out=float16>,rows=2,cols=2",
      "act=float16,weight=float4_e2m1fn,accum=v100-fp16,lanes=1,rows=4,cols=4",
      "act=float16,weight=int4,accum=exact<out=float8_e4m3fn,out_round=sr>,rows=3,cols=2",  // per-element random index
  };
  size_t elems = 0;
  for (const char* spec : specs) {
    const BitSerialConfig cfg = parse_bitserial_config(spec);
    const std::string where = spec;
    CAPTURE(where);
    std::mt19937_64 rng(3);
    for (auto [M, N, K] : {std::tuple<size_t, size_t, size_t>{7, 11, 37}, {4, 3, 8}, {1, 1, 1}, {9, 10, 64}}) {
      std::vector<uint64_t> a(M * K), b(N * K), c(M * N), out1(M * N), out3(M * N);
      for (auto& x : a) x = rng() & cfg.act.facts.code_mask;
      for (auto& x : b) x = rng() & cfg.weight.facts.code_mask;
      for (auto& x : c) x = rng() & cfg.accum.out_format.facts.code_mask;
      Env e1, e3;
      const SerialGemmStats s1 = run_gemm(cfg, a, b, M, N, K, c, out1, e1, 1);
      const SerialGemmStats s3 = run_gemm(cfg, a, b, M, N, K, c, out3, e3, 3);
      CHECK(s1.cycles == s3.cycles);
      CHECK(e1.flags == e3.flags);
      const GemmEstimate est = estimate_gemm(array_spec(cfg), GemmShape{M, N, K});
      CHECK(s1.cycles == est.cycles);
      if (cfg.accum.kind == AccumKind::Exact || cfg.lanes == 1) {
        // The emulated GEMM (emu/gemm.hpp, fast paths included) on the same codes.
        std::vector<uint64_t> g(M * N);
        Env eg;
        gemm(cfg.accum, gemm_operand(cfg.act, a, M, K, false), gemm_operand(cfg.weight, b, N, K, false), c, g, eg, 1);
        for (size_t i = 0; i < M * N; ++i) CHECK(same(cfg.accum.out_format, out1[i], g[i]));
      }
      for (size_t i = 0; i < M; ++i)
        for (size_t j = 0; j < N; ++j, ++elems) {
          Env e;
          e.index = uint64_t(i * N + j) << 32;  // the element's stochastic-rounding index
          const uint64_t want = dot(cfg.accum, cfg.act, std::span(a).subspan(i * K, K), cfg.weight,
                                    std::span(b).subspan(j * K, K), c[i * N + j], true, e);
          CHECK(same(cfg.accum.out_format, out1[i * N + j], want));
          CHECK(out1[i * N + j] == out3[i * N + j]);
        }
    }
  }
  // Closed form by hand: 16x16 array of 4-lane PEs, int8 Booth (4 cycles): a 256^3 GEMM is 256
  // tiles x 64 groups x 4 cycles + 1 = 65,537 cycles; 1 bit per cycle: 8 cycles, 131,073.
  CHECK(estimate_gemm(array_spec(parse_bitserial_config("act=int8,weight=int8,rows=16,cols=16")), GemmShape{256, 256, 256}).cycles == 65537);
  CHECK(estimate_gemm(array_spec(parse_bitserial_config("act=int8,weight=int8,bits=1,rows=16,cols=16")), GemmShape{256, 256, 256}).cycles == 131073);
  MESSAGE("GEMM elements checked: " << elems);
}

TEST_CASE("bitserial timing: cycles linear in weight bits (1 bit/cycle: b, 2 bits/cycle: ceil(b/2))") {
  for (int b = 2; b <= 8; ++b) {
    const std::string w = "int" + std::to_string(b);
    const BitSerialConfig c1 = parse_bitserial_config("bits=1,weight=" + w);
    const BitSerialConfig c2 = parse_bitserial_config("bits=2,weight=" + w);
    CHECK(timing(c1).cycles_per_op == b);
    CHECK(timing(c2).cycles_per_op == (b + 1) / 2);
    // Simulated: one 4-lane group takes cycles_per_op cycles plus the output cycle.
    Env env;
    BitSerialPe pe(c2, env);
    const uint64_t a[4] = {0x3C00, 0x3C00, 0x3C00, 0x3C00}, ww[4] = {1, 1, 1, 1};
    CHECK(run_pe(pe, a, ww).cycles == uint64_t(timing(c2).latency));
    // hardware.md §8.2: T = L / ceil(bits / 2) MACs per cycle (2 bits/cycle), L / bits (1 bit/cycle).
    CHECK(timing(c2).macs_per_cycle() == doctest::Approx(4.0 / ((b + 1) / 2)));
    CHECK(timing(c1).macs_per_cycle() == doctest::Approx(4.0 / b));
  }
}

TEST_CASE("bitserial cost input: the PE model's cycles reach the cost model") {
  const BitSerialConfig c = parse_bitserial_config("act=float16,weight=float6_e2m3fn");
  const cost::BitSerialCostInput in = bitserial_cost_input(c);
  CHECK(in.cycles_per_weight == 4);
  CHECK(in.lanes == 4);
  const cost::TechLibrary tech = cost::TechLibrary::embedded();
  cost::CostContext ctx;
  ctx.tech = &tech;
  const cost::Estimate e = cost::estimate_bitserial(in, ctx);
  CHECK(e.cycles_per_op == 4);
  CHECK(e.macs_per_cycle == doctest::Approx(1.0));
}

TEST_CASE("bitserial README usage") {
  const uint64_t act_codes[4] = {0x3C00, 0x4000, 0xBC00, 0x3800};  // 1, 2, -1, 0.5
  const uint64_t weight_codes[4] = {0x7, 0x1, 0x2, 0xF};        // 12, 1, 2, -12 (BitMoD FP4, x2 scaled)
  // README: "The bit-serial unit".
  BitSerialConfig cfg = parse_bitserial_config("lanes=4,bits=2,act=float16,weight=bitmod_fp4_er_pos,accum=exact,rows=16,cols=16");
  BitSerialPe pe(cfg, bitexact::Env{});  // timing(cfg): 1 x 1 x 4 every 2 cycles, latency 3
  SerialInputs in;                       // a weight group enters when pe.ready()
  in.load = in.first = in.last = true;
  in.a = act_codes; in.w = weight_codes; // 4 codes each
  pe.step(in); pe.step({});              // digit 0, digit 1
  SerialOutputs o = pe.step({});         // o.valid: o.code is a float32 code
  CHECK(timing(cfg).latency == 3);
  CHECK(o.valid);
  CHECK(o.code == 0x40C00000u);  // 1*12 + 2*1 + (-1)*2 + 0.5*(-12) = 6.0f
}
