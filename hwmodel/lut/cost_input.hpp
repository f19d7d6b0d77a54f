// The cost model's view of a LUT tile configuration (hwmodel/cost/estimate.hpp): the same tile,
// table and accumulator, in the LUT-TC arrangement (precompute outside the tile) unless another
// Table 2 ablation variant is asked for. The precompute adds it costs per table are
// lut_precompute(c).adds_incremental (tested).
#pragma once

#include "hwmodel/cost/estimate.hpp"
#include "hwmodel/lut/config.hpp"

namespace bitexact::hw {

inline cost::LutCostInput lut_cost_input(const LutConfig& c, cost::LutVariant variant = cost::LutVariant::LutTc) {
  cost::LutCostInput in;
  in.m = c.m;
  in.n = c.n;
  in.k = c.k;
  in.w_bits = c.w_bits;
  in.act = c.act;
  in.table = c.table == LutTable::Int8 ? cost::LutTableKind::Int8 : cost::LutTableKind::Fp16;
  in.accum = c.accum == LutAccum::Int32   ? cost::LutAccumKind::Int32
             : c.accum == LutAccum::Fp16 ? cost::LutAccumKind::Fp16
                                         : cost::LutAccumKind::Fp32;
  in.variant = variant;
  return in;
}

}  // namespace bitexact::hw
