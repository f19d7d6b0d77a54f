#include "emu/accum/accum_model.hpp"

#include <array>
#include <cctype>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "formats/catalog.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "formats/spec_term.hpp"

namespace bitexact {

namespace {

Format float32() { return parse_format("float32"); }

bool same(const std::optional<Format>& a, const std::optional<Format>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || a->name == b->name;
}

// Presets: name, spec, summary, source, confidence. The spec is parsed without presets.
struct PresetDef {
  AccumPresetInfo info;
  std::string_view spec;
};

constexpr std::array<PresetDef, 10> kPresets{{
    {{"exact", "Kulisch accumulation: the exact sum of every product and c, rounded once to out",
      "Kulisch & Miranker (1986); the posit standard's quire (2022) is the same idea",
      "definition (no hardware measured)"},
     "exact<>"},
    {{"fp32-fma", "sequential float32 fma chain: acc = fp32(acc + a*b), one RNE rounding per term",
      "IEEE 754-2019 fusedMultiplyAdd applied in order (a CPU/GPU fmaf loop)", "definition"},
     "sequential<acc=float32>"},
    {{"fp32-seq", "sequential float32, product rounded then added: acc = fp32(acc + fp32(a*b))",
      "IEEE 754-2019 multiplication and addition in order (a loop without fma contraction)", "definition"},
     "sequential<acc=float32,fma=false>"},
    {{"fp32-pairwise", "pairwise (tree) summation of exact products, every sum rounded to float32 RNE",
      "Higham, Accuracy and Stability of Numerical Algorithms (2002) §4.2; NumPy's pairwise sum", "definition"},
     "pairwise<acc=float32>"},
    {{"fp16-fma", "sequential float16 fma chain, float16 output", "IEEE 754-2019 binary16 fusedMultiplyAdd in order",
      "definition"},
     "sequential<acc=float16,out=float16>"},
    {{"bf16-seq", "sequential bfloat16 multiply then add, bfloat16 output",
      "a bfloat16 loop without fma (e.g. naive emulation through bf16 ops)", "definition"},
     "sequential<acc=bfloat16,fma=false,out=bfloat16>"},
    {{"v100-fp16",
      "V100 binary16 tensor core: 4 exact products + C per step aligned to the largest exponent incl. C, "
      "24-bit register, truncation (RZ), no guard bits, 2 carry-out bits, fp32 out",
      "Fasi, Higham, Mikaitis, Pranesh, Numerical behavior of NVIDIA tensor cores, PeerJ CS 7:e330 (2021)",
      "measured (published probes; Valpey et al. arXiv 2502.15999 dispute RZ and report 3 carry bits)"},
     "fused<k=4,acc=24,carry=2,align=rz,round=rz,out=float32>"},
    {{"a100-fp16",
      "A100 binary16 tensor core: as v100-fp16 with 8 products per step",
      "Fasi et al., PeerJ CS 7:e330 (2021), A100 experiments (8-term fused steps)",
      "measured (published probes; K per Fasi et al.; Khattak & Mikaitis arXiv 2512.07004 refine the models)"},
     "fused<k=8,acc=24,carry=2,align=rz,round=rz,out=float32>"},
    {{"h100-fp8",
      "H100 FP8 wgmma: 32 exact products + C per step, 13-bit accumulator significand, RZ, fp32 out",
      "huweim/emulation_sys README (H100 FP8 wgmma: 13-bit accumulator mantissa, RZ); DeepSeek-V3 report "
      "arXiv 2412.19437 §3.3 (about 14 bits on H800)",
      "secondary (a probe suite's README and a training report; K=32 is bitexact's choice, the wgmma K)"},
     "fused<k=32,acc=13,carry=2,align=rz,round=rz,out=float32>"},
    {{"deepseek-v3",
      "h100-fp8 with the partial sum promoted to an fp32 accumulator (RNE add) every 128 products",
      "DeepSeek-V3 technical report, arXiv 2412.19437 §3.3 (N_C = 128 promotion on CUDA cores)",
      "secondary (the report's description; the H800 register is modelled as h100-fp8)"},
     "fused<k=32,acc=13,carry=2,align=rz,round=rz,promote=128,wide=float32,out=float32>"},
}};

[[noreturn]] void fail(std::string_view spec, const std::string& msg, size_t at) {
  throw FormatError("bad accumulation model: " + msg, std::string(spec), std::min(at, spec.size()));
}

using Key = SpecArg;

unsigned char uc(char c) { return static_cast<unsigned char>(c); }

// NAME or NAME<k=v,...>; values may hold nested <...> (out=float<e=5,m=2>).
std::string split(std::string_view s, std::vector<Key>& keys, size_t& name_at) {
  size_t i = 0;
  while (i < s.size() && std::isspace(uc(s[i]))) ++i;
  name_at = i;
  while (i < s.size() && (std::isalnum(uc(s[i])) || s[i] == '_' || s[i] == '-')) ++i;
  std::string name(s.substr(name_at, i - name_at));
  if (name.empty()) fail(s, "expected a model name", i);
  while (i < s.size() && std::isspace(uc(s[i]))) ++i;
  if (i == s.size()) return name;
  if (s[i] != '<') fail(s, fmt::format("unexpected '{}'", s[i]), i);
  keys = split_nested_args(s, i, "bad accumulation model", true);
  return name;
}

std::optional<AccumKind> kind_of(std::string_view n) {
  if (n == "exact") return AccumKind::Exact;
  if (n == "sequential" || n == "seq") return AccumKind::Sequential;
  if (n == "pairwise") return AccumKind::Pairwise;
  if (n == "fused") return AccumKind::Fused;
  return std::nullopt;
}

const char* keys_for(AccumKind k) {
  switch (k) {
    case AccumKind::Exact: return "out,out_round,product,pformat,pround,scales";
    case AccumKind::Sequential: return "out,out_round,product,pformat,pround,scales,acc,acc_round,fma";
    case AccumKind::Pairwise: return "out,out_round,product,pformat,pround,scales,acc,acc_round";
    case AccumKind::Fused:
      return "out,out_round,product,pformat,pround,scales,k,acc,carry,guard,sticky,align,round,addend,norm,promote,"
             "wide,wide_round";
  }
  return "";
}

void apply_keys(std::string_view spec, AccumModel& m, const std::vector<Key>& keys) {
  const std::string allowed = fmt::format(",{},", keys_for(m.kind));
  auto format_of = [&](const Key& k) { return parse_format_arg(spec, k, "bad accumulation model"); };
  auto mode_of = [&](const Key& k, int* sr_bits) {
    int bits = 0;
    RoundingMode r;
    try {
      r = parse_rounding(k.value, &bits);
    } catch (const std::invalid_argument& e) {
      fail(spec, fmt::format("'{}': {}", k.key, e.what()), k.value_pos);
    }
    if (r == RoundingMode::SRR && !sr_bits) fail(spec, fmt::format("'{}': sr:R is allowed for out_round only", k.key), k.value_pos);
    if (sr_bits) *sr_bits = bits;
    return r;
  };
  auto int_of = [&](const Key& k, int lo, int hi) {
    size_t used = 0;
    long v = 0;
    try {
      v = std::stol(k.value, &used);
    } catch (...) {
      used = 0;
    }
    if (used != k.value.size() || k.value.empty()) fail(spec, fmt::format("'{}' is not an integer", k.value), k.value_pos);
    if (v < lo || v > hi) fail(spec, fmt::format("'{}' = {} is out of range {}..{}", k.key, v, lo, hi), k.value_pos);
    return int(v);
  };
  auto bool_of = [&](const Key& k) {
    if (k.value == "true" || k.value == "yes" || k.value == "1") return true;
    if (k.value == "false" || k.value == "no" || k.value == "0") return false;
    fail(spec, fmt::format("'{}' is not true or false", k.value), k.value_pos);
  };
  auto trunc_of = [&](const Key& k, bool rne_ok) {
    if (k.value == "rz" || k.value == "trunc_mag") return Trunc::Rz;
    if (k.value == "floor" || k.value == "trunc") return Trunc::Floor;
    if (rne_ok && k.value == "rne") return Trunc::Rne;
    fail(spec, fmt::format("'{}' must be rz | floor{}", k.key, rne_ok ? " | rne" : ""), k.value_pos);
  };
  for (const Key& k : keys) {
    if (allowed.find("," + k.key + ",") == std::string::npos)
      fail(spec, fmt::format("unknown key '{}' for {} (expected {})", k.key, accum_kind_name(m.kind), keys_for(m.kind)),
           k.key_pos);
    if (k.key == "out") m.out_format = format_of(k);
    else if (k.key == "out_round") m.out_rounding = mode_of(k, &m.out_sr_bits);
    else if (k.key == "product") {
      if (k.value == "exact") m.product = ProductMode::Exact;
      else if (k.value == "round" || k.value == "rounded") m.product = ProductMode::Rounded;
      else if (k.value == "lmul") m.product = ProductMode::Lmul;
      else fail(spec, "'product' must be exact | round | lmul", k.value_pos);
    } else if (k.key == "pformat") m.product_format = format_of(k);
    else if (k.key == "pround") m.product_rounding = mode_of(k, nullptr);
    else if (k.key == "scales") {
      if (k.value == "before") m.scales = ScaleApply::Before;
      else if (k.value == "after") m.scales = ScaleApply::After;
      else fail(spec, "'scales' must be before | after", k.value_pos);
    } else if (k.key == "acc" && m.kind == AccumKind::Fused) m.acc_bits = int_of(k, 2, 112);
    else if (k.key == "acc") m.acc_format = format_of(k);
    else if (k.key == "acc_round") m.acc_rounding = mode_of(k, nullptr);
    else if (k.key == "fma") m.fma = bool_of(k);
    else if (k.key == "k") m.k = int_of(k, 1, 1 << 20);
    else if (k.key == "carry") m.carry_bits = int_of(k, 0, 64);
    else if (k.key == "guard") m.guard_bits = int_of(k, 0, 64);
    else if (k.key == "sticky") m.sticky = bool_of(k);
    else if (k.key == "align") m.align = trunc_of(k, false);
    else if (k.key == "round") m.step_round = trunc_of(k, true);
    else if (k.key == "addend") m.align_addend = bool_of(k);
    else if (k.key == "norm") {
      if (k.value == "step") m.normalize = Normalize::Step;
      else if (k.value == "final" || k.value == "none") m.normalize = Normalize::Final;
      else fail(spec, "'norm' must be step | final (none)", k.value_pos);
    } else if (k.key == "promote") m.promote_every = int_of(k, 0, 1 << 30);
    else if (k.key == "wide") m.promote_format = format_of(k);
    else if (k.key == "wide_round") m.promote_rounding = mode_of(k, nullptr);
  }
  if (m.product == ProductMode::Rounded && !m.product_format && m.kind != AccumKind::Sequential &&
      m.kind != AccumKind::Pairwise)
    fail(spec, "product=round needs pformat=FORMAT for this kind", spec.size());
  if (m.promote_every && m.promote_every % m.k != 0)
    fail(spec, fmt::format("promote={} is not a multiple of k={}", m.promote_every, m.k), spec.size());
}

AccumModel parse_plain(std::string_view spec) {
  std::vector<Key> keys;
  size_t at = 0;
  const std::string name = split(spec, keys, at);
  AccumModel m;
  if (const auto k = kind_of(name)) {
    m.kind = *k;
  } else {
    const PresetDef* p = nullptr;
    for (const auto& d : kPresets)
      if (d.info.name == name) p = &d;
    if (!p) fail(spec, fmt::format("unknown model '{}' (kinds: exact, sequential, pairwise, fused; presets: see --list-models)", name), at);
    m = parse_plain(p->spec);
  }
  apply_keys(spec, m, keys);
  return m;
}

std::string mode_text(RoundingMode r) { return rounding_name(r); }

}  // namespace

AccumModel::AccumModel() : out_format(float32()) {}

const Format& AccumModel::promote() const {
  static const Format f32 = float32();  // immutable after initialisation
  return promote_format ? *promote_format : f32;
}

bool AccumModel::operator==(const AccumModel& o) const {
  return kind == o.kind && product == o.product && same(product_format, o.product_format) &&
         product_rounding == o.product_rounding && same(acc_format, o.acc_format) && acc_rounding == o.acc_rounding &&
         fma == o.fma && k == o.k && acc_bits == o.acc_bits && carry_bits == o.carry_bits &&
         guard_bits == o.guard_bits && sticky == o.sticky && align == o.align && step_round == o.step_round &&
         align_addend == o.align_addend && normalize == o.normalize && promote_every == o.promote_every &&
         same(promote_format, o.promote_format) && promote_rounding == o.promote_rounding && scales == o.scales &&
         out_format.name == o.out_format.name && out_rounding == o.out_rounding && out_sr_bits == o.out_sr_bits;
}

AccumModel parse_accum_model(std::string_view spec) { return parse_plain(spec); }

std::string accum_model_name(const AccumModel& m) {
  for (const auto& d : kPresets)
    if (parse_plain(d.spec) == m) return std::string(d.info.name);
  return accum_model_spec(m);
}

std::string accum_model_spec(const AccumModel& m) {
  const AccumModel def;
  std::vector<std::string> kv;
  auto add = [&](const char* k, const std::string& v) { kv.push_back(fmt::format("{}={}", k, v)); };
  if (m.product != def.product) add("product", product_mode_name(m.product));
  if (m.product_format) add("pformat", m.product_format->name);
  if (m.product_rounding != def.product_rounding) add("pround", mode_text(m.product_rounding));
  if (m.kind == AccumKind::Sequential || m.kind == AccumKind::Pairwise) {
    if (m.acc_format) add("acc", m.acc_format->name);
    if (m.acc_rounding != def.acc_rounding) add("acc_round", mode_text(m.acc_rounding));
    if (m.fma != def.fma) add("fma", m.fma ? "true" : "false");
  }
  if (m.kind == AccumKind::Fused) {
    add("k", std::to_string(m.k));
    add("acc", std::to_string(m.acc_bits));
    add("carry", std::to_string(m.carry_bits));
    if (m.guard_bits != def.guard_bits) add("guard", std::to_string(m.guard_bits));
    if (m.sticky != def.sticky) add("sticky", m.sticky ? "true" : "false");
    add("align", trunc_name(m.align));
    add("round", trunc_name(m.step_round));
    if (m.align_addend != def.align_addend) add("addend", m.align_addend ? "true" : "false");
    if (m.normalize != def.normalize) add("norm", normalize_name(m.normalize));
    if (m.promote_every) add("promote", std::to_string(m.promote_every));
    if (m.promote_format) add("wide", m.promote_format->name);
    if (m.promote_rounding != def.promote_rounding) add("wide_round", mode_text(m.promote_rounding));
  }
  if (m.scales != def.scales) add("scales", scale_apply_name(m.scales));
  if (m.out_format.name != def.out_format.name) add("out", m.out_format.name);
  if (m.out_rounding) add("out_round", rounding_name(*m.out_rounding, m.out_sr_bits));
  std::string s = std::string(accum_kind_name(m.kind)) + "<";
  for (size_t i = 0; i < kv.size(); ++i) s += (i ? "," : "") + kv[i];
  return s + ">";
}

std::span<const AccumPresetInfo> accum_presets() {
  static const std::array<AccumPresetInfo, kPresets.size()> infos = [] {
    std::array<AccumPresetInfo, kPresets.size()> r{};
    for (size_t i = 0; i < kPresets.size(); ++i) r[i] = kPresets[i].info;
    return r;
  }();
  return infos;
}

const char* accum_model_help() {
  return "Accumulation models (--accum): a preset name, KIND<key=value,...>, or PRESET<key=value,...>.\n"
         "  kinds: exact (Kulisch, one rounding) | sequential (per-term rounding into acc) |\n"
         "         pairwise (tree, every sum rounded into acc) | fused (K-term tensor-core steps)\n"
         "  every kind: out=FORMAT (float32) out_round=MODE (the env's mode) product=exact|round|lmul\n"
         "              pformat=FORMAT pround=MODE (rounded products) scales=before|after (block inputs)\n"
         "  sequential: acc=FORMAT acc_round=MODE fma=true|false    pairwise: acc=FORMAT acc_round=MODE\n"
         "  fused: k=N acc=BITS carry=BITS guard=BITS sticky=BOOL align=rz|floor round=rz|floor|rne\n"
         "         addend=BOOL norm=step|final promote=N wide=FORMAT wide_round=MODE\n"
         "  presets: exact fp32-fma fp32-seq fp32-pairwise fp16-fma bf16-seq v100-fp16 a100-fp16 h100-fp8\n"
         "           deepseek-v3 (bitexact dot --list-models prints their sources)\n"
         "  semantics: emu/SEMANTICS.md \"Accumulation models\"";
}

const char* accum_kind_name(AccumKind k) {
  switch (k) {
    case AccumKind::Exact: return "exact";
    case AccumKind::Sequential: return "sequential";
    case AccumKind::Pairwise: return "pairwise";
    case AccumKind::Fused: return "fused";
  }
  return "?";
}
const char* product_mode_name(ProductMode p) {
  switch (p) {
    case ProductMode::Exact: return "exact";
    case ProductMode::Rounded: return "round";
    case ProductMode::Lmul: return "lmul";
  }
  return "?";
}
const char* trunc_name(Trunc t) {
  switch (t) {
    case Trunc::Rz: return "rz";
    case Trunc::Floor: return "floor";
    case Trunc::Rne: return "rne";
  }
  return "?";
}
const char* normalize_name(Normalize n) { return n == Normalize::Step ? "step" : "final"; }
const char* scale_apply_name(ScaleApply s) { return s == ScaleApply::Before ? "before" : "after"; }

}  // namespace bitexact
