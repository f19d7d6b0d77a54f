#include "emu/env.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "emu/random.hpp"

namespace bitexact {

uint64_t Env::draw() {
  if (!explicit_bits.empty()) {
    if (explicit_pos >= explicit_bits.size())
      throw std::out_of_range(fmt::format("explicit random bits exhausted after {} draws", explicit_pos));
    return explicit_bits[explicit_pos++];
  }
  return counter_random(seed, stream, index++);
}

Env preset_env(Preset p) {
  Env e;
  switch (p) {
    case Preset::Ocp:  // OFP8 / MX v1.0: non-saturating by default, sign of NaN kept
      e.overflow = OverflowPolicy::Ieee;
      e.nan_to_nonan = NanToNoNan::Max;
      e.nan_sign = NanSign::Preserve;
      break;
    case Preset::Cuda:  // cuda_fp8/fp6/fp4.h constructors: __NV_SATFINITE, canonical NaN 0x7F
      e.overflow = OverflowPolicy::Saturate;
      e.nan_to_nonan = NanToNoNan::Max;
      e.nan_sign = NanSign::Positive;
      break;
    case Preset::MlDtypes:  // ml_dtypes ConvertImpl defaults: kSaturate=false; MX types' NaN is -0
      e.overflow = OverflowPolicy::Ieee;
      e.nan_to_nonan = NanToNoNan::Zero;
      e.nan_sign = NanSign::Preserve;
      break;
  }
  return e;
}

RoundingMode preset_default_rounding(Preset p, bool target_has_zero) {
  if (p == Preset::Cuda && !target_has_zero) return RoundingMode::RUP;
  if (p == Preset::MlDtypes && !target_has_zero) return RoundingMode::RNA;  // ml_dtypes 0.6.0: 3.0 -> 4
  return RoundingMode::RNE;
}

namespace {

std::string lower(std::string_view s) {
  std::string r(s);
  std::transform(r.begin(), r.end(), r.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return r;
}

}  // namespace

RoundingMode parse_rounding(std::string_view s, int* sr_bits) {
  const std::string l = lower(s);
  if (l.rfind("sr:", 0) == 0) {
    const std::string r = l.substr(3);
    int bits = 0;
    bool ok = !r.empty() && r.size() <= 2;  // at most two digits: the sum below cannot overflow
    for (size_t i = 0; ok && i < r.size(); ++i) {
      ok = r[i] >= '0' && r[i] <= '9';
      bits = bits * 10 + (r[i] - '0');
    }
    if (!ok || bits < 1 || bits > 32)
      throw std::invalid_argument(fmt::format("rounding mode '{}': R in sr:R must be an integer 1..32", s));
    if (sr_bits) *sr_bits = bits;
    return RoundingMode::SRR;
  }
  if (l == "rne" || l == "nearest" || l == "near_even" || l == "rn") return RoundingMode::RNE;
  if (l == "rna" || l == "near_maxmag" || l == "rmm") return RoundingMode::RNA;
  if (l == "rtz" || l == "minmag" || l == "rz") return RoundingMode::RTZ;
  if (l == "rup" || l == "max" || l == "ru") return RoundingMode::RUP;
  if (l == "rdn" || l == "min" || l == "rd") return RoundingMode::RDN;
  if (l == "rod" || l == "odd") return RoundingMode::ROD;
  if (l == "sr") return RoundingMode::SR;
  throw std::invalid_argument(
      fmt::format("unknown rounding mode '{}' (expected rne, rna, rtz, rup, rdn, rod, sr or sr:R)", s));
}

std::string rounding_name(RoundingMode m, int sr_bits) {
  switch (m) {
    case RoundingMode::RNE: return "rne";
    case RoundingMode::RNA: return "rna";
    case RoundingMode::RTZ: return "rtz";
    case RoundingMode::RUP: return "rup";
    case RoundingMode::RDN: return "rdn";
    case RoundingMode::ROD: return "rod";
    case RoundingMode::SR: return "sr";
    case RoundingMode::SRR: return fmt::format("sr:{}", sr_bits);
  }
  return "?";
}

OverflowPolicy parse_overflow(std::string_view s) {
  const std::string l = lower(s);
  if (l == "ieee" || l == "nonsat") return OverflowPolicy::Ieee;
  if (l == "saturate" || l == "sat" || l == "satfinite") return OverflowPolicy::Saturate;
  if (l == "wrap") return OverflowPolicy::Wrap;
  throw std::invalid_argument(fmt::format("unknown overflow policy '{}' (expected ieee, saturate or wrap)", s));
}

std::string_view overflow_name(OverflowPolicy p) {
  switch (p) {
    case OverflowPolicy::Ieee: return "ieee";
    case OverflowPolicy::Saturate: return "saturate";
    case OverflowPolicy::Wrap: return "wrap";
  }
  return "?";
}

SubnormalPolicy parse_subnormals(std::string_view s) {
  const std::string l = lower(s);
  if (l == "keep") return SubnormalPolicy::Keep;
  if (l == "ftz" || l == "flush-out") return SubnormalPolicy::FlushOut;
  if (l == "daz" || l == "flush-in") return SubnormalPolicy::FlushIn;
  if (l == "ftz+daz" || l == "flush") return SubnormalPolicy::FlushBoth;
  throw std::invalid_argument(
      fmt::format("unknown subnormal policy '{}' (expected keep, ftz, daz or ftz+daz)", s));
}

std::string_view subnormals_name(SubnormalPolicy p) {
  switch (p) {
    case SubnormalPolicy::Keep: return "keep";
    case SubnormalPolicy::FlushOut: return "ftz";
    case SubnormalPolicy::FlushIn: return "daz";
    case SubnormalPolicy::FlushBoth: return "ftz+daz";
  }
  return "?";
}

Tininess parse_tininess(std::string_view s) {
  const std::string l = lower(s);
  if (l == "after") return Tininess::AfterRounding;
  if (l == "before") return Tininess::BeforeRounding;
  throw std::invalid_argument(fmt::format("unknown tininess '{}' (expected before or after)", s));
}

Preset parse_preset(std::string_view s) {
  const std::string l = lower(s);
  if (l == "ocp") return Preset::Ocp;
  if (l == "cuda") return Preset::Cuda;
  if (l == "ml_dtypes" || l == "ml-dtypes" || l == "mldtypes") return Preset::MlDtypes;
  throw std::invalid_argument(fmt::format("unknown preset '{}' (expected ocp, cuda or ml_dtypes)", s));
}

std::string_view preset_name(Preset p) {
  switch (p) {
    case Preset::Ocp: return "ocp";
    case Preset::Cuda: return "cuda";
    case Preset::MlDtypes: return "ml_dtypes";
  }
  return "?";
}

std::string flags_letters(uint8_t f) {
  std::string s = ".....";
  if (f & flag::invalid) s[0] = 'v';
  if (f & flag::divbyzero) s[1] = 'i';
  if (f & flag::overflow) s[2] = 'o';
  if (f & flag::underflow) s[3] = 'u';
  if (f & flag::inexact) s[4] = 'x';
  return s;
}

}  // namespace bitexact
