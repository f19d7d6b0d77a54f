#include "formats/format.hpp"

#include <cmath>

#include <fmt/format.h>

#include "formats/error.hpp"

namespace bitexact {

namespace {

void check(bool ok, const std::string& name, const char* why) {
  if (!ok) throw FormatError(fmt::format("invalid float format '{}': {}", name, why));
}

}  // namespace

Format make_float_format(std::string name, const FloatParams& p) {
  check(p.exp_bits >= 1 && p.exp_bits <= 15, name, "exponent bits must be in 1..15");
  check(p.man_bits >= 0 && p.man_bits <= 52, name, "mantissa bits must be in 0..52 (float64's)");
  const int width = (p.is_signed ? 1 : 0) + p.exp_bits + p.man_bits;
  check(width >= 2 && width <= 64, name, "total width must be in 2..64 bits");
  check(p.bias >= -(1 << 15) && p.bias <= (1 << 15), name, "bias out of range");
  check(p.inf != InfPolicy::Ieee || p.nan == NanPolicy::Ieee, name, "inf=ieee requires nan=ieee");
  check(p.inf != InfPolicy::Top || p.nan == NanPolicy::NegZero || p.nan == NanPolicy::None, name,
        "inf=top requires nan=negzero or nan=none");
  check(p.nan != NanPolicy::NegZero || (p.is_signed && p.has_zero), name,
        "nan=negzero needs a sign bit and a zero");
  check(p.has_zero || !p.subnormals, name, "a format without zero cannot have subnormals");
  check(p.has_zero || p.nan != NanPolicy::Ieee, name, "a format without zero cannot use IEEE NaN codes");

  Format f;
  f.family = Family::Float;
  f.name = std::move(name);
  f.fp = p;
  f.is_signed = p.is_signed;
  FloatFacts& x = f.facts;
  x.width = width;
  x.code_mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  x.sign_bit = p.is_signed ? uint64_t{1} << (width - 1) : 0;
  x.man_mask = (uint64_t{1} << p.man_bits) - 1;
  x.exp_field_max = (1 << p.exp_bits) - 1;
  x.top_field_special = p.inf == InfPolicy::Ieee || p.nan == NanPolicy::Ieee;
  // Exponent field 0 is the subnormal/zero binade unless the format has no zero.
  x.emin = p.has_zero ? 1 - p.bias : -p.bias;
  // An unsigned 64-bit format has 64 magnitude bits: the shift would be by 64.
  const int magnitude_bits = p.exp_bits + p.man_bits;
  const uint64_t all_ones = magnitude_bits == 64 ? ~uint64_t{0} : (uint64_t{1} << magnitude_bits) - 1;
  if (x.top_field_special) {
    x.max_code = (uint64_t(x.exp_field_max) << p.man_bits) - 1;
  } else if (p.nan == NanPolicy::AllOnes || p.inf == InfPolicy::Top) {
    x.max_code = all_ones - 1;
  } else {
    x.max_code = all_ones;
  }
  check(x.max_code > 0 && (x.max_code >> p.man_bits) >= (p.has_zero ? 1u : 0u), f.name,
        "no finite normal values remain");
  const uint64_t max_field = x.max_code >> p.man_bits;
  x.emax = int(max_field) - p.bias;
  // Keeps every value within binary128's exponent range, which text parsing and printing rely on.
  check(x.emax <= kMaxExponent && x.emin - p.man_bits >= kMinExponent, f.name,
        "the bias puts values outside 2^-16500 .. 2^16384 (binary128's exponent range)");
  x.max_significand = (x.max_code & x.man_mask) | (uint64_t{1} << p.man_bits);
  x.min_normal_code = p.has_zero ? uint64_t{1} << p.man_bits : 0;
  x.min_code = p.has_zero ? (p.subnormals && p.man_bits > 0 ? 1 : x.min_normal_code) : 0;
  return f;
}

double BinaryValue::approx() const { return std::ldexp(double(significand), exponent); }

BinaryValue max_finite(const Format& f) {
  return {f.facts.max_significand, f.facts.emax - f.fp.man_bits};
}

BinaryValue min_normal(const Format& f) { return {1, f.facts.emin}; }

BinaryValue min_subnormal(const Format& f) {
  if (f.fp.subnormals && f.fp.man_bits > 0) return {1, f.facts.emin - f.fp.man_bits};
  return min_normal(f);
}

BinaryValue epsilon(const Format& f) { return {1, -f.fp.man_bits}; }

int binade_count(const Format& f) {
  // Normal binades emin..emax, plus the subnormal range's binades (one per mantissa bit).
  int n = f.facts.emax - f.facts.emin + 1;
  if (f.fp.subnormals) n += f.fp.man_bits;
  return n;
}

const char* inf_policy_name(InfPolicy p) {
  switch (p) {
    case InfPolicy::Ieee: return "ieee";
    case InfPolicy::None: return "none";
    case InfPolicy::Top: return "top";
  }
  return "?";
}
const char* nan_policy_name(NanPolicy p) {
  switch (p) {
    case NanPolicy::Ieee: return "ieee";
    case NanPolicy::AllOnes: return "allones";
    case NanPolicy::NegZero: return "negzero";
    case NanPolicy::None: return "none";
  }
  return "?";
}

const char* family_name(Family f) {
  switch (f) {
    case Family::Float: return "float";
    case Family::Int: return "int";
    case Family::Posit: return "posit";
    case Family::Table: return "table";
  }
  return "?";
}

std::string spec_string(const Format& f) {
  if (!f.is_float()) return f.spec;
  const FloatParams& p = f.fp;
  std::string s = fmt::format("float<e={},m={},bias={}", p.exp_bits, p.man_bits, p.bias);
  if (!p.is_signed) s += ",signed=false";
  if (!p.subnormals) s += ",subnormals=false";
  if (!p.has_zero) s += ",zero=false";
  s += fmt::format(",inf={},nan={}>", inf_policy_name(p.inf), nan_policy_name(p.nan));
  return s;
}

}  // namespace bitexact
