// Scalar add / mul with flags on 8- and 16-bit formats, in ns per operation, against native
// float32 add/mul in the same run.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "emu/op_table.hpp"
#include "emu/ops.hpp"
#include "formats/catalog.hpp"

using namespace bitexact;

namespace {

constexpr size_t kN = 4096;

std::vector<uint64_t> codes(const Format& f, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint64_t> v(kN);
  for (auto& c : v) c = rng() & f.facts.code_mask;
  return v;
}

void BM_baseline_native_float32(benchmark::State& st) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> d(-10, 10);
  std::vector<float> a(kN), b(kN), r(kN);
  for (size_t i = 0; i < kN; ++i) a[i] = d(rng), b[i] = d(rng);
  for (auto _ : st) {
    for (size_t i = 0; i < kN; ++i) r[i] = a[i] * b[i] + a[i];
    benchmark::DoNotOptimize(r.data());
  }
  st.SetItemsProcessed(int64_t(st.iterations()) * kN * 2);
}
BENCHMARK(BM_baseline_native_float32);

using OpFn = uint64_t (*)(const Format&, uint64_t, uint64_t, Env&);

void BM_op(benchmark::State& st, OpFn op, const char* name) {
  const Format& f = Catalog::builtin().find(name)->format;
  const auto a = codes(f, 1), b = codes(f, 2);
  std::vector<uint64_t> r(kN);
  Env env;
  for (auto _ : st) {
    for (size_t i = 0; i < kN; ++i) r[i] = op(f, a[i], b[i], env);
    benchmark::DoNotOptimize(r.data());
    benchmark::DoNotOptimize(env.flags);
  }
  st.SetItemsProcessed(int64_t(st.iterations()) * kN);
}
BENCHMARK_CAPTURE(BM_op, add_e4m3fn, &add, "float8_e4m3fn");
BENCHMARK_CAPTURE(BM_op, mul_e4m3fn, &mul, "float8_e4m3fn");
BENCHMARK_CAPTURE(BM_op, add_e5m2, &add, "float8_e5m2");
BENCHMARK_CAPTURE(BM_op, mul_e5m2, &mul, "float8_e5m2");
BENCHMARK_CAPTURE(BM_op, add_float16, &add, "float16");
BENCHMARK_CAPTURE(BM_op, mul_float16, &mul, "float16");
BENCHMARK_CAPTURE(BM_op, add_bfloat16, &add, "bfloat16");
BENCHMARK_CAPTURE(BM_op, mul_bfloat16, &mul, "bfloat16");

// The same operations through a precomputed table (formats of at most 8 bits).
void BM_table(benchmark::State& st, BinaryOp op, const char* name) {
  const Format& f = Catalog::builtin().find(name)->format;
  const auto a = codes(f, 1), b = codes(f, 2);
  std::vector<uint64_t> r(kN);
  Env env;
  const BinaryOpTable t(op, f, env);
  for (auto _ : st) {
    for (size_t i = 0; i < kN; ++i) r[i] = t.apply(a[i], b[i], env);
    benchmark::DoNotOptimize(r.data());
    benchmark::DoNotOptimize(env.flags);
  }
  st.SetItemsProcessed(int64_t(st.iterations()) * kN);
}
BENCHMARK_CAPTURE(BM_table, add_e4m3fn, BinaryOp::Add, "float8_e4m3fn");
BENCHMARK_CAPTURE(BM_table, mul_e4m3fn, BinaryOp::Mul, "float8_e4m3fn");
BENCHMARK_CAPTURE(BM_table, add_e5m2, BinaryOp::Add, "float8_e5m2");
BENCHMARK_CAPTURE(BM_table, mul_e5m2, BinaryOp::Mul, "float8_e5m2");

}  // namespace

BENCHMARK_MAIN();
