#include "hwmodel/layers.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace bitexact::hw {

namespace {

// Llama 2 7B: hidden 4096, 32 heads of 128 (multi-head attention, no GQA at 7B), SwiGLU FFN of
// 11008, 32 blocks; weights released in FP16/BF16. Touvron et al., "Llama 2: Open Foundation and
// Fine-Tuned Chat Models", arXiv 2307.09288 (Table 1 and §2.2), and the meta-llama/Llama-2-7b-hf
// config.json (hidden_size 4096, intermediate_size 11008, num_hidden_layers 32).
constexpr std::array<LayerShape, 7> kLlama2_7b{{
    {"q_proj", 4096, 4096, 16, 1},
    {"k_proj", 4096, 4096, 16, 1},
    {"v_proj", 4096, 4096, 16, 1},
    {"o_proj", 4096, 4096, 16, 1},
    {"gate_proj", 4096, 11008, 16, 1},
    {"up_proj", 4096, 11008, 16, 1},
    {"down_proj", 11008, 4096, 16, 1},
}};

// BitNet b1.58 3B: the LLaMA-style 3B shape (hidden 3200, FFN 8640, 26 blocks, 32 heads) with
// ternary BitLinear weights {-1, 0, +1} (1.58 bits of information, stored as 2-bit codes as in
// bitnet.cpp's I2_S / the LUT Tensor Core's W_INT2 evaluation) and 8-bit activations. Ma et al.,
// "The Era of 1-bit LLMs: All Large Language Models are in 1.58 Bits", arXiv 2402.17764 (Table 1/2,
// 3B size), and the 1bitLLM/bitnet_b1_58-3B reproduction's config.json (hidden_size 3200,
// intermediate_size 8640, num_hidden_layers 26).
constexpr std::array<LayerShape, 7> kBitnet3b{{
    {"q_proj", 3200, 3200, 2, 1},
    {"k_proj", 3200, 3200, 2, 1},
    {"v_proj", 3200, 3200, 2, 1},
    {"o_proj", 3200, 3200, 2, 1},
    {"gate_proj", 3200, 8640, 2, 1},
    {"up_proj", 3200, 8640, 2, 1},
    {"down_proj", 8640, 3200, 2, 1},
}};

const std::array<ModelPreset, 2> kModels{{
    {"llama2-7b", "Touvron et al. arXiv 2307.09288; meta-llama/Llama-2-7b-hf config.json", 32, kLlama2_7b},
    {"bitnet-b1.58-3b", "Ma et al. arXiv 2402.17764; 1bitLLM/bitnet_b1_58-3B config.json", 26, kBitnet3b},
}};

}  // namespace

std::span<const ModelPreset> model_presets() { return kModels; }

const ModelPreset& model_preset(std::string_view name) {
  for (const ModelPreset& m : kModels)
    if (m.name == name) return m;
  std::string known;
  for (const ModelPreset& m : kModels) known += (known.empty() ? "" : ", ") + std::string(m.name);
  throw std::invalid_argument("unknown model preset '" + std::string(name) + "' (" + known + ")");
}

}  // namespace bitexact::hw
