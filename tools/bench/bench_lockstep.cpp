// Verilated lockstep co-simulation throughput (rtl/sim/lockstep.hpp): cycles per second with every
// cycle's outputs compared (and the inputs recorded for a mismatch trace, as the tests run it), for
// each unit, beside the C++ model alone stepping the same stimulus and the verilated RTL alone
// (the same port driving, no model, no comparison), all in the same run.
//
// Units, each the plain RTL (not the tests' *_faults.sv tops, which evaluate every faulty copy each
// cycle), against the C++ model of the same configuration:
//   mac INT8 x INT8 DP4, exact INT32 (bitexact_mac_dpn_int)      vs hw::Dpn
//   mac E4M3 x E4M3 DP4, fused 24-bit v100-fp16 (bitexact_mac_dpn_fp) vs hw::Dpn
//   mac MXFP8 E4M3 x MXFP8 E4M3 DP4 (E8M0 scales, the float32 rounding stage) vs hw::Dpn
//   bit-serial INT8 x INT4 bit planes, 4 lanes (bitserial_pe)   vs hw::BitSerialPe
//   LUT tile M2N64K4, FP16 tables, W_BIT 2, INT32 (lut_tile)      vs hw::LutTile
// The stimulus is seeded random: dot products of 1..64 products (mac; idle gaps, addends), dot
// products of 1..4 weight groups (bit-serial, loaded whenever the PE is ready), chained LMMA tiles
// (LUT); each unit's generators are its lockstep tests' (rtl/sim/{mac,bitserial,lut}_stimulus.hpp). Counter
// `cycles/s`: simulated clock cycles per second (Google Benchmark's rate counters: CPU time).
// Where yosys is found, the gate-level netlists of the mac INT8 DP4 and the bit-serial PE
// (rtl/synth/synth.py --netlist, verilated at -O0) run the same schedules too.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "Vbench_bitserial_int8_int4.h"
#include "Vbench_mac_e4m3_dp4.h"
#include "Vbench_mac_int8_dp4.h"
#include "Vbench_mac_mxfp8_dp4.h"
#include "Vlut_m2n64.h"
#if BITEXACT_NETLIST_SIM
#include "Vnet_bitserial_int8_int4.h"
#include "Vnet_mac_int8_dp4.h"
#endif
#include "hwmodel/mac/config.hpp"
#include "rtl/sim/bitserial_adapter.hpp"
#include "rtl/sim/bitserial_stimulus.hpp"
#include "rtl/sim/lockstep.hpp"
#include "rtl/sim/lut_adapter.hpp"
#include "rtl/sim/lut_stimulus.hpp"
#include "rtl/sim/mac_adapter.hpp"
#include "rtl/sim/mac_stimulus.hpp"

using namespace bitexact;
using namespace bitexact::rtl;

namespace {

// ---- stimulus ------------------------------------------------------------------------------------

// Random dot products through a DP4 (rtl/sim/mac_stimulus.hpp, the lockstep tests' generators):
// K in 1..64 (a partial last chunk), idle gaps, an addend half of the time; int8 codes (near the
// limits now and then) or E4M3 codes (NaNs rare, float32 addends with specials), recorded.
template <class Gen>
std::vector<MacIn> mac_schedule(const Gen& gen, uint64_t seed, int dots) {
  mac::Recorder rec;
  mac::random_dots(rec, gen, seed, dots);
  return std::move(rec.s);
}

// The bit-serial and LUT stimulus are the lockstep tests' (rtl/sim/bitserial_stimulus.hpp,
// rtl/sim/lut_stimulus.hpp): random dot products of 1..4 weight groups loaded whenever the PE is
// ready; random LMMA tiles (an int32 psum one time in four, chained K-groups), planes back to back.
LutConfig lut_m2n64() { return lut_cfg(64, 2, LutWeight::Unsigned, 2, LutTable::Fp16); }

// ---- the three ways to step a schedule -----------------------------------------------------------

template <class Adapter>
void run_lockstep(benchmark::State& st, Adapter& ad, const std::vector<typename Adapter::In>& sched) {
  LockstepOptions o;
  o.name = "bench";
  Lockstep<Adapter> ls(ad, o);
  for (auto _ : st) {
    ls.reset();
    for (const auto& in : sched)
      if (!ls.step(in)) {
        st.SkipWithError(ls.mismatch()->report.c_str());
        return;
      }
  }
  st.counters["cycles/s"] = benchmark::Counter(double(sched.size()), benchmark::Counter::kIsIterationInvariantRate);
}

// The verilated RTL alone: the same drive(), the clock low and high, valid counted.
template <class Adapter>
void run_rtl(benchmark::State& st, Adapter& ad, const std::vector<typename Adapter::In>& sched) {
  VerilatedContext ctx;
  typename Adapter::Top top(&ctx);
  uint64_t valid = 0;
  for (auto _ : st) {
    ad.drive(top, typename Adapter::In{});
    top.rst_n = 0;
    for (int i = 0; i < 2; ++i) top.clk = 0, top.eval(), top.clk = 1, top.eval();
    top.rst_n = 1;
    for (const auto& in : sched) {
      ad.drive(top, in);
      top.clk = 0;
      top.eval();
      valid += top.out_valid;
      top.clk = 1;
      top.eval();
    }
  }
  benchmark::DoNotOptimize(valid);
  top.final();
  st.counters["cycles/s"] = benchmark::Counter(double(sched.size()), benchmark::Counter::kIsIterationInvariantRate);
}

// The C++ model alone through the adapter's model() (the model's step() and the conversion of the
// recorded inputs to its input struct, nothing else).
template <class Adapter>
void run_model(benchmark::State& st, Adapter& ad, const std::vector<typename Adapter::In>& sched) {
  uint64_t valid = 0;
  for (auto _ : st) {
    ad.reset_model();
    for (const auto& in : sched) valid += ad.model(in).valid;
  }
  benchmark::DoNotOptimize(valid);
  st.counters["cycles/s"] = benchmark::Counter(double(sched.size()), benchmark::Counter::kIsIterationInvariantRate);
}

enum class Way { lockstep, rtl, model };

template <class Adapter>
void run_way(benchmark::State& st, Way w, Adapter& ad, const std::vector<typename Adapter::In>& s) {
  st.counters["cycles"] = double(s.size());
  if (w == Way::lockstep) run_lockstep(st, ad, s);
  else if (w == Way::rtl) run_rtl(st, ad, s);
  else run_model(st, ad, s);
}

// ---- the units -----------------------------------------------------------------------------------

constexpr const char* kInt8Spec = "lanes=4,act=int8,weight=int8,accum=exact<out=int32>,pipeline=2";
constexpr const char* kFp8Spec = "lanes=4,act=float8_e4m3fn,weight=float8_e4m3fn,accum=v100-fp16,pipeline=2";
constexpr const char* kMxfp8Spec = "lanes=4,act=mxfp8_e4m3,weight=mxfp8_e4m3,accum=v100-fp16,pipeline=2";

void BM_MacInt8Dp4(benchmark::State& st, Way w) {
  static const std::vector<MacIn> s = mac_schedule(mac::Int8Codes{}, 7, 20000);
  MacAdapter<Vbench_mac_int8_dp4> ad(hw::parse_mac_config(kInt8Spec), 8, 8);
  run_way(st, w, ad, s);
}

void BM_MacE4m3Dp4(benchmark::State& st, Way w) {
  static const std::vector<MacIn> s = mac_schedule(mac::kE4m3Codes, 17, 20000);
  MacAdapter<Vbench_mac_e4m3_dp4> ad(hw::parse_mac_config(kFp8Spec), 8, 8);
  run_way(st, w, ad, s);
}

// MX: a scale per block of 32 and operand (2^-20..2^20, now and then near the E8M0 limits or NaN).
void BM_MacMxfp8Dp4(benchmark::State& st, Way w) {
  static const std::vector<MacIn> s = mac_schedule(mac::MxCodes{{mac::kE4m3Codes, mac::kE4m3Codes}}, 27, 20000);
  MacAdapter<Vbench_mac_mxfp8_dp4> ad(hw::parse_mac_config(kMxfp8Spec), 8, 8);
  run_way(st, w, ad, s);
}

void BM_BitSerialInt8Int4(benchmark::State& st, Way w) {
  static const std::vector<bitserial::SerialIn> s =
      bitserial::schedule(hw::parse_bitserial_config(bitserial::kBitPlane.spec), bitserial::random_dots(5, 10000, 4));
  bitserial::BitSerialAdapter<Vbench_bitserial_int8_int4> ad(bitserial::kBitPlane, 0);
  run_way(st, w, ad, s);
}

void BM_LutM2N64K4(benchmark::State& st, Way w) {
  static const LutConfig c = lut_m2n64();
  static const std::vector<LutOp> ops = [] {
    std::vector<LutOp> v;
    add_random_tiles(v, c, 10000, 42, 25);
    return v;
  }();
  static const std::vector<LutIn> s = lut_schedule(c, ops.size());
  LutAdapter<Vlut_m2n64> ad(c);
  ad.ops = ops;
  if (w != Way::model) return run_way(st, w, ad, s);
  // The model alone: LutTile::step() on the same planes (the adapter's model() also runs the
  // integer oracle as results retire, which is checking, not the model).
  st.counters["cycles"] = double(s.size());
  hw::LutTile tile(c, Env{});
  uint64_t valid = 0;
  for (auto _ : st) {
    tile.reset();
    for (const LutIn& in : s) {
      hw::LutTileInputs li;
      if (in.valid) {
        const LutOp& op = ops[in.op];
        li.valid = true, li.tables = &op.tables, li.plane = &op.planes[size_t(in.b) * size_t(c.n)];
        li.psum = op.psum.empty() ? nullptr : op.psum.data(), li.chain = op.chain;
      }
      valid += tile.step(li).valid;
    }
  }
  benchmark::DoNotOptimize(valid);
  st.counters["cycles/s"] = benchmark::Counter(double(s.size()), benchmark::Counter::kIsIterationInvariantRate);
}

#if BITEXACT_NETLIST_SIM
void BM_NetlistMacInt8Dp4(benchmark::State& st, Way w) {
  static const std::vector<MacIn> s = mac_schedule(mac::Int8Codes{}, 7, 20000);
  MacAdapter<Vnet_mac_int8_dp4> ad(hw::parse_mac_config(kInt8Spec), 8, 8);
  run_way(st, w, ad, s);
}
void BM_NetlistBitSerialInt8Int4(benchmark::State& st, Way w) {
  static const std::vector<bitserial::SerialIn> s =
      bitserial::schedule(hw::parse_bitserial_config(bitserial::kBitPlane.spec), bitserial::random_dots(5, 10000, 4));
  bitserial::BitSerialAdapter<Vnet_bitserial_int8_int4> ad(bitserial::kBitPlane, 0);
  run_way(st, w, ad, s);
}
#endif

}  // namespace

BENCHMARK_CAPTURE(BM_MacInt8Dp4, lockstep, Way::lockstep)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MacInt8Dp4, rtl_alone, Way::rtl)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MacInt8Dp4, model_alone, Way::model)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MacE4m3Dp4, lockstep, Way::lockstep)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MacE4m3Dp4, rtl_alone, Way::rtl)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MacE4m3Dp4, model_alone, Way::model)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MacMxfp8Dp4, lockstep, Way::lockstep)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MacMxfp8Dp4, rtl_alone, Way::rtl)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MacMxfp8Dp4, model_alone, Way::model)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BitSerialInt8Int4, lockstep, Way::lockstep)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BitSerialInt8Int4, rtl_alone, Way::rtl)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BitSerialInt8Int4, model_alone, Way::model)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LutM2N64K4, lockstep, Way::lockstep)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LutM2N64K4, rtl_alone, Way::rtl)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LutM2N64K4, model_alone, Way::model)->Unit(benchmark::kMillisecond);

#if BITEXACT_NETLIST_SIM
BENCHMARK_CAPTURE(BM_NetlistMacInt8Dp4, lockstep, Way::lockstep)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_NetlistMacInt8Dp4, netlist_alone, Way::rtl)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_NetlistBitSerialInt8Int4, lockstep, Way::lockstep)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_NetlistBitSerialInt8Int4, netlist_alone, Way::rtl)->Unit(benchmark::kMillisecond);
#endif

BENCHMARK_MAIN();
