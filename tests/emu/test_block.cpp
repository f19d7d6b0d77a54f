// Block-scaled formats on hand-worked blocks: every scale rule, the edge cases (all-zero block,
// Inf/NaN in a block, E8M0 overflow and underflow, block max a power of two, microxcaling #4),
// NVFP4's two-level scales, BFP, group-wise INT and absmax groups of any scalar element (NF4,
// E2M1, INT4), with an oracle property test for the latter; scheme parsing and naming.
#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "emu/block/block_quantize.hpp"
#include "emu/block/exact_value.hpp"
#include "emu/reference/oracle.hpp"

#include "emu/scheme.hpp"
#include "emu/tensor/quantize.hpp"
#include "formats/codec.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"

using namespace bitexact;

namespace {

struct Run {
  QuantizedTensor q;
  std::vector<double> out;
  QuantizeStats st;
  uint8_t flags = 0;
};

Run run(const std::string& spec, std::vector<double> in, Env env = Env{}) {
  const Scheme s = parse_scheme(spec);
  Run r;
  r.q = quantize(s, std::span<const double>(in), env, &r.st, 1);
  r.flags = env.flags;
  r.out.resize(in.size());
  dequantize(s, r.q, std::span<double>(r.out), 1);
  return r;
}

std::vector<double> block_of(std::initializer_list<double> head, size_t n = 32) {
  std::vector<double> v(head);
  v.resize(n, 0.0);
  return v;
}

}  // namespace

TEST_CASE("MX floor: microxcaling issue #4, 957 becomes 896") {
  // floor(log2 957) = 9, emax(E4M3) = 8: X = 2; 957/2 = 478.5 clamps to 448 -> 896.
  const Run r = run("mxfp8_e4m3", block_of({957, 1}));
  CHECK(r.q.scale_codes[0] == 128);
  CHECK(r.q.code(0) == 0x7E);
  CHECK(r.out[0] == 896);
  CHECK(r.out[1] == 1);
  CHECK(r.st.clipped == 1);
  // rceil: X = 2^ceil(log2(957/448)) = 4; 957/4 = 239.25 -> 240 -> 960, nothing clips.
  const Run c = run("mxfp8_e4m3<rule=rceil>", block_of({957, 1}));
  CHECK(c.q.scale_codes[0] == 129);
  CHECK(c.out[0] == 960);
  CHECK(c.st.clipped == 0);
}

TEST_CASE("MXFP4: the four scale rules on amax 7, 6 and 8 (a power of two)") {
  // amax 7: floor -> X=1, 7 clips to 6; rceil ceil(log2(7/6))=1 -> X=2, 3.5 ties to 4 (even) -> 8;
  // ceil: ceil(log2 7)-2 = 1; even: 7 = 1.11b rounds (half up at 1 mantissa bit) to 8 -> X=2.
  CHECK(run("mxfp4", block_of({7})).out[0] == 6);
  CHECK(run("mxfp4<rule=rceil>", block_of({7})).out[0] == 8);
  CHECK(run("mxfp4<rule=ceil>", block_of({7})).out[0] == 8);
  CHECK(run("mxfp4<rule=even>", block_of({7})).out[0] == 8);
  // amax 6: floor, rceil and even keep X=1; ceil takes X=2 (ceil(log2 6)=3) and 6/2 = 3 is exact.
  for (const char* s : {"mxfp4", "mxfp4<rule=rceil>", "mxfp4<rule=even>"}) {
    const Run r = run(s, block_of({6, 0.5}));
    CHECK(r.q.scale_codes[0] == 127);
    CHECK(r.out[0] == 6);
    CHECK(r.out[1] == 0.5);
  }
  const Run c = run("mxfp4<rule=ceil>", block_of({6, 0.5}));
  CHECK(c.q.scale_codes[0] == 128);
  CHECK(c.out[0] == 6);
  CHECK(c.out[1] == 0);  // 0.25 is half of the smallest subnormal 0.5: ties to even (0)
  // amax 8 = 2^3: every rule gives X = 2 and 8/2 = 4 exactly (code 0b0110).
  for (const char* s : {"mxfp4", "mxfp4<rule=rceil>", "mxfp4<rule=ceil>", "mxfp4<rule=even>"}) {
    const Run r = run(s, block_of({8, -3}));
    CHECK(r.q.scale_codes[0] == 128);
    CHECK(r.q.code(0) == 0x6);
    CHECK(r.q.code(1) == 0xB);  // -1.5 * 2
    CHECK(r.out[0] == 8);
  }
}

TEST_CASE("MX: all-zero block, signed zeros, zero policy") {
  const Run r = run("mxfp8_e4m3", block_of({0.0, -0.0}));
  CHECK(r.q.scale_codes[0] == 0);  // 2^-127
  CHECK(r.q.code(0) == 0x00);
  CHECK(r.q.code(1) == 0x80);
  CHECK(std::signbit(r.out[1]));
  CHECK(r.st.flushed_to_zero == 0);
  CHECK(run("mxfp8_e4m3<zero=one>", block_of({0.0})).q.scale_codes[0] == 127);
}

TEST_CASE("MX: Inf / NaN in a block") {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const Run r = run("mxfp8_e4m3", block_of({1, inf}));
  CHECK(r.q.scale_codes[0] == 0xFF);
  CHECK(std::isnan(r.out[0]));
  CHECK(std::isnan(r.out[31]));
  CHECK(r.st.nonfinite == 1);
  // special=element: the scale follows the finite elements; Inf/NaN are not clamped (MX v1.0):
  // E5M2 keeps Inf, E4M3 turns it into NaN (OFP8 non-saturating), NaN stays NaN.
  const Run e = run("mxfp8_e5m2<special=element>", block_of({1, -inf, nan}));
  CHECK(e.q.scale_codes[0] == 127 - 15);
  CHECK(e.q.code(1) == 0xFC);
  CHECK(e.out[0] == 1);
  CHECK(e.out[1] == -inf);
  CHECK(std::isnan(e.out[2]));
  const Run f = run("mxfp8_e4m3<special=element>", block_of({1, inf, nan}));
  CHECK(f.q.code(1) == 0x7F);
  CHECK((f.q.code(2) & 0x7F) == 0x7F);
  CHECK(f.out[0] == 1);
  CHECK(std::isnan(f.out[1]));
  // FP4 has neither: Inf saturates to 6 x scale.
  CHECK(run("mxfp4<special=element>", block_of({1, inf})).out[1] == 6 * 0.25);
}

TEST_CASE("MX: E8M0 overflow (nan or saturate) and underflow (clamped to 2^-127)") {
  const double big = std::ldexp(1.0, 200);
  const Run n = run("mxfp4", block_of({big, 1}));
  CHECK(n.q.scale_codes[0] == 0xFF);
  CHECK(std::isnan(n.out[0]));
  const Run s = run("mxfp4<overflow=saturate>", block_of({big, 1}));
  CHECK(s.q.scale_codes[0] == 254);
  CHECK(s.out[0] == 6 * std::ldexp(1.0, 127));
  CHECK(s.st.clipped == 1);
  // float32's largest value with rceil and MXINT8 (max element 127/64): ceil(log2) = 128 > 127.
  const Run i = run("mxint8<rule=rceil>", block_of({double(std::numeric_limits<float>::max())}));
  CHECK(i.q.scale_codes[0] == 0xFF);
  const Run u = run("mxfp4", block_of({std::ldexp(1.0, -140), std::ldexp(1.0, -126)}));
  CHECK(u.q.scale_codes[0] == 0);  // floor gives -142, clamped to -127
  CHECK(u.out[0] == 0);            // 2^-13 at scale 2^-127 is below E2M1's 0.5
  CHECK(u.out[1] == std::ldexp(1.0, -126));
  CHECK(u.st.flushed_to_zero == 1);
}

TEST_CASE("a scale format without NaN: a block holding Inf keeps the finite elements' scale") {
  const double inf = std::numeric_limits<double>::infinity();
  // special=nan needs a NaN scale code; float6_e3m2fn has none, so the block scales by its finite amax.
  const Run r = run("nvfp4<scale=float6_e3m2fn,tensor=none>", block_of({3, inf}, 16));
  CHECK(r.out[0] == 3);   // scale 3/6 = 0.5 (exact in E3M2), element 6
  CHECK(r.out[1] == 3);   // E2M1 has no Inf: saturates to 6 x 0.5
  CHECK(r.st.nonfinite == 1);
  const Run g = run("int4<group=16,scale=float6_e3m2fn>", block_of({7, -inf}, 16));
  CHECK(g.out[0] == 7);   // scale 7/7 = 1
  CHECK(g.out[1] == -7);  // -inf saturates to the most negative symmetric level
}

TEST_CASE("MXINT8: int8 times 2^-6, -128 unused") {
  const Run r = run("mxint8", block_of({1.0, -0.5, 100.0 / 64}));
  CHECK(r.q.scale_codes[0] == 127);
  CHECK(r.q.code(0) == 64);
  CHECK(r.q.code(1) == 0xE0);  // -32
  CHECK(r.q.code(2) == 100);
  CHECK(r.out[1] == -0.5);
  const Run m = run("mxint8", block_of({1.999, -1.999}));
  CHECK(m.q.code(1) == 0x81);  // -127.936 rounds to -128, saturates to -127
  CHECK(m.out[1] == -127.0 / 64);
  const Run b = run("mxint8", block_of({100, 3}));
  CHECK(b.q.scale_codes[0] == 127 + 6);
  CHECK(b.out[0] == 100);
  CHECK(b.out[1] == 3);
  CHECK(bits_per_value(parse_scheme("mxint8")) == 8.25);
}

TEST_CASE("NVFP4: block scale amax/6 in UE4M3, FP32 tensor scale amax/(448*6)") {
  // Single level: amax 5 -> 5/6 = 0.8333 -> UE4M3 RNE 0.8125 (0x35); 5/0.8125 = 6.15 clips to 6.
  std::vector<double> v(16, 0.0);
  v[0] = 5;
  v[1] = 1;
  const Run r = run("nvfp4<tensor=none>", v);
  CHECK(r.q.tensor_scale == 1);
  CHECK(r.q.scale_codes[0] == 0x35);
  CHECK(r.out[0] == 6 * 0.8125);
  CHECK(r.out[1] == 1 * 0.8125);  // 1/0.8125 = 1.23 -> 1
  CHECK(r.st.clipped == 1);
  // scale_round=rup: 0.875, 5/0.875 = 5.71 -> 6 -> 5.25, no clipping.
  const Run u = run("nvfp4<tensor=none,scale_round=rup>", v);
  CHECK(u.q.scale_codes[0] == 0x36);
  CHECK(u.out[0] == 5.25);
  CHECK(u.st.clipped == 0);
  // Two levels: tensor amax 1344 -> s_t = 1344/2688 = 0.5; the block of amax 3: 3/(6*0.5) = 1.
  std::vector<double> w(32, 0.0);
  w[0] = 1344;
  w[16] = 3;
  w[17] = -0.75;
  const Run t = run("nvfp4", w);
  CHECK(t.q.tensor_scale == 0.5);
  CHECK(t.q.scale_codes[0] == 0x7E);  // 1344/(6*0.5) = 448
  CHECK(t.q.scale_codes[1] == 0x38);  // 1.0
  CHECK(t.out[0] == 1344);
  CHECK(t.out[16] == 3);
  CHECK(t.out[17] == -0.75);
  CHECK(t.q.code(17) == 0x8 + 0x3);  // -1.5 at total scale 0.5
  // The tensor scale is float32: amax 1 -> fp32(1/2688).
  std::vector<double> one(16, 0.0);
  one[0] = 1;
  CHECK(run("nvfp4", one).q.tensor_scale == double(float(1.0 / 2688)));
  CHECK(bits_per_value(parse_scheme("nvfp4")) == 4.5);  // the 7-bit UE4M3 scale is stored in a byte
  // All-zero block: the clamp's lower end 2^-6 (torchao), or 1.0.
  CHECK(run("nvfp4", std::vector<double>(16, 0.0)).q.scale_codes[0] == 0x08);
  CHECK(run("nvfp4<zero=one>", std::vector<double>(16, 0.0)).q.scale_codes[0] == 0x38);
}

TEST_CASE("BFP: m-bit mantissas sharing floor(log2 amax)") {
  // bfp<m=4,block=4>: mantissas -7..7 times 2^-2 relative to 2^floor(log2 amax).
  const Run r = run("bfp<m=4,block=4>", {1.0, 0.3, -0.75, 0.1});
  CHECK(r.q.scale_codes[0] == 127);
  CHECK(r.q.code(0) == 4);
  CHECK(r.q.code(1) == 1);
  CHECK(r.q.code(2) == 0xD);  // -3 in 4-bit two's complement
  CHECK(r.q.code(3) == 0);
  CHECK(r.out[1] == 0.25);
  CHECK(r.out[2] == -0.75);
  CHECK(bits_per_value(parse_scheme("bfp<m=4,block=4>")) == 6);
  CHECK(run("bfp<m=4,block=4>", {3.5, 1, 0, 0}).out[0] == 3.5);  // 2^1 * 7/4
  CHECK(run("bfp<m=4,block=4>", {3.9, 1, 0, 0}).out[0] == 3.5);  // 7.8/4 rounds to 8/4, saturates at 7/4
}

TEST_CASE("group-wise INT: symmetric and asymmetric with zero point") {
  const Run s = run("int4<group=4,scale=float32>", {1, -2, 3.5, 7});
  CHECK(s.q.scale_codes[0] == 0x3F800000);
  CHECK(s.out == std::vector<double>{1, -2, 4, 7});
  CHECK(s.q.code(1) == 0xE);
  CHECK(run("int4<group=4,scale=float32>", {-8, 1, 0, 0}).q.code(0) == 0x9);  // -7: -8 is never produced
  const Run a = run("uint4<group=4,scale=float32>", {-1, 0, 2, 14});
  CHECK(a.q.zero_points[0] == 1);
  CHECK(a.q.code(0) == 0);
  CHECK(a.q.code(3) == 15);
  CHECK(a.out == std::vector<double>{-1, 0, 2, 14});
  // float16 scale: 0.3/7 rounds to float16 (RNE).
  const Run h = run("int4<group=2>", {0.3, 0.1});
  CHECK(h.out[0] == doctest::Approx(0.3).epsilon(1e-3));
  CHECK(bits_per_value(parse_scheme("int4<group=128>")) == 4.125);
  CHECK(bits_per_value(parse_scheme("uint4<group=128>")) == 4 + 20.0 / 128);
  // Per-tensor (group=tensor): one scale.
  const Run t = run("int8<group=tensor,scale=float32>", {127, -1, 0.5});
  CHECK(t.q.scale_codes.size() == 1);
  CHECK(t.out[1] == -1);
  CHECK(t.out[2] == 0);  // 0.5 ties to even
}

TEST_CASE("absmax NF4 (QLoRA): s = amax / 1 in float32, elements = NF4 rounding of x / s") {
  // amax 2: s = 2/1 = 2 exactly (0x40000000). x/s = 1, 0.5, -0.25, 0.15, 0: NF4's nearest values are
  // 1 (code 15), 0.4407098 (code 12; 0.5626170 is farther), -0.2844414 (code 4), 0.1609302 (code 9), 0 (code 7).
  const Run r = run("absmax<elem=nf4,group=5>", {2.0, 1.0, -0.5, 0.3, 0.0});
  CHECK(r.q.scale_codes[0] == 0x40000000);
  CHECK(r.q.code(0) == 15);
  CHECK(r.q.code(1) == 12);
  CHECK(r.q.code(2) == 4);
  CHECK(r.q.code(3) == 9);
  CHECK(r.q.code(4) == 7);
  CHECK(r.out[0] == 2.0);
  CHECK(r.out[1] == 2 * double(0.44070982933044434f));
  CHECK(r.out[2] == -2 * double(0.28444138169288635f));
  CHECK(r.out[3] == 2 * double(0.16093020141124725f));
  CHECK(r.out[4] == 0);
  CHECK(r.st.clipped == 0);
  CHECK(r.st.flushed_to_zero == 0);
  // The short form names the same scheme; two groups get two scales.
  const Run t = run("nf4<group=2>", {2.0, 1.0, -0.5, 0.3});
  CHECK(t.q.scale_codes.size() == 2);
  CHECK(t.q.scale_codes[1] == std::bit_cast<uint32_t>(0.5f));  // amax 0.5
  CHECK(t.out[0] == 2.0);
  CHECK(t.out[2] == -0.5);
  CHECK(t.out[3] == 0.5 * double(0.5626170039176941f));  // 0.6: 0.5626 is nearer than 0.7230
  CHECK(bits_per_value(parse_scheme("absmax<elem=nf4,group=64>")) == 4.5);  // QLoRA: 4 + 32/64
}

TEST_CASE("absmax E2M1 and INT4: s = amax / 6 (or / 7), scale rounding, clipping, all-zero groups") {
  // amax 3: s = 0.5; x/s = 6, -2.4, 1.4, 0 -> E2M1 6, -2, 1.5, 0.
  const Run r = run("absmax<elem=e2m1,group=4>", {3, -1.2, 0.7, 0});
  CHECK(r.q.scale_codes[0] == std::bit_cast<uint32_t>(0.5f));
  CHECK(r.out == std::vector<double>{3, -1, 0.75, 0});
  CHECK(r.q.code(1) == 0xC);  // -2
  // amax 5 with a bfloat16 scale: 5/6 = 0.8333 rounds (RNE) down to 213/256 = 0.83203125, and
  // 5/0.83203125 = 6.009 saturates to 6 (clipped); scale_round=rup gives 214/256 and no clipping.
  const Run b = run("absmax<elem=e2m1,group=4,scale=bfloat16>", {5, 1, 0, 0});
  CHECK(b.q.scale_codes[0] == std::bit_cast<uint16_t>(std::bit_cast<std::array<uint16_t, 2>>(0.83203125f)[1]));
  CHECK(b.out[0] == 6 * 0.83203125);
  CHECK(b.out[1] == 0.83203125);
  CHECK(b.st.clipped == 1);
  const Run u = run("absmax<elem=e2m1,group=4,scale=bfloat16,scale_round=rup>", {5, 1, 0, 0});
  CHECK(u.out[0] == 6 * 214.0 / 256);
  CHECK(u.st.clipped == 0);
  // INT4 (symmetric, -7..7) elements: amax 7 -> s = 1; 0.5 ties to even 0 and is flushed.
  const Run i = run("absmax<elem=int4_sym,group=4>", {7, -3.5, 0.5, 2.5});
  CHECK(i.q.scale_codes[0] == 0x3F800000);
  CHECK(i.out == std::vector<double>{7, -4, 0, 2});
  CHECK(i.st.flushed_to_zero == 1);
  // All-zero groups: scale 1 (zero=one, the default), or the smallest positive float32 (zero=min).
  const Run z = run("absmax<elem=nf4,group=4>", {0, -0.0, 0, 0, 1, 0, 0, 0});
  CHECK(z.q.scale_codes[0] == 0x3F800000);
  CHECK(z.q.scale_codes[1] == 0x3F800000);
  for (int k = 0; k < 4; ++k) CHECK(z.out[size_t(k)] == 0);
  CHECK(z.out[4] == 1);
  CHECK(z.st.flushed_to_zero == 0);
  CHECK(run("absmax<elem=nf4,group=4,zero=min>", {0, 0, 0, 0}).q.scale_codes[0] == 1);
  // Inf in a group (special=element): the scale follows the finite elements and Inf saturates.
  const double inf = std::numeric_limits<double>::infinity();
  const Run f = run("absmax<elem=e2m1,group=4>", {3, inf, 0, 0});
  CHECK(f.out[0] == 3);
  CHECK(f.out[1] == 3);
  CHECK(f.st.nonfinite == 1);
  CHECK(std::isnan(run("absmax<elem=e2m1,group=4,special=nan>", {3, inf, 0, 0}).out[0]));
}

TEST_CASE("absmax: every element equals the oracle's rounding of x / s (elements, scales, modes)") {
  std::mt19937_64 g(5);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> x(384);
  for (size_t i = 0; i < x.size(); ++i) x[i] = nd(g) * std::ldexp(1.0f, int(g() % 9) - 4);
  for (size_t i = 64; i < 128; ++i) x[i] = 0;  // one all-zero group
  x[200] = 1e30f;                              // a group with an outlier
  const Format f64 = parse_format("float64");
  auto code64 = [&](double v) { return std::bit_cast<uint64_t>(v); };
  size_t checked = 0;
  for (const char* spec : {"absmax<elem=nf4,group=64>", "absmax<elem=e2m1,group=32>", "absmax<elem=int4_sym,group=64>",
                           "absmax<elem=e3m2,group=16,scale=float16>", "absmax<elem=nf4,group=64,scale=bfloat16,scale_round=rup>",
                           "absmax<elem=e4m3,group=32,scale=float16>"}) {
    const Scheme s = parse_scheme(spec);
    const BlockFormat& b = s.block;
    for (const char* mode : {"rne", "rna", "rtz", "rup", "rdn", "rod", "sr:5"}) {
      CAPTURE(spec);
      CAPTURE(mode);
      Env env;
      env.mode = parse_rounding(mode, &env.sr_bits);
      env.seed = 3;
      env.index = 100;
      const QuantizedTensor q = quantize(s, std::span<const float>(x), env, nullptr, 1);
      for (size_t i = 0; i < x.size(); ++i) {
        if (x[i] == 0) continue;
        const double S = block_scale_value(b, q.scale_codes[i / b.block]);
        // x (24 bits) / S (<= 24 bits) rounded to float64 by the oracle (exact enough: no boundary of a
        // <= 16-bit element lies between), then into the element format, saturating.
        Env rne;
        const uint64_t quot = reference::oracle_binary(reference::Op::Div, f64, code64(double(x[i])), code64(S), rne).code;
        Env e = env;
        e.index = 100 + i;
        e.overflow = OverflowPolicy::Saturate;
        const uint64_t expect = reference::oracle_convert(f64, quot, b.element, e).code;
        if (q.code(i) != expect) {
          CAPTURE(i);
          CAPTURE(x[i]);
          CHECK(q.code(i) == expect);
        }
        ++checked;
      }
    }
  }
  CHECK(checked > 10000);
}

TEST_CASE("Hadamard rotation: fake quantization rotates back, finer formats approach identity") {
  std::vector<double> v(64);
  for (size_t i = 0; i < v.size(); ++i) v[i] = std::sin(double(i)) * (i == 5 ? 50 : 1);
  const Scheme s = parse_scheme("mxfp8_e4m3<rht=32,seed=7>");
  std::vector<double> out(v.size());
  fake_quantize(s, v, out, Env{});
  // Rotated values reach about 50/sqrt(32) ~ 9, where E4M3's spacing is 1: errors stay well below 1.
  for (size_t i = 0; i < v.size(); ++i) CHECK(std::fabs(out[i] - v[i]) < 0.75);
  // Without quantization error the rotation is an orthogonal round trip.
  const Scheme id = parse_scheme("mx<elem=float16,rht=64,seed=3>");
  fake_quantize(id, v, out, Env{});
  for (size_t i = 0; i < v.size(); ++i) CHECK(std::fabs(out[i] - v[i]) < 0.01);
  CHECK(scheme_name(s) == "mxfp8_e4m3<rht=32,seed=7>");
}

TEST_CASE("scheme specs: canonical names, families, sizes, errors") {
  for (const char* spec : {"mxfp4", "mxfp8_e4m3<rule=rceil>", "mxfp6_e2m3<rule=even,overflow=saturate>",
                           "mxfp6_e3m2<zero=one,special=element>", "mxint8<block=64>", "nvfp4<tensor=none>",
                           "nvfp4<scale=float8_e4m3fn,scale_round=rup>", "bfp<m=6,e=5>", "bfp<m=8,block=32>",
                           "int4<group=128>", "uint8<group=tensor,scale=bfloat16>", "int4<group=64,scale=float32>",
                           "mx<elem=float8_e5m2>", "mxfp4<rht=16,seed=1>", "absmax<elem=nf4,group=64>",
                           "absmax<elem=float4_e2m1fn,group=32,scale=float16>",
                           "absmax<elem=int4_sym,group=tensor,scale=bfloat16,scale_round=rup,zero=min,special=nan>"}) {
    const Scheme s = parse_scheme(spec);
    CHECK(scheme_name(s) == spec);
    CHECK(scheme_name(parse_scheme(scheme_name(s))) == spec);
  }
  CHECK(scheme_family(parse_scheme("mxint8")) == "mx");
  CHECK(scheme_family(parse_scheme("nvfp4")) == "nvfp4");
  CHECK(scheme_family(parse_scheme("bfp")) == "bfp");
  CHECK(scheme_family(parse_scheme("int4<group=32>")) == "group-int");
  CHECK(scheme_family(parse_scheme("absmax<elem=nf4,group=64>")) == "absmax");
  CHECK(scheme_name(parse_scheme("nf4<group=64>")) == "absmax<elem=nf4,group=64>");
  CHECK(scheme_name(parse_scheme("e2m1<group=32>")) == "absmax<elem=float4_e2m1fn,group=32>");
  CHECK(scheme_name(parse_scheme(" NF4 < group = 64 , scale = float16 > ")) == "absmax<elem=nf4,group=64,scale=float16>");
  CHECK(parse_scheme("absmax<elem=nf4>").block.block == 64);
  CHECK(bits_per_value(parse_scheme("e2m1<group=32>")) == 5);
  CHECK(!parse_scheme("posit<8,2>").is_block);  // format NAME<args> still parse as formats
  CHECK(!parse_scheme("nf4").is_block);
  const Scheme e4 = parse_scheme("e4m3");
  CHECK(!e4.is_block);
  CHECK(scheme_name(e4) == "float8_e4m3fn");
  CHECK(scheme_family(e4) == "float");
  CHECK(bits_per_value(e4) == 8);
  CHECK(scheme_block_size(e4) == 0);
  CHECK(scheme_block_size(parse_scheme("mxfp4")) == 32);
  CHECK(scheme_block_size(parse_scheme("nvfp4")) == 16);
  CHECK(bits_per_value(parse_scheme("mxfp4")) == 4.25);
  CHECK(bits_per_value(parse_scheme("mxfp6_e3m2")) == 6.25);
  struct Bad {
    const char* spec;
    size_t pos;
  };
  for (const Bad& b : {Bad{"mxfp4<rule=round>", 11}, Bad{"mxfp4<block=0>", 12}, Bad{"mxfp4<bogus=1>", 6},
                       Bad{"mxfp4<rule=floor", 16}, Bad{"mx<block=8>", 0}, Bad{"nvfp4<rule=floor>", 6},
                       Bad{"mxfp4<rht=12>", 10}, Bad{"mxfp4<scale=float16>", 12}, Bad{"mxfp4<rule=floor,rule=ceil>", 17},
                       Bad{"nvfp4<scale_round=sr>", 18}, Bad{"mx<elem=float<e=9>>", 8},
                       Bad{"absmax<group=64>", 0}, Bad{"absmax<elem=nf4,block=64>", 16},
                       Bad{"absmax<elem=float32,group=64>", 12}, Bad{"absmax<elem=nf4,scale_round=sr>", 28},
                       Bad{"nf4<group=0>", 10}, Bad{"nf4<group=64,bogus=1>", 13}, Bad{"nf5<group=64>", 0}}) {
    CAPTURE(b.spec);
    try {
      parse_scheme(b.spec);
      FAIL("no error");
    } catch (const FormatError& e) {
      CHECK(e.position() == b.pos);
    }
  }
}

TEST_CASE("scheme specs shorter than 'int' are format errors (found by fuzz_scheme)") {
  // block_base took name.substr(3) before testing the int/uint prefix: std::out_of_range.
  for (const char* spec : {"", "q", "in", "  <group=4>", "u"}) CHECK_THROWS_AS(parse_scheme(spec), FormatError);
  CHECK(parse_scheme("int4<group=32>").is_block);
}

TEST_CASE("absmax: an element whose largest value is beyond binary64 is a format error (found by fuzz_scheme)") {
  // e12m1's largest value (1.5 * 2^2047) is inf as a double: the scale amax / largest was 0 and the
  // element quotient x / 0 divided by a zero significand (UB, then SIGFPE).
  CHECK_THROWS_AS(parse_scheme("e12m1<group=32>"), FormatError);
  CHECK_THROWS_AS(parse_scheme("absmax<elem=e12m1>"), FormatError);
  CHECK(parse_scheme("e5m2<group=32>").is_block);
  // exact_quotient by a zero or non-finite divisor follows IEEE division.
  CHECK(exact_quotient(1.0, 0.0).cls == ValueClass::Inf);
  CHECK(exact_quotient(-1.0, INFINITY).cls == ValueClass::Zero);
  CHECK(exact_quotient(-1.0, INFINITY).sign);
  CHECK(exact_quotient(1.0, NAN).cls == ValueClass::NaN);
}

TEST_CASE("a group far larger than the tensor allocates per tensor, not per group (found by fuzz_scheme)") {
  // Each thread's scratch block was sized by the group (8 GB per thread for group=10^9).
  const std::vector<double> x = {0.5, -3.0, 1.25};
  std::vector<double> big(3), exact(3);
  const Env env;
  fake_quantize(parse_scheme("nf4<group=1000000000>"), x, big, env, nullptr, 1);
  fake_quantize(parse_scheme("nf4<group=3>"), x, exact, env, nullptr, 1);
  CHECK(big == exact);
  CHECK(exact[1] == -3.0);  // the absmax element is exact
}
