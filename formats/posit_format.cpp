#include "formats/posit_format.hpp"

#include <bit>
#include <cctype>

#include <fmt/format.h>

#include "formats/error.hpp"

namespace bitexact {

namespace {

uint64_t mask_of(int n) { return (uint64_t{1} << n) - 1; }

// Two's complement negation within n bits.
uint64_t negate(uint64_t code, int n) { return (~code + 1) & mask_of(n); }

// The positive posit whose n-1 bits after the sign are `body`, as significand * 2^exponent.
Unpacked decode_body(const PositParams& p, uint64_t body) {
  const int n = p.n, es = p.es;
  const int avail = n - 1;
  const bool r0 = (body >> (avail - 1)) & 1;
  int run = 0;
  while (run < avail && (((body >> (avail - 1 - run)) & 1) != 0) == r0) ++run;
  const int k = r0 ? run - 1 : -run;
  const int rem = run < avail ? avail - run - 1 : 0;  // bits after the regime's closing bit
  const int eb = std::min(es, rem);
  const uint64_t low = body & mask_of(rem);
  const int fb = rem - eb;
  const uint64_t e = (low >> fb) << (es - eb);  // cut-off exponent bits read as 0
  const uint64_t frac = low & mask_of(fb);
  Unpacked u;
  u.cls = ValueClass::Finite;
  u.significand = (uint64_t{1} << fb) | frac;
  u.exponent = int32_t(int64_t(k) * (int64_t{1} << es) + int64_t(e) - fb);
  return u;
}

}  // namespace

int posit_max_scale(const PositParams& p) { return (p.n - 2) * (1 << p.es); }

std::string posit_spec_string(const PositParams& p) { return fmt::format("posit<{},{}>", p.n, p.es); }

Format make_posit_format(std::string name, const PositParams& p) {
  if (p.n < kPositMinN || p.n > kPositMaxN)
    throw FormatError(fmt::format("invalid posit format '{}': n must be in {}..{}", name, kPositMinN, kPositMaxN));
  if (p.es < 0 || p.es > kPositMaxEs)
    throw FormatError(fmt::format("invalid posit format '{}': es must be in 0..{}", name, kPositMaxEs));
  Format f;
  f.family = Family::Posit;
  f.name = std::move(name);
  f.pp = p;
  f.spec = posit_spec_string(p);
  f.is_signed = true;
  FloatFacts& x = f.facts;
  x.width = p.n;
  x.code_mask = mask_of(p.n);
  x.sign_bit = uint64_t{1} << (p.n - 1);
  x.emax = posit_max_scale(p);
  x.emin = -x.emax;
  SpecialCodes& s = f.special;
  s.nan = x.sign_bit;                      // NaR
  s.pos_zero = 0;                          // the only zero
  s.pos_max = x.sign_bit - 1;              // 0111...1
  s.neg_max = negate(s.pos_max, p.n);      // 1000...01
  s.pos_min = 1;                           // 0000...01
  s.neg_min = x.code_mask;                 // 1111...1
  return f;
}

Unpacked posit_decode(const Format& f, uint64_t code) {
  const PositParams& p = f.pp;
  code &= f.facts.code_mask;
  Unpacked u;
  if (code == 0) return u;  // zero
  if (code == f.facts.sign_bit) {
    u.cls = ValueClass::NaN;  // NaR
    return u;
  }
  const bool sign = (code & f.facts.sign_bit) != 0;
  u = decode_body(p, sign ? negate(code, p.n) : code);
  u.sign = sign;
  return u;
}

std::optional<uint64_t> posit_encode(const Format& f, const Unpacked& v) {
  const PositParams& p = f.pp;
  switch (v.cls) {
    case ValueClass::NaN: return f.facts.sign_bit;
    case ValueClass::Inf: return std::nullopt;
    case ValueClass::Zero: return 0;
    case ValueClass::Finite: break;
  }
  if (v.significand == 0) return 0;
  const int tz = std::countr_zero(v.significand);
  const uint64_t sig = v.significand >> tz;
  const int L = 63 - std::countl_zero(sig);          // fraction bits below the leading one
  const int64_t E = int64_t(v.exponent) + tz + L;     // scale
  const int64_t max_scale = posit_max_scale(p);
  if (E > max_scale || E < -max_scale) return std::nullopt;
  const int64_t useed_log = int64_t{1} << p.es;
  const int64_t k = E >= 0 ? E / useed_log : -((-E + useed_log - 1) / useed_log);
  const uint64_t e = uint64_t(E - k * useed_log);
  const int avail = p.n - 1;
  uint64_t body;
  if (k >= 0 && k + 2 > avail) {
    // k = n-2: the regime fills every bit (no closing 0); only maxpos itself fits.
    if (e != 0 || L != 0) return std::nullopt;
    body = mask_of(avail);
  } else {
    const int len = k >= 0 ? int(k) + 2 : int(-k) + 1;
    const uint64_t regime = k >= 0 ? mask_of(int(k) + 1) << 1 : 1;
    const int rem = avail - len;
    const int eb = std::min(p.es, rem);
    if ((e & mask_of(p.es - eb)) != 0) return std::nullopt;  // exponent bits that do not fit
    const int fb = rem - eb;
    if (L > fb) return std::nullopt;
    const uint64_t frac = (sig & mask_of(L)) << (fb - L);
    body = (regime << rem) | ((e >> (p.es - eb)) << fb) | frac;
  }
  return v.sign ? negate(body, p.n) : body;
}

std::optional<Format> parse_posit_spec(const SpecTerm& t) {
  std::string lname;
  for (char c : t.name) lname += char(std::tolower(static_cast<unsigned char>(c)));
  if (lname.rfind("posit", 0) != 0) return std::nullopt;
  PositParams p;
  const std::string rest = lname.substr(5);
  if (rest.empty()) {
    // posit<n,es> or posit<n=N,es=E>
    if (!t.has_brackets) t.fail("posit needs <n,es>, e.g. posit<8,2>", t.name_pos + t.name.size());
    t.check_keys("n,es", 2);
    int positional = 0;
    bool seen_n = false, seen_es = false;
    for (const SpecArg& a : t.args) {
      const std::string key = a.key.empty() ? (positional++ == 0 ? "n" : "es") : a.key;
      if (key == "n") {
        if (seen_n) t.fail("'n' given twice", a.value_pos);
        p.n = t.int_value(a, kPositMinN, kPositMaxN);
        seen_n = true;
      } else {
        if (seen_es) t.fail("'es' given twice", a.value_pos);
        p.es = t.int_value(a, 0, kPositMaxEs);
        seen_es = true;
      }
    }
    if (!seen_n || !seen_es) t.fail("posit<...> needs both n and es", t.name_pos);
  } else {
    // positN (es = 2) or positN_E
    size_t i = 0;
    int n = 0, es = 2;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])) && i < 3) n = n * 10 + (rest[i++] - '0');
    if (i == 0) return std::nullopt;
    if (i < rest.size()) {
      if (rest[i] != '_' || i + 1 >= rest.size()) return std::nullopt;
      es = 0;
      size_t j = i + 1;
      while (j < rest.size() && std::isdigit(static_cast<unsigned char>(rest[j])) && j < i + 3) es = es * 10 + (rest[j++] - '0');
      if (j != rest.size()) return std::nullopt;
    }
    if (t.has_brackets) t.fail("positN takes no <...>; write posit<n,es>", t.name_pos + t.name.size());
    if (n < kPositMinN || n > kPositMaxN)
      t.fail(fmt::format("posit width {} is out of range {}..{}", n, kPositMinN, kPositMaxN), t.name_pos);
    if (es > kPositMaxEs) t.fail(fmt::format("posit es {} is out of range 0..{}", es, kPositMaxEs), t.name_pos);
    p.n = n;
    p.es = es;
  }
  return make_posit_format(posit_spec_string(p), p);
}

}  // namespace bitexact
