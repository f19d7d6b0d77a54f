#include "emu/tensor/pack.hpp"

#include <stdexcept>
#include <string>

namespace bitexact {

namespace {
void check_bits(int bits) {
  if (bits < 1 || bits > 8) throw std::invalid_argument("pack: code width must be 1..8 bits, got " + std::to_string(bits));
}
}  // namespace

std::vector<uint8_t> pack_codes(std::span<const uint8_t> codes, int bits) {
  check_bits(bits);
  std::vector<uint8_t> out(packed_size(codes.size(), bits));
  const unsigned limit = 1u << bits;
  uint64_t acc = 0;
  int fill = 0;
  size_t o = 0;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] >= limit)
      throw std::invalid_argument("pack: code " + std::to_string(codes[i]) + " at index " + std::to_string(i) +
                                  " does not fit " + std::to_string(bits) + " bits");
    acc |= uint64_t(codes[i]) << fill;
    fill += bits;
    while (fill >= 8) {
      out[o++] = uint8_t(acc);
      acc >>= 8;
      fill -= 8;
    }
  }
  if (fill > 0) out[o++] = uint8_t(acc);
  return out;
}

std::vector<uint8_t> unpack_codes(std::span<const uint8_t> packed, int bits, size_t n) {
  check_bits(bits);
  if (packed.size() < packed_size(n, bits))
    throw std::invalid_argument("unpack: " + std::to_string(packed.size()) + " bytes hold fewer than " +
                                std::to_string(n) + " codes of " + std::to_string(bits) + " bits");
  std::vector<uint8_t> out(n);
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  uint64_t acc = 0;
  int fill = 0;
  size_t p = 0;
  for (size_t i = 0; i < n; ++i) {
    while (fill < bits) {
      acc |= uint64_t(packed[p++]) << fill;
      fill += 8;
    }
    out[i] = uint8_t(acc & mask);
    acc >>= bits;
    fill -= bits;
  }
  return out;
}

}  // namespace bitexact
