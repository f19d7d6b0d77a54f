// Thread counts for the OpenMP loops: 0 asks for OpenMP's default.
#pragma once

#ifdef _OPENMP
#include <omp.h>
#endif

namespace bitexact {

inline int thread_count(int requested) {
#ifdef _OPENMP
  return requested > 0 ? requested : omp_get_max_threads();
#else
  (void)requested;
  return 1;
#endif
}

}  // namespace bitexact
