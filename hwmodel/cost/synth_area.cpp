#include "hwmodel/cost/synth_area.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "hwmodel/cost/tech_embedded.hpp"

namespace bitexact::hw::cost {

namespace {

[[noreturn]] void fail(const std::string& file, const toml::node& n, const std::string& what) {
  throw std::invalid_argument(fmt::format("{}: line {}: {}", file, n.source().begin.line, what));
}

std::string optional_text(const toml::table& t, const char* key) {
  const toml::node* n = t.get(key);
  if (auto v = n ? n->value<std::string>() : std::nullopt) return *v;
  return {};
}

template <class T>
T get(const toml::table& t, const char* key, const std::string& file, const std::string& name) {
  const toml::node* n = t.get(key);
  if (!n) fail(file, t, fmt::format("'{}' has no {}", name, key));
  if constexpr (std::is_same_v<T, int64_t>) {
    // A TOML integer only: toml++'s value<int64_t>() casts a float such as 1e39 to an integer,
    // which is undefined (fuzz_tech).
    if (const toml::value<int64_t>* i = n->as_integer()) return i->get();
  } else if (auto v = n->value<T>()) {
    return *v;
  }
  fail(file, *n, fmt::format("'{}': {} has the wrong type", name, key));
}

// A count that must fit the model's int fields: lanes, bits per cycle, logic depth.
int small_int(const toml::table& t, const char* key, const std::string& file, const std::string& name) {
  const int64_t v = get<int64_t>(t, key, file, name);
  if (v < 0 || v > 1'000'000) fail(file, *t.get(key), fmt::format("'{}': {} = {} is out of range 0..1000000", name, key, v));
  return int(v);
}

}  // namespace

SynthTable parse_synth_table(std::string_view text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument(fmt::format("{}: line {}: {}", file, e.source().begin.line, e.description()));
  }
  SynthTable s;
  const toml::table* meta = root["meta"].as_table();
  if (!meta) throw std::invalid_argument(fmt::format("{}: no [meta] table", file));
  s.yosys = get<std::string>(*meta, "yosys", file, "meta");
  s.date = get<std::string>(*meta, "date", file, "meta");
  s.flow = get<std::string>(*meta, "flow", file, "meta");
  s.nand2_um2 = get<double>(*meta, "nand2_um2", file, "meta");
  for (auto&& [k, node] : root) {
    const std::string name(k.str());
    if (name == "meta") continue;
    const toml::table* t = node.as_table();
    if (!t) fail(file, node, fmt::format("'{}' must be a table", name));
    SynthEntry e;
    e.name = name;
    e.kind = get<std::string>(*t, "kind", file, name);
    e.what = get<std::string>(*t, "note", file, name);
    e.top = get<std::string>(*t, "top", file, name);
    if (e.kind == "primitive") {
      e.primitive = get<std::string>(*t, "primitive", file, name);
    } else if (e.kind == "unit") {
      e.hw_unit = get<std::string>(*t, "hw_unit", file, name);
      e.formats = get<std::string>(*t, "formats", file, name);
      e.accum = get<std::string>(*t, "accum", file, name);
      e.lanes = small_int(*t, "lanes", file, name);
      e.bits_per_cycle = small_int(*t, "bits_per_cycle", file, name);
      e.lut_tile = optional_text(*t, "lut_tile");
      e.lut_table = optional_text(*t, "lut_table");
      e.lut_accum = optional_text(*t, "lut_accum");
    } else {
      fail(file, node, fmt::format("'{}': kind must be primitive or unit", name));
    }
    e.cells = get<int64_t>(*t, "cells", file, name);
    e.transistors = get<int64_t>(*t, "transistors", file, name);
    e.transistors_exact = get<bool>(*t, "transistors_exact", file, name);
    e.dffs = get<int64_t>(*t, "dffs", file, name);
    e.depth = small_int(*t, "depth", file, name);
    e.ge = get<double>(*t, "ge", file, name);
    e.transistors_cmos = get<int64_t>(*t, "transistors_cmos", file, name);
    e.area_um2_45 = get<double>(*t, "value", file, name);
    e.script = get<std::string>(*t, "script", file, name);
    s.entries.push_back(std::move(e));
  }
  return s;
}

SynthTable embedded_synth_table() {
  for (const EmbeddedTechFile& f : kEmbeddedTech)
    if (std::string_view(f.name) == "yosys_area") return parse_synth_table(f.text, "yosys_area");
  return {};
}

double primitive_area_um2(const Primitives& p, const std::string& call) {
  const size_t open = call.find('('), close = call.rfind(')');
  if (open == std::string::npos || close != call.size() - 1)
    throw std::invalid_argument(fmt::format("synth area: '{}' is not a primitive call", call));
  const std::string fn = call.substr(0, open), args = call.substr(open + 1, close - open - 1);
  // One or two widths of 1..65536, "A", "AxB" or "A,B", written out in full.
  const char* end = args.data() + args.size();
  auto bad = [&] { return std::invalid_argument(fmt::format("synth area: '{}': bad arguments", call)); };
  auto width = [&](const char* from, int& w) {
    const auto [ptr, ec] = std::from_chars(from, end, w);
    if (ec != std::errc() || w < 1 || w > 65536) throw bad();
    return ptr;
  };
  int a = 0, b = 0;
  const char* q = width(args.data(), a);
  const bool two = q != end;
  if (two && ((*q != 'x' && *q != ',') || width(q + 1, b) != end)) throw bad();
  if (fn == "int_mul" && two) return p.int_mul(a, b).area_um2;
  if (fn == "fp_mul" && two) return p.fp_mul(a, b).area_um2;
  if (fn == "shifter" && two) return p.shifter(a, b).area_um2;
  if (fn == "mux" && two) return p.mux(a, b).area_um2;
  if (fn == "int_add" && !two) return p.int_add(a).area_um2;
  if (fn == "reg" && !two) return p.reg(a).area_um2;
  if (fn == "align_norm" && !two) return p.align_norm(a).area_um2;
  if (fn == "normaliser" && !two) return p.normaliser(a).area_um2;
  throw std::invalid_argument(fmt::format("synth area: unknown primitive call '{}'", call));
}

}  // namespace bitexact::hw::cost
