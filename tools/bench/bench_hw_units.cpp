// Hardware unit models: functional bit-exact simulation of a 256x256x256 GEMM on a 16x16
// output-stationary array of DP4 units (every PE clocked), beside the core computing the same
// dot products in the same run (dot() per output element, and the emulated GEMM where
// emu/gemm.hpp exists); and the analytic GEMM runner on a
// 4096x4096x4096 GEMM and on the Llama-2-7B layer presets.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "emu/accum/dot.hpp"
#include "formats/spec.hpp"
#include "emu/gemm.hpp"
#include "hwmodel/gemm_runner.hpp"
#include "hwmodel/layers.hpp"
#include "hwmodel/bitserial/array.hpp"
#include "hwmodel/lut/tile.hpp"
#include "hwmodel/mac/array.hpp"

using namespace bitexact;
using namespace bitexact::hw;

namespace {

constexpr size_t kN = 256;

struct Problem {
  MacConfig cfg;
  MacOperand a, b;
};

const Problem& problem(const char* model) {
  static std::vector<std::pair<std::string, Problem>> cache;
  for (auto& [k, p] : cache)
    if (k == model) return p;
  Problem p;
  p.cfg = parse_mac_config(std::string("lanes=4,act=e4m3,weight=e4m3,rows=16,cols=16,pipeline=2,accum=") + model);
  std::mt19937_64 rng(1);
  for (MacOperand* o : {&p.a, &p.b}) {
    o->scheme = p.cfg.act;
    o->rows = kN;
    o->k = kN;
    o->codes.resize(kN * kN);
    for (auto& x : o->codes) x = rng() & 0xFE;  // finite E4M3 codes of both signs (0x7F/0xFF are NaN)
  }
  cache.emplace_back(model, std::move(p));
  return cache.back().second;
}

void BM_MacArrayGemm256(benchmark::State& st, const char* model, int threads) {
  const Problem& p = problem(model);
  std::vector<uint64_t> out(kN * kN);
  uint64_t cycles = 0;
  for (auto _ : st) {
    Env env;
    cycles = run_gemm(p.cfg, p.a, p.b, {}, out, env, threads).cycles;
    benchmark::DoNotOptimize(out.data());
  }
  st.counters["sim_cycles"] = double(cycles);
  st.counters["MAC/s"] = benchmark::Counter(double(kN * kN * kN), benchmark::Counter::kIsIterationInvariantRate);
}

// Baseline: the core's reference dot() per output element (the same results, no array).
void BM_CoreDotGemm256(benchmark::State& st, const char* model) {
  const Problem& p = problem(model);
  std::vector<uint64_t> out(kN * kN);
  const Format f = p.cfg.act.format;
  for (auto _ : st) {
    Env env;
    for (size_t i = 0; i < kN; ++i)
      for (size_t j = 0; j < kN; ++j)
        out[i * kN + j] = dot(p.cfg.accum, f, std::span(p.a.codes).subspan(i * kN, kN), f,
                              std::span(p.b.codes).subspan(j * kN, kN), 0, false, env);
    benchmark::DoNotOptimize(out.data());
  }
  st.counters["MAC/s"] = benchmark::Counter(double(kN * kN * kN), benchmark::Counter::kIsIterationInvariantRate);
}

// Baseline: the emulated GEMM (emu/gemm.hpp: decoded once, exact-double fast paths), same data.
void BM_EmuGemm256(benchmark::State& st, const char* model, int threads) {
  const Problem& p = problem(model);
  const GemmOperand a = gemm_operand(p.cfg.act.format, p.a.codes, kN, kN, false);
  const GemmOperand b = gemm_operand(p.cfg.weight.format, p.b.codes, kN, kN, false);
  std::vector<uint64_t> out(kN * kN);
  for (auto _ : st) {
    Env env;
    gemm(p.cfg.accum, a, b, {}, out, env, threads);
    benchmark::DoNotOptimize(out.data());
  }
  st.counters["MAC/s"] = benchmark::Counter(double(kN * kN * kN), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK_CAPTURE(BM_EmuGemm256, v100_fp16_1thread, "v100-fp16", 1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_EmuGemm256, exact_1thread, "exact", 1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_EmuGemm256, fp32_fma_1thread, "fp32-fma", 1)->Unit(benchmark::kMillisecond)->UseRealTime();

// The LUT Tensor Core tile (M2N64K4, one tile clocked): a 256x256x256 GEMM of B-bit unsigned
// weights, beside the emulated GEMM computing the same dot products with a MAC model.
struct LutProblem {
  LutConfig cfg;
  std::vector<uint64_t> a, w;  // a: 256 x 256 activations, w: 256 x 256 (K x N) weight codes
};

const LutProblem& lut_problem(const char* spec) {
  static std::vector<std::pair<std::string, LutProblem>> cache;
  for (auto& [k, p] : cache)
    if (k == spec) return p;
  LutProblem p;
  p.cfg = parse_lut_config(spec);
  std::mt19937_64 rng(2);
  p.a.resize(kN * kN);
  p.w.resize(kN * kN);
  const bool fp = p.cfg.act.is_float();
  for (auto& x : p.a) x = fp ? (rng() & 0xFFFF) % 0x7800 | (rng() & 0x8000) : rng() & 0xFF;  // finite fp16 below 2^15
  for (auto& x : p.w) x = rng() & ((1u << p.cfg.w_bits) - 1);
  cache.emplace_back(spec, std::move(p));
  return cache.back().second;
}

void BM_LutTileGemm256(benchmark::State& st, const char* spec) {
  const LutProblem& p = lut_problem(spec);
  std::vector<uint64_t> out(kN * kN);
  LutGemmResult r;
  for (auto _ : st) {
    Env env;
    r = run_lut_gemm(p.cfg, kN, kN, kN, p.a, p.w, {}, out, env);
    benchmark::DoNotOptimize(out.data());
  }
  st.counters["sim_cycles"] = double(r.cycles);
  st.counters["tables"] = double(r.tables);
  st.counters["MAC/s"] = benchmark::Counter(double(kN * kN * kN), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK_CAPTURE(BM_LutTileGemm256, w2_int8_int8table_int32, "w_bits=2,act=int8,table=int8,accum=int32")
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_LutTileGemm256, w2_fp16_fp16table_fp32, "w_bits=2,act=float16,table=fp16,accum=fp32")
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_LutTileGemm256, w4_fp16_fp16table_fp16, "w_bits=4,act=float16,table=fp16,accum=fp16")
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// Baseline: the emulated GEMM over the same activations and weights (unsigned B-bit integers) under a
// MAC accumulation model (exact for the INT8 case: the same values the LUT tile gives with exact tables).
void BM_LutEmuGemm256(benchmark::State& st, const char* spec, const char* model, int threads) {
  const LutProblem& p = lut_problem(spec);
  const Format wf = parse_format("int<bits=" + std::to_string(p.cfg.w_bits) + ",signed=false>");
  const GemmOperand a = gemm_operand(p.cfg.act, p.a, kN, kN, false);
  const GemmOperand b = gemm_operand(wf, p.w, kN, kN, true);
  const AccumModel m = parse_accum_model(model);
  std::vector<uint64_t> out(kN * kN);
  for (auto _ : st) {
    Env env;
    gemm(m, a, b, {}, out, env, threads);
    benchmark::DoNotOptimize(out.data());
  }
  st.counters["MAC/s"] = benchmark::Counter(double(kN * kN * kN), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK_CAPTURE(BM_LutEmuGemm256, w2_int8_exact_1thread, "w_bits=2,act=int8,table=int8,accum=int32", "exact", 1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_LutEmuGemm256, w2_fp16_fp32fma_1thread, "w_bits=2,act=float16,table=fp16,accum=fp32", "fp32-fma", 1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RunnerEstimate4096(benchmark::State& st) {
  const ArraySpec a = array_spec(parse_mac_config("lanes=4,rows=16,cols=16"));
  GemmEstimate e;
  for (auto _ : st) {
    e = estimate_gemm(a, GemmShape{4096, 4096, 4096});
    benchmark::DoNotOptimize(e);
  }
  st.counters["cycles"] = double(e.cycles);
  st.counters["utilization"] = e.utilization;
}

void BM_RunnerLlama2Prefill(benchmark::State& st) {
  const ArraySpec a = array_spec(parse_mac_config("lanes=4,rows=16,cols=16"));
  const ModelPreset& m = model_preset("llama2-7b");
  double cycles = 0;
  for (auto _ : st) {
    cycles = 0;
    for (const LayerShape& l : m.layers) cycles += double(estimate_gemm(a, layer_gemm(l, 2048)).cycles) * m.blocks;
    benchmark::DoNotOptimize(cycles);
  }
  st.counters["cycles"] = cycles;
}

// The bit-serial unit: the 256^3 GEMM clocked through a 16x16 array of 4-lane bit-serial PEs
// (every PE, every digit cycle), beside the emulated GEMM and dot() per element on the same codes.
struct SerialProblem {
  BitSerialConfig cfg;
  std::vector<uint64_t> a, b;  // a: M x K activation codes, b: N x K weight codes
};

const SerialProblem& serial_problem(const char* spec) {
  static std::vector<std::pair<std::string, SerialProblem>> cache;
  for (auto& [k, p] : cache)
    if (k == spec) return p;
  SerialProblem p;
  p.cfg = parse_bitserial_config(std::string(spec) + ",rows=16,cols=16");
  std::mt19937_64 rng(2);
  p.a.resize(kN * kN);
  p.b.resize(kN * kN);
  const bool fp16 = p.cfg.act.name == "float16";
  for (auto& x : p.a) x = fp16 ? (rng() & 0x83FF) | ((8 + rng() % 14) << 10) : rng() & p.cfg.act.facts.code_mask;
  for (auto& x : p.b) x = rng() & p.cfg.weight.facts.code_mask;
  cache.emplace_back(spec, std::move(p));
  return cache.back().second;
}

void BM_BitSerialArrayGemm256(benchmark::State& st, const char* spec, int threads) {
  const SerialProblem& p = serial_problem(spec);
  std::vector<uint64_t> out(kN * kN);
  SerialGemmStats s;
  for (auto _ : st) {
    Env env;
    s = run_gemm(p.cfg, p.a, p.b, kN, kN, kN, {}, out, env, threads);
    benchmark::DoNotOptimize(out.data());
  }
  st.counters["sim_cycles"] = double(s.cycles);
  st.counters["MAC/s"] = benchmark::Counter(double(kN * kN * kN), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_BitSerialCoreDot256(benchmark::State& st, const char* spec) {
  const SerialProblem& p = serial_problem(spec);
  std::vector<uint64_t> out(kN * kN);
  for (auto _ : st) {
    Env env;
    for (size_t i = 0; i < kN; ++i)
      for (size_t j = 0; j < kN; ++j)
        out[i * kN + j] = dot(p.cfg.accum, p.cfg.act, std::span(p.a).subspan(i * kN, kN), p.cfg.weight,
                              std::span(p.b).subspan(j * kN, kN), 0, false, env);
    benchmark::DoNotOptimize(out.data());
  }
  st.counters["MAC/s"] = benchmark::Counter(double(kN * kN * kN), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_BitSerialEmuGemm256(benchmark::State& st, const char* spec) {
  const SerialProblem& p = serial_problem(spec);
  const GemmOperand a = gemm_operand(p.cfg.act, p.a, kN, kN, false);
  const GemmOperand b = gemm_operand(p.cfg.weight, p.b, kN, kN, false);
  std::vector<uint64_t> out(kN * kN);
  for (auto _ : st) {
    Env env;
    gemm(p.cfg.accum, a, b, {}, out, env, 1);
    benchmark::DoNotOptimize(out.data());
  }
  st.counters["MAC/s"] = benchmark::Counter(double(kN * kN * kN), benchmark::Counter::kIsIterationInvariantRate);
}
#define SERIAL_EMU(name, spec) \
  BENCHMARK_CAPTURE(BM_BitSerialEmuGemm256, name, spec)->Unit(benchmark::kMillisecond)->UseRealTime();

#define SERIAL_BENCH(name, spec)                                                                            \
  BENCHMARK_CAPTURE(BM_BitSerialArrayGemm256, name##_1thread, spec, 1)->Unit(benchmark::kMillisecond)->UseRealTime(); \
  BENCHMARK_CAPTURE(BM_BitSerialArrayGemm256, name##_4threads, spec, 4)->Unit(benchmark::kMillisecond)->UseRealTime(); \
  BENCHMARK_CAPTURE(BM_BitSerialCoreDot256, name, spec)->Unit(benchmark::kMillisecond)->UseRealTime();        \
  SERIAL_EMU(name, spec)

SERIAL_BENCH(fp16_x_bitmod_fp4_exact, "act=float16,weight=bitmod_fp4_er_pos,accum=exact")
SERIAL_BENCH(fp16_x_int8_booth_exact, "act=float16,weight=int8,accum=exact")
SERIAL_BENCH(int8_x_int4_bitplane_int32, "act=int8,weight=int4,bits=1,accum=exact<out=int32>")
SERIAL_BENCH(fp16_x_e2m1_v100_fp16, "act=float16,weight=float4_e2m1fn,accum=v100-fp16")

}  // namespace

BENCHMARK_CAPTURE(BM_MacArrayGemm256, v100_fp16_1thread, "v100-fp16", 1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_MacArrayGemm256, v100_fp16_4threads, "v100-fp16", 4)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_CoreDotGemm256, v100_fp16, "v100-fp16")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_MacArrayGemm256, exact_1thread, "exact", 1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_CoreDotGemm256, exact, "exact")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_MacArrayGemm256, fp32_fma_1thread, "fp32-fma", 1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_CoreDotGemm256, fp32_fma, "fp32-fma")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RunnerEstimate4096);
BENCHMARK(BM_RunnerLlama2Prefill);
BENCHMARK_MAIN();
