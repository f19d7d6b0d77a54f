#include "hwmodel/lut/config.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "formats/error.hpp"
#include "hwmodel/config_spec.hpp"
#include "formats/spec.hpp"

namespace bitexact::hw {

namespace {

[[noreturn]] void bad(const std::string& msg) { throw std::invalid_argument("lut: " + msg); }

// The largest finite magnitude of the activation format (as a double; exact for the allowed formats).
double act_max(const Format& f) {
  if (f.family == Family::Int) return f.ip.is_signed ? std::ldexp(1.0, f.ip.bits - 1) : std::ldexp(1.0, f.ip.bits) - 1;
  return std::ldexp(2.0 - std::ldexp(1.0, -f.fp.man_bits), f.facts.emax);  // bound; fine for the range check
}

}  // namespace

LutConfig::LutConfig() { act = parse_format("float16"); }

bool LutConfig::operator==(const LutConfig& o) const {
  return m == o.m && n == o.n && k == o.k && w_bits == o.w_bits && weight == o.weight && act.name == o.act.name &&
         table == o.table && accum == o.accum && pipeline == o.pipeline;
}

void validate(const LutConfig& c) {
  if (c.m < 1 || c.m > 4096 || c.n < 1 || c.n > 4096) bad("m and n must be 1..4096");
  if (c.k < 1 || c.k > 8) bad("k must be 1..8");
  if (c.w_bits < 1 || c.w_bits > 4) bad("w_bits must be 1..4");
  if (c.pipeline < 1 || c.pipeline > 64) bad("pipeline must be 1..64");
  const Format& f = c.act;
  const bool is_int = f.family == Family::Int;
  if (is_int) {
    if (f.ip.bits > 16 || f.ip.frac_bits != 0) bad("integer activations must be plain integers of at most 16 bits");
  } else if (f.family == Family::Float) {
    const int lo = f.fp.subnormals ? f.facts.emin - f.fp.man_bits : f.facts.emin;
    if (lo < -24 || f.facts.emax > 15 || !f.fp.has_zero)
      bad("float activations must lie on 2^-24 .. 2^16 (float16, float8, float6, float4)");
  } else {
    bad("activations must be an integer or a float format");
  }
  if (c.accum == LutAccum::Int32) {
    if (!is_int) bad("an int32 accumulator needs integer activations");
    if (c.table == LutTable::Fp16 && double(c.k) * act_max(f) > 65504.0)
      bad("fp16 table entries could overflow (k * max|a| > 65504) before an int32 accumulator");
  }
}

UnitTiming timing(const LutConfig& c) {
  UnitTiming t;
  t.tile_m = c.m;
  t.tile_n = c.n;
  t.tile_k = c.k;
  t.cycles_per_op = c.w_bits;
  t.latency = c.w_bits - 1 + c.pipeline;
  return t;
}

LutPrecompute lut_precompute(const LutConfig& c) {
  LutPrecompute p;
  p.tables_per_op = c.m;
  p.entries = c.entries();
  p.adds_naive = p.entries * (c.k - 1);
  p.adds_incremental = (c.k - 1) + (p.entries - 1);
  p.quant_ops = c.table == LutTable::Int8 ? (p.entries - 1) + p.entries : 0;
  p.lookups_per_table = c.n * c.w_bits;
  return p;
}

LutGemmPrecompute lut_gemm_precompute(const LutConfig& c, uint64_t rows, uint64_t cols, uint64_t depth) {
  const LutPrecompute p = lut_precompute(c);
  auto ceil_div = [](uint64_t a, uint64_t b) { return (a + b - 1) / b; };
  const uint64_t groups = ceil_div(depth, uint64_t(c.k));
  LutGemmPrecompute g;
  g.tables = rows * groups;
  g.adds = g.tables * uint64_t(p.adds_incremental);
  g.quant_ops = g.tables * uint64_t(p.quant_ops);
  g.tables_unfused = g.tables * ceil_div(cols, uint64_t(c.n));
  g.lookups = ceil_div(rows, uint64_t(c.m)) * uint64_t(c.m) * ceil_div(cols, uint64_t(c.n)) * uint64_t(c.n) * groups *
              uint64_t(c.w_bits);
  const double macs = double(rows) * double(cols) * double(depth);
  g.adds_per_mac = macs > 0 ? double(g.adds) / macs : 0;
  return g;
}

const char* lut_table_name(LutTable t) { return t == LutTable::Int8 ? "int8" : "fp16"; }
const char* lut_accum_name(LutAccum a) {
  return a == LutAccum::Int32 ? "int32" : a == LutAccum::Fp16 ? "fp16" : "fp32";
}
const char* lut_weight_name(LutWeight w) {
  return w == LutWeight::Unsigned ? "unsigned" : w == LutWeight::Signed ? "signed" : "odd";
}

LutConfig parse_lut_config(std::string_view spec) {
  LutConfig c;
  ConfigSpec p(spec, "lut");
  p.each([&](std::string_view key, std::string_view val) {
    if (key == "m") c.m = p.integer(val);
    else if (key == "n") c.n = p.integer(val);
    else if (key == "k") c.k = p.integer(val);
    else if (key == "w_bits") c.w_bits = p.integer(val);
    else if (key == "pipeline") c.pipeline = p.integer(val);
    else if (key == "act") c.act = parse_format(val);
    else if (key == "weight")
      c.weight = p.choice(val, "weight", {LutWeight::Unsigned, LutWeight::Signed, LutWeight::Odd}, lut_weight_name);
    else if (key == "table") c.table = p.choice(val, "table", {LutTable::Int8, LutTable::Fp16}, lut_table_name);
    else if (key == "accum")
      c.accum = p.choice(val, "accum", {LutAccum::Int32, LutAccum::Fp16, LutAccum::Fp32}, lut_accum_name);
    else p.fail_key("m, n, k, w_bits, weight, act, table, accum, pipeline");
  });
  p.validated([&] { validate(c); });
  return c;
}

std::string lut_config_name(const LutConfig& c) {
  return "m=" + std::to_string(c.m) + ",n=" + std::to_string(c.n) + ",k=" + std::to_string(c.k) +
         ",w_bits=" + std::to_string(c.w_bits) + ",weight=" + lut_weight_name(c.weight) + ",act=" + c.act.name +
         ",table=" + lut_table_name(c.table) + ",accum=" + lut_accum_name(c.accum) +
         ",pipeline=" + std::to_string(c.pipeline);
}

}  // namespace bitexact::hw
