#include "tools/vectors/patterns.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "emu/value_io.hpp"
#include "formats/codec.hpp"

namespace bitexact::vectors {

namespace {

// Appends v if it is new (keeps first-seen order).
void add(std::vector<uint64_t>& out, uint64_t v) {
  if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
}

// The code of a value the format holds exactly, if it does.
bool exact_code(const Format& f, const std::string& text, uint64_t& code) {
  Env env;
  code = value_from_string(f, text, env);
  return env.flags == 0 && !decode(f, code).is_nan();
}

}  // namespace

std::vector<uint64_t> sanity_codes(const Format& f) {
  std::vector<uint64_t> out;
  uint64_t c = 0;
  for (const char* v : {"0", "-0", "1", "-1"})
    if (exact_code(f, v, c)) add(out, c);
  if (f.is_float()) {
    const FloatFacts& x = f.facts;
    const int m = f.fp.man_bits;
    if (exact_code(f, "1", c) && m > 0) add(out, c + 1);             // 1 + 1 ulp (odd)
    if (exact_code(f, "1.5", c)) add(out, c);
    if (exact_code(f, fmt::format("0x1p-{}", m + 1), c)) add(out, c);  // half an ulp of 1: 1 + it ties
    add(out, x.min_code);
    if (f.fp.is_signed) add(out, x.min_code | x.sign_bit);
    add(out, x.min_normal_code);
    add(out, x.max_code);
    if (f.fp.is_signed) add(out, x.max_code | x.sign_bit);
    if (f.has_inf()) {
      if (exact_code(f, "inf", c)) add(out, c);
      if (exact_code(f, "-inf", c)) add(out, c);
    }
    if (const auto n = nan_code(f, false)) add(out, *n);
    if (f.fp.nan == NanPolicy::Ieee && m >= 2) add(out, (uint64_t(x.exp_field_max) << m) | 1);  // signalling
  } else {
    const SpecialCodes& s = f.special;
    for (uint64_t v : {s.pos_min, s.neg_min, s.pos_max, s.neg_max}) add(out, v);
    if (s.pos_inf) add(out, *s.pos_inf);
    if (s.neg_inf) add(out, *s.neg_inf);
    if (s.nan) add(out, *s.nan);
  }
  return out;
}

std::vector<uint64_t> pattern_exponents(const Format& f) {
  std::vector<uint64_t> out;
  const int fmax = f.facts.exp_field_max, bias = f.fp.bias, m = f.fp.man_bits;
  for (int e : {0, 1, 2, 3, bias - m - 1, bias - 2, bias - 1, bias, bias + 1, bias + 2, bias + m + 1, fmax - 3,
                fmax - 2, fmax - 1, fmax, fmax / 2, fmax / 4, 3 * fmax / 4})
    if (e >= 0 && e <= fmax) add(out, uint64_t(e));
  return out;
}

std::vector<uint64_t> pattern_significands(const Format& f) {
  std::vector<uint64_t> out;
  const int m = f.fp.man_bits;
  if (m == 0) return {0};
  const uint64_t all = f.facts.man_mask, top = uint64_t{1} << (m - 1);
  for (uint64_t v : {uint64_t{0}, all, uint64_t{1}, all - 1, top, top | 1, top - 1, top + 1, all >> 1, uint64_t{2}})
    add(out, v & all);
  // Single bits: every one for short significands, a spread otherwise.
  for (int i = 0; i < m; ++i)
    if (m <= 12 || i < 3 || i > m - 4 || i == m / 2 || i == m / 3) add(out, uint64_t{1} << i);
  // Runs of ones from the top and from the bottom.
  for (int k : {2, 3, m / 2, m - 2})
    if (k > 0 && k < m) {
      add(out, all & ~((uint64_t{1} << (m - k)) - 1));
      add(out, (uint64_t{1} << k) - 1);
    }
  add(out, 0x5555555555555555ULL & all);
  add(out, 0xAAAAAAAAAAAAAAAAULL & all);
  return out;
}

std::vector<uint64_t> pattern_codes(const Format& f) {
  std::vector<uint64_t> out;
  if (f.is_float()) {
    const std::vector<uint64_t> exps = pattern_exponents(f), sigs = pattern_significands(f);
    const int m = f.fp.man_bits;
    for (int sign = 0; sign < (f.fp.is_signed ? 2 : 1); ++sign)
      for (uint64_t e : exps)
        for (uint64_t s : sigs) add(out, (sign ? f.facts.sign_bit : 0) | (e << m) | s);
    for (uint64_t c : sanity_codes(f)) add(out, c);
    return out;
  }
  const int w = f.width();
  const uint64_t mask = f.facts.code_mask;
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{3}, mask, mask - 1, mask >> 1, (mask >> 1) + 1,
                     (mask >> 1) - 1, (mask >> 1) + 2})
    add(out, v & mask);
  for (int i = 0; i < w; ++i) add(out, uint64_t{1} << i);
  for (int k = 2; k < w; k += std::max(1, w / 4)) {
    add(out, mask & ~((uint64_t{1} << (w - k)) - 1));
    add(out, (uint64_t{1} << k) - 1);
  }
  add(out, 0x5555555555555555ULL & mask);
  add(out, 0xAAAAAAAAAAAAAAAAULL & mask);
  for (uint64_t c : sanity_codes(f)) add(out, c);
  return out;
}

}  // namespace bitexact::vectors
