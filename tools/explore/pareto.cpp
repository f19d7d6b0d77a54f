#include "tools/explore/pareto.hpp"

#include <algorithm>
#include <cmath>

namespace bitexact::explore {

std::vector<bool> pareto_front(std::span<const ParetoPoint> p) {
  // O(n^2): candidate lists are small (hundreds), and this is plainly the definition.
  std::vector<bool> on(p.size(), false);
  for (size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(p[i].cost) || std::isnan(p[i].quality)) continue;
    bool dominated = false;
    for (size_t j = 0; j < p.size() && !dominated; ++j) {
      if (j == i || std::isnan(p[j].cost) || std::isnan(p[j].quality)) continue;
      const bool no_worse = p[j].cost <= p[i].cost && p[j].quality >= p[i].quality;
      const bool better = p[j].cost < p[i].cost || p[j].quality > p[i].quality;
      dominated = no_worse && better;
    }
    on[i] = !dominated;
  }
  return on;
}

std::vector<size_t> pareto_order(std::span<const ParetoPoint> p, const std::vector<bool>& on) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < p.size(); ++i)
    if (on[i]) idx.push_back(i);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    if (p[a].cost != p[b].cost) return p[a].cost < p[b].cost;
    if (p[a].quality != p[b].quality) return p[a].quality > p[b].quality;
    return a < b;
  });
  return idx;
}

}  // namespace bitexact::explore
