// The claims from the literature (tools/explore/claims.hpp): every number a claim reports is
// checked against an independent computation written here (exact formulas in double, the
// hand-written Hadamard matrix, the GEMM runner's cycle law, the MXFP4 definition) or a value
// worked out from the format's specification, and every verdict is asserted, so that a model change
// that flips one is noticed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "emu/block/hadamard.hpp"
#include "emu/distributions.hpp"
#include "emu/env.hpp"
#include "emu/ops.hpp"
#include "emu/scheme.hpp"
#include "formats/spec.hpp"
#include "tools/explore/claims.hpp"
#include "tools/explore/claims_compute.hpp"
#include "emu/accum/accum_model.hpp"
#include "hwmodel/cost/estimate.hpp"
#include "hwmodel/cost/tech.hpp"

using namespace bitexact;
using namespace bitexact::explore;

namespace {

// Round a positive double to `p` significant bits, ties to even (the FPU's default mode).
double round_sig(double v, int p) {
  int e = 0;
  std::frexp(v, &e);  // v = f 2^e, f in [0.5, 1)
  return std::ldexp(std::nearbyint(std::ldexp(v, p - e)), e - p);
}

// L-Mul's formula on two positive values: (1 + xm + ym + 2^-l) 2^(xe + ye).
double lmul_formula(double x, double y, int l) {
  int ex = 0, ey = 0;
  const double fx = std::frexp(x, &ex) * 2 - 1, fy = std::frexp(y, &ey) * 2 - 1;
  return std::ldexp(1 + fx + fy + std::ldexp(1, -l), ex - 1 + ey - 1);
}

ErrStats grid_stats(int grid_bits, double (*approx)(double, double, int), int arg) {
  ErrStats s;
  double sum = 0, wsum = 0, w = 0;
  const int n = 1 << grid_bits;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double x = 1 + std::ldexp(i, -grid_bits), y = 1 + std::ldexp(j, -grid_bits);
      const double rel = std::fabs(approx(x, y, arg) - x * y) / (x * y);
      sum += rel;
      wsum += rel / (x * y);
      w += 1 / (x * y);
      s.max = std::max(s.max, rel);
      ++s.n;
    }
  s.mean = sum / double(s.n);
  s.mean_log = wsum / w;
  return s;
}

// FP8 multiply of two values in [1, 2): operands and product to p significant bits.
double fp_mul(double x, double y, int p) { return round_sig(round_sig(x, p) * round_sig(y, p), p); }
// L-Mul with m mantissa bits (l = 3 for m = 3 and 4): operands RNE to m + 1 significant bits.
double lmul_m(double x, double y, int m) { return lmul_formula(round_sig(x, m + 1), round_sig(y, m + 1), 3); }

// MXFP4 per the OCP MX v1.0 definition: X = 2^(floor(log2 amax) - 2), elements E2M1 (RNE, saturating).
std::vector<double> mxfp4_by_definition(const std::vector<double>& x) {
  static const double grid[] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  std::vector<double> q(x.size());
  for (size_t b = 0; b < x.size(); b += 32) {
    double amax = 0;
    for (size_t i = b; i < b + 32; ++i) amax = std::max(amax, std::fabs(x[i]));
    int e = 0;
    std::frexp(amax, &e);  // floor(log2 amax) = e - 1
    const double scale = std::ldexp(1, e - 1 - 2);
    for (size_t i = b; i < b + 32; ++i) {
      const double v = std::min(std::fabs(x[i]) / scale, 6.0);
      double best = 0;
      for (int k = 0; k < 8; ++k) {
        const double d = std::fabs(v - grid[k]), bd = std::fabs(v - best);
        // nearest; on a tie the even code (codes 0,2,4,6 are 0, 1, 2, 4)
        if (d < bd || (d == bd && (k % 2) == 0)) best = grid[k];
      }
      q[i] = std::copysign(best * scale, x[i]);
    }
  }
  return q;
}

const std::map<std::string, Verdict> kExpected = {
    {"hifloat8-range", Verdict::agrees},      {"e4m3-range", Verdict::agrees},
    {"lmul-vs-fp8-mul", Verdict::partly},  {"lmul-on-fp8-operands", Verdict::disagrees},
    {"mxfp4-vs-nvfp4", Verdict::agrees},      {"nvfp4-rotation", Verdict::agrees},
    {"nvint4-vs-nvfp4", Verdict::agrees},     {"mxint8-vs-mxfp8", Verdict::agrees},
    {"fp8-vs-int8-area", Verdict::agrees},    {"lut-vs-mac-dp4", Verdict::partly},
    {"lut-vs-mac-1-4-bit", Verdict::partly},  {"bitserial-linear", Verdict::agrees},
    {"fp8-exponent-vs-outliers", Verdict::agrees}, {"fp8-accumulation-promotion", Verdict::agrees},
    {"lut-ablation", Verdict::partly},        {"lut-tile-tops-per-w", Verdict::agrees},
    {"bitmod-vs-fp16-fma", Verdict::agrees},  {"int4-vs-int8-throughput", Verdict::agrees},
    {"horowitz-energy-ladder", Verdict::agrees},  {"nf4-vs-fp4", Verdict::partly},
    {"ue5m3-scale", Verdict::agrees},         {"qlora-65b-48gb", Verdict::agrees},
    {"lut-linear-bits", Verdict::agrees},     {"lmul-energy", Verdict::agrees},
    {"fpnew-energy-proportionality", Verdict::disagrees},
    {"lut-k-sweep", Verdict::partly},         {"lut-tile-shape", Verdict::agrees},
    {"lut-vs-mac-tc", Verdict::partly},       {"lut-system-a100", Verdict::not_modelled},
    {"fp8-workload-coverage", Verdict::not_modelled},
};

}  // namespace

TEST_SUITE("tools_claims") {

TEST_CASE("Hadamard rotation: orthogonal, inverse, and the hand-written 4-point Sylvester matrix") {
  // H4 (Sylvester): columns [1,1,1,1], [1,-1,1,-1], [1,1,-1,-1], [1,-1,-1,1]; y = H D x / 2.
  const double H[4][4] = {{1, 1, 1, 1}, {1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1}};
  const uint64_t seed = 7;
  // Rotating e_k gives d_k H[:, k] / 2: read the random signs d_k from it.
  double d[4];
  for (int k = 0; k < 4; ++k) {
    std::vector<double> e(4, 0.0);
    e[k] = 1;
    hadamard_rotate(e, 4, seed, 1);
    d[k] = e[0] / (H[0][k] / 2);
    CHECK(std::fabs(d[k]) == 1);
    for (int r = 0; r < 4; ++r) CHECK(e[r] == d[k] * H[r][k] / 2);
  }
  // x = (1, 2, 3, 4): y_r = sum_k H[r][k] d_k x_k / 2. With every d_k = +1 this is (5, -1, -2, 0).
  std::vector<double> x = {1, 2, 3, 4};
  hadamard_rotate(x, 4, seed, 1);
  for (int r = 0; r < 4; ++r) {
    double y = 0;
    for (int k = 0; k < 4; ++k) y += H[r][k] * d[k] * (k + 1);
    CHECK(x[r] == y / 2);
  }
  // Orthogonal: norms kept, the inverse restores the input (64 elements, chunks of 16, a 5-element tail).
  std::vector<double> v(69), w;
  generate(parse_distribution("student-t:3"), 3, v);
  w = v;
  double n0 = 0, n1 = 0;
  for (double t : v) n0 += t * t;
  hadamard_rotate(w, 16, seed, 2);
  for (double t : w) n1 += t * t;
  CHECK(n1 == doctest::Approx(n0).epsilon(1e-13));
  for (size_t i = 64; i < 69; ++i) CHECK(w[i] == v[i]);  // the tail is not rotated
  hadamard_unrotate(w, 16, seed, 1);
  for (size_t i = 0; i < v.size(); ++i) CHECK(w[i] == doctest::Approx(v[i]).epsilon(1e-13));
}

TEST_CASE("fit_line: exact lines, a hand-worked parabola, errors") {
  // Cycle counts of a unit whose time is 3 + 5 b: slope 5, intercept 3, R^2 1.
  const LinearFit f = fit_line({2, 3, 4, 5, 6, 7, 8}, {13, 18, 23, 28, 33, 38, 43});
  CHECK(f.slope == doctest::Approx(5));
  CHECK(f.intercept == doctest::Approx(3));
  CHECK(f.r2 == doctest::Approx(1));
  // y = x^2 at 1, 2, 3: slope 4, intercept -10/3, residuals 1/3, -2/3, 1/3, R^2 = 1 - (6/9)/(294/9).
  const LinearFit p = fit_line({1, 2, 3}, {1, 4, 9});
  CHECK(p.slope == doctest::Approx(4));
  CHECK(p.intercept == doctest::Approx(-10.0 / 3));
  CHECK(p.r2 == doctest::Approx(1 - 6.0 / 294));
  CHECK(fit_line({1, 2}, {7, 7}).r2 == 1);
  CHECK_THROWS_AS(fit_line({1}, {1}), std::invalid_argument);
  CHECK_THROWS_AS(fit_line({2, 2}, {1, 3}), std::invalid_argument);
}

TEST_CASE("binade census: HiFloat8, float16 and E4M3 against their specifications") {
  // HiF8 (Luo et al. 2024): max normal 2^15 (its 1.5 2^15 code is inf), smallest denormal 2^(1-23) = 2^-22,
  // smallest normal 2^-15; 31 normal + 7 denormal binades; 7 x 3-bit, 8 x 2-bit, 16 x 1-bit exponents.
  const BinadeCensus h = binade_census(parse_format("hifloat8"));
  CHECK(h.max_finite == 32768);
  CHECK(h.min_positive == std::ldexp(1, -22));
  CHECK(h.binades == 38);
  CHECK(h.log2_range == 37);
  CHECK(h.values_per_binade[8] == 7);
  CHECK(h.values_per_binade[4] == 8);
  CHECK(h.values_per_binade[2] == 15);
  CHECK(h.values_per_binade[1] == 8);  // 7 denormal binades + 2^15
  CHECK(h.finite_codes == 1 + 2 * (7 * 8 + 8 * 4 + 15 * 2 + 8));  // one zero
  // float16: exponents -24 .. 15 hold values: 40 binades; 2^-24 .. 65504.
  const BinadeCensus f = binade_census(parse_format("float16"));
  CHECK(f.binades == 40);
  CHECK(f.max_finite == 65504);
  CHECK(f.min_positive == std::ldexp(1, -24));
  // 30 normal binades of 1024 values and the subnormal ones of 512, 256 (counted at 256 and above), 128 .. 1.
  CHECK(f.values_per_binade[256] == 32);
  for (int k = 1; k <= 128; k *= 2) CHECK(f.values_per_binade[k] == 1);
  // E4M3 (OCP): 448 = 1.75 x 2^8, 2^-9 smallest; 254 finite codes (2 NaNs). IEEE-style: 240 = 1.875 x 2^7.
  const BinadeCensus fn = binade_census(parse_format("float8_e4m3fn"));
  const BinadeCensus ie = binade_census(parse_format("float8_e4m3"));
  CHECK(fn.max_finite == 448);
  CHECK(fn.min_positive == std::ldexp(1, -9));
  CHECK(fn.finite_codes == 254);
  CHECK(ie.max_finite == 240);
  CHECK(ie.finite_codes == 256 - 2 - 2 * 7);  // infinities and 7 NaNs per sign
}

TEST_CASE("L-Mul and FP8 products: the project's figures against the formulas in double") {
  // On the FP8 codes themselves (the figures README "Accumulation models" quotes): E4M3 max 41/225, E5M2 max 1/4.
  const ErrStats l4 = lmul_error_all_pairs(parse_format("float8_e4m3fn"));
  const ErrStats l5 = lmul_error_all_pairs(parse_format("float8_e5m2"));
  CHECK(l4.n == 252 * 252);
  CHECK(l5.n == 246 * 246);
  CHECK(l4.max == doctest::Approx(41.0 / 225).epsilon(1e-12));
  CHECK(l5.max == 0.25);
  CHECK(l4.mean == doctest::Approx(0.069030).epsilon(1e-4));
  CHECK(l5.mean == doctest::Approx(0.112948).epsilon(1e-4));
  const ErrStats r4 = fp_mul_error_all_pairs(parse_format("float8_e4m3fn"));
  CHECK(r4.mean == doctest::Approx(0.018573).epsilon(1e-4));
  CHECK(r4.max == doctest::Approx(0.051852).epsilon(1e-4));
  // From the significand grid: the project's numbers equal the formulas evaluated here.
  for (int g : {5, 7}) {
    const ErrStats a = lmul_from_grid(4, g), b = grid_stats(g, lmul_m, 4);
    CHECK(a.n == b.n);
    CHECK(a.mean == doctest::Approx(b.mean).epsilon(1e-12));
    CHECK(a.max == doctest::Approx(b.max).epsilon(1e-12));
    CHECK(a.mean_log == doctest::Approx(b.mean_log).epsilon(1e-12));
    const ErrStats c = lmul_from_grid(3, g), d = grid_stats(g, lmul_m, 3);
    CHECK(c.mean == doctest::Approx(d.mean).epsilon(1e-12));
    const ErrStats e = fp8_multiply_from_grid(parse_format("float8_e4m3fn"), g), f = grid_stats(g, fp_mul, 4);
    CHECK(e.mean == doctest::Approx(f.mean).epsilon(1e-12));
    CHECK(e.max == doctest::Approx(f.max).epsilon(1e-12));
    const ErrStats h = fp8_multiply_from_grid(parse_format("float8_e5m2"), g), i = grid_stats(g, fp_mul, 3);
    CHECK(h.mean == doctest::Approx(i.mean).epsilon(1e-12));
    CHECK(h.mean_log == doctest::Approx(i.mean_log).epsilon(1e-12));
  }
}

TEST_CASE("block errors: MXFP4 equals the MX definition computed here, rows follow the inputs") {
  const size_t n = 4096;
  const auto rows = block_errors({"student-t:3"}, {"mxfp4", "nvfp4"}, n, 5, 2);
  REQUIRE(rows.size() == 2);
  std::vector<double> x(n);
  generate(parse_distribution("student-t:3"), 5, x);
  const std::vector<double> q = mxfp4_by_definition(x);
  double sx = 0, se = 0;
  for (size_t i = 0; i < n; ++i) sx += x[i] * x[i], se += (q[i] - x[i]) * (q[i] - x[i]);
  CHECK(rows[0].dist == "student-t:3");
  CHECK(rows[0].scheme == "mxfp4");
  CHECK(rows[0].mse == doctest::Approx(se / double(n)).epsilon(1e-9));
  CHECK(rows[0].sqnr_db == doctest::Approx(10 * std::log10(sx / se)).epsilon(1e-9));
  CHECK(rows[1].sqnr_db > rows[0].sqnr_db);  // NVFP4 better on this heavy-tailed tensor
  // The outlier label injects 0.1% outliers x 30: more error than without.
  const auto o = block_errors({"student-t:3", "student-t:3+outliers"}, {"mxfp4"}, n, 5, 1);
  CHECK(o[1].mse > o[0].mse);
}

TEST_CASE("accumulation errors: the exact model is exact, FP32 FMA equals a float fmaf chain written here") {
  const size_t mn = 4, k = 256;
  const auto rows = accumulation_errors({"exact<out=float64>", "fp32-fma", "h100-fp8"}, {k}, mn, 3, 2);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].rel_err == 0);
  // The same inputs: N(0,1) from the seeded stream (A from index 0, B^T from 2^40), rounded into E4M3.
  const Format e4 = parse_format("float8_e4m3fn");
  std::vector<double> xa(mn * k), xb(mn * k);
  generate(parse_distribution("normal"), 3, xa, 0);
  generate(parse_distribution("normal"), 3, xb, uint64_t(1) << 40);
  Env env;
  for (auto& v : xa) v = to_double(e4, from_double(e4, v, env), env);
  for (auto& v : xb) v = to_double(e4, from_double(e4, v, env), env);
  double num = 0, den = 0;
  for (size_t i = 0; i < mn; ++i)
    for (size_t j = 0; j < mn; ++j) {
      double exact = 0;  // E4M3 products are multiples of 2^-18 below 2^18: every partial sum is exact in double
      float acc = 0;
      for (size_t t = 0; t < k; ++t) {
        exact += xa[i * k + t] * xb[j * k + t];
        acc = std::fmaf(float(xa[i * k + t]), float(xb[j * k + t]), acc);
      }
      num += (double(acc) - exact) * (double(acc) - exact);
      den += exact * exact;
    }
  CHECK(rows[1].rel_err == doctest::Approx(std::sqrt(num / den)).epsilon(1e-9));
  CHECK(rows[2].rel_err > rows[1].rel_err);  // a 13-bit truncating register loses more than FP32
}

TEST_CASE("hardware: FP8/INT8 ratios, LUT vs MAC DP4, bit-serial cycles from the GEMM runner's law") {
  const auto f = fp8_vs_int8_cost();
  REQUIRE(f.size() == 4);
  // README "The cost model": 1.80x, 2.44x (E4M3), 1.54x, 2.18x (E5M2).
  CHECK(f[0].area_ratio == doctest::Approx(1.80).epsilon(0.01));
  CHECK(f[1].area_ratio == doctest::Approx(2.44).epsilon(0.01));
  CHECK(f[2].area_ratio == doctest::Approx(1.54).epsilon(0.01));
  CHECK(f[3].area_ratio == doctest::Approx(2.18).epsilon(0.01));
  const auto l = lut_vs_mac_dp4(6);
  REQUIRE(l.size() == 6);
  CHECK(l[0].density_ratio == doctest::Approx(5.1).epsilon(0.02));
  // The MAC DP4 (8 FLOP per cycle at 1 GHz): ~3.39 TFLOPS/mm2 as LUT-TC Fig. 12 (hardware.md §1.5).
  CHECK(l[0].mac_tops_mm2 == doctest::Approx(3.39).epsilon(0.05));
  for (size_t i = 1; i < l.size(); ++i) CHECK(l[i].density_ratio < l[i - 1].density_ratio);
  // Bit-serial: 8x8 outputs on a 4x4 array = 4 tiles, K = 64 in groups of 4 lanes = 16 groups per tile:
  // 64 operations of II = b cycles, latency b + 1, no skew: 63 b + b + 1 = 64 b + 1 cycles.
  const BitSerialSweep s = bitserial_sweep(2, 8, 8, 8, 64, 1, 2);
  REQUIRE(s.rows.size() == 7);
  for (const auto& r : s.rows) {
    CHECK(r.gemm_cycles == uint64_t(64 * r.w_bits + 1));
    CHECK(r.cycles_per_weight == r.w_bits);
  }
  CHECK(s.cycles_fit.slope == doctest::Approx(64));
  CHECK(s.cycles_fit.intercept == doctest::Approx(1));
  CHECK(s.cycles_fit.r2 == doctest::Approx(1));
  // LUT-TC ablation (README "The cost model": 1.188 / 1.264 / 1.281; 1.250 / 1.324 / 1.332) and W1 TOPS/W (66.2).
  const LutAblation a = lut_ablation();
  CHECK(a.density[0] == doctest::Approx(1.188).epsilon(0.01));
  CHECK(a.density[2] == doctest::Approx(1.281).epsilon(0.01));
  CHECK(a.power_eff[2] == doctest::Approx(1.332).epsilon(0.01));
  CHECK(a.w1_tops_per_w == doctest::Approx(66.2).epsilon(0.01));
  // BitMoD: FP4 weights take 2 cycles at 2 bits per cycle, so 4 lanes give 2 MACs per cycle; the FMA and the
  // PE's energy are calibration anchors: 1968.7 um2, 0.77 pJ; 0.586 pJ per cycle / 2 = 0.293 pJ per MAC.
  const BitmodVsFma b = bitmod_vs_fp16_fma();
  CHECK(b.fma_area_per_mac == doctest::Approx(1968.7).epsilon(0.01));
  CHECK(b.fma_pj_per_mac == doctest::Approx(0.77).epsilon(0.01));
  CHECK(b.pe_pj_per_mac == doctest::Approx(0.586 / 2).epsilon(0.01));
  CHECK(b.pe_area_per_mac == doctest::Approx(1603.0 / 2).epsilon(0.01));  // README: the PE predicted at 1603 um2
  // INT4 vs INT8: a bit-plane PE takes 4 vs 8 cycles per weight, exactly 2x; the DP4's density follows
  // Bit Fusion's fit (INT4 PE 181.7 vs INT8 510.7 um2 at 45 nm, README), so well above 2x.
  const Int4Int8 r = int4_vs_int8();
  CHECK(r.serial_macs_ratio == 2);
  CHECK(r.dp4_density_ratio > 2.5);
  CHECK(r.dp4_density_ratio < 3);
  // Horowitz: INT8 MAC = Bit Fusion's INT8 PE energy 0.236 pJ at 45 nm.
  const EnergyLadder e = energy_ladder();
  CHECK(e.int8_mac_pj == doctest::Approx(0.236).epsilon(0.01));
  CHECK(e.fp32_mac_pj / e.int8_mac_pj == doctest::Approx(25.1).epsilon(0.02));
}

TEST_CASE("LUT cycles, L-Mul energy, block-scale magnitudes, NF4 footprint: hand-worked") {
  // LUT tile M2N64K4 on a 4x128x64 GEMM: 2 x 2 x 16 = 64 LMMAs of W cycles, latency W - 1 + 2: 64 W + 1.
  const LutCycleSweep l = lut_cycle_sweep(4, 128, 64, 1);
  REQUIRE(l.rows.size() == 4);
  for (const auto& r : l.rows) {
    CHECK(r.ops == 64);
    CHECK(r.cycles == uint64_t(64 * r.w_bits + 1));
  }
  CHECK(l.fit.slope == doctest::Approx(64));
  // L-Mul energy from horowitz45.toml's constants (README "The cost model"): FP significand multiplier
  // 9.1 fJ per p^2, int adder 3.4 fJ per bit, FP adder 10.5 fJ per n log2 n.
  const auto e = lmul_energy();
  REQUIRE(e.size() == 2);
  const double mul32 = 9.1e-3 * 24 * 24, add32 = 3.4e-3 * 31, fadd = 10.5e-3 * 24 * std::log2(24.0);
  CHECK(e[0].mul_pj == doctest::Approx(mul32));
  CHECK(e[0].add_int_pj == doctest::Approx(add32));
  CHECK(e[0].fp_add_pj == doctest::Approx(fadd));
  CHECK(e[0].elementwise_saving == doctest::Approx(1 - add32 / mul32));
  CHECK(e[0].dot_saving == doctest::Approx(1 - (add32 + fadd) / (mul32 + fadd)));
  CHECK(e[1].mul_pj == doctest::Approx(9.1e-3 * 16));
  CHECK(e[1].add_int_pj == doctest::Approx(3.4e-3 * 7));
  const FmaLadder f = fma_ladder();
  CHECK(f.fp64_pj / f.fp8_pj == doctest::Approx(112.5).epsilon(0.02));
  // E8M0 scales are powers of two: a tensor multiplied by 2^-12 gets every scale times 2^-12 exactly, so
  // its SQNR is unchanged. UE4M3 and UE5M3 share 3 mantissa bits and both cover a unit tensor's scales.
  const std::string ue5m3 = "nvfp4<tensor=none,scale=float<e=5,m=3,signed=false,inf=none,nan=allones>>";
  const auto u = block_errors({"student-t:3"}, {"nvfp4<tensor=none,scale=float8_e8m0fnu>", "nvfp4<tensor=none>", ue5m3},
                              4096, 2, 1);
  const auto v = block_errors({"student-t:3"}, {"nvfp4<tensor=none,scale=float8_e8m0fnu>"}, 4096, 2, 1, std::ldexp(1, -12));
  CHECK(v[0].sqnr_db == u[0].sqnr_db);
  CHECK(u[1].sqnr_db == u[2].sqnr_db);
  // LUT design space: every 512-lane W1 tile does 512 MACs per cycle = 1.024 TOPS at 1 GHz, so its density is
  // 1.024 / area; the K = 4 FP16 dot-product unit is lut-vs-mac-dp4's W1 unit; the M2N64K4 tile against 128
  // DP4 MACs has the DP4's density in the denominator.
  const auto shapes = lut_tile_shapes("int8");
  REQUIRE(shapes.size() == 5);
  for (const auto& p : shapes) CHECK(p.m * p.n * p.k == 512);
  const auto ks = lut_k_sweep("float16");
  REQUIRE(ks.size() == 6);
  CHECK(ks[2].k == 4);
  CHECK(ks[2].tops_mm2 == doctest::Approx(lut_vs_mac_dp4(1)[0].lut_tops_mm2));
  const auto tc = lut_vs_mac_tc();
  REQUIRE(tc.size() == 9);
  CHECK(tc[0].act == "int8");
  CHECK(tc[0].w_bits == 1);
  {
    using namespace bitexact::hw::cost;
    static const TechLibrary tl = TechLibrary::embedded();
    const CostContext ctx{&tl, 28, 1e9, "luttc28"};
    MacCostInput mi;
    mi.lanes = 4;
    mi.act = mi.weight = parse_scheme("int8");
    mi.accum = parse_accum_model("exact<out=int32>");
    const Estimate m = estimate_mac(mi, ctx);
    CHECK(tc[0].density_ratio == doctest::Approx(shapes[1].tops_mm2 / m.tops_per_mm2()));
    CHECK(tc[0].efficiency_ratio == doctest::Approx(shapes[1].tops_w / m.tops_per_w()));
  }
  // W doubles, throughput halves: the tile's TOPS/mm2 at W2 is (nearly) half of W1's (the weight registers grow).
  CHECK(tc[1].density_ratio < tc[0].density_ratio / 2 * 1.05);

  // NF4 with a float32 absmax per 64: 4 + 32/64 = 4.5 bits, 65e9 x 4.5 / 8 bytes = 36.5625 GB.
  CHECK(bits_per_value(parse_scheme("nf4<group=64>")) == 4.5);
}

TEST_CASE("reproduce_claims: every claim filled in, verdicts as expected, same for any thread count") {
  ClaimsOptions o;
  o.quick = true;
  o.threads = 1;
  std::vector<std::string> lines;
  const auto a = reproduce_claims(o, [&](std::string_view s) { lines.emplace_back(s); });
  o.threads = 2;
  const auto b = reproduce_claims(o, nullptr);
  CHECK(lines.size() >= 5);
  REQUIRE(a.size() == kExpected.size());
  REQUIRE(b.size() == a.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < a.size(); ++i) {
    const Claim& c = a[i];
    INFO(c.id << ": " << c.ours << " | " << c.note);
    CHECK(ids.insert(c.id).second);
    CHECK(!c.topic.empty());
    CHECK(!c.published.empty());
    CHECK(!c.source.empty());
    CHECK(!c.conditions.empty());
    CHECK(!c.ours.empty());
    CHECK(!c.computed_by.empty());
    CHECK(!c.note.empty());
    REQUIRE(kExpected.count(c.id) == 1);
    CHECK(to_string(c.verdict) == to_string(kExpected.at(c.id)));
    CHECK(b[i].ours == c.ours);
    CHECK(b[i].verdict == c.verdict);
  }
  CHECK(to_string(Verdict::not_modelled) == "not_modelled");
}

}  // TEST_SUITE
