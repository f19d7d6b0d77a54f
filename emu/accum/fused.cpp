#include "emu/accum/fused.hpp"

#include <algorithm>

#include <boost/multiprecision/cpp_int.hpp>

#include "emu/accum/dot.hpp"
#include "formats/codec.hpp"

namespace bitexact {

namespace {

using boost::multiprecision::cpp_int;

// value = m * 2^e, exactly (m signed).
struct Big {
  cpp_int m = 0;
  int32_t e = 0;
  bool zero() const { return m == 0; }
};

// floor(log2 |x|) of a non-zero value.
int32_t lead(const Big& x) { return x.e + int32_t(boost::multiprecision::msb(abs(x.m))); }
int32_t lead(const Exact& x) { return x.exponent + msb(x.significand); }

Big big_of(const Exact& x) {
  Big b;
  if (x.cls != ValueClass::Finite) return b;
  b.m = cpp_int(uint64_t(x.significand >> 64));
  b.m <<= 64;
  b.m |= cpp_int(uint64_t(x.significand));
  if (x.sign) b.m = -b.m;
  b.e = x.exponent;
  return b;
}

Exact exact_of_big(const Big& x) {
  if (x.m == 0) return Exact::zero(false);
  const bool sign = x.m < 0;
  const cpp_int mag = abs(x.m);
  const int top = int(boost::multiprecision::msb(mag));
  const int shift = top >= 127 ? top - 127 : 0;
  const cpp_int kept = mag >> shift;
  const bool sticky = shift > 0 && lsb(mag) < unsigned(shift);
  const u128 sig = (u128(static_cast<uint64_t>(kept >> 64)) << 64) | u128(static_cast<uint64_t>(kept & ~uint64_t{0}));
  return Exact::finite(sign, sig, x.e + shift, sticky);
}

// x reduced to the grid 2^g by the rule; with jam, a non-zero dropped tail leaves a half-LSB jam
// bit (the result is on the grid 2^(g-1)). Rne is not an alignment rule (the parser refuses it).
Big align(const Big& x, int32_t g, Trunc rule, bool jam) {
  if (x.m == 0 || x.e >= g) return x;
  const int64_t d = int64_t(g) - x.e;
  const bool neg = x.m < 0;
  const cpp_int mag = abs(x.m);
  cpp_int q;
  bool lost;
  if (d > int64_t(boost::multiprecision::msb(mag)) + 1) {
    q = 0;
    lost = true;
  } else {
    q = mag >> unsigned(d);
    lost = lsb(mag) < uint64_t(d);
  }
  if (neg && rule == Trunc::Floor && lost) q += 1;  // floor of a negative value: magnitude up
  Big r;
  r.m = neg ? cpp_int(-q) : q;
  r.e = g;
  if (jam && lost) {
    // Floor: the jam bit is +1/2 LSB of the floored value; Rz: +1/2 LSB of the magnitude.
    r.m <<= 1;
    r.e = g - 1;
    if (rule == Trunc::Floor || !neg) r.m += 1;
    else r.m -= 1;
  }
  return r;
}

Big add(const Big& a, const Big& b) {
  if (a.m == 0) return b;
  if (b.m == 0) return a;
  Big r;
  r.e = std::min(a.e, b.e);
  r.m = (a.m << unsigned(a.e - r.e)) + (b.m << unsigned(b.e - r.e));
  return r;
}

// x rounded to p significant bits by the step rule (unbounded exponent).
Big round_bits(const Big& x, int p, Trunc rule) {
  if (x.m == 0) return x;
  const int32_t g = lead(x) - (p - 1);
  if (x.e >= g) return x;
  if (rule != Trunc::Rne) return align(x, g, rule, false);
  const bool neg = x.m < 0;
  const cpp_int mag = abs(x.m);
  const unsigned d = unsigned(g - x.e);
  cpp_int q = mag >> d;
  const cpp_int rem = mag - (q << d);
  const cpp_int half = cpp_int(1) << (d - 1);
  if (rem > half || (rem == half && (q & 1) != 0)) q += 1;
  Big r;
  r.m = neg ? cpp_int(-q) : q;
  r.e = g;
  return r;
}

struct Register {
  Big v;             // the register's exact value
  int32_t nominal = 0;  // its exponent for alignment
  bool empty = true;    // no value yet (alignment ignores it)
};

// One fused sum of `terms` (and the register when it takes part), aligned to the reference E.
Big fused_sum(const AccumModel& m, std::span<const Big> terms, int32_t E) {
  const int32_t g = E - (m.acc_bits - 1) - m.guard_bits;
  Big s;
  for (const Big& t : terms) s = add(s, align(t, g, m.align, m.sticky));
  // Carry-out: the register holds magnitudes below 2^(E + 1 + carry); a larger sum is shifted
  // right by the excess and the bits shifted out are dropped by the alignment rule.
  if (s.m != 0) {
    const int32_t over = lead(s) - (E + m.carry_bits);
    if (over > 0) s = align(s, g + over, m.align, m.sticky);
  }
  return s;
}

void step(const AccumModel& m, Register& r, std::span<const Exact> prods) {
  Big terms[2];
  std::vector<Big> group;
  group.reserve(prods.size() + 1);
  bool any = false;
  int32_t E = 0;
  for (const Exact& p : prods) {
    if (p.cls != ValueClass::Finite) continue;
    group.push_back(big_of(p));
    E = any ? std::max(E, lead(p)) : lead(p);
    any = true;
  }
  const bool reg = !r.empty && r.v.m != 0;
  Big s;
  int32_t ref = E;
  if (!any && !reg) {
    s = Big{};
  } else if (m.align_addend || !reg || !any) {
    if (reg) {
      group.push_back(r.v);
      ref = any ? std::max(E, r.nominal) : r.nominal;
    }
    s = fused_sum(m, group, ref);
  } else {
    // The products are summed among themselves first, then added to the register.
    terms[0] = fused_sum(m, group, E);
    terms[1] = r.v;
    int32_t e0 = terms[0].m != 0 ? std::max(E, lead(terms[0])) : r.nominal;
    ref = std::max(e0, r.nominal);
    s = fused_sum(m, std::span<const Big>(terms, 2), ref);
  }
  r.empty = false;
  if (s.m == 0) {
    r.v = Big{};
    r.nominal = ref;
    return;
  }
  if (m.normalize == Normalize::Step) {
    r.v = round_bits(s, m.acc_bits, m.step_round);
    r.nominal = lead(r.v);
  } else {
    r.v = s;
    r.nominal = std::max(ref, lead(s));
  }
}

Big chain(const AccumModel& m, std::span<const Exact> prods, const Big* start) {
  Register r;
  if (start && start->m != 0) {
    r.v = *start;
    r.nominal = lead(*start);
    r.empty = false;
  }
  const size_t k = size_t(m.k);
  for (size_t i = 0; i < prods.size(); i += k) step(m, r, prods.subspan(i, std::min(k, prods.size() - i)));
  return r.v;
}

}  // namespace

Exact fused_accumulate(const AccumModel& m, std::span<const Exact> products, const Exact* c, Env& env) {
  if (m.promote_every <= 0) {
    const Big start = c ? big_of(*c) : Big{};
    return exact_of_big(chain(m, products, &start));
  }
  // Promotion: each run of promote_every products is a chain from an empty register; its value is
  // added to the wide accumulator with one rounding into the wide format.
  const Format& wide = m.promote();
  bool have = false;
  Exact w = Exact::zero(false);
  if (c && c->cls == ValueClass::Finite) {
    w = Exact::from(decode(wide, round_in_mode(wide, *c, m.promote_rounding, env)));
    have = true;
    if (w.cls != ValueClass::Finite && w.cls != ValueClass::Zero) return w;  // c overflowed the wide format
  }
  const size_t n = size_t(m.promote_every);
  for (size_t i = 0; i < products.size(); i += n) {
    const Big part = chain(m, products.subspan(i, std::min(n, products.size() - i)), nullptr);
    const Big sum = add(have ? big_of(w) : Big{}, part);
    w = Exact::from(decode(wide, round_in_mode(wide, exact_of_big(sum), m.promote_rounding, env)));
    have = true;
    if (w.cls != ValueClass::Finite && w.cls != ValueClass::Zero) return w;  // the wide add overflowed
  }
  return w;
}

}  // namespace bitexact
