// Env: everything that steers rounding, passed explicitly to every operation.
// There is no global mutable state; the sticky flags live here too.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace bitexact {

enum class RoundingMode : uint8_t {
  RNE,  // nearest, ties to even
  RNA,  // nearest, ties away from zero
  RTZ,  // toward zero
  RUP,  // toward +inf
  RDN,  // toward -inf
  ROD,  // round to odd: truncate, then set the LSB if inexact
  SR,   // stochastic, away from zero with probability equal to the truncated fraction (64-bit draw)
  SRR,  // stochastic with R random bits: add an R-bit integer to the top R fraction bits, round away on carry
};

enum class OverflowPolicy : uint8_t {
  Ieee,      // IEEE 754: +-inf or +-max by mode; formats without inf give NaN where IEEE gives inf
  Saturate,  // +-max finite (OCP SAT / CUDA SATFINITE)
  Wrap,      // integers and fixed point: two's-complement wrap-around (modulo 2^bits); other families: as Ieee
};

enum class SubnormalPolicy : uint8_t {
  Keep,       // gradual underflow
  FlushOut,   // tiny results become signed zero (FTZ)
  FlushIn,    // subnormal inputs read as signed zero (DAZ)
  FlushBoth,  // FTZ and DAZ
};

enum class Tininess : uint8_t { AfterRounding, BeforeRounding };

// What a NaN becomes in a format that has no NaN code (FP6, FP4).
enum class NanToNoNan : uint8_t {
  Max,   // +max finite (sign dropped), raising invalid
  Zero,  // the sign-set zero code 0b1000... (+0 for a negative NaN, as ml_dtypes), raising invalid
};

// Sign of a NaN produced by conversion from a NaN input (NaNs from invalid operations are positive).
enum class NanSign : uint8_t { Preserve, Positive };

// Sticky flags in TestFloat / SoftFloat bit order.
namespace flag {
inline constexpr uint8_t inexact = 1;
inline constexpr uint8_t underflow = 2;
inline constexpr uint8_t overflow = 4;
inline constexpr uint8_t divbyzero = 8;  // TestFloat's "infinite"
inline constexpr uint8_t invalid = 16;
}  // namespace flag

// The named bundles of the choices a spec leaves open.
enum class Preset : uint8_t { Ocp, Cuda, MlDtypes };

struct Env {
  RoundingMode mode = RoundingMode::RNE;
  int sr_bits = 0;  // R for RoundingMode::SRR (1..32)
  OverflowPolicy overflow = OverflowPolicy::Ieee;
  SubnormalPolicy subnormals = SubnormalPolicy::Keep;
  Tininess tininess = Tininess::AfterRounding;
  NanToNoNan nan_to_nonan = NanToNoNan::Max;
  NanSign nan_sign = NanSign::Preserve;

  // Random source for SR / SRR: counter-based, keyed by (seed, stream, index); index advances per
  // rounding that draws. Or, when explicit_bits is non-empty, draws are taken from it in order.
  uint64_t seed = 0;
  uint64_t stream = 0;
  uint64_t index = 0;
  std::span<const uint64_t> explicit_bits;
  size_t explicit_pos = 0;

  uint8_t flags = 0;

  bool flush_outputs() const {
    return subnormals == SubnormalPolicy::FlushOut || subnormals == SubnormalPolicy::FlushBoth;
  }
  bool flush_inputs() const {
    return subnormals == SubnormalPolicy::FlushIn || subnormals == SubnormalPolicy::FlushBoth;
  }
  // The next 64 random bits (for SR: a uniform fraction; for SRR: the low R bits are used).
  uint64_t draw();
};

Env preset_env(Preset p);
// The rounding mode a preset uses for a target format when the user names none
// (cuda: round-up into E8M0, as cuda_fp8.h's __nv_fp8_e8m0 constructors; ml_dtypes: ties away
// into E8M0, as ml_dtypes 0.6.0 rounds 3.0 to 4; otherwise rne).
RoundingMode preset_default_rounding(Preset p, bool target_has_zero);

// Parsing and naming; parse_* throw std::invalid_argument with a message listing the choices.
RoundingMode parse_rounding(std::string_view s, int* sr_bits);  // "sr:12" sets *sr_bits
std::string rounding_name(RoundingMode m, int sr_bits = 0);
OverflowPolicy parse_overflow(std::string_view s);
std::string_view overflow_name(OverflowPolicy p);
SubnormalPolicy parse_subnormals(std::string_view s);
std::string_view subnormals_name(SubnormalPolicy p);
Tininess parse_tininess(std::string_view s);
Preset parse_preset(std::string_view s);
std::string_view preset_name(Preset p);
// "ux" style flag letters as TestFloat prints them: v invalid, i infinite, o overflow, u underflow, x inexact.
std::string flags_letters(uint8_t flags);

}  // namespace bitexact
