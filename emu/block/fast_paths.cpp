#include "emu/block/fast_paths.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "emu/bulk_convert.hpp"

namespace bitexact {

namespace {

constexpr size_t kMaxBlock = 64;

bool is_e8m0(const Format& f) {
  return f.fp.exp_bits == 8 && f.fp.man_bits == 0 && f.fp.bias == 127 && !f.fp.is_signed && !f.fp.has_zero;
}
bool is_ue4m3(const Format& f) {
  return f.fp.exp_bits == 4 && f.fp.man_bits == 3 && f.fp.bias == 7 && !f.fp.is_signed && f.fp.has_zero &&
         f.fp.subnormals && f.fp.nan == NanPolicy::AllOnes && f.fp.inf == InfPolicy::None;
}
bool is_e2m1(const Format& f) {
  return f.fp.exp_bits == 2 && f.fp.man_bits == 1 && f.fp.bias == 1 && f.fp.is_signed && f.fp.has_zero &&
         f.fp.subnormals && f.fp.nan == NanPolicy::None && f.fp.inf == InfPolicy::None;
}

Env saturating(const Env& env) {
  Env e = env;
  e.overflow = OverflowPolicy::Saturate;
  return e;
}

uint32_t bits_of(float x) { return std::bit_cast<uint32_t>(x); }

// Largest magnitude bit pattern of a block (>= 0x7F800000: the block holds an Inf or NaN).
uint32_t amax_bits(const float* x, size_t len) {
  uint32_t m = 0;
  for (size_t i = 0; i < len; ++i) m = std::max(m, bits_of(x[i]) & 0x7FFFFFFFu);
  return m;
}

// The generic path for one block (specials, scale NaN, float32 underflow of the scaled values).
void generic_block(const BlockFormat& b, const float* x, size_t len, double st, uint64_t index0, uint8_t* codes,
                   uint64_t* scale_code, Env& env, BlockCounts* counts) {
  double v[kMaxBlock] = {};
  uint64_t c[kMaxBlock];
  for (size_t i = 0; i < len; ++i) v[i] = x[i];
  *scale_code = quantize_block(b, v, len, st, index0, c, env, counts).scale_code;
  for (size_t i = 0; i < len; ++i) codes[i] = uint8_t(c[i]);
}

void mx_fast(const BlockFormat& b, const float* in, size_t n, size_t first, size_t last, uint8_t* codes,
             uint64_t* scale_codes, Env& env, BlockCounts* counts) {
  const size_t bs = b.block;
  float scaled[kFastChunkBlocks * kMaxBlock];
  uint16_t out[kFastChunkBlocks * kMaxBlock];
  bool generic[kFastChunkBlocks];
  const size_t start = first * bs, end = std::min(n, last * bs), total = end - start;
  // float, so the scaling loop vectorises (every element format's max is exact in float32)
  const float maxv = float(max_finite(b.element).approx());
  const uint64_t sign_bit = b.element.facts.sign_bit;
  uint64_t clipped = 0;
  for (size_t k = first; k < last; ++k) {
    const size_t s = k * bs, len = std::min(bs, n - s);
    const float* x = in + s;
    float* y = scaled + (s - start);
    const uint32_t m = amax_bits(x, len);
    uint64_t sc = 0;
    bool slow = m >= 0x7F800000u;
    if (!slow) {
      sc = pow2_scale_code(b, double(std::bit_cast<float>(m)), false);
      slow = sc == 0xFF;
    }
    if (!slow) {
      const float f = std::ldexp(1.0f, 127 - int(sc));  // 2^-k, exact for k in [-127, 127]
      uint32_t under = 0, clip = 0;
      for (size_t i = 0; i < len; ++i) {
        y[i] = x[i] * f;
        // A non-zero product below float32's normal range may have lost bits: exactness check.
        under |= uint32_t(x[i] != 0.0f) & uint32_t(std::fabs(y[i]) < 0x1p-126f);
        clip += uint32_t(std::fabs(y[i]) > maxv);
      }
      clipped += clip;
      slow = under != 0;
      if (slow) {
        for (size_t i = 0; i < len; ++i) clipped -= std::fabs(y[i]) > maxv;
      }
    }
    generic[k - first] = slow;
    if (slow) std::fill(y, y + len, 0.0f);
    else scale_codes[k] = sc;
  }
  Env e = saturating(env);
  convert_float32_bulk(scaled, out, total, b.element, e);
  env.flags |= e.flags;
  uint64_t flushed = 0;
  for (size_t i = 0; i < total; ++i) {
    codes[start + i] = uint8_t(out[i]);
    flushed += in[start + i] != 0.0f && (out[i] & ~sign_bit) == 0;
  }
  for (size_t k = first; k < last; ++k) {
    if (!generic[k - first]) continue;
    const size_t s = k * bs, len = std::min(bs, n - s);
    for (size_t i = 0; i < len; ++i) flushed -= in[s + i] != 0.0f && (out[s - start + i] & ~sign_bit) == 0;
    generic_block(b, in + s, len, 1.0, env.index + s, codes + s, scale_codes + k, env, counts);
  }
  counts->clipped += clipped;
  counts->flushed_to_zero += flushed;
}

// E4M3 (unsigned) code of q rounded to nearest even, q clamped to [2^-6, 448] first.
uint64_t ue4m3_rne(double q) {
  q = std::clamp(q, 0x1p-6, 448.0);
  uint64_t u = std::bit_cast<uint64_t>(q);
  u += (uint64_t{1} << 48) - 1 + ((u >> 49) & 1);
  const int e = int((u >> 52) & 0x7FF) - 1023;
  return (uint64_t(e + 7) << 3) | ((u >> 49) & 7);
}

double ue4m3_value(uint64_t c) {
  const int field = int(c >> 3), man = int(c & 7);
  return field ? std::ldexp(8.0 + man, field - 7 - 3) : std::ldexp(double(man), -9);
}

void nvfp4_fast(const BlockFormat& b, const float* in, size_t n, size_t first, size_t last, double st,
                uint8_t* codes, uint64_t* scale_codes, Env& env, BlockCounts* counts) {
  static constexpr double kMid[7] = {0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0};
  static constexpr double kVal[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  const size_t bs = b.block;
  const double tiny_at = env.tininess == Tininess::AfterRounding ? 0.875 : 1.0;
  uint64_t clipped = 0, flushed = 0;
  uint32_t inexact = 0, underflow = 0, overflow = 0;
  for (size_t k = first; k < last; ++k) {
    const size_t s = k * bs, len = std::min(bs, n - s);
    const float* x = in + s;
    const uint32_t m = amax_bits(x, len);
    if (m >= 0x7F800000u) {
      generic_block(b, x, len, st, env.index + s, codes + s, scale_codes + k, env, counts);
      continue;
    }
    uint64_t sc;
    if (m == 0) sc = b.zero == ZeroBlock::Min ? 8 : 0x38;  // 2^-6 (smallest normal) or 1.0
    else sc = ue4m3_rne(double(std::bit_cast<float>(m)) / (6.0 * st));
    scale_codes[k] = sc;
    const double S = st * ue4m3_value(sc);
    double T[7];
    for (int j = 0; j < 7; ++j) T[j] = kMid[j] * S;
    const double tiny = tiny_at * S, over = 7.0 * S, clip = 6.0 * S;
    for (size_t i = 0; i < len; ++i) {
      const double ax = std::fabs(double(x[i]));
      uint32_t mag = 0;
      for (int j = 0; j < 7; ++j) mag += uint32_t(ax > T[j]) | (uint32_t(ax == T[j]) & uint32_t(j & 1));
      codes[s + i] = uint8_t(mag | ((bits_of(x[i]) >> 31) << 3));
      const uint32_t inex = uint32_t(ax != kVal[mag] * S);
      inexact |= inex;
      underflow |= inex & uint32_t(ax < tiny);
      overflow |= uint32_t(ax >= over);
      clipped += ax > clip;
      flushed += uint32_t(ax != 0) & uint32_t(mag == 0);
    }
  }
  env.flags |= (inexact ? flag::inexact : 0) | (underflow ? flag::underflow : 0) |
               (overflow ? flag::overflow | flag::inexact : 0);
  counts->clipped += clipped;
  counts->flushed_to_zero += flushed;
}

}  // namespace

bool block_fast_path(const BlockFormat& b, const Env& env) {
  if (b.block == 0 || b.block > kMaxBlock || env.subnormals != SubnormalPolicy::Keep) return false;
  if (env.mode == RoundingMode::SR || env.mode == RoundingMode::SRR) return false;
  if (b.kind == BlockKind::Mx)
    return !b.int_element && is_e8m0(b.scale) && b.element.width() <= 8 && bulk_fast_path(b.element, saturating(env));
  if (b.kind == BlockKind::Nvfp4)
    return env.mode == RoundingMode::RNE && b.scale_round == RoundingMode::RNE && is_e2m1(b.element) &&
           is_ue4m3(b.scale);
  return false;
}

void quantize_blocks_fast(const BlockFormat& b, const float* in, size_t n, size_t first, size_t last,
                          double tensor_scale, uint8_t* codes, uint64_t* scale_codes, Env& env, BlockCounts* counts) {
  if (b.kind == BlockKind::Mx) mx_fast(b, in, n, first, last, codes, scale_codes, env, counts);
  else nvfp4_fast(b, in, n, first, last, tensor_scale, codes, scale_codes, env, counts);
}

}  // namespace bitexact
