// Error metrics of a quantized tensor q against its input x (element i of q is x[i] after
// quantize + dequantize). Definitions, with e_i = q_i - x_i over the elements whose x_i is finite
// (non-finite inputs are only counted):
//   mse          sum e_i^2 / n;  rmse = sqrt(mse)
//   sqnr_db      10 log10(sum x_i^2 / sum e_i^2); +inf when every e_i is 0 (also for x all zero),
//                -inf when x is all zero and some e_i is not
//   max_abs      max |e_i|
//   max_rel      max |e_i| / |x_i|, where an element with x_i = 0 counts 0 if q_i = 0 and +inf otherwise
//   bias         sum e_i / n (the mean error; systematic rounding shows up here)
//   clip_rate    clipped / n, the count the quantizer reports (elements beyond the largest value)
//   flush_rate   elements with x_i != 0 and q_i == 0, over n
//   histogram    |e_i| by binade: bin k counts 2^k <= |e_i| < 2^(k+1); exact (e_i = 0) and
//                non-finite errors are counted apart
// A finite x_i whose q_i is Inf or NaN (IEEE overflow) makes e_i infinite: mse, rmse and max_abs
// are then +inf and sqnr_db -inf, and `overflowed` counts them.
//
// Sums are Neumaier-compensated (Kahan-Babuska): each term's rounding error is carried in a second
// double, so a sum's error stays within a few ulp of the exact sum of the (rounded) terms for any
// n, and the result does not depend on anything but the element order.
//
// Per-block statistics (block_size > 0: consecutive runs of block_size elements in order, the last
// possibly shorter) give each block's SQNR and max |error|, summarised by nearest-rank quantiles
// (the value at sorted position ceil(p n) - 1); blocks whose input is all zero have no SQNR and are
// only counted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace bitexact {

// Neumaier's compensated sum.
class CompensatedSum {
 public:
  void add(double v);
  double value() const { return sum_ + comp_; }

 private:
  double sum_ = 0;
  double comp_ = 0;
};

struct ErrorHistogram {
  int min_exp = 0;              // bins[k] counts 2^(min_exp + k) <= |e| < 2^(min_exp + k + 1)
  std::vector<uint64_t> bins;
  uint64_t exact = 0;           // e == 0
  uint64_t nonfinite = 0;       // e is Inf or NaN
};

struct BlockStats {
  size_t block_size = 0;
  uint64_t blocks = 0;
  uint64_t zero_blocks = 0;     // input all zero: no SQNR
  uint64_t exact_blocks = 0;    // every element exact (SQNR +inf)
  double sqnr_min = 0, sqnr_p10 = 0, sqnr_median = 0, sqnr_max = 0;  // dB over the non-zero blocks
  double max_abs_median = 0, max_abs_max = 0;                        // per-block max |e|
  uint64_t worst_block = 0;     // index of the block with the lowest SQNR
};

struct ErrorMetrics {
  uint64_t count = 0;           // n: elements with a finite input
  uint64_t nonfinite_inputs = 0;
  uint64_t overflowed = 0;      // finite input, non-finite output
  double signal_power = 0;      // sum x^2 / n
  double mse = 0, rmse = 0, sqnr_db = 0;
  double max_abs = 0, max_rel = 0, bias = 0;
  uint64_t clipped = 0, flushed = 0;
  double clip_rate = 0, flush_rate = 0;
  ErrorHistogram histogram;
  BlockStats block;             // block.block_size == 0: none
};

// x and q have the same length; `clipped` is the quantizer's count of clipped elements.
ErrorMetrics measure_error(std::span<const double> x, std::span<const double> q, size_t block_size = 0,
                           uint64_t clipped = 0);

// 10 log10(signal / noise) with the conventions above.
double sqnr_db(double signal, double noise);

// Nearest-rank quantile of sorted values: sorted[ceil(p n) - 1] (p = 0: the first); n > 0.
double nearest_rank(std::span<const double> sorted, double p);

}  // namespace bitexact
