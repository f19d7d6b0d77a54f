// Hardware behind the claims: the cost model (hwmodel/cost/estimate.hpp) for FP8 vs INT8 MACs and
// LUT Tensor Core vs MAC dot-product units, and the bit-serial PE array clocked through a GEMM
// (hwmodel/bitserial/array.hpp) for cycles against weight bits.
#include <cmath>
#include <stdexcept>

#include "emu/accum/accum_model.hpp"
#include "emu/env.hpp"
#include "emu/random.hpp"
#include "emu/scheme.hpp"
#include "formats/spec.hpp"
#include "hwmodel/bitserial/array.hpp"
#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/cost/estimate.hpp"
#include "hwmodel/cost/primitives.hpp"
#include "hwmodel/lut/config.hpp"
#include "hwmodel/lut/tile.hpp"
#include "hwmodel/cost/tech.hpp"
#include "tools/explore/claims_compute.hpp"

namespace bitexact::explore {

using namespace bitexact::hw::cost;

LinearFit fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 2) throw std::invalid_argument("fit_line: need two or more points");
  const double n = double(x.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
  mx /= n, my /= n;
  double sxx = 0, sxy = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0) throw std::invalid_argument("fit_line: every x is equal");
  LinearFit f;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  double sse = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double r = y[i] - (f.slope * x[i] + f.intercept);
    sse += r * r;
  }
  f.r2 = syy == 0 ? 1 : 1 - sse / syy;
  return f;
}

namespace {

const TechLibrary& tech() {
  static const TechLibrary t = TechLibrary::embedded();  // immutable after construction
  return t;
}

Estimate mac(int lanes, const char* a, const char* w, const char* acc, const CostContext& ctx) {
  MacCostInput in;
  in.lanes = lanes;
  in.act = parse_scheme(a);
  in.weight = parse_scheme(w);
  in.accum = parse_accum_model(acc);
  return estimate_mac(in, ctx);
}

}  // namespace

std::vector<Fp8Int8Row> fp8_vs_int8_cost() {
  const CostContext ctx{&tech(), 28, 1e9, ""};
  const Estimate i8 = mac(4, "int8", "int8", "exact<out=int32>", ctx);
  std::vector<Fp8Int8Row> rows;
  for (const char* f : {"float8_e4m3fn", "float8_e5m2"})
    for (const char* acc : {"h100-fp8", "fused<k=4,acc=24,out=float32>"}) {
      const Estimate e = mac(4, f, f, acc, ctx);
      rows.push_back({f, acc, e.area_um2 / i8.area_um2, e.energy_per_cycle_pj / i8.energy_per_cycle_pj});
    }
  return rows;
}

std::vector<LutMacRow> lut_vs_mac_dp4(int max_bits) {
  CostContext ctx{&tech(), 28, 1e9, "luttc28"};  // LUT-TC Fig. 12 compares both in one flow
  const Estimate m = mac(4, "float16", "float16", "pairwise<acc=float16,out=float16>", ctx);
  std::vector<LutMacRow> rows;
  for (int b = 1; b <= max_bits; ++b) {
    LutCostInput l;
    l.m = 1, l.n = 1, l.k = 4, l.w_bits = b;
    l.act = parse_format("float16");
    l.table = LutTableKind::Fp16;
    l.accum = LutAccumKind::Fp16;
    const Estimate e = estimate_lut(l, ctx);
    rows.push_back({b, e.tops_per_mm2(), m.tops_per_mm2(), e.tops_per_mm2() / m.tops_per_mm2(),
                    m.energy_per_mac_pj() / e.energy_per_mac_pj()});
  }
  return rows;
}

BitSerialSweep bitserial_sweep(int min_bits, int max_bits, size_t m, size_t n, size_t k, uint64_t seed, int threads) {
  BitSerialSweep s;
  s.m = m, s.n = n, s.k = k;
  const CostContext ctx{&tech(), 28, 1e9, ""};
  std::vector<uint64_t> a(m * k), w(n * k), out(m * n);
  for (size_t i = 0; i < a.size(); ++i) a[i] = counter_random(seed, 11, i) & 0xFF;  // int8 activations
  std::vector<double> bits, cycles, energy;
  for (int b = min_bits; b <= max_bits; ++b) {
    const std::string spec = "lanes=4,bits=1,act=int8,weight=int" + std::to_string(b) +
                             ",encoding=bitplane,accum=exact<out=int32>,rows=4,cols=4";
    const hw::BitSerialConfig cfg = hw::parse_bitserial_config(spec);
    for (size_t i = 0; i < w.size(); ++i) w[i] = counter_random(seed, 12, i) & ((uint64_t(1) << b) - 1);
    Env env;
    const hw::SerialGemmStats st = hw::run_gemm(cfg, a, w, m, n, k, {}, out, env, threads);
    const Estimate e = estimate_bitserial(cfg, ctx);
    s.rows.push_back({b, st.cycles, hw::cycles_per_weight(cfg), e.energy_per_mac_pj()});
    bits.push_back(b);
    cycles.push_back(double(st.cycles));
    energy.push_back(e.energy_per_mac_pj());
  }
  s.cycles_fit = fit_line(bits, cycles);
  s.energy_fit = fit_line(bits, energy);
  return s;
}

LutAblation lut_ablation() {
  const CostContext ctx{&tech(), 28, 1e9, ""};
  auto tile = [&](LutVariant v, int w_bits) {
    LutCostInput in;
    in.m = 2, in.n = 64, in.k = 4, in.w_bits = w_bits;
    in.act = parse_format("int8");
    in.table = LutTableKind::Int8;
    in.accum = LutAccumKind::Int32;
    in.variant = v;
    return estimate_lut(in, ctx);
  };
  const Estimate unpu = tile(LutVariant::Unpu, 2);
  const LutVariant steps[3] = {LutVariant::Reinterp, LutVariant::NegElim, LutVariant::LutTc};
  LutAblation a;
  for (int i = 0; i < 3; ++i) {
    const Estimate e = tile(steps[i], 2);
    a.density[i] = unpu.area_um2 / e.area_um2;  // same MACs per cycle: density ratio = area ratio
    a.power_eff[i] = unpu.power_mw() / e.power_mw();
  }
  a.w1_tops_per_w = tile(LutVariant::LutTc, 1).tops_per_w();
  return a;
}

BitmodVsFma bitmod_vs_fp16_fma() {
  const CostContext ctx{&tech(), 28, 1e9, ""};
  BitSerialCostInput in;
  in.lanes = 4;
  in.bits_per_cycle = 2;
  in.act = parse_format("float16");
  in.weight = parse_format("float4_e2m1fn");
  in.accum = parse_accum_model("fp16-fma");
  const Estimate pe = estimate_bitserial(in, ctx);
  const Estimate fma = mac(1, "float16", "float16", "fp16-fma", ctx);
  return {pe.area_per_mac_um2(), fma.area_per_mac_um2(), pe.energy_per_mac_pj(), fma.energy_per_mac_pj()};
}

Int4Int8 int4_vs_int8() {
  const CostContext ctx{&tech(), 28, 1e9, ""};
  const Estimate i4 = mac(4, "int4", "int4", "exact<out=int32>", ctx), i8 = mac(4, "int8", "int8", "exact<out=int32>", ctx);
  BitSerialCostInput in;
  in.lanes = 4;
  in.bits_per_cycle = 1;
  in.act = parse_format("int8");
  in.accum = parse_accum_model("exact<out=int32>");
  in.weight = parse_format("int4");
  const Estimate s4 = estimate_bitserial(in, ctx);
  in.weight = parse_format("int8");
  const Estimate s8 = estimate_bitserial(in, ctx);
  return {i4.tops_per_mm2() / i8.tops_per_mm2(), s4.macs_per_cycle / s8.macs_per_cycle};
}

namespace {

Estimate lut_point(int m, int n, int k, int w_bits, const std::string& act, bool dp_unit) {
  const CostContext ctx{&tech(), 28, 1e9, "luttc28"};
  LutCostInput l;
  l.m = m, l.n = n, l.k = k, l.w_bits = w_bits;
  l.act = parse_format(act);
  const bool integer = !l.act.is_float();
  l.table = integer ? LutTableKind::Int8 : LutTableKind::Fp16;
  l.accum = integer ? LutAccumKind::Int32 : (dp_unit ? LutAccumKind::Fp16 : LutAccumKind::Fp32);
  return estimate_lut(l, ctx);
}

}  // namespace

std::vector<LutPoint> lut_k_sweep(const std::string& act) {
  std::vector<LutPoint> v;
  for (int k = 2; k <= 7; ++k) {
    const Estimate e = lut_point(1, 1, k, 1, act, true);
    v.push_back({1, 1, k, 1, act, e.tops_per_mm2(), e.tops_per_w()});
  }
  return v;
}

std::vector<LutPoint> lut_tile_shapes(const std::string& act) {
  std::vector<LutPoint> v;
  for (int m = 1; m <= 16; m *= 2) {
    const Estimate e = lut_point(m, 128 / m, 4, 1, act, false);
    v.push_back({m, 128 / m, 4, 1, act, e.tops_per_mm2(), e.tops_per_w()});
  }
  return v;
}

std::vector<LutVsMacTc> lut_vs_mac_tc() {
  const CostContext ctx{&tech(), 28, 1e9, "luttc28"};
  std::vector<LutVsMacTc> v;
  for (const char* act : {"int8", "float16", "float8_e4m3fn"}) {
    const bool integer = act[0] == 'i';
    const Estimate mac4 = mac(4, act, act, integer ? "exact<out=int32>" : "fused<k=4,acc=24,out=float32>", ctx);
    for (int w : {1, 2, 4}) {
      const Estimate l = lut_point(2, 64, 4, w, act, false);
      // 128 DP4s: the same TOPS/mm2 and TOPS/W as one DP4.
      v.push_back({act, w, l.tops_per_mm2() / mac4.tops_per_mm2(), l.tops_per_w() / mac4.tops_per_w()});
    }
  }
  return v;
}

LutCycleSweep lut_cycle_sweep(size_t m, size_t n, size_t k, uint64_t seed) {
  LutCycleSweep s;
  s.m = m, s.n = n, s.k = k;
  std::vector<uint64_t> a(m * k), w(k * n), out(m * n);
  for (size_t i = 0; i < a.size(); ++i) a[i] = counter_random(seed, 21, i) & 0xFF;  // int8 activations
  std::vector<double> bits, cycles;
  for (int b = 1; b <= 4; ++b) {
    hw::LutConfig cfg;
    cfg.w_bits = b;
    cfg.act = parse_format("int8");
    cfg.table = hw::LutTable::Int8;
    cfg.accum = hw::LutAccum::Int32;
    hw::validate(cfg);
    for (size_t i = 0; i < w.size(); ++i) w[i] = counter_random(seed, 22, i) & ((uint64_t(1) << b) - 1);
    Env env;
    const hw::LutGemmResult r = hw::run_lut_gemm(cfg, m, n, k, a, w, {}, out, env);
    s.rows.push_back({b, r.cycles, r.ops});
    bits.push_back(b);
    cycles.push_back(double(r.cycles));
  }
  s.fit = fit_line(bits, cycles);
  return s;
}

std::vector<LmulEnergy> lmul_energy() {
  const Primitives p(tech());
  std::vector<LmulEnergy> rows;
  // float32: 24-bit significands, an adder over 8 + 23 bits; E4M3: 4-bit significands, 4 + 3 bits,
  // accumulating into a float32-class register (24-bit aligner / normaliser).
  const struct { const char* name; int sig, ebits; } fs[] = {{"float32", 24, 8}, {"float8_e4m3fn", 4, 4}};
  for (const auto& f : fs) {
    LmulEnergy e;
    e.format = f.name;
    e.mul_pj = p.fp_mul(f.sig, f.sig).energy_pj;
    e.add_int_pj = p.int_add(f.ebits + f.sig - 1).energy_pj;
    e.fp_add_pj = p.align_norm(24).energy_pj;
    e.elementwise_saving = 1 - e.add_int_pj / e.mul_pj;
    e.dot_saving = 1 - (e.add_int_pj + e.fp_add_pj) / (e.mul_pj + e.fp_add_pj);
    rows.push_back(e);
  }
  return rows;
}

FmaLadder fma_ladder() {
  const CostContext ctx{&tech(), 28, 1e9, ""};
  return {mac(1, "float64", "float64", "sequential<acc=float64,out=float64>", ctx).energy_per_mac_pj(),
          mac(1, "float8_e5m2", "float8_e5m2", "sequential<acc=float8_e5m2,out=float8_e5m2>", ctx).energy_per_mac_pj()};
}

EnergyLadder energy_ladder() {
  const CostContext ctx{&tech(), 45, 1e9, ""};
  return {mac(1, "int8", "int8", "exact<out=int32>", ctx).energy_per_mac_pj(),
          mac(1, "float32", "float32", "fp32-fma", ctx).energy_per_mac_pj()};
}

}  // namespace bitexact::explore
