#include "emu/block/hadamard.hpp"

#include <cmath>
#include <vector>

#include "emu/random.hpp"
#include "emu/tensor/parallel.hpp"

namespace bitexact {

namespace {

constexpr uint64_t kSignStream = 0x5248542d7369676eULL;  // "RHT-sign"

void fwht(double* v, size_t n) {
  for (size_t h = 1; h < n; h *= 2)
    for (size_t i = 0; i < n; i += 2 * h)
      for (size_t j = i; j < i + h; ++j) {
        const double a = v[j], b = v[j + h];
        v[j] = a + b;
        v[j + h] = a - b;
      }
}

void apply(std::span<double> x, size_t n, uint64_t seed, int threads, bool inverse) {
  std::vector<double> sign(n);
  for (size_t i = 0; i < n; ++i) sign[i] = (counter_random(seed, kSignStream, i) >> 63) ? -1.0 : 1.0;
  const double norm = 1.0 / std::sqrt(double(n));
  const long long chunks = (long long)(x.size() / n);
#pragma omp parallel for schedule(static) num_threads(thread_count(threads))
  for (long long c = 0; c < chunks; ++c) {
    double* v = x.data() + size_t(c) * n;
    if (!inverse)
      for (size_t i = 0; i < n; ++i) v[i] *= sign[i];
    fwht(v, n);
    for (size_t i = 0; i < n; ++i) v[i] *= inverse ? norm * sign[i] : norm;
  }
}

}  // namespace

void hadamard_rotate(std::span<double> x, size_t n, uint64_t seed, int threads) { apply(x, n, seed, threads, false); }
void hadamard_unrotate(std::span<double> x, size_t n, uint64_t seed, int threads) { apply(x, n, seed, threads, true); }

}  // namespace bitexact
