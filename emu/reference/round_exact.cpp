// The oracle's rounding, written from emu/SEMANTICS.md without looking at emu/round.cpp.
//
// 1. Find the two lattice neighbours lo <= |x| < hi, by one of two methods:
//    - Enumerate: binary search in a sorted table of every finite value of the format (decode()
//      of every code), extended by a virtual 0 (formats without zero) and a virtual point one
//      top-binade step above the largest finite value;
//    - Mpfr: round |x| toward zero with MPFR at the format's precision (the subnormal lattice's
//      precision below 2^emin, the lattice {0, 2^emin} without subnormals) and add one step.
// 2. Apply the mode's definition to (lo, hi): nearest by comparing with the exact midpoint, ties
//    and round-to-odd by the candidates' code LSBs, stochastic modes by the exact fraction.
// 3. Apply tininess, flush, unsigned, zero-less and overflow rules in SEMANTICS.md's words.
#include "emu/reference/round_exact.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "emu/reference/family_oracle.hpp"
#include "formats/codec.hpp"

namespace bitexact::reference {

namespace {

constexpr uint8_t kX = flag::inexact, kU = flag::underflow, kO = flag::overflow, kV = flag::invalid;

[[noreturn]] void fail(const char* what) { throw std::logic_error(std::string("oracle: ") + what); }
inline void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

bool is_stochastic(RoundingMode m) { return m == RoundingMode::SR || m == RoundingMode::SRR; }

// Per-thread scratch numbers, allocated once.
struct Scratch {
  Mp lo{kMaxPrec}, hi{kMaxPrec}, mid{kMaxPrec}, d{kMaxPrec}, t{kMaxPrec};
  Mp step{64}, maxv{64}, lo2{128}, hi2{128}, mid2{128}, enc{128};
};
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// ---- the sorted table of every finite value (formats up to 16 bits) ----

struct ValueTable {
  FloatParams key;
  size_t n = 0;                   // [0] zero (virtual when the format has none) ... [n-2] max, [n-1] virtual top
  std::unique_ptr<Mp[]> val;      // exact magnitudes
  std::unique_ptr<Mp[]> mid;      // mid[i] = (val[i] + val[i+1]) / 2, exact
  std::vector<uint64_t> code;     // magnitude code; virtual zero: 0; virtual top: max code + 1
};

std::unique_ptr<ValueTable> build_table(const Format& f) {
  // Every code that decodes to a finite non-negative value (or zero).
  struct Entry {
    uint64_t code;
    Unpacked u;
  };
  std::vector<Entry> entries;
  for (uint64_t c : all_codes(f)) {
    const Unpacked u = decode(f, c);
    if (u.is_zero() && !u.sign) entries.push_back({c, u});
    if (u.is_finite_nonzero() && !u.sign) entries.push_back({c, u});
  }
  std::vector<std::unique_ptr<Mp>> vals;
  for (const Entry& e : entries) {
    auto m = std::make_unique<Mp>(128);
    if (e.u.is_zero()) mpfr_set_zero(*m, 1);
    else set_sig_exp(*m, e.u.significand, e.u.exponent);
    vals.push_back(std::move(m));
  }
  std::vector<size_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const int c = mpfr_cmp(*vals[a], *vals[b]);
    return c < 0 || (c == 0 && entries[a].code < entries[b].code);
  });
  // Deduplicate equal values (several zero codes in a format without subnormals), keeping the
  // lowest code.
  std::vector<size_t> uniq;
  for (size_t i : order)
    if (uniq.empty() || mpfr_cmp(*vals[uniq.back()], *vals[i]) != 0) uniq.push_back(i);

  auto t = std::make_unique<ValueTable>();
  t->key = f.fp;
  const bool real_zero = !uniq.empty() && mpfr_zero_p(*vals[uniq.front()]);
  t->n = uniq.size() + (real_zero ? 0 : 1) + 1;
  t->val.reset(new Mp[t->n]);
  t->mid.reset(new Mp[t->n]);
  t->code.assign(t->n, 0);
  size_t k = 0;
  if (!real_zero) mpfr_set_zero(t->val[k++], 1);  // virtual zero, counted even
  for (size_t i : uniq) {
    mpfr_set(t->val[k], *vals[i], MPFR_RNDN);
    t->code[k++] = entries[i].code;
  }
  // Virtual top: the largest finite value plus the top binade's spacing 2^(floor(log2 max) - M).
  const size_t top = t->n - 1;
  mpfr_srcptr maxv = t->val[top - 1];
  check(!mpfr_zero_p(maxv), "format without finite non-zero values");
  Mp step(64);
  mpfr_set_ui_2exp(step, 1, mpfr_get_exp(maxv) - 1 - f.fp.man_bits, MPFR_RNDN);
  check(mpfr_add(t->val[top], maxv, step, MPFR_RNDN) == 0, "virtual top inexact");
  t->code[top] = t->code[top - 1] + 1;
  check(t->code[top - 1] == f.facts.max_code, "largest table value is not the format's max_code");
  for (size_t i = 0; i + 1 < t->n; ++i) {
    check(mpfr_add(t->mid[i], t->val[i], t->val[i + 1], MPFR_RNDN) == 0, "midpoint inexact");
    mpfr_div_2ui(t->mid[i], t->mid[i], 1, MPFR_RNDN);
  }
  return t;
}

// Most recently used first, at most 64 tables (a linear search) and 2^21 values (32 tables of 16
// bits): a long-running caller (the fuzzer) meets formats without end. A caller uses one table at
// a time.
const ValueTable& value_table(const Format& f) {
  thread_local std::vector<std::unique_ptr<ValueTable>> cache;
  thread_local size_t values = 0;
  for (size_t i = 0; i < cache.size(); ++i)
    if (cache[i]->key == f.fp) {
      if (i) std::rotate(cache.begin(), cache.begin() + i, cache.begin() + i + 1);
      return *cache.front();
    }
  cache.insert(cache.begin(), build_table(f));
  values += cache.front()->n;
  while ((values > (size_t{1} << 21) || cache.size() > 64) && cache.size() > 1) {
    values -= cache.back()->n;
    cache.pop_back();
  }
  return *cache.front();
}

// ---- neighbours ----

struct Bracket {
  bool exact = false;    // |x| is a point of the (extended) lattice: lo
  bool lo_zero = false;  // lo == 0
  bool lo_over = false;  // lo > max finite: the result overflows whatever the mode picks
  bool hi_over = false;  // hi > max finite
  bool lo_odd = false, hi_odd = false;  // LSB of the candidates' codes
  uint64_t lo_code = 0, hi_code = 0;    // magnitude codes of candidates <= max
  mpfr_srcptr lo = nullptr, hi = nullptr, mid = nullptr;
};

Bracket table_bracket(const Format& f, mpfr_srcptr x, bool sticky) {
  const ValueTable& t = value_table(f);
  // Largest i with val[i] <= |x|; val[0] = 0 < |x|.
  size_t lo = 0, hi = t.n;
  while (hi - lo > 1) {
    const size_t m = (lo + hi) / 2;
    if (cmp_sticky(x, sticky, t.val[m]) >= 0) lo = m;
    else hi = m;
  }
  Bracket b;
  const size_t top = t.n - 1;
  const bool on_point = cmp_sticky(x, sticky, t.val[lo]) == 0;
  if (lo == top) {
    // At or beyond the virtual top: both candidates exceed max. Whether |x| is a lattice point
    // there (and so draws nothing in a stochastic mode) is decided at M+1 significant bits.
    b.lo_over = b.hi_over = true;
    b.exact = on_point || (!sticky && mpfr_min_prec(x) <= f.fp.man_bits + 1);
    b.lo = t.val[top];
    return b;
  }
  b.exact = on_point;
  b.lo = t.val[lo];
  b.hi = t.val[lo + 1];
  b.mid = t.mid[lo];
  b.lo_zero = lo == 0;
  b.hi_over = lo + 1 == top;
  b.lo_code = t.code[lo];
  b.hi_code = t.code[lo + 1];
  b.lo_odd = lo == 0 ? false : (t.code[lo] & 1) != 0;
  // SEMANTICS: in the no-subnormal gap {0, 2^emin}, 0 counts as even and 2^emin as odd.
  b.hi_odd = (lo == 0 && !f.fp.subnormals) ? true : (t.code[lo + 1] & 1) != 0;
  return b;
}

// Magnitude code of a positive value exactly representable in f.
uint64_t code_of(const Format& f, mpfr_srcptr v, Scratch& s) {
  const mpfr_exp_t e = mpfr_get_exp(v);  // v in [2^(e-1), 2^e)
  mpfr_set_prec(s.enc, 64);
  check(mpfr_mul_2si(s.enc, v, 64 - e, MPFR_RNDN) == 0, "code_of: value wider than 64 bits");
  Unpacked u;
  u.cls = ValueClass::Finite;
  u.significand = mpfr_get_uj(s.enc, MPFR_RNDN);
  u.exponent = int32_t(e - 64);
  check(mpfr_integer_p(s.enc), "code_of: not an integer significand");
  const auto c = encode(f, u);
  check(c.has_value(), "code_of: value not in the format");
  return *c;
}

Bracket mpfr_bracket(const Format& f, mpfr_srcptr x, bool sticky) {
  Scratch& s = scratch();
  const int M = f.fp.man_bits, p = M + 1, emin = f.facts.emin;
  Bracket b;
  long ulp_e;  // hi - lo = 2^ulp_e
  if (mpfr_cmp_ui_2exp(x, 1, emin) >= 0) {
    mpfr_set_prec(s.lo, p);
    const int tern = mpfr_set(s.lo, x, MPFR_RNDZ);
    b.exact = tern == 0 && !sticky;
    ulp_e = long(mpfr_get_exp(s.lo.get())) - p;
  } else if (f.fp.subnormals) {
    ulp_e = long(emin) - M;  // multiples of 2^(emin-M)
    const long bits = long(mpfr_get_exp(x)) - ulp_e;  // bits from x's leading bit down to 2^ulp_e
    if (bits >= 1) {
      mpfr_set_prec(s.lo, bits);
      const int tern = mpfr_set(s.lo, x, MPFR_RNDZ);
      b.exact = tern == 0 && !sticky;
    } else {
      mpfr_set_prec(s.lo, p);
      mpfr_set_zero(s.lo, 1);
    }
  } else {
    ulp_e = emin;  // the lattice {0, 2^emin}
    mpfr_set_prec(s.lo, p);
    mpfr_set_zero(s.lo, 1);
  }
  const mpfr_prec_t plo = mpfr_get_prec(s.lo.get());
  mpfr_set_ui_2exp(s.step, 1, ulp_e, MPFR_RNDN);
  mpfr_set_prec(s.hi, plo + 1);
  check(mpfr_add(s.hi, s.lo, s.step, MPFR_RNDN) == 0, "hi inexact");
  mpfr_set_ui_2exp(s.step, 1, ulp_e - 1, MPFR_RNDN);
  mpfr_set_prec(s.mid, plo + 2);
  check(mpfr_add(s.mid, s.lo, s.step, MPFR_RNDN) == 0, "mid inexact");
  b.lo = s.lo;
  b.hi = s.hi;
  b.mid = s.mid;

  const BinaryValue mx = max_finite(f);
  set_sig_exp(s.maxv, mx.significand, mx.exponent);
  b.lo_zero = mpfr_zero_p(s.lo.get()) != 0;
  b.lo_over = mpfr_cmp(s.lo, s.maxv) > 0;
  b.hi_over = mpfr_cmp(s.hi, s.maxv) > 0;
  if (!b.lo_zero && !b.lo_over) {
    b.lo_code = code_of(f, s.lo, s);
    b.lo_odd = (b.lo_code & 1) != 0;
  }
  if (!b.hi_over) {
    b.hi_code = code_of(f, s.hi, s);
    b.hi_odd = (b.hi_code & 1) != 0;
  } else if (!b.lo_over) {
    b.hi_code = code_of(f, s.maxv, s) + 1;  // the virtual code one above max
    b.hi_odd = (b.hi_code & 1) != 0;
  }
  if (b.lo_zero && !f.fp.subnormals) b.hi_odd = true;  // the no-subnormal gap {0, 2^emin}
  return b;
}

// ---- the mode definitions ----

// floor(f * 2^k) and whether f * 2^k is not an integer, for f = (|x| - lo) / (hi - lo).
struct Fraction {
  uint64_t floor_scaled;
  bool rest;
};
Fraction fraction(mpfr_srcptr x, bool sticky, mpfr_srcptr lo, mpfr_srcptr hi, unsigned k) {
  Scratch& s = scratch();
  mpfr_set_prec(s.d, std::max<mpfr_prec_t>(mpfr_get_prec(x), 2));
  check(mpfr_sub(s.d, x, lo, MPFR_RNDN) == 0, "|x| - lo inexact");
  mpfr_set_prec(s.t, mpfr_get_prec(hi) + 1);
  check(mpfr_sub(s.t, hi, lo, MPFR_RNDN) == 0, "hi - lo inexact");
  const mpfr_exp_t q = mpfr_get_exp(s.t.get()) - 1;
  check(mpfr_cmp_ui_2exp(s.t, 1, q) == 0, "hi - lo is not a power of two");
  mpfr_div_2si(s.d, s.d, q, MPFR_RNDN);  // f, exactly
  check(mpfr_cmp_ui(s.d, 1) < 0 && mpfr_sgn(s.d.get()) >= 0, "fraction out of [0,1)");
  mpfr_mul_2ui(s.d, s.d, k, MPFR_RNDN);
  return {uint64_t(mpfr_get_uj(s.d, MPFR_RNDZ)), !mpfr_integer_p(s.d) || sticky};
}

// Whether the mode picks hi for the inexact value (-1)^sign |x|, lo < |x| < hi.
bool choose_hi(const Env& env, bool sign, const Bracket& b, mpfr_srcptr x, bool sticky, uint64_t rnd) {
  switch (env.mode) {
    case RoundingMode::RNE: {
      const int c = cmp_sticky(x, sticky, b.mid);
      if (c != 0) return c > 0;
      check(b.lo_odd != b.hi_odd, "tie between candidates of equal parity");
      return !b.hi_odd;  // the even one
    }
    case RoundingMode::RNA: return cmp_sticky(x, sticky, b.mid) >= 0;
    case RoundingMode::RTZ: return false;
    case RoundingMode::RUP: return !sign;
    case RoundingMode::RDN: return sign;
    case RoundingMode::ROD:
      check(b.lo_odd != b.hi_odd, "round to odd between candidates of equal parity");
      return b.hi_odd;
    case RoundingMode::SR: {
      const Fraction fr = fraction(x, sticky, b.lo, b.hi, 64);
      return rnd < fr.floor_scaled || (rnd == fr.floor_scaled && fr.rest);
    }
    case RoundingMode::SRR: {
      const int R = env.sr_bits;
      check(R >= 1 && R <= 32, "sr:R needs 1 <= R <= 32");
      const Fraction fr = fraction(x, sticky, b.lo, b.hi, unsigned(R));
      const uint64_t r = rnd & ((uint64_t{1} << R) - 1);
      return fr.floor_scaled + r >= (uint64_t{1} << R);
    }
  }
  fail("unknown rounding mode");
}

// Tininess after rounding: |x| rounded to M+1 bits with an unbounded exponent range is below
// 2^emin (for |x| < 2^emin). The "code" LSB there is the significand's LSB, or with M = 0 the
// LSB of the exponent field the value would have (e + bias).
bool tiny_after_rounding(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env) {
  Scratch& s = scratch();
  const int M = f.fp.man_bits, p = M + 1, emin = f.facts.emin;
  mpfr_set_prec(s.lo2, p);
  const int tern = mpfr_set(s.lo2, x, MPFR_RNDZ);
  if (tern == 0 && !sticky) return true;  // representable at p bits, and below 2^emin
  const long e = long(mpfr_get_exp(s.lo2.get())) - 1;  // lo2 in [2^e, 2^(e+1))
  mpfr_set_ui_2exp(s.step, 1, e - M, MPFR_RNDN);
  mpfr_set_prec(s.hi2, p + 1);
  check(mpfr_add(s.hi2, s.lo2, s.step, MPFR_RNDN) == 0, "hi2 inexact");
  if (mpfr_cmp_ui_2exp(s.hi2, 1, emin) < 0) return true;  // both candidates below 2^emin
  mpfr_set_ui_2exp(s.step, 1, e - M - 1, MPFR_RNDN);
  mpfr_set_prec(s.mid2, p + 2);
  check(mpfr_add(s.mid2, s.lo2, s.step, MPFR_RNDN) == 0, "mid2 inexact");
  Bracket b;
  b.lo = s.lo2;
  b.hi = s.hi2;
  b.mid = s.mid2;
  if (M > 0) {
    mpfr_set_prec(s.enc, 64);
    mpfr_mul_2si(s.enc, s.lo2, M - e, MPFR_RNDN);  // the (M+1)-bit integer significand
    b.lo_odd = (mpfr_get_uj(s.enc, MPFR_RNDN) & 1) != 0;
    b.hi_odd = false;  // 2^emin: mantissa field 0
  } else {
    b.lo_odd = ((e + f.fp.bias) % 2) != 0;
    b.hi_odd = ((long(emin) + f.fp.bias) % 2) != 0;
  }
  return !choose_hi(env, sign, b, x, sticky, 0);
}

// A negative value that does not round to zero, in an unsigned format.
OracleResult unsigned_invalid(const Format& f, const Env& env) {
  // wrap is for integers; floats treat it as ieee (SEMANTICS.md), as the core does.
  if (env.overflow != OverflowPolicy::Saturate && f.has_nan()) return {*nan_code(f, false), kV, 0};
  return {f.fp.has_zero ? *zero_code(f, false) : min_code(f, false), kV, 0};
}

// SEMANTICS.md: `max` gives +max; `zero` gives ml_dtypes' NaN stand-in, the sign-set zero code,
// negated (to +0) for a NaN whose kept sign is negative.
uint64_t nonan_code(const Format& f, const Env& env, bool kept_sign) {
  if (env.nan_to_nonan == NanToNoNan::Max) return max_code(f, false);
  return kept_sign ? 0 : f.facts.sign_bit;
}

}  // namespace

OracleResult nan_operation_result(const Format& f, const Env& env) {
  if (!f.is_float()) return family_nan_result(f, false, true, env);
  if (auto c = nan_code(f, false)) return {*c, 0, 0};
  return {nonan_code(f, env, false), kV, 0};
}

OracleResult nan_convert_result(const Format& f, bool sign, const Env& env) {
  if (!f.is_float()) return family_nan_result(f, sign, false, env);
  const bool kept_sign = env.nan_sign == NanSign::Preserve && sign;
  if (auto c = nan_code(f, kept_sign)) return {*c, 0, 0};
  return {nonan_code(f, env, kept_sign), kV, 0};
}

OracleResult inf_result(const Format& f, bool sign, const Env& env) {
  if (!f.is_float()) return family_inf_result(f, sign, env);
  if (sign && !f.fp.is_signed) return unsigned_invalid(f, env);
  if (env.overflow == OverflowPolicy::Saturate) return {max_code(f, sign), uint8_t(kO | kX), 0};
  if (auto c = inf_code(f, sign)) return {*c, 0, 0};
  if (f.has_nan()) return {*nan_code(f, env.nan_sign == NanSign::Preserve && sign), kV, 0};
  return {max_code(f, sign), uint8_t(kO | kX), 0};
}

OracleResult zero_result(const Format& f, bool sign, const Env& env) {
  if (!f.is_float()) return family_zero_result(f, sign, env);
  if (auto c = zero_code(f, sign)) return {*c, 0, 0};
  // A format without zero (E8M0).
  if (env.overflow == OverflowPolicy::Saturate) return {min_code(f, false), uint8_t(kU | kX), 0};
  if (f.has_nan()) return {*nan_code(f, false), kV, 0};
  return {min_code(f, false), kV, 0};
}

OracleResult round_exact(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env, Method method) {
  check(mpfr_number_p(x) && !mpfr_zero_p(x), "round_exact needs a finite non-zero value");
  if (!f.is_float()) return family_round_exact(f, x, sticky, sign, env, method);
  if (method == Method::Auto) method = f.width() <= 16 ? Method::Enumerate : Method::Mpfr;
  if (method == Method::Enumerate && f.width() > 16)
    throw std::invalid_argument("oracle: value-set enumeration is limited to formats of at most 16 bits");
  const Bracket b = method == Method::Enumerate ? table_bracket(f, x, sticky) : mpfr_bracket(f, x, sticky);

  OracleResult r;
  const bool stochastic = is_stochastic(env.mode);
  uint64_t rnd = 0;
  if (stochastic && !b.exact) {
    Env e = env;  // the caller's env is not advanced
    rnd = e.draw();
    r.draws = 1;
  }
  // The rounded magnitude: lo when exact, otherwise the mode's pick.
  bool pick_hi = false;
  if (!b.exact && !b.lo_over) pick_hi = choose_hi(env, sign, b, x, sticky, rnd);
  const bool over = pick_hi ? b.hi_over : b.lo_over;
  const bool to_zero = !pick_hi && b.lo_zero;
  const uint64_t mag = pick_hi ? b.hi_code : b.lo_code;

  const int emin = f.facts.emin;
  const bool tiny_before = mpfr_cmp_ui_2exp(x, 1, emin) < 0;
  bool tiny = tiny_before;
  if (tiny_before && !stochastic && env.tininess == Tininess::AfterRounding)
    tiny = tiny_after_rounding(f, x, sticky, sign, env);
  const bool inexact = !b.exact;
  uint8_t fl = 0;
  if (inexact) fl |= kX;
  if (tiny && inexact) fl |= kU;

  // Negative value, unsigned format: only a result that rounds to zero survives.
  if (sign && !f.fp.is_signed) {
    if (to_zero && f.fp.has_zero) {
      r.code = *zero_code(f, false);
      r.flags = fl;
      return r;
    }
    const OracleResult u = unsigned_invalid(f, env);
    r.code = u.code;
    r.flags = u.flags;
    return r;
  }
  // Flush to zero: a tiny result becomes a signed zero.
  if (tiny && env.flush_outputs() && f.fp.has_zero) {
    r.code = *zero_code(f, sign);
    r.flags = fl | kU | kX;
    return r;
  }
  if (to_zero) {
    if (f.fp.has_zero) {
      r.code = *zero_code(f, sign);
      r.flags = fl;
    } else {  // no zero: the smallest value
      r.code = min_code(f, sign);
      r.flags = fl | kU | kX;
    }
    return r;
  }
  if (over) {
    r.flags = fl | kO | kX;
    const bool to_max = env.overflow == OverflowPolicy::Saturate || env.mode == RoundingMode::RTZ ||
                        env.mode == RoundingMode::ROD || (env.mode == RoundingMode::RUP && sign) ||
                        (env.mode == RoundingMode::RDN && !sign);
    if (to_max) r.code = max_code(f, sign);
    else if (auto c = inf_code(f, sign)) r.code = *c;
    else if (f.has_nan()) r.code = *nan_code(f, env.nan_sign == NanSign::Preserve && sign);
    else r.code = max_code(f, sign);
    return r;
  }
  r.code = (sign ? f.facts.sign_bit : 0) | mag;
  r.flags = fl;
  return r;
}

}  // namespace bitexact::reference
