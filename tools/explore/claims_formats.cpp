// Formats and numerics behind the claims: value-set censuses, L-Mul and FP8 product errors, and
// block-format errors on synthetic tensors. Everything here calls the project's own code
// (formats/ decode, emu ops, emu/accum/lmul, fake_quantize, measure_error).
#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "emu/accum/accum_model.hpp"
#include "emu/accum/lmul.hpp"
#include "emu/gemm.hpp"
#include "emu/distributions.hpp"
#include "emu/env.hpp"
#include "emu/metrics.hpp"
#include "emu/ops.hpp"
#include "emu/scheme.hpp"
#include "formats/codec.hpp"
#include "formats/spec.hpp"
#include "tools/explore/claims_compute.hpp"

namespace bitexact::explore {

BinadeCensus binade_census(const Format& f) {
  if (f.width() > 16) throw std::invalid_argument("binade_census: formats of at most 16 bits");
  BinadeCensus c;
  std::map<int, int> per_binade;  // floor(log2 v) -> positive values in it
  double lo = INFINITY, hi = 0;
  for (uint64_t code = 0; code <= f.facts.code_mask; ++code) {
    const Unpacked u = decode(f, code);
    if (u.is_zero()) ++c.finite_codes;
    if (!u.is_finite_nonzero()) continue;
    ++c.finite_codes;
    if (u.sign) continue;
    const double v = to_double(u);
    int e = 0;
    std::frexp(v, &e);  // v = m 2^e, m in [0.5, 1): floor(log2 v) = e - 1
    ++per_binade[e - 1];
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  c.binades = int(per_binade.size());
  c.max_finite = hi;
  c.min_positive = lo;
  c.log2_range = std::log2(hi / lo);
  c.values_per_binade.assign(257, 0);
  for (const auto& [e, k] : per_binade) ++c.values_per_binade[std::min(k, 256)];
  return c;
}

namespace {

// Finite non-zero codes of an 8-bit format with their values.
std::vector<std::pair<uint64_t, double>> finite_nonzero(const Format& f) {
  std::vector<std::pair<uint64_t, double>> v;
  for (uint64_t code = 0; code <= f.facts.code_mask; ++code) {
    const Unpacked u = decode(f, code);
    if (u.is_finite_nonzero()) v.emplace_back(code, to_double(u));
  }
  return v;
}

void finish(ErrStats& s, double sum) { s.mean = s.n ? sum / double(s.n) : 0; }

}  // namespace

ErrStats lmul_error_all_pairs(const Format& f) {
  const auto vals = finite_nonzero(f);
  ErrStats s;
  CompensatedSum sum;
  for (const auto& [a, x] : vals)
    for (const auto& [b, y] : vals) {
      const double exact = x * y;  // exact: two significands of <= 12 bits
      const double rel = std::fabs(lmul(f, a, f, b) - exact) / std::fabs(exact);
      sum.add(rel);
      s.max = std::max(s.max, rel);
      ++s.n;
    }
  finish(s, sum.value());
  return s;
}

ErrStats fp_mul_error_all_pairs(const Format& f) {
  const auto vals = finite_nonzero(f);
  const double lo = min_normal(f).approx(), hi = max_finite(f).approx();
  ErrStats s;
  CompensatedSum sum;
  for (const auto& [a, x] : vals)
    for (const auto& [b, y] : vals) {
      const double exact = x * y;
      if (std::fabs(exact) < lo || std::fabs(exact) > hi) continue;  // the format's normal range only
      Env env;
      const double r = to_double(decode(f, mul(f, a, b, env)));
      const double rel = std::fabs(r - exact) / std::fabs(exact);
      sum.add(rel);
      s.max = std::max(s.max, rel);
      ++s.n;
    }
  finish(s, sum.value());
  return s;
}

namespace {

// Every pair of grid significands 1 + i 2^-g, i = 0 .. 2^g - 1, mapped through per-operand codes:
// op(code_x, code_y) gives the approximate product; errors against the exact x * y.
template <class Op>
ErrStats over_grid(int grid_bits, const Format& opf, Op op) {
  const int n = 1 << grid_bits;
  std::vector<uint64_t> code(n);
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) {
    x[i] = 1 + std::ldexp(double(i), -grid_bits);
    Env env;  // RNE
    code[i] = from_double(opf, x[i], env);
  }
  ErrStats s;
  CompensatedSum sum, wsum, w;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double exact = x[i] * x[j];  // exact: 2 (grid_bits + 1) <= 53 bits
      const double rel = std::fabs(op(code[i], code[j]) - exact) / exact;
      sum.add(rel);
      wsum.add(rel / exact);
      w.add(1 / exact);
      s.max = std::max(s.max, rel);
      ++s.n;
    }
  finish(s, sum.value());
  s.mean_log = wsum.value() / w.value();
  return s;
}

}  // namespace

ErrStats fp8_multiply_from_grid(const Format& fp8, int grid_bits) {
  // The product of operands in [1, 2) lies in [1, 4): inside every FP8 format's normal range.
  std::map<std::pair<uint64_t, uint64_t>, double> memo;
  return over_grid(grid_bits, fp8, [&](uint64_t a, uint64_t b) {
    auto [it, fresh] = memo.try_emplace({a, b}, 0.0);
    if (fresh) {
      Env env;
      it->second = to_double(decode(fp8, mul(fp8, a, b, env)));
    }
    return it->second;
  });
}

ErrStats lmul_from_grid(int mantissa_bits, int grid_bits) {
  const Format f = parse_format("float<e=5,m=" + std::to_string(mantissa_bits) + ">");
  return over_grid(grid_bits, f, [&](uint64_t a, uint64_t b) { return lmul(f, a, f, b); });
}

namespace {

Distribution claim_distribution(const std::string& label) {
  const auto plus = label.find("+outliers");
  Distribution d = parse_distribution(label.substr(0, plus));
  if (plus != std::string::npos) {
    d.outlier_fraction = 0.001;
    d.outlier_factor = 30;
  }
  return d;
}

}  // namespace

std::vector<std::string> claim_distributions() {
  return {"normal", "laplace", "student-t:3", "student-t:3+outliers"};
}

std::vector<BlockErrorRow> block_errors(const std::vector<std::string>& dists, const std::vector<std::string>& schemes,
                                        size_t n, uint64_t seed, int threads, double scale) {
  std::vector<BlockErrorRow> rows;
  std::vector<double> x(n), q(n);
  for (const std::string& d : dists) {
    Distribution dist = claim_distribution(d);
    dist.scale = scale;
    generate(dist, seed, x);
    for (const std::string& spec : schemes) {
      const Scheme s = parse_scheme(spec);
      Env env;
      QuantizeStats st;
      fake_quantize(s, x, q, env, &st, threads);
      const ErrorMetrics m = measure_error(x, q, 0, st.clipped);
      rows.push_back({d, spec, m.sqnr_db, m.mse});
    }
  }
  return rows;
}

std::vector<AccumErrRow> accumulation_errors(const std::vector<std::string>& models, const std::vector<size_t>& ks,
                                             size_t mn, uint64_t seed, int threads) {
  const Format e4 = parse_format("float8_e4m3fn");
  const Distribution normal = parse_distribution("normal");
  const AccumModel exact = parse_accum_model("exact<out=float64>");
  const Format f64 = exact.out_format;
  std::vector<AccumErrRow> rows;
  for (const size_t k : ks) {
    // A (mn x K) and B^T (mn x K) from disjoint index ranges of one seeded stream.
    std::vector<double> xa(mn * k), xb(mn * k);
    generate(normal, seed, xa, 0);
    generate(normal, seed, xb, uint64_t(1) << 40);
    std::vector<uint64_t> ca(mn * k), cb(mn * k);
    Env q;  // RNE, OCP saturation is irrelevant for N(0,1) inside E4M3's range
    for (size_t i = 0; i < ca.size(); ++i) ca[i] = from_double(e4, xa[i], q), cb[i] = from_double(e4, xb[i], q);
    const GemmOperand a = gemm_operand(e4, ca, mn, k, false), b = gemm_operand(e4, cb, mn, k, false);
    std::vector<uint64_t> ref(mn * mn), out(mn * mn);
    Env env;
    gemm(exact, a, b, {}, ref, env, threads);
    for (const std::string& spec : models) {
      const AccumModel m = parse_accum_model(spec);
      Env e2;
      gemm(m, a, b, {}, out, e2, threads);
      CompensatedSum num, den;
      for (size_t i = 0; i < out.size(); ++i) {
        const double r = to_double(decode(f64, ref[i]));
        const double v = to_double(decode(m.out_format, out[i]));
        num.add((v - r) * (v - r));
        den.add(r * r);
      }
      rows.push_back({spec, k, std::sqrt(num.value() / den.value())});
    }
  }
  return rows;
}

}  // namespace bitexact::explore
