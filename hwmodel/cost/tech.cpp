#include "hwmodel/cost/tech.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "hwmodel/cost/tech_embedded.hpp"

namespace bitexact::hw::cost {

namespace {

[[noreturn]] void fail(const std::string& file, const toml::node& n, const std::string& what) {
  throw std::invalid_argument(fmt::format("{}: line {}: {}", file, n.source().begin.line, what));
}

double number(const toml::table& t, const char* key, const std::string& file, const std::string& name) {
  const toml::node* n = t.get(key);
  if (!n) fail(file, t, fmt::format("'{}' has no {}", name, key));
  if (auto v = n->value<double>()) return *v;
  fail(file, *n, fmt::format("'{}': {} must be a number", name, key));
}

std::string text(const toml::table& t, const char* key, const std::string& file, const std::string& name,
                 bool required) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) fail(file, t, fmt::format("'{}' has no {}", name, key));
    return {};
  }
  if (auto v = n->value<std::string>()) return *v;
  fail(file, *n, fmt::format("'{}': {} must be a string", name, key));
}

bool same_node(double a, double b) { return std::fabs(a - b) < 1e-9; }

}  // namespace

TechLibrary TechLibrary::embedded() {
  TechLibrary lib;
  for (const EmbeddedTechFile& f : kEmbeddedTech) lib.add_toml(f.text, f.name);
  return lib;
}

void TechLibrary::add_toml(std::string_view text_in, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(text_in, file);
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument(
        fmt::format("{}: line {}: {}", file, e.source().begin.line, e.description()));
  }
  double file_node = 0, file_volt = 0, model_node = 0;
  if (const toml::table* meta = root["meta"].as_table()) {
    file_node = number(*meta, "node_nm", file, "meta");
    file_volt = number(*meta, "voltage_v", file, "meta");
    model_node = number(*meta, "model_node_nm", file, "meta");
  } else {
    throw std::invalid_argument(fmt::format("{}: no [meta] table (node_nm, voltage_v, model_node_nm, source)", file));
  }
  // A file replaces every factor listed under its name before.
  for (auto&& [k, node] : root) {
    const std::string name(k.str());
    if (name == "meta") continue;
    if (name == "node_scaling") {
      const toml::array* arr = node.as_array();
      if (!arr) fail(file, node, "node_scaling must be an array of tables ([[node_scaling]])");
      for (const toml::node& e : *arr) {
        const toml::table* t = e.as_table();
        if (!t) fail(file, e, "a node_scaling entry must be a table");
        NodeFactor f;
        f.from_nm = number(*t, "from_nm", file, "node_scaling");
        f.to_nm = number(*t, "to_nm", file, "node_scaling");
        f.area = number(*t, "area", file, "node_scaling");
        f.energy = number(*t, "energy", file, "node_scaling");
        if (!(f.area > 0) || !(f.energy > 0) || !(f.from_nm > 0) || !(f.to_nm > 0))
          fail(file, e, "node_scaling: nodes and factors must be positive");
        f.source = file;
        std::erase_if(factors_, [&](const NodeFactor& o) {
          return same_node(o.from_nm, f.from_nm) && same_node(o.to_nm, f.to_nm);
        });
        factors_.push_back(f);
      }
      continue;
    }
    const toml::table* t = node.as_table();
    if (!t) fail(file, node, fmt::format("'{}' must be a table (value, unit, source, how)", name));
    TechConstant c;
    c.key = file + "." + name;
    c.value = number(*t, "value", file, name);
    c.unit = text(*t, "unit", file, name, true);
    c.source = text(*t, "source", file, name, true);
    c.how = text(*t, "how", file, name, true);
    if (c.how != "V" && c.how != "D" && c.how != "M")
      fail(file, node, fmt::format("'{}': how must be V (verified), D (derived) or M (modelling assumption)", name));
    c.note = text(*t, "note", file, name, false);
    c.node_nm = t->get("node_nm") ? number(*t, "node_nm", file, name) : file_node;
    c.voltage_v = t->get("voltage_v") ? number(*t, "voltage_v", file, name) : file_volt;
    c.model_node_nm = model_node;
    constants_[c.key] = std::move(c);
  }
}

void TechLibrary::add_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw std::invalid_argument(fmt::format("{}: not a folder", dir));
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  if (ec) throw std::invalid_argument(fmt::format("{}: cannot list: {}", dir, ec.message()));
  if (files.empty()) throw std::invalid_argument(fmt::format("{}: no .toml files", dir));
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) throw std::invalid_argument(fmt::format("{}: cannot read", p.string()));
    // Entries are named by the file's stem; an error names the file's path (the input).
    try {
      add_toml(ss.str(), p.stem().string());
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what(), stem = p.stem().string() + ":";
      throw std::invalid_argument(what.rfind(stem, 0) == 0 ? p.string() + what.substr(stem.size() - 1)
                                                           : p.string() + ": " + what);
    }
  }
}

const TechConstant& TechLibrary::at(const std::string& key) const {
  auto it = constants_.find(key);
  if (it == constants_.end()) throw std::invalid_argument(fmt::format("technology constant '{}' is not defined", key));
  return it->second;
}

std::vector<double> TechLibrary::nodes() const {
  std::vector<double> n;
  for (const NodeFactor& f : factors_) {
    for (double x : {f.from_nm, f.to_nm})
      if (std::none_of(n.begin(), n.end(), [&](double y) { return same_node(x, y); })) n.push_back(x);
  }
  std::sort(n.begin(), n.end());
  return n;
}

NodeScale TechLibrary::scale(double from_nm, double to_nm) const {
  auto label = [](double v) { return fmt::format("{:g}", v); };
  if (same_node(from_nm, to_nm)) return {1, 1, label(from_nm)};
  // Breadth-first over the listed factors (each usable both ways): direct factors win, then the
  // shortest chain; ties go to the factor listed first.
  struct Step {
    double node;
    NodeScale s;
  };
  std::deque<Step> queue{{from_nm, {1, 1, label(from_nm)}}};
  std::vector<double> seen{from_nm};
  while (!queue.empty()) {
    Step cur = queue.front();
    queue.pop_front();
    for (const NodeFactor& f : factors_) {
      double next = 0, a = 0, e = 0;
      if (same_node(f.from_nm, cur.node)) {
        next = f.to_nm, a = f.area, e = f.energy;
      } else if (same_node(f.to_nm, cur.node)) {
        next = f.from_nm, a = 1 / f.area, e = 1 / f.energy;
      } else {
        continue;
      }
      if (std::any_of(seen.begin(), seen.end(), [&](double y) { return same_node(y, next); })) continue;
      Step s{next, {cur.s.area * a, cur.s.energy * e, cur.s.path + "->" + label(next)}};
      if (same_node(next, to_nm)) return s.s;
      seen.push_back(next);
      queue.push_back(s);
    }
  }
  std::string known;
  for (double n : nodes()) known += (known.empty() ? "" : ", ") + label(n);
  throw std::invalid_argument(fmt::format("no scaling factors from {} nm to {} nm (known nodes: {})", label(from_nm),
                                          label(to_nm), known));
}

}  // namespace bitexact::hw::cost
