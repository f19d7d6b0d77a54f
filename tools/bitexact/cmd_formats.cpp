// bitexact formats list | show NAME: the catalogue, and everything about one format.
#include <iostream>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "emu/ops.hpp"
#include "emu/value_io.hpp"
#include "formats/catalog.hpp"
#include "formats/codec.hpp"
#include "formats/spec.hpp"
#include "tools/bitexact/cli_common.hpp"

namespace bitexact::cli {

namespace {

// The code's fields as binary digits, "S.EEEE.MMM" (no sign field for unsigned formats,
// no mantissa field when M = 0).
std::string code_bits(const Format& f, uint64_t code) {
  if (!f.is_float()) {  // other families: the plain binary code
    std::string s;
    for (int i = f.width() - 1; i >= 0; --i) s += char('0' + ((code >> i) & 1));
    return s;
  }
  const int e = f.fp.exp_bits, m = f.fp.man_bits;
  std::string s;
  if (f.fp.is_signed) s += (code >> (e + m)) & 1 ? "1." : "0.";
  for (int i = e + m - 1; i >= m; --i) s += char('0' + ((code >> i) & 1));
  if (m > 0) {
    s += '.';
    for (int i = m - 1; i >= 0; --i) s += char('0' + ((code >> i) & 1));
  }
  return s;
}

const Format& float64_format() {
  static const Format f64 = make_float_format("float64", FloatParams{11, 52, 1023});
  return f64;
}

// A binary value as a shortest decimal (via float64, which holds every derived fact of every
// format with <= 11 exponent bits), or as sig*2^exp when it does not fit.
std::string binary_value_text(const BinaryValue& v) {
  Unpacked u;
  u.cls = ValueClass::Finite;
  u.significand = v.significand;
  u.exponent = v.exponent;
  if (auto c = encode(float64_format(), u)) return value_to_string(float64_format(), *c);
  return fmt::format("{}*2^{}", v.significand, v.exponent);
}

struct Fact {
  std::string key;
  std::string text;
  Json json;
};

std::vector<Fact> format_facts(const Format& f, const CatalogEntry* entry) {
  std::vector<Fact> facts;
  auto add = [&](std::string k, std::string t, Json j) { facts.push_back({std::move(k), std::move(t), std::move(j)}); };
  const FloatParams& p = f.fp;
  add("name", f.name, f.name);
  if (entry) {
    std::string a;
    for (const auto& s : entry->aliases) a += (a.empty() ? "" : " ") + s;
    add("aliases", a, entry->aliases);
  } else {
    add("aliases", "", Json::array());
  }
  add("spec", spec_string(f), spec_string(f));
  add("source", entry ? entry->source : "generic (from the spec string)", entry ? entry->source : "");
  add("family", family_name(f.family), family_name(f.family));
  auto value_fact = [&](const char* key, uint64_t code) {
    const std::string v = value_to_string(f, code), h = value_to_hex(f, code), x = value_to_exact_decimal(f, code);
    // People read the exact value where it is short (0.015625), the shortest decimal otherwise.
    add(key, fmt::format("{} ({}), code {}", x.size() <= 24 ? x : v, h, code_hex(f, code)),
        Json{{"value", v}, {"hex", h}, {"exact", x}, {"code", code_hex(f, code)}});
  };
  if (!f.is_float()) {
    add("width", fmt::format("{} bits", f.width()), f.width());
    add("signed", f.is_signed ? "yes" : "no", f.is_signed);
    add("inf", f.has_inf() ? "yes" : "none", f.has_inf());
    add("nan", f.has_nan() ? "yes" : "none", f.has_nan());
    value_fact("max_finite", max_code(f, false));
    if (f.is_signed) value_fact("min_finite", max_code(f, true));
    value_fact("min_positive", min_code(f, false));
    return facts;
  }
  add("width", fmt::format("{} bits (sign {}, exponent {}, mantissa {})", f.width(), p.is_signed ? 1 : 0, p.exp_bits, p.man_bits),
      f.width());
  add("exp_bits", std::to_string(p.exp_bits), p.exp_bits);
  add("man_bits", std::to_string(p.man_bits), p.man_bits);
  add("bias", std::to_string(p.bias), p.bias);
  add("signed", p.is_signed ? "yes" : "no", p.is_signed);
  add("subnormals", p.subnormals ? "yes" : "no", p.subnormals);
  add("zero", p.has_zero ? "yes" : "no", p.has_zero);
  add("inf", inf_policy_name(p.inf), inf_policy_name(p.inf));
  add("nan", nan_policy_name(p.nan), nan_policy_name(p.nan));
  add("emin", std::to_string(f.facts.emin), f.facts.emin);
  add("emax", std::to_string(f.facts.emax), f.facts.emax);
  value_fact("max_finite", max_code(f, false));
  value_fact("min_normal", f.facts.min_normal_code);
  value_fact("min_subnormal", min_code(f, false));
  const BinaryValue eps = epsilon(f);
  add("epsilon", fmt::format("{} (2^{})", binary_value_text(eps), eps.exponent),
      Json{{"value", binary_value_text(eps)}, {"log2", eps.exponent}});
  add("binades", std::to_string(binade_count(f)), binade_count(f));
  return facts;
}

int run_list(const Globals& g, const std::string& out_format) {
  const OutFormat of = parse_out_format(out_format);
  Output out(g.out);
  Json ctx = base_context();
  TableWriter w(out.stream(), of,
                {{"name"}, {"family"}, {"width"}, {"E"}, {"M"}, {"bias"}, {"signed"}, {"inf"}, {"nan"}, {"max"},
                 {"aliases"}},
                ctx, "formats");
  for (const CatalogEntry& e : active_catalog().entries()) {
    const Format& f = e.format;
    const std::string max = value_to_string(f, max_code(f, false));
    if (f.is_float())
      w.row({f.name, family_name(f.family), f.width(), f.fp.exp_bits, f.fp.man_bits, f.fp.bias, f.fp.is_signed,
             inf_policy_name(f.fp.inf), nan_policy_name(f.fp.nan), max, e.aliases});
    else  // E, M and bias describe floats only
      w.row({f.name, family_name(f.family), f.width(), Json(), Json(), Json(), f.is_signed,
             f.has_inf() ? "yes" : "none", f.has_nan() ? "yes" : "none", max, e.aliases});
  }
  w.finish();
  out.finish();
  return kExitOk;
}

struct ShowOptions {
  std::string name;
  std::string out_format = "table";
  bool codes = false;
  bool no_codes = false;
};

int run_show(const Globals& g, const ShowOptions& o) {
  const OutFormat of = parse_out_format(o.out_format);
  const Format f = parse_format_option(o.name, "formats show");
  const CatalogEntry* entry =
      f.is_float() ? active_catalog().find_params(f.fp) : active_catalog().find_spec(spec_string(f));
  if (o.codes && f.width() > 16)
    throw UsageError(fmt::format("formats show --codes: {} has {} bits; code tables stop at 16", f.name, f.width()));
  const bool with_codes = !o.no_codes && (o.codes || f.width() <= 8);
  const std::vector<Fact> facts = format_facts(f, entry);

  Output out(g.out);
  std::ostream& os = out.stream();
  Json ctx = base_context();
  ctx["format"] = format_context(f);

  if (of == OutFormat::Table) {
    size_t w = 0;
    for (const auto& fa : facts) w = std::max(w, fa.key.size());
    for (const auto& fa : facts) os << fmt::format("{:<{}}  {}\n", fa.key, w, fa.text);
    if (with_codes) os << '\n';
  }
  if (of == OutFormat::Csv && !with_codes) {
    TableWriter t(os, of, {{"property"}, {"value"}}, ctx);
    for (const auto& fa : facts) t.row({fa.key, fa.text});
    t.finish();
    out.finish();
    return kExitOk;
  }
  if (of == OutFormat::Table && !with_codes) {
    out.finish();
    return kExitOk;
  }

  TableWriter t(os, of, {{"code"}, {"bits"}, {"class"}, {"value"}, {"exact"}}, ctx, "codes");
  Json props = Json::object();
  for (const auto& fa : facts) props[fa.key] = fa.json;
  t.set_extra("format", props);
  if (with_codes) {
    for (uint64_t code : all_codes(f))
      t.row({code_hex(f, code), code_bits(f, code), class_name(classify(f, code)), value_to_string(f, code),
             value_to_exact_decimal(f, code)});
  }
  t.finish();
  out.finish();
  return kExitOk;
}

}  // namespace

void add_formats_command(CLI::App& root, const Globals& globals, Registry& registry) {
  CLI::App* formats = root.add_subcommand("formats", "list the catalogued number formats, or show one in full");
  formats->require_subcommand(1);
  formats->footer("FORMAT specs:\n" + wrap(format_spec_help(), 100, "  ") +
                  "\nExamples:\n"
                  "  bitexact formats list\n"
                  "  bitexact formats show e4m3\n"
                  "  bitexact formats show 'float<e=3,m=2,bias=3,inf=none,nan=none>' --format json");

  auto list_format = std::make_shared<std::string>("table");
  CLI::App* list = formats->add_subcommand("list", "the catalogue: canonical name, width, E, M, bias, inf, NaN, "
                                                   "largest finite value and aliases of every named format");
  list->add_option("--format,-f", *list_format, kOutFormatHelp)->option_text("table|csv|json|jsonl");
  list->footer("Examples:\n  bitexact formats list\n  bitexact formats list --format csv\n"
               "  bitexact --catalog my_formats.toml formats list");
  registry.push_back({list, [&globals, list_format] { return run_list(globals, *list_format); }});

  auto show_opts = std::make_shared<ShowOptions>();
  CLI::App* show = formats->add_subcommand(
      "show", "everything about one format: parameters, derived facts (max finite, min normal, min subnormal, "
              "epsilon, binades), spec string, source, and for formats up to 8 bits the table of all codes");
  show->add_option("FORMAT", show_opts->name, "a catalogue name, alias or spec string (see 'bitexact formats --help')")
      ->required();
  show->add_option("--format,-f", show_opts->out_format,
                   "output: table, csv (the code table; the properties when there is none), json or jsonl")
      ->option_text("table|csv|json|jsonl");
  show->add_flag("--codes", show_opts->codes, "list every code also for formats of 9..16 bits");
  show->add_flag("--no-codes", show_opts->no_codes, "omit the code table");
  show->footer(wrap("The code table has, per code: the code in hex, its bits as S.E.M, its class, the shortest "
                    "decimal that reads back to it (rne) and its exact decimal value.", 100) +
               "\nExamples:\n  bitexact formats show float4_e2m1fn\n  bitexact formats show e5m2 --format csv\n"
               "  bitexact formats show bf16 --format json");
  registry.push_back({show, [&globals, show_opts] { return run_show(globals, *show_opts); }});
}

}  // namespace bitexact::cli
