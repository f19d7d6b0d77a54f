// The cost model's view of a bit-serial configuration (hwmodel/cost/estimate.hpp): one PE, with the
// cycles per weight the PE model takes (Terms: the format's largest term count, e.g. 4 for
// float6_e2m3fn where ceil(6 / 2) would say 3). The rows x cols array costs rows * cols of these.
#pragma once

#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/cost/estimate.hpp"

namespace bitexact::hw {

inline cost::BitSerialCostInput bitserial_cost_input(const BitSerialConfig& c) {
  cost::BitSerialCostInput in;
  in.lanes = c.lanes;
  in.bits_per_cycle = c.bits_per_cycle;
  in.act = c.act;
  in.weight = c.weight;
  in.accum = c.accum;
  in.cycles_per_weight = cycles_per_weight(c);
  return in;
}

}  // namespace bitexact::hw
