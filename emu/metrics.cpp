#include "emu/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace bitexact {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// floor(log2 |e|) for finite non-zero e (subnormals included).
int binade(double e) {
  int k = 0;
  std::frexp(e, &k);  // |e| = m 2^k, m in [0.5, 1)
  return k - 1;
}
}  // namespace

void CompensatedSum::add(double v) {
  const double t = sum_ + v;
  if (std::fabs(sum_) >= std::fabs(v)) comp_ += (sum_ - t) + v;
  else comp_ += (v - t) + sum_;
  sum_ = t;
}

double sqnr_db(double signal, double noise) {
  if (noise == 0) return kInf;
  if (signal == 0) return -kInf;
  if (std::isinf(noise) || std::isnan(noise)) return -kInf;
  return 10.0 * std::log10(signal / noise);
}

double nearest_rank(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double r = std::ceil(p * double(sorted.size()));
  const size_t i = r < 1 ? 0 : std::min(sorted.size() - 1, size_t(r) - 1);
  return sorted[i];
}

ErrorMetrics measure_error(std::span<const double> x, std::span<const double> q, size_t block_size, uint64_t clipped) {
  if (x.size() != q.size()) throw std::invalid_argument("measure_error: input and output lengths differ");
  ErrorMetrics m;
  CompensatedSum sx2, se2, se;
  std::vector<uint64_t> bins;  // indexed by binade + kOffset
  constexpr int kOffset = 1100;  // binades of doubles: -1074 .. 1023
  bins.assign(2 * kOffset, 0);
  int lo = 2 * kOffset, hi = -1;

  std::vector<double> block_sqnr, block_max;
  CompensatedSum bx2, be2;
  double bmax = 0;
  size_t in_block = 0;
  uint64_t block_index = 0;
  double worst = kInf;
  auto close_block = [&] {
    const double sig = bx2.value(), noise = be2.value();
    if (sig == 0 && noise == 0) {
      ++m.block.zero_blocks;
    } else {
      const double s = sqnr_db(sig, noise);
      if (noise == 0) ++m.block.exact_blocks;
      if (block_sqnr.empty() || s < worst) {
        worst = s;
        m.block.worst_block = block_index;
      }
      block_sqnr.push_back(s);
    }
    block_max.push_back(bmax);
    bx2 = {};
    be2 = {};
    bmax = 0;
    in_block = 0;
    ++block_index;
  };

  for (size_t i = 0; i < x.size(); ++i) {
    const double xi = x[i], qi = q[i];
    if (!std::isfinite(xi)) {
      ++m.nonfinite_inputs;
    } else {
      ++m.count;
      const double e = qi - xi;
      const double ae = std::fabs(e);
      sx2.add(xi * xi);
      if (std::isfinite(qi)) {
        se2.add(e * e);
        se.add(e);
      } else {
        ++m.overflowed;
      }
      if (!std::isfinite(e)) {
        ++m.histogram.nonfinite;
      } else if (e == 0) {
        ++m.histogram.exact;
      } else {
        const int b = binade(e) + kOffset;
        ++bins[size_t(b)];
        lo = std::min(lo, b);
        hi = std::max(hi, b);
      }
      const double ae_or_inf = std::isfinite(qi) ? ae : kInf;
      m.max_abs = std::max(m.max_abs, ae_or_inf);
      const double rel = xi != 0 ? ae_or_inf / std::fabs(xi) : (qi == 0 ? 0.0 : kInf);
      m.max_rel = std::max(m.max_rel, rel);
      if (xi != 0 && qi == 0) ++m.flushed;
      if (block_size) {
        bx2.add(xi * xi);
        be2.add(std::isfinite(qi) ? e * e : kInf);
        bmax = std::max(bmax, ae_or_inf);
      }
    }
    if (block_size && ++in_block == block_size) close_block();
  }
  if (block_size && in_block) close_block();

  const double n = double(m.count);
  if (m.count) {
    m.signal_power = sx2.value() / n;
    m.mse = m.overflowed ? kInf : se2.value() / n;
    m.rmse = std::sqrt(m.mse);
    m.bias = m.overflowed ? std::numeric_limits<double>::quiet_NaN() : se.value() / n;
    m.sqnr_db = m.overflowed ? -kInf : sqnr_db(sx2.value(), se2.value());
    m.flush_rate = double(m.flushed) / n;
  } else {
    m.sqnr_db = kInf;
  }
  m.clipped = clipped;
  m.clip_rate = m.count ? double(clipped) / n : 0;
  if (hi >= lo) {
    m.histogram.min_exp = lo - kOffset;
    m.histogram.bins.assign(bins.begin() + lo, bins.begin() + hi + 1);
  }
  if (block_size) {
    m.block.block_size = block_size;
    m.block.blocks = block_index;
    std::sort(block_sqnr.begin(), block_sqnr.end());
    std::sort(block_max.begin(), block_max.end());
    if (!block_sqnr.empty()) {
      m.block.sqnr_min = block_sqnr.front();
      m.block.sqnr_p10 = nearest_rank(block_sqnr, 0.10);
      m.block.sqnr_median = nearest_rank(block_sqnr, 0.5);
      m.block.sqnr_max = block_sqnr.back();
    }
    if (!block_max.empty()) {
      m.block.max_abs_median = nearest_rank(block_max, 0.5);
      m.block.max_abs_max = block_max.back();
    }
  }
  return m;
}

}  // namespace bitexact
