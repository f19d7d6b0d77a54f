// LLM layer-shape presets: the linear projections of one transformer block as GEMMs with the
// tokens as M (M = batch * sequence for prefill, the batch for one decode step), K = input
// features, N = output features, and the weights' storage bits. Sources per model in layers.cpp.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "hwmodel/gemm_runner.hpp"

namespace bitexact::hw {

struct LayerShape {
  std::string_view name;  // q_proj, k_proj, ...
  uint64_t K = 0, N = 0;  // input and output features
  double weight_bits = 16;
  int per_block = 1;      // how many such GEMMs one transformer block has
};

struct ModelPreset {
  std::string_view name, source;
  int blocks = 0;  // transformer blocks (layers)
  std::span<const LayerShape> layers;
};

std::span<const ModelPreset> model_presets();  // llama2-7b, bitnet-b1.58-3b
// Throws std::invalid_argument naming the presets when `name` is not one.
const ModelPreset& model_preset(std::string_view name);

// The GEMM of one projection for `tokens` tokens.
inline GemmShape layer_gemm(const LayerShape& l, uint64_t tokens) { return GemmShape{tokens, l.N, l.K}; }

}  // namespace bitexact::hw
