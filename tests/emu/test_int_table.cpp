// Integers, fixed point and codebooks: the core (emu/round_int.cpp, emu/round_table.cpp via
// convert / add / mul) against the value-set oracle (emu/reference/round_value_set.cpp), plus
// hand-worked answers.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "emu/ops.hpp"
#include "emu/random.hpp"
#include "emu/value_io.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/codec.hpp"
#include "formats/spec.hpp"

using namespace bitexact;
using namespace bitexact::reference;

namespace {

const std::vector<std::string>& int_specs() {
  static const std::vector<std::string> v = {"int8", "uint8", "int4", "uint4", "int2", "int4_sym", "int8_sym",
                                             "int<bits=1>", "uint<bits=1>", "int<bits=3,symmetric=true>",
                                             "q3.4", "uq2.2", "int<bits=5,frac=-2>", "int<bits=6,frac=9>"};
  return v;
}

std::string user_codebook() {
  static const std::string path = [] {
    // In the temporary directory, so a run never leaves files in the working tree.
    const std::string p = (std::filesystem::temp_directory_path() / "bitexact_int_table_test_codebook.txt").string();
    std::ofstream(p) << "# a one-sided 3-bit codebook with NaN, inf and an unused code\n"
                        "0\n0.375\n1\n2.5\ninf\nnan\nunused\n3\n";
    return p;
  }();
  return "codebook<file=" + path + ">";
}

std::vector<std::string> table_specs() {
  return {"nf4", "ternary", "binary", "denseshift3", "denseshift4", "pow2_3", "pow2_4", "pow2<bits=2,emax=3>",
          "bitmod_fp3", "bitmod_fp3_er_pos", "bitmod_fp3_er_neg", "bitmod_fp3_ea_pos", "bitmod_fp3_ea_neg",
          "bitmod_fp4_er_pos", "bitmod_fp4_er_neg", "bitmod_fp4_ea_pos", "bitmod_fp4_ea_neg", user_codebook()};
}

struct ModeSpec {
  RoundingMode mode;
  int sr_bits;
};
const ModeSpec kModes[] = {{RoundingMode::RNE, 0}, {RoundingMode::RNA, 0}, {RoundingMode::RTZ, 0},
                           {RoundingMode::RUP, 0}, {RoundingMode::RDN, 0}, {RoundingMode::ROD, 0},
                           {RoundingMode::SR, 0},  {RoundingMode::SRR, 3}};

std::vector<OverflowPolicy> policies(const Format& to) {
  if (to.family == Family::Int) return {OverflowPolicy::Ieee, OverflowPolicy::Saturate, OverflowPolicy::Wrap};
  return {OverflowPolicy::Ieee, OverflowPolicy::Saturate};
}

// One conversion, core vs oracle; returns false (and describes) on a mismatch.
bool same(const Format& from, uint64_t code, const Format& to, Env env, std::string* why) {
  const OracleResult want = oracle_convert(from, code, to, env);
  Env e = env;
  e.flags = 0;
  const uint64_t got = convert(from, code, to, e);
  const uint64_t draws = e.index - env.index;
  if (got == want.code && e.flags == want.flags && draws == want.draws) return true;
  *why = fmt::format("{} 0x{:x} -> {} mode {} overflow {} seed {}: core 0x{:x} flags {:02x} draws {}, oracle 0x{:x} "
                     "flags {:02x} draws {}",
                     from.name, code, to.name, rounding_name(env.mode, env.sr_bits), overflow_name(env.overflow),
                     env.seed, got, e.flags, draws, want.code, want.flags, want.draws);
  return false;
}

Env env_with(Env e, OverflowPolicy ov) {
  e.overflow = ov;
  return e;
}

uint64_t bits_of(double d) { return std::bit_cast<uint64_t>(d); }

double value_of(const Format& f, uint64_t c) {
  const Unpacked u = decode(f, c);
  if (u.is_nan()) return NAN;
  if (u.is_inf()) return u.sign ? -INFINITY : INFINITY;
  if (u.is_zero()) return u.sign ? -0.0 : 0.0;
  const double m = std::ldexp(double(u.significand), u.exponent);
  return u.sign ? -m : m;
}

uint64_t conv(const std::string& to, double x, RoundingMode mode = RoundingMode::RNE,
              OverflowPolicy ov = OverflowPolicy::Ieee, uint8_t* flags = nullptr) {
  Env env;
  env.mode = mode;
  env.overflow = ov;
  const uint64_t c = from_double(parse_format(to), x, env);
  if (flags) *flags = env.flags;
  return c;
}

}  // namespace

TEST_CASE("every code of every <= 8-bit int/codebook/float format into every int/codebook format, all modes") {
  std::vector<Format> targets, sources;
  for (const auto& s : int_specs()) targets.push_back(parse_format(s));
  for (const auto& s : table_specs()) targets.push_back(parse_format(s));
  sources = targets;
  for (const char* s : {"float8_e4m3fn", "float8_e5m2", "float6_e2m3fn", "float4_e2m1fn", "float8_e8m0fnu"})
    sources.push_back(parse_format(s));
  size_t cases = 0, bad = 0;
  for (const Format& to : targets)
    for (const Format& from : sources)
      for (const ModeSpec& m : kModes)
        for (OverflowPolicy ov : policies(to))
          for (uint64_t c : all_codes(from)) {
            Env env;
            env.mode = m.mode;
            env.sr_bits = m.sr_bits;
            env.overflow = ov;
            const int reps = (m.mode == RoundingMode::SR || m.mode == RoundingMode::SRR) ? 3 : 1;
            for (int r = 0; r < reps; ++r) {
              env.seed = uint64_t(r) * 7919 + c;
              std::string why;
              ++cases;
              if (!same(from, c, to, env, &why) && ++bad <= 10) FAIL_CHECK(why);
            }
          }
  MESSAGE(fmt::format("{} conversions checked", cases));
  CHECK(bad == 0);
}

TEST_CASE("dense exact values around every midpoint and end of every int/codebook format, all modes") {
  std::vector<Format> targets;
  for (const auto& s : int_specs()) targets.push_back(parse_format(s));
  for (const auto& s : table_specs()) targets.push_back(parse_format(s));
  const Format f64 = parse_format("float64");
  size_t cases = 0, bad = 0;
  for (const Format& to : targets) {
    // The sorted finite values, the midpoints, the ends +- one and two gaps.
    std::vector<double> vals;
    for (uint64_t c : all_codes(to)) {
      const double v = value_of(to, c);
      if (std::isfinite(v)) vals.push_back(v);
    }
    std::sort(vals.begin(), vals.end());
    vals.erase(std::unique(vals.begin(), vals.end()), vals.end());
    std::vector<double> probes;
    for (size_t i = 0; i + 1 < vals.size(); ++i) {
      const double a = vals[i], b = vals[i + 1], mid = (a + b) / 2, g = b - a;
      for (double d : {mid, std::nextafter(mid, -INFINITY), std::nextafter(mid, INFINITY), a + g / 4, a + 3 * g / 4,
                       a + g / 1024, b - g / 1024, a, b})
        probes.push_back(d);
    }
    const double lo = vals.front(), hi = vals.back(), g0 = vals[1] - vals[0], g1 = hi - vals[vals.size() - 2];
    for (double k : {0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 1e6})
      for (double d : {hi + k * g1, lo - k * g0}) probes.push_back(d);
    for (double d : std::vector<double>(probes)) probes.push_back(-d);
    probes.push_back(0.0);
    probes.push_back(-0.0);
    probes.push_back(1e-300);
    probes.push_back(-1e-300);
    for (const ModeSpec& m : kModes)
      for (OverflowPolicy ov : policies(to))
        for (double d : probes) {
          Env env;
          env.mode = m.mode;
          env.sr_bits = m.sr_bits;
          env.overflow = ov;
          const int reps = (m.mode == RoundingMode::SR || m.mode == RoundingMode::SRR) ? 4 : 1;
          for (int r = 0; r < reps; ++r) {
            env.seed = uint64_t(r) + 11;
            env.index = uint64_t(cases);
            std::string why;
            ++cases;
            if (!same(f64, bits_of(d), to, env, &why) && ++bad <= 10) FAIL_CHECK(why);
          }
        }
  }
  MESSAGE(fmt::format("{} midpoint conversions checked", cases));
  CHECK(bad == 0);
}

TEST_CASE("17..32-bit integers and fixed point against the direct MPFR lattice") {
  const Format f64 = parse_format("float64");
  size_t cases = 0, bad = 0;
  for (const char* s : {"int<bits=17>", "int<bits=24>", "int<bits=32>", "uint<bits=32>", "int<bits=32,symmetric=true>",
                        "q15.16", "uq16.16", "int<bits=20,frac=-4>"}) {
    const Format to = parse_format(s);
    const double top = std::ldexp(1.0, to.ip.bits - to.ip.frac_bits);
    for (uint64_t i = 0; i < 4000; ++i) {
      const uint64_t r = counter_random(5, 1, i);
      // Values spread over the range and past it, plus exact ties (k + 1/2) * q.
      double d;
      if (i % 3 == 0) d = (double(int64_t(r >> 11) % (int64_t(1) << 40)) + 0.5) * std::ldexp(1.0, -to.ip.frac_bits);
      else d = std::ldexp(double(r >> 11) / 9007199254740992.0, int(to.ip.bits - to.ip.frac_bits + 1 - (r % 40)));
      if (r & 1) d = -d;
      (void)top;
      for (const ModeSpec& m : kModes)
        for (OverflowPolicy ov : policies(to)) {
          Env env;
          env.mode = m.mode;
          env.sr_bits = m.sr_bits;
          env.overflow = ov;
          env.seed = i;
          std::string why;
          ++cases;
          if (!same(f64, bits_of(d), to, env, &why) && ++bad <= 10) FAIL_CHECK(why);
        }
    }
  }
  MESSAGE(fmt::format("{} wide-integer conversions checked", cases));
  CHECK(bad == 0);
}

TEST_CASE("the two oracle methods agree on <= 16-bit integers") {
  const Format f64 = parse_format("float64");
  size_t bad = 0;
  for (const char* s : {"int8", "uint8", "int4_sym", "q3.4", "int<bits=16>", "uint<bits=16>"}) {
    const Format to = parse_format(s);
    for (uint64_t i = 0; i < 3000; ++i) {
      const uint64_t r = counter_random(9, 2, i);
      double d = std::ldexp(double(r >> 11) / 9007199254740992.0, int(to.ip.bits - to.ip.frac_bits + 1 - (r % 30)));
      if (r & 1) d = -d;
      for (const ModeSpec& m : kModes) {
        Env env;
        env.mode = m.mode;
        env.sr_bits = m.sr_bits;
        env.seed = i;
        bad += oracle_convert(f64, bits_of(d), to, env, Method::Enumerate) !=
               oracle_convert(f64, bits_of(d), to, env, Method::Mpfr);
      }
    }
  }
  CHECK(bad == 0);
}

TEST_CASE("hand-worked integers: ties, symmetric saturation, wrap, RISC-V style ieee") {
  uint8_t fl = 0;
  CHECK(conv("int8", 2.5) == 2);
  CHECK(conv("int8", 2.5, RoundingMode::RNA) == 3);
  CHECK(conv("int8", 3.5) == 4);
  CHECK(conv("int8", -2.5) == 0xfe);
  CHECK(conv("int8", -2.5, RoundingMode::RNA) == 0xfd);
  CHECK(conv("int8", 2.7, RoundingMode::RTZ) == 2);
  CHECK(conv("int8", -2.7, RoundingMode::RDN) == 0xfd);
  CHECK(conv("int8", -2.2, RoundingMode::RUP) == 0xfe);
  CHECK(conv("int8", 2.5, RoundingMode::ROD) == 3);
  CHECK(conv("int8", 3.2, RoundingMode::ROD) == 3);
  CHECK(conv("int4_sym", -7.5, RoundingMode::RNE, OverflowPolicy::Saturate, &fl) == 0x9);  // -7
  CHECK(fl == (flag::overflow | flag::inexact));
  CHECK(conv("int4_sym", -7.4, RoundingMode::RNE, OverflowPolicy::Saturate, &fl) == 0x9);
  CHECK(fl == flag::inexact);
  CHECK(conv("int4", -7.5) == 0x8);  // -8 exists in plain int4 (tie to even)
  CHECK(conv("int8", 127.5, RoundingMode::RNE, OverflowPolicy::Ieee, &fl) == 0x7f);
  CHECK(fl == flag::invalid);  // IEEE 754 5.8 / RISC-V fcvt: invalid, not inexact
  CHECK(conv("int8", 127.4, RoundingMode::RNE, OverflowPolicy::Ieee, &fl) == 0x7f);
  CHECK(fl == flag::inexact);
  CHECK(conv("int8", 200, RoundingMode::RNE, OverflowPolicy::Wrap, &fl) == 0xc8);  // -56
  CHECK(fl == (flag::overflow | flag::inexact));
  CHECK(conv("int8", -129, RoundingMode::RNE, OverflowPolicy::Wrap) == 0x7f);
  CHECK(conv("uint8", 256.4, RoundingMode::RNE, OverflowPolicy::Wrap) == 0x00);
  CHECK(conv("uint8", -1, RoundingMode::RNE, OverflowPolicy::Wrap) == 0xff);
  CHECK(conv("int4_sym", 8, RoundingMode::RNE, OverflowPolicy::Wrap) == 0x9);  // 8 mod 15 in [-7,7]: -7
  CHECK(conv("uint8", -0.4) == 0);
  CHECK(conv("uint8", -0.7, RoundingMode::RNE, OverflowPolicy::Ieee, &fl) == 0);
  CHECK(fl == flag::invalid);
  CHECK(conv("int8", NAN, RoundingMode::RNE, OverflowPolicy::Ieee, &fl) == 0x7f);
  CHECK(fl == flag::invalid);
  CHECK(conv("int8", -INFINITY) == 0x80);
  CHECK(conv("int8", -INFINITY, RoundingMode::RNE, OverflowPolicy::Saturate, &fl) == 0x80);
  CHECK(fl == (flag::overflow | flag::inexact));
  CHECK(conv("q3.4", 1.03125) == 0x10);    // 1 + 1/32: tie between 16/16 and 17/16, to even 16
  CHECK(conv("q3.4", 1.09375) == 0x12);    // tie between 17 and 18 sixteenths
  CHECK(conv("q3.4", -8.03) == 0x80);
  CHECK(conv("int<bits=32>", 2147483647.5) == 0x7fffffff);
  CHECK(conv("int<bits=32>", -2147483648.5) == 0x80000000);
  CHECK(conv("uint<bits=32>", 4294967295.0) == 0xffffffff);
}

TEST_CASE("hand-worked codebooks: NF4 ties, rank-parity ties, zero-free tables, overflow") {
  uint8_t fl = 0;
  const double z1 = double(0.07958029955625534f);
  CHECK(conv("nf4", z1 / 2) == 7);                       // tie 0 / 0.0796: even rank (0)
  CHECK(conv("nf4", z1 / 2, RoundingMode::RNA) == 8);     // away from zero
  CHECK(conv("nf4", std::nextafter(z1 / 2, 1.0)) == 8);
  CHECK(conv("nf4", 1.1) == 15);                          // below the end 1 + (1 - 0.7229...) / 2
  CHECK(conv("nf4", 1.2, RoundingMode::RNE, OverflowPolicy::Ieee, &fl) == 15);
  CHECK(fl == (flag::overflow | flag::inexact));          // rounds to the end point: overflow
  CHECK(conv("nf4", -0.3, RoundingMode::RTZ) == 4);       // toward zero: -0.2844
  CHECK(conv("nf4", -0.3, RoundingMode::RDN) == 3);       // -0.3949
  CHECK(conv("nf4", -0.0) == 7);                          // one zero code
  CHECK(conv("bitmod_fp3_er_pos", 2.5) == 2);             // tie 2 (rank 2) / 3 (rank 3, code 100)
  CHECK(conv("bitmod_fp3_er_pos", 3.5) == 3);             // tie 3 / 4: to 4 (rank 4)
  CHECK(conv("bitmod_fp3_er_pos", 2.6) == 4);             // 3 lives in code 100
  CHECK(conv("bitmod_fp3_ea_neg", -5.5) == 4);            // -6 (code 100) is nearer than -4
  CHECK(conv("bitmod_fp3_ea_neg", -5) == 4);              // tie -4 (rank 3) / -6 (rank 4): even rank
  CHECK(conv("bitmod_fp4_ea_pos", 14) == 8);              // tie 12 (rank 7) / 16 (rank 8, code 1000): 16
  CHECK(conv("bitmod_fp4_ea_pos", 20) == 8);              // 20 is the end point 16 + (16 - 12): overflow, 16
  CHECK(conv("bitmod_fp4_er_neg", -9) == 14);             // tie -8 (rank 6, code 1110) / -10 (rank 7, code 1000): -8
  CHECK(conv("ternary", 0.5) == 0);
  CHECK(conv("ternary", 0.5, RoundingMode::RNA) == 1);
  CHECK(conv("ternary", -1.4) == 3);
  CHECK(conv("ternary", -1.6, RoundingMode::RNE, OverflowPolicy::Saturate, &fl) == 3);
  CHECK(fl == (flag::overflow | flag::inexact));
  CHECK(conv("binary", 0.3, RoundingMode::RNE, OverflowPolicy::Ieee, &fl) == 1);  // virtual zero -> +1
  CHECK(fl == (flag::underflow | flag::inexact));
  CHECK(conv("binary", -0.0, RoundingMode::RNE, OverflowPolicy::Ieee, &fl) == 0);  // -0 -> -1
  CHECK(conv("binary", 2.5) == 1);
  CHECK(conv("denseshift3", 0.75) == 3);                  // tie 1/2 (rank 3) / 1 (rank 4): to 1
  CHECK(conv("denseshift3", 0.01, RoundingMode::RTZ) == 0);  // below 1/8: never changes sign
  CHECK(conv("pow2_3", 0.375) == 2);                      // 1/4 (rank 1) / 1/2 (rank 2): tie to 1/2
  CHECK(conv("pow2_3", -0.1) == 4);                       // -0 code
}

TEST_CASE("codebooks under overflow=wrap round as under ieee (wrap is an integer policy, SEMANTICS.md)") {
  // The user codebook: 0:0 1:0.375 2:1 3:2.5 4:inf 5:nan 6:unused 7:3; END = 3 + (3 - 2.5) = 3.5, the
  // empty negative side's END is the first gap 0.375.
  const std::string cb = user_codebook();
  uint8_t fl = 0;
  CHECK(conv(cb, 10, RoundingMode::RNE, OverflowPolicy::Wrap, &fl) == 4);  // +inf, as ieee
  CHECK(fl == (flag::overflow | flag::inexact));
  CHECK(conv(cb, 10, RoundingMode::RNE, OverflowPolicy::Ieee) == 4);
  CHECK(conv(cb, 10, RoundingMode::RNE, OverflowPolicy::Saturate) == 7);   // 3
  CHECK(conv(cb, 10, RoundingMode::RTZ, OverflowPolicy::Wrap) == 7);       // toward zero keeps the max
  CHECK(conv(cb, 3.2, RoundingMode::RNE, OverflowPolicy::Wrap) == 7);      // below END: 3, no overflow
  CHECK(conv(cb, -1, RoundingMode::RNE, OverflowPolicy::Wrap, &fl) == 5);  // no -inf: the NaN
  CHECK(fl == (flag::overflow | flag::inexact));
  CHECK(conv(cb, -1, RoundingMode::RNE, OverflowPolicy::Saturate) == 0);   // E = 0
  CHECK(conv(cb, INFINITY, RoundingMode::RNE, OverflowPolicy::Wrap, &fl) == 4);
  CHECK(fl == 0);
  CHECK(conv(cb, INFINITY, RoundingMode::RNE, OverflowPolicy::Saturate, &fl) == 7);
  CHECK(fl == (flag::overflow | flag::inexact));
  CHECK(conv(cb, -INFINITY, RoundingMode::RNE, OverflowPolicy::Wrap, &fl) == 5);
  CHECK(fl == flag::invalid);
  CHECK(conv("nf4", 5, RoundingMode::RNE, OverflowPolicy::Wrap) == 15);    // no inf, no NaN: the max
  CHECK(conv("nf4", -5, RoundingMode::RNE, OverflowPolicy::Wrap) == 0);
  // Every float8_e5m2 code: wrap == ieee in the core, and the oracle agrees.
  const Format e5m2 = parse_format("float8_e5m2");
  size_t cases = 0, bad = 0;
  for (const std::string& s : {cb, std::string("nf4"), std::string("binary"), std::string("bitmod_fp4_ea_neg")}) {
    const Format to = parse_format(s);
    for (const ModeSpec& m : kModes)
      for (uint64_t c : all_codes(e5m2)) {
        Env env;
        env.mode = m.mode;
        env.sr_bits = m.sr_bits;
        env.seed = c;
        Env ieee = env, wrap = env;
        wrap.overflow = OverflowPolicy::Wrap;
        const uint64_t a = convert(e5m2, c, to, ieee), b = convert(e5m2, c, to, wrap);
        std::string why;
        ++cases;
        if ((a != b || ieee.flags != wrap.flags) && ++bad <= 10)
          FAIL_CHECK(fmt::format("{} 0x{:x} -> {}: ieee 0x{:x}/{:02x}, wrap 0x{:x}/{:02x}", e5m2.name, c, s, a,
                                 ieee.flags, b, wrap.flags));
        if (!same(e5m2, c, to, env_with(env, OverflowPolicy::Wrap), &why) && ++bad <= 10) FAIL_CHECK(why);
      }
  }
  MESSAGE(fmt::format("{} conversions checked", cases));
  CHECK(bad == 0);
}

TEST_CASE("add / sub / mul on integer, fixed-point and codebook formats against the oracle") {
  size_t cases = 0, bad = 0;
  for (const char* s : {"int4", "uint4", "int4_sym", "q1.2", "int8", "nf4", "ternary", "denseshift3", "bitmod_fp4_ea_pos"}) {
    const Format f = parse_format(s);
    const bool big = f.width() > 4;
    for (const ModeSpec& m : kModes) {
      if (big && m.mode != RoundingMode::RNE && m.mode != RoundingMode::SR) continue;
      for (OverflowPolicy ov : policies(f))
        for (Op op : {Op::Add, Op::Sub, Op::Mul})
          for (uint64_t a : all_codes(f))
            for (uint64_t b : all_codes(f)) {
              Env env;
              env.mode = m.mode;
              env.sr_bits = m.sr_bits;
              env.overflow = ov;
              env.seed = a * 977 + b;
              const OracleResult want = oracle_binary(op, f, a, b, env);
              Env e = env;
              const uint64_t got = op == Op::Add ? add(f, a, b, e) : op == Op::Sub ? sub(f, a, b, e) : mul(f, a, b, e);
              ++cases;
              if ((got != want.code || e.flags != want.flags || e.index - env.index != want.draws) && ++bad <= 10)
                FAIL_CHECK(fmt::format("{} {} 0x{:x} 0x{:x} mode {} overflow {}: core 0x{:x}/{:02x}, oracle 0x{:x}/{:02x}",
                                       op_name(op), f.name, a, b, rounding_name(env.mode, env.sr_bits),
                                       overflow_name(ov), got, e.flags, want.code, want.flags));
            }
    }
  }
  MESSAGE(fmt::format("{} operations checked", cases));
  CHECK(bad == 0);
  // Hand-worked: int8 100 + 100 saturates / wraps; q1.2 0.75 * 0.75 = 0.5625 -> 0.5 (tie to even 2/4).
  Env env;
  const Format i8 = parse_format("int8");
  env.overflow = OverflowPolicy::Wrap;
  CHECK(add(i8, 100, 100, env) == 0xc8);
  env.overflow = OverflowPolicy::Saturate;
  CHECK(add(i8, 100, 100, env) == 0x7f);
  const Format q = parse_format("q1.2");
  Env e2;
  CHECK(mul(q, 3, 3, e2) == 2);
}

TEST_CASE("hand-worked HiFloat8 conversions (the table family on HiF8's value set)") {
  uint8_t fl = 0;
  CHECK(conv("hifloat8", 1.0) == 0x08);    // dot 0001 (no exponent bits), mantissa 000
  CHECK(conv("hif8", -1.0) == 0x88);
  CHECK(conv("hifloat8", 32768) == 0x6E);  // max 2^15: dot 11, exponent +15, mantissa 0
  CHECK(conv("hifloat8", 30000) == 0x6E);  // between 24576 (0x6D) and 32768; midpoint 28672
  CHECK(conv("hifloat8", 28672) == 0x6E);  // the tie goes to the even code (0x6E)
  CHECK(conv("hifloat8", 28672, RoundingMode::RTZ) == 0x6D);
  CHECK(conv("hifloat8", 40000, RoundingMode::RNE, OverflowPolicy::Ieee, &fl) == 0x6F);  // +inf
  CHECK(fl == (flag::overflow | flag::inexact));
  CHECK(conv("hifloat8", 40000, RoundingMode::RNE, OverflowPolicy::Saturate) == 0x6E);
  CHECK(conv("hifloat8", std::ldexp(1.0, -22)) == 0x01);  // the smallest denormal, 2^(1-23)
  CHECK(conv("hifloat8", std::ldexp(1.0, -24)) == 0x00);  // below half of it: the one zero
  CHECK(conv("hifloat8", -0.0) == 0x00);
  CHECK(conv("hifloat8", NAN) == 0x80);
}

TEST_CASE("table values print as the shortest float64 text of the exact value (not the shortest that reads back)") {
  const Format nf4 = parse_format("nf4");
  CHECK(value_to_string(nf4, 0xb) == "0.33791524171829224");  // "0.3" would read back too, hiding the rounding
  CHECK(value_to_string(nf4, 0x0) == "-1");
  CHECK(value_to_string(nf4, 0x7) == "0");
  CHECK(value_to_string(parse_format("hifloat8"), 0x01) == "2.384185791015625e-07");
  CHECK(value_to_string(parse_format("int8"), 0x80) == "-128");  // other families keep the format's shortest
}
