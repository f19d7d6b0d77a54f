// Counter-based random bits: a pure function of (seed, stream, index), so stochastic results do
// not depend on thread count, sharding or evaluation order. SplitMix64's finaliser (Steele et al.,
// "Fast splittable pseudorandom number generators", OOPSLA 2014) mixes each key word in turn.
#pragma once

#include <cstdint>

namespace bitexact {

constexpr uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr uint64_t counter_random(uint64_t seed, uint64_t stream, uint64_t index) {
  uint64_t h = mix64(seed + 0x9e3779b97f4a7c15ULL);
  h = mix64(h ^ (stream + 0x632be59bd9b4e019ULL));
  return mix64(h ^ (index * 0x9e3779b97f4a7c15ULL + 0xd1b54a32d192ed03ULL));
}

}  // namespace bitexact
