// Error metrics (emu/metrics.hpp) on hand-worked vectors.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "emu/metrics.hpp"

using namespace bitexact;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

TEST_CASE("metrics: a hand-worked vector") {
  // e = q - x = [0, -0.5, 0, 0, -0.5, -0.1]; sum x^2 = 21.26, sum e^2 = 0.51.
  const std::vector<double> x{1, -2, 0.5, 0, 4, 0.1};
  const std::vector<double> q{1, -2.5, 0.5, 0, 3.5, 0};
  const ErrorMetrics m = measure_error(x, q, 0, 1);
  CHECK(m.count == 6);
  CHECK(m.mse == doctest::Approx(0.085).epsilon(1e-15));
  CHECK(m.rmse == doctest::Approx(0.29154759474226505).epsilon(1e-15));
  CHECK(m.sqnr_db == doctest::Approx(16.199930840893416).epsilon(1e-14));
  CHECK(m.signal_power == doctest::Approx(21.26 / 6).epsilon(1e-15));
  CHECK(m.max_abs == 0.5);
  CHECK(m.max_rel == 1.0);  // 0.1 flushed to 0
  CHECK(m.bias == doctest::Approx(-1.1 / 6).epsilon(1e-15));
  CHECK(m.flushed == 1);
  CHECK(m.flush_rate == doctest::Approx(1.0 / 6));
  CHECK(m.clipped == 1);
  CHECK(m.clip_rate == doctest::Approx(1.0 / 6));
  // |e| = 0.5 twice (binade -1), 0.1 once (binade -4: 1/16 <= 0.1 < 1/8), three exact.
  CHECK(m.histogram.min_exp == -4);
  CHECK(m.histogram.bins == std::vector<uint64_t>{1, 0, 0, 2});
  CHECK(m.histogram.exact == 3);
  CHECK(m.histogram.nonfinite == 0);
  CHECK(m.block.block_size == 0);
}

TEST_CASE("metrics: per-block statistics") {
  // Blocks of 2: [1,-2] -> [1,-2.5]: 10 log10(5/0.25) = 13.0103 dB; [0.5,0] exact: +inf;
  // [4,0.1] -> [3.5,0]: 10 log10(16.01/0.26) = 17.8942 dB.
  const std::vector<double> x{1, -2, 0.5, 0, 4, 0.1};
  const std::vector<double> q{1, -2.5, 0.5, 0, 3.5, 0};
  const BlockStats b = measure_error(x, q, 2).block;
  CHECK(b.block_size == 2);
  CHECK(b.blocks == 3);
  CHECK(b.zero_blocks == 0);
  CHECK(b.exact_blocks == 1);
  CHECK(b.sqnr_min == doctest::Approx(13.010299956639813));
  CHECK(b.sqnr_p10 == doctest::Approx(13.010299956639813));  // nearest rank: ceil(0.3) - 1 = 0
  CHECK(b.sqnr_median == doctest::Approx(17.894179839484817));
  CHECK(b.sqnr_max == kInf);
  CHECK(b.max_abs_median == 0.5);
  CHECK(b.max_abs_max == 0.5);
  CHECK(b.worst_block == 0);
  // Blocks of 4: the last block is shorter; an all-zero block has no SQNR.
  const std::vector<double> z{0, 0, 0, 0, 1, 2};
  const std::vector<double> zq{0, 0, 0, 0, 1, 1};
  const BlockStats c = measure_error(z, zq, 4).block;
  CHECK(c.blocks == 2);
  CHECK(c.zero_blocks == 1);
  CHECK(c.worst_block == 1);
  CHECK(c.sqnr_min == doctest::Approx(10 * std::log10(5.0)));
}

TEST_CASE("metrics: exact, empty, non-finite and overflow") {
  const std::vector<double> x{1, 2, 3};
  const ErrorMetrics exact = measure_error(x, x);
  CHECK(exact.sqnr_db == kInf);
  CHECK(exact.mse == 0);
  CHECK(exact.max_rel == 0);
  CHECK(exact.histogram.exact == 3);
  CHECK(exact.histogram.bins.empty());

  CHECK(measure_error({}, {}).sqnr_db == kInf);

  const std::vector<double> xi{kInf, 1, std::nan("")};
  const std::vector<double> qi{kInf, 1, std::nan("")};
  const ErrorMetrics ni = measure_error(xi, qi);
  CHECK(ni.nonfinite_inputs == 2);
  CHECK(ni.count == 1);
  CHECK(ni.sqnr_db == kInf);

  const std::vector<double> xo{1e10, 1};
  const std::vector<double> qo{kInf, 1};
  const ErrorMetrics o = measure_error(xo, qo);
  CHECK(o.overflowed == 1);
  CHECK(o.mse == kInf);
  CHECK(o.sqnr_db == -kInf);
  CHECK(o.max_abs == kInf);
  CHECK(o.histogram.nonfinite == 1);

  // x = 0 with q != 0: relative error +inf; all-zero signal with noise: -inf dB.
  const std::vector<double> x0{0, 0};
  const std::vector<double> q0{0, 0.25};
  const ErrorMetrics z = measure_error(x0, q0);
  CHECK(z.max_rel == kInf);
  CHECK(z.sqnr_db == -kInf);
  CHECK_THROWS_AS(measure_error(x0, x), std::invalid_argument);
}

TEST_CASE("metrics: compensated sums and nearest rank") {
  CompensatedSum s;
  for (double v : {1e16, 1.0, -1e16}) s.add(v);
  CHECK(s.value() == 1.0);  // a plain double sum gives 0
  CompensatedSum t;
  for (int i = 0; i < 1000000; ++i) t.add(0.1);
  CHECK(t.value() == 100000.0);  // the exact sum, 100000.0000000000055..., rounded (a plain sum gives 100000.00000133288)
  const std::vector<double> v{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(nearest_rank(v, 0) == 1);
  CHECK(nearest_rank(v, 0.1) == 1);
  CHECK(nearest_rank(v, 0.11) == 2);
  CHECK(nearest_rank(v, 0.5) == 5);
  CHECK(nearest_rank(v, 1) == 10);
  CHECK(sqnr_db(100, 1) == 20);
}
