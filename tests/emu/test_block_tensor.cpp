// Tensors: every element of every block scheme equals the ORACLE's rounding of the scaled value
// (seeded random tensors, every rounding mode); the float32 fast paths equal the generic path;
// results are byte-identical for 1, 2 and many threads; pack/unpack round trips.
#include <doctest/doctest.h>

#include <bit>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <random>
#include <vector>

#include "emu/block/block_quantize.hpp"
#include "emu/block/int_grid.hpp"
#include "emu/reference/oracle.hpp"
#include "emu/scheme.hpp"
#include "emu/tensor/pack.hpp"
#include "emu/tensor/quantize.hpp"
#include "formats/float_codec.hpp"
#include "formats/spec.hpp"

using namespace bitexact;

namespace {

// Heavy-tailed values with exact ties, zeros, tiny and huge magnitudes, per block.
std::vector<float> make_tensor(size_t n, uint64_t seed) {
  std::mt19937_64 g(seed);
  std::student_t_distribution<float> t(3.0f);
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) {
    const int kind = int(g() % 16);
    if (kind == 0) v[i] = 0;
    else if (kind == 1) v[i] = std::ldexp(float(int(g() % 16) - 8) * 0.5f, int(g() % 8) - 4);  // grid points and ties
    else if (kind == 2) v[i] = std::ldexp(t(g), -int(g() % 60));                            // tiny
    else v[i] = t(g) * std::ldexp(1.0f, int(g() % 5) - 2);
  }
  // Whole blocks of zeros, a block with a huge outlier and one of float32 subnormals.
  for (size_t i = 64; i < 96 && i < n; ++i) v[i] = 0;
  if (n > 200) v[130] = 3e37f;
  for (size_t i = 160; i < 192 && i < n; ++i) v[i] = std::ldexp(float(i % 7), -140);
  return v;
}

const Format& wide() {
  static const Format f = parse_format("float64");
  return f;
}

uint64_t wide_code(double x) {
  Env e;
  return reference::oracle_convert(parse_format("float64"), std::bit_cast<uint64_t>(x), wide(), e).code;
}

// The oracle's code for element i: x / S (S the block's decoded scale) rounded to float64
// by the oracle (a double rounding that is exact here: x has 24 bits and S at most 28), then
// converted into the element format by the oracle under env with the element's index.
uint64_t oracle_element(const BlockFormat& b, float x, double S, Env env, uint64_t index) {
  Env rne;
  const uint64_t q = reference::oracle_binary(reference::Op::Div, wide(), wide_code(double(x)), wide_code(S), rne).code;
  env.index = index;
  env.overflow = OverflowPolicy::Saturate;
  if (!b.int_element) return reference::oracle_convert(wide(), q, b.element, env).code;
  const Format grid = make_int_grid(b.int_bits + 1, b.kind == BlockKind::GroupInt ? 0 : b.int_frac);
  const uint64_t c = reference::oracle_convert(wide(), q, grid, env).code;
  return uint64_t(grid_to_int(grid, c));  // two's complement, masked by the caller
}

}  // namespace

TEST_CASE("every element equals the oracle's rounding of the scaled value (all schemes, all modes)") {
  const std::vector<float> x = make_tensor(512, 42);
  const char* schemes[] = {"mxfp8_e4m3", "mxfp8_e5m2<rule=rceil>", "mxfp6_e2m3<rule=ceil>", "mxfp6_e3m2<rule=even>",
                           "mxfp4", "mxfp4<rule=rceil>", "mxint8", "mxint8<rule=even>", "nvfp4", "nvfp4<tensor=none>",
                           "bfp<m=6,block=16>", "int4<group=32>", "int8<group=64,scale=float32>"};
  const char* modes[] = {"rne", "rna", "rtz", "rup", "rdn", "rod", "sr", "sr:5"};
  size_t checked = 0;
  for (const char* spec : schemes) {
    const Scheme s = parse_scheme(spec);
    const BlockFormat& b = s.block;
    for (const char* mode : modes) {
      CAPTURE(spec);
      CAPTURE(mode);
      Env env;
      env.mode = parse_rounding(mode, &env.sr_bits);
      env.seed = 99;
      env.index = 1000;
      const QuantizedTensor q = quantize(s, std::span<const float>(x), env, nullptr, 2);
      const uint64_t mask = (uint64_t{1} << q.code_bits) - 1;
      for (size_t i = 0; i < x.size(); ++i) {
        const size_t k = i / b.block;
        const double S = block_scale_value(b, q.scale_codes[k]) * q.tensor_scale;
        if (std::isnan(S) || x[i] == 0) continue;
        uint64_t expect = oracle_element(b, x[i], S, env, 1000 + i);
        if (b.int_element) {
          int64_t v = int64_t(expect);
          const int64_t hi = (int64_t{1} << (b.int_bits - 1)) - 1;
          v = std::clamp(v, -hi, hi);
          expect = uint64_t(v) & mask;
        }
        if (q.code(i) != expect) {
          CAPTURE(i);
          CAPTURE(x[i]);
          CHECK(q.code(i) == expect);
        }
        ++checked;
      }
    }
  }
  MESSAGE("elements checked against the oracle: " << checked);
}

TEST_CASE("float32 fast paths equal the generic path: codes, scales, flags, stats") {
  const std::vector<float> x = make_tensor(4096 + 19, 7);
  std::vector<float> y = x;  // plus NaN / Inf blocks and a block holding one scale-underflowing value
  y[300] = std::numeric_limits<float>::infinity();
  y[333] = std::numeric_limits<float>::quiet_NaN();
  y[1000] = -std::numeric_limits<float>::infinity();
  const char* schemes[] = {"mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp4", "mxfp4<rule=rceil>",
                           "mxfp4<rule=ceil>", "mxfp4<rule=even>", "mxfp8_e4m3<overflow=saturate,zero=one>",
                           "mxfp8_e5m2<special=element>", "nvfp4", "nvfp4<tensor=none>", "nvfp4<zero=one>",
                           "nvfp4<special=element>", "mxfp4<block=16>"};
  size_t cases = 0;
  for (const char* spec : schemes) {
    const Scheme s = parse_scheme(spec);
    for (const char* mode : {"rne", "rtz", "rup", "rna"}) {
      for (const std::vector<float>* in : std::initializer_list<const std::vector<float>*>{&x, &y}) {
        for (Tininess tin : {Tininess::AfterRounding, Tininess::BeforeRounding}) {
          CAPTURE(spec);
          CAPTURE(mode);
          Env e1, e2;
          e1.mode = e2.mode = parse_rounding(mode, nullptr);
          e1.tininess = e2.tininess = tin;
          QuantizeStats s1, s2;
          const QuantizedTensor fast = quantize(s, std::span<const float>(*in), e1, &s1, 1);
          const QuantizedTensor ref = quantize_reference(s, std::span<const float>(*in), e2, &s2, 1);
          CHECK(fast.codes == ref.codes);
          CHECK(fast.scale_codes == ref.scale_codes);
          CHECK(fast.tensor_scale == ref.tensor_scale);
          CHECK(int(e1.flags) == int(e2.flags));
          CHECK(s1.clipped == s2.clipped);
          CHECK(s1.flushed_to_zero == s2.flushed_to_zero);
          CHECK(s1.nonfinite == s2.nonfinite);
          ++cases;
        }
      }
    }
  }
  MESSAGE("fast-vs-generic tensor comparisons: " << cases);
}

TEST_CASE("identical bytes for 1, 2 and many threads (stochastic rounding included)") {
  const std::vector<float> x = make_tensor(100003, 3);
  std::vector<double> xd(x.begin(), x.end());
  for (const char* spec : {"mxfp4", "nvfp4", "mxint8", "bfp<m=5>", "uint4<group=128>", "mxfp4<rht=64,seed=5>",
                           "float8_e4m3fn", "float6_e2m3fn"}) {
    for (const char* mode : {"rne", "sr", "sr:8"}) {
      CAPTURE(spec);
      CAPTURE(mode);
      const Scheme s = parse_scheme(spec);
      QuantizedTensor first;
      std::vector<double> first_out;
      for (int t : {1, 2, 5, 16}) {
        Env e;
        e.mode = parse_rounding(mode, &e.sr_bits);
        e.seed = 11;
        QuantizeStats st;
        const QuantizedTensor q = quantize(s, std::span<const double>(xd), e, &st, t);
        std::vector<double> out(xd.size());
        fake_quantize(s, xd, out, e, nullptr, t);
        if (t == 1) {
          first = q;
          first_out = out;
          continue;
        }
        CHECK(q.codes == first.codes);
        CHECK(q.scale_codes == first.scale_codes);
        CHECK(q.zero_points == first.zero_points);
        CHECK(std::memcmp(out.data(), first_out.data(), out.size() * sizeof(double)) == 0);
      }
    }
  }
}

TEST_CASE("fake quantization of scalar schemes equals the core conversion") {
  const std::vector<float> x = make_tensor(2000, 5);
  std::vector<double> xd(x.begin(), x.end()), out(x.size());
  for (const char* spec : {"float8_e4m3fn", "float4_e2m1fn", "bfloat16"}) {
    const Scheme s = parse_scheme(spec);
    Env env;
    env.overflow = OverflowPolicy::Saturate;
    fake_quantize(s, xd, out, env);
    for (size_t i = 0; i < x.size(); ++i) {
      const uint64_t c = reference::oracle_convert(parse_format("float64"), std::bit_cast<uint64_t>(xd[i]), s.format, env).code;
      const Unpacked u = decode(s.format, c);
      const double v = u.cls == ValueClass::Finite ? std::ldexp(double(u.significand), u.exponent) * (u.sign ? -1 : 1)
                                                   : (u.sign ? -0.0 : 0.0);
      CHECK(std::bit_cast<uint64_t>(out[i]) == std::bit_cast<uint64_t>(v));
    }
  }
}

TEST_CASE("dequantize to float32 and real quantize round trip") {
  const std::vector<float> x = make_tensor(1024, 9);
  const Scheme s = parse_scheme("mxfp8_e4m3");
  Env e;
  const QuantizedTensor q = quantize(s, std::span<const float>(x), e);
  std::vector<float> back(x.size());
  dequantize(s, q, std::span<float>(back));
  // Requantizing the dequantized tensor reproduces the codes (the values are on the grid).
  Env e2;
  const QuantizedTensor q2 = quantize(s, std::span<const float>(back), e2);
  CHECK(q2.codes == q.codes);
}

TEST_CASE("pack / unpack: all widths 1..8, bit order little-endian") {
  CHECK(pack_codes(std::vector<uint8_t>{1, 2}, 4) == std::vector<uint8_t>{0x21});
  CHECK(pack_codes(std::vector<uint8_t>{1, 0, 1, 1, 0, 0, 0, 1, 1}, 1) == std::vector<uint8_t>{0x8D, 0x01});
  CHECK(pack_codes(std::vector<uint8_t>{0x3F, 0x01}, 6) == std::vector<uint8_t>{0x7F, 0x00});
  CHECK(pack_codes(std::vector<uint8_t>{5, 7, 1}, 3) == std::vector<uint8_t>{0x7D, 0x00});  // 101 111 001
  std::mt19937_64 g(1);
  size_t cases = 0;
  for (int bits = 1; bits <= 8; ++bits) {
    for (size_t n : {0u, 1u, 7u, 8u, 9u, 1000u, 1003u}) {
      std::vector<uint8_t> c(n);
      for (auto& v : c) v = uint8_t(g() & ((1u << bits) - 1));
      const std::vector<uint8_t> p = pack_codes(c, bits);
      CHECK(p.size() == packed_size(n, bits));
      CHECK(unpack_codes(p, bits, n) == c);
      ++cases;
    }
  }
  CHECK_THROWS_AS(pack_codes(std::vector<uint8_t>{16}, 4), std::invalid_argument);
  CHECK_THROWS_AS(unpack_codes(std::vector<uint8_t>{0}, 4, 3), std::invalid_argument);
  CHECK_THROWS_AS(pack_codes(std::vector<uint8_t>{1}, 9), std::invalid_argument);
  MESSAGE("pack round trips: " << cases);
}
