// The emulated GEMM (emu/gemm.hpp): 1024 x 1024 x 1024 with FP8 (E4M3) inputs on 2 threads under
// tensor-core accumulation presets, beside a plain float32 triple loop of the same shape on the
// same 2 threads, measured in the same run. The fast path timed here is proven equal to the
// generic per-element path by tests/emu/test_gemm.cpp.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "emu/gemm.hpp"
#include "emu/scheme.hpp"
#include "emu/tensor/parallel.hpp"

using namespace bitexact;

namespace {

constexpr size_t kN = 1024;
constexpr int kThreads = 2;

std::vector<float> normal(size_t n, unsigned seed) {
  std::vector<float> x(n);
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  for (float& f : x) f = d(rng);
  return x;
}

struct Inputs {
  std::vector<float> a, b;  // float32 values of the FP8 codes (the baseline multiplies the same numbers)
  GemmOperand qa, qb;
};

const Inputs& inputs() {
  static const Inputs in = [] {
    Inputs r;
    const Scheme s = parse_scheme("e4m3");
    Env env;
    const std::vector<float> a = normal(kN * kN, 1), b = normal(kN * kN, 2);
    r.qa = gemm_operand(s, a, kN, kN, false, env);
    r.qb = gemm_operand(s, b, kN, kN, true, env);
    // The dequantized values, A row-major and B row-major (K x N), for the float32 baseline.
    r.a.resize(kN * kN);
    r.b.resize(kN * kN);
    for (size_t i = 0; i < kN * kN; ++i) r.a[i] = a[i];
    for (size_t i = 0; i < kN * kN; ++i) r.b[i] = b[i];
    return r;
  }();
  return in;
}

// C = A B in float32: i-k-j order (the inner loop streams rows of B and C), OpenMP over rows.
void BM_float32_triple_loop(benchmark::State& st) {
  const Inputs& in = inputs();
  std::vector<float> c(kN * kN);
  for (auto _ : st) {
#pragma omp parallel for num_threads(kThreads) schedule(static)
    for (long long i = 0; i < (long long)kN; ++i) {
      float* ci = &c[size_t(i) * kN];
      for (size_t j = 0; j < kN; ++j) ci[j] = 0;
      for (size_t k = 0; k < kN; ++k) {
        const float aik = in.a[size_t(i) * kN + k];
        const float* bk = &in.b[k * kN];
        for (size_t j = 0; j < kN; ++j) ci[j] += aik * bk[j];
      }
    }
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  st.counters["MAC/s"] = benchmark::Counter(double(kN * kN * kN), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_float32_triple_loop)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_gemm(benchmark::State& st, const char* model) {
  const Inputs& in = inputs();
  const AccumModel m = parse_accum_model(model);
  std::vector<uint64_t> out(kN * kN);
  for (auto _ : st) {
    Env env;
    gemm(m, in.qa, in.qb, {}, out, env, kThreads);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.counters["MAC/s"] = benchmark::Counter(double(kN * kN * kN), benchmark::Counter::kIsIterationInvariantRate);
  st.SetLabel(gemm_has_fast_path(m, in.qa, in.qb) ? "fast path" : "generic");
}
BENCHMARK_CAPTURE(BM_gemm, h100_fp8, "h100-fp8")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_gemm, deepseek_v3, "deepseek-v3")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_gemm, v100_fp16_k4, "v100-fp16")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_gemm, exact, "exact")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
