// Float32 fast paths for block quantization (MX with float elements, NVFP4 with RNE). Each
// produces exactly what quantize_block() produces — codes, scale codes, counts and flags —
// which tests/emu/test_block_tensor.cpp checks on seeded random tensors with ties and edge blocks.
#pragma once

#include <cstddef>
#include <cstdint>

#include "emu/block/block_format.hpp"
#include "emu/block/block_quantize.hpp"
#include "emu/env.hpp"

namespace bitexact {

inline constexpr size_t kFastChunkBlocks = 32;

bool block_fast_path(const BlockFormat& b, const Env& env);

// Blocks [first, last) of in[0..n) (block size b.block): 1-byte codes and the scale codes.
void quantize_blocks_fast(const BlockFormat& b, const float* in, size_t n, size_t first, size_t last,
                          double tensor_scale, uint8_t* codes, uint64_t* scale_codes, Env& env, BlockCounts* counts);

}  // namespace bitexact
