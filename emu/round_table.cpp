// Rounding into a codebook (Family::Table): emu/SEMANTICS.md, "Codebook formats".
//
// |x| is placed on the side of its sign (formats/value_table.hpp: 0, the values of that sign by
// magnitude, a virtual end). Between consecutive points near <= |x| < far the exact fraction
// f = (|x| - near) / (far - near) is formed as 64 bits plus a sticky bit (an integer division on
// the table's grid), and the common decision (emu/round_decision.hpp) picks near or far with the
// near point's rank parity as "lower odd" - the same decision the float and integer paths use.
#include <bit>

#include "emu/round_decision.hpp"
#include "emu/round_family.hpp"
#include "formats/value_table.hpp"

namespace bitexact {

namespace {

using u128 = unsigned __int128;

u128 mask128(int64_t n) { return n >= 128 ? ~u128(0) : (u128(1) << n) - 1; }

// |x| on the table's grid: integer part, the next 64 fraction bits and a sticky bit.
struct GridValue {
  bool huge = false;  // |x| >= 2^126 grid units (beyond every virtual end)
  u128 whole = 0;
  uint64_t frac64 = 0;
  bool sticky = false;
};

GridValue to_grid(const Exact& x, int grid_exp) {
  GridValue g;
  const int64_t sh = int64_t(x.exponent) - grid_exp;  // x = sig * 2^sh grid units
  const int L = msb(x.significand);
  if (sh + L >= 126) {
    g.huge = true;
    return g;
  }
  if (sh >= 0) {
    g.whole = x.significand << sh;
    g.sticky = x.sticky;  // producers keep far more bits than the grid's when sticky is set
    return g;
  }
  const int64_t d = -sh;
  g.whole = d >= 128 ? 0 : x.significand >> d;
  const u128 dropped = x.significand & mask128(d);
  if (d <= 64) {
    g.frac64 = uint64_t(dropped << (64 - d));
    g.sticky = x.sticky;
  } else {
    const int64_t below = d - 64;
    g.frac64 = below >= 128 ? 0 : uint64_t(dropped >> below);
    g.sticky = x.sticky || (dropped & mask128(below)) != 0;
  }
  return g;
}

// floor(f * 2^64) and the remainder-or-sticky bit, f = (whole + frac64/2^64 + sticky - near) / den.
Split fraction(u128 num_whole, uint64_t frac64, bool sticky, u128 den) {
  Split s;
  u128 q, r;
  if ((den >> 64) == 0) {  // num_whole < den < 2^64: one 128-bit division
    const u128 n = (num_whole << 64) | frac64;
    q = n / den;
    r = n % den;
  } else {  // den < 2^126: restoring division, one quotient bit per fraction bit
    r = num_whole;
    q = 0;
    for (int b = 63; b >= 0; --b) {
      r = (r << 1) | ((frac64 >> b) & 1);
      q <<= 1;
      if (r >= den) {
        r -= den;
        q |= 1;
      }
    }
  }
  s.frac64 = uint64_t(q);
  s.frac_sticky = r != 0 || sticky;
  return s;
}

bool direction_keeps_max(RoundingMode mode, bool sign) {
  switch (mode) {
    case RoundingMode::RTZ:
    case RoundingMode::ROD: return true;
    case RoundingMode::RUP: return sign;
    case RoundingMode::RDN: return !sign;
    default: return false;
  }
}

// `wrap` is an integer policy: a codebook reads it as `ieee` (SEMANTICS.md, env.hpp).
bool table_ieee(const Env& env) { return env.overflow != OverflowPolicy::Saturate; }

uint64_t table_overflow(const ValueTable& t, bool sign, Env& env) {
  env.flags |= flag::overflow | flag::inexact;
  if (!table_ieee(env) || direction_keeps_max(env.mode, sign)) return t.max_code(sign);
  if (auto c = t.inf_code(sign)) return *c;
  if (auto c = t.nan_code(env.nan_sign == NanSign::Preserve && sign)) return *c;
  return t.max_code(sign);
}

}  // namespace

uint64_t table_nan_result(const Format& f, bool sign, const Env& env) {
  const ValueTable& t = *f.table;
  if (auto c = t.nan_code(env.nan_sign == NanSign::Preserve && sign)) return *c;
  if (env.nan_to_nonan == NanToNoNan::Max) return t.max_code(false);
  return t.has_zero() ? *t.zero_code(false) : t.smallest_code(false);
}

uint64_t round_table(const Format& f, const Exact& x, Env& env) {
  const ValueTable& t = *f.table;
  switch (x.cls) {
    case ValueClass::NaN:
      if (!t.has_nan()) env.flags |= flag::invalid;
      return table_nan_result(f, x.sign, env);
    case ValueClass::Inf:
      if (table_ieee(env)) {
        if (auto c = t.inf_code(x.sign)) return *c;
        if (t.has_nan()) {
          env.flags |= flag::invalid;
          return *t.nan_code(env.nan_sign == NanSign::Preserve && x.sign);
        }
      }
      env.flags |= flag::overflow | flag::inexact;
      return t.max_code(x.sign);
    case ValueClass::Zero:
      if (t.has_zero()) return *t.zero_code(x.sign);
      if (table_ieee(env) && t.has_nan()) {
        env.flags |= flag::invalid;
        return *t.nan_code(false);
      }
      env.flags |= flag::underflow | flag::inexact;
      return t.smallest_code(x.sign);
    case ValueClass::Finite: break;
  }

  const bool sign = x.sign;
  const ValueTable::Side& side = t.side(sign);
  const size_t end = side.mag.size() - 1;
  const GridValue g = to_grid(x, t.grid_exp());
  if (g.huge || g.whole >= side.mag[end]) return table_overflow(t, sign, env);  // no draw

  // The largest i with mag[i] <= whole (mag[0] = 0).
  size_t lo = 0, hi = end;
  while (hi - lo > 1) {
    const size_t mid = (lo + hi) / 2;
    if (side.mag[mid] <= g.whole) lo = mid;
    else hi = mid;
  }
  const size_t i = lo;
  const bool exact = g.whole == side.mag[i] && g.frac64 == 0 && !g.sticky;
  size_t j = i;
  if (!exact) {
    env.flags |= flag::inexact;
    const Split s = fraction(g.whole - side.mag[i], g.frac64, g.sticky, side.mag[i + 1] - side.mag[i]);
    const uint64_t rnd = is_stochastic(env.mode) ? env.draw() : 0;
    if (round_away(env.mode, sign, (i & 1) != 0, s, rnd, env.sr_bits)) j = i + 1;
  }
  if (j == end) return table_overflow(t, sign, env);
  if (j == 0 && !side.real_zero) {  // zero-free: the smallest value of x's sign
    env.flags |= flag::underflow | flag::inexact;
    return side.code[1];
  }
  return side.code[j];
}

}  // namespace bitexact
