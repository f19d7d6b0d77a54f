// Accelergy-style export of cost estimates: an energy reference table (ERT: energy per action, pJ)
// and an area reference table (ART: area per component, um2) in the YAML layout Accelergy 0.3
// writes (ERT: {version, tables: [{name, actions: [{name, arguments, energy}]}]}, ART: {version,
// tables: [{name, area}]}), so the numbers can be fed to Timeloop. Each unit appears once as a
// whole (action mac_random: energy per MAC; idle: 0) and once per component (action compute:
// energy per cycle of one instance), named SCOPE.UNIT.COMPONENT[0..count-1].
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hwmodel/cost/estimate.hpp"

namespace bitexact::hw::cost {

struct NamedEstimate {
  std::string name;  // identifier-safe: letters, digits, '_'
  Estimate estimate;
};

std::string accelergy_ert_yaml(const std::vector<NamedEstimate>& units, const std::string& scope = "bitexact");
std::string accelergy_art_yaml(const std::vector<NamedEstimate>& units, const std::string& scope = "bitexact");
// "dp4 e4m3 x e4m3" -> "dp4_e4m3_x_e4m3": every run of other characters becomes one '_'.
std::string identifier(const std::string& text);

}  // namespace bitexact::hw::cost
