// Candidates of `bitexact explore`: an activation scheme x a weight scheme x an accumulation model
// x a hardware unit (mac DPn, bit-serial PE, LUT Tensor Core tile), and what the cost model says
// about the unit (hwmodel/cost/estimate.hpp) with the yosys-measured area where
// hwmodel/tech/yosys_area.toml has the same configuration.
//
// What the cost model sees of a scheme (its "cost operands"):
//   - a per-tensor scaled scheme (group=tensor): its element format; the one scale is applied to
//     each output outside the unit;
//   - bitserial and lut units: the element format of any block scheme (the units stream element
//     codes; group scales are applied to partial sums outside the unit and are not costed);
//   - mac: the scheme itself (the cost model prices MX / group scale handling inside the DPn).
// Integer x integer element products under an exact model are costed with an int32 register
// (exact<out=int32>): the integer sum is exact there, the float32 output conversion is outside.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emu/accum/accum_model.hpp"
#include "emu/scheme.hpp"
#include "hwmodel/cost/estimate.hpp"
#include "hwmodel/cost/synth_area.hpp"
#include "hwmodel/unit.hpp"

namespace bitexact::explore {

// The hardware around the units (the same defaults as `bitexact hw`).
struct HwSettings {
  double node_nm = 28;
  double clock_hz = 1e9;
  int rows = 16, cols = 16;      // units in the array
  int lanes = 4;                 // mac DPn lanes, bit-serial lanes
  int bits_per_cycle = 2;        // bit-serial weight bits per cycle
  int lut_m = 2, lut_n = 64, lut_k = 4;
};

struct Candidate {
  std::string unit;     // mac | bitserial | lut
  std::string act, weight;  // canonical scheme names
  std::string accum;    // canonical accumulation-model name ("auto" resolved)
  std::string rounding = "rne";  // rounding of both operands into their schemes (rne, sr, sr:R, rtz, ...)
};

std::string candidate_label(const Candidate& c);  // "mac mxfp4 x mxfp4 / v100-fp16" (+ " / sr" when not rne)

// The built-in candidate list (README "Design-space exploration").
std::vector<Candidate> default_candidates();

// The cross product units x ACT:WEIGHT pairs x accumulation models x rounding modes, in that nesting order, with
// "auto" resolved per pair (auto_accum). Pairs a unit cannot take (block or float weights on lut,
// ...) are left out when skip_unfit is set, else std::invalid_argument names them. Throws
// std::invalid_argument (one line) on a bad spec.
std::vector<Candidate> cross_candidates(const std::vector<std::string>& units, const std::vector<std::string>& pairs,
                                        const std::vector<std::string>& accums,
                                        const std::vector<std::string>& roundings, const HwSettings& hw,
                                        bool skip_unfit);

// "auto": exact<out=float32> for integer x integer elements, else fused<k=LANES,acc=24,out=float32>
// on mac and exact<out=float32> on bitserial / lut.
std::string auto_accum(const std::string& unit, const Scheme& act, const Scheme& weight, int lanes);

// The element format of a block scheme (a scalar scheme: its format).
Format element_format(const Scheme& s);

struct UnitCost {
  std::string config;          // the estimate's configuration line
  std::string cost_operands;   // "int8 x int4", what the cost model saw
  std::string cost_accum;      // the accumulation model costed
  double macs_per_cycle = 0;   // one unit
  double area_um2 = 0;         // one unit, analytic
  double energy_per_mac_pj = 0;
  double band = 0;             // relative band of the absolute numbers
  double synth_area_um2 = -1;  // one unit, yosys (scaled to the node); < 0: not synthesized
  std::string synth_entry;     // yosys_area.toml entry name
  hw::UnitTiming timing;
};

// Throws std::invalid_argument (one line) when the unit cannot be built for the candidate.
UnitCost unit_cost(const Candidate& c, const HwSettings& hw, const hw::cost::CostContext& ctx,
                   const hw::cost::SynthTable& synth);

}  // namespace bitexact::explore
