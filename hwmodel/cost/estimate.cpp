#include "hwmodel/cost/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "hwmodel/bitserial/cost_input.hpp"
#include "hwmodel/cost/primitives.hpp"
#include "hwmodel/lut/cost_input.hpp"

namespace bitexact::hw::cost {

namespace {

// Exponent span of a float format's finite non-zero values, in bits (for Kulisch widths).
int float_span(const Format& f) { return f.facts.emax - (f.facts.emin - f.fp.man_bits) + 1; }

OperandDesc from_element(const Format& f) {
  OperandDesc d;
  d.name = f.name.empty() ? spec_string(f) : f.name;
  d.width = f.width();
  switch (f.family) {
    case Family::Float:
      d.is_float = true;
      d.sig = f.fp.man_bits + 1;
      d.exp = f.fp.exp_bits;
      break;
    case Family::Int:
      d.is_float = false;
      d.sig = f.ip.bits;
      break;
    case Family::Posit:
      throw std::invalid_argument(fmt::format("cost model: posit formats are not modelled ('{}')", d.name));
    case Family::Table:
      throw std::invalid_argument(
          fmt::format("cost model: codebook formats are not modelled ('{}'; use the format it decodes to)", d.name));
  }
  return d;
}

// Kulisch register width for products of a and b: both exponent spans, 2 product bits, 8 carry bits
// (256 terms).
int kulisch_width(int span_a, int span_b) { return span_a + span_b + 2 + 8; }

struct AccDesc {
  bool is_float = false;  // a float register: each add aligns and normalises (sequential, pairwise)
  int sig = 0;            // float: precision; fixed: the normaliser width (0: none per cycle)
  int width = 0;          // register bits
  bool step_norm = false; // fixed: normalised every step
  bool kulisch = false;
  std::string name;
};

AccDesc describe_acc(const AccumModel& m, const OperandDesc& a, int span_a, const OperandDesc& b, int span_b) {
  AccDesc d;
  d.name = accum_model_name(m);
  const Format& accf = m.acc();
  switch (m.kind) {
    case AccumKind::Exact:
      d.kulisch = true;
      if (!a.is_float && !b.is_float) {
        d.width = m.out_format.family == Family::Int ? m.out_format.ip.bits : std::max(32, a.sig + b.sig + 16);
      } else {
        d.width = kulisch_width(span_a, span_b);
      }
      d.sig = m.out_format.is_float() ? m.out_format.precision() : 0;  // the one final normalisation
      break;
    case AccumKind::Sequential:
    case AccumKind::Pairwise:
      if (accf.is_float()) {
        d.is_float = true;
        d.sig = accf.precision();
        d.width = accf.width();
      } else if (accf.family == Family::Int) {
        d.width = accf.ip.bits;
      } else {
        throw std::invalid_argument(fmt::format("cost model: accumulator format '{}' is not modelled", accf.name));
      }
      break;
    case AccumKind::Fused:
      d.width = m.acc_bits + m.carry_bits + m.guard_bits + (m.sticky ? 1 : 0);
      d.step_norm = m.normalize == Normalize::Step;
      d.sig = m.acc_bits;
      break;
  }
  return d;
}

int span_of(const Scheme& s) {
  const Format* f = nullptr;
  if (!s.is_block) f = &s.format;
  else if (!s.block.int_element) f = &s.block.element;
  if (f && f->is_float()) return float_span(*f);
  if (f) return f->width();
  return s.block.int_bits;
}

// Adds components with the factors of one family at the context's node.
class Builder {
 public:
  Builder(const CostContext& ctx, Estimate& e) : ctx_(ctx), e_(e), p_(*ctx.tech) {}
  const Primitives& prim() const { return p_; }

  // Factors: horowitz45 primitives x scaling 45 -> node x the family's calibration factor.
  void set_family(const std::string& family) {
    family_ = family;
    const TechLibrary& t = *ctx_.tech;
    const NodeScale s = t.scale(45, ctx_.node_nm);
    af_ = s.area, ef_ = s.energy;
    if (family != "int_mac" && !ctx_.flow.empty()) {
      if (ctx_.flow == "bitmod28") {
        af_ *= t("bitmod28.fp_area_factor"), ef_ *= t("bitmod28.fp_energy_factor");
      } else if (ctx_.flow == "luttc28") {
        af_ *= t("luttc28.lut_area_factor"), ef_ *= t("luttc28.lut_energy_factor");
      } else {
        throw std::invalid_argument(fmt::format("cost model: unknown flow '{}' (bitmod28, luttc28)", ctx_.flow));
      }
      return;
    }
    if (family == "fp") {
      af_ *= t("bitmod28.fp_area_factor"), ef_ *= t("bitmod28.fp_energy_factor");
    } else if (family == "bitserial") {
      af_ *= t("bitmod28.fp_area_factor"), ef_ *= t("bitmod28.bitserial_energy_factor");
    } else if (family == "lut") {
      af_ *= t("luttc28.lut_area_factor"), ef_ *= t("luttc28.lut_energy_factor");
    }
  }
  void add(const std::string& name, const std::string& prim_name, double count, Prim p, double activity = 1,
           bool in_unit = true) {
    if (count <= 0) return;
    Component c;
    c.name = name, c.primitive = prim_name, c.family = family_, c.count = count;
    c.area_um2 = in_unit ? count * p.area_um2 * af_ : 0;
    c.energy_pj = count * p.energy_pj * activity * ef_;
    c.in_unit = in_unit;
    e_.components.push_back(std::move(c));
  }

 private:
  const CostContext& ctx_;
  Estimate& e_;
  Primitives p_;
  std::string family_;
  double af_ = 1, ef_ = 1;
};

double family_band(const TechLibrary& t, const std::string& family, double node_nm) {
  double band = kUncalibratedBand, anchor = 0;
  if (family == "int_mac") band = t("bitfusion45.band"), anchor = 45;
  if (family == "fp" || family == "bitserial") band = t("bitmod28.band"), anchor = 28;
  if (family == "lut") band = t("luttc28.band"), anchor = 28;
  if (anchor > 0 && std::fabs(anchor - node_nm) > 1e-9) band = (1 + band) * (1 + t("scaling.band")) - 1;
  return band;
}

void finish(Estimate& e, const CostContext& ctx, const std::string& family) {
  e.node_nm = ctx.node_nm;
  e.clock_hz = ctx.clock_hz;
  e.family = family;
  e.area_um2 = e.energy_per_cycle_pj = e.outside_energy_per_cycle_pj = 0;
  for (const Component& c : e.components) {
    if (c.in_unit) {
      e.area_um2 += c.area_um2;
      e.energy_per_cycle_pj += c.energy_pj;
    } else {
      e.outside_energy_per_cycle_pj += c.energy_pj;
    }
  }
  // The band of the family holding most of the area (mixed units: the wider of the two).
  double band = 0;
  for (const Component& c : e.components) band = std::max(band, family_band(*ctx.tech, c.family, ctx.node_nm));
  e.band = band;
}

void check_ctx(const CostContext& ctx) {
  if (!ctx.tech) throw std::invalid_argument("cost model: no technology library");
  if (!(ctx.clock_hz > 0)) throw std::invalid_argument("cost model: the clock must be positive");
  ctx.tech->scale(45, ctx.node_nm);  // throws for an unknown node
}

std::string prim2(const char* what, int a, int b) { return fmt::format("{}({}x{})", what, a, b); }
std::string prim1(const char* what, int a) { return fmt::format("{}({})", what, a); }

void add_block_scales(Builder& b, const OperandDesc& d, const char* which, int lanes) {
  if (!d.block) return;
  const double per_cycle = d.block_size > 0 ? std::min(1.0, double(lanes) / d.block_size) : 0.0;
  const Primitives& p = b.prim();
  if (d.scale_is_float && d.scale_sig <= 1) {
    b.add(fmt::format("{} block-scale exponent adder", which), prim1("int_add", d.scale_exp + 2), 1,
          p.int_add(d.scale_exp + 2), per_cycle);
  } else {
    const int s = d.scale_is_float ? d.scale_sig : d.scale_width;
    b.add(fmt::format("{} block-scale multiplier", which), prim2("fp_mul", s, 24), 1, p.fp_mul(s, 24), per_cycle);
  }
  b.add(fmt::format("{} block-scale register", which), prim1("reg", d.scale_width), 1, p.reg(d.scale_width),
        per_cycle);
}

}  // namespace

OperandDesc describe_operand(const Format& f) { return from_element(f); }

OperandDesc describe_operand(const Scheme& s) {
  if (!s.is_block) return from_element(s.format);
  const BlockFormat& bf = s.block;
  OperandDesc d;
  if (bf.int_element) {
    d.is_float = false;
    d.sig = d.width = bf.int_bits;
  } else {
    d = from_element(bf.element);
  }
  d.name = scheme_name(s);
  d.block = true;
  d.block_size = int(bf.block);
  const Format& sc = bf.scale;
  d.scale_width = sc.width();
  if (sc.is_float()) {
    d.scale_is_float = true;
    d.scale_sig = sc.fp.man_bits + 1;
    d.scale_exp = sc.fp.exp_bits;
  } else {
    d.scale_sig = sc.width();
  }
  if (bf.kind == BlockKind::Bfp) {  // a shared exponent of scale_exp_bits
    d.scale_is_float = true, d.scale_sig = 1, d.scale_exp = bf.scale_exp_bits, d.scale_width = bf.scale_exp_bits;
  }
  return d;
}

Estimate estimate_mac(const MacCostInput& in, const CostContext& ctx) {
  check_ctx(ctx);
  if (in.lanes < 1 || in.lanes > 1024) throw std::invalid_argument("cost model: mac lanes must be 1..1024");
  const OperandDesc a = describe_operand(in.act), w = describe_operand(in.weight);
  const AccDesc acc = describe_acc(in.accum, a, span_of(in.act), w, span_of(in.weight));
  const int n = in.lanes;
  Estimate e;
  e.unit = "mac";
  e.config = fmt::format("dp{} {} x {}, acc {}", n, a.name, w.name, acc.name);
  e.macs_per_cycle = n;
  e.cycles_per_op = 1;
  Builder b(ctx, e);
  const Primitives& p = b.prim();
  const TechLibrary& t = *ctx.tech;
  std::string family;
  if (!a.is_float && !w.is_float) {
    // Integer lanes: Bit Fusion's fitted PE per lane (its accumulator and registers included).
    family = "int_mac";
    b.set_family("int_mac");
    const double ab = double(a.sig) * w.sig, mean = (a.sig + w.sig) / 2.0;
    b.add("multiplier array (Bit Fusion fit)", prim2("c2*a*b", a.sig, w.sig), n,
          {t("bitfusion45.int_mac_area_c2") * ab, t("bitfusion45.int_mac_energy_c2") * ab * 1e-3});
    b.add("adders, accumulator, registers (Bit Fusion fit)", fmt::format("c1*{}", mean), n,
          {t("bitfusion45.int_mac_area_c1") * mean, t("bitfusion45.int_mac_energy_c1") * mean * 1e-3});
    b.add("PE control (Bit Fusion fit)", "c0", n,
          {t("bitfusion45.int_mac_area_c0"), t("bitfusion45.int_mac_energy_c0") * 1e-3});
    b.set_family("fp");
    if (acc.is_float) {
      // Integer dot products converted and added into a float register once per cycle.
      b.add("float accumulator adder (align + normalise)", prim1("align_norm", acc.sig), 1, p.align_norm(acc.sig));
      b.add("float accumulator register", prim1("reg", acc.width), 1, p.reg(acc.width));
    }
  } else {
    family = "fp";
    b.set_family("fp");
    // An integer operand enters the float multiplier sign-magnitude: its sign goes to the sign XOR.
    const int sa = a.is_float ? a.sig : a.sig - 1, sw = w.is_float ? w.sig : w.sig - 1;
    b.add("significand multipliers", prim2("fp_mul", sa, sw), n, p.fp_mul(sa, sw));
    const int pexp = std::max(a.exp, w.exp) + 2;  // product exponent: one carry bit, one sign/guard
    b.add("exponent adders", prim1("int_add", pexp), n, p.int_add(pexp));
    b.add("operand registers", prim1("reg", a.width + w.width), n, p.reg(a.width + w.width));
    if (acc.is_float) {
      // Sequential or pairwise float accumulation: one float add (align + normalise) per product.
      b.add("float adders (align + normalise)", prim1("align_norm", acc.sig), n, p.align_norm(acc.sig));
      b.add("accumulator register", prim1("reg", acc.width), 1, p.reg(acc.width));
    } else {
      // Fixed-point accumulation (fused tensor-core steps, Kulisch, integer register): products are
      // aligned into a W-bit window and summed by an adder tree with the register (hardware.md §8.2).
      const int W = acc.width;
      b.add("max-exponent comparators", prim1("int_add", pexp), n, p.int_add(pexp));
      b.add("alignment shifters", fmt::format("shifter({},{})", W, W), n, p.shifter(W, W));
      b.add("adder tree", prim1("int_add", W + ceil_log2(n + 1)), n, p.int_add(W + ceil_log2(n + 1)));
      if (acc.sig > 0)
        b.add(acc.step_norm ? "normaliser (every step)" : "normaliser (output)", prim1("normaliser", acc.sig), 1,
              p.normaliser(acc.sig));
      b.add("accumulator register", prim1("reg", W), 1, p.reg(W));
    }
  }
  b.set_family("fp");
  add_block_scales(b, a, "activation", n);
  add_block_scales(b, w, "weight", n);
  finish(e, ctx, family);
  return e;
}

Estimate estimate_mac(const MacConfig& c, const CostContext& ctx) {
  return estimate_mac(MacCostInput{c.lanes, c.act, c.weight, c.accum}, ctx);
}

Estimate estimate_bitserial(const BitSerialCostInput& in, const CostContext& ctx) {
  check_ctx(ctx);
  if (in.lanes < 1 || in.lanes > 1024) throw std::invalid_argument("cost model: bitserial lanes must be 1..1024");
  if (in.bits_per_cycle < 1 || in.bits_per_cycle > 8)
    throw std::invalid_argument("cost model: bits per cycle must be 1..8");
  const OperandDesc a = describe_operand(in.act), w = describe_operand(in.weight);
  const int L = in.lanes, bpc = in.bits_per_cycle;
  const int cycles = in.cycles_per_weight > 0 ? in.cycles_per_weight : (w.width + bpc - 1) / bpc;
  const AccumModel& m = in.accum;
  const Format& out = m.out_format;
  Estimate e;
  e.unit = "bitserial";
  e.config = fmt::format("{} lanes x {} bit/cycle, {} x {} ({} cycles/weight), acc {}", L, bpc, a.name, w.name,
                         cycles, accum_model_name(m));
  e.macs_per_cycle = double(L) / cycles;
  e.cycles_per_op = cycles;
  Builder b(ctx, e);
  b.set_family("bitserial");
  const Primitives& p = b.prim();
  // A weight term (a Booth digit or a power-of-two term) selects a shifted, signed copy of the
  // activation significand; lanes are aligned (float activations) and summed, then shifted by the
  // term's bit significance into the group accumulator (BitMoD's PE, hardware.md §2.1).
  const int window = a.sig + 3;
  const int acc_w = a.is_float ? window + 10 : std::max(32, a.sig + w.width + 16);
  if (a.is_float) {
    b.add("exponent match (add, max, subtract)", prim1("int_add", a.exp + 2), 3 * L - 1, p.int_add(a.exp + 2));
    b.add("term select", fmt::format("mux({},{})", 1 << bpc, a.sig), L, p.mux(1 << bpc, a.sig));
    b.add("alignment shifters", fmt::format("shifter({},{})", window, window), L, p.shifter(window, window));
    b.add("conditional negate", prim1("int_add", window), L, p.int_add(window));
    b.add("adder tree", prim1("int_add", window + 2), L - 1, p.int_add(window + 2));
  } else {
    b.add("partial products", prim2("int_mul", a.sig, bpc), L, p.int_mul(a.sig, bpc));
    b.add("adder tree", prim1("int_add", a.sig + bpc + 2), L - 1, p.int_add(a.sig + bpc + 2));
  }
  b.add("significance shifter", fmt::format("shifter({},{})", acc_w, w.width), 1, p.shifter(acc_w, w.width));
  b.add("group accumulator adder", prim1("int_add", acc_w), 1, p.int_add(acc_w));
  b.add("group accumulator register", prim1("reg", acc_w), 1, p.reg(acc_w));
  if (out.is_float()) b.add("output normaliser", prim1("normaliser", acc_w), 1, p.normaliser(acc_w));
  b.add("dequant (bit-serial scale multiply)", prim1("int_add", acc_w), 1, p.int_add(acc_w));
  b.add("dequant register", prim1("reg", acc_w), 1, p.reg(acc_w));
  b.add("operand registers", prim1("reg", a.width + bpc), L, p.reg(a.width + bpc));
  finish(e, ctx, "bitserial");
  return e;
}

Estimate estimate_bitserial(const BitSerialConfig& c, const CostContext& ctx) {
  return estimate_bitserial(bitserial_cost_input(c), ctx);
}

BitSerialUnitCost estimate_bitserial_or_analytic(const BitSerialCostInput& in, const CostContext& ctx) {
  BitSerialConfig c;
  c.lanes = in.lanes, c.bits_per_cycle = in.bits_per_cycle, c.act = in.act, c.weight = in.weight, c.accum = in.accum;
  c.encoding = default_encoding(in.weight, in.bits_per_cycle);
  try {
    validate(c);
  } catch (const std::invalid_argument&) {  // a pair the PE does not stream: the analytic model alone
    const Estimate e = estimate_bitserial(in, ctx);
    return {e, {1, 1, in.lanes, e.cycles_per_op, e.cycles_per_op + 1}, false};
  }
  return {estimate_bitserial(c, ctx), timing(c), true};
}

const char* lut_variant_name(LutVariant v) {
  switch (v) {
    case LutVariant::Unpu: return "unpu";
    case LutVariant::Reinterp: return "reinterp";
    case LutVariant::NegElim: return "negelim";
    case LutVariant::LutTc: return "luttc";
  }
  return "?";
}

Estimate estimate_lut(const LutCostInput& in, const CostContext& ctx) {
  check_ctx(ctx);
  if (in.m < 1 || in.n < 1 || in.m * in.n > 65536) throw std::invalid_argument("cost model: LUT tile M, N out of range");
  if (in.k < 2 || in.k > 8) throw std::invalid_argument("cost model: LUT tile K must be 2..8");
  if (in.w_bits < 1 || in.w_bits > 8) throw std::invalid_argument("cost model: LUT W_BIT must be 1..8");
  const int M = in.m, N = in.n, K = in.k, B = in.w_bits;
  const bool fp_table = in.table == LutTableKind::Fp16;
  const int lut_bit = fp_table ? 16 : 8;
  const bool unpu = in.variant == LutVariant::Unpu;
  const int entries = unpu ? (1 << K) : (1 << (K - 1));
  Estimate e;
  e.unit = "lut";
  const char* acc_name = in.accum == LutAccumKind::Int32 ? "int32" : in.accum == LutAccumKind::Fp16 ? "fp16" : "fp32";
  e.config = fmt::format("M{}N{}K{} W{} {} table, {} acc{}", M, N, K, B, fp_table ? "fp16" : "int8", acc_name,
                         in.variant == LutVariant::LutTc ? "" : fmt::format(", {}", lut_variant_name(in.variant)));
  e.macs_per_cycle = double(M) * N * K / B;
  e.cycles_per_op = B;
  Builder b(ctx, e);
  b.set_family("lut");
  const Primitives& p = b.prim();
  const double per_op = 1.0 / B;  // written once per LMMA operation (B cycles)
  const int units = M * N;
  b.add("table registers", prim1("reg", M * entries * lut_bit), 1, p.reg(M * entries * lut_bit), per_op);
  b.add("weight registers", prim1("reg", K * N * B), 1, p.reg(K * N * B), per_op);
  b.add("table read muxes", fmt::format("mux({},{})", entries, lut_bit), units, p.mux(entries, lut_bit));
  if (!unpu) b.add("sign (XOR)", prim1("xor", lut_bit), units, p.xor_bits(lut_bit));
  if (in.variant == LutVariant::Reinterp)
    b.add("negation incrementers", prim1("int_add", lut_bit), units, p.int_add(lut_bit));
  if (B > 1) {
    if (fp_table)
      b.add("bit-significance exponent add", prim1("int_add", 5), units, p.int_add(5));
    else
      b.add("bit-significance shifters", fmt::format("shifter({},{})", lut_bit + B - 1, B), units,
            p.shifter(lut_bit + B - 1, B));
  }
  int acc_bits = 32;
  if (in.accum == LutAccumKind::Int32) {
    b.add("accumulator adders", prim1("int_add", 32), units, p.int_add(32));
  } else {
    const int sig = in.accum == LutAccumKind::Fp16 ? 11 : 24;
    acc_bits = in.accum == LutAccumKind::Fp16 ? 16 : 32;
    b.add("accumulator adders (align + normalise)", prim1("align_norm", sig), units, p.align_norm(sig));
  }
  b.add("accumulator registers", prim1("reg", acc_bits), units, p.reg(acc_bits));
  // Table precompute: per row and K-group, UNPU builds 2^K subset sums (2^K - K - 1 adds: the empty
  // and single-element entries are free); symmetrized tables take K-1 adds for the first entry and
  // one add (a sign flip of one element) for each next one in Gray-code order.
  const int adds = unpu ? (1 << K) - K - 1 : (K - 1) + (entries - 1);
  const Prim add = fp_table ? p.align_norm(11) : p.int_add(lut_bit + 2);
  const std::string add_name = fp_table ? "align_norm(11)" : prim1("int_add", lut_bit + 2);
  const bool in_tile = in.variant != LutVariant::LutTc;
  b.add(in_tile ? "precompute adders (in the tile)" : "precompute (vector unit, outside the tile)", add_name,
        double(M) * adds, add, per_op, in_tile);
  finish(e, ctx, "lut");
  return e;
}

Estimate estimate_lut(const LutConfig& c, const CostContext& ctx, LutVariant variant) {
  return estimate_lut(lut_cost_input(c, variant), ctx);
}

double sram_access_energy_pj(const CostContext& ctx, double capacity_bytes, int bits) {
  check_ctx(ctx);
  Primitives p(*ctx.tech);
  return p.sram_access_pj(capacity_bytes, bits) * ctx.tech->scale(45, ctx.node_nm).energy;
}

double dram_access_energy_pj(const CostContext& ctx, double bits) {
  check_ctx(ctx);
  Primitives p(*ctx.tech);
  return p.dram_access_pj(bits);  // DRAM interface energy does not follow logic scaling
}

}  // namespace bitexact::hw::cost
