// How the bit-serial PE cuts a weight into the digits it streams, one per lane per cycle. Every
// weight value is W * 2^lsb with W an integer (lsb: the format's lowest set-bit exponent, 0 for
// plain integers); each encoding writes W = sum_j digit_j * 2^shift_j exactly:
// - bit planes (two's complement, b bits): digit_j = bit j, except the MSB plane of a signed weight,
//   whose digit is -bit(b-1) (it weighs -2^(b-1)); shift_j = j; b digits;
// - radix-4 Booth (two's complement, n bits, n even: b for signed even b, else b+1 rounded up to
//   even; an unsigned weight gets a zero sign bit): digit_j = -2 x(2j+1) + x(2j) + x(2j-1) with
//   x(-1) = 0, in {-2..2}; shift_j = 2j; n/2 digits;
// - leading-one terms: sign(W) * 2^i for every set bit i of |W|, from the leading one down;
//   popcount(|W|) digits (the format's cycle count is the largest popcount over its codes).
// tests/hwmodel/test_bitserial.cpp checks the reconstruction for every code of every weight format.
#pragma once

#include <cstdint>
#include <vector>

#include "formats/format.hpp"
#include "hwmodel/bitserial/config.hpp"

namespace bitexact::hw {

struct SerialDigit {
  int8_t digit = 0;  // -2..2
  int8_t shift = 0;  // significance: the digit weighs digit * 2^shift (times 2^lsb)
};

std::vector<SerialDigit> bit_planes(int64_t w, int bits, bool is_signed);
std::vector<SerialDigit> booth4_digits(int64_t w, int bits, bool is_signed);
std::vector<SerialDigit> leading_one_terms(int64_t w);

// The digits of every code of a weight format under an encoding, padded with zero digits to the
// format's cycle count.
struct WeightDigits {
  int lsb = 0;     // value = W * 2^lsb
  int cycles = 0;  // digits per weight (the PE's cycles per weight group)
  std::vector<int64_t> integer;      // W per code
  std::vector<uint8_t> zero_sign;    // per code: 1 when the code is a negative zero
  std::vector<SerialDigit> digits;   // [code * cycles + j]
};
// Throws std::invalid_argument ("bitserial: ...") for weights the PE does not stream (wider than 8
// bits, a non-finite code, BitPlane / Booth4 on a non-integer format).
WeightDigits decompose_weights(const Format& weight, SerialEncoding e);

}  // namespace bitexact::hw
