// Composite cost estimates of the hardware units (hardware.md §8.2): area, energy per cycle and
// per MAC, throughput, TOPS/W, TOPS/mm2 with an uncertainty band and a per-component breakdown,
// at a chosen node and clock. Components are primitives (hwmodel/cost/primitives.hpp) at 45 nm,
// scaled to the node (scaling.toml) and multiplied by their family's calibration factor:
//   int_mac  — integer MAC lanes: Bit Fusion's fitted INT PE (bitfusion45.toml), no factor;
//   fp       — float and bit-serial datapaths: factor fitted on BitMoD's FP16 FMA (bitmod28.toml);
//   lut      — LUT Tensor Core tiles: factor fitted on LUT-TC Table 2's final row (luttc28.toml).
// Leakage is ignored; power = energy per cycle x clock (every lane busy every cycle).
#pragma once

#include <string>
#include <vector>

#include "emu/accum/accum_model.hpp"
#include "emu/scheme.hpp"
#include "formats/format.hpp"
#include "hwmodel/cost/tech.hpp"
#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/lut/config.hpp"
#include "hwmodel/mac/config.hpp"
#include "hwmodel/unit.hpp"

namespace bitexact::hw::cost {

// The relative band of a ratio between two estimates made with the same constants (hardware.md §8.3).
inline constexpr double kRatioBand = 0.20;
// The band of an uncalibrated absolute estimate (hardware.md §8.3).
inline constexpr double kUncalibratedBand = 0.50;

struct Component {
  std::string name;       // "significand multiplier"
  std::string primitive;  // "fp_mul(4x4)"
  std::string family;     // "fp", "int_mac", "lut"
  double count = 0;       // instances in the unit
  double area_um2 = 0;    // all instances, at the node, calibrated
  double energy_pj = 0;   // per cycle, all instances, activity included, at the node, calibrated
  bool in_unit = true;    // false: work counted outside the unit (LUT precompute on the vector unit)
};

struct Estimate {
  std::string unit;    // "mac", "bitserial", "lut"
  std::string config;  // human-readable configuration ("dp4 e4m3 x e4m3, acc fused<...>")
  std::string family;  // the calibration family of most of the area
  double node_nm = 28;
  double clock_hz = 1e9;
  double macs_per_cycle = 1;  // per unit
  int cycles_per_op = 1;      // the unit's initiation interval
  std::vector<Component> components;
  double area_um2 = 0;             // sum of in-unit components
  double energy_per_cycle_pj = 0;  // sum of in-unit components
  double outside_energy_per_cycle_pj = 0;  // components not in the unit (precompute)
  double band = kUncalibratedBand;  // relative +- of the absolute numbers

  double energy_per_mac_pj() const { return energy_per_cycle_pj / macs_per_cycle; }
  double area_per_mac_um2() const { return area_um2 / macs_per_cycle; }  // um2 per (MAC/cycle)
  double power_mw() const { return energy_per_cycle_pj * clock_hz * 1e-9; }
  double tops() const { return 2 * macs_per_cycle * clock_hz * 1e-12; }  // 2 ops per MAC
  double tops_per_w() const { return tops() / (power_mw() * 1e-3); }
  double tops_per_mm2() const { return tops() / (area_um2 * 1e-6); }
};

struct CostContext {
  const TechLibrary* tech = nullptr;
  double node_nm = 28;
  double clock_hz = 1e9;
  // "" : each family keeps its own calibration (fp / bitserial: BitMoD's ssg-corner flow, lut: LUT-TC's
  // flow). "bitmod28" or "luttc28": every primitive-based component takes that flow's factors, so
  // units are compared as if synthesised in one flow (Bit Fusion's fitted INT lanes keep theirs).
  std::string flow;
};

// What the datapath sees of an operand format.
struct OperandDesc {
  bool is_float = false;
  int width = 0;   // code bits of one element
  int sig = 0;     // float: precision (hidden bit included); int: bits
  int exp = 0;     // float: exponent bits
  bool block = false;  // block-scaled
  int block_size = 0;
  bool scale_is_float = false;
  int scale_sig = 0, scale_exp = 0, scale_width = 0;
  std::string name;
};
// Throws std::invalid_argument ("cost model: ...") for families it does not model (posit, codebooks).
OperandDesc describe_operand(const Scheme& s);
OperandDesc describe_operand(const Format& f);

// --- the units ------------------------------------------------------------------------------------

struct MacCostInput {
  int lanes = 4;  // DPn: products per cycle into one accumulator
  Scheme act, weight;
  AccumModel accum;
};
Estimate estimate_mac(const MacCostInput& in, const CostContext& ctx);
// One DPn unit of the mac model's configuration (hwmodel/mac/config.hpp): lanes, schemes, accumulator.
// The rows x cols array costs rows * cols of these (operand distribution wires are not modelled).
Estimate estimate_mac(const MacConfig& c, const CostContext& ctx);

struct BitSerialCostInput {
  int lanes = 4;
  int bits_per_cycle = 2;
  Format act, weight;
  AccumModel accum;
  int cycles_per_weight = 0;  // 0: ceil(weight width / bits_per_cycle)
};
Estimate estimate_bitserial(const BitSerialCostInput& in, const CostContext& ctx);
// One PE of the bit-serial model's configuration (hwmodel/bitserial/config.hpp), its cycles per
// weight from cycles_per_weight() (BitPlane b, Booth4 ceil(b/2), Terms the largest term count).
Estimate estimate_bitserial(const BitSerialConfig& c, const CostContext& ctx);
// A bit-serial unit as `bitexact hw` and explore cost it. Where the bit-serial PE model streams the
// pair (in's lanes, bits per cycle, formats and accumulator with the weight's default encoding pass
// validate()), that configuration's estimate and timing(): cycles per weight from the PE (Terms: the
// largest term count; unsigned Booth: one bit more). Otherwise the analytic estimate of `in` alone
// (ceil(weight bits / bits per cycle) cycles unless in.cycles_per_weight says) and the timing of a
// 1 x 1 x lanes operation every cycles_per_op cycles, its result one cycle after the last.
struct BitSerialUnitCost {
  Estimate estimate;
  UnitTiming timing;
  bool modelled = false;  // false: the analytic fallback
};
BitSerialUnitCost estimate_bitserial_or_analytic(const BitSerialCostInput& in, const CostContext& ctx);

enum class LutTableKind : uint8_t { Int8, Fp16 };
enum class LutAccumKind : uint8_t { Int32, Fp16, Fp32 };
// The LUT-TC Table 2 ablation: UNPU (2^K-entry tables, precompute in the tile), + weight
// reinterpretation (2^(K-1) entries, a negation circuit per unit), + negation elimination (the
// sign folded into the accumulator: XOR and carry-in), + DFG transform / fusion = LUT Tensor Core
// (precompute moved out of the tile, onto the vector unit).
enum class LutVariant : uint8_t { Unpu, Reinterp, NegElim, LutTc };
const char* lut_variant_name(LutVariant v);

struct LutCostInput {
  int m = 2, n = 64, k = 4;
  int w_bits = 2;
  Format act;
  LutTableKind table = LutTableKind::Fp16;
  LutAccumKind accum = LutAccumKind::Fp32;
  LutVariant variant = LutVariant::LutTc;
};
Estimate estimate_lut(const LutCostInput& in, const CostContext& ctx);
// The LUT model's tile (hwmodel/lut/config.hpp) as LUT Tensor Core or one of its ablation steps.
Estimate estimate_lut(const LutConfig& c, const CostContext& ctx, LutVariant variant = LutVariant::LutTc);

// SRAM / DRAM traffic energy at the context's node (Horowitz 45 nm scaled).
double sram_access_energy_pj(const CostContext& ctx, double capacity_bytes, int bits);
double dram_access_energy_pj(const CostContext& ctx, double bits);

}  // namespace bitexact::hw::cost
