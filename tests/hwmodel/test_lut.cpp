// The LUT Tensor Core tile: configuration, timing, precompute counts, and its numerics against
// independent computations: the exact integer dot product (exhaustive over weights), the core's
// scalar ops (fma per add), and exact big-integer sums rounded by the MPFR oracle.
#include <doctest/doctest.h>

#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "emu/ops.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "hwmodel/gemm_runner.hpp"
#include "hwmodel/cost/tech.hpp"
#include "hwmodel/lut/config.hpp"
#include "hwmodel/lut/cost_input.hpp"
#include "hwmodel/lut/tile.hpp"

using namespace bitexact;
using namespace bitexact::hw;
using boost::multiprecision::cpp_int;

namespace {

LutConfig cfg(const std::string& spec) { return parse_lut_config(spec); }

// ---- oracle 1: exact values as big integers over 2^256, rounded by the MPFR oracle ----
constexpr int kL = 256;

struct OV {  // an exact value with its IEEE class: 0 zero, 1 finite, 2 inf, 3 NaN
  int cls = 0;
  bool sign = false;
  cpp_int num = 0;  // finite: the signed value * 2^kL
};

OV ov_of_double(double x) {
  OV v;
  v.sign = std::signbit(x);
  if (std::isnan(x)) return v.cls = 3, v;
  if (std::isinf(x)) return v.cls = 2, v;
  if (x == 0) return v;
  int e = 0;
  const double m = std::frexp(std::fabs(x), &e);  // x = m * 2^e, m in [0.5, 1)
  const int64_t mi = int64_t(std::ldexp(m, 53));
  v.cls = 1;
  v.num = cpp_int(mi) << (e - 53 + kL);
  if (v.sign) v.num = -v.num;
  return v;
}

OV ov_of_code(const Format& f, uint64_t code) {
  Env e;
  return ov_of_double(to_double(f, code, e));
}

uint64_t round_ov(const Format& f, const OV& v) {
  Env env;
  if (v.cls == 3) return reference::oracle_from_string(f, "nan", env).code;
  if (v.cls == 2) return reference::oracle_from_string(f, v.sign ? "-inf" : "inf", env).code;
  if (v.cls == 0 || v.num == 0) return reference::oracle_from_string(f, (v.cls == 0 && v.sign) ? "-0" : "0", env).code;
  const cpp_int mag = v.num < 0 ? cpp_int(-v.num) : v.num;
  const std::string s = std::string(v.num < 0 ? "-" : "") + "0x" + mag.str(0, std::ios::hex) + "p-" + std::to_string(kL);
  return reference::oracle_from_string(f, s, env).code;
}

// x + y exactly (IEEE classes), then one rounding into f.
uint64_t sum_round(const Format& f, const OV& x, const OV& y) {
  OV r;
  if (x.cls == 3 || y.cls == 3 || (x.cls == 2 && y.cls == 2 && x.sign != y.sign)) return round_ov(f, OV{3, false, 0});
  if (x.cls == 2 || y.cls == 2) return round_ov(f, OV{2, x.cls == 2 ? x.sign : y.sign, 0});
  if (x.cls == 0 && y.cls == 0) return round_ov(f, OV{0, x.sign && y.sign, 0});
  r.cls = 1;
  r.num = x.num + y.num;
  return round_ov(f, r);
}

OV scaled(const OV& x, int b, bool negate, int mul = 1) {  // x * (negate ? -1 : 1) * mul * 2^b, exactly
  OV r = x;
  r.sign = x.sign != (negate != (mul < 0));
  if (r.cls == 1) {
    r.num = x.num * std::abs(mul);
    r.num = b >= 0 ? cpp_int(r.num << b) : cpp_int(r.num >> -b);  // b < 0 only on even values here
    if (negate != (mul < 0)) r.num = -r.num;
  }
  return r;
}

// The tables of one row, by the definition (README "LUT tile numerics"), independently of the model.
std::vector<OV> oracle_table(const LutConfig& c, const std::vector<double>& a) {
  const int K = c.k, E = 1 << (K - 1);
  std::vector<OV> t(static_cast<size_t>(E));
  std::vector<OV> exact(static_cast<size_t>(E));
  bool nonfinite = false;
  for (int i = 0; i < E; ++i) {
    double lo = 0;  // non-finite classes via double arithmetic (exact for inf / NaN)
    OV s{1, false, 0};
    for (int k = 0; k < K; ++k) {
      const bool plus = k == 0 || ((i >> (k - 1)) & 1);
      const OV ak = ov_of_double(a[size_t(k)]);
      lo += plus ? a[size_t(k)] : -a[size_t(k)];
      if (ak.cls == 1) s.num += plus ? ak.num : cpp_int(-ak.num);
    }
    if (std::isnan(lo) || std::isinf(lo)) {
      exact[size_t(i)] = ov_of_double(lo);
      nonfinite = true;
    } else {
      exact[size_t(i)] = s.num == 0 ? OV{} : s;  // an exact zero entry is +0
    }
  }
  if (c.table == LutTable::Fp16) {
    const Format h = parse_format("float16");
    for (int i = 0; i < E; ++i) t[size_t(i)] = ov_of_code(h, round_ov(h, exact[size_t(i)]));
    return t;
  }
  if (nonfinite) {
    for (auto& x : t) x = OV{3, false, 0};
    return t;
  }
  cpp_int amax = 0;
  for (auto& x : exact) amax = std::max(amax, x.num < 0 ? cpp_int(-x.num) : x.num);
  int e = -60;  // the smallest e with amax <= 127 * 2^e
  if (amax == 0) e = 0;
  else
    while (amax > (cpp_int(127) << (kL + e))) ++e;
  for (int i = 0; i < E; ++i) {
    const cpp_int v = exact[size_t(i)].num, mag = v < 0 ? cpp_int(-v) : v;
    const cpp_int den = cpp_int(1) << (kL + e);
    cpp_int q = mag / den, rem = mag % den;
    if (rem * 2 > den || (rem * 2 == den && (q & 1) != 0)) ++q;
    CHECK(q <= 127);
    OV r{q == 0 ? 0 : 1, q != 0 && v < 0, 0};
    r.num = (q << (kL + e));
    if (r.sign) r.num = -r.num;
    t[size_t(i)] = r;
  }
  return t;
}

// Bits of weight q_k for plane b as the definition reads them: beta = bit b of u, u = q (Signed: top bit flipped).
int beta(const LutConfig& c, uint64_t q, int b) {
  uint64_t u = q & ((1u << c.w_bits) - 1);
  if (c.weight == LutWeight::Signed) u ^= 1u << (c.w_bits - 1);
  return int((u >> b) & 1);
}

// One row x one column over the whole depth (groups chained), the definition step by step.
uint64_t oracle_dot(const LutConfig& c, const Format& af, const uint64_t* a, const uint64_t* w, size_t depth,
                    bool has_c, uint64_t cc) {
  const Format of = parse_format(c.accum == LutAccum::Fp16 ? "float16" : "float32");
  const int K = c.k, B = c.w_bits, E = 1 << (K - 1);
  const int z = c.weight == LutWeight::Unsigned ? (1 << B) - 1 : c.weight == LutWeight::Signed ? -1 : 0;
  bool have = has_c;
  uint64_t psum = cc;
  for (size_t g = 0; g * K < depth; ++g) {
    std::vector<double> av(static_cast<size_t>(K), 0.0);
    std::vector<uint64_t> wq(static_cast<size_t>(K), 0);
    Env e;
    for (int k = 0; k < K && g * K + k < depth; ++k) av[size_t(k)] = to_double(af, a[g * K + k], e), wq[size_t(k)] = w[g * K + k];
    const std::vector<OV> T = oracle_table(c, av);
    uint64_t acc = 0;
    for (int b = 0; b < B; ++b) {
      // The selected signed term: s_k = 2*beta_k - 1 over every k, found in the table by search
      // (the entry whose signs match, or its negation), not by the model's index arithmetic.
      int idx = 0;
      bool neg = false;
      const int s0 = 2 * beta(c, wq[0], b) - 1;
      for (int k = 1; k < K; ++k)
        if ((2 * beta(c, wq[size_t(k)], b) - 1) * s0 > 0) idx |= 1 << (k - 1);
      neg = s0 < 0;
      const OV v = scaled(T[size_t(idx)], b, neg);
      if (b == 0) acc = z == 0 ? round_ov(of, v) : sum_round(of, scaled(T[size_t(E - 1)], 0, false, z), v);
      else acc = sum_round(of, ov_of_code(of, acc), v);
    }
    OV h = ov_of_code(of, acc);
    if (z != 0 && h.cls == 1) h.num /= 2;  // exact: num carries 2^256
    psum = have ? sum_round(of, ov_of_code(of, psum), h) : round_ov(of, h);
    have = true;
  }
  return psum;
}

// ---- oracle 2: the core's scalar ops, one fma per add (FP16 tables) ----
uint64_t ops_dot(const LutConfig& c, const Format& af, const uint64_t* a, const uint64_t* w, size_t depth, bool has_c,
                 uint64_t cc) {
  const Format h = parse_format("float16");
  const Format of = parse_format(c.accum == LutAccum::Fp16 ? "float16" : "float32");
  const int K = c.k, B = c.w_bits, E = 1 << (K - 1);
  const int z = c.weight == LutWeight::Unsigned ? (1 << B) - 1 : c.weight == LutWeight::Signed ? -1 : 0;
  Env env;
  const uint64_t neg_bit = uint64_t(1) << (of.width() - 1);
  bool have = has_c;
  uint64_t psum = cc;
  for (size_t g = 0; g * K < depth; ++g) {
    // Table entries: the signed sum in float64 (exact for four float16 / float8 values), one convert.
    const Format f32 = parse_format("float64");
    std::vector<uint64_t> ak(static_cast<size_t>(K), 0), wq(static_cast<size_t>(K), 0);
    for (int k = 0; k < K && g * K + k < depth; ++k) ak[size_t(k)] = convert(af, a[g * K + k], f32, env), wq[size_t(k)] = w[g * K + k];
    std::vector<uint64_t> T(static_cast<size_t>(E));
    for (int i = 0; i < E; ++i) {
      uint64_t s = ak[0];
      for (int k = 1; k < K; ++k) s = ((i >> (k - 1)) & 1) ? add(f32, s, ak[size_t(k)], env) : sub(f32, s, ak[size_t(k)], env);
      if (classify(f32, s) == FloatClass::NegZero) s = 0;  // an exact zero entry is +0
      T[size_t(i)] = convert(h, convert(f32, s, h, env), of, env);  // fp16 entry, exact in the accumulator
    }
    uint64_t acc = 0;
    for (int b = 0; b < B; ++b) {
      int idx = 0;
      const int s0 = 2 * beta(c, wq[0], b) - 1;
      for (int k = 1; k < K; ++k)
        if ((2 * beta(c, wq[size_t(k)], b) - 1) * s0 > 0) idx |= 1 << (k - 1);
      const uint64_t t = s0 < 0 ? T[size_t(idx)] ^ neg_bit : T[size_t(idx)];
      const uint64_t p2 = from_double(of, std::ldexp(1.0, b), env);
      if (b == 0) {
        acc = z == 0 ? t : fma(of, from_double(of, double(z), env), T[size_t(E - 1)], t, env);
      } else {
        acc = fma(of, t, p2, acc, env);  // acc + t * 2^b, one rounding
      }
    }
    const uint64_t half = from_double(of, z == 0 ? 1.0 : 0.5, env);
    psum = have ? fma(of, acc, half, psum, env) : mul(of, acc, half, env);
    have = true;
  }
  return psum;
}

std::vector<uint64_t> random_codes(std::mt19937_64& rng, size_t n, const Format& f, int maxexp_field = -1) {
  std::vector<uint64_t> v(n);
  Env e;
  for (auto& x : v) {
    for (;;) {
      x = rng() & f.facts.code_mask;
      const FloatClass k = classify(f, x);
      if (k == FloatClass::QuietNaN || k == FloatClass::SignalingNaN || k == FloatClass::NegInf || k == FloatClass::PosInf) continue;
      if (maxexp_field >= 0 && int((x >> f.fp.man_bits) & ((1u << f.fp.exp_bits) - 1)) > maxexp_field) continue;
      break;
    }
  }
  (void)e;
  return v;
}

}  // namespace

TEST_CASE("lut config: defaults, spec round trip, timing, precompute counts, errors") {
  const LutConfig d;
  CHECK(d.m == 2);
  CHECK(d.n == 64);
  CHECK(d.k == 4);
  CHECK(d.entries() == 8);
  CHECK(d.act.name == "float16");
  CHECK(lut_config_name(d) == "m=2,n=64,k=4,w_bits=2,weight=unsigned,act=float16,table=fp16,accum=fp32,pipeline=2");
  const LutConfig c = cfg("act=int8,table=int8,accum=int32,w_bits=3,weight=signed,pipeline=1");
  CHECK(parse_lut_config(lut_config_name(c)) == c);
  const UnitTiming t = timing(d);
  CHECK(t.tile_m == 2);
  CHECK(t.tile_n == 64);
  CHECK(t.tile_k == 4);
  CHECK(t.cycles_per_op == 2);
  CHECK(t.latency == 3);
  CHECK(t.macs_per_cycle() == 256.0);  // M*N*K/W_BIT (hardware.md §1.5: 256 MAC/cycle at W2)
  CHECK(timing(cfg("w_bits=1")).macs_per_cycle() == 512.0);
  const LutPrecompute p = lut_precompute(d);
  CHECK(p.tables_per_op == 2);
  CHECK(p.entries == 8);
  CHECK(p.adds_naive == 24);        // hardware.md §8.2: 8 entries x 3 adds
  CHECK(p.adds_incremental == 10);  // 3 + 7
  CHECK(p.quant_ops == 0);
  CHECK(lut_precompute(c).quant_ops == 15);
  CHECK(p.lookups_per_table == 128);
  const LutGemmPrecompute g = lut_gemm_precompute(d, 256, 256, 256);
  CHECK(g.tables == 256 * 64);
  CHECK(g.adds == 256 * 64 * 10);
  CHECK(g.tables_unfused == 256 * 64 * 4);
  CHECK(g.lookups == 256ull * 256 * 64 * 2);
  CHECK(g.adds_per_mac == doctest::Approx(10.0 / (256 * 4)));
  // The paper's example (hardware.md §1.2): an N=4 array over OPT-175B's 12288 columns rebuilds each table 3072 times.
  CHECK(lut_gemm_precompute(cfg("n=4"), 4096, 12288, 12288).tables_unfused /
            lut_gemm_precompute(cfg("n=4"), 4096, 12288, 12288).tables == 3072);
  CHECK_THROWS_AS(parse_lut_config("w_bits=5"), FormatError);
  CHECK_THROWS_AS(parse_lut_config("k=9"), FormatError);
  CHECK_THROWS_AS(parse_lut_config("accum=int32"), FormatError);                        // float16 activations
  CHECK_THROWS_AS(parse_lut_config("act=int<bits=16>,accum=int32,table=fp16"), FormatError);  // entries overflow fp16
  CHECK_NOTHROW(parse_lut_config("act=int<bits=16>,accum=int32,table=int8"));
  CHECK_THROWS_AS(parse_lut_config("act=bfloat16"), FormatError);
  CHECK_THROWS_AS(parse_lut_config("table=int4"), FormatError);
  CHECK_THROWS_WITH_AS(parse_lut_config("table=int4"), "bad lut config: table is int8 or fp16 (at character 7 of 'table=int4')",
                       FormatError);
  CHECK_THROWS_WITH_AS(parse_lut_config("m=1,weight=ones"),
                       "bad lut config: weight is unsigned, signed or odd (at character 12 of 'm=1,weight=ones')", FormatError);
  CHECK_THROWS_WITH_AS(parse_lut_config("accum=int64"),
                       "bad lut config: accum is int32, fp16 or fp32 (at character 7 of 'accum=int64')", FormatError);
  CHECK_THROWS_AS(parse_lut_config("widgets=1"), FormatError);
}

TEST_CASE("lut: weight reinterpretation and mappings (hand-worked)") {
  const LutConfig c = cfg("n=1,k=4,w_bits=2");
  // w = (1, 2, 3, 0): plane 0 bits (1,0,1,0): beta0 = 1 -> index = bits 1..3 = 0b010, no negation.
  const uint64_t w[4] = {1, 2, 3, 0};
  uint8_t planes[2];
  lut_reinterpret_weights(c, w, planes);
  CHECK(lut_pattern_sign(planes[0]) == 0);
  CHECK(lut_pattern_index(planes[0]) == 0b010);
  // plane 1 bits (0,1,1,0): beta0 = 0 -> negate, index = ~(1,1,0) = 0b100.
  CHECK(lut_pattern_sign(planes[1]) == 1);
  CHECK(lut_pattern_index(planes[1]) == 0b100);
  CHECK(lut_weight_value(c, 3) == 3);
  CHECK(lut_weight_value(cfg("weight=signed,w_bits=2"), 3) == -1);
  CHECK(lut_weight_value(cfg("weight=signed,w_bits=2"), 2) == -2);
  CHECK(lut_weight_value(cfg("weight=odd,w_bits=1"), 0) == -1);
  CHECK(lut_weight_value(cfg("weight=odd,w_bits=2"), 2) == 1);
  // Tables for a = (1, 2, 3, 4): T[i] = 1 + (+-2) + (+-3) + (+-4); T[0] = -8, T[7] = 10 (= sum a).
  const LutConfig ci = cfg("m=1,n=1,act=int8,accum=int32,table=fp16");
  const uint64_t a[4] = {1, 2, 3, 4};
  LutTableSet ts;
  Env env;
  lut_precompute_tables(ci, a, ts, env);
  CHECK(ts.code[0] == 0xC800);  // -8.0
  CHECK(ts.code[7] == 0x4900);  // 10.0
  // Dot with w = (1, 2, 3, 0): 1 + 4 + 9 = 14, through the tile in W_BIT + pipeline - 1 cycles.
  LutTile tile(ci, env);
  uint8_t pl[2];
  LutConfig c1 = ci;
  lut_reinterpret_weights(c1, w, pl);
  LutTileOutputs o = tile.step({.valid = true, .tables = &ts, .plane = &pl[0], .psum = nullptr});  // as in the README
  CHECK(!o.valid);
  o = tile.step({.valid = true, .plane = &pl[1]});
  CHECK(!o.valid);
  o = tile.step({});
  CHECK(!o.valid);
  o = tile.step({});
  REQUIRE(o.valid);  // cycle 3 = W_BIT - 1 + pipeline
  CHECK(tile.cycle() == 4);
  CHECK(int32_t(o.result[0]) == 14);
}

TEST_CASE("lut exhaustive: int8 activations, exact tables, int32 accumulation == the exact integer dot product") {
  // Every weight quadruple of 1..4 bits under every mapping, against 40 activation rows (the
  // extremes and a seeded sweep), with a random int32 addend; K = 4 (one group) and K = 4 chained twice.
  std::mt19937_64 rng(5);
  const size_t rows = 40;
  std::vector<uint64_t> base;
  for (int v : {-128, 127, 0, -1, 1, 64, -64, 100}) base.push_back(uint64_t(uint8_t(int8_t(v))));
  size_t checked = 0;
  for (int depth : {4, 8}) {
    std::vector<uint64_t> a(rows * size_t(depth));
    for (size_t i = 0; i < a.size(); ++i) a[i] = i < base.size() * 2 ? base[i % base.size()] : (rng() & 0xFF);
    for (const char* table : {"fp16", "int8"}) {
      for (int B = 1; B <= 4; ++B) {
        for (const char* map : {"unsigned", "signed", "odd"}) {
          const LutConfig c = cfg(std::string("m=2,n=64,k=4,act=int8,accum=int32,table=") + table +
                                  ",w_bits=" + std::to_string(B) + ",weight=" + map);
          const bool int8_table = c.table == LutTable::Int8;
          // Int8 tables are exact when every entry fits [-127, 127]: activations within +-31.
          std::vector<uint64_t> aa = a;
          if (int8_table)
            for (auto& x : aa) x = uint64_t(uint8_t(int8_t(int(int8_t(uint8_t(x))) % 32)));
          const size_t cols = size_t(1) << (4 * B) >> (depth == 8 ? std::min(4 * B, 4) : 0);
          std::vector<uint64_t> w(size_t(depth) * cols), cc(rows * cols), out(rows * cols);
          for (size_t col = 0; col < cols; ++col)
            for (int k = 0; k < depth; ++k)
              w[size_t(k) * cols + col] = depth == 4 ? (col >> (B * k)) & ((1u << B) - 1) : rng() & ((1u << B) - 1);
          for (auto& x : cc) x = rng() & 0xFFFFFFFF;
          Env env;
          const LutGemmResult r = run_lut_gemm(c, rows, cols, size_t(depth), aa, w, cc, out, env);
          CHECK(r.cycles == r.ops * uint64_t(B) + 1);  // (ops - 1) * W_BIT + W_BIT - 1 + pipeline
          bool ok = true;
          for (size_t i = 0; i < rows && ok; ++i)
            for (size_t j = 0; j < cols && ok; ++j) {
              int64_t s = int64_t(int32_t(uint32_t(cc[i * cols + j])));
              for (int k = 0; k < depth; ++k)
                s += int64_t(int8_t(uint8_t(aa[i * size_t(depth) + size_t(k)]))) * lut_weight_value(c, w[size_t(k) * cols + j]);
              const int32_t want = int32_t(uint32_t(uint64_t(s)));
              if (int32_t(uint32_t(out[i * cols + j])) != want) {
                ok = false;
                FAIL_CHECK(lut_config_name(c) << " row " << i << " col " << j << ": " << int32_t(uint32_t(out[i * cols + j]))
                                              << " != " << want);
              }
              ++checked;
            }
        }
      }
    }
  }
  MESSAGE("exact integer dot products checked: " << checked);
  CHECK(checked > 10'000'000);
}

TEST_CASE("lut seeded random: float activations, fp16 / int8 tables, fp16 / fp32 accumulation == the definition") {
  std::mt19937_64 rng(11);
  size_t checked = 0;
  struct Case { const char* act; int maxexp; };
  for (const Case& ac : {Case{"float16", 21}, Case{"float16", -1}, Case{"float8_e4m3fn", -1}, Case{"float8_e5m2", -1}}) {
    const Format af = parse_format(ac.act);
    for (const char* table : {"fp16", "int8"})
      for (const char* acc : {"fp16", "fp32"})
        for (int B = 1; B <= 4; ++B)
          for (const char* map : {"unsigned", "signed", "odd"}) {
            const LutConfig c = cfg(std::string("m=2,n=8,k=4,act=") + ac.act + ",table=" + table + ",accum=" + acc +
                                    ",w_bits=" + std::to_string(B) + ",weight=" + map);
            const size_t rows = 5, cols = 17, depth = 10;  // padding in every dimension, 3 chained groups
            const Format of = parse_format(acc[2] == '1' ? "float16" : "float32");
            std::vector<uint64_t> a = random_codes(rng, rows * depth, af, ac.maxexp);
            std::vector<uint64_t> w(depth * cols), cc = random_codes(rng, rows * cols, of, acc[2] == '1' ? 24 : 140),
                                                   out(rows * cols);
            for (auto& x : w) x = rng() & ((1u << B) - 1);
            Env env;
            run_lut_gemm(c, rows, cols, depth, a, w, cc, out, env);
            std::vector<uint64_t> out0(rows * cols);
            run_lut_gemm(c, rows, cols, depth, a, w, {}, out0, env);
            for (size_t i = 0; i < rows; ++i)
              for (size_t j = 0; j < cols; ++j) {
                std::vector<uint64_t> wc(depth);
                for (size_t k = 0; k < depth; ++k) wc[k] = w[k * cols + j];
                const uint64_t want = oracle_dot(c, af, &a[i * depth], wc.data(), depth, true, cc[i * cols + j]);
                const uint64_t want0 = oracle_dot(c, af, &a[i * depth], wc.data(), depth, false, 0);
                CHECK_MESSAGE(out[i * cols + j] == want, lut_config_name(c) << " row " << i << " col " << j);
                CHECK_MESSAGE(out0[i * cols + j] == want0, lut_config_name(c) << " (no addend) row " << i << " col " << j);
                if (c.table == LutTable::Fp16) {
                  CHECK(ops_dot(c, af, &a[i * depth], wc.data(), depth, true, cc[i * cols + j]) == want);
                  CHECK(ops_dot(c, af, &a[i * depth], wc.data(), depth, false, 0) == want0);
                }
                checked += 2;
              }
          }
  }
  MESSAGE("float LUT dot products checked: " << checked);
}

TEST_CASE("lut seeded random: quantizing int8 tables into an int32 accumulator == the definition (wrap, floor halving)") {
  // INT8 activations over the full range and INT16 ones: the int8 tables round (|E| > 127), so the
  // result is not the exact dot; the definition (README) recomputed with big-integer tables and
  // int64 arithmetic wrapped to 32 bits.
  std::mt19937_64 rng(13);
  size_t checked = 0, inexact = 0;
  for (const char* act : {"int8", "int<bits=16>"})
    for (int B = 1; B <= 4; ++B)
      for (const char* map : {"unsigned", "signed", "odd"}) {
        const LutConfig c = cfg(std::string("m=2,n=8,k=4,table=int8,accum=int32,act=") + act + ",w_bits=" +
                                std::to_string(B) + ",weight=" + map);
        const size_t rows = 5, cols = 11, depth = 12;
        const uint64_t amask = c.act.facts.code_mask;
        std::vector<uint64_t> a(rows * depth), w(depth * cols), cc(rows * cols), out(rows * cols);
        for (auto& x : a) x = rng() & amask;
        for (auto& x : w) x = rng() & ((1u << B) - 1);
        for (auto& x : cc) x = rng() & 0xFFFFFFFF;
        Env env;
        run_lut_gemm(c, rows, cols, depth, a, w, cc, out, env);
        const int z = c.weight == LutWeight::Unsigned ? (1 << B) - 1 : c.weight == LutWeight::Signed ? -1 : 0;
        for (size_t i = 0; i < rows; ++i)
          for (size_t j = 0; j < cols; ++j) {
            int64_t psum = int32_t(uint32_t(cc[i * cols + j]));
            int64_t exact = psum;
            for (size_t g = 0; g < depth / 4; ++g) {
              std::vector<double> av(4);
              Env e;
              for (int k = 0; k < 4; ++k) av[size_t(k)] = to_double(c.act, a[i * depth + g * 4 + size_t(k)], e);
              const std::vector<OV> T = oracle_table(c, av);
              auto tv = [&](int idx) { return int64_t(T[size_t(idx)].num >> kL); };  // integer table values
              int64_t acc = 0;
              for (int b = 0; b < B; ++b) {
                int idx = 0;
                const uint64_t* wc = &w[(g * 4) * cols + j];
                const int s0 = 2 * beta(c, wc[0], b) - 1;
                for (int k = 1; k < 4; ++k)
                  if ((2 * beta(c, wc[size_t(k) * cols], b) - 1) * s0 > 0) idx |= 1 << (k - 1);
                const int64_t v = (s0 < 0 ? -tv(idx) : tv(idx)) * (int64_t(1) << b);
                acc = int32_t(uint32_t(uint64_t((b == 0 ? z * tv(7) : acc) + v)));
              }
              psum = int32_t(uint32_t(uint64_t(psum + (z == 0 ? acc : (acc >> 1)))));
              for (int k = 0; k < 4; ++k) exact += int64_t(av[size_t(k)]) * lut_weight_value(c, w[(g * 4 + size_t(k)) * cols + j]);
            }
            CHECK_MESSAGE(int32_t(uint32_t(out[i * cols + j])) == psum, lut_config_name(c) << " row " << i << " col " << j);
            inexact += psum != exact;
            ++checked;
          }
      }
  MESSAGE("quantized int8-table dot products: " << checked << ", differing from the exact dot: " << inexact);
  CHECK(inexact > checked / 2);  // the quantization shows
}

TEST_CASE("lut: zeros, subnormals and overflow, where the published RTL's exponent add fails") {
  const Format h = parse_format("float16"), f32 = parse_format("float32");
  Env env;
  // The RTL scales an FP16 entry by 2^b by adding b to its exponent field:
  CHECK(lut_rtl_exponent_scale(0x0000, 2) == 0x0800);  // +0 becomes 2^-13
  CHECK(lut_rtl_exponent_scale(0x0001, 1) == 0x0401);  // 2^-24 becomes 2^-14 * (1 + 2^-10), not 2^-23 (0x0002)
  CHECK(lut_rtl_exponent_scale(0x7BFF, 1) == 0x7FFF);  // 65504 becomes a NaN, not 131008 (exact) / inf (fp16)
  CHECK(lut_rtl_exponent_scale(0x3C00, 3) == 0x4800);  // 1.0 -> 8.0: right for normal values
  // The tile on the same numbers. W1..W3 planes that select these entries, exact scaling:
  // a = (0, 0, 0, 0) float16: every entry +0; weights 3 (W2, b = 1 selects T[7] = 0): the result is +0.
  {
    const LutConfig c = cfg("m=1,n=1,k=4,w_bits=2,act=float16,accum=fp32,table=fp16,weight=odd");
    std::vector<uint64_t> a(4, 0), w(4, 3), out(1);
    run_lut_gemm(c, 1, 1, 4, a, w, {}, out, env);
    CHECK(out[0] == 0);  // the RTL would add 3 * 2^-13 * 2 ... from its scaled zero
  }
  // a = (2^-24, 0, 0, 0): entries are +-2^-24 (fp16 subnormal); odd W2 weights (3,3,3,3) -> q' = 3:
  // 3 * 2^-24 exactly in fp32 (0x33C00000... = 1.788e-7), the RTL's scaled entry would give 2^-24 + 2^-14(1+2^-10).
  {
    const LutConfig c = cfg("m=1,n=1,k=4,w_bits=2,act=float16,accum=fp32,table=fp16,weight=odd");
    std::vector<uint64_t> a = {0x0001, 0, 0, 0}, w = {3, 3, 3, 3}, out(1);
    run_lut_gemm(c, 1, 1, 4, a, w, {}, out, env);
    CHECK(to_double(f32, out[0], env) == std::ldexp(3.0, -24));
    // The same through fp16 accumulation: 3 * 2^-24 is an fp16 subnormal, exactly.
    const LutConfig c16 = cfg("m=1,n=1,k=4,w_bits=2,act=float16,accum=fp16,table=fp16,weight=odd");
    run_lut_gemm(c16, 1, 1, 4, a, w, {}, out, env);
    CHECK(out[0] == 0x0003);
  }
  // a = (65504, 0, 0, 0), odd W2 weights 3: 65504 * 3 = 196512 exactly in fp32; fp16: +inf (overflow, RNE).
  {
    const LutConfig c = cfg("m=1,n=1,k=4,w_bits=2,act=float16,accum=fp32,table=fp16,weight=odd");
    std::vector<uint64_t> a = {0x7BFF, 0, 0, 0}, w = {3, 3, 3, 3}, out(1);
    run_lut_gemm(c, 1, 1, 4, a, w, {}, out, env);
    CHECK(to_double(f32, out[0], env) == 196512.0);
    const LutConfig c16 = cfg("m=1,n=1,k=4,w_bits=2,act=float16,accum=fp16,table=fp16,weight=odd");
    Env e2;
    run_lut_gemm(c16, 1, 1, 4, a, w, {}, out, e2);
    CHECK(out[0] == 0x7C00);
    CHECK((e2.flags & flag::overflow) != 0);
  }
  // Unsigned W2, a = (1.5, -0.5, 0.25, 2^-24) (a subnormal in the table), w = (3, 1, 2, 0):
  // 4.5 - 0.5 + 0.5 + 0 = 4.5 exactly (the entries are exact in fp16; the offset 3 * sum(a) enters at plane 0).
  {
    const LutConfig c = cfg("m=1,n=1,k=4,w_bits=2,act=float16,accum=fp32,table=fp16");
    std::vector<uint64_t> a = {from_double(h, 1.5, env), from_double(h, -0.5, env), from_double(h, 0.25, env), 0x0001};
    std::vector<uint64_t> w = {3, 1, 2, 0}, out(1);
    run_lut_gemm(c, 1, 1, 4, a, w, {}, out, env);
    CHECK(to_double(f32, out[0], env) == 4.5);
  }
  // Negative zero and infinities: an exact-zero entry is +0; inf - inf in a table is NaN (invalid).
  {
    const LutConfig c = cfg("m=1,n=1,k=2,w_bits=1,act=float16,accum=fp32,table=fp16,weight=odd");
    std::vector<uint64_t> a = {0x7C00, 0x7C00}, w = {1, 0}, out(1);  // +inf - inf
    Env e3;
    run_lut_gemm(c, 1, 1, 2, a, w, {}, out, e3);
    CHECK(std::isnan(to_double(f32, out[0], env)));
    CHECK((e3.flags & flag::invalid) != 0);
    a = {0x7C00, 0x3C00};  // inf - 1 = inf, times w = +1 / -1
    run_lut_gemm(c, 1, 1, 2, a, w, {}, out, env);
    CHECK(to_double(f32, out[0], env) == INFINITY);
  }
}

TEST_CASE("lut tile: cycles = closed form, in-tile precompute, back-to-back ops and the output pipeline") {
  for (int B = 1; B <= 4; ++B)
    for (int pipe : {1, 2, 3}) {
      const LutConfig c = cfg("m=2,n=4,k=4,act=int8,accum=int32,table=fp16,w_bits=" + std::to_string(B) +
                              ",pipeline=" + std::to_string(pipe));
      const UnitTiming t = timing(c);
      Env env;
      LutTile tile(c, env);
      std::mt19937_64 rng(uint64_t(B * 10 + pipe));
      const int ops = 5;
      std::vector<std::vector<uint64_t>> acts(ops, std::vector<uint64_t>(8)), ws(ops, std::vector<uint64_t>(16));
      std::vector<std::vector<uint8_t>> planes(ops, std::vector<uint8_t>(size_t(4 * B)));
      for (int o = 0; o < ops; ++o) {
        for (auto& x : acts[size_t(o)]) x = rng() & 0xFF;
        for (auto& x : ws[size_t(o)]) x = rng() & ((1u << B) - 1);
        lut_reinterpret_weights(c, ws[size_t(o)].data(), planes[size_t(o)].data());
      }
      std::vector<uint64_t> seen_at;
      uint64_t cyc = 0;
      int got = 0;
      for (int o = 0; o < ops; ++o)
        for (int b = 0; b < B; ++b) {
          LutTileInputs in;
          in.valid = true;
          in.act = b == 0 ? acts[size_t(o)].data() : nullptr;
          in.plane = &planes[size_t(o)][size_t(b) * 4];
          const LutTileOutputs out = tile.step(in);
          if (out.valid) {
            seen_at.push_back(cyc);
            // Each op's result: the exact dot of its own activations and weights (no addend).
            for (int m = 0; m < 2; ++m)
              for (int n = 0; n < 4; ++n) {
                int64_t s = 0;
                for (int k = 0; k < 4; ++k)
                  s += int64_t(int8_t(uint8_t(acts[size_t(got)][size_t(m * 4 + k)]))) * int64_t(ws[size_t(got)][size_t(k * 4 + n)]);
                CHECK(int32_t(uint32_t(out.result[m * 4 + n])) == s);
              }
            ++got;
          }
          ++cyc;
        }
      while (got < ops) {
        const LutTileOutputs out = tile.step({});
        if (out.valid) seen_at.push_back(cyc), ++got;
        ++cyc;
      }
      for (int o = 0; o < ops; ++o) CHECK(seen_at[size_t(o)] == uint64_t(o * B + t.latency));  // first plane at o*B
      CHECK(tile.cycle() == uint64_t(ops) * uint64_t(t.cycles_per_op) + uint64_t(pipe));
      CHECK(tile.tables_built() == uint64_t(ops));
    }
  // A GEMM: ops = ceil(rows/M) * ceil(cols/N) * ceil(depth/K), cycles = ops * W_BIT + pipeline.
  const LutConfig c = cfg("act=int8,accum=int32,table=int8,w_bits=3");
  std::vector<uint64_t> a(5 * 9, 1), w(9 * 130, 1), out(5 * 130);
  Env env;
  const LutGemmResult r = run_lut_gemm(c, 5, 130, 9, a, w, {}, out, env);
  CHECK(r.ops == 3 * 3 * 3);
  CHECK(r.cycles == 26 * 3 + timing(c).latency);
  // ... which is the GEMM runner's closed form for one tile.
  const GemmEstimate e = estimate_gemm(ArraySpec{timing(c), 1, 1, false}, GemmShape{5, 130, 9});
  CHECK(e.ops == r.ops);
  CHECK(e.cycles == r.cycles);
  CHECK(r.tables == 3 * 3 * 2);  // M per row tile and K-group, shared by the 3 column tiles
  CHECK(r.tables == lut_gemm_precompute(c, 6, 130, 9).tables);
  CHECK(int32_t(out[0]) == 9);
}

TEST_CASE("lut: the cost model reads the configuration (Table 2 tile: W2 A8, int8 table, M2N64K4)") {
  const cost::TechLibrary tech = cost::TechLibrary::embedded();
  cost::CostContext ctx;
  ctx.tech = &tech;
  const LutConfig c = cfg("m=2,n=64,k=4,w_bits=2,act=int8,table=int8,accum=int32");
  const cost::Estimate e = cost::estimate_lut(lut_cost_input(c), ctx);
  CHECK(e.macs_per_cycle == timing(c).macs_per_cycle());
  CHECK(e.cycles_per_op == timing(c).cycles_per_op);
  CHECK(e.area_um2 > 0);
  // The precompute it charges (outside the tile): M tables x the incremental adds of lut_precompute().
  bool found = false;
  for (const cost::Component& k : e.components)
    if (!k.in_unit) {
      found = true;
      CHECK(k.count == doctest::Approx(double(lut_precompute(c).tables_per_op * lut_precompute(c).adds_incremental)));
    }
  CHECK(found);
  // The UNPU variant builds its tables in the tile.
  const cost::Estimate u = cost::estimate_lut(lut_cost_input(c, cost::LutVariant::Unpu), ctx);
  CHECK(u.area_um2 > e.area_um2);
}
