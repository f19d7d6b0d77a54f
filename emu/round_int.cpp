// Rounding into integers and fixed point (Family::Int): emu/SEMANTICS.md, "Integers and fixed
// point". x is rounded on the lattice of multiples of q = 2^-frac_bits by the common decision
// (emu/round_decision.hpp, the integer's parity as "lower odd"), then checked against the range;
// out-of-range results follow the overflow policy (ieee: clamp + invalid as RISC-V fcvt and
// IEEE 754-2019 5.8; saturate: clamp + overflow/inexact; wrap: modulo the code space).
#include <bit>

#include "emu/round_decision.hpp"
#include "emu/round_family.hpp"
#include "formats/int_format.hpp"

namespace bitexact {

namespace {

using u128 = unsigned __int128;

u128 mask128(int64_t n) { return n >= 128 ? ~u128(0) : (u128(1) << n) - 1; }

// 2^e mod m (m >= 1).
uint64_t pow2_mod(int64_t e, uint64_t m) {
  u128 r = 1 % m, b = 2 % m;
  while (e > 0) {
    if (e & 1) r = r * b % m;
    b = b * b % m;
    e >>= 1;
  }
  return uint64_t(r);
}

}  // namespace

uint64_t int_nan_result(const Format& f, const Env& env) {
  return env.nan_to_nonan == NanToNoNan::Max ? int_code_of(f.ip, int_max(f.ip)) : 0;
}

uint64_t round_int(const Format& f, const Exact& x, Env& env) {
  const IntParams& p = f.ip;
  const int64_t kmin = int_min(p), kmax = int_max(p);
  switch (x.cls) {
    case ValueClass::NaN:
      env.flags |= flag::invalid;
      return int_nan_result(f, env);
    case ValueClass::Inf:
      env.flags |= env.overflow == OverflowPolicy::Saturate ? flag::overflow | flag::inexact : flag::invalid;
      return int_code_of(p, x.sign ? kmin : kmax);
    case ValueClass::Zero: return 0;
    case ValueClass::Finite: break;
  }

  // |x| / q = sig * 2^sh: integer part K (mod 2^128), fraction, and whether |x|/q >= 2^64.
  const int64_t sh = int64_t(x.exponent) + p.frac_bits;
  const int L = msb(x.significand);
  const bool huge = sh + L >= 64;
  u128 K = 0;
  Split s;
  if (sh >= 0) {
    K = sh >= 128 ? 0 : x.significand << sh;
    s.frac_sticky = x.sticky;  // producers keep far more bits than the lattice's when sticky is set
  } else {
    const int64_t d = -sh;
    K = d >= 128 ? 0 : x.significand >> d;
    const u128 dropped = x.significand & mask128(d);
    if (d <= 64) {
      s.frac64 = uint64_t(dropped << (64 - d));
      s.frac_sticky = x.sticky;
    } else {
      const int64_t below = d - 64;
      s.frac64 = below >= 128 ? 0 : uint64_t(dropped >> below);
      s.frac_sticky = x.sticky || (dropped & mask128(below)) != 0;
    }
  }
  s.kept = uint64_t(K);
  const bool inexact = s.inexact();
  if (inexact) {
    const uint64_t rnd = is_stochastic(env.mode) ? env.draw() : 0;
    if (round_away(env.mode, x.sign, (K & 1) != 0, s, rnd, env.sr_bits)) ++K;
  }

  const bool in_range = !huge && (x.sign ? int64_t(uint64_t(K)) <= -kmin : int64_t(uint64_t(K)) <= kmax) &&
                        (K >> 63) == 0;
  if (in_range) {
    if (inexact) env.flags |= flag::inexact;
    return int_code_of(p, x.sign ? -int64_t(uint64_t(K)) : int64_t(uint64_t(K)));
  }
  switch (env.overflow) {
    case OverflowPolicy::Ieee:
      env.flags |= flag::invalid;
      return int_code_of(p, x.sign ? kmin : kmax);
    case OverflowPolicy::Saturate:
      env.flags |= flag::overflow | flag::inexact;
      return int_code_of(p, x.sign ? kmin : kmax);
    case OverflowPolicy::Wrap: break;
  }
  env.flags |= flag::overflow | flag::inexact;
  if (!p.symmetric || !p.is_signed) {  // two's complement (or unsigned) wrap: the low bits of +-K
    const u128 k = x.sign ? u128(0) - K : K;
    return uint64_t(k) & f.facts.code_mask;
  }
  // Symmetric: modulo 2^bits - 1 over [-M, M] (one's-complement style end-around wrap).
  const uint64_t m = uint64_t(kmax - kmin + 1);
  uint64_t r;
  if (sh >= 0 && sh + L >= 128) {  // K overflowed 128 bits: sig * 2^sh mod m (exact, no rounding happened)
    r = uint64_t(u128(uint64_t(x.significand % m)) * pow2_mod(sh, m) % m);
  } else {
    r = uint64_t(K % m);
  }
  int64_t k = x.sign ? -int64_t(r) : int64_t(r);
  int64_t w = (k - kmin) % int64_t(m);
  if (w < 0) w += int64_t(m);
  return int_code_of(p, w + kmin);
}

}  // namespace bitexact
