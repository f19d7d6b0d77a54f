#include "formats/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "formats/catalog_embedded.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"

namespace bitexact {

namespace {

std::string lower(std::string_view s) {
  std::string r(s);
  std::transform(r.begin(), r.end(), r.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return r;
}

InfPolicy parse_inf(const std::string& v, const std::string& where) {
  if (v == "ieee") return InfPolicy::Ieee;
  if (v == "none") return InfPolicy::None;
  if (v == "top") return InfPolicy::Top;
  throw FormatError(fmt::format("{}: inf must be \"ieee\", \"none\" or \"top\", got \"{}\"", where, v));
}

NanPolicy parse_nan(const std::string& v, const std::string& where) {
  if (v == "ieee") return NanPolicy::Ieee;
  if (v == "allones") return NanPolicy::AllOnes;
  if (v == "negzero") return NanPolicy::NegZero;
  if (v == "none") return NanPolicy::None;
  throw FormatError(
      fmt::format("{}: nan must be \"ieee\", \"allones\", \"negzero\" or \"none\", got \"{}\"", where, v));
}

template <class T>
T required(const toml::table& t, const char* key, const std::string& where) {
  auto v = t[key].value<T>();
  if (!v) throw FormatError(fmt::format("{}: missing or mistyped key '{}'", where, key));
  return *v;
}

// An integer key that fits the parameter ranges' neighbourhood (make_float_format checks exactly).
int small_int(const toml::table& t, const char* key, const std::string& where) {
  // A TOML integer only: toml++'s value<int64_t>() casts a float such as 1e27 to int64 (undefined;
  // found by fuzz_catalog).
  const toml::value<int64_t>* n = t[key].as_integer();
  if (!n) throw FormatError(fmt::format("{}: missing or mistyped key '{}'", where, key));
  const int64_t v = n->get();
  if (v < -(int64_t{1} << 20) || v > (int64_t{1} << 20))
    throw FormatError(fmt::format("{}: {} = {} is out of range", where, key, v));
  return int(v);
}

bool optional_bool(const toml::table& t, const char* key, bool fallback, const std::string& where) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  if (!n->is_boolean()) throw FormatError(fmt::format("{}: {} must be true or false", where, key));
  return n->as_boolean()->get();
}

bool is_identifier(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

std::unique_ptr<Catalog>& active_slot() {
  static std::unique_ptr<Catalog> slot;
  return slot;
}

}  // namespace

Catalog Catalog::parse(std::string_view text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw FormatError(fmt::format("{}:{}:{}: {}", origin, b.line, b.column, e.description()));
  }
  Catalog c;
  for (auto&& [key, node] : root) {
    const std::string name(key.str());
    const std::string where = fmt::format("{}:{}: format '{}'", origin, node.source().begin.line, name);
    const toml::table* t = node.as_table();
    if (!t) throw FormatError(where + ": expected a table");
    if (!is_identifier(name)) throw FormatError(where + ": a format name may hold only letters, digits and '_'");
    for (auto&& [k, v] : *t) {
      static const char* known[] = {"exp_bits", "man_bits", "bias",    "signed", "subnormals", "zero",
                                    "inf",      "nan",      "aliases", "source", "spec"};
      const std::string_view key = k.str();  // (clang 14 cannot capture a structured binding)
      if (std::none_of(std::begin(known), std::end(known), [&](const char* n) { return key == n; }))
        throw FormatError(fmt::format("{}: unknown key '{}' (line {})", where, k.str(), v.source().begin.line));
    }
    CatalogEntry e;
    if (const toml::node* spec = t->get("spec")) {
      // Another family, defined by its spec string; the float keys do not apply.
      for (const char* k : {"exp_bits", "man_bits", "bias", "signed", "subnormals", "zero", "inf", "nan"})
        if (t->get(k)) throw FormatError(fmt::format("{}: '{}' cannot be combined with 'spec'", where, k));
      if (!spec->is_string()) throw FormatError(where + ": spec must be a string");
      e.spec = spec->as_string()->get();
      try {
        e.format = parse_format_uncatalogued(e.spec);
      } catch (const FormatError& err) {
        throw FormatError(fmt::format("{}: {}", where, err.what()));
      }
      if (e.format.is_float())
        throw FormatError(where + ": spec is for the other families; give a float with exp_bits/man_bits/...");
      e.format.name = name;
    } else {
    FloatParams p;
    p.exp_bits = small_int(*t, "exp_bits", where);
    p.man_bits = small_int(*t, "man_bits", where);
    p.bias = small_int(*t, "bias", where);
    p.is_signed = optional_bool(*t, "signed", true, where);
    p.subnormals = optional_bool(*t, "subnormals", true, where);
    p.has_zero = optional_bool(*t, "zero", true, where);
    p.inf = parse_inf(required<std::string>(*t, "inf", where), where);
    p.nan = parse_nan(required<std::string>(*t, "nan", where), where);
    try {
      e.format = make_float_format(name, p);
    } catch (const FormatError& err) {
      throw FormatError(fmt::format("{}: {}", where, err.what()));
    }
    }
    e.source = required<std::string>(*t, "source", where);
    if (const toml::array* a = (*t)["aliases"].as_array()) {
      for (auto&& al : *a) {
        auto s = al.value<std::string>();
        if (!s || !is_identifier(*s))
          throw FormatError(where + ": aliases must be strings of letters, digits and '_'");
        e.aliases.push_back(*s);
      }
    }
    const CatalogEntry* dup = c.find(name);
    for (const auto& a : e.aliases)
      if (!dup) dup = c.find(a);
    if (dup) throw FormatError(fmt::format("{}: name or alias already used by '{}'", where, dup->format.name));
    c.entries_.push_back(std::move(e));
  }
  // toml++ tables iterate in key order; keep the catalogue in file order for listings.
  std::stable_sort(c.entries_.begin(), c.entries_.end(), [&](const CatalogEntry& a, const CatalogEntry& b) {
    return root[a.format.name].node()->source().begin.line < root[b.format.name].node()->source().begin.line;
  });
  return c;
}

Catalog Catalog::load_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw FormatError(fmt::format("cannot read catalogue file '{}': not a readable regular file", path));
  std::ifstream in(path);
  std::stringstream ss;
  if (in) ss << in.rdbuf();
  if (!in || in.bad()) throw FormatError(fmt::format("cannot read catalogue file '{}'", path));
  Catalog c = parse(ss.str(), path);
  if (c.entries().empty()) throw FormatError(fmt::format("catalogue file '{}' defines no formats", path));
  return c;
}

const Catalog& Catalog::builtin() {
  static const Catalog c = parse(kEmbeddedCatalog, "formats/catalog.toml");
  return c;
}

const CatalogEntry* Catalog::find(std::string_view name) const {
  const std::string n = lower(name);
  for (const auto& e : entries_) {
    if (lower(e.format.name) == n) return &e;
    for (const auto& a : e.aliases)
      if (lower(a) == n) return &e;
  }
  return nullptr;
}

const CatalogEntry* Catalog::find_params(const FloatParams& p) const {
  for (const auto& e : entries_)
    if (e.format.is_float() && e.format.fp == p) return &e;
  return nullptr;
}

const CatalogEntry* Catalog::find_spec(const std::string& canonical_spec) const {
  for (const auto& e : entries_)
    if (!e.format.is_float() && e.format.spec == canonical_spec) return &e;
  return nullptr;
}

const Catalog& active_catalog() {
  auto& slot = active_slot();
  return slot ? *slot : Catalog::builtin();
}

void set_active_catalog(Catalog c) { active_slot() = std::make_unique<Catalog>(std::move(c)); }

}  // namespace bitexact
