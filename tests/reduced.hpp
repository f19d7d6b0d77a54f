// BITEXACT_REDUCED=1 (set by `make test-asan`): the exhaustive suites run a documented, smaller
// sweep (fewer formats, fewer random cases) so that the sanitizer build finishes in minutes. A
// reduced suite still asserts its case count and prints it (doctest MESSAGE); nothing is skipped.
// Unset, empty or "0": the full sweep of `make test`.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace bitexact_test {

inline bool reduced() {
  const char* v = std::getenv("BITEXACT_REDUCED");
  return v && *v && std::strcmp(v, "0") != 0;
}

// n for the full sweep, n / divisor (at least 1) for the reduced one.
inline uint64_t reduce(uint64_t n, uint64_t divisor) { return reduced() ? std::max<uint64_t>(1, n / divisor) : n; }

}  // namespace bitexact_test
