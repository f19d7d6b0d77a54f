// The named block schemes and their defaults (sources in README.md "Block-scaled formats and tensors").
#pragma once

#include <optional>
#include <string_view>

#include "emu/block/block_format.hpp"

namespace bitexact {

// mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4, mxint8, mx (element set later), nvfp4,
// bfp, intN / uintN (group-wise affine INT, N = 2..16), absmax (element set later, as mx);
// nullopt for any other name.
std::optional<BlockFormat> block_base(std::string_view name);

// The defaults of b's base, keeping b's element / widths (so keys print only when they differ).
BlockFormat block_base_defaults(const BlockFormat& b);

// Sets an MX element format (emax_elem follows it).
void set_mx_element(BlockFormat& b, const Format& element);
// Sets the element of an absmax scheme (any scalar format: float, INT, codebook).
void set_absmax_element(BlockFormat& b, const Format& element);
// BFP: m-bit two's-complement mantissas (sign included) and an e-bit shared exponent.
void set_bfp_widths(BlockFormat& b, int m, int e);
// Power-of-two scale format with e exponent bits: E8M0 for e = 8.
Format pow2_scale_format(int e);

}  // namespace bitexact
