#include "emu/scheme.hpp"

#include <cctype>
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "emu/block/block_bases.hpp"
#include "formats/codec.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "formats/spec_term.hpp"

namespace bitexact {

namespace {

unsigned char uc(char c) { return static_cast<unsigned char>(c); }

[[noreturn]] void fail(std::string_view spec, const std::string& msg, size_t at) {
  throw FormatError("bad scheme spec: " + msg, std::string(spec), std::min(at, spec.size()));
}

using Key = SpecArg;

// NAME<k=v,...>: values may hold nested <...> (elem=float<e=3,m=2>).
std::vector<Key> split_keys(std::string_view s, size_t open) { return split_nested_args(s, open, "bad scheme spec"); }

uint64_t uint_value(std::string_view spec, const Key& k, uint64_t lo, uint64_t hi) {
  uint64_t x = 0;
  for (char c : k.value) {
    if (!std::isdigit(uc(c))) fail(spec, fmt::format("'{}' is not a non-negative integer", k.value), k.value_pos);
    if (x > (~uint64_t{0} - 9) / 10) fail(spec, fmt::format("'{}' is out of range", k.value), k.value_pos);
    x = x * 10 + uint64_t(c - '0');
  }
  if (x < lo || x > hi) fail(spec, fmt::format("'{}' is out of range {}..{}", k.value, lo, hi), k.value_pos);
  return x;
}

template <class E>
E choice(std::string_view spec, const Key& k, std::initializer_list<std::pair<const char*, E>> options) {
  std::string names;
  for (const auto& [n, v] : options) {
    if (k.value == n) return v;
    names += (names.empty() ? "" : ", ") + std::string(n);
  }
  fail(spec, fmt::format("'{}' is not a valid {} (expected {})", k.value, k.key, names), k.value_pos);
}

Format format_value(std::string_view spec, const Key& k) { return parse_format_arg(spec, k, "bad scheme spec"); }

// An absmax element: any scalar format of at most 16 bits with a positive largest value.
Format absmax_element(std::string_view spec, const Format& f, size_t at) {
  if (f.width() > 16) fail(spec, "elem: an absmax element must be a format of at most 16 bits", at);
  const Unpacked m = decode(f, max_code(f, false));
  if (m.cls != ValueClass::Finite || m.sign) fail(spec, "elem: the element format needs a positive largest value", at);
  // The scale is amax / largest in binary64: the largest value must be a finite double (e12m1's is not).
  if (!std::isfinite(to_double(m))) fail(spec, "elem: the element's largest value must fit a binary64 double", at);
  return f;
}

BlockFormat parse_block(std::string_view spec, BlockFormat b, const std::vector<Key>& keys) {
  int bfp_m = b.int_bits, bfp_e = 8;
  const bool gi = b.kind == BlockKind::GroupInt;
  const bool am = b.kind == BlockKind::Absmax;
  for (const Key& k : keys) {
    const std::string& n = k.key;
    if (n == "block" && !gi && !am) {
      b.block = uint_value(spec, k, 1, 1u << 20);
    } else if (n == "group" && (gi || am)) {
      b.block = k.value == "tensor" ? 0 : uint_value(spec, k, 1, 1u << 30);
    } else if (n == "rule" && (b.kind == BlockKind::Mx || b.kind == BlockKind::Bfp)) {
      b.rule = choice<ScaleRule>(spec, k, {{"floor", ScaleRule::Floor}, {"rceil", ScaleRule::Rceil},
                                           {"ceil", ScaleRule::Ceil}, {"even", ScaleRule::Even}});
    } else if (n == "overflow" && (b.kind == BlockKind::Mx || b.kind == BlockKind::Bfp)) {
      b.overflow = choice<ScaleOverflow>(spec, k, {{"nan", ScaleOverflow::Nan}, {"saturate", ScaleOverflow::Saturate}});
    } else if (n == "zero") {
      b.zero = choice<ZeroBlock>(spec, k, {{"min", ZeroBlock::Min}, {"one", ZeroBlock::One}});
    } else if (n == "special") {
      b.special = choice<SpecialBlock>(spec, k, {{"nan", SpecialBlock::Nan}, {"element", SpecialBlock::Element}});
    } else if (n == "tensor" && b.kind == BlockKind::Nvfp4) {
      b.tensor = choice<TensorScale>(spec, k, {{"amax", TensorScale::Amax}, {"none", TensorScale::None}});
    } else if (n == "scale" && b.kind != BlockKind::Bfp) {
      Format f = format_value(spec, k);
      if (f.family != Family::Float) fail(spec, "scale: needs a float format", k.value_pos);
      if (b.kind == BlockKind::Mx && (f.fp.man_bits != 0 || f.fp.is_signed || f.fp.has_zero))
        fail(spec, "scale: an MX scale must be a power-of-two format without sign or zero (e8m0 style)", k.value_pos);
      if (b.kind == BlockKind::Mx && f.facts.emin > -1)
        fail(spec, "scale: the scale format needs negative exponents", k.value_pos);
      b.scale = f;
    } else if (n == "scale_round" && (b.kind == BlockKind::Nvfp4 || gi || am)) {
      int bits = 0;
      try {
        b.scale_round = parse_rounding(k.value, &bits);
      } catch (const std::invalid_argument& e) {
        fail(spec, e.what(), k.value_pos);
      }
      if (b.scale_round == RoundingMode::SR || b.scale_round == RoundingMode::SRR)
        fail(spec, "scale_round: scales round deterministically (not sr)", k.value_pos);
    } else if (n == "elem" && b.base == "mx") {
      Format f = format_value(spec, k);
      if (f.family != Family::Float || !f.fp.is_signed || f.width() > 16)
        fail(spec, "elem: an MX element must be a signed float format of at most 16 bits", k.value_pos);
      set_mx_element(b, f);
    } else if (n == "elem" && am) {
      set_absmax_element(b, absmax_element(spec, format_value(spec, k), k.value_pos));
    } else if (n == "m" && b.kind == BlockKind::Bfp) {
      bfp_m = int(uint_value(spec, k, 2, 32));
    } else if (n == "e" && b.kind == BlockKind::Bfp) {
      bfp_e = int(uint_value(spec, k, 2, 15));
    } else if (n == "rht") {
      b.rht = uint_value(spec, k, 0, 1u << 16);
      if (b.rht & (b.rht - 1)) fail(spec, "rht: the rotation size must be a power of two", k.value_pos);
      if (b.rht == 1) b.rht = 0;
    } else if (n == "seed") {
      b.seed = uint_value(spec, k, 0, ~uint64_t{0});
    } else {
      fail(spec, fmt::format("unknown key '{}' for {}", n, b.base), k.key_pos);
    }
  }
  if (b.kind == BlockKind::Bfp) set_bfp_widths(b, bfp_m, bfp_e);
  return b;
}

}  // namespace

Scheme parse_scheme(std::string_view spec) {
  size_t i = 0;
  while (i < spec.size() && std::isspace(uc(spec[i]))) ++i;
  const size_t ns = i;
  while (i < spec.size() && (std::isalnum(uc(spec[i])) || spec[i] == '_')) ++i;
  std::string name(spec.substr(ns, i - ns));
  for (char& c : name) c = char(std::tolower(uc(c)));
  size_t j = i;
  while (j < spec.size() && std::isspace(uc(spec[j]))) ++j;
  const bool has_keys = j < spec.size() && spec[j] == '<';
  Scheme s;
  if (std::optional<BlockFormat> base = block_base(name)) {
    std::vector<Key> keys;
    if (has_keys) keys = split_keys(spec, j);
    else if (j != spec.size()) fail(spec, "unexpected trailing characters", j);
    bool is_group = base->kind != BlockKind::GroupInt;
    for (const Key& k : keys) is_group = is_group || k.key == "group";
    if (is_group) {
      if ((name == "mx" || name == "absmax") &&
          [&] { for (const Key& k : keys) if (k.key == "elem") return false; return true; }())
        fail(spec, name + "<...> needs elem=FORMAT", ns);
      s.is_block = true;
      s.block = parse_block(spec, *base, keys);
      return s;
    }
  }
  // ELEMENT<group=G,...>: absmax scaling of a scalar element (a group key is never a format key).
  if (has_keys) {
    std::vector<Key> keys;
    try {
      keys = split_keys(spec, j);
    } catch (const FormatError&) {
      keys.clear();  // not key=value syntax (posit<8,2>, ...): a format spec
    }
    bool grouped = false;
    for (const Key& k : keys) {
      grouped = grouped || k.key == "group";
      if (k.key == "elem") grouped = false;
    }
    if (grouped) {
      BlockFormat b = *block_base("absmax");
      Format f;
      try {
        f = parse_format(std::string(spec.substr(ns, i - ns)));
      } catch (const FormatError& e) {
        fail(spec, e.what(), e.position() == FormatError::npos ? ns : ns + e.position());
      }
      set_absmax_element(b, absmax_element(spec, f, ns));
      s.is_block = true;
      s.block = parse_block(spec, b, keys);
      return s;
    }
  }
  s.format = parse_format(spec);
  return s;
}

std::string scheme_name(const Scheme& s) { return s.is_block ? block_name(s.block) : s.format.name; }

std::string scheme_family(const Scheme& s) {
  if (!s.is_block) return family_name(s.format.family);
  switch (s.block.kind) {
    case BlockKind::Mx: return "mx";
    case BlockKind::Nvfp4: return "nvfp4";
    case BlockKind::Bfp: return "bfp";
    case BlockKind::GroupInt: return "group-int";
    case BlockKind::Absmax: return "absmax";
  }
  return "block";
}

double bits_per_value(const Scheme& s) { return s.is_block ? block_bits_per_value(s.block) : s.format.width(); }

size_t scheme_block_size(const Scheme& s) { return s.is_block ? s.block.block : 0; }

const char* scheme_spec_help() {
  return "A scheme is a scalar format spec (see formats --help) or a block scheme NAME<key=value,...>:\n"
         "  mxfp8_e4m3 mxfp8_e5m2 mxfp6_e2m3 mxfp6_e3m2 mxfp4 mxint8   OCP MX v1.0 (block 32, E8M0 scale)\n"
         "  mx<elem=FORMAT>    MX with any signed float element\n"
         "  nvfp4              E2M1 elements, block 16, UE4M3 scale, FP32 per-tensor scale\n"
         "  bfp<m=M,e=E>       block floating point: M-bit INT mantissas, one E-bit exponent per block\n"
         "  intN<group=G> uintN<group=G>   group-wise affine INT (symmetric / asymmetric with zero point)\n"
         "  absmax<elem=FORMAT,group=G>    absmax scaling of any scalar element (QLoRA: nf4, group 64,\n"
         "                     float32 scale); short form FORMAT<group=G> (nf4<group=64>, e2m1<group=32>)\n"
         "keys: block=N  group=N|tensor  elem=FORMAT  rule=floor|rceil|ceil|even  overflow=nan|saturate  zero=min|one\n"
         "      special=nan|element  tensor=amax|none  scale=FORMAT  scale_round=MODE\n"
         "      rht=N (random Hadamard rotation of N elements)  seed=S\n";
}

}  // namespace bitexact
