#include "emu/block/block_bases.hpp"

#include <string>

#include <fmt/format.h>

#include "emu/block/int_grid.hpp"
#include "formats/spec.hpp"

namespace bitexact {

namespace {

BlockFormat mx(const char* base, const char* element) {
  BlockFormat b;
  b.kind = BlockKind::Mx;
  b.base = base;
  b.scale = parse_format("float8_e8m0fnu");
  b.block = 32;
  set_mx_element(b, parse_format(element));
  return b;
}

}  // namespace

Format pow2_scale_format(int e) {
  if (e == 8) return parse_format("float8_e8m0fnu");
  FloatParams p;
  p.exp_bits = e;
  p.man_bits = 0;
  p.bias = (1 << (e - 1)) - 1;
  p.is_signed = false;
  p.subnormals = false;
  p.has_zero = false;
  p.inf = InfPolicy::None;
  p.nan = NanPolicy::AllOnes;
  return make_float_format(fmt::format("e{}m0", e), p);
}

void set_mx_element(BlockFormat& b, const Format& element) {
  b.element = element;
  b.int_element = false;
  b.emax_elem = element.facts.emax;
}

void set_absmax_element(BlockFormat& b, const Format& element) {
  b.element = element;
  b.int_element = false;
  b.emax_elem = 0;
}

void set_bfp_widths(BlockFormat& b, int m, int e) {
  // m-bit mantissas: -(2^(m-1)-1)..2^(m-1)-1 times 2^-(m-2), so the largest binade is [1, 2)
  // (emax_elem 0) and the shared exponent is floor(log2 amax), as MXINT8 (= bfp<m=8,block=32>).
  b.int_element = true;
  b.int_bits = m;
  b.int_frac = m - 2;
  b.element = make_int_grid(m - 1, m - 2);
  b.emax_elem = 0;
  b.scale_exp_bits = e;
  b.scale = pow2_scale_format(e);
}

std::optional<BlockFormat> block_base(std::string_view name) {
  if (name == "mxfp8_e4m3") return mx("mxfp8_e4m3", "float8_e4m3fn");
  if (name == "mxfp8_e5m2") return mx("mxfp8_e5m2", "float8_e5m2");
  if (name == "mxfp6_e2m3") return mx("mxfp6_e2m3", "float6_e2m3fn");
  if (name == "mxfp6_e3m2") return mx("mxfp6_e3m2", "float6_e3m2fn");
  if (name == "mxfp4") return mx("mxfp4", "float4_e2m1fn");
  if (name == "mx") return mx("mx", "float8_e4m3fn");
  if (name == "mxint8") {
    BlockFormat b = mx("mxint8", "float8_e4m3fn");
    set_bfp_widths(b, 8, 8);  // MX v1.0 MXINT8: int8 times 2^-6, -128 unused, E8M0 scale
    return b;
  }
  if (name == "nvfp4") {
    BlockFormat b;
    b.kind = BlockKind::Nvfp4;
    b.base = "nvfp4";
    b.element = parse_format("float4_e2m1fn");
    b.scale = parse_format("ue4m3");
    b.block = 16;
    return b;
  }
  if (name == "bfp") {
    BlockFormat b;
    b.kind = BlockKind::Bfp;
    b.base = "bfp";
    b.block = 16;
    b.overflow = ScaleOverflow::Saturate;
    b.special = SpecialBlock::Element;
    set_bfp_widths(b, 8, 8);
    return b;
  }
  if (name == "absmax") {
    // QLoRA (Dettmers et al., 2023) / bitsandbytes blockwise quantization: groups of 64, one
    // float32 absmax constant per group. The element is set by elem=FORMAT (set_absmax_element).
    BlockFormat b;
    b.kind = BlockKind::Absmax;
    b.base = "absmax";
    b.block = 64;
    b.scale = parse_format("float32");
    b.zero = ZeroBlock::One;
    b.special = SpecialBlock::Element;
    set_absmax_element(b, parse_format("nf4"));
    return b;
  }
  // intN / uintN: group-wise affine INT.
  // (The prefix test comes first: a name shorter than "int" has no digits to take.)
  const bool is_u = name.rfind("uint", 0) == 0;
  const bool is_i = is_u || name.rfind("int", 0) == 0;
  const std::string_view digits = is_i ? name.substr(is_u ? 4 : 3) : std::string_view();
  if (is_i && !digits.empty() && digits.size() <= 2 &&
      digits.find_first_not_of("0123456789") == std::string_view::npos) {
    const int bits = std::stoi(std::string(digits));
    if (bits < 2 || bits > 16) return std::nullopt;
    BlockFormat b;
    b.kind = BlockKind::GroupInt;
    b.base = std::string(name);
    b.int_element = true;
    b.int_bits = bits;
    b.symmetric = !is_u;
    b.block = 128;
    b.scale = parse_format("float16");
    b.zero = ZeroBlock::One;
    b.special = SpecialBlock::Element;
    b.element = make_int_grid(bits, 0);  // the rounding grid before clamping (emu/block/block_quantize.cpp)
    return b;
  }
  return std::nullopt;
}

BlockFormat block_base_defaults(const BlockFormat& b) {
  BlockFormat d = *block_base(b.base);
  if (b.base == "mx") set_mx_element(d, b.element);
  if (b.kind == BlockKind::Absmax) set_absmax_element(d, b.element);
  if (b.kind == BlockKind::Bfp) set_bfp_widths(d, b.int_bits, 8);
  return d;
}

}  // namespace bitexact
