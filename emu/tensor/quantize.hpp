// Real quantization of float32 / float64 arrays to any scheme (codes + scales), dequantization,
// in parallel with OpenMP. Results (codes, scales, flags, stats) are identical for any thread
// count: blocks are independent, stochastic rounding is keyed by the element's index
// (env.index + i), and reductions are integer sums, ORs and maxima.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "emu/env.hpp"
#include "emu/scheme.hpp"

namespace bitexact {

struct QuantizedTensor {
  std::string scheme;             // canonical scheme name
  size_t size = 0;                // elements
  int code_bits = 0;              // element code width
  int code_bytes = 1;             // bytes per code in `codes` (1, 2, 4 or 8), little-endian
  std::vector<uint8_t> codes;     // element codes, unpacked (emu/tensor/pack.hpp packs them)
  std::vector<uint64_t> scale_codes;  // one per block, in the scheme's scale format
  std::vector<int32_t> zero_points;   // asymmetric group INT: one per block
  double tensor_scale = 1;        // NVFP4's FP32 per-tensor scale (1 otherwise)

  uint64_t code(size_t i) const;
  void set_code(size_t i, uint64_t c);
};

// Flags are ORed into env.flags; env.index is the index of in[0] for stochastic rounding.
QuantizedTensor quantize(const Scheme& s, std::span<const float> in, Env& env, QuantizeStats* stats = nullptr,
                         int threads = 0);
QuantizedTensor quantize(const Scheme& s, std::span<const double> in, Env& env, QuantizeStats* stats = nullptr,
                         int threads = 0);

// Values exact in float64 (barring float64 overflow/underflow); float32 outputs are those values
// rounded to nearest even.
void dequantize(const Scheme& s, const QuantizedTensor& q, std::span<double> out, int threads = 0);
void dequantize(const Scheme& s, const QuantizedTensor& q, std::span<float> out, int threads = 0);

// The generic per-element path only (no fast path): tests prove the fast paths equal it.
QuantizedTensor quantize_reference(const Scheme& s, std::span<const float> in, Env& env,
                                   QuantizeStats* stats = nullptr, int threads = 0);

}  // namespace bitexact
