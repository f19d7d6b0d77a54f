// Seeded random Hadamard rotation (RHT): y = H (D x) / sqrt(N) on consecutive chunks of N
// elements, H the Sylvester Hadamard matrix, D = diag(+-1) drawn from counter_random(seed, ...)
// per position in the chunk. Orthogonal, so the inverse is x = D H y / sqrt(N). A tail shorter
// than N is left as it is. Arithmetic is float64 (the rotation is a pre-transform, not a format).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace bitexact {

void hadamard_rotate(std::span<double> x, size_t n, uint64_t seed, int threads = 0);
void hadamard_unrotate(std::span<double> x, size_t n, uint64_t seed, int threads = 0);

}  // namespace bitexact
