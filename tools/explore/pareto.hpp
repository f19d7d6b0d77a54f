// The Pareto frontier of (cost, quality) points: lower cost and higher quality are better. A point
// is on the frontier when no other point is at least as good in both and strictly better in one.
// Equal points are all on it. Points with a NaN coordinate are never on it and dominate nothing;
// +inf quality (an exact result) is the best quality there is.
#pragma once

#include <span>
#include <vector>

namespace bitexact::explore {

struct ParetoPoint {
  double cost = 0;
  double quality = 0;
};

// on[i]: point i is on the frontier.
std::vector<bool> pareto_front(std::span<const ParetoPoint> points);

// The frontier's indices ordered by increasing cost (ties: decreasing quality, then index), the
// order in which to draw its staircase.
std::vector<size_t> pareto_order(std::span<const ParetoPoint> points, const std::vector<bool>& on);

}  // namespace bitexact::explore
