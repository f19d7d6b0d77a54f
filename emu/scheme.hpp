// Quantization schemes: a scalar format, or a block-scaled composite (emu/block/). The spec
// grammar is in README.md "Block-scaled formats and tensors"; scheme_spec_help() prints it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "emu/block/block_format.hpp"
#include "emu/env.hpp"
#include "formats/format.hpp"

namespace bitexact {

struct Scheme {
  bool is_block = false;
  Format format;      // scalar schemes: the format (any parse_format spec)
  BlockFormat block;  // block schemes
};

// Throws FormatError with the position of the offending character.
Scheme parse_scheme(std::string_view spec);
std::string scheme_name(const Scheme& s);    // canonical spelling; parse_scheme(scheme_name(s)) == s
std::string scheme_family(const Scheme& s);  // "float", "int", ..., "mx", "nvfp4", "bfp", "group-int", "absmax"
double bits_per_value(const Scheme& s);      // storage incl. scale overhead (MXFP4 = 4.25)
size_t scheme_block_size(const Scheme& s);   // 0 for scalar schemes (and per-tensor groups)
const char* scheme_spec_help();

struct QuantizeStats {
  uint64_t clipped = 0;          // finite elements whose scaled magnitude exceeded the largest representable value
  uint64_t flushed_to_zero = 0;  // non-zero finite inputs that became zero
  uint64_t nonfinite = 0;        // NaN/Inf inputs
  std::vector<double> block_scale;  // per block: the decoded scale (NVFP4: block scale x tensor scale); empty for scalar
};

// The "fake quantization" used by error reports: out[i] is in[i] after quantize + dequantize.
// Deterministic for any thread count (stochastic rounding keyed by element index env.index + i).
// threads = 0: OpenMP's default.
void fake_quantize(const Scheme& s, std::span<const double> in, std::span<double> out, const Env& env,
                   QuantizeStats* stats = nullptr, int threads = 0);

}  // namespace bitexact
