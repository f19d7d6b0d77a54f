#include "tools/explore/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "emu/gemm.hpp"
#include "emu/metrics.hpp"
#include "emu/ops.hpp"
#include "emu/scheme.hpp"
#include "formats/spec.hpp"
#include "hwmodel/gemm_runner.hpp"

namespace bitexact::explore {

namespace cost = hw::cost;

namespace {

ErrorFigures figures(const ErrorMetrics& m) {
  return {m.sqnr_db, m.max_abs, m.max_rel, m.rmse, std::sqrt(m.signal_power)};
}

// The environment of every quantization and GEMM: round to nearest even, saturate on overflow
// (the conversion ML frameworks use; block schemes apply their own scale rules).
Env quant_env() {
  Env e;
  e.overflow = OverflowPolicy::Saturate;
  return e;
}

// A GEMM operand of a scheme. A per-tensor scaled scheme (group=tensor) is run the way hardware
// runs it: the element codes enter the GEMM and the one scale multiplies the output (*post_scale),
// since the emulated GEMM takes block scales only along K. The element values are recovered
// exactly from the dequantized tensor (q = e x s is exact in double) and checked.
GemmOperand make_operand(const Scheme& s, const std::vector<float>& x, uint64_t rows, uint64_t k, Env& env,
                         int threads, double* post_scale) {
  *post_scale = 1;
  if (!(s.is_block && s.block.block == 0)) return gemm_operand(s, x, rows, k, false, env, threads);
  const std::vector<double> xd(x.begin(), x.end());
  std::vector<double> q(x.size());
  QuantizeStats st;
  fake_quantize(s, xd, q, env, &st, threads);
  if (st.block_scale.size() != 1 || !(st.block_scale[0] > 0) || !std::isfinite(st.block_scale[0]))
    throw std::invalid_argument(fmt::format("{}: no single finite per-tensor scale", scheme_name(s)));
  const double scale = st.block_scale[0];
  const Format elem = element_format(s);
  std::vector<uint64_t> codes(x.size());
  Env e;
  for (size_t i = 0; i < q.size(); ++i) {
    codes[i] = from_double(elem, q[i] / scale, e);
    if (to_double(elem, codes[i], e) * scale != q[i])
      throw std::invalid_argument(fmt::format("{}: element {} is not an element value times the scale", scheme_name(s), i));
  }
  *post_scale = scale;
  return gemm_operand(elem, codes, rows, k, false);
}

}  // namespace

Evaluator::Evaluator(const Workload& w, const EvalSettings& s)
    : w_(w), s_(s), tech_(cost::TechLibrary::embedded()), synth_(cost::embedded_synth_table()) {
  // The exact reference: exact<out=float64> is Kulisch accumulation of the float32 samples'
  // products, one rounding to float64 (emu/accum/kulisch.hpp).
  const AccumModel exact = parse_accum_model("exact<out=float64>");
  const Scheme f32 = parse_scheme("float32");
  for (size_t i = 0; i < w_.layers.size(); ++i) {
    LayerTensors t = make_tensors(w_.layers[i], s_.seed + w_.seed, i);
    Env env = quant_env();
    const GemmOperand a = gemm_operand(f32, t.a, t.m, t.k, false, env, s_.threads);
    const GemmOperand b = gemm_operand(f32, t.w, t.n, t.k, false, env, s_.threads);
    std::vector<uint64_t> out(t.m * t.n);
    gemm(exact, a, b, {}, out, env, s_.threads);
    std::vector<double> ref(out.size());
    for (size_t j = 0; j < out.size(); ++j) {
      double d;
      static_assert(sizeof d == sizeof out[j]);
      std::memcpy(&d, &out[j], sizeof d);
      ref[j] = d;
    }
    tensors_.push_back(std::move(t));
    reference_.push_back(std::move(ref));
  }
}

const Evaluator::Numerics& Evaluator::numerics(const Candidate& c) {
  const std::string key = c.act + "|" + c.weight + "|" + c.accum + "|" + c.rounding;
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  const Scheme sa = parse_scheme(c.act), sw = parse_scheme(c.weight);
  const AccumModel model = parse_accum_model(c.accum);
  int sr_bits = 0;
  const RoundingMode mode = parse_rounding(c.rounding, &sr_bits);
  Numerics n;
  for (size_t i = 0; i < tensors_.size(); ++i) {
    const LayerTensors& t = tensors_[i];
    // The operands' quantization under the candidate's rounding mode; stochastic rounding draws
    // from (seed, stream = 2 x layer + operand, element index), the same draws for the error
    // figures and the GEMM's operands.
    auto qenv = [&](uint64_t operand) {
      Env e = quant_env();
      e.mode = mode, e.sr_bits = sr_bits;
      e.seed = s_.seed + w_.seed, e.stream = 2 * i + operand;
      return e;
    };
    // Quantization error of each operand (block schemes: blocks run along K, as in the GEMM).
    auto op_error = [&](const Scheme& s, const std::vector<float>& x, uint64_t operand) {
      std::vector<double> xd(x.begin(), x.end()), q(x.size());
      QuantizeStats st;
      Env e = qenv(operand);
      fake_quantize(s, xd, q, e, &st, s_.threads);
      return figures(measure_error(xd, q, 0, st.clipped));
    };
    n.act.push_back(op_error(sa, t.a, 0));
    n.weight.push_back(op_error(sw, t.w, 1));
    // The GEMM output under the candidate's accumulation model against the exact reference; its
    // own roundings (and the output's) are the model's, round to nearest even where it leaves them open.
    double scale_a = 1, scale_w = 1;
    Env ea = qenv(0), ew = qenv(1), env = quant_env();
    const GemmOperand a = make_operand(sa, t.a, t.m, t.k, ea, s_.threads, &scale_a);
    const GemmOperand b = make_operand(sw, t.w, t.n, t.k, ew, s_.threads, &scale_w);
    std::vector<uint64_t> out(t.m * t.n);
    gemm(model, a, b, {}, out, env, s_.threads);
    std::vector<double> q(out.size());
    Env dec;
    for (size_t j = 0; j < out.size(); ++j) q[j] = to_double(model.out_format, out[j], dec) * scale_a * scale_w;
    n.out.push_back(figures(measure_error(reference_[i], q)));
  }
  return cache_.emplace(key, std::move(n)).first->second;
}

CandidateResult Evaluator::evaluate(const Candidate& c) {
  CandidateResult r;
  r.cand = c;
  const cost::CostContext ctx{&tech_, s_.hw.node_nm, s_.hw.clock_hz, ""};
  r.unit = unit_cost(c, s_.hw, ctx, synth_);
  const Scheme sa = parse_scheme(c.act), sw = parse_scheme(c.weight);
  r.act_bits = bits_per_value(sa);
  r.weight_bits = bits_per_value(sw);
  const Numerics& num = numerics(c);

  const hw::ArraySpec array{r.unit.timing, s_.hw.rows, s_.hw.cols, true};
  hw::MemorySpec mem;
  mem.a_bits = r.act_bits, mem.b_bits = r.weight_bits, mem.c_bits = 32;
  const double sram_pj_64 = cost::sram_access_energy_pj(ctx, double(mem.a_buffer_bytes), 64);
  double sqnr_sum = 0, act_sum = 0, w_sum = 0;
  r.out_sqnr_min_db = INFINITY;
  for (size_t i = 0; i < w_.layers.size(); ++i) {
    const Layer& l = w_.layers[i];
    LayerResult lr;
    lr.layer = l.name;
    lr.act = num.act[i], lr.weight = num.weight[i], lr.out = num.out[i];
    lr.m = w_.tokens, lr.n = l.N, lr.k = l.K, lr.count = l.count;
    // The GEMM runner's cycles and traffic; energy as `bitexact hw` computes it: every MAC at the
    // unit's energy per MAC, SRAM as 64-bit accesses of a 256 KB buffer, DRAM per bit.
    const hw::GemmEstimate g = hw::estimate_gemm(array, hw::GemmShape{lr.m, lr.n, lr.k}, mem);
    lr.cycles = g.cycles;
    lr.utilization = g.utilization;
    lr.compute_j = g.macs * r.unit.energy_per_mac_pj * 1e-12;
    lr.sram_j = g.sram_bytes * 8 / 64 * sram_pj_64 * 1e-12;
    lr.dram_j = cost::dram_access_energy_pj(ctx, g.dram_bytes * 8) * 1e-12;
    lr.weight_bytes = double(lr.k) * double(lr.n) * r.weight_bits / 8;
    lr.act_bytes = double(lr.m) * double(lr.k) * r.act_bits / 8;
    const double cnt = double(lr.count);
    r.compute_j += lr.compute_j * cnt, r.sram_j += lr.sram_j * cnt, r.dram_j += lr.dram_j * cnt;
    r.time_s += double(lr.cycles) * cnt / s_.hw.clock_hz;
    r.weight_bytes += lr.weight_bytes * cnt;
    sqnr_sum += lr.out.sqnr_db, act_sum += lr.act.sqnr_db, w_sum += lr.weight.sqnr_db;
    r.out_sqnr_min_db = std::min(r.out_sqnr_min_db, lr.out.sqnr_db);
    r.out_max_rel_rms = std::max(r.out_max_rel_rms, lr.out.signal_rms > 0 ? lr.out.max_abs / lr.out.signal_rms : 0.0);
    r.layers.push_back(std::move(lr));
  }
  const double nl = double(w_.layers.size());
  r.out_sqnr_db = sqnr_sum / nl, r.act_sqnr_db = act_sum / nl, r.weight_sqnr_db = w_sum / nl;
  r.energy_j = r.compute_j + r.sram_j;
  const double units = double(s_.hw.rows) * double(s_.hw.cols);
  r.peak_tops = 2 * r.unit.macs_per_cycle * units * s_.hw.clock_hz * 1e-12;
  r.array_area_mm2 = r.unit.area_um2 * units * 1e-6;
  r.area_per_mac_um2 = r.unit.area_um2 / r.unit.macs_per_cycle;
  return r;
}

}  // namespace bitexact::explore
