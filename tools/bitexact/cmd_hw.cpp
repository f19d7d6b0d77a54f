// bitexact hw: hardware unit x format pair x GEMM shape (or LLM layer preset) -> cycles,
// throughput, area, energy and efficiency from the cost model (hwmodel/cost/) and the units'
// closed-form timing, as table / CSV / JSON, an HTML page with SVG charts, and an Accelergy-style
// ERT/ART export.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "emu/accum/accum_model.hpp"
#include "emu/scheme.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "hwmodel/cost/accelergy.hpp"
#include "hwmodel/cost/estimate.hpp"
#include "hwmodel/cost/primitives.hpp"
#include "hwmodel/cost/synth_area.hpp"
#include "hwmodel/cost/tech.hpp"
#include "hwmodel/lut/config.hpp"
#include "hwmodel/gemm_runner.hpp"
#include "hwmodel/layers.hpp"
#include "hwmodel/mac/config.hpp"
#include "hwmodel/unit.hpp"
#include "tools/bitexact/cli_common.hpp"
#include "tools/report/html.hpp"

namespace bitexact::cli {

namespace {

using hw::UnitTiming;
namespace cost = hw::cost;

struct HwOptions {
  std::vector<std::string> units;
  std::vector<std::string> formats;
  std::string accum = "auto";
  std::string shape;
  std::string layers;
  uint64_t tokens = 2048;
  double node = 28;
  std::string clock = "1GHz";
  std::string array = "16x16";
  int lanes = 4;
  int bits_per_cycle = 2;
  std::string lut_tile = "2x64x4";
  std::string lut_table = "auto";
  std::string lut_accum = "auto";
  std::string lut_variant = "luttc";
  std::string flow = "native";
  std::string tech;
  std::string out_format = "table";
  std::string html;
  std::string accelergy;
  bool breakdown = false;
  bool synth = false;
  std::vector<std::string> given;  // the options on the command line (their long names)
  bool given_option(std::string_view name) const { return std::find(given.begin(), given.end(), name) != given.end(); }
};

// Splits at `sep` outside <...>.
std::vector<std::string> split_outside(const std::string& s, char sep) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  for (char c : s) {
    if (c == '<') ++depth;
    if (c == '>') --depth;
    if (c == sep && depth == 0) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(trim(cur));
  return out;
}

std::vector<std::string> split_all(const std::vector<std::string>& args, char sep) {
  std::vector<std::string> out;
  for (const std::string& a : args)
    for (std::string& p : split_outside(a, sep)) out.push_back(std::move(p));
  return out;
}

// "1GHz", "800MHz", "1.5e9", "500 MHz" -> Hz.
double parse_clock(const std::string& text) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) s += char(std::tolower(static_cast<unsigned char>(c)));
  double mul = 1;
  for (auto [suffix, m] : {std::pair{"ghz", 1e9}, {"mhz", 1e6}, {"khz", 1e3}, {"hz", 1.0}}) {
    const std::string suf = suffix;
    if (s.size() > suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0) {
      s.resize(s.size() - suf.size());
      mul = m;
      break;
    }
  }
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (s.empty() || used != s.size() || !(v > 0) || !std::isfinite(v))
    throw UsageError(fmt::format("--clock: '{}' is not a frequency (e.g. 1GHz, 800MHz, 1.5e9)", text));
  return v * mul;
}

// "16x16" / "2x64x4": positive integers separated by 'x'.
std::vector<uint64_t> parse_dims(const std::string& text, const char* form, const char* option) {
  const size_t count = size_t(std::count(form, form + std::char_traits<char>::length(form), 'x')) + 1;
  std::vector<uint64_t> d;
  for (const std::string& part : split_outside(text, 'x')) {
    uint64_t v = 0;
    bool ok = !part.empty() && part.size() <= 12;
    for (char c : part) {
      if (!std::isdigit(static_cast<unsigned char>(c))) ok = false;
      else v = v * 10 + uint64_t(c - '0');
    }
    if (!ok || v == 0) {
      d.clear();
      break;
    }
    d.push_back(v);
  }
  if (d.size() != count) {
    throw UsageError(fmt::format("{}: '{}' is not {} (positive integers)", option, text, form));
  }
  return d;
}

Scheme scheme_option(const std::string& spec, const char* what) {
  try {
    return parse_scheme(spec);
  } catch (const FormatError& e) {
    throw_spec_error(e, fmt::format("--formats: {} '{}'", what, spec));
  }
}

struct Pair {
  std::string act, weight;  // as given
};

std::vector<Pair> parse_pairs(const std::vector<std::string>& args) {
  std::vector<Pair> out;
  for (const std::string& item : split_all(args, ',')) {
    if (item.empty()) throw UsageError("--formats: empty entry (expected ACT:WEIGHT pairs, e.g. e4m3:e4m3,fp16:int2)");
    std::vector<std::string> p = split_outside(item, ':');
    if (p.size() == 1) p.push_back(p[0]);
    if (p.size() != 2 || p[0].empty() || p[1].empty())
      throw UsageError(fmt::format("--formats: '{}' is not ACT:WEIGHT (e.g. e4m3:e4m3, fp16:int2)", item));
    out.push_back({p[0], p[1]});
  }
  return out;
}

// One configured unit for one format pair.
struct UnitCase {
  std::string unit, act, weight;
  double a_bits = 8, w_bits = 8;  // storage bits per element (block scales included)
  cost::Estimate est;
  UnitTiming timing;
};

bool is_int(const Scheme& s) { return !s.is_block ? s.format.family == Family::Int : s.block.int_element; }

AccumModel accum_for(const HwOptions& o, const Scheme& a, const Scheme& w, int lanes) {
  std::string spec = o.accum;
  if (spec == "auto")
    spec = is_int(a) && is_int(w) ? "exact<out=int32>" : fmt::format("fused<k={},acc=24,out=float32>", lanes);
  try {
    return parse_accum_model(spec);
  } catch (const FormatError& e) {
    throw_spec_error(e, "--accum");
  }
}

UnitCase make_case(const std::string& unit, const Pair& p, const HwOptions& o, const cost::CostContext& ctx) {
  UnitCase c;
  c.unit = unit;
  const Scheme a = scheme_option(p.act, "activation"), w = scheme_option(p.weight, "weight");
  c.act = scheme_name(a);
  c.weight = scheme_name(w);
  c.a_bits = bits_per_value(a);
  c.w_bits = bits_per_value(w);
  try {
    if (unit == "mac") {
      hw::MacConfig mc;  // the mac model's own configuration: its timing() is the unit's closed form
      mc.lanes = o.lanes, mc.act = a, mc.weight = w, mc.accum = accum_for(o, a, w, o.lanes);
      c.est = cost::estimate_mac(mc, ctx);
      c.timing = hw::timing(mc);
    } else if (unit == "bitserial") {
      if (a.is_block || w.is_block)
        throw UsageError(fmt::format("--formats: the bitserial unit takes scalar formats ('{}:{}')", p.act, p.weight));
      // The bit-serial PE model's estimate and timing where it streams the pair, else the cost model alone.
      cost::BitSerialCostInput in;
      in.lanes = o.lanes, in.bits_per_cycle = o.bits_per_cycle, in.act = a.format, in.weight = w.format;
      in.accum = accum_for(o, a, w, o.lanes);
      const cost::BitSerialUnitCost u = cost::estimate_bitserial_or_analytic(in, ctx);
      c.est = u.estimate;
      c.timing = u.timing;
    } else {  // lut
      if (a.is_block || w.is_block)
        throw UsageError(fmt::format("--formats: the lut unit takes scalar formats ('{}:{}')", p.act, p.weight));
      const Format& wf = w.format;
      const bool int_weight = wf.family == Family::Int || wf.family == Family::Table;
      if (!int_weight || wf.width() > 8)
        throw UsageError(fmt::format(
            "--formats: the lut unit takes integer weights of 1..8 bits (e.g. fp16:int2), not '{}'", p.weight));
      const std::vector<uint64_t> t = parse_dims(o.lut_tile, "MxNxK", "--lut-tile");
      hw::LutConfig lc;  // the LUT model's configuration: validated, its own timing
      lc.m = int(std::min<uint64_t>(t[0], 1 << 20)), lc.n = int(std::min<uint64_t>(t[1], 1 << 20)),
      lc.k = int(std::min<uint64_t>(t[2], 64));
      lc.w_bits = wf.width();
      lc.weight = wf.family == Family::Int && wf.ip.is_signed ? hw::LutWeight::Signed : hw::LutWeight::Unsigned;
      lc.act = a.format;
      const bool fp_act = a.format.is_float();
      const std::string table = o.lut_table == "auto" ? (fp_act ? "fp16" : "int8") : o.lut_table;
      const std::string acc = o.lut_accum == "auto" ? (fp_act ? "fp32" : "int32") : o.lut_accum;
      if (table != "int8" && table != "fp16") throw UsageError(fmt::format("--lut-table: '{}' is not int8, fp16 or auto", table));
      if (acc != "int32" && acc != "fp16" && acc != "fp32")
        throw UsageError(fmt::format("--lut-accum: '{}' is not int32, fp16, fp32 or auto", acc));
      lc.table = table == "int8" ? hw::LutTable::Int8 : hw::LutTable::Fp16;
      lc.accum = acc == "int32" ? hw::LutAccum::Int32 : acc == "fp16" ? hw::LutAccum::Fp16 : hw::LutAccum::Fp32;
      cost::LutVariant variant = cost::LutVariant::LutTc;
      bool known = false;
      for (cost::LutVariant v : {cost::LutVariant::Unpu, cost::LutVariant::Reinterp, cost::LutVariant::NegElim,
                                 cost::LutVariant::LutTc})
        if (o.lut_variant == cost::lut_variant_name(v)) variant = v, known = true;
      if (!known)
        throw UsageError(fmt::format("--lut-variant: '{}' is not unpu, reinterp, negelim or luttc", o.lut_variant));
      hw::validate(lc);
      c.est = cost::estimate_lut(lc, ctx, variant);
      c.timing = hw::timing(lc);
    }
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("{} {}:{}: {}", unit, p.act, p.weight, e.what()));
  }
  return c;
}

// Area from synthesis (hwmodel/tech/yosys_area.toml): the measured area of an entry at the context's
// node and the analytic area it is compared with (a primitive: uncalibrated constants; a unit: the
// estimate of the same configuration, built as `bitexact hw` would build it).
struct SynthRow {
  const cost::SynthEntry* entry = nullptr;
  std::string compared;  // "int_mul(8x8)" or "mac int8 x int8, dp4 ..."
  std::string unit, config;  // kind unit: the estimate's unit and configuration, for matching
  double synth_um2 = 0, analytic_um2 = 0;
};

std::vector<SynthRow> synth_rows(const cost::SynthTable& table, const HwOptions& o, const cost::CostContext& ctx) {
  std::vector<SynthRow> out;
  const cost::Primitives prim(*ctx.tech);
  const double scale = ctx.tech->scale(45, ctx.node_nm).area;
  for (const cost::SynthEntry& e : table.entries) {
    SynthRow r;
    r.entry = &e;
    r.synth_um2 = e.area_um2_45 * scale;
    if (e.kind == "primitive") {
      r.compared = e.primitive;
      r.analytic_um2 = cost::primitive_area_um2(prim, e.primitive) * scale;
    } else {
      HwOptions uo = o;
      if (e.lanes > 0) uo.lanes = e.lanes;
      if (!e.accum.empty()) uo.accum = e.accum;
      if (e.bits_per_cycle > 0) uo.bits_per_cycle = e.bits_per_cycle;
      if (!e.lut_tile.empty()) uo.lut_tile = e.lut_tile;
      if (!e.lut_table.empty()) uo.lut_table = e.lut_table;
      if (!e.lut_accum.empty()) uo.lut_accum = e.lut_accum;
      uo.lut_variant = "luttc";
      const UnitCase c = make_case(e.hw_unit, parse_pairs({e.formats}).at(0), uo, ctx);
      r.unit = c.unit, r.config = c.est.config;
      r.compared = fmt::format("{} {}", c.unit, c.est.config);
      r.analytic_um2 = c.est.area_um2;
    }
    out.push_back(std::move(r));
  }
  return out;
}

const SynthRow* synth_match(const std::vector<SynthRow>& rows, const UnitCase& c) {
  for (const SynthRow& r : rows)
    if (!r.unit.empty() && r.unit == c.unit && r.config == c.est.config) return &r;
  return nullptr;
}

struct Workload {
  std::string name;
  uint64_t M = 1, N = 1, K = 1;
  double count = 1;  // how many times it runs (per-block projections x blocks)
};

// LLM projection presets (hwmodel/layers.hpp); "bitnet-3b" is short for bitnet-b1.58-3b.
std::vector<Workload> layer_preset(const std::string& name, uint64_t tokens) {
  const std::string full = name == "bitnet-3b" ? "bitnet-b1.58-3b" : name;
  const hw::ModelPreset* preset = nullptr;
  for (const hw::ModelPreset& m : hw::model_presets())
    if (m.name == full) preset = &m;
  if (!preset) {
    std::string known;
    for (const hw::ModelPreset& m : hw::model_presets()) known += (known.empty() ? "" : ", ") + std::string(m.name);
    throw UsageError(fmt::format("--layers: unknown preset '{}' ({}, bitnet-3b)", name, known));
  }
  std::vector<Workload> w;
  for (const hw::LayerShape& l : preset->layers)
    w.push_back({std::string(l.name), tokens, l.N, l.K, double(l.per_block) * preset->blocks});
  return w;
}

struct Row {
  size_t unit_case = 0;
  Workload w;
  hw::GemmEstimate g;
  double time_s = 0, energy_j = 0, sram_j = 0, dram_j = 0;  // compute, SRAM and DRAM energy of all runs
};

Json num(double v, OutFormat of, int digits = 4) {
  if (!std::isfinite(v)) return of == OutFormat::Table ? Json(fmt::format("{}", v)) : Json(nullptr);
  if (of == OutFormat::Table) return Json(report::number(v, digits));
  return Json(v);
}

std::string case_label(const UnitCase& c) { return fmt::format("{} {} x {}", c.unit, c.act, c.weight); }

std::string render_html(const std::vector<UnitCase>& cases, const std::vector<Row>& rows, const HwOptions& o,
                        const cost::CostContext& ctx, const std::vector<SynthRow>& synth, const cost::SynthTable& st) {
  report::HtmlPage page("bitexact hw: area, energy and throughput");
  page.paragraph(fmt::format("Node {} nm, clock {} MHz, array {}, flow {}. Cost model: hwmodel/cost (constants with "
                             "sources in hwmodel/tech/*.toml); absolute numbers carry the band shown, ratios between "
                             "units costed with the same constants about +-{}%.",
                             report::number(ctx.node_nm), report::number(ctx.clock_hz / 1e6), o.array, o.flow,
                             int(cost::kRatioBand * 100)));
  report::BarChart area{"Area per MAC/cycle (one unit)", "um^2 per (MAC/cycle)"};
  report::BarChart energy{"Energy per MAC", "pJ per MAC"};
  for (const UnitCase& c : cases) {
    area.rows.push_back(case_label(c));
    area.values.push_back({c.est.area_per_mac_um2()});
    energy.rows.push_back(case_label(c));
    energy.values.push_back({c.est.energy_per_mac_pj()});
  }
  page.heading("Area and energy per MAC by format and unit");
  page.raw(report::svg_bars(area));
  page.raw(report::svg_bars(energy));
  std::vector<std::vector<std::string>> trows;
  for (const UnitCase& c : cases) {
    const cost::Estimate& e = c.est;
    trows.push_back({c.unit, c.act, c.weight, e.config, report::number(e.macs_per_cycle), report::number(e.area_um2),
                     report::number(e.energy_per_mac_pj()), report::number(e.tops_per_w()),
                     report::number(e.tops_per_mm2()), fmt::format("+-{}%", int(std::round(e.band * 100)))});
  }
  page.raw(report::html_table({"unit", "act", "weight", "configuration", "MAC/cycle", "area um2", "pJ/MAC", "TOPS/W",
                               "TOPS/mm2", "band"},
                              trows, {false, false, false, false, true, true, true, true, true, false}));
  page.heading("Area from synthesis");
  page.paragraph(fmt::format(
      "Measured beside analytic: each RTL configuration synthesized by rtl/synth/synth.py ({}, {}) to CMOS gates; "
      "gate equivalents = stat -tech cmos transistors / 4, area = GE x {} um2 (Nangate45 NAND2_X1) at 45 nm, "
      "scaled to {} nm like the analytic model. Primitives are compared with the uncalibrated constants, units with "
      "their estimate. No liberty file with areas is packaged by Debian, so this is an estimate.",
      st.yosys, st.date, report::number(st.nand2_um2), report::number(ctx.node_nm)));
  std::vector<std::vector<std::string>> srows;
  for (const SynthRow& r : synth)
    srows.push_back({r.entry->name, r.compared, report::number(double(r.entry->cells)),
                     report::number(double(r.entry->transistors)), report::number(r.entry->ge),
                     report::number(r.synth_um2), report::number(r.analytic_um2),
                     report::number(r.synth_um2 / r.analytic_um2, 3)});
  page.raw(report::html_table({"configuration", "compared with", "cells", "transistors", "GE", "synth um2",
                               "analytic um2", "synth / analytic"},
                              srows, {false, false, true, true, true, true, true, true}));
  if (!rows.empty()) {
    page.heading("Workload");
    std::vector<std::vector<std::string>> wrows;
    for (const Row& r : rows) {
      const UnitCase& c = cases[r.unit_case];
      wrows.push_back({case_label(c), r.w.name, fmt::format("{}x{}x{}", r.w.M, r.w.N, r.w.K), report::number(r.w.count),
                       report::number(double(r.g.cycles)), report::number(r.g.utilization, 3),
                       report::number(r.time_s * 1e6), report::number(r.energy_j * 1e6)});
    }
    page.raw(report::html_table({"unit", "layer", "MxNxK", "runs", "cycles (one run)", "utilization", "time us (all)",
                                 "energy uJ (all)"},
                                wrows, {false, false, false, true, true, true, true, true}));
  }
  page.heading("Cost breakdown by component");
  for (const UnitCase& c : cases) {
    report::BarChart b{case_label(c) + ": area by component", "um^2"};
    b.stacks = {"area"};
    report::BarChart be{case_label(c) + ": energy per cycle by component", "pJ per cycle"};
    for (const cost::Component& comp : c.est.components) {
      const std::string label = fmt::format("{} x{}", comp.name, report::number(comp.count));
      if (comp.in_unit) {
        b.rows.push_back(label);
        b.values.push_back({comp.area_um2});
      }
      be.rows.push_back(comp.in_unit ? label : label + " (outside)");
      be.values.push_back({comp.energy_pj});
    }
    page.raw(report::svg_bars(b));
    page.raw(report::svg_bars(be));
  }
  return page.str();
}

int run_hw(const Globals& g, const HwOptions& o) {
  const OutFormat of = parse_out_format(o.out_format);
  if (of == OutFormat::Jsonl) throw UsageError("--format: jsonl is not offered by hw (use json)");
  cost::TechLibrary tech = cost::TechLibrary::embedded();
  if (!o.tech.empty()) {
    try {
      tech.add_dir(o.tech);
    } catch (const std::invalid_argument& e) {
      throw InputError(fmt::format("--tech: {}", e.what()));
    }
  }
  cost::CostContext ctx{&tech, o.node, parse_clock(o.clock), o.flow == "native" ? "" : o.flow};
  if (o.flow != "native" && o.flow != "bitmod28" && o.flow != "luttc28")
    throw UsageError(fmt::format("--flow: '{}' is not native, bitmod28 or luttc28", o.flow));
  try {
    tech.scale(45, o.node);
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("--node: {}", e.what()));
  }
  std::vector<std::string> units = split_all(o.units.empty() ? std::vector<std::string>{"mac"} : o.units, ',');
  for (const std::string& u : units)
    if (u != "mac" && u != "bitserial" && u != "lut")
      throw UsageError(fmt::format("--unit: '{}' is not mac, bitserial or lut", u));
  // An option no chosen unit reads is a mistake to report, not to ignore.
  auto uses = [&](std::initializer_list<const char*> us) {
    return std::any_of(us.begin(), us.end(), [&](const char* u) { return std::find(units.begin(), units.end(), u) != units.end(); });
  };
  for (const char* opt : {"--lut-tile", "--lut-table", "--lut-accum", "--lut-variant"})
    if (o.given_option(opt) && !uses({"lut"})) throw UsageError(fmt::format("{} applies to --unit lut", opt));
  if (o.given_option("--bits-per-cycle") && !uses({"bitserial"}))
    throw UsageError("--bits-per-cycle applies to --unit bitserial");
  for (const char* opt : {"--lanes", "--accum"})
    if (o.given_option(opt) && !uses({"mac", "bitserial"})) throw UsageError(fmt::format("{} applies to --unit mac and bitserial", opt));
  if (o.given_option("--tokens") && o.layers.empty()) throw UsageError("--tokens applies to --layers");
  if (o.lanes < 1 || o.lanes > 1024) throw UsageError("--lanes: must be 1..1024");
  if (o.bits_per_cycle < 1 || o.bits_per_cycle > 8) throw UsageError("--bits-per-cycle: must be 1..8");
  const std::vector<uint64_t> arr = parse_dims(o.array, "RxC", "--array");
  if (arr[0] > 65536 || arr[1] > 65536) throw UsageError("--array: at most 65536 x 65536");
  if (!o.shape.empty() && !o.layers.empty()) throw UsageError("--shape and --layers exclude each other");
  std::vector<Pair> pairs = parse_pairs(o.formats.empty() ? std::vector<std::string>{"int8:int8,e4m3:e4m3,fp16:fp16"}
                                                          : o.formats);
  std::vector<Workload> work;
  if (!o.shape.empty()) {
    const std::vector<uint64_t> d = parse_dims(o.shape, "MxNxK", "--shape");
    work.push_back({"gemm", d[0], d[1], d[2], 1});
  } else if (!o.layers.empty()) {
    if (o.tokens == 0) throw UsageError("--tokens: must be at least 1");
    work = layer_preset(o.layers, o.tokens);
  }

  const cost::SynthTable synth_table = cost::embedded_synth_table();
  const std::vector<SynthRow> synth = synth_rows(synth_table, o, ctx);

  std::vector<UnitCase> cases;
  for (const std::string& u : units)
    for (const Pair& p : pairs) cases.push_back(make_case(u, p, o, ctx));

  std::vector<Row> rows;
  for (size_t i = 0; i < cases.size(); ++i) {
    for (const Workload& w : work) {
      // The GEMM runner (hwmodel/gemm_runner.hpp): a systolic output-stationary array, operands at
      // their storage bits (MX scales included), C in 32 bits, 256 KB A and B buffers.
      const hw::ArraySpec spec{cases[i].timing, int(arr[0]), int(arr[1]), true};
      hw::MemorySpec mem;
      mem.a_bits = cases[i].a_bits, mem.b_bits = cases[i].w_bits, mem.c_bits = 32;
      Row r{i, w, hw::estimate_gemm(spec, hw::GemmShape{w.M, w.N, w.K}, mem)};
      r.time_s = double(r.g.cycles) * w.count / ctx.clock_hz;
      // Compute energy: every MAC at the unit's energy per MAC (idle lanes gated, leakage ignored);
      // SRAM: 64-bit reads/writes of a 256 KB buffer; DRAM per bit (hwmodel/tech/horowitz45.toml).
      r.energy_j = r.g.macs * w.count * cases[i].est.energy_per_mac_pj() * 1e-12;
      r.sram_j = r.g.sram_bytes * 8 / 64 * cost::sram_access_energy_pj(ctx, double(mem.a_buffer_bytes), 64) *
                 w.count * 1e-12;
      r.dram_j = cost::dram_access_energy_pj(ctx, r.g.dram_bytes * 8) * w.count * 1e-12;
      rows.push_back(r);
    }
  }

  Json ctxj = base_context();
  ctxj["node_nm"] = o.node;
  ctxj["clock_hz"] = ctx.clock_hz;
  ctxj["array"] = o.array;
  ctxj["flow"] = o.flow;
  ctxj["tech"] = o.tech.empty() ? "embedded" : o.tech;
  if (!o.layers.empty()) ctxj["layers"] = o.layers, ctxj["tokens"] = o.tokens;
  std::ostringstream os;
  const double units_in_array = double(arr[0] * arr[1]);
  if (o.synth) {
    ctxj["yosys"] = synth_table.yosys;
    ctxj["synth_date"] = synth_table.date;
    ctxj["nand2_um2"] = synth_table.nand2_um2;
    TableWriter w(os, of,
                  {{"name"}, {"kind"}, {"compared"}, {"cells", false, false, true}, {"transistors", false, false, true},
                   {"ge", false, false, true}, {"transistors_cmos", false, false, true}, {"dffs", false, false, true}, {"depth", false, false, true},
                   {"synth_um2", false, false, true}, {"analytic_um2", false, false, true},
                   {"ratio", false, false, true}, {"script", false, false, false, true}},
                  ctxj, "synth");
    for (const SynthRow& r : synth) {
      const cost::SynthEntry& e = *r.entry;
      w.row({e.name, e.kind, r.compared, Json(e.cells), e.transistors_exact ? Json(e.transistors) : Json(fmt::format("{}+", e.transistors)),
             num(e.ge, of), Json(e.transistors_cmos), Json(e.dffs), Json(e.depth), num(r.synth_um2, of), num(r.analytic_um2, of),
             num(r.synth_um2 / r.analytic_um2, of, 3), Json(e.script)});
    }
    w.finish();
  } else if (o.breakdown) {
    TableWriter w(os, of,
                  {{"unit"}, {"act"}, {"weight"}, {"component"}, {"primitive"}, {"count", false, false, true},
                   {"area_um2", false, false, true}, {"energy_pj_per_cycle", false, false, true}, {"in_unit"}},
                  ctxj, "components");
    for (const UnitCase& c : cases)
      for (const cost::Component& k : c.est.components)
        w.row({c.unit, c.act, c.weight, k.name, k.primitive,
               k.count == std::floor(k.count) ? Json(uint64_t(k.count)) : num(k.count, of), num(k.area_um2, of),
               num(k.energy_pj, of), Json(k.in_unit)});
    w.finish();
  } else if (work.empty()) {
    TableWriter w(os, of,
                  {{"unit"}, {"act"}, {"weight"}, {"config", false, true}, {"macs_per_cycle", false, false, true},
                   {"area_um2", false, false, true}, {"synth_um2", false, false, true},
                   {"synth_ratio", false, false, true}, {"pj_per_mac", false, false, true}, {"mw", false, false, true},
                   {"tops", false, false, true}, {"tops_per_w", false, false, true}, {"tops_per_mm2", false, false, true},
                   {"band_pct", false, false, true}, {"components", false, false, false, true}},
                  ctxj, "units");
    for (const UnitCase& c : cases) {
      const cost::Estimate& e = c.est;
      Json comps = Json::array();
      for (const cost::Component& k : e.components)
        comps.push_back({{"name", k.name}, {"primitive", k.primitive}, {"family", k.family}, {"count", k.count},
                         {"area_um2", k.area_um2}, {"energy_pj_per_cycle", k.energy_pj}, {"in_unit", k.in_unit}});
      const SynthRow* sr = synth_match(synth, c);
      const Json none = of == OutFormat::Table ? Json("-") : Json(nullptr);
      w.row({c.unit, c.act, c.weight, e.config, num(e.macs_per_cycle, of), num(e.area_um2, of),
             sr ? num(sr->synth_um2, of) : none, sr ? num(sr->synth_um2 / e.area_um2, of, 3) : none,
             num(e.energy_per_mac_pj(), of), num(e.power_mw(), of), num(e.tops(), of), num(e.tops_per_w(), of),
             num(e.tops_per_mm2(), of), num(std::round(e.band * 100), of), comps});
    }
    w.finish();
  } else {
    TableWriter w(os, of,
                  {{"unit"}, {"act"}, {"weight"}, {"layer"}, {"m", false, false, true}, {"n", false, false, true},
                   {"k", false, false, true}, {"runs", false, false, true}, {"cycles", false, false, true},
                   {"util", false, false, true}, {"time_us", false, false, true}, {"peak_tops", false, false, true},
                   {"area_mm2", false, false, true}, {"energy_uj", false, false, true}, {"sram_uj", false, false, true},
                   {"dram_uj", false, false, true}, {"pj_per_mac", false, false, true},
                   {"tops_per_w", false, false, true}, {"tops_per_mm2", false, false, true},
                   {"band_pct", false, false, true}},
                  ctxj, "rows");
    auto emit = [&](const UnitCase& c, const std::string& layer, const Workload& wl, uint64_t cycles, double util,
                    double time_s, double energy_j, double sram_j, double dram_j) {
      const cost::Estimate& e = c.est;
      const bool total = wl.M == 0;  // the sum over a preset's layers has no one shape
      const Json none = of == OutFormat::Table ? Json("-") : Json(nullptr);
      w.row({c.unit, c.act, c.weight, layer, total ? none : Json(wl.M), total ? none : Json(wl.N),
             total ? none : Json(wl.K), num(wl.count, of), Json(cycles),
             num(util, of, 3), num(time_s * 1e6, of), num(e.tops() * units_in_array, of),
             num(e.area_um2 * units_in_array * 1e-6, of), num(energy_j * 1e6, of), num(sram_j * 1e6, of),
             num(dram_j * 1e6, of), num(e.energy_per_mac_pj(), of),
             num(e.tops_per_w(), of), num(e.tops_per_mm2(), of), num(std::round(e.band * 100), of)});
    };
    for (size_t i = 0; i < cases.size(); ++i) {
      double t = 0, en = 0, sr = 0, dr = 0, macs = 0, busy = 0;
      uint64_t cyc = 0;
      for (const Row& r : rows) {
        if (r.unit_case != i) continue;
        emit(cases[i], r.w.name, r.w, r.g.cycles, r.g.utilization, r.time_s, r.energy_j, r.sram_j, r.dram_j);
        t += r.time_s, en += r.energy_j, sr += r.sram_j, dr += r.dram_j, macs += r.g.macs * r.w.count;
        busy += double(r.g.cycles) * r.w.count * r.g.peak_macs_per_cycle;
        cyc += uint64_t(double(r.g.cycles) * r.w.count);
      }
      if (work.size() > 1) emit(cases[i], "total", Workload{"total", 0, 0, 0, 1}, cyc, macs / busy, t, en, sr, dr);
    }
    w.finish();
  }

  // Everything is computed; now write (atomically for files).
  std::string html;
  if (!o.html.empty()) html = render_html(cases, rows, o, ctx, synth, synth_table);
  std::vector<FileOutput> files;
  if (!o.accelergy.empty()) {
    std::vector<cost::NamedEstimate> named;
    for (const UnitCase& c : cases) named.push_back({cost::identifier(case_label(c)), c.est});
    std::error_code ec;
    std::filesystem::create_directories(o.accelergy, ec);
    files.push_back({"--accelergy", (std::filesystem::path(o.accelergy) / "ERT.yaml").string(), cost::accelergy_ert_yaml(named)});
    files.push_back({"--accelergy", (std::filesystem::path(o.accelergy) / "ART.yaml").string(), cost::accelergy_art_yaml(named)});
  }
  if (!o.html.empty()) files.push_back({"--html", o.html, std::move(html)});
  write_outputs(g, files, os.str());
  return kExitOk;
}

}  // namespace

void add_hw_command(CLI::App& root, const Globals& globals, Registry& registry) {
  auto o = std::make_shared<HwOptions>();
  CLI::App* cmd = root.add_subcommand(
      "hw", "hardware cost of MAC / bit-serial / LUT Tensor Core units per format pair: area, energy per MAC, "
            "TOPS, TOPS/W, TOPS/mm2 with uncertainty bands, GEMM or LLM-layer cycles, HTML charts, Accelergy export");
  cmd->add_option("--unit,-u", o->units, "units, comma list: mac (DPn dot product), bitserial, lut (default mac)")
      ->option_text("LIST")
      ->allow_extra_args(false);
  cmd->add_option("--formats", o->formats,
                  "ACT:WEIGHT scheme pairs, comma list (default int8:int8,e4m3:e4m3,fp16:fp16); lut weights are "
                  "INTb (fp16:int2)")
      ->option_text("LIST")
      ->allow_extra_args(false);
  cmd->add_option("--accum", o->accum,
                  "mac/bitserial accumulation model (bitexact dot --list-models); auto: exact<out=int32> for INT x "
                  "INT, else fused<k=LANES,acc=24,out=float32>")
      ->option_text("MODEL");
  cmd->add_option("--shape", o->shape, "a GEMM M x N x K (out[M x N] = A[M x K] B[K x N])")->option_text("MxNxK");
  cmd->add_option("--layers", o->layers, "LLM projection presets: llama2-7b, bitnet-3b (M = --tokens)")
      ->option_text("PRESET");
  cmd->add_option("--tokens", o->tokens, "tokens (GEMM M) for --layers (default 2048)")->option_text("T");
  cmd->add_option("--node", o->node, "technology node in nm (default 28): 5, 7, 16, 22, 28, 40, 45, 65")
      ->option_text("NM");
  cmd->add_option("--clock", o->clock, "clock (default 1GHz): 800MHz, 1.5GHz, 1e9")->option_text("F");
  cmd->add_option("--array", o->array, "units in the array for --shape/--layers (default 16x16)")->option_text("RxC");
  cmd->add_option("--lanes", o->lanes, "mac DPn lanes / bitserial lanes (default 4)")->option_text("N");
  cmd->add_option("--bits-per-cycle", o->bits_per_cycle, "bitserial weight bits per cycle (default 2; 1 = Stripes/Loom)")
      ->option_text("B");
  cmd->add_option("--lut-tile", o->lut_tile, "LUT tile M x N x K (default 2x64x4)")->option_text("MxNxK");
  cmd->add_option("--lut-table", o->lut_table, "LUT table entries: int8, fp16, auto (fp16 for float activations)")
      ->option_text("T");
  cmd->add_option("--lut-accum", o->lut_accum, "LUT accumulators: int32, fp16, fp32, auto (fp32 for float activations)")
      ->option_text("A");
  cmd->add_option("--lut-variant", o->lut_variant,
                  "LUT-TC Table 2 ablation: unpu (2^K tables, precompute in the tile), reinterp, negelim, luttc "
                  "(default)")
      ->option_text("V");
  cmd->add_option("--flow", o->flow,
                  "calibration: native (each family its own anchor), bitmod28 or luttc28 (all units in one "
                  "synthesis flow, for like-for-like comparisons)")
      ->option_text("F");
  cmd->add_option("--tech", o->tech, "a folder of technology tables (*.toml) overriding the embedded constants by name")
      ->option_text("DIR");
  cmd->add_option("--format,-f", o->out_format, "output: table (default), csv or json (json adds the breakdown)")
      ->option_text("table|csv|json");
  cmd->add_flag("--breakdown", o->breakdown, "one row per component of each unit instead of one per unit");
  cmd->add_flag("--synth", o->synth,
                "the area from synthesis (rtl/synth, yosys 0.23): each synthesized configuration's cells, "
                "transistors, gate equivalents and area beside the analytic area, and their ratio");
  cmd->add_option("--html", o->html, "also write a self-contained HTML page with SVG charts")->option_text("FILE");
  cmd->add_option("--accelergy", o->accelergy, "also write Accelergy-style ERT.yaml and ART.yaml into DIR")
      ->option_text("DIR");
  cmd->footer(wrap(
                  "Per unit and format pair: area of one unit (um^2), energy per MAC (pJ), power at the clock with "
                  "every lane busy (mW), peak TOPS (2 ops per MAC), TOPS/W, TOPS/mm^2 and the relative band of the "
                  "absolute numbers (about +-20% holds for ratios between units costed with the same constants). "
                  "synth_um2 / synth_ratio: the area of the same configuration from yosys synthesis (rtl/synth; "
                  "--synth lists them all) and its ratio to the analytic area, '-' where none was synthesized. "
                  "With --shape or --layers: cycles of an output-stationary array (cycles = (ops-1) x II + latency + "
                  "skew), utilization, time, array area and compute energy (leakage and memory traffic not "
                  "included). Constants, sources and calibration: README \"The cost model and bitexact hw\".",
                  100) +
              "\nExamples:\n"
              "  bitexact hw --unit mac --formats int8:int8,e4m3:e4m3,e2m1:e2m1,fp16:fp16\n"
              "  bitexact hw --unit mac,bitserial,lut --formats fp16:int2,int8:int2 --node 7 --clock 1.5GHz\n"
              "  bitexact hw --unit lut --formats int8:int2 --lut-tile 2x64x4 --breakdown\n"
              "  bitexact hw --unit mac,lut --formats int8:int2 --layers bitnet-3b --tokens 1 --array 8x8\n"
              "  bitexact hw --formats e4m3:e4m3 --shape 4096x4096x4096 --html hw.html --accelergy accelergy/");
  registry.push_back({cmd, [&globals, o, cmd] {
                        for (const CLI::Option* opt : cmd->get_options())
                          if (opt->count() > 0) o->given.push_back(opt->get_name());
                        return run_hw(globals, *o);
                      }});
}

}  // namespace bitexact::cli
