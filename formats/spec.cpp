#include "formats/spec.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "formats/catalog.hpp"
#include "formats/error.hpp"
#include "formats/int_format.hpp"
#include "formats/posit_format.hpp"
#include "formats/spec_term.hpp"
#include "formats/value_table.hpp"

namespace bitexact {

namespace {

unsigned char uc(char c) { return static_cast<unsigned char>(c); }

// eXmY with IEEE-like defaults.
bool parse_exmy(std::string_view n, FloatParams& p) {
  if (n.size() < 4 || (n[0] != 'e' && n[0] != 'E')) return false;
  size_t i = 1;
  int e = 0, m = 0, de = 0, dm = 0;
  while (i < n.size() && std::isdigit(uc(n[i])) && de < 3) e = e * 10 + (n[i++] - '0'), ++de;
  if (de == 0 || i >= n.size() || (n[i] != 'm' && n[i] != 'M')) return false;
  ++i;
  while (i < n.size() && std::isdigit(uc(n[i])) && dm < 3) m = m * 10 + (n[i++] - '0'), ++dm;
  if (dm == 0 || i != n.size() || e < 1 || e > 15 || m > 52) return false;
  p = FloatParams{};
  p.exp_bits = e;
  p.man_bits = m;
  p.bias = (1 << (e - 1)) - 1;
  return true;
}

InfPolicy inf_value(const SpecTerm& t, const SpecArg& a) {
  if (a.value == "ieee") return InfPolicy::Ieee;
  if (a.value == "none") return InfPolicy::None;
  if (a.value == "top") return InfPolicy::Top;
  t.fail(fmt::format("inf must be ieee, none or top, not '{}'", a.value), a.value_pos);
}

NanPolicy nan_value(const SpecTerm& t, const SpecArg& a) {
  if (a.value == "ieee") return NanPolicy::Ieee;
  if (a.value == "allones" || a.value == "fn") return NanPolicy::AllOnes;
  if (a.value == "negzero" || a.value == "fnuz") return NanPolicy::NegZero;
  if (a.value == "none") return NanPolicy::None;
  t.fail(fmt::format("nan must be ieee, allones, negzero or none, not '{}'", a.value), a.value_pos);
}

// The float family: float<...>, eXmY, or a catalogued float with overrides. base is the catalogued
// format (nullptr for float<...> and eXmY).
Format parse_float(const SpecTerm& t, const CatalogEntry* base, bool use_catalog) {
  const bool generic = t.name == "float";
  FloatParams p;
  if (base) p = base->format.fp;
  else if (!generic && !parse_exmy(t.name, p)) t.fail("not a float format", t.name_pos);
  if (generic && !t.has_brackets) t.fail("expected '<' after 'float'", t.name_pos + t.name.size());
  bool seen_e = false, seen_m = false, bias_given = false;
  for (const SpecArg& a : t.args) {
    if (a.key.empty()) t.fail("expected a key (e, m, bias, signed, subnormals, zero, inf, nan)", a.value_pos);
    if (a.key == "e") { p.exp_bits = t.int_value(a, 1, 15); seen_e = true; }
    else if (a.key == "m") { p.man_bits = t.int_value(a, 0, 52); seen_m = true; }
    else if (a.key == "bias") { p.bias = t.int_value(a, -32768, 32768); bias_given = true; }
    else if (a.key == "signed") p.is_signed = t.bool_value(a);
    else if (a.key == "subnormals") p.subnormals = t.bool_value(a);
    else if (a.key == "zero") p.has_zero = t.bool_value(a);
    else if (a.key == "inf") p.inf = inf_value(t, a);
    else if (a.key == "nan") p.nan = nan_value(t, a);
    else t.fail(fmt::format("unknown key '{}' (expected e, m, bias, signed, subnormals, zero, inf, nan)", a.key),
                a.key_pos);
  }
  if (generic && !(seen_e && seen_m)) t.fail("float<...> needs both e= and m=", t.name_pos);
  if (generic && !bias_given) p.bias = (1 << (p.exp_bits - 1)) - 1;

  const CatalogEntry* same = use_catalog ? active_catalog().find_params(p) : nullptr;
  std::string name_out = same ? same->format.name : (t.args.empty() && base ? base->format.name : "");
  if (name_out.empty()) {
    Format shape;
    shape.fp = p;
    name_out = spec_string(shape);
  }
  try {
    return make_float_format(name_out, p);
  } catch (const FormatError& e) {
    throw FormatError(e.what(), t.text, FormatError::npos);
  }
}

// The non-float families, each given the chance to claim the name.
std::optional<Format> parse_other_family(const SpecTerm& t) {
  if (auto f = parse_int_spec(t)) return f;
  if (auto f = parse_posit_spec(t)) return f;
  if (auto f = parse_table_spec(t)) return f;
  return std::nullopt;
}

Format parse(std::string_view spec, bool use_catalog) {
  SpecTerm t = split_spec(spec);
  const CatalogEntry* e = use_catalog ? active_catalog().find(t.name) : nullptr;
  if (e && e->format.is_float()) return parse_float(t, e, use_catalog);
  if (e) {
    // A catalogued non-float format: its defining spec, with the user's arguments appended.
    SpecTerm def = split_spec(e->spec);
    def.text = t.text;
    for (auto& a : def.args) a.key_pos = a.value_pos = t.name_pos;
    for (const SpecArg& a : t.args) {
      auto it = std::find_if(def.args.begin(), def.args.end(),
                             [&](const SpecArg& d) { return !a.key.empty() && d.key == a.key; });
      if (it != def.args.end()) *it = a;
      else def.args.push_back(a);
    }
    def.name_pos = t.name_pos;
    def.has_brackets = true;
    std::optional<Format> f = parse_other_family(def);
    if (!f) t.fail(fmt::format("catalogue entry '{}' has an unusable spec '{}'", e->format.name, e->spec), t.name_pos);
    if (t.args.empty()) f->name = e->format.name;
    else if (const CatalogEntry* same = active_catalog().find_spec(spec_string(*f))) f->name = same->format.name;
    return *f;
  }
  if (t.name == "float" || (t.name.size() >= 4 && (t.name[0] == 'e' || t.name[0] == 'E') && std::isdigit(uc(t.name[1])))) {
    FloatParams probe;
    if (t.name == "float" || parse_exmy(t.name, probe)) return parse_float(t, nullptr, use_catalog);
  }
  if (std::optional<Format> f = parse_other_family(t)) {
    if (use_catalog)
      if (const CatalogEntry* same = active_catalog().find_spec(spec_string(*f))) f->name = same->format.name;
    return *f;
  }
  t.fail(fmt::format("unknown format '{}' (see 'bitexact formats list')", t.name), t.name_pos);
}

}  // namespace

Format parse_format(std::string_view spec) { return parse(spec, true); }

Format parse_format_arg(std::string_view spec, const SpecArg& arg, std::string_view what) {
  auto where = [&](const FormatError& e) {
    return std::min(spec.size(), arg.value_pos + (e.position() == FormatError::npos ? 0 : e.position()));
  };
  auto message = [&](const FormatError& e) { return fmt::format("{}: '{}': {}", what, arg.key, e.what()); };
  try {
    return parse_format(arg.value);
  } catch (const FormatFileError& e) {
    throw FormatFileError(message(e), std::string(spec), where(e));
  } catch (const FormatError& e) {
    throw FormatError(message(e), std::string(spec), where(e));
  }
}

Format parse_format_uncatalogued(std::string_view spec) { return parse(spec, false); }

const char* format_spec_help() {
  return "A FORMAT is a catalogue name or alias (float8_e4m3fn, e4m3, bf16, fp16, e2m1, ...; see "
         "'bitexact formats list'), an ExMy shape such as e3m3 (IEEE-like: bias 2^(E-1)-1, IEEE inf and NaN, "
         "subnormals; a catalogued shape such as e4m3 means the catalogued format), or "
         "float<e=E,m=M[,bias=B][,signed=true|false][,subnormals=true|false][,zero=true|false]"
         "[,inf=ieee|none|top][,nan=ieee|allones|negzero|none]>. NAME<key=value,...> overrides keys of a named format, "
         "e.g. float8_e4m3fn<subnormals=false>. Other families: integers and fixed point int8, uint4, int4_sym, "
         "int<bits=B[,signed=..][,symmetric=..][,frac=N]>, qM.N, uqM.N, fixed<m=M,n=N>; posits posit<n,es>, positN "
         "(es=2), positN_E; value tables nf4, ternary, binary, pow2<bits=B,emax=E,zero=true|false>, bitmod_fp3..., "
         "hifloat8, codebook<file=PATH>; IEEE P3109 binary8pPse / binary8pPsf.";
}

}  // namespace bitexact
