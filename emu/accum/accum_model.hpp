// Accumulation / dot-product models: how sum(a[i]*b[i]) + c is formed before (and while) it
// is rounded. One struct holds every knob of every kind; emu/SEMANTICS.md "Accumulation models"
// defines each knob, and accum_presets() names the published hardware behaviours with sources.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "emu/env.hpp"
#include "formats/format.hpp"

namespace bitexact {

enum class AccumKind : uint8_t {
  Exact,       // Kulisch: the exact sum of every product and c, one rounding to out_format
  Sequential,  // acc = round_acc(acc + a*b) per term (fma chain), or round_acc(acc + round_p(a*b))
  Pairwise,    // a binary tree over the products, each pairwise sum rounded into acc_format
  Fused,       // K-term fused steps into a fixed-point accumulator register (tensor cores)
};

enum class ProductMode : uint8_t {
  Exact,    // products are exact
  Rounded,  // each product rounded into product_format (product_rounding)
  Lmul,     // L-Mul (Luo & Sun 2024): the mantissa product replaced by additions (emu/accum/lmul.hpp)
};

// How bits below a grid are dropped (fused alignment and step rounding).
enum class Trunc : uint8_t {
  Rz,     // sign-magnitude truncation: the magnitude is cut (toward zero)
  Floor,  // two's complement truncation: toward -infinity (a negative term grows in magnitude)
  Rne,    // nearest, ties to even (step rounding only)
};

enum class Normalize : uint8_t {
  Step,   // the register is normalised and rounded to acc_bits after every fused step
  Final,  // no normalisation during the sum ("none"): only the written-out result is normalised
};

// Where the block scales of block-scaled inputs are applied (emulated GEMM over block schemes).
enum class ScaleApply : uint8_t {
  Before,  // elements are scaled exactly before they are multiplied
  After,   // each K-block's element dot product is formed by the model, then scaled and added
};

struct AccumModel {
  AccumKind kind = AccumKind::Exact;

  // Products (every kind).
  ProductMode product = ProductMode::Exact;
  std::optional<Format> product_format;  // Rounded: the product format (default: acc_format, else out_format)
  RoundingMode product_rounding = RoundingMode::RNE;

  // Sequential and pairwise: the accumulator format and its per-step rounding.
  std::optional<Format> acc_format;  // default: out_format
  RoundingMode acc_rounding = RoundingMode::RNE;
  bool fma = true;  // sequential: one rounding per step (fma chain); false: product rounded, then add

  // Fused K-term steps.
  int k = 4;             // products per step
  int acc_bits = 24;     // accumulator significand width (leading bit included)
  int carry_bits = 2;    // integer bits above the reference exponent's bit (carry-out)
  int guard_bits = 0;    // extra bits kept below the accumulator LSB during alignment
  bool sticky = false;   // a sticky bit below the guard bits (OR of everything shifted out)
  Trunc align = Trunc::Rz;     // how alignment drops bits (Rz or Floor)
  Trunc step_round = Trunc::Rz;  // how a step's normalised result is rounded to acc_bits
  bool align_addend = true;    // the addend (register) takes part in the max-exponent alignment
  Normalize normalize = Normalize::Step;

  // Promotion to a wide accumulator every N products (0: never; fused and sequential).
  int promote_every = 0;
  std::optional<Format> promote_format;  // default float32
  RoundingMode promote_rounding = RoundingMode::RNE;

  ScaleApply scales = ScaleApply::Before;

  // Output.
  Format out_format;                         // default float32
  std::optional<RoundingMode> out_rounding;  // unset: the caller's env.mode
  int out_sr_bits = 0;                       // R when out_rounding is sr:R

  AccumModel();
  bool operator==(const AccumModel& o) const;

  // Resolved defaults.
  const Format& acc() const { return acc_format ? *acc_format : out_format; }
  const Format& prod() const { return product_format ? *product_format : acc(); }
  const Format& promote() const;
};

// Throws FormatError (position of the offending character) on a bad spec.
//   PRESET                 a preset name (accum_presets())
//   KIND<key=value,...>    exact | sequential | pairwise | fused, keys as in accum_model_help()
//   PRESET<key=value,...>  a preset with some knobs overridden
AccumModel parse_accum_model(std::string_view spec);
// The canonical spec: a preset name when the model is one, else KIND<keys differing from the kind's
// defaults>; parse_accum_model(accum_model_name(m)) == m.
std::string accum_model_name(const AccumModel& m);
// The KIND<...> spelling even when the model is a preset (what a preset expands to).
std::string accum_model_spec(const AccumModel& m);
const char* accum_model_help();

struct AccumPresetInfo {
  std::string_view name, summary, source, confidence;
};
std::span<const AccumPresetInfo> accum_presets();

const char* accum_kind_name(AccumKind k);
const char* product_mode_name(ProductMode p);
const char* trunc_name(Trunc t);
const char* normalize_name(Normalize n);
const char* scale_apply_name(ScaleApply s);

}  // namespace bitexact
