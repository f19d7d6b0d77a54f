#include "hwmodel/cost/accelergy.hpp"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace bitexact::hw::cost {

namespace {

std::string num(double v) { return fmt::format("{:.6g}", v); }

std::string instances(double count) {
  const double r = std::round(count);
  if (r >= 2 && std::fabs(r - count) < 1e-9) return fmt::format("[0..{}]", static_cast<long long>(r) - 1);
  return "";
}

// Per instance: a fractional count (never produced today) is reported as one instance.
double per_instance(double total, double count) {
  const double r = std::round(count);
  return (r >= 1 && std::fabs(r - count) < 1e-9) ? total / r : total;
}

}  // namespace

std::string identifier(const std::string& text) {
  std::string out;
  bool sep = false;
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      if (sep && !out.empty()) out += '_';
      out += char(std::tolower(c));
      sep = false;
    } else {
      sep = true;
    }
  }
  return out.empty() ? "unit" : out;
}

std::string accelergy_ert_yaml(const std::vector<NamedEstimate>& units, const std::string& scope) {
  std::string y = "# Energy reference table (pJ per action), bitexact cost model; Accelergy 0.3 layout.\n";
  y += "ERT:\n  version: 0.3\n  tables:\n";
  for (const NamedEstimate& u : units) {
    const Estimate& e = u.estimate;
    y += fmt::format("  - name: {}.{}\n    actions:\n", scope, u.name);
    y += fmt::format("    - name: mac_random\n      arguments: null\n      energy: {}\n", num(e.energy_per_mac_pj()));
    y += "    - name: idle\n      arguments: null\n      energy: 0\n";
    for (const Component& c : e.components) {
      if (!c.in_unit) continue;
      y += fmt::format("  - name: {}.{}.{}{}\n    actions:\n", scope, u.name, identifier(c.name), instances(c.count));
      y += fmt::format("    - name: compute\n      arguments: null\n      energy: {}\n",
                       num(per_instance(c.energy_pj, c.count)));
      y += "    - name: idle\n      arguments: null\n      energy: 0\n";
    }
  }
  return y;
}

std::string accelergy_art_yaml(const std::vector<NamedEstimate>& units, const std::string& scope) {
  std::string y = "# Area reference table (um^2 per instance), bitexact cost model; Accelergy 0.3 layout.\n";
  y += "ART:\n  version: 0.3\n  tables:\n";
  for (const NamedEstimate& u : units) {
    const Estimate& e = u.estimate;
    y += fmt::format("  - name: {}.{}\n    area: {}\n", scope, u.name, num(e.area_um2));
    for (const Component& c : e.components) {
      if (!c.in_unit) continue;
      y += fmt::format("  - name: {}.{}.{}{}\n    area: {}\n", scope, u.name, identifier(c.name), instances(c.count),
                       num(per_instance(c.area_um2, c.count)));
    }
  }
  return y;
}

}  // namespace bitexact::hw::cost
