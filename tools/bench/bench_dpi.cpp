// The DPI-C golden model's cost per call (rtl/dpi: spec lookup, argument checks, Env set-up, the
// operation) against the core's operation called directly in the same run.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "bitexact_dpi.h"
#include "emu/operation.hpp"
#include "formats/spec.hpp"

using namespace bitexact;

namespace {

constexpr size_t kN = 4096;

std::vector<unsigned long long> codes(uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<unsigned long long> v(kN);
  for (auto& c : v) c = rng() & 0xFF;
  return v;
}

void BM_baseline_core_mul_e4m3(benchmark::State& st) {
  const Format f = parse_format("float8_e4m3fn");
  const auto a = codes(1), b = codes(2);
  std::vector<uint64_t> r(kN);
  for (auto _ : st) {
    for (size_t i = 0; i < kN; ++i) {
      Env env;
      const uint64_t x[2] = {a[i], b[i]};
      r[i] = apply_operation(Operation::Mul, f, x, env);
      benchmark::DoNotOptimize(env.flags);
    }
    benchmark::DoNotOptimize(r.data());
  }
  st.SetItemsProcessed(int64_t(st.iterations()) * kN);
}
BENCHMARK(BM_baseline_core_mul_e4m3);

void BM_bx_op_mul_e4m3(benchmark::State& st) {
  const auto a = codes(1), b = codes(2);
  std::vector<unsigned long long> r(kN);
  unsigned int flags = 0;
  for (auto _ : st) {
    for (size_t i = 0; i < kN; ++i)
      bx_op("float8_e4m3fn", BX_OP_MUL, BX_RM_RNE, BX_OVF_IEEE, BX_SUB_KEEP, BX_TINY_AFTER, a[i], b[i], 0, 0, &r[i],
            &flags);
    benchmark::DoNotOptimize(r.data());
  }
  st.SetItemsProcessed(int64_t(st.iterations()) * kN);
}
BENCHMARK(BM_bx_op_mul_e4m3);

void BM_bx_dot_h100_fp8_k32(benchmark::State& st) {
  const auto a = codes(3), b = codes(4);
  std::vector<unsigned long long> aa(a), bb(b);
  for (auto& c : aa) c = (c & 0x7F) == 0x7F ? 0x38 : c;  // no NaN
  for (auto& c : bb) c = (c & 0x7F) == 0x7F ? 0x38 : c;
  unsigned long long r = 0;
  unsigned int flags = 0;
  for (auto _ : st) {
    for (size_t i = 0; i + 32 <= kN; i += 32)
      bx_dot("h100-fp8", "e4m3", "e4m3", 32, &aa[i], &bb[i], 0, 0, BX_RM_RNE, BX_OVF_IEEE, BX_SUB_KEEP,
             BX_TINY_AFTER, nullptr, 0, &r, &flags);
    benchmark::DoNotOptimize(r);
  }
  st.SetItemsProcessed(int64_t(st.iterations()) * kN);  // per product
}
BENCHMARK(BM_bx_dot_h100_fp8_k32);

}  // namespace

BENCHMARK_MAIN();
