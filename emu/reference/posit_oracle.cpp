// Written from the 2022 Standard for Posit Arithmetic without looking at emu/round_posit.cpp:
//
//   the standard's rounding rule: a value exactly expressible as a posit is unchanged; |x| > maxPos rounds to
//   sign(x) maxPos; 0 < |x| < minPos rounds to sign(x) minPos; otherwise, with u < x < w adjacent
//   posits and v the (n+1)-bit posit whose code is u's code followed by a 1, x rounds to u if
//   u < x < v or (x = v and u's code is even), and to w otherwise.
//
// Other modes (emu/SEMANTICS.md, "Posits") on the same u and w: rna picks w at v; rtz/rup/rdn by
// direction; rod the odd code; sr / sr:R with the fraction t of the bit string between u and w,
// found as the (n+64)-bit posit T just below x: t's top 64 bits are T's last 64 bits.
#include "emu/reference/posit_oracle.hpp"

#include <stdexcept>

namespace bitexact::reference {

namespace {

using u128 = unsigned __int128;
constexpr uint8_t kX = flag::inexact, kU = flag::underflow, kO = flag::overflow, kV = flag::invalid;

struct PScratch {
  Mp v{192}, t{192}, lim{64};
};
PScratch& pscratch() {
  thread_local PScratch s;
  return s;
}

// The largest positive code of an m-bit posit whose value is <= |x| (+ sticky); |x| >= minpos.
u128 floor_code(int m, int es, mpfr_srcptr x, bool sticky, mpfr_ptr tmp) {
  u128 lo = 1, hi = (u128(1) << (m - 1)) - 1;  // minpos .. maxpos
  while (lo < hi) {
    const u128 mid = lo + (hi - lo + 1) / 2;
    posit_value(m, es, mid, tmp);
    if (cmp_sticky(x, sticky, tmp) >= 0) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

uint64_t signed_code(const Format& f, bool sign, uint64_t mag) {
  return sign ? (~mag + 1) & f.facts.code_mask : mag;
}

}  // namespace

void posit_value(int n, int es, u128 code, mpfr_ptr v) {
  // Bits after the sign, most significant first.
  const int avail = n - 1;
  auto bit = [&](int i) { return int((code >> (avail - 1 - i)) & 1); };  // i-th bit after the sign
  int i = 0;
  const int r0 = bit(0);
  while (i < avail && bit(i) == r0) ++i;
  const long k = r0 ? i - 1 : -i;
  if (i < avail) ++i;  // the regime's closing bit
  long e = 0;
  for (int j = 0; j < es; ++j) e = 2 * e + (i < avail ? bit(i++) : 0);
  // 1.f as an integer over 2^(bits left)
  const int fbits = avail - i;
  u128 sig = 1;
  for (; i < avail; ++i) sig = 2 * sig + u128(bit(i));
  const long scale = k * (1L << es) + e - fbits;
  mpfr_set_ui(v, 0, MPFR_RNDN);
  mpfr_set_uj_2exp(v, uint64_t(sig >> 64), scale + 64, MPFR_RNDN);
  thread_local Mp low(128);
  mpfr_set_uj_2exp(low, uint64_t(sig), scale, MPFR_RNDN);
  if (mpfr_add(v, v, low, MPFR_RNDN) != 0) throw std::logic_error("oracle: posit value inexact");
}

OracleResult posit_nan_result(const Format& f) { return {f.facts.sign_bit, 0, 0}; }
OracleResult posit_inf_result(const Format& f) { return {f.facts.sign_bit, kV, 0}; }
OracleResult posit_zero_result(const Format&) { return {0, 0, 0}; }

OracleResult posit_round_exact(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env) {
  const int n = f.pp.n, es = f.pp.es;
  PScratch& s = pscratch();
  const uint64_t maxpos = (uint64_t{1} << (n - 1)) - 1;
  const long ms = long(n - 2) << es;
  mpfr_set_ui_2exp(s.lim, 1, ms, MPFR_RNDN);  // maxpos
  const int cmax = cmp_sticky(x, sticky, s.lim);
  if (cmax >= 0) return {signed_code(f, sign, maxpos), uint8_t(cmax > 0 ? kO | kX : 0), 0};
  mpfr_set_ui_2exp(s.lim, 1, -ms, MPFR_RNDN);  // minpos
  const int cmin = cmp_sticky(x, sticky, s.lim);
  if (cmin < 0) return {signed_code(f, sign, 1), uint8_t(kU | kX), 0};
  if (cmin == 0) return {signed_code(f, sign, 1), 0, 0};

  const uint64_t u = uint64_t(floor_code(n, es, x, sticky, s.v));
  posit_value(n, es, u, s.v);
  if (cmp_sticky(x, sticky, s.v) == 0) return {signed_code(f, sign, u), 0, 0};
  const uint64_t w = u + 1;
  OracleResult r;
  r.flags = kX;
  bool pick_w = false;
  posit_value(n + 1, es, (u128(u) << 1) | 1, s.v);  // v
  const int cv = cmp_sticky(x, sticky, s.v);
  uint64_t rnd = 0;
  const bool stochastic = env.mode == RoundingMode::SR || env.mode == RoundingMode::SRR;
  if (stochastic) {
    Env e = env;
    rnd = e.draw();
    r.draws = 1;
  }
  switch (env.mode) {
    case RoundingMode::RNE: pick_w = cv > 0 || (cv == 0 && (u & 1) != 0); break;
    case RoundingMode::RNA: pick_w = cv >= 0; break;
    case RoundingMode::RTZ: pick_w = false; break;
    case RoundingMode::RUP: pick_w = !sign; break;
    case RoundingMode::RDN: pick_w = sign; break;
    case RoundingMode::ROD: pick_w = (w & 1) != 0; break;
    case RoundingMode::SR:
    case RoundingMode::SRR: {
      const u128 T = floor_code(n + 64, es, x, sticky, s.t);
      if ((T >> 64) != u) throw std::logic_error("oracle: (n+64)-bit posit below x is not an extension of u");
      const uint64_t t64 = uint64_t(T);
      posit_value(n + 64, es, T, s.t);
      const bool rest = cmp_sticky(x, sticky, s.t) != 0;
      if (env.mode == RoundingMode::SR) {
        pick_w = rnd < t64 || (rnd == t64 && rest);
      } else {
        const int R = env.sr_bits;
        const uint64_t r_bits = rnd & ((uint64_t{1} << R) - 1);
        pick_w = (t64 >> (64 - R)) + r_bits >= (uint64_t{1} << R);
      }
      break;
    }
  }
  r.code = signed_code(f, sign, pick_w ? w : u);
  return r;
}

}  // namespace bitexact::reference
