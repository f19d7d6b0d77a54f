// The analytic side of `bitexact hw`: loading the embedded technology tables, one unit's cost
// estimate, and the whole estimate of a 4096 x 4096 x 4096 GEMM, beside a baseline of parsing one
// accumulation-model spec (the cheapest step every estimate repeats) in the same run.
#include <benchmark/benchmark.h>

#include "emu/accum/accum_model.hpp"
#include "emu/scheme.hpp"
#include "formats/spec.hpp"
#include "hwmodel/cost/estimate.hpp"
#include "hwmodel/cost/tech.hpp"
#include "hwmodel/gemm_runner.hpp"
#include "hwmodel/mac/config.hpp"

using namespace bitexact;
using namespace bitexact::hw::cost;

namespace {

const TechLibrary& tech() {
  static const TechLibrary t = TechLibrary::embedded();
  return t;
}

void BM_baseline_parse_accum(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(parse_accum_model("fused<k=4,acc=24,out=float32>"));
}

void BM_tech_load_embedded(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(TechLibrary::embedded());
}

void BM_estimate_mac_e4m3(benchmark::State& st) {
  const MacCostInput in{4, parse_scheme("e4m3"), parse_scheme("e4m3"), parse_accum_model("h100-fp8")};
  const CostContext ctx{&tech(), 28, 1e9};
  for (auto _ : st) benchmark::DoNotOptimize(estimate_mac(in, ctx));
}

void BM_estimate_lut_w2(benchmark::State& st) {
  LutCostInput in;
  in.act = parse_format("int8");
  in.table = LutTableKind::Int8;
  in.accum = LutAccumKind::Int32;
  const CostContext ctx{&tech(), 7, 1e9};
  for (auto _ : st) benchmark::DoNotOptimize(estimate_lut(in, ctx));
}

// The whole analytic estimate of a 4096 x 4096 x 4096 GEMM on a 16 x 16 array of e4m3 DP4 units:
// the unit's cost, its timing and the runner's cycles and traffic (what `bitexact hw --shape` does).
void BM_gemm_4096_e4m3(benchmark::State& st) {
  const CostContext ctx{&tech(), 28, 1e9};
  bitexact::hw::MacConfig mc;
  mc.act = mc.weight = parse_scheme("e4m3");
  mc.accum = parse_accum_model("h100-fp8");
  for (auto _ : st) {
    const Estimate e = estimate_mac(mc, ctx);
    const bitexact::hw::GemmEstimate g =
        bitexact::hw::estimate_gemm({bitexact::hw::timing(mc), 16, 16, true}, {4096, 4096, 4096});
    benchmark::DoNotOptimize(g.macs * e.energy_per_mac_pj() + double(g.cycles));
  }
}

}  // namespace

BENCHMARK(BM_baseline_parse_accum);
BENCHMARK(BM_gemm_4096_e4m3);
BENCHMARK(BM_tech_load_embedded);
BENCHMARK(BM_estimate_mac_e4m3);
BENCHMARK(BM_estimate_lut_w2);
BENCHMARK_MAIN();
