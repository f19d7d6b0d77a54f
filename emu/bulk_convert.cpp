#include "emu/bulk_convert.hpp"

#include <bit>
#include <cmath>
#include <cstring>

#include "emu/ops.hpp"
#include "emu/round.hpp"
#include "formats/catalog.hpp"
#include "formats/codec.hpp"

namespace bitexact {

namespace {

// Everything the kernel needs, derived once per call from the format and env.
struct Plan {
  int m, bias, emin, emax;
  bool subnormals;
  uint32_t max_sig;      // significand of max finite, hidden bit included
  uint16_t sign_bit;
  uint16_t zero[2];      // +0 / -0 codes
  uint16_t overflow[2];  // result on overflow per sign, with its flags
  uint8_t overflow_flags;
  bool tininess_after;
};

template <RoundingMode M>
inline bool round_up(uint32_t sign, uint32_t kept, uint32_t rem, uint32_t half) {
  if constexpr (M == RoundingMode::RNE) return rem > half || (rem == half && (kept & 1));
  if constexpr (M == RoundingMode::RNA) return rem >= half;
  if constexpr (M == RoundingMode::RTZ) return false;
  if constexpr (M == RoundingMode::RUP) return !sign && rem != 0;
  if constexpr (M == RoundingMode::RDN) return sign && rem != 0;
  if constexpr (M == RoundingMode::ROD) return rem != 0 && !(kept & 1);
  return false;
}

// One finite non-zero float32 magnitude: bits a (sign removed), sign s. Mirrors round_to_format
// for signed formats with a zero, 1 <= M <= 15, exponent bits <= 8 and a deterministic mode.
template <RoundingMode M>
inline uint16_t narrow(uint32_t s, uint32_t a, const Plan& P, uint8_t& flags) {
  const int e32 = int(a >> 23);
  uint32_t sig = a & 0x7FFFFF;
  int exp;
  if (e32) {
    sig |= 0x800000;
    exp = e32 - 150;
  } else {
    exp = -149;
  }
  const int L = 31 - std::countl_zero(sig);
  const int E = exp + L;
  const bool tiny_before = E < P.emin;
  const int q = !tiny_before ? E - P.m : (P.subnormals ? P.emin - P.m : P.emin);
  const int shift = q - exp;  // > 0 for every float32 input given the plan's limits
  uint32_t kept, rem, half;
  if (shift >= 32) {
    kept = 0;
    // sig < 2^24 <= 2^(shift-8): far below half a quantum, but non-zero.
    rem = 1;
    half = 2;
  } else {
    kept = sig >> shift;
    rem = sig & ((1u << shift) - 1);
    half = 1u << (shift - 1);
  }
  const bool inexact = rem != 0;
  if (round_up<M>(s, kept, rem, half)) ++kept;

  bool tiny = tiny_before;
  if (tiny_before && P.tininess_after && inexact && E == P.emin - 1) {
    // Rounded to M+1 bits with an unbounded exponent, does it reach 2^emin?
    const int su = L - P.m;  // shift for p bits: su >= 1 since L >= 23 > M for normal inputs
    if (su > 0 && su < 32) {
      const uint32_t k2 = sig >> su, r2 = sig & ((1u << su) - 1), h2 = 1u << (su - 1);
      if (k2 == (2u << P.m) - 1 && round_up<M>(s, k2, r2, h2) && M != RoundingMode::ROD) tiny = false;
    }
  }
  if (inexact) flags |= flag::inexact | (tiny ? flag::underflow : 0);
  if (kept == 0) return P.zero[s];
  const int km = 31 - std::countl_zero(kept);
  const int Er = q + km;
  if (Er >= P.emin) {
    const uint32_t norm = km > P.m ? kept >> 1 : kept << (P.m - km);
    if (Er > P.emax || (Er == P.emax && norm > P.max_sig)) {
      flags |= P.overflow_flags;
      return P.overflow[s];
    }
    return uint16_t((s ? P.sign_bit : 0) | (uint32_t(Er + P.bias) << P.m) | (norm & ((1u << P.m) - 1)));
  }
  return uint16_t((s ? P.sign_bit : 0) | kept);
}

template <RoundingMode M>
void kernel(const float* in, uint16_t* out, size_t n, const Plan& P, const Format& to, Env& env) {
  // Specials (inf, NaN) go through the generic routine; they are rare in real tensors.
  uint8_t flags = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t u;
    std::memcpy(&u, in + i, 4);
    const uint32_t s = u >> 31, a = u & 0x7FFFFFFF;
    if (a == 0) {
      out[i] = P.zero[s];
    } else if (a < 0x7F800000) {
      out[i] = narrow<M>(s, a, P, flags);
    } else {
      out[i] = uint16_t(from_float(to, in[i], env));
    }
  }
  env.flags |= flags;
}

// Round-to-nearest-even without branches, so the compiler vectorises it. Normal results round
// by adding the RNE bias to the float32 bit pattern (a carry ripples into the exponent, as it
// should); results in the target's subnormal range are rounded by the FPU itself, adding a
// constant whose ULP is the target's subnormal quantum (the FPU runs in its default RNE mode).
// Flags are OR-reduced: tininess is a threshold on the magnitude (after rounding: below
// 2^emin - 2^(emin-M-2), the largest value that does not round up to 2^emin at M+1 bits).
struct RnePlan : Plan {
  uint32_t shift, bias_adj, min_normal_bits, tiny_bits, max_mag;
  float magic;
  uint32_t magic_bits;
};

void kernel_rne(const float* in, uint16_t* out, size_t n, const RnePlan& P, const Format& to, Env& env) {
  // Plan fields copied to locals: out's stores cannot alias them, and every select below is a
  // mask operation, so the loop body has no control flow.
  const uint32_t shift = P.shift, low_mask = (1u << shift) - 1, half_m1 = (1u << (shift - 1)) - 1;
  const uint32_t bias_adj = P.bias_adj, min_normal = P.min_normal_bits, tiny = P.tiny_bits, max_mag = P.max_mag;
  const uint32_t magic_bits = P.magic_bits, sign_bit = P.sign_bit;
  const uint32_t z0 = P.zero[0], zx = P.zero[0] ^ P.zero[1], o0 = P.overflow[0], ox = P.overflow[0] ^ P.overflow[1];
  const float magic = P.magic;
  uint32_t any_inexact = 0, any_underflow = 0, any_overflow = 0, any_special = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t u = std::bit_cast<uint32_t>(in[i]);
    const uint32_t s = u >> 31, a = u & 0x7FFFFFFF, smask = 0u - s;
    // Normal path: RNE on the bit pattern, then rebias the exponent.
    const uint32_t mag_normal = ((a + half_m1 + ((a >> shift) & 1)) >> shift) - bias_adj;
    // Subnormal path: the FPU rounds |x| + magic to the target's subnormal quantum.
    const float fa = std::bit_cast<float>(a);
    const float sum = fa + magic;
    const uint32_t mag_sub = std::bit_cast<uint32_t>(sum) - magic_bits;
    const uint32_t sub = 0u - uint32_t(a < min_normal);
    const uint32_t mag = (mag_sub & sub) | (mag_normal & ~sub);
    const uint32_t inexact_sub = uint32_t((sum - magic) != fa), inexact_norm = uint32_t((a & low_mask) != 0);
    const uint32_t inexact = (inexact_sub & sub) | (inexact_norm & ~sub);
    const uint32_t special = uint32_t(a >= 0x7F800000);
    const uint32_t overflow = uint32_t(mag > max_mag) & (special ^ 1);
    const uint32_t zmask = 0u - uint32_t(mag == 0), omask = 0u - overflow;
    const uint32_t code = (mag | (sign_bit & smask));
    const uint32_t zero_code = z0 ^ (zx & smask), ovf_code = o0 ^ (ox & smask);
    const uint32_t r = (ovf_code & omask) | (((zero_code & zmask) | (code & ~zmask)) & ~omask);
    out[i] = uint16_t(r);
    any_inexact |= inexact & (special ^ 1);
    any_underflow |= inexact & uint32_t(a < tiny);
    any_overflow |= overflow;
    any_special |= special;
  }
  env.flags |= (any_inexact ? flag::inexact : 0) | (any_underflow ? flag::underflow : 0) |
               (any_overflow ? P.overflow_flags : 0);
  if (any_special) {  // rare: redo inf/NaN elements through the generic routine for their flags
    for (size_t i = 0; i < n; ++i)
      if (!(std::abs(in[i]) <= 3.4028234663852886e38f)) out[i] = uint16_t(from_float(to, in[i], env));
  }
}

// The bit-pattern tricks need the target's normal range inside float32's (emin >= -126, so the
// rebias and the min-normal threshold do not wrap).
bool rne_vector_path(const Format& to, const Env& env) {
  return env.mode == RoundingMode::RNE && to.fp.subnormals && env.tininess == Tininess::AfterRounding &&
         to.facts.emin >= -126;
}

RnePlan make_rne_plan(const Format& to, const Plan& base) {
  RnePlan P{};
  static_cast<Plan&>(P) = base;
  const int m = to.fp.man_bits, emin = to.facts.emin;
  P.shift = uint32_t(23 - m);
  P.bias_adj = uint32_t(127 - to.fp.bias) << m;
  P.min_normal_bits = uint32_t(emin + 127) << 23;
  P.tiny_bits = std::bit_cast<uint32_t>(std::ldexp(1.0f, emin) - std::ldexp(1.0f, emin - m - 2));
  P.max_mag = uint32_t(to.facts.max_code);
  P.magic = std::ldexp(1.0f, emin - m + 23);
  P.magic_bits = std::bit_cast<uint32_t>(P.magic);
  return P;
}

Plan make_plan(const Format& to, Env& env) {
  Plan P{};
  const FloatParams& p = to.fp;
  P.m = p.man_bits;
  P.bias = p.bias;
  P.emin = to.facts.emin;
  P.emax = to.facts.emax;
  P.subnormals = p.subnormals;
  P.max_sig = uint32_t(to.facts.max_significand);
  P.sign_bit = uint16_t(to.facts.sign_bit);
  P.zero[0] = uint16_t(*zero_code(to, false));
  P.zero[1] = uint16_t(*zero_code(to, true));
  P.tininess_after = env.tininess == Tininess::AfterRounding;
  // The overflow result per sign is whatever the generic routine gives for a huge value.
  for (int s = 0; s < 2; ++s) {
    Env probe = env;
    probe.flags = 0;
    P.overflow[s] = uint16_t(round_to_format(to, Exact::finite(s, 1, 30000), probe));
    P.overflow_flags = probe.flags;
  }
  return P;
}

}  // namespace

bool bulk_fast_path(const Format& to, const Env& env) {
  const FloatParams& p = to.fp;
  const bool mode_ok = env.mode != RoundingMode::SR && env.mode != RoundingMode::SRR;
  return to.is_float() && to.width() <= 16 && p.is_signed && p.has_zero && p.man_bits >= 1 && p.man_bits <= 15 &&
         p.exp_bits <= 8 && to.facts.emin - p.man_bits > -149 && env.subnormals == SubnormalPolicy::Keep &&
         mode_ok;
}

void convert_float32_bulk(const float* in, uint16_t* out, size_t n, const Format& to, Env& env) {
  if (!bulk_fast_path(to, env)) {
    const uint64_t base = env.index;
    for (size_t i = 0; i < n; ++i) {
      env.index = base + i;
      out[i] = uint16_t(from_float(to, in[i], env));
    }
    env.index = base + n;
    return;
  }
  const Plan P = make_plan(to, env);
  if (rne_vector_path(to, env)) {
    kernel_rne(in, out, n, make_rne_plan(to, P), to, env);
    return;
  }
  switch (env.mode) {
    case RoundingMode::RNE: kernel<RoundingMode::RNE>(in, out, n, P, to, env); break;
    case RoundingMode::RNA: kernel<RoundingMode::RNA>(in, out, n, P, to, env); break;
    case RoundingMode::RTZ: kernel<RoundingMode::RTZ>(in, out, n, P, to, env); break;
    case RoundingMode::RUP: kernel<RoundingMode::RUP>(in, out, n, P, to, env); break;
    case RoundingMode::RDN: kernel<RoundingMode::RDN>(in, out, n, P, to, env); break;
    case RoundingMode::ROD: kernel<RoundingMode::ROD>(in, out, n, P, to, env); break;
    default: break;
  }
}

}  // namespace bitexact
