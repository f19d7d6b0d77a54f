// Block quantization of a float32 tensor (16M elements, 64 MiB) on ONE thread, in bytes of input
// per second, beside a plain memcpy of the same data in the same run. The fast paths measured
// here are proven equal to the generic path by tests/emu/test_block_tensor.cpp.
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <vector>

#include "emu/block/fast_paths.hpp"
#include "emu/scheme.hpp"
#include "emu/tensor/quantize.hpp"

using namespace bitexact;

namespace {

constexpr size_t kN = size_t{1} << 24;

const std::vector<float>& inputs() {
  static const std::vector<float> v = [] {
    std::vector<float> x(kN);
    std::mt19937 rng(42);
    std::student_t_distribution<float> d(4.0f);
    for (float& f : x) f = d(rng);
    return x;
  }();
  return v;
}

void BM_baseline_memcpy(benchmark::State& st) {
  const auto& in = inputs();
  std::vector<float> out(kN);
  for (auto _ : st) {
    std::memcpy(out.data(), in.data(), kN * sizeof(float));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(int64_t(st.iterations()) * int64_t(kN * sizeof(float)));
}
BENCHMARK(BM_baseline_memcpy)->Unit(benchmark::kMillisecond);

void BM_quantize(benchmark::State& st, const char* spec) {
  const auto& in = inputs();
  const Scheme s = parse_scheme(spec);
  Env env;
  for (auto _ : st) {
    Env e = env;
    QuantizedTensor q = quantize(s, std::span<const float>(in), e, nullptr, 1);
    benchmark::DoNotOptimize(q.codes.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(int64_t(st.iterations()) * int64_t(kN * sizeof(float)));
  st.SetLabel(block_fast_path(s.block, env) ? "fast path" : "generic");
}
BENCHMARK_CAPTURE(BM_quantize, mxfp4, "mxfp4")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_quantize, nvfp4, "nvfp4")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_quantize, mxfp8_e4m3, "mxfp8_e4m3")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_quantize, mxint8_generic, "mxint8")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
