// An exact value unpacked from a code: class, sign and value = significand * 2^exponent.
#pragma once

#include <cmath>
#include <cstdint>

namespace bitexact {

enum class ValueClass : uint8_t { Zero, Finite, Inf, NaN };

struct Unpacked {
  ValueClass cls = ValueClass::Zero;
  bool sign = false;
  bool signaling = false;   // NaN only: an IEEE signalling NaN (mantissa MSB clear)
  bool subnormal = false;   // Finite only: came from the subnormal binade
  int32_t exponent = 0;     // Finite only
  uint64_t significand = 0; // Finite only: non-zero integer

  bool is_nan() const { return cls == ValueClass::NaN; }
  bool is_inf() const { return cls == ValueClass::Inf; }
  bool is_zero() const { return cls == ValueClass::Zero; }
  bool is_finite_nonzero() const { return cls == ValueClass::Finite; }
};

// The value as a double: exact when it fits float64 (every value of a format of <= 11 exponent
// bits and <= 52 mantissa bits does), otherwise as ldexp rounds it.
inline double to_double(const Unpacked& u) {
  switch (u.cls) {
    case ValueClass::Zero: return u.sign ? -0.0 : 0.0;
    case ValueClass::Inf: return u.sign ? -INFINITY : INFINITY;
    case ValueClass::NaN: return NAN;
    case ValueClass::Finite: break;
  }
  const double m = std::ldexp(double(u.significand), u.exponent);
  return u.sign ? -m : m;
}

}  // namespace bitexact
