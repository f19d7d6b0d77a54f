#include "formats/catalog.hpp"

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "formats/catalog_embedded.hpp"
#include "formats/error.hpp"

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
  throw FormatError(fmt::format("{}: inf must be \"ieee\" or \"none\", got \"{}\"", where, v));
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
    FloatParams p;
    p.exp_bits = int(required<int64_t>(*t, "exp_bits", where));
    p.man_bits = int(required<int64_t>(*t, "man_bits", where));
    p.bias = int(required<int64_t>(*t, "bias", where));
    p.is_signed = (*t)["signed"].value_or(true);
    p.subnormals = (*t)["subnormals"].value_or(true);
    p.has_zero = (*t)["zero"].value_or(true);
    p.inf = parse_inf(required<std::string>(*t, "inf", where), where);
    p.nan = parse_nan(required<std::string>(*t, "nan", where), where);
    CatalogEntry e;
    try {
      e.format = make_float_format(name, p);
    } catch (const FormatError& err) {
      throw FormatError(fmt::format("{}: {}", where, err.what()));
    }
    e.source = required<std::string>(*t, "source", where);
    if (const toml::array* a = (*t)["aliases"].as_array()) {
      for (auto&& al : *a) {
        auto s = al.value<std::string>();
        if (!s) throw FormatError(where + ": aliases must be strings");
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
  std::ifstream in(path);
  if (!in) throw FormatError(fmt::format("cannot open catalogue file '{}'", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
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
    if (e.format.fp == p) return &e;
  return nullptr;
}

const Catalog& active_catalog() {
  auto& slot = active_slot();
  return slot ? *slot : Catalog::builtin();
}

void set_active_catalog(Catalog c) { active_slot() = std::make_unique<Catalog>(std::move(c)); }

}  // namespace bitexact
