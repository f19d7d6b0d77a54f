// Seeded distributions (emu/distributions.hpp): fixed first values (the bytes must never change),
// determinism and prefix stability, moments and CDF points within statistical bounds, outlier
// injection, spec parsing, and det_log / det_exp against MPFR's correctly rounded log / exp.
#include <doctest/doctest.h>

#include <mpfr.h>

#include <cmath>
#include <string>
#include <vector>

#include "emu/distributions.hpp"
#include "emu/random.hpp"
#include "formats/error.hpp"

using namespace bitexact;

namespace {

std::vector<double> draw(const char* spec, size_t n, uint64_t seed = 7) {
  std::vector<double> v(n);
  generate(parse_distribution(spec), seed, v);
  return v;
}

struct Moments {
  double mean = 0, var = 0;
};
Moments moments(const std::vector<double>& v) {
  long double s = 0, s2 = 0;
  for (double x : v) s += x;
  const long double mean = s / v.size();
  for (double x : v) s2 += (x - mean) * (x - mean);
  return {double(mean), double(s2 / (v.size() - 1))};
}

// Fraction of samples <= t, checked against the model CDF p within 5 binomial standard deviations.
void check_cdf(const std::vector<double>& v, double t, double p) {
  size_t k = 0;
  for (double x : v) k += x <= t;
  const double n = double(v.size());
  CAPTURE(t);
  CHECK(std::fabs(double(k) / n - p) <= 5 * std::sqrt(p * (1 - p) / n));
}

// Distance in ulps between a and the correctly rounded f(x) from MPFR.
double ulps_from_mpfr(double a, double x, int (*f)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t)) {
  mpfr_t m;
  mpfr_init2(m, 53);
  mpfr_set_d(m, x, MPFR_RNDN);
  f(m, m, MPFR_RNDN);
  const double want = mpfr_get_d(m, MPFR_RNDN);
  mpfr_clear(m);
  if (want == a) return 0;
  const double ulp = std::fabs(std::nextafter(want, INFINITY) - want);
  return std::fabs(a - want) / ulp;
}

constexpr size_t kN = 200000;

}  // namespace

TEST_CASE("distributions: fixed first values for seed 42") {
  // These are the bytes every machine must produce; a change here changes every report.
  struct Case {
    const char* spec;
    double v[4];
  };
  const Case cases[] = {
      {"normal", {0x1.462f00b51aep-1, 0x1.0016ef538c1p-3, -0x1.00a8fb08e6c88p+0, -0x1.3971f9c327711p-1}},
      {"laplace", {0x1.cdbad013ab7fcp-3, 0x1.de15e12a8aa22p-7, -0x1.add72ab98c069p-2, -0x1.ee621d271575ap-2}},
      {"uniform", {0x1.e436799c751bdp-2, 0x1.21c443008f4cp-5, -0x1.8d033a5b82363p-1, -0x1.b6c86796b7788p-1}},
      {"student-t:3", {0x1.c124f3c5c82ecp-2, 0x1.ba4a1c4be63bfp-4, -0x1.5ec3666be842p-1, -0x1.889e9813ec34cp-2}},
      {"lognormal", {0x1.e4150d48776cdp+0, 0x1.22194402cab15p+0, 0x1.77bd0cf1c87d2p-2, 0x1.1595bddf8c91bp-1}},
  };
  for (const Case& c : cases) {
    const std::string spec = c.spec;
    CAPTURE(spec);
    const Distribution d = parse_distribution(c.spec);
    for (int i = 0; i < 4; ++i) CHECK(sample(d, 42, uint64_t(i)) == c.v[i]);
  }
  // The uniform sample is sqrt(3) * ((2k + 1) 2^-52 - 1) for k = the top 52 bits of the word.
  const uint64_t w = counter_random(42, 0x6469737472000000ULL, 0);
  CHECK(sample(parse_distribution("uniform"), 42, 0) == (double(2 * (w >> 12) + 1) * 0x1p-52 - 1.0) * std::sqrt(3.0));
}

TEST_CASE("distributions: deterministic, prefix-stable, seed-dependent") {
  const auto a = draw("student-t:4", 1000, 3);
  CHECK(a == draw("student-t:4", 1000, 3));
  const auto b = draw("student-t:4", 300, 3);
  CHECK(std::equal(b.begin(), b.end(), a.begin()));
  std::vector<double> tail(200);
  generate(parse_distribution("student-t:4"), 3, tail, 800);
  CHECK(std::equal(tail.begin(), tail.end(), a.begin() + 800));
  CHECK(a != draw("student-t:4", 1000, 4));
}

TEST_CASE("distributions: moments within statistical bounds") {
  // Sample mean within 5 sigma/sqrt(n); sample variance within 5 sqrt((kurtosis - 1)/n) of 1.
  struct Case {
    const char* spec;
    double kurtosis;
  };
  for (const Case& c : {Case{"normal", 3.0}, Case{"laplace", 6.0}, Case{"uniform", 1.8}, Case{"student-t:6", 6.0}}) {
    const std::string spec = c.spec;
    CAPTURE(spec);
    const Moments m = moments(draw(c.spec, kN));
    CHECK(std::fabs(m.mean) < 5 / std::sqrt(double(kN)));
    CHECK(std::fabs(m.var - 1) < 5 * std::sqrt((c.kurtosis - 1) / double(kN)));
  }
  // Log-normal: log of the samples is N(0, sigma^2).
  auto v = draw("lognormal:0.5", kN);
  for (double& x : v) {
    REQUIRE(x > 0);
    x = std::log(x);
  }
  const Moments lm = moments(v);
  CHECK(std::fabs(lm.mean) < 5 * 0.5 / std::sqrt(double(kN)));
  CHECK(std::fabs(lm.var - 0.25) < 5 * 0.25 * std::sqrt(2.0 / double(kN)));
}

TEST_CASE("distributions: CDF points") {
  const auto z = draw("normal", kN);
  for (double t : {-2.0, -1.0, 0.0, 0.5, 1.5, 3.0}) check_cdf(z, t, 0.5 * std::erfc(-t / std::sqrt(2.0)));
  // Laplace with b = 1/sqrt 2: F(t) = 1 - exp(-t/b)/2 for t >= 0.
  const auto l = draw("laplace", kN);
  for (double t : {0.0, 0.5, 1.0, 3.0}) check_cdf(l, t, 1 - 0.5 * std::exp(-t * std::sqrt(2.0)));
  // Student-t, nu = 3, scaled by 1/sqrt 3: P(X <= t) = F3(t sqrt 3),
  // F3(u) = 1/2 + (u / (sqrt3 (1 + u^2/3)) + atan(u / sqrt 3)) / pi.
  const auto t3 = draw("student-t:3", kN);
  for (double t : {-3.0, -1.0, 0.2, 1.0, 5.0}) {
    const double u = t * std::sqrt(3.0);
    check_cdf(t3, t, 0.5 + (u / (std::sqrt(3.0) * (1 + u * u / 3)) + std::atan(u / std::sqrt(3.0))) / M_PI);
  }
  // Cauchy (nu = 1, unscaled): F(t) = 1/2 + atan(t)/pi.
  const auto c = draw("student-t:1", kN);
  for (double t : {-10.0, -1.0, 0.0, 2.0}) check_cdf(c, t, 0.5 + std::atan(t) / M_PI);
  const auto uni = draw("uniform", kN);
  for (double t : {-1.5, 0.0, 1.0}) check_cdf(uni, t, (t + std::sqrt(3.0)) / (2 * std::sqrt(3.0)));
}

TEST_CASE("distributions: scale and outliers") {
  Distribution d = parse_distribution("normal");
  const Distribution base = d;
  d.scale = 0.5;
  d.outlier_fraction = 0.01;
  d.outlier_factor = 100;
  size_t outliers = 0;
  for (uint64_t i = 0; i < kN; ++i) {
    const double x = sample(d, 9, i), b = sample(base, 9, i) * 0.5;
    if (x == b) continue;
    CHECK(x == b * 100);
    ++outliers;
  }
  CHECK(std::fabs(double(outliers) / kN - 0.01) < 5 * std::sqrt(0.01 * 0.99 / kN));
  d.outlier_fraction = 1;
  CHECK(sample(d, 9, 5) == sample(base, 9, 5) * 50);
}

TEST_CASE("distributions: spec parsing") {
  CHECK(parse_distribution("normal").kind == DistKind::Normal);
  CHECK(parse_distribution("t:2.5").param == 2.5);
  CHECK(distribution_name(parse_distribution("student-t:3")) == "student-t:3");
  CHECK(distribution_name(parse_distribution("lognormal:1")) == "lognormal");
  CHECK(distribution_name(parse_distribution("lognormal:0.5")) == "lognormal:0.5");
  auto msg = [](const char* s) {
    try {
      parse_distribution(s);
    } catch (const FormatError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(msg("cauchy") ==
        "bad distribution: unknown distribution 'cauchy' (expected normal, laplace, student-t:NU, uniform or "
        "lognormal) (at character 1 of 'cauchy')");
  CHECK(msg("student-t") ==
        "bad distribution: student-t needs its degrees of freedom: student-t:NU (e.g. student-t:3) (at character 10 of "
        "'student-t')");
  CHECK(msg("student-t:0") == "bad distribution: NU must be a positive finite number (at character 11 of 'student-t:0')");
  CHECK(msg("student-t:3x") == "bad distribution: unexpected character after the number (at character 12 of 'student-t:3x')");
  CHECK(msg("normal:2") == "bad distribution: normal takes no parameter (at character 7 of 'normal:2')");
  CHECK(msg("") ==
        "bad distribution: expected a distribution name (normal, laplace, student-t:NU, uniform, lognormal) (at "
        "character 1 of '')");
}

TEST_CASE("det_log and det_exp within 1 ulp of MPFR") {
  double worst_log = 0, worst_exp = 0;
  for (uint64_t i = 0; i < 100000; ++i) {
    const uint64_t w = counter_random(1, 2, i);
    const double x = std::ldexp(1.0 + double(w >> 12) * 0x1p-52, int(w % 2000) - 1000);
    worst_log = std::max(worst_log, ulps_from_mpfr(det_log(x), x, mpfr_log));
    const double y = (double(w >> 11) * 0x1p-53 - 0.5) * 1400;
    worst_exp = std::max(worst_exp, ulps_from_mpfr(det_exp(y), y, mpfr_exp));
  }
  CHECK(worst_log <= 1.0);
  CHECK(worst_exp <= 1.0);
  CHECK(det_log(1.0) == 0.0);
  CHECK(det_exp(0.0) == 1.0);
  CHECK(std::isinf(det_log(0.0)));
  CHECK(std::isnan(det_log(-1.0)));
  CHECK(det_exp(800) == INFINITY);
  CHECK(det_exp(-800) == 0.0);
  CHECK(std::fabs(det_expm1(1e-10) - 1.00000000005e-10) < 1e-25);
}
