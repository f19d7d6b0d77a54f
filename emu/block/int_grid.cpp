#include "emu/block/int_grid.hpp"

#include <fmt/format.h>

namespace bitexact {

Format make_int_grid(int magnitude_bits, int frac_bits) {
  FloatParams p;
  p.exp_bits = 1;
  p.man_bits = magnitude_bits - 1;
  p.bias = 2 - magnitude_bits + frac_bits;
  p.is_signed = true;
  p.subnormals = true;
  p.inf = InfPolicy::None;
  p.nan = NanPolicy::None;
  return make_float_format(fmt::format("intgrid<k={},frac={}>", magnitude_bits, frac_bits), p);
}

}  // namespace bitexact
