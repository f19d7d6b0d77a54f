// The emulated GEMM (emu/gemm.hpp): the fast paths equal the generic per-element path on random
// shapes for every preset and every fused knob; the generic path equals dot() per element;
// results are byte-identical for 1, 2 and 4 threads; block-scaled inputs against hand computations.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "emu/accum/dot.hpp"
#include "emu/block/exact_value.hpp"
#include "emu/gemm.hpp"
#include "emu/random.hpp"
#include "emu/round.hpp"
#include "emu/scheme.hpp"
#include "formats/codec.hpp"
#include "formats/spec.hpp"

using namespace bitexact;

namespace {

Format F(const char* s) { return parse_format(s); }

// Random codes; `specials` lets NaN/Inf codes through (otherwise they are replaced by +1's code... by 0).
std::vector<uint64_t> random_codes(const Format& f, size_t n, uint64_t seed, bool specials, int zero_pct = 10) {
  std::vector<uint64_t> v(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t c = counter_random(seed, 1, i) & f.facts.code_mask;
    if (counter_random(seed, 2, i) % 100 < uint64_t(zero_pct)) c = 0;
    const Unpacked u = decode(f, c);
    if (!specials && (u.is_nan() || u.is_inf())) c = 0;
    v[i] = c;
  }
  return v;
}

struct Shape {
  size_t M, N, K;
};

// Runs the fast gemm and the reference on the same inputs and compares every element and the flags.
void compare(const std::string& spec, const char* fa, const char* fb, Shape s, uint64_t seed, bool with_c,
             bool specials, RoundingMode mode = RoundingMode::RNE, bool expect_fast = true) {
  const AccumModel m = parse_accum_model(spec);
  const Format A = F(fa), B = F(fb);
  const GemmOperand a = gemm_operand(A, random_codes(A, s.M * s.K, seed, specials), s.M, s.K, false);
  const GemmOperand b = gemm_operand(B, random_codes(B, s.K * s.N, seed + 1, specials), s.N, s.K, true);
  std::vector<uint64_t> c;
  if (with_c) c = random_codes(m.out_format, s.M * s.N, seed + 2, specials, 20);
  std::vector<uint64_t> got(s.M * s.N), want(s.M * s.N);
  Env e1, e2;
  e1.mode = e2.mode = mode;
  CAPTURE(spec);
  CAPTURE(fa);
  CAPTURE(seed);
  CHECK(gemm_has_fast_path(m, a, b) == expect_fast);
  gemm(m, a, b, c, got, e1, 2);
  gemm_reference(m, a, b, c, want, e2, 2);
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != want[i]) {
      if (bad++ < 3) {
        CAPTURE(i);
        CHECK(got[i] == want[i]);
      }
    }
  CHECK(bad == 0);
  CHECK(e1.flags == e2.flags);
}

}  // namespace

TEST_CASE("gemm fast path equals the generic path: every fused preset, random shapes, with and without C") {
  const char* presets[] = {"v100-fp16", "a100-fp16", "h100-fp8", "deepseek-v3", "exact"};
  const Shape shapes[] = {{7, 5, 70}, {3, 9, 256}, {16, 17, 33}, {1, 1, 300}};
  uint64_t seed = 100;
  for (const char* p : presets)
    for (const Shape& s : shapes)
      for (bool with_c : {false, true}) {
        compare(p, "e4m3", "e4m3", s, seed++, with_c, false);
        if (std::string(p) != "exact") compare(p, "e5m2", "e4m3", s, seed++, with_c, false);
      }
  // fp16 and bf16 inputs through the V100 preset, and a float32 input.
  compare("v100-fp16", "float16", "float16", {9, 7, 64}, 7, true, false);
  compare("a100-fp16", "bfloat16", "bfloat16", {9, 7, 64}, 8, true, false);
  compare("fused<k=4,acc=24>", "float32", "float16", {5, 6, 40}, 9, false, false);
}

TEST_CASE("gemm fast path equals the generic path for every fused knob") {
  const char* specs[] = {
      "fused<k=4,acc=24,align=floor,round=floor>", "fused<k=8,acc=13,round=rne>", "fused<k=16,acc=13,guard=3,round=rne>",
      "fused<k=16,acc=13,guard=3,sticky=true,round=rne>", "fused<k=4,acc=24,sticky=true>",
      "fused<k=4,acc=24,align=floor,sticky=true,round=rne>", "fused<k=8,acc=10,carry=0,round=rne>",
      "fused<k=32,acc=13,carry=0,guard=2,sticky=true>", "fused<k=3,acc=11>", "fused<k=1,acc=24,guard=20,sticky=true,round=rne>",
      "fused<k=8,acc=13,promote=16>", "fused<k=8,acc=13,promote=64,wide=bfloat16,wide_round=rtz>",
      "fused<k=8,acc=13,promote=64,wide=float16>", "h100-fp8<out=bfloat16>", "v100-fp16<out=float16,out_round=rtz>",
      "h100-fp8<out=e4m3>"};
  uint64_t seed = 500;
  for (const char* s : specs) {
    compare(s, "e4m3", "e4m3", {6, 19, 96}, seed++, true, false);  // N = 19: two 8-lane groups and a tail
    compare(s, "e5m2", "e5m2", {5, 12, 64}, seed++, false, false);
    compare(s, "float16", "e4m3", {3, 8, 50}, seed++, true, false);
  }
  // Output rounding modes from the env (the model leaves out_round unset).
  for (RoundingMode mode : {RoundingMode::RTZ, RoundingMode::RUP, RoundingMode::RDN, RoundingMode::SR})
    compare("h100-fp8<out=e5m2>", "e4m3", "e4m3", {6, 9, 64}, seed++, true, false, mode);
  // Knobs the fast path hands to the generic path (still correct, through gemm_element).
  compare("fused<k=4,acc=24,norm=final>", "e4m3", "e4m3", {4, 3, 40}, seed++, true, false, RoundingMode::RNE, false);
  compare("fused<k=4,acc=24,addend=false>", "e4m3", "e4m3", {4, 3, 40}, seed++, true, false, RoundingMode::RNE, false);
  compare("fp32-fma", "e4m3", "e4m3", {4, 3, 40}, seed++, true, false, RoundingMode::RNE, false);
  compare("fp32-pairwise", "e4m3", "e4m3", {4, 3, 40}, seed++, true, false, RoundingMode::RNE, false);
  compare("exact<product=lmul>", "e4m3", "e4m3", {4, 3, 40}, seed++, true, false, RoundingMode::RNE, false);
  compare("exact", "float16", "float16", {4, 3, 40}, seed++, true, false, RoundingMode::RNE, false);
}

TEST_CASE("gemm: the portable kernels (no AVX2) equal the generic path too") {
  setenv("BITEXACT_GEMM_PORTABLE", "1", 1);
  uint64_t seed = 700;
  for (const char* s : {"h100-fp8", "v100-fp16", "deepseek-v3", "exact", "fused<k=16,acc=13,guard=3,sticky=true,round=rne>",
                        "fused<k=4,acc=24,align=floor,sticky=true,round=floor>", "fused<k=8,acc=10,carry=0,round=rne>"}) {
    compare(s, "e4m3", "e4m3", {5, 19, 96}, seed++, true, false);
    // exact over float16 x E4M3 products needs more than a double's 53 bits: no fast path.
    compare(s, "float16", "e4m3", {3, 9, 40}, seed++, false, false, RoundingMode::RNE, std::string(s) != "exact");
  }
  unsetenv("BITEXACT_GEMM_PORTABLE");
}

TEST_CASE("gemm: NaN, Inf and zero results take the generic element and still agree") {
  uint64_t seed = 900;
  for (const char* p : {"h100-fp8", "v100-fp16", "exact", "deepseek-v3"}) {
    // exact over E5M2 products spans 2^-32..2^32: more than a double holds, so no fast path.
    compare(p, "e5m2", "e5m2", {8, 8, 40}, seed++, true, true, RoundingMode::RNE, std::string(p) != "exact");
    compare(p, "e4m3", "e4m3", {8, 8, 40}, seed++, true, true);
  }
  // All-zero inputs: zero signs through the generic rule.
  const AccumModel m = parse_accum_model("h100-fp8");
  const Format E = F("e4m3");
  std::vector<uint64_t> A(2 * 4, 0x80), B(4 * 2, 0x00), out(4);
  Env env;
  gemm(m, 2, 2, 4, E, A, E, B, {}, out, env);
  for (uint64_t v : out) CHECK(v == 0x80000000u);  // every product is -0: the sum is -0
}

TEST_CASE("gemm generic path equals dot() per element") {
  const AccumModel m = parse_accum_model("sequential<acc=bfloat16,fma=false>");
  const Format A = F("e4m3"), B = F("e5m2");
  const size_t M = 4, N = 3, K = 50;
  const std::vector<uint64_t> a = random_codes(A, M * K, 31, true), b = random_codes(B, K * N, 32, true);
  const std::vector<uint64_t> c = random_codes(m.out_format, M * N, 33, false);
  std::vector<uint64_t> out(M * N);
  Env env;
  gemm(m, M, N, K, A, a, B, b, c, out, env, 1);
  for (size_t i = 0; i < M; ++i)
    for (size_t j = 0; j < N; ++j) {
      std::vector<uint64_t> row(a.begin() + long(i * K), a.begin() + long((i + 1) * K)), col(K);
      for (size_t t = 0; t < K; ++t) col[t] = b[t * N + j];
      Env e;
      CHECK(out[i * N + j] == dot(m, A, row, B, col, c[i * N + j], true, e));
    }
}

TEST_CASE("gemm: identical bytes and flags for 1, 2 and 4 threads (stochastic output rounding included)") {
  const Format E = F("e4m3");
  const size_t M = 37, N = 29, K = 160;
  const GemmOperand a = gemm_operand(E, random_codes(E, M * K, 61, false), M, K, false);
  const GemmOperand b = gemm_operand(E, random_codes(E, K * N, 62, false), N, K, true);
  for (const char* spec : {"h100-fp8<out=bfloat16,out_round=sr>", "deepseek-v3", "fp32-seq<out=e5m2,out_round=sr:4>",
                           "exact<out=float16>"}) {
    const AccumModel m = parse_accum_model(spec);
    std::vector<uint64_t> r1(M * N), r2(M * N), r4(M * N);
    Env e1, e2, e4;
    e1.seed = e2.seed = e4.seed = 99;
    gemm(m, a, b, {}, r1, e1, 1);
    gemm(m, a, b, {}, r2, e2, 2);
    gemm(m, a, b, {}, r4, e4, 4);
    CAPTURE(spec);
    CHECK(r1 == r2);
    CHECK(r1 == r4);
    CHECK(e1.flags == e2.flags);
    CHECK(e1.flags == e4.flags);
  }
}

TEST_CASE("gemm over block-scaled inputs: scales before and after the sum, against hand computations") {
  // MXFP8 (E4M3 elements, E8M0 scales, blocks of 32; scale = 2^(floor(log2 amax) - 8)). K = 64.
  //   A block 0: 256, 1 x31 (amax 256: scale 1, elements 256, 1)
  //   A block 1: 1, 0.0625 x31 (amax 1: scale 2^-8, elements 256, 16)
  //   B block 0: 1 x32 (scale 2^-8, elements 256);  B block 1: 2 x32 (scale 2^-7, elements 256)
  Env env;
  const Scheme mx = parse_scheme("mxfp8_e4m3");
  std::vector<float> a(64), b(64);
  for (size_t i = 0; i < 32; ++i) {
    a[i] = i == 0 ? 256.0f : 1.0f;
    a[32 + i] = i == 0 ? 1.0f : 0.0625f;
    b[i] = 1.0f;
    b[32 + i] = 2.0f;
  }
  const GemmOperand A = gemm_operand(mx, a, 1, 64, false, env);
  const GemmOperand B = gemm_operand(mx, b, 1, 64, true, env);
  REQUIRE(env.flags == 0);  // every value is exact in MXFP8
  CHECK(A.q.scale_codes == std::vector<uint64_t>{127, 119});
  CHECK(B.q.scale_codes == std::vector<uint64_t>{119, 120});
  auto run = [&](const AccumModel& m) {
    std::vector<uint64_t> out(1);
    gemm(m, A, B, {}, out, env);
    return double(std::bit_cast<float>(uint32_t(out[0])));
  };
  // Exact: 256 + 31 + 2 + 31 * 0.125 = 292.875.
  CHECK(run(parse_accum_model("exact")) == 292.875);
  // Scales before, a 10-bit register (k = 32): step 1 aligned to 2^8 has LSB 2^-1: 256 + 31 = 287.
  // Step 2 aligns 2 and 0.125 x31 to the register's 2^8: each 0.125 is cut to 0: 287 + 2 = 289.
  CHECK(run(parse_accum_model("h100-fp8<acc=10>")) == 289);
  // Scales after: each block's unscaled element products go through the model on their own.
  // Block 0: 256*256 + 31 * 256 = 73472 (9 significant bits, exact), times 1 * 2^-8 = 287.
  // Block 1: 256*256 + 31 * 16*256 = 192512 (10 significant bits, exact), times 2^-8 * 2^-7 = 5.875.
  // 287 + 5.875 = 292.875: applying the scales after the sum keeps the small block's products.
  CHECK(run(parse_accum_model("h100-fp8<acc=10,scales=after>")) == 292.875);
  // NVFP4 (E2M1 elements, UE4M3 block scales of 16, FP32 tensor scale): scales before and the exact
  // model give the exact dot of the dequantized values.
  const Scheme nv = parse_scheme("nvfp4");
  std::vector<float> x(32), y(32);
  for (size_t i = 0; i < 32; ++i) {
    x[i] = float(int(i % 7) - 3) * 0.5f;
    y[i] = float(int(i % 5) - 2);
  }
  Env e2;
  const GemmOperand X = gemm_operand(nv, x, 1, 32, false, e2), Y = gemm_operand(nv, y, 1, 32, true, e2);
  std::vector<double> dx(32), dy(32);
  dequantize(nv, X.q, dx);
  dequantize(nv, Y.q, dy);
  double want = 0;
  for (size_t i = 0; i < 32; ++i) want += dx[i] * dy[i];  // exact: few significant bits
  std::vector<uint64_t> out(1);
  gemm(parse_accum_model("exact<out=float64>"), X, Y, {}, out, env);
  CHECK(std::bit_cast<double>(out[0]) == want);
  CHECK_THROWS_AS(gemm(parse_accum_model("exact<product=lmul>"), X, Y, {}, out, env), std::invalid_argument);
}
