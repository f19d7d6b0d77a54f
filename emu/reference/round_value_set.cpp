// The oracle's rounding into integer / fixed-point and codebook formats, written from
// emu/SEMANTICS.md ("Integers and fixed point", "Codebook formats") without looking at
// emu/round_int.cpp or emu/round_table.cpp.
//
// 1. The candidates. For x of sign s, the "side" of s is the list of magnitudes
//    0 (a value, or a virtual zero), every value of sign s by increasing magnitude, and a virtual
//    end |E| + |E - N| (E the extreme value of that side, or 0 when it has none; N its inward
//    neighbour in the sorted value list). A point's rank is its index in the side. For integers
//    the side is the lattice {0, q, 2q, ...} (q = 2^-frac_bits) without end, rank = multiple of q.
//    near <= |x| < far are consecutive points.
// 2. The mode's definition on (near, far): nearest by comparison with the exact midpoint, ties
//    to the even rank (rne) or to far (rna); rtz near; rup / rdn by sign; rod the odd rank; sr and
//    sr:R by the exact fraction f = (|x| - near) / (far - near) (a rational, not a dyadic, for
//    codebooks) compared with the random word.
// 3. Range, overflow and special rules in SEMANTICS.md's words.
#include "emu/reference/round_value_set.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

#include <gmp.h>

#include "formats/codec.hpp"
#include "formats/value_table.hpp"

namespace bitexact::reference {

namespace {

constexpr uint8_t kX = flag::inexact, kU = flag::underflow, kO = flag::overflow, kV = flag::invalid;
constexpr mpfr_prec_t kWide = kMaxPrec + 256;

[[noreturn]] void fail(const char* what) { throw std::logic_error(std::string("oracle (value sets): ") + what); }
void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

bool stochastic(RoundingMode m) { return m == RoundingMode::SR || m == RoundingMode::SRR; }

struct Scratch {
  Mp num{kWide}, den{kWide}, t{256}, mid{kWide}, a{kWide}, b{kWide};
};
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

void load(mpfr_ptr m, const Unpacked& u) {
  mpfr_set_prec(m, 64);
  if (u.is_zero()) {
    mpfr_set_zero(m, 1);
    return;
  }
  set_sig_exp(m, u.significand, u.exponent);
}

// ---- the mode definitions on (near, far) ----

struct Pair {
  mpfr_srcptr near = nullptr, far = nullptr;  // magnitudes, near <= |x| < far
  bool near_rank_odd = false;
};

// Bits that hold a - b exactly (a >= b >= 0, a non-zero): from a's leading bit down to the lower of
// the two trailing bits. A parsed decimal (oracle_from_string) carries 34000 bits, beyond kWide.
mpfr_prec_t exact_difference_prec(mpfr_srcptr a, mpfr_srcptr b) {
  mpfr_exp_t low = mpfr_get_exp(a) - mpfr_exp_t(mpfr_get_prec(a));
  if (!mpfr_zero_p(b)) low = std::min(low, mpfr_get_exp(b) - mpfr_exp_t(mpfr_get_prec(b)));
  return std::max<mpfr_prec_t>(kWide, mpfr_prec_t(mpfr_get_exp(a) - low + 1));
}

// floor(f * 2^k) and whether f * 2^k is not an integer (or x carries a sticky bit).
void fraction(mpfr_srcptr x, bool sticky, const Pair& p, unsigned k, uint64_t* floor_scaled, bool* rest) {
  Scratch& s = scratch();
  mpfr_set_prec(s.num, exact_difference_prec(x, p.near));
  mpfr_set_prec(s.den, kWide);
  check(mpfr_sub(s.num, x, p.near, MPFR_RNDN) == 0, "|x| - near inexact");
  check(mpfr_sub(s.den, p.far, p.near, MPFR_RNDN) == 0, "far - near inexact");
  mpfr_mul_2ui(s.num, s.num, k, MPFR_RNDN);
  mpfr_set_prec(s.t, 256);
  const int tern = mpfr_div(s.t, s.num, s.den, MPFR_RNDZ);  // an integer quotient below 2^64 is exact
  check(mpfr_cmp_ui_2exp(s.t, 1, k) < 0 && mpfr_sgn(s.t.get()) >= 0, "fraction out of [0,1)");
  *floor_scaled = mpfr_get_uj(s.t, MPFR_RNDZ);
  *rest = tern != 0 || !mpfr_integer_p(s.t) || sticky;
}

bool choose_far(const Env& env, bool sign, const Pair& p, mpfr_srcptr x, bool sticky, uint64_t rnd) {
  Scratch& s = scratch();
  auto vs_mid = [&]() {
    // near + far exactly: one bit above far's leading bit down to the lower trailing bit (integer
    // rounding of a huge parsed decimal works at more than kWide bits).
    mpfr_set_prec(s.mid, exact_difference_prec(p.far, p.near) + 1);
    check(mpfr_add(s.mid, p.near, p.far, MPFR_RNDN) == 0, "midpoint inexact");
    mpfr_div_2ui(s.mid, s.mid, 1, MPFR_RNDN);
    return cmp_sticky(x, sticky, s.mid);
  };
  switch (env.mode) {
    case RoundingMode::RNE: {
      const int c = vs_mid();
      if (c != 0) return c > 0;
      return p.near_rank_odd;  // the even rank
    }
    case RoundingMode::RNA: return vs_mid() >= 0;
    case RoundingMode::RTZ: return false;
    case RoundingMode::RUP: return !sign;
    case RoundingMode::RDN: return sign;
    case RoundingMode::ROD: return !p.near_rank_odd;  // the odd rank
    case RoundingMode::SR: {
      uint64_t F;
      bool rest;
      fraction(x, sticky, p, 64, &F, &rest);
      return rnd < F || (rnd == F && rest);
    }
    case RoundingMode::SRR: {
      const int R = env.sr_bits;
      check(R >= 1 && R <= 32, "sr:R needs 1 <= R <= 32");
      uint64_t F;
      bool rest;
      fraction(x, sticky, p, unsigned(R), &F, &rest);
      return F + (rnd & ((uint64_t{1} << R) - 1)) >= (uint64_t{1} << R);
    }
  }
  fail("unknown rounding mode");
}

uint64_t draw(const Env& env) {
  Env e = env;  // the caller's env is not advanced
  return e.draw();
}

// ---- integers and fixed point ----

// An mpz holding a small integer, for one expression (freed by its destructor).
struct mpz_class_si {
  mpz_t v;
  explicit mpz_class_si(long x) { mpz_init_set_si(v, x); }
  ~mpz_class_si() { mpz_clear(v); }
  operator mpz_srcptr() const { return v; }
};

struct IntRange {
  int64_t kmin, kmax;
};
IntRange int_range(const IntParams& p) {
  const int b = p.bits;
  if (!p.is_signed) return {0, int64_t((uint64_t{1} << b) - 1)};
  const int64_t half = int64_t{1} << (b - 1);
  return {p.symmetric ? -(half - 1) : -half, half - 1};
}

uint64_t int_code_arith(const Format& f, int64_t k) { return uint64_t(k) & f.facts.code_mask; }

// The code of integer k, by looking it up among the decoded values (Method::Enumerate) or by
// two's complement arithmetic (Method::Mpfr).
uint64_t int_code(const Format& f, int64_t k, Method method) {
  if (method != Method::Enumerate) return int_code_arith(f, k);
  thread_local std::vector<std::pair<Format, std::vector<std::pair<int64_t, uint64_t>>>> cache;
  std::vector<std::pair<int64_t, uint64_t>>* list = nullptr;
  for (auto& [fmt, l] : cache)
    if (fmt.ip.bits == f.ip.bits && fmt.ip.is_signed == f.ip.is_signed && fmt.ip.symmetric == f.ip.symmetric &&
        fmt.ip.frac_bits == f.ip.frac_bits)
      list = &l;
  if (!list) {
    if (cache.size() >= 64) cache.clear();  // bounded for long runs (the fuzzer); list is not held across calls
    std::vector<std::pair<int64_t, uint64_t>> l;
    Mp v(64), k2(64);
    for (uint64_t c : all_codes(f)) {
      const Unpacked u = decode(f, c);
      if (u.is_nan() || u.is_inf()) continue;
      load(v, u);
      mpfr_mul_2si(k2, v, f.ip.frac_bits, MPFR_RNDN);
      check(mpfr_integer_p(k2), "integer format value off its lattice");
      int64_t k = mpfr_get_sj(k2, MPFR_RNDN);
      if (u.sign) k = -k;
      l.push_back({k, c});
    }
    std::sort(l.begin(), l.end());
    cache.push_back({f, std::move(l)});
    list = &cache.back().second;
  }
  auto it = std::lower_bound(list->begin(), list->end(), std::pair<int64_t, uint64_t>{k, 0});
  check(it != list->end() && it->first == k, "integer not among the format's values");
  return it->second;
}

OracleResult int_round(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env, Method method) {
  Scratch& s = scratch();
  const IntRange r = int_range(f.ip);
  // |x| in units of q = 2^-n; near = floor, far = near + 1 (the lattice has no end).
  // Precision for x * 2^n, its floor and floor + 1 exactly (a parsed decimal carries 34000 bits).
  mpfr_prec_t prec = std::max<mpfr_prec_t>(kWide, mpfr_get_prec(x));
  if (!mpfr_zero_p(x)) prec = std::max<mpfr_prec_t>(prec, mpfr_prec_t(mpfr_get_exp(x) + f.ip.frac_bits + 2));
  mpfr_set_prec(s.a, prec);
  check(mpfr_mul_2si(s.a, x, f.ip.frac_bits, MPFR_RNDN) == 0, "scaling inexact");
  mpfr_set_prec(s.b, prec);
  mpfr_floor(s.b, s.a);
  const bool exact = !sticky && mpfr_equal_p(s.a, s.b);
  OracleResult out;
  uint64_t rnd = 0;
  if (!exact && stochastic(env.mode)) {
    rnd = draw(env);
    out.draws = 1;
  }
  // k = +-(near or far) as an exact integer.
  mpz_t k;
  mpz_init(k);
  mpfr_get_z(k, s.b, MPFR_RNDN);
  if (!exact) {
    Mp nearv(prec), farv(prec), xs(prec);
    mpfr_set(nearv, s.b, MPFR_RNDN);
    check(mpfr_add_ui(farv, s.b, 1, MPFR_RNDN) == 0, "far inexact");
    mpfr_set(xs, s.a, MPFR_RNDN);
    Pair p{nearv, farv, mpz_odd_p(k) != 0};
    if (choose_far(env, sign, p, xs, sticky, rnd)) mpz_add_ui(k, k, 1);
  }
  if (sign) mpz_neg(k, k);
  const uint8_t inexact = exact ? 0 : kX;
  const bool in_range = mpz_cmp_si(k, long(r.kmin)) >= 0 && mpz_cmp_si(k, long(r.kmax)) <= 0;
  const bool below = mpz_cmp_si(k, long(r.kmin)) < 0;
  int64_t wrapped = 0;
  {
    // (k - kmin) mod span + kmin; span = 2^b, or 2^b - 1 for symmetric formats.
    mpz_t t;
    mpz_init(t);
    mpz_sub(t, k, mpz_class_si(r.kmin));
    wrapped = int64_t(mpz_fdiv_ui(t, (unsigned long)(r.kmax - r.kmin + 1))) + r.kmin;
    mpz_clear(t);
  }
  const int64_t kv = in_range ? int64_t(mpz_get_si(k)) : 0;
  mpz_clear(k);
  if (in_range) {
    out.code = int_code(f, kv, method);
    out.flags = inexact;
    return out;
  }
  const int64_t clamped = below ? r.kmin : r.kmax;
  switch (env.overflow) {
    case OverflowPolicy::Ieee:
      out.code = int_code(f, clamped, method);
      out.flags = kV;
      return out;
    case OverflowPolicy::Saturate:
      out.code = int_code(f, clamped, method);
      out.flags = kO | kX;
      return out;
    case OverflowPolicy::Wrap:
      out.code = int_code(f, wrapped, method);
      out.flags = kO | kX;
      return out;
  }
  fail("unknown overflow policy");
}

// ---- codebooks ----

struct TableData {
  std::shared_ptr<const ValueTable> key;
  struct Side {
    std::vector<std::unique_ptr<Mp>> mag;  // [0] = 0, ..., [k+1] virtual end
    std::vector<uint64_t> code;            // [0]: zero code (or none), [k+1]: none
    bool real_zero = false;
  } side[2];
  bool has_nan = false;
  uint64_t nan[2] = {0, 0};
  bool has_inf[2] = {false, false};
  uint64_t inf[2] = {0, 0};
};
constexpr uint64_t kNoCode = ~uint64_t{0};

std::unique_ptr<TableData> build(const Format& f) {
  auto t = std::make_unique<TableData>();
  t->key = f.table;
  struct V {
    std::unique_ptr<Mp> v;  // signed
    uint64_t code;
    bool neg_zero;
  };
  std::vector<V> vals;
  uint64_t zero_code[2] = {kNoCode, kNoCode};
  bool nan_seen[2] = {false, false};
  for (uint64_t c : all_codes(f)) {
    if (!f.table->is_used(c)) continue;
    const Unpacked u = decode(f, c);
    if (u.is_nan()) {
      if (!nan_seen[u.sign]) t->nan[u.sign] = c;
      nan_seen[u.sign] = true;
      t->has_nan = true;
      continue;
    }
    if (u.is_inf()) {
      t->has_inf[u.sign] = true;
      t->inf[u.sign] = c;
      continue;
    }
    if (u.is_zero()) {
      if (zero_code[u.sign] == kNoCode) zero_code[u.sign] = c;
      continue;
    }
    auto m = std::make_unique<Mp>(64);
    load(*m, u);
    if (u.sign) mpfr_neg(*m, *m, MPFR_RNDN);
    vals.push_back({std::move(m), c, false});
  }
  if (!nan_seen[0]) t->nan[0] = t->nan[1];  // a NaN of the missing sign: the other one
  if (!nan_seen[1]) t->nan[1] = t->nan[0];
  const bool has_zero = zero_code[0] != kNoCode || zero_code[1] != kNoCode;
  if (zero_code[0] == kNoCode) zero_code[0] = zero_code[1];
  if (zero_code[1] == kNoCode) zero_code[1] = zero_code[0];
  if (has_zero) {
    auto m = std::make_unique<Mp>(64);
    mpfr_set_zero(*m, 1);
    vals.push_back({std::move(m), zero_code[0], false});
  }
  std::sort(vals.begin(), vals.end(), [](const V& a, const V& b) { return mpfr_cmp(*a.v, *b.v) < 0; });
  for (size_t i = 1; i < vals.size(); ++i) check(mpfr_cmp(*vals[i - 1].v, *vals[i].v) != 0, "repeated value");
  check(vals.size() >= 2, "fewer than two values");
  // Index of zero (or where it would be) in the sorted list.
  size_t zpos = 0;
  while (zpos < vals.size() && mpfr_sgn(vals[zpos].v->get()) < 0) ++zpos;
  for (int s = 0; s < 2; ++s) {
    TableData::Side& side = t->side[s];
    side.real_zero = has_zero;
    auto zero = std::make_unique<Mp>(64);
    mpfr_set_zero(*zero, 1);
    side.mag.push_back(std::move(zero));
    side.code.push_back(has_zero ? zero_code[s] : kNoCode);
    // Values of this sign by increasing magnitude.
    std::vector<size_t> idx;
    if (s == 0) {
      for (size_t i = zpos + (has_zero ? 1 : 0); i < vals.size(); ++i) idx.push_back(i);
    } else {
      for (size_t i = zpos; i-- > 0;) idx.push_back(i);
    }
    for (size_t i : idx) {
      auto m = std::make_unique<Mp>(64);
      mpfr_abs(*m, *vals[i].v, MPFR_RNDN);
      side.mag.push_back(std::move(m));
      side.code.push_back(vals[i].code);
    }
    // Virtual end |E| + |E - N|: E the extreme value of this side (0 if none), N its inward neighbour.
    Mp e(64), n(64), gap(kWide);
    size_t ei;  // index of E in vals, or npos when E is the (real) zero
    if (!idx.empty()) ei = idx.back();
    else ei = zpos;  // the zero entry itself (has_zero holds: build() rejects the other case)
    mpfr_set(e, *vals[ei].v, MPFR_RNDN);
    const size_t ni = s == 0 ? ei - 1 : ei + 1;
    check(ni < vals.size(), "no inward neighbour");
    mpfr_set(n, *vals[ni].v, MPFR_RNDN);
    check(mpfr_sub(gap, e, n, MPFR_RNDN) == 0, "gap inexact");
    mpfr_abs(gap, gap, MPFR_RNDN);
    auto end = std::make_unique<Mp>(kWide);
    mpfr_abs(*end, e, MPFR_RNDN);
    check(mpfr_add(*end, *end, gap, MPFR_RNDN) == 0, "end inexact");
    side.mag.push_back(std::move(end));
    side.code.push_back(kNoCode);
  }
  return t;
}

// Most recently used first, at most 64 tables (a linear search) and 2^21 values: a long-running
// caller (the fuzzer) meets tables without end. A caller uses one table at a time.
const TableData& table_data(const Format& f) {
  thread_local std::vector<std::unique_ptr<TableData>> cache;
  thread_local size_t values = 0;
  auto size = [](const TableData& t) { return t.side[0].mag.size() + t.side[1].mag.size(); };
  for (size_t i = 0; i < cache.size(); ++i)
    if (cache[i]->key == f.table) {
      if (i) std::rotate(cache.begin(), cache.begin() + i, cache.begin() + i + 1);
      return *cache.front();
    }
  cache.insert(cache.begin(), build(f));
  values += size(*cache.front());
  while ((values > (size_t{1} << 21) || cache.size() > 64) && cache.size() > 1) {
    values -= size(*cache.back());
    cache.pop_back();
  }
  return *cache.front();
}

// Overflow on side `sign`: SEMANTICS "Codebook formats", as for floats (`wrap` is an integer policy:
// a codebook reads it as `ieee`).
bool table_ieee(const Env& env) { return env.overflow != OverflowPolicy::Saturate; }

OracleResult table_overflow(const TableData& t, bool sign, const Env& env, uint8_t fl) {
  const TableData::Side& side = t.side[sign];
  const uint64_t extreme = side.code[side.code.size() - 2];
  OracleResult r;
  r.flags = fl | kO | kX;
  const bool to_max = !table_ieee(env) || env.mode == RoundingMode::RTZ ||
                      env.mode == RoundingMode::ROD || (env.mode == RoundingMode::RUP && sign) ||
                      (env.mode == RoundingMode::RDN && !sign);
  if (to_max) r.code = extreme;
  else if (t.has_inf[sign]) r.code = t.inf[sign];
  else if (t.has_nan) r.code = t.nan[env.nan_sign == NanSign::Preserve && sign];
  else r.code = extreme;
  return r;
}

OracleResult table_round(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env) {
  const TableData& t = table_data(f);
  const TableData::Side& side = t.side[sign];
  const size_t end = side.mag.size() - 1;
  OracleResult r;
  if (cmp_sticky(x, sticky, *side.mag[end]) >= 0) return table_overflow(t, sign, env, 0);  // no draw
  size_t i = 0;  // largest i with mag[i] <= |x|
  while (i + 1 < end && cmp_sticky(x, sticky, *side.mag[i + 1]) >= 0) ++i;
  const bool exact = cmp_sticky(x, sticky, *side.mag[i]) == 0;
  size_t j = i;
  uint8_t fl = 0;
  if (!exact) {
    fl = kX;
    uint64_t rnd = 0;
    if (stochastic(env.mode)) {
      rnd = draw(env);
      r.draws = 1;
    }
    Pair p{*side.mag[i], *side.mag[i + 1], (i & 1) != 0};
    if (choose_far(env, sign, p, x, sticky, rnd)) j = i + 1;
  }
  if (j == end) {
    OracleResult o = table_overflow(t, sign, env, fl);
    o.draws = r.draws;
    return o;
  }
  if (j == 0 && !side.real_zero) {  // a zero-free table: the smallest value of x's sign
    r.code = side.code[1];
    r.flags = fl | kU | kX;
    return r;
  }
  r.code = side.code[j];
  r.flags = fl;
  return r;
}

}  // namespace

bool is_value_set_family(const Format& f) { return f.family == Family::Int || f.family == Family::Table; }

OracleResult vs_round_exact(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env, Method method) {
  check(mpfr_number_p(x) && !mpfr_zero_p(x), "needs a finite non-zero value");
  if (method == Method::Auto) method = f.width() <= 16 ? Method::Enumerate : Method::Mpfr;
  if (method == Method::Enumerate && f.width() > 16)
    throw std::invalid_argument("oracle: value-set enumeration is limited to formats of at most 16 bits");
  if (f.family == Family::Int) return int_round(f, x, sticky, sign, env, method);
  return table_round(f, x, sticky, sign, env);  // a codebook is its value list: both methods enumerate
}

OracleResult vs_nan_result(const Format& f, bool kept_sign, const Env& env) {
  if (f.family == Family::Table) {
    const TableData& t = table_data(f);
    if (t.has_nan) return {t.nan[kept_sign], 0, 0};
    if (env.nan_to_nonan == NanToNoNan::Max) return {t.side[0].code[t.side[0].code.size() - 2], kV, 0};
    return {t.side[0].real_zero ? t.side[0].code[0] : t.side[0].code[1], kV, 0};
  }
  const IntRange r = int_range(f.ip);
  return {env.nan_to_nonan == NanToNoNan::Max ? int_code_arith(f, r.kmax) : 0, kV, 0};
}

OracleResult vs_inf_result(const Format& f, bool sign, const Env& env) {
  if (f.family == Family::Table) {
    const TableData& t = table_data(f);
    if (table_ieee(env) && t.has_inf[sign]) return {t.inf[sign], 0, 0};
    if (table_ieee(env) && t.has_nan) return {t.nan[env.nan_sign == NanSign::Preserve && sign], kV, 0};
    return {t.side[sign].code[t.side[sign].code.size() - 2], uint8_t(kO | kX), 0};
  }
  const IntRange r = int_range(f.ip);
  const uint64_t c = int_code_arith(f, sign ? r.kmin : r.kmax);
  if (env.overflow == OverflowPolicy::Saturate) return {c, uint8_t(kO | kX), 0};
  return {c, kV, 0};
}

OracleResult vs_zero_result(const Format& f, bool sign, const Env& env) {
  if (f.family == Family::Int) return {0, 0, 0};
  const TableData& t = table_data(f);
  if (t.side[sign].real_zero) return {t.side[sign].code[0], 0, 0};
  if (table_ieee(env) && t.has_nan) return {t.nan[0], kV, 0};
  return {t.side[sign].code[1], uint8_t(kU | kX), 0};
}

}  // namespace bitexact::reference
