// Compiled with -ffp-contract=off (emu/CMakeLists.txt): see distributions.hpp for why.
#include "emu/distributions.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "emu/random.hpp"
#include "formats/error.hpp"

namespace bitexact {

namespace {

// Stream numbers of counter_random: attempt j of element i uses stream kSampleStream + j; the
// outlier decision has its own stream.
constexpr uint64_t kSampleStream = 0x6469737472000000ULL;   // "distr"
constexpr uint64_t kOutlierStream = 0x6f75746c69657200ULL;  // "outlier"

// ln 2 split as fdlibm does: ln2_hi has 21 trailing zero bits, so k * ln2_hi is exact for |k| < 2^21.
constexpr double kLn2Hi = 0x1.62e42feep-1;
constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
constexpr double kInvLn2 = 0x1.71547652b82fep+0;

// A uniform double in (-1, 1), symmetric: (2k + 1) / 2^52 - 1, exact.
double uniform11(uint64_t word) { return double(2 * (word >> 12) + 1) * 0x1p-52 - 1.0; }

uint64_t draw(uint64_t seed, uint64_t index, uint64_t j) { return counter_random(seed, kSampleStream + j, index); }

// (u, s) of the first accepted polar pair: u, v uniform in (-1, 1), 0 < s = u^2 + v^2 < 1.
void polar_pair(uint64_t seed, uint64_t index, double& u, double& s) {
  for (uint64_t j = 0;; j += 2) {
    u = uniform11(draw(seed, index, j));
    const double v = uniform11(draw(seed, index, j + 1));
    s = u * u + v * v;
    if (s < 1.0 && s > 0.0) return;
  }
}

double normal(uint64_t seed, uint64_t index) {
  double u, s;
  polar_pair(seed, index, u, s);
  return u * std::sqrt(-2.0 * det_log(s) / s);
}

[[noreturn]] void bad(std::string_view spec, size_t at, const std::string& msg) {
  throw FormatError(fmt::format("bad distribution: {}", msg), std::string(spec), at);
}

}  // namespace

double det_log(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < 0x1.6a09e667f3bcdp-1) {  // sqrt(1/2): keep m in [sqrt(1/2), sqrt(2))
    m *= 2.0;
    e -= 1;
  }
  // fdlibm's e_log.c scheme: with f = m - 1 (exact), s = f / (2 + f) and z = s^2,
  // ln m = 2 atanh s = f - hfsq + s (hfsq + R), hfsq = f^2 / 2, R = sum_{k>=1} 2 z^k / (2k + 1);
  // |s| < 0.1716, so 13 terms reach below 2^-60. The big term f is exact, keeping the error < 1 ulp.
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  double p = 2.0 / 27.0;
  for (int k = 12; k >= 1; --k) p = p * z + 2.0 / double(2 * k + 1);
  const double r = z * p;
  const double hfsq = 0.5 * f * f;
  const double de = double(e);
  return de * kLn2Hi - ((hfsq - (s * (hfsq + r) + de * kLn2Lo)) - f);
}

namespace {
// exp(r) - 1 for |r| <= 0.35: Horner form of r (1 + r/2 (1 + r/3 (1 + ...))), 18 terms.
double expm1_small(double r) {
  double p = 1.0;
  for (int n = 18; n >= 2; --n) p = 1.0 + p * r / double(n);
  return r * p;
}
}  // namespace

double det_exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.8) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;  // |r| <= ~0.35
  const double er = 1.0 + expm1_small(r);
  // ldexp in two steps so that neither the intermediate nor the result overflows early.
  const int ki = int(k);
  return std::ldexp(std::ldexp(er, ki / 2), ki - ki / 2);
}

double det_expm1(double x) {
  if (std::fabs(x) <= 0.35) return expm1_small(x);
  return det_exp(x) - 1.0;
}

Distribution parse_distribution(std::string_view spec) {
  Distribution d;
  const size_t colon = spec.find(':');
  const std::string_view name = spec.substr(0, colon);
  const bool has_param = colon != std::string_view::npos;
  if (name == "normal" || name == "gaussian") d.kind = DistKind::Normal;
  else if (name == "laplace") d.kind = DistKind::Laplace;
  else if (name == "uniform") d.kind = DistKind::Uniform;
  else if (name == "student-t" || name == "t") d.kind = DistKind::StudentT;
  else if (name == "lognormal") d.kind = DistKind::LogNormal;
  else if (name.empty()) bad(spec, 0, "expected a distribution name (normal, laplace, student-t:NU, uniform, lognormal)");
  else bad(spec, 0, fmt::format("unknown distribution '{}' (expected normal, laplace, student-t:NU, uniform or lognormal)", name));
  const bool wants_param = d.kind == DistKind::StudentT || d.kind == DistKind::LogNormal;
  if (d.kind == DistKind::StudentT && !has_param) bad(spec, spec.size(), "student-t needs its degrees of freedom: student-t:NU (e.g. student-t:3)");
  if (has_param && !wants_param) bad(spec, colon, fmt::format("{} takes no parameter", name));
  if (has_param) {
    const std::string_view p = spec.substr(colon + 1);
    double v = 0;
    const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
    const size_t at = colon + 1 + size_t(end - p.data());
    if (p.empty() || ec != std::errc() || end == p.data()) bad(spec, colon + 1, "expected a positive number after ':'");
    if (at != spec.size()) bad(spec, at, "unexpected character after the number");
    if (!(v > 0) || !std::isfinite(v))
      bad(spec, colon + 1, fmt::format("{} must be a positive finite number", d.kind == DistKind::StudentT ? "NU" : "SIGMA"));
    d.param = v;
  }
  return d;
}

std::string distribution_name(const Distribution& d) {
  switch (d.kind) {
    case DistKind::Uniform: return "uniform";
    case DistKind::Normal: return "normal";
    case DistKind::Laplace: return "laplace";
    case DistKind::StudentT: return fmt::format("student-t:{}", d.param);
    case DistKind::LogNormal: return d.param > 0 && d.param != 1 ? fmt::format("lognormal:{}", d.param) : "lognormal";
  }
  return "?";
}

const char* distribution_help() {
  return "normal (N(0,1)), laplace (scale 1/sqrt2, variance 1), uniform (on [-sqrt3, sqrt3], variance 1), "
         "student-t:NU (NU degrees of freedom, scaled to variance 1 when NU > 2; NU = 3 is a common heavy tail), "
         "lognormal[:SIGMA] (exp(SIGMA z), positive, SIGMA 1 by default)";
}

double sample(const Distribution& d, uint64_t seed, uint64_t index) {
  double x = 0;
  switch (d.kind) {
    case DistKind::Uniform:
      x = uniform11(draw(seed, index, 0)) * std::sqrt(3.0);
      break;
    case DistKind::Normal:
      x = normal(seed, index);
      break;
    case DistKind::Laplace: {
      const double u = uniform11(draw(seed, index, 0));
      const double m = -det_log(1.0 - std::fabs(u)) * std::sqrt(0.5);  // 1 - |u| is exact
      x = u < 0 ? -m : m;
      break;
    }
    case DistKind::StudentT: {
      const double nu = d.param;
      double u, s;
      polar_pair(seed, index, u, s);
      // s^(-2/nu) - 1 = expm1(-2 ln(s) / nu), accurate also for large nu.
      x = u * std::sqrt(nu * det_expm1(-2.0 * det_log(s) / nu) / s);
      if (nu > 2) x *= std::sqrt((nu - 2.0) / nu);
      break;
    }
    case DistKind::LogNormal:
      x = det_exp((d.param > 0 ? d.param : 1.0) * normal(seed, index));
      break;
  }
  x *= d.scale;
  if (d.outlier_fraction > 0) {
    const uint64_t w = counter_random(seed, kOutlierStream, index);
    const bool outlier = d.outlier_fraction >= 1 || double(w) < d.outlier_fraction * 0x1p64;
    if (outlier) x *= d.outlier_factor;
  }
  return x;
}

void generate(const Distribution& d, uint64_t seed, std::span<double> out, uint64_t first_index) {
  for (size_t i = 0; i < out.size(); ++i) out[i] = sample(d, seed, first_index + i);
}

}  // namespace bitexact
