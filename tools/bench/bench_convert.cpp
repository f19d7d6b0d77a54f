// Bulk float32 -> narrow-format conversion (rne, saturate), in ns per element, against the
// compiler's own float32 -> float16 conversion measured in the same run.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "emu/bulk_convert.hpp"
#include "formats/catalog.hpp"

using namespace bitexact;

namespace {

constexpr size_t kN = 1 << 16;

const std::vector<float>& inputs() {
  static const std::vector<float> v = [] {
    std::vector<float> x(kN);
    std::mt19937 rng(42);
    std::normal_distribution<float> d(0.0f, 4.0f);
    for (float& f : x) f = d(rng);
    return x;
  }();
  return v;
}

// Baseline: the compiler's float -> _Float16 conversion (GCC 12, x86-64), a plain loop.
void BM_baseline_native_float16(benchmark::State& st) {
  const auto& in = inputs();
  std::vector<_Float16> out(kN);
  for (auto _ : st) {
    for (size_t i = 0; i < kN; ++i) out[i] = static_cast<_Float16>(in[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(int64_t(st.iterations()) * kN);
}
BENCHMARK(BM_baseline_native_float16);

void BM_bulk(benchmark::State& st, const char* name) {
  const auto& in = inputs();
  const Format& to = Catalog::builtin().find(name)->format;
  std::vector<uint16_t> out(kN);
  Env env;
  env.mode = RoundingMode::RNE;
  env.overflow = OverflowPolicy::Saturate;
  for (auto _ : st) {
    convert_float32_bulk(in.data(), out.data(), kN, to, env);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(int64_t(st.iterations()) * kN);
  st.SetLabel(bulk_fast_path(to, env) ? "kernel" : "generic");
}
BENCHMARK_CAPTURE(BM_bulk, float8_e4m3fn, "float8_e4m3fn");
BENCHMARK_CAPTURE(BM_bulk, float8_e5m2, "float8_e5m2");
BENCHMARK_CAPTURE(BM_bulk, float6_e2m3fn, "float6_e2m3fn");
BENCHMARK_CAPTURE(BM_bulk, float6_e3m2fn, "float6_e3m2fn");
BENCHMARK_CAPTURE(BM_bulk, float4_e2m1fn, "float4_e2m1fn");
BENCHMARK_CAPTURE(BM_bulk, bfloat16, "bfloat16");
BENCHMARK_CAPTURE(BM_bulk, float16, "float16");
BENCHMARK_CAPTURE(BM_bulk, float8_e8m0fnu_generic, "float8_e8m0fnu");

}  // namespace

BENCHMARK_MAIN();
