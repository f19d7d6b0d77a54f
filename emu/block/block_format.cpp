#include "emu/block/block_format.hpp"

#include <fmt/format.h>

#include "emu/block/block_bases.hpp"

namespace bitexact {

bool BlockFormat::operator==(const BlockFormat& o) const {
  return kind == o.kind && base == o.base && element.fp == o.element.fp &&
         element.name == o.element.name && scale.fp == o.scale.fp && block == o.block &&
         rule == o.rule && overflow == o.overflow && zero == o.zero && special == o.special && tensor == o.tensor &&
         scale_round == o.scale_round && int_element == o.int_element && int_bits == o.int_bits &&
         int_frac == o.int_frac && symmetric == o.symmetric &&
         emax_elem == o.emax_elem && scale_exp_bits == o.scale_exp_bits && rht == o.rht && seed == o.seed;
}

double block_bits_per_value(const BlockFormat& b) {
  const int elem = b.int_element ? b.int_bits : b.element.width();
  if (b.block == 0) return elem;  // one scale for the whole tensor: no per-element overhead
  double overhead = (b.scale.width() + 7) / 8 * 8;  // scales are stored in whole bytes (UE4M3 in an E4M3 byte)
  if (b.kind == BlockKind::GroupInt && !b.symmetric) overhead += b.int_bits;  // the zero point
  return elem + overhead / double(b.block);
}

const char* scale_rule_name(ScaleRule r) {
  switch (r) {
    case ScaleRule::Floor: return "floor";
    case ScaleRule::Rceil: return "rceil";
    case ScaleRule::Ceil: return "ceil";
    case ScaleRule::Even: return "even";
  }
  return "?";
}
const char* scale_overflow_name(ScaleOverflow p) { return p == ScaleOverflow::Nan ? "nan" : "saturate"; }
const char* zero_block_name(ZeroBlock p) { return p == ZeroBlock::Min ? "min" : "one"; }
const char* special_block_name(SpecialBlock p) { return p == SpecialBlock::Nan ? "nan" : "element"; }
const char* tensor_scale_name(TensorScale p) { return p == TensorScale::Amax ? "amax" : "none"; }

std::string block_name(const BlockFormat& b) {
  const BlockFormat d = block_base_defaults(b);
  std::string keys;
  auto add = [&](const std::string& kv) { keys += (keys.empty() ? "" : ",") + kv; };
  if (b.base == "mx" || b.kind == BlockKind::Absmax) add("elem=" + b.element.name);
  if (b.kind == BlockKind::Bfp) {
    add(fmt::format("m={}", b.int_bits));
    if (b.scale_exp_bits != d.scale_exp_bits) add(fmt::format("e={}", b.scale_exp_bits));
  }
  if (b.kind == BlockKind::GroupInt || b.kind == BlockKind::Absmax) add(b.block == 0 ? std::string("group=tensor") : fmt::format("group={}", b.block));
  else if (b.block != d.block) add(fmt::format("block={}", b.block));
  if (b.rule != d.rule) add(std::string("rule=") + scale_rule_name(b.rule));
  if (b.kind != BlockKind::Bfp && b.scale.name != d.scale.name) add("scale=" + b.scale.name);
  if (b.scale_round != d.scale_round) add("scale_round=" + rounding_name(b.scale_round));
  if (b.tensor != d.tensor) add(std::string("tensor=") + tensor_scale_name(b.tensor));
  if (b.overflow != d.overflow) add(std::string("overflow=") + scale_overflow_name(b.overflow));
  if (b.zero != d.zero) add(std::string("zero=") + zero_block_name(b.zero));
  if (b.special != d.special) add(std::string("special=") + special_block_name(b.special));
  if (b.rht) {
    add(fmt::format("rht={}", b.rht));
    add(fmt::format("seed={}", b.seed));
  }
  return keys.empty() ? b.base : b.base + "<" + keys + ">";
}

}  // namespace bitexact
