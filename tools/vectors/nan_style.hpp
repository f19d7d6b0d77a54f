// Which NaN code a vector file holds where the result is a NaN. The core always returns the
// format's canonical NaN (positive, quiet; SEMANTICS.md), as SoftFloat's RISCV specialisation
// does. testfloat_gen built on x86-64 (SoftFloat's default 8086-SSE specialisation) writes
// instead: the first NaN operand, quieted (a before b before c; a convert keeps the sign and the
// top payload bits), or, when no operand is a NaN, the x86 default NaN (sign set, quiet bit
// only: 0xFE00 for float16). Only the NaN code changes, never the flags, and only for formats
// with IEEE NaNs; other formats, and dot products, keep the core's code.
#pragma once

#include <cstdint>
#include <string_view>

#include "tools/vectors/vector_op.hpp"

namespace bitexact::vectors {

enum class NanStyle : uint8_t { Canonical, X86 };

NanStyle parse_nan_style(std::string_view s);  // "canonical" | "x86"; std::invalid_argument otherwise
std::string_view nan_style_name(NanStyle s);

// The result code under style, given the core's result r for operands x.
uint64_t apply_nan_style(NanStyle style, const VectorOp& op, const uint64_t* x, uint64_t r);

}  // namespace bitexact::vectors
