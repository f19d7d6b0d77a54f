// Rounding into posit<n,es> (emu/SEMANTICS.md, "Posits").
//
// The 2022 Posit Standard rounds on the bit string: with u <= x < w adjacent posits
// and v the (n+1)-bit posit "code of u followed by a 1", x rounds to u below v, to w above v and to
// the one with an even code at v; beyond maxpos to maxpos, below minpos to minpos, never to 0 or
// NaR. Here the exact value's infinitely long posit bit string is cut after n bits: the kept bits
// are u's code and the cut-off tail, read as a binary fraction t, is >= 1/2 exactly when x >= v.
// So the standard's rule is round_away(RNE) on (u, t), and every other mode takes its decision
// from the same (u, t) through emu/round_decision.hpp, acting on the monotone code order.
#include <bit>

#include "emu/round_decision.hpp"
#include "emu/round_family.hpp"
#include "formats/posit_format.hpp"

namespace bitexact {

namespace {

uint64_t mask_of(int n) { return (uint64_t{1} << n) - 1; }

// The top 64 bits of the binary fraction r / 2^w, and whether bits remain below them.
void fraction_top(u128 r, int w, uint64_t& top, bool& rest) {
  rest = false;
  if (w <= 0) {
    top = 0;
  } else if (w <= 64) {
    top = uint64_t(r) << (64 - w);
  } else {
    top = uint64_t(r >> (w - 64));
    rest = (r & low_mask(w - 64)) != 0;
  }
}

}  // namespace

uint64_t round_posit(const Format& f, const Exact& x, Env& env) {
  const PositParams& p = f.pp;
  const uint64_t nar = f.facts.sign_bit;
  switch (x.cls) {
    case ValueClass::NaN: return nar;
    case ValueClass::Inf:  // the standard converts +-inf to NaR
      env.flags |= flag::invalid;
      return nar;
    case ValueClass::Zero: return 0;
    case ValueClass::Finite: break;
  }
  const bool sign = x.sign;
  auto with_sign = [&](uint64_t body) { return sign ? (~body + 1) & f.facts.code_mask : body; };

  const int L = msb(x.significand);          // fraction bits below the leading one
  const int64_t E = int64_t(x.exponent) + L;  // scale: 2^E <= |x| < 2^(E+1)
  const int64_t ms = posit_max_scale(p);
  if (E >= ms) {  // |x| >= maxpos = 2^ms: maxpos, whatever the mode
    const bool exact = E == ms && (x.significand & (x.significand - 1)) == 0 && !x.sticky;
    if (!exact) env.flags |= flag::overflow | flag::inexact;
    return with_sign(mask_of(p.n - 1));
  }
  if (E < -ms) {  // 0 < |x| < minpos: minpos, whatever the mode
    env.flags |= flag::underflow | flag::inexact;
    return with_sign(1);
  }

  // Cut the bit string: regime (always fits here), es exponent bits, fraction, sticky.
  const int64_t useed_log = int64_t{1} << p.es;
  const int64_t k = E >= 0 ? E / useed_log : -((-E + useed_log - 1) / useed_log);
  const uint64_t e = uint64_t(E - k * useed_log);
  const int len = k >= 0 ? int(k) + 2 : int(-k) + 1;
  const uint64_t regime = k >= 0 ? mask_of(int(k) + 1) << 1 : 1;
  const int rem = (p.n - 1) - len;  // >= 0
  const int eb = std::min(p.es, rem), de = p.es - eb, fb = rem - eb;
  const u128 frac = x.significand & low_mask(L);

  Split s;
  s.kept = (regime << rem) | ((e >> de) << fb);
  u128 rest_bits = 0;
  int rest_width = 0;
  if (fb >= L) {
    s.kept |= uint64_t(frac) << (fb - L);
  } else {
    s.kept |= uint64_t(frac >> (L - fb));
    rest_bits = frac & low_mask(L - fb);
    rest_width = L - fb;
  }
  uint64_t ftop = 0;
  bool fbelow = false;
  fraction_top(rest_bits, rest_width, ftop, fbelow);
  if (de > 0) {
    s.frac64 = ((e & mask_of(de)) << (64 - de)) | (ftop >> de);
    fbelow = fbelow || (ftop & mask_of(de)) != 0;
  } else {
    s.frac64 = ftop;
  }
  s.frac_sticky = fbelow || x.sticky;

  uint64_t rnd = 0;
  if (s.inexact()) {
    env.flags |= flag::inexact;
    if (is_stochastic(env.mode)) rnd = env.draw();
  }
  uint64_t body = s.kept;
  // u < maxpos here, so w = u + 1 is at most maxpos (never NaR).
  if (round_away(env.mode, sign, (body & 1) != 0, s, rnd, env.sr_bits)) ++body;
  return with_sign(body);
}

}  // namespace bitexact
