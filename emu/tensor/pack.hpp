// Packed sub-byte storage. Bit order: little-endian bit stream; element i occupies bits
// [i*bits, (i+1)*bits) counted from the least significant bit of byte 0, so the first element
// sits in the least significant bits (two FP4 codes per byte: element 0 in the low nibble, as
// torchao's pack_uint4 and PyTorch's float4_e2m1fn_x2). The last byte is zero-padded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace bitexact {

// bits in 1..8; codes wider than `bits` throw std::invalid_argument.
std::vector<uint8_t> pack_codes(std::span<const uint8_t> codes, int bits);
// Unpacks n codes; throws std::invalid_argument if `packed` is too short.
std::vector<uint8_t> unpack_codes(std::span<const uint8_t> packed, int bits, size_t n);
inline size_t packed_size(size_t n, int bits) { return (n * size_t(bits) + 7) / 8; }

}  // namespace bitexact
