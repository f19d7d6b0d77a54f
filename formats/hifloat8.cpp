#include "formats/hifloat8.hpp"

namespace bitexact {

Unpacked hifloat8_decode(uint64_t code) {
  code &= 0xFF;
  Unpacked u;
  u.sign = (code & 0x80) != 0;
  const unsigned b = unsigned(code & 0x7F);  // the 7 bits after the sign
  if (b == 0) {
    if (u.sign) u.cls = ValueClass::NaN;  // 0x80; 0x00 is the only zero
    else u.sign = false;
    return u;
  }
  if (b == 0x6F) {  // 11 0111 1: exponent +15, mantissa 1
    u.cls = ValueClass::Inf;
    return u;
  }
  int d, mbits;
  if ((b >> 5) == 0b11) d = 4, mbits = 1;
  else if ((b >> 5) == 0b10) d = 3, mbits = 2;
  else if ((b >> 5) == 0b01) d = 2, mbits = 3;
  else if ((b >> 4) == 0b001) d = 1, mbits = 3;
  else if ((b >> 3) == 0b0001) d = 0, mbits = 3;
  else d = -1, mbits = 3;  // 0000: denormal mode
  const unsigned m = b & ((1u << mbits) - 1);
  u.cls = ValueClass::Finite;
  if (d < 0) {  // 2^(M-23), M = 1..7
    u.significand = 1;
    u.exponent = int32_t(m) - 23;
    return u;
  }
  int e = 0;
  if (d > 0) {
    const unsigned field = (b >> mbits) & ((1u << d) - 1);  // sign bit, then d-1 magnitude bits
    const bool neg = (field >> (d - 1)) & 1;
    const int mag = (1 << (d - 1)) | int(field & ((1u << (d - 1)) - 1));  // implicit leading 1
    e = neg ? -mag : mag;
  }
  u.significand = (uint64_t{1} << mbits) | m;
  u.exponent = e - mbits;
  return u;
}

std::vector<std::optional<Unpacked>> hifloat8_entries() {
  std::vector<std::optional<Unpacked>> v;
  for (uint64_t c = 0; c < 256; ++c) v.push_back(hifloat8_decode(c));
  return v;
}

}  // namespace bitexact
