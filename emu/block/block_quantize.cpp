#include "emu/block/block_quantize.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "emu/block/exact_value.hpp"
#include "emu/block/int_grid.hpp"
#include "emu/round.hpp"
#include "formats/codec.hpp"

namespace bitexact {

namespace {

const Format& float32_format() {
  static const Format f = make_float_format("float32", {8, 23, 127, true, true, true, InfPolicy::Ieee, NanPolicy::Ieee});
  return f;
}

// The exact value of a code as a double (NaN/Inf included); finite values of every supported
// element or scale format fit float64 exactly.
double code_value(const Format& f, uint64_t code) { return to_double(decode(f, code)); }

double max_value(const Format& f) { return max_finite(f).approx(); }

// Elements and scales saturate: the MX spec clamps normals to the element's largest magnitude;
// NVFP4 (torchao, TE) clamps its scales and elements the same way.
Env saturating(const Env& env) {
  Env e = env;
  e.overflow = OverflowPolicy::Saturate;
  return e;
}

Env scale_env(const BlockFormat& b) {
  Env e;
  e.mode = b.scale_round;
  e.overflow = OverflowPolicy::Saturate;
  return e;
}

struct Amax {
  double amax = 0, lo = 0, hi = 0;  // largest finite magnitude; smallest / largest finite values
  bool special = false;             // any NaN or Inf
};

Amax block_amax(const double* in, size_t n) {
  Amax a;
  for (size_t i = 0; i < n; ++i) {
    const double x = in[i];
    if (!std::isfinite(x)) {
      a.special = true;
      continue;
    }
    a.amax = std::max(a.amax, std::fabs(x));
    a.lo = std::min(a.lo, x);
    a.hi = std::max(a.hi, x);
  }
  return a;
}

// floor(log2 a) for a finite a > 0, and whether a is a power of two.
int floor_log2(double a, bool* pow2) {
  int e;
  const double m = std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  if (pow2) *pow2 = m == 0.5;
  return e - 1;
}

// The power-of-two scale exponent per rule, before clamping to the scale format's range.
int pow2_exponent(const BlockFormat& b, double amax) {
  bool pow2 = false;
  const int L = floor_log2(amax, &pow2);
  switch (b.rule) {
    case ScaleRule::Floor: return L - b.emax_elem;
    case ScaleRule::Ceil: return (pow2 ? L : L + 1) - b.emax_elem;
    case ScaleRule::Even: {
      // amax rounded half-up to the element's precision (m+1 bits): the binade steps up when
      // the normalised significand is at least 2 - 2^-(m+1).
      const int m = b.element.fp.man_bits;
      const double sig = std::ldexp(amax, -L);  // [1, 2), exact
      return (sig >= 2.0 - std::ldexp(1.0, -(m + 1)) ? L + 1 : L) - b.emax_elem;
    }
    case ScaleRule::Rceil: {
      // The smallest k with amax <= max_elem * 2^k (exact comparisons in float64).
      const double me = max_value(b.element);
      int k = L - b.emax_elem - 1;
      while (amax > std::ldexp(me, k)) ++k;
      return k;
    }
  }
  return L;
}

// Two's-complement code of width bits for integer v.
uint64_t twos(int64_t v, int bits) { return uint64_t(v) & ((bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1)); }
int64_t sign_extend(uint64_t code, int bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  code &= (m << 1) - 1;
  return int64_t(code ^ m) - int64_t(m);
}

// Rounds x (finite) to an integer under env onto a grid wide enough that clamping comes after.
int64_t round_integer(const Exact& v, Env& env) {
  static const Format wide = make_int_grid(40, 0);
  Env e = saturating(env);
  const uint64_t c = round_to_format(wide, v, e);
  env.flags |= e.flags;
  env.index = e.index;
  return grid_to_int(wide, c);
}

// Element code for one finite or special input, rounded from the exact scaled value v.
uint64_t element_code(const BlockFormat& b, const Exact& v, Env& env) {
  const uint64_t c = round_to_format(b.element, v, env);
  if (!b.int_element) return c;
  return twos(grid_to_int(b.element, c), b.int_bits);
}

// Inf / NaN elements (policy special=element) are not clamped (MX v1.0: "Infs and NaNs are not
// clamped"): they convert with overflow=ieee, so E5M2 keeps +-Inf, E4M3 gives NaN, and formats
// without Inf/NaN (FP6, FP4, INT) follow env.nan_to_nonan for NaN and saturate Inf.
uint64_t special_code(const BlockFormat& b, double x, Env& env) {
  Env e = env;
  e.overflow = b.element.has_nan() || b.element.has_inf() ? OverflowPolicy::Ieee : OverflowPolicy::Saturate;
  const uint64_t c = element_code(b, std::isnan(x) ? Exact::nan(std::signbit(x)) : Exact::inf(x < 0), e);
  env.flags |= e.flags;
  return c;
}

bool code_is_zero(const BlockFormat& b, uint64_t code) {
  if (b.int_element) return code == 0;
  return (code & ~b.element.facts.sign_bit) == 0 && b.element.fp.has_zero;
}

BlockParams quantize_pow2(const BlockFormat& b, const double* in, size_t n, uint64_t index0, uint64_t* codes,
                          Env& env, BlockCounts* counts) {
  const Amax a = block_amax(in, n);
  const Format& sf = b.scale;
  BlockParams p;
  p.scale_code = pow2_scale_code(b, a.amax, a.special);
  const bool nan_scale = p.scale_code == sf.facts.code_mask;
  const int k = int(p.scale_code) - sf.fp.bias;
  uint64_t nonfinite = 0, clipped = 0, flushed = 0;
  if (nan_scale) {
    for (size_t i = 0; i < n; ++i) {
      codes[i] = 0;  // every element of a NaN-scale block reads as NaN, whatever its code
      nonfinite += !std::isfinite(in[i]);
    }
  } else {
    Env e = saturating(env);
    const double clip_at = std::ldexp(max_value(b.element), k);
    for (size_t i = 0; i < n; ++i) {
      const double x = in[i];
      e.index = index0 + i;
      if (!std::isfinite(x)) {
        ++nonfinite;
        codes[i] = special_code(b, x, e);
        continue;
      }
      codes[i] = element_code(b, exact_scaled_pow2(x, -k), e);
      clipped += std::fabs(x) > clip_at;
      flushed += x != 0 && code_is_zero(b, codes[i]);
    }
    env.flags |= e.flags;
  }
  if (counts) counts->nonfinite += nonfinite, counts->clipped += clipped, counts->flushed_to_zero += flushed;
  return p;
}

// A block holding Inf/NaN under special=nan (and a scale format with a NaN): the scale is NaN and
// every element reads as NaN whatever its code (codes 0). Returns whether the block was one.
bool nan_scale_block(const BlockFormat& b, const Amax& a, const double* in, size_t n, uint64_t* codes,
                     BlockParams& p, BlockCounts* counts) {
  if (!(a.special && b.special == SpecialBlock::Nan && b.scale.has_nan())) return false;
  p.scale_code = *nan_code(b.scale, false);
  uint64_t nonfinite = 0;
  for (size_t i = 0; i < n; ++i) codes[i] = 0, nonfinite += !std::isfinite(in[i]);
  if (counts) counts->nonfinite += nonfinite;
  return true;
}

// The scale code of num / den rounded into the scale format (scale_round, saturating), never below
// `floor`; an all-zero block (num = 0) gets floor or 1.0 per the zero-block policy.
uint64_t quotient_scale_code(const BlockFormat& b, double num, double den, uint64_t floor) {
  const Format& sf = b.scale;
  if (num == 0) return b.zero == ZeroBlock::One ? *encode(sf, Unpacked{ValueClass::Finite, false, false, false, 0, 1}) : floor;
  Env se = scale_env(b);
  const uint64_t sc = round_to_format(sf, exact_quotient(num, den), se);
  return code_value(sf, sc) < code_value(sf, floor) ? floor : sc;
}

BlockParams quantize_nvfp4(const BlockFormat& b, const double* in, size_t n, double st, uint64_t index0,
                           uint64_t* codes, Env& env, BlockCounts* counts) {
  const Amax a = block_amax(in, n);
  const Format& sf = b.scale;
  const double max_elem = max_value(b.element);
  BlockParams p;
  uint64_t nonfinite = 0, clipped = 0, flushed = 0;
  if (nan_scale_block(b, a, in, n, codes, p, counts)) return p;
  // The block scale: amax / (max_elem * s_t) rounded into the scale format, clamped to
  // [smallest normal, largest] (torchao clamps to [E4M3 tiny, 448] before the cast).
  const uint64_t sc = quotient_scale_code(b, a.amax, max_elem * st, sf.facts.min_normal_code);
  p.scale_code = sc;
  const double S = st * code_value(sf, sc);  // exact: 24-bit times 4-bit significands
  Env e = saturating(env);
  const double clip_at = max_elem * S;
  for (size_t i = 0; i < n; ++i) {
    const double x = in[i];
    e.index = index0 + i;
    if (!std::isfinite(x)) {
      ++nonfinite;
      codes[i] = special_code(b, x, e);
      continue;
    }
    codes[i] = element_code(b, x == 0 ? Exact::zero(std::signbit(x)) : exact_quotient(x, S), e);
    clipped += std::fabs(x) > clip_at;
    flushed += x != 0 && code_is_zero(b, codes[i]);
  }
  env.flags |= e.flags;
  if (counts) counts->nonfinite += nonfinite, counts->clipped += clipped, counts->flushed_to_zero += flushed;
  return p;
}

BlockParams quantize_group_int(const BlockFormat& b, const double* in, size_t n, uint64_t index0, uint64_t* codes,
                               Env& env, BlockCounts* counts) {
  const Amax a = block_amax(in, n);
  const Format& sf = b.scale;
  BlockParams p;
  uint64_t nonfinite = 0, clipped = 0, flushed = 0;
  if (nan_scale_block(b, a, in, n, codes, p, counts)) return p;
  const int bits = b.int_bits;
  int64_t lo, hi;
  if (b.symmetric) {
    hi = (int64_t{1} << (bits - 1)) - 1;
    lo = -hi;  // symmetric: the most negative code is never produced
  } else {
    lo = 0;
    hi = (int64_t{1} << bits) - 1;
  }
  // The scale: range / levels, rounded into the scale format; zero range -> policy.
  const double range = b.symmetric ? a.amax : a.hi - a.lo;
  const uint64_t sc = quotient_scale_code(b, range, double(hi), sf.facts.min_code);
  p.scale_code = sc;
  const double s = code_value(sf, sc);
  int64_t z = 0;
  if (!b.symmetric) {
    Env ze;  // the zero point rounds to nearest even, as torch's observers and GPTQ
    z = std::clamp<int64_t>(round_integer(a.lo == 0 ? Exact::zero(false) : exact_quotient(-a.lo, s), ze), lo, hi);
    p.zero = int32_t(z);
  }
  const double clip_hi = double(hi - z) * s, clip_lo = double(lo - z) * s;
  Env e = env;
  for (size_t i = 0; i < n; ++i) {
    const double x = in[i];
    e.index = index0 + i;
    int64_t q;
    if (!std::isfinite(x)) {
      ++nonfinite;
      // NaN reads as zero (no NaN code); infinities saturate.
      q = std::isnan(x) ? z : (x > 0 ? hi : lo);
      if (std::isnan(x)) e.flags |= flag::invalid;
    } else {
      q = (x == 0 ? 0 : round_integer(exact_quotient(x, s), e)) + z;
      if (q > hi || q < lo) e.flags |= flag::overflow | flag::inexact;
      q = std::clamp(q, lo, hi);
      clipped += x > clip_hi || x < clip_lo;
      flushed += x != 0 && q == z;
    }
    codes[i] = b.symmetric ? twos(q, bits) : uint64_t(q);
  }
  env.flags |= e.flags;
  if (counts) counts->nonfinite += nonfinite, counts->clipped += clipped, counts->flushed_to_zero += flushed;
  return p;
}

// Absmax scaling of any scalar element (QLoRA's blockwise NF4, bitsandbytes): s = amax / max_elem
// rounded into the scale format (scale_round, saturating; an underflow to zero takes the smallest
// positive scale), elements = the element format's rounding of the exact x / s, saturating.
BlockParams quantize_absmax(const BlockFormat& b, const double* in, size_t n, uint64_t index0, uint64_t* codes,
                            Env& env, BlockCounts* counts) {
  const Amax a = block_amax(in, n);
  const Format& sf = b.scale;
  BlockParams p;
  uint64_t nonfinite = 0, clipped = 0, flushed = 0;
  if (nan_scale_block(b, a, in, n, codes, p, counts)) return p;
  const double max_elem = code_value(b.element, max_code(b.element, false));
  const uint64_t sc = quotient_scale_code(b, a.amax, max_elem, sf.facts.min_code);
  p.scale_code = sc;
  const double s = code_value(sf, sc);
  const double clip_at = max_elem * s;
  Env e = saturating(env);
  for (size_t i = 0; i < n; ++i) {
    const double x = in[i];
    e.index = index0 + i;
    if (!std::isfinite(x)) {
      ++nonfinite;
      codes[i] = special_code(b, x, e);
      continue;
    }
    codes[i] = element_code(b, x == 0 ? Exact::zero(std::signbit(x)) : exact_quotient(x, s), e);
    clipped += std::fabs(x) > clip_at;
    flushed += x != 0 && code_value(b.element, codes[i]) == 0;
  }
  env.flags |= e.flags;
  if (counts) counts->nonfinite += nonfinite, counts->clipped += clipped, counts->flushed_to_zero += flushed;
  return p;
}

}  // namespace

uint64_t pow2_scale_code(const BlockFormat& b, double amax, bool special) {
  const Format& sf = b.scale;  // unsigned, no mantissa, no zero, NaN = all ones: code = k + bias
  const int kmin = sf.facts.emin, kmax = sf.facts.emax, bias = sf.fp.bias;
  const uint64_t nan = sf.facts.code_mask;
  if (special && b.special == SpecialBlock::Nan) return nan;
  if (amax == 0) return uint64_t((b.zero == ZeroBlock::Min ? kmin : 0) + bias);
  int k = pow2_exponent(b, amax);
  if (k < kmin) k = kmin;  // every implementation clamps an underflowing scale
  if (k > kmax) {
    if (b.overflow == ScaleOverflow::Nan) return nan;
    k = kmax;
  }
  return uint64_t(k + bias);
}

double block_tensor_scale(const BlockFormat& b, double tensor_amax) {
  if (b.kind != BlockKind::Nvfp4 || b.tensor == TensorScale::None) return 1.0;
  if (!(tensor_amax > 0) || !std::isfinite(tensor_amax)) return 1.0;
  // s_t = amax / (max_scale * max_elem) rounded to float32 (RNE): 448 * 6 for NVFP4.
  Env e;
  const uint64_t c = round_to_format(float32_format(), exact_quotient(tensor_amax, max_value(b.scale) * max_value(b.element)), e);
  const double st = double(std::bit_cast<float>(uint32_t(c)));
  return st > 0 && std::isfinite(st) ? st : 1.0;
}

BlockParams quantize_block(const BlockFormat& b, const double* in, size_t n, double tensor_scale, uint64_t index0,
                           uint64_t* codes, Env& env, BlockCounts* counts) {
  switch (b.kind) {
    case BlockKind::Mx:
    case BlockKind::Bfp: return quantize_pow2(b, in, n, index0, codes, env, counts);
    case BlockKind::Nvfp4: return quantize_nvfp4(b, in, n, tensor_scale, index0, codes, env, counts);
    case BlockKind::GroupInt: return quantize_group_int(b, in, n, index0, codes, env, counts);
    case BlockKind::Absmax: return quantize_absmax(b, in, n, index0, codes, env, counts);
  }
  return {};
}

double block_scale_value(const BlockFormat& b, uint64_t scale_code) { return code_value(b.scale, scale_code); }

double dequantize_element(const BlockFormat& b, uint64_t code, const BlockParams& p, double tensor_scale) {
  const double s = block_scale_value(b, p.scale_code);
  if (std::isnan(s)) return NAN;
  switch (b.kind) {
    case BlockKind::Mx:
    case BlockKind::Bfp: {
      const int k = int(p.scale_code) - b.scale.fp.bias;
      if (b.int_element) return std::ldexp(double(sign_extend(code, b.int_bits)), k - b.int_frac);
      return std::ldexp(code_value(b.element, code), k);
    }
    case BlockKind::Nvfp4: return code_value(b.element, code) * (s * tensor_scale);
    case BlockKind::Absmax: return code_value(b.element, code) * s;  // exact: both significands <= 24 bits (float32 scale)
    case BlockKind::GroupInt: {
      const int64_t q = b.symmetric ? sign_extend(code, b.int_bits) : int64_t(code);
      return double(q - p.zero) * s;
    }
  }
  return NAN;
}

int block_code_bits(const BlockFormat& b) { return b.int_element ? b.int_bits : b.element.width(); }

}  // namespace bitexact
