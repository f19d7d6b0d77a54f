#include "hwmodel/cost/primitives.hpp"

#include <algorithm>
#include <cmath>

namespace bitexact::hw::cost {

int ceil_log2(long long v) {
  int r = 0;
  while ((1LL << r) < v) ++r;
  return r;
}

Primitives::Primitives(const TechLibrary& t)
    : k_m_(t("horowitz45.int_mul_area")),
      e_m_(t("horowitz45.int_mul_energy") * 1e-3),
      k_a_(t("horowitz45.int_add_area")),
      e_a_(t("horowitz45.int_add_energy") * 1e-3),
      k_fm_(t("horowitz45.fp_mul_area")),
      e_fm_(t("horowitz45.fp_mul_energy") * 1e-3),
      k_fa_(t("horowitz45.fp_add_area")),
      e_fa_(t("horowitz45.fp_add_energy") * 1e-3),
      k_r_(t("horowitz45.reg_area")),
      e_r_(t("horowitz45.reg_energy") * 1e-3),
      a_mux2_(t("horowitz45.mux2_area")),
      e_mux2_(t("horowitz45.mux2_energy") * 1e-3),
      k_sh_(t("horowitz45.shifter_area")),
      e_sh_(t("horowitz45.shifter_energy") * 1e-3),
      activity_(t("horowitz45.activity")),
      s8k_(t("horowitz45.sram_8kb_64b")),
      s32k_(t("horowitz45.sram_32kb_64b")),
      s1m_(t("horowitz45.sram_1mb_64b")),
      dram_(t("horowitz45.dram_energy")) {}

Prim Primitives::int_mul(int a, int b) const { return {k_m_ * a * b, e_m_ * a * b}; }
Prim Primitives::int_add(int n) const { return {k_a_ * n, e_a_ * n}; }
Prim Primitives::fp_mul(int pa, int pb) const { return {k_fm_ * pa * pb, e_fm_ * pa * pb}; }
Prim Primitives::align_norm(int n) const {
  const double x = n > 1 ? n * std::log2(double(n)) : 1.0;
  return {k_fa_ * x, e_fa_ * x};
}
Prim Primitives::reg(int bits) const { return {k_r_ * bits, e_r_ * bits * activity_}; }
Prim Primitives::mux(int k, int w) const {
  if (k <= 1) return {};
  return {a_mux2_ * (k - 1) * w, e_mux2_ * (k - 1) * w};
}
Prim Primitives::xor_bits(int w) const { return {a_mux2_ * w, e_mux2_ * w}; }
Prim Primitives::shifter(int n, int s) const {
  const int levels = ceil_log2(std::max(s, 1));
  return {k_sh_ * n * levels, e_sh_ * n * levels};
}
Prim Primitives::normaliser(int n) const {
  const Prim lzc = int_add(n), sh = shifter(n, n);
  return {lzc.area_um2 + sh.area_um2, lzc.energy_pj + sh.energy_pj};
}

double Primitives::sram_access_pj(double bytes, int bits) const {
  // log-log interpolation through (8 KB, s8k), (32 KB, s32k), (1 MB, s1m); the end segments extend.
  const double x = std::log2(std::max(bytes, 1.0));
  const double x0 = 13, x1 = 15, x2 = 20;
  const double y0 = std::log2(s8k_), y1 = std::log2(s32k_), y2 = std::log2(s1m_);
  double y;
  if (x <= x1)
    y = y0 + (x - x0) * (y1 - y0) / (x1 - x0);
  else
    y = y1 + (x - x1) * (y2 - y1) / (x2 - x1);
  return std::exp2(y) * bits / 64.0;
}

double Primitives::dram_access_pj(double bits) const { return dram_ * bits; }

}  // namespace bitexact::hw::cost
