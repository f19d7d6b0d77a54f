// Seeded synthetic tensors for error reports: normal, Laplace, Student-t, uniform and log-normal
// samples, optionally with injected outliers.
//
// Element i is a pure function of (distribution, seed, i): the bits come from counter_random()
// (emu/random.hpp) keyed by element index, so a tensor is the same on any thread count, and a
// prefix of a longer tensor equals the shorter one. The transforms use only IEEE 754 basic
// operations (+ - * / sqrt, exact floor/frexp/ldexp) in a fixed order, with the project's own
// log/exp (det_log, det_exp below) instead of the C library's, whose last bits differ between
// libm implementations; this file is compiled with -ffp-contract=off so no compiler fuses a
// multiply-add. Hence the same seed gives the same bytes on any IEEE 754 machine.
//
// Definitions (every shape except log-normal is standardised to mean 0, variance 1 where the
// variance exists, so SQNR figures compare across shapes):
//   uniform     U(-sqrt 3, sqrt 3)
//   normal      N(0, 1) by Marsaglia's polar method: draw u, v uniform in (-1, 1) until
//               0 < s = u^2 + v^2 < 1, then x = u * sqrt(-2 ln s / s)
//   laplace     location 0, scale b = 1/sqrt 2: u uniform in (-1, 1), x = -b sign(u) ln(1 - |u|)
//   student-t:NU  Student's t with NU > 0 degrees of freedom by Bailey's polar method (Math. Comp.
//               62, 1994): as for normal, x = u * sqrt(NU (s^(-2/NU) - 1) / s); for NU > 2
//               multiplied by sqrt((NU - 2) / NU) so the variance is 1 (NU <= 2: no finite
//               variance, left unscaled)
//   lognormal[:SIGMA]  exp(SIGMA * z), z the normal sample above (SIGMA 1 by default): positive,
//               median 1, not standardised
// Then every value is multiplied by `scale`, and with outliers, each element independently with
// probability `outlier_fraction` (its own random word below fraction * 2^64) is multiplied by
// `outlier_factor`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace bitexact {

enum class DistKind : uint8_t { Uniform, Normal, Laplace, StudentT, LogNormal };

struct Distribution {
  DistKind kind = DistKind::Normal;
  double param = 0;              // student-t: nu; lognormal: sigma (0 means 1)
  double scale = 1;              // every value is multiplied by this
  double outlier_fraction = 0;   // probability that an element is an outlier, 0..1
  double outlier_factor = 1;     // outliers are multiplied by this
};

// "normal", "laplace", "uniform", "student-t:NU" (also "t:NU"), "lognormal", "lognormal:SIGMA".
// Throws FormatError naming the position of the bad character.
Distribution parse_distribution(std::string_view spec);
// Canonical spelling ("student-t:3"), without scale and outliers.
std::string distribution_name(const Distribution& d);
// One line per shape, for --help.
const char* distribution_help();

// Element `index` of the tensor drawn with `seed`.
double sample(const Distribution& d, uint64_t seed, uint64_t index);
// out[i] = sample(d, seed, first_index + i).
void generate(const Distribution& d, uint64_t seed, std::span<double> out, uint64_t first_index = 0);

// Natural log and exp from basic operations only (a few ulp from the correctly rounded result),
// identical on every IEEE 754 machine. det_log(x) for x > 0 (0 gives -inf, negative or NaN gives
// NaN); det_exp over the whole double range; det_expm1 accurate near 0.
double det_log(double x);
double det_exp(double x);
double det_expm1(double x);

}  // namespace bitexact
