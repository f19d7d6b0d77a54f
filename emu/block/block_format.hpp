// A block-scaled composite format: element Format + scale Format + block size + scale rule +
// the named policies a specification leaves open. One struct covers OCP MX v1.0, NVFP4, block
// floating point, group-wise affine INT and absmax-scaled groups of any scalar element (QLoRA's
// NF4); `kind` says which recipe chooses the scales.
// Semantics and sources: README.md "Block-scaled formats and tensors".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "emu/env.hpp"
#include "formats/format.hpp"

namespace bitexact {

enum class BlockKind : uint8_t {
  Mx,        // OCP MX v1.0: power-of-two scale (E8M0), element FP or INT
  Nvfp4,     // NVIDIA NVFP4: UE4M3 block scale times an FP32 per-tensor scale
  Bfp,       // block floating point: signed INT mantissas sharing one exponent
  GroupInt,  // group-wise affine INT: scale (and zero point) per group of elements
  Absmax,    // absmax scaling of any scalar element (QLoRA NF4): s = amax / max_elem per group
};

// How a power-of-two scale exponent is chosen from the block's largest magnitude amax
// (emax_elem: exponent of the element format's largest binade; max_elem: its largest value).
enum class ScaleRule : uint8_t {
  Floor,  // OCP MX Algorithm 1: floor(log2 amax) - emax_elem
  Rceil,  // cuBLAS: ceil(log2(amax / max_elem)), no element ever clips
  Ceil,   // ceil(log2 amax) - emax_elem
  Even,   // torchao EVEN: amax rounded (half up) to the element's mantissa width, then floor
};

// A scale exponent above the scale format's range.
enum class ScaleOverflow : uint8_t {
  Nan,       // the scale becomes NaN (microxcaling, torchao): the whole block reads as NaN
  Saturate,  // the largest scale (Universal's mxblock); elements then saturate
};

// The scale of a block whose elements are all zero.
enum class ZeroBlock : uint8_t {
  Min,  // the smallest scale (E8M0 0x00 = 2^-127; torchao, and microxcaling for FP elements)
  One,  // scale 1 (E8M0 0x7F)
};

// A block holding an Inf or NaN.
enum class SpecialBlock : uint8_t {
  Nan,      // the block's scale is NaN (torchao: a non-finite amax gives E8M0 0xFF)
  Element,  // the scale comes from the finite elements; Inf/NaN elements convert on their own
};

// Per-tensor scale of NVFP4.
enum class TensorScale : uint8_t {
  Amax,  // s_t = fp32(amax / (max_scale * max_elem)) = amax / (448 * 6), NVIDIA's recipe
  None,  // single-level scaling: s_t = 1 (torchao without per_tensor_scale)
};

struct BlockFormat {
  BlockKind kind = BlockKind::Mx;
  std::string base;      // scheme name without keys: mxfp4, nvfp4, bfp, int4, ...
  Format element;        // MX/NVFP4/Absmax: the element format; INT elements are integer grids (int_grid.hpp)
  Format scale;          // E8M0, UE4M3, float16, ...
  size_t block = 32;     // elements per block; 0 = the whole tensor (GroupInt only)
  ScaleRule rule = ScaleRule::Floor;
  ScaleOverflow overflow = ScaleOverflow::Nan;
  ZeroBlock zero = ZeroBlock::Min;
  SpecialBlock special = SpecialBlock::Nan;
  TensorScale tensor = TensorScale::Amax;
  RoundingMode scale_round = RoundingMode::RNE;  // NVFP4 / GroupInt / Absmax: rounding of the scale value

  // Integer elements (MXINT8, BFP, GroupInt): value = integer * 2^-frac_bits.
  bool int_element = false;
  int int_bits = 0;          // code width incl. sign (two's complement); unsigned for asymmetric GroupInt
  int int_frac = 0;
  bool symmetric = true;     // GroupInt: symmetric (no zero point) or asymmetric (zero point)

  int emax_elem = 0;         // MX/BFP: exponent of the element's largest binade
  int scale_exp_bits = 8;    // BFP: shared-exponent width (bias 2^(e-1)-1, all codes finite)

  // Optional random Hadamard rotation before quantization: size (power of two, 0 = none) and seed.
  size_t rht = 0;
  uint64_t seed = 0;

  bool operator==(const BlockFormat& o) const;
};

// Storage bits per element including the block scale (and zero point) overhead: MXFP4 4.25.
double block_bits_per_value(const BlockFormat& b);

// The canonical spelling: base name plus the keys that differ from the base's defaults.
std::string block_name(const BlockFormat& b);

const char* scale_rule_name(ScaleRule r);
const char* scale_overflow_name(ScaleOverflow p);
const char* zero_block_name(ZeroBlock p);
const char* special_block_name(SpecialBlock p);
const char* tensor_scale_name(TensorScale p);

}  // namespace bitexact
