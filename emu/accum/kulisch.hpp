// A Kulisch accumulator: an exact two's complement fixed-point number in 64-bit limbs that grows
// (in whole limbs, at either end) to hold any sum of exact products of any formats, float64 and
// binary128-range values included. Sums are exact; value() hands the result to the one rounding.
#pragma once

#include <cstdint>
#include <vector>

#include "emu/exact.hpp"

namespace bitexact {

class Kulisch {
 public:
  void clear() {
    limbs_.clear();
    lsb_ = 0;
  }
  // Adds a finite exact value (significand < 2^128, no sticky) or a zero (ignored).
  // Throws std::invalid_argument for Inf, NaN or a value with sticky set.
  void add(const Exact& x);
  bool is_zero() const;
  // The exact sum: significand = its top 128 bits, sticky = any bit below them. Zero: +0.
  Exact value() const;
  // The current extent: value = limbs * 2^lsb_exponent(), width() bits (a multiple of 64).
  int lsb_exponent() const { return lsb_; }
  int width() const { return int(limbs_.size()) * 64; }

 private:
  void reserve_for(int32_t exponent);
  std::vector<uint64_t> limbs_;  // little-endian, two's complement
  int32_t lsb_ = 0;              // a multiple of 64
};

}  // namespace bitexact
