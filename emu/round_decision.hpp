// The rounding DECISION shared by every family's rounding (emu/round.cpp and emu/round_*.cpp):
// given the magnitude split into kept units and a dropped fraction, whether to round away from
// zero under a mode. Internal to emu/.
#pragma once

#include <cassert>
#include <cstdint>

#include "emu/env.hpp"
#include "emu/exact.hpp"

namespace bitexact {

inline u128 low_mask(int64_t n) { return n >= 128 ? ~u128(0) : (u128(1) << n) - 1; }

// The value sig * 2^-shift split into an integer part and the fraction's top 64 bits
// plus a sticky bit for anything below them.
struct Split {
  uint64_t kept = 0;
  uint64_t frac64 = 0;
  bool frac_sticky = false;
  bool inexact() const { return frac64 != 0 || frac_sticky; }
};

[[gnu::always_inline]] inline Split split(u128 sig, int64_t shift, bool sticky) {
  Split s;
  if (shift <= 0) {
    assert(!sticky);  // producers keep >= 2 bits below the target LSB whenever sticky is set
    s.kept = uint64_t(sig << -shift);
    s.frac_sticky = sticky;
    return s;
  }
  if ((sig >> 64) == 0 && shift < 64) {  // the common narrow case, in 64-bit arithmetic
    const uint64_t v = uint64_t(sig);
    s.kept = v >> shift;
    s.frac64 = v << (64 - shift);
    s.frac_sticky = sticky;
    return s;
  }
  const u128 dropped = sig & low_mask(shift);
  s.kept = shift >= 128 ? 0 : uint64_t(sig >> shift);
  if (shift <= 64) {
    s.frac64 = uint64_t(dropped << (64 - shift));
    s.frac_sticky = sticky;
  } else {
    const int64_t below = shift - 64;
    s.frac64 = below >= 128 ? 0 : uint64_t(dropped >> below);
    s.frac_sticky = sticky || (dropped & low_mask(below)) != 0;
  }
  return s;
}

// Whether rounding the magnitude kept+frac away from zero (by one unit of kept) is chosen.
// lower_odd: the lower candidate's code has its LSB set (ties-to-even and round-to-odd are
// defined on the code, so in a format without mantissa bits the exponent field's LSB decides).
[[gnu::always_inline]] inline bool round_away(RoundingMode mode, bool sign, bool lower_odd, const Split& s, uint64_t rnd, int sr_bits) {
  const bool half = (s.frac64 >> 63) != 0;
  const bool rest = (s.frac64 << 1) != 0 || s.frac_sticky;
  switch (mode) {
    case RoundingMode::RNE: return half && (rest || lower_odd);
    case RoundingMode::RNA: return half;
    case RoundingMode::RTZ: return false;
    case RoundingMode::RUP: return !sign && s.inexact();
    case RoundingMode::RDN: return sign && s.inexact();
    case RoundingMode::ROD: return s.inexact() && !lower_odd;
    case RoundingMode::SR:
      return s.inexact() && (rnd < s.frac64 || (rnd == s.frac64 && s.frac_sticky));
    case RoundingMode::SRR: {
      const uint64_t top = s.frac64 >> (64 - sr_bits);
      const uint64_t r = rnd & ((uint64_t{1} << sr_bits) - 1);
      return ((top + r) >> sr_bits) != 0;
    }
  }
  return false;
}

inline bool is_stochastic(RoundingMode m) { return m == RoundingMode::SR || m == RoundingMode::SRR; }

}  // namespace bitexact
