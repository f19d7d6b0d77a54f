#include "tools/explore/candidates.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "hwmodel/lut/config.hpp"
#include "hwmodel/mac/config.hpp"

namespace bitexact::explore {

namespace cost = hw::cost;

namespace {

Scheme scheme_of(const std::string& spec, const char* what) {
  try {
    return parse_scheme(spec);
  } catch (const FormatError& e) {
    throw std::invalid_argument(fmt::format("{} scheme '{}': {}", what, spec, e.what()));
  }
}

AccumModel accum_of(const std::string& spec) {
  try {
    return parse_accum_model(spec);
  } catch (const FormatError& e) {
    throw std::invalid_argument(fmt::format("accumulation model '{}': {}", spec, e.what()));
  }
}

bool int_elements(const Scheme& s) { return s.is_block ? s.block.int_element : s.format.family == Family::Int; }

bool per_tensor(const Scheme& s) { return s.is_block && s.block.block == 0; }

// What the cost model sees of an operand on a unit (header comment).
Scheme cost_operand(const Scheme& s, const std::string& unit) {
  if (!s.is_block || (unit == "mac" && !per_tensor(s))) return s;
  Scheme e;
  e.format = element_format(s);
  return e;
}

}  // namespace

Format element_format(const Scheme& s) {
  if (!s.is_block) return s.format;
  if (s.block.int_element) return parse_format(fmt::format("int{}", s.block.int_bits));
  return s.block.element;
}

std::string candidate_label(const Candidate& c) {
  std::string l = fmt::format("{} {} x {} / {}", c.unit, c.act, c.weight, c.accum);
  if (c.rounding != "rne") l += " / " + c.rounding;
  return l;
}

std::string auto_accum(const std::string& unit, const Scheme& act, const Scheme& weight, int lanes) {
  if (int_elements(act) && int_elements(weight)) return "exact<out=float32>";
  if (unit == "mac") return fmt::format("fused<k={},acc=24,out=float32>", lanes);
  return "exact<out=float32>";
}

std::vector<Candidate> default_candidates() {
  struct Row {
    const char *unit, *act, *weight, *accum;
  };
  // Scalar 8-bit formats carry one per-tensor scale (amax); 4- and 2-bit integer weights one scale
  // per 128 weights along K (the GPTQ / AWQ group size); MX and NVFP4 as specified (OCP MX v1.0:
  // 32-element blocks, E8M0 scales; NVFP4: 16-element blocks, UE4M3 scales, FP32 tensor scale).
  static const Row rows[] = {
      {"mac", "bf16", "bf16", "auto"},
      {"mac", "e4m3<group=tensor>", "e4m3<group=tensor>", "v100-fp16"},
      {"mac", "e4m3<group=tensor>", "e4m3<group=tensor>", "h100-fp8"},
      {"mac", "int8<group=tensor>", "int8<group=tensor>", "auto"},
      {"mac", "int8<group=tensor>", "int4<group=128>", "auto"},
      {"mac", "mxfp8_e4m3", "mxfp8_e4m3", "auto"},
      {"mac", "mxint8", "mxint8", "auto"},
      {"mac", "mxfp6_e2m3", "mxfp6_e2m3", "auto"},
      {"mac", "mxfp8_e4m3", "mxfp4", "auto"},
      {"mac", "mxfp4", "mxfp4", "auto"},
      {"mac", "nvfp4", "nvfp4", "auto"},
      {"bitserial", "int8<group=tensor>", "int4<group=128>", "auto"},
      {"bitserial", "int8<group=tensor>", "int2<group=128>", "auto"},
      {"bitserial", "e4m3<group=tensor>", "mxfp4", "auto"},
      {"lut", "int8<group=tensor>", "int4<group=128>", "auto"},
      {"lut", "int8<group=tensor>", "int2<group=128>", "auto"},
      {"lut", "fp16", "int4<group=128>", "auto"},
      {"lut", "fp16", "int2<group=128>", "auto"},
  };
  const HwSettings hw;
  std::vector<Candidate> out;
  for (const Row& r : rows) {
    const Scheme a = scheme_of(r.act, "activation"), w = scheme_of(r.weight, "weight");
    const std::string accum = std::string(r.accum) == "auto" ? auto_accum(r.unit, a, w, hw.lanes) : r.accum;
    out.push_back({r.unit, scheme_name(a), scheme_name(w), accum_model_name(accum_of(accum))});
  }
  return out;
}

namespace {

// The unit's estimate and timing for cost operands (act, weight) and a cost accumulation model.
cost::Estimate estimate_unit(const std::string& unit, const Scheme& a, const Scheme& w, const AccumModel& acc,
                             const HwSettings& hw, int lanes, int bits_per_cycle, int lut_m, int lut_n, int lut_k,
                             const std::string& lut_table, const std::string& lut_accum,
                             const cost::CostContext& ctx, hw::UnitTiming* timing) {
  if (unit == "mac") {
    hw::MacConfig mc;
    mc.lanes = lanes, mc.act = a, mc.weight = w, mc.accum = acc;
    if (timing) *timing = hw::timing(mc);
    return cost::estimate_mac(mc, ctx);
  }
  if (a.is_block || w.is_block) throw std::invalid_argument(fmt::format("the {} unit takes scalar element formats", unit));
  if (unit == "bitserial") {
    cost::BitSerialCostInput in;
    in.lanes = lanes, in.bits_per_cycle = bits_per_cycle, in.act = a.format, in.weight = w.format, in.accum = acc;
    const cost::BitSerialUnitCost u = cost::estimate_bitserial_or_analytic(in, ctx);
    if (timing) *timing = u.timing;
    return u.estimate;
  }
  if (unit != "lut") throw std::invalid_argument(fmt::format("unknown unit '{}' (mac, bitserial, lut)", unit));
  const Format& wf = w.format;
  if (!(wf.family == Family::Int || wf.family == Family::Table) || wf.width() > 4)
    throw std::invalid_argument("the lut unit takes integer weights of 1..4 bits");
  hw::LutConfig lc;
  lc.m = lut_m, lc.n = lut_n, lc.k = lut_k;
  lc.w_bits = wf.width();
  lc.weight = wf.family == Family::Int && wf.ip.is_signed ? hw::LutWeight::Signed : hw::LutWeight::Unsigned;
  lc.act = a.format;
  const bool fp_act = a.format.is_float();
  const std::string table = lut_table.empty() ? (fp_act ? "fp16" : "int8") : lut_table;
  const std::string lacc = lut_accum.empty() ? (fp_act ? "fp32" : "int32") : lut_accum;
  lc.table = table == "int8" ? hw::LutTable::Int8 : hw::LutTable::Fp16;
  lc.accum = lacc == "int32" ? hw::LutAccum::Int32 : lacc == "fp16" ? hw::LutAccum::Fp16 : hw::LutAccum::Fp32;
  hw::validate(lc);
  if (timing) *timing = hw::timing(lc);
  (void)hw;
  return cost::estimate_lut(lc, ctx, cost::LutVariant::LutTc);
}

std::vector<std::string> split_pair(const std::string& s) {
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<') ++depth;
    if (s[i] == '>') --depth;
    if (s[i] == ':' && depth == 0) return {s.substr(0, i), s.substr(i + 1)};
  }
  return {s, s};
}

}  // namespace

UnitCost unit_cost(const Candidate& c, const HwSettings& hw, const cost::CostContext& ctx,
                   const cost::SynthTable& synth) {
  const Scheme a = cost_operand(scheme_of(c.act, "activation"), c.unit);
  const Scheme w = cost_operand(scheme_of(c.weight, "weight"), c.unit);
  AccumModel acc = accum_of(c.accum);
  if (acc.kind == AccumKind::Exact && int_elements(a) && int_elements(w)) acc = accum_of("exact<out=int32>");
  UnitCost u;
  u.cost_operands = fmt::format("{} x {}", scheme_name(a), scheme_name(w));
  u.cost_accum = accum_model_name(acc);
  const cost::Estimate e = estimate_unit(c.unit, a, w, acc, hw, hw.lanes, hw.bits_per_cycle, hw.lut_m, hw.lut_n,
                                         hw.lut_k, "", "", ctx, &u.timing);
  u.config = e.config;
  u.macs_per_cycle = e.macs_per_cycle;
  u.area_um2 = e.area_um2;
  u.energy_per_mac_pj = e.energy_per_mac_pj();
  u.band = e.band;
  // The measured area: a yosys entry of the same unit whose estimate has the same configuration
  // line (the match `bitexact hw` makes).
  const double scale = ctx.tech->scale(45, ctx.node_nm).area;
  for (const cost::SynthEntry& s : synth.entries) {
    if (s.kind != "unit" || s.hw_unit != c.unit) continue;
    try {
      const std::vector<std::string> p = split_pair(s.formats);
      const Scheme sa = parse_scheme(p[0]), sw = parse_scheme(p[1]);
      const AccumModel sacc = accum_of(s.accum.empty() ? auto_accum(s.hw_unit, sa, sw, s.lanes > 0 ? s.lanes : hw.lanes)
                                                        : s.accum);
      int tm = hw.lut_m, tn = hw.lut_n, tk = hw.lut_k;
      if (!s.lut_tile.empty() && std::sscanf(s.lut_tile.c_str(), "%dx%dx%d", &tm, &tn, &tk) != 3) continue;
      const cost::Estimate se = estimate_unit(
          s.hw_unit, sa, sw, sacc, hw, s.lanes > 0 ? s.lanes : hw.lanes,
          s.bits_per_cycle > 0 ? s.bits_per_cycle : hw.bits_per_cycle, tm, tn, tk, s.lut_table, s.lut_accum, ctx, nullptr);
      if (se.config == e.config) {
        u.synth_area_um2 = s.area_um2_45 * scale;
        u.synth_entry = s.name;
        break;
      }
    } catch (const std::exception&) {
      continue;  // an entry this build cannot cost is no match
    }
  }
  return u;
}

std::vector<Candidate> cross_candidates(const std::vector<std::string>& units, const std::vector<std::string>& pairs,
                                        const std::vector<std::string>& accums,
                                        const std::vector<std::string>& roundings, const HwSettings& hw,
                                        bool skip_unfit) {
  std::vector<std::string> modes;
  for (const std::string& r : roundings) {
    int bits = 0;
    const RoundingMode m = parse_rounding(r, &bits);  // std::invalid_argument on a bad name
    modes.push_back(rounding_name(m, bits));
  }
  std::vector<Candidate> out;
  const cost::TechLibrary tech = cost::TechLibrary::embedded();
  const cost::CostContext ctx{&tech, hw.node_nm, hw.clock_hz, ""};
  const cost::SynthTable none;
  for (const std::string& unit : units) {
    if (unit != "mac" && unit != "bitserial" && unit != "lut")
      throw std::invalid_argument(fmt::format("unknown unit '{}' (mac, bitserial, lut)", unit));
    for (const std::string& pair : pairs) {
      const std::vector<std::string> p = split_pair(pair);
      if (p[0].empty() || p[1].empty()) throw std::invalid_argument(fmt::format("'{}' is not ACT:WEIGHT", pair));
      const Scheme a = scheme_of(p[0], "activation"), w = scheme_of(p[1], "weight");
      for (const std::string& acc_spec : accums) {
        const std::string resolved = acc_spec == "auto" ? auto_accum(unit, a, w, hw.lanes) : acc_spec;
        Candidate c{unit, scheme_name(a), scheme_name(w), accum_model_name(accum_of(resolved))};
        if (skip_unfit) {  // keep only what the unit can be built for
          try {
            unit_cost(c, hw, ctx, none);
          } catch (const std::invalid_argument&) {
            continue;
          }
        }
        for (const std::string& m : modes) {
          c.rounding = m;
          out.push_back(c);
        }
      }
    }
  }
  return out;
}

}  // namespace bitexact::explore
