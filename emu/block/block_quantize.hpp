// The generic (reference) block quantizer: one block at a time, every element through THE
// rounding routine applied to the exactly scaled value. Fast paths (fast_paths.hpp) must equal it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emu/block/block_format.hpp"
#include "emu/env.hpp"

namespace bitexact {

// What one block stores besides its element codes.
struct BlockParams {
  uint64_t scale_code = 0;  // code in b.scale (E8M0 / UE4M3 / float16 ...)
  int32_t zero = 0;         // GroupInt asymmetric: the zero point
};

struct BlockCounts {
  uint64_t clipped = 0;          // finite elements with |x / scale| above the element's largest value
  uint64_t flushed_to_zero = 0;  // non-zero finite inputs whose element code is zero
  uint64_t nonfinite = 0;        // NaN / Inf inputs
};

// The per-tensor scale (NVFP4; 1 for the other kinds) from the largest finite magnitude.
double block_tensor_scale(const BlockFormat& b, double tensor_amax);

// Quantizes in[0..n) as one block: element i rounds under env with env.index = index0 + i
// (stochastic modes are keyed by the element's index in the tensor). Flags go to env.flags.
BlockParams quantize_block(const BlockFormat& b, const double* in, size_t n, double tensor_scale,
                           uint64_t index0, uint64_t* codes, Env& env, BlockCounts* counts);

// The scale code of a power-of-two block (MX, BFP) from its largest finite magnitude and
// whether it holds an Inf/NaN: the scale rule, then the range clamp and the policies.
uint64_t pow2_scale_code(const BlockFormat& b, double amax, bool special);

// The decoded scale of a block (NaN for a NaN scale), tensor scale not applied.
double block_scale_value(const BlockFormat& b, uint64_t scale_code);

// The value an element code stands for, scale and tensor scale applied (exact in float64
// barring float64 underflow/overflow).
double dequantize_element(const BlockFormat& b, uint64_t code, const BlockParams& p, double tensor_scale);

// Element code width in bits.
int block_code_bits(const BlockFormat& b);

}  // namespace bitexact
