// The primitive components of the cost model at its 45 nm reference node (hardware.md §8.1):
// one instance's area (um2) and energy per activation (pJ), from the constants of
// hwmodel/tech/horowitz45.toml. Composites (hwmodel/cost/estimate.hpp) count instances, weight
// them by activity, then scale to the target node and apply a family's calibration factor.
#pragma once

#include "hwmodel/cost/tech.hpp"

namespace bitexact::hw::cost {

struct Prim {
  double area_um2 = 0;
  double energy_pj = 0;  // per activation
};

class Primitives {
 public:
  explicit Primitives(const TechLibrary& tech);

  Prim int_mul(int a, int b) const;     // k_m a b, e_m a b
  Prim int_add(int n) const;            // k_a n, e_a n (also comparators, incrementers, subtractors)
  Prim fp_mul(int pa, int pb) const;    // significand multiplier pa x pb bits (hidden bits included), exponent add and rounding
  Prim align_norm(int n) const;         // FP adder / aligner + normaliser on n significand bits: k_fa n log2 n
  Prim reg(int bits) const;             // flip-flops; energy per write with `activity` of the bits toggling
  Prim mux(int k, int w) const;         // k:1 mux, w bits: (k-1) w mux2 cells (area and energy)
  Prim xor_bits(int w) const;           // conditional inversion, one mux2 cell per bit
  Prim shifter(int n, int s) const;     // barrel shifter, n bits by up to s-1 positions: ceil(log2 s) levels (Aladdin)
  Prim normaliser(int n) const;         // leading-zero count (an n-bit adder's worth) + an n-bit, n-position shifter
  // A 64-bit-access energy interpolated log-log between Horowitz's 8 KB / 32 KB / 1 MB SRAM reads
  // (extrapolated beyond), scaled by bits / 64. No area: SRAM macros need CACTI.
  double sram_access_pj(double capacity_bytes, int bits) const;
  double dram_access_pj(double bits) const;

  double activity() const { return activity_; }

 private:
  double k_m_, e_m_, k_a_, e_a_, k_fm_, e_fm_, k_fa_, e_fa_, k_r_, e_r_, a_mux2_, e_mux2_, k_sh_, e_sh_, activity_;
  double s8k_, s32k_, s1m_, dram_;
};

int ceil_log2(long long v);  // ceil(log2 v) for v >= 1 (0 for v = 1)

}  // namespace bitexact::hw::cost
