// The GEMM runner: maps an M x N x K GEMM (out[M x N] = A[M x K] * B[K x N]) onto a rows x cols
// array of any unit from its UnitTiming, analytically: cycles, utilization, MACs per cycle and
// tile-level SRAM / DRAM traffic. Conventions follow the output-stationary dataflow of SCALE-Sim
// ("os") and Timeloop's per-level read/fill/update counts (hardware.md §4), at tile granularity.
//
// Mapping. One array tile covers TM = rows * tile_m rows of out and TN = cols * tile_n columns;
// each unit operation consumes tile_k elements of K, so a tile takes ceil(K / tile_k) operations,
// one every cycles_per_op cycles. Output tiles are visited in row-major order (for each row of
// tiles: every column tile), each tile's operations back to back with the next tile's first one
// issued right after the last one (output registers let a tile's results drain while the next
// accumulates). Hence, with ops = tiles * ceil(K / tile_k):
//   cycles = (ops - 1) * cycles_per_op + latency + skew
// counted from the first operand entering to the cycle the last result is valid; skew is the
// systolic operand skew of the LAST tile, (used rows - 1) + (used cols - 1), or 0 for a broadcast
// feed. Peak throughput = rows * cols * tile_m * tile_n * tile_k / cycles_per_op MACs per cycle
// (hardware.md §8.2: MACs per cycle = tile product / cycles per op; LUT tile M*N*K / W_BIT,
// bit-serial L / ceil(bits / bits per cycle)).
//
// Traffic (elements and bytes; operands at their storage bits, MX scales included):
//   SRAM reads: each tile reads its A panel (TM x K) and B panel (K x TN) once from the on-chip
//     buffers: A reads = tiles_n * M * K, B reads = tiles_m * N * K; C: M * N writes (+ M * N reads
//     when an addend is given).
//   DRAM: A's row panel is fetched once per row of tiles when it fits the A buffer (TM * K
//     elements), else once per tile; all of B once when it fits the B buffer, else once per row of
//     tiles; C written once (and read once with an addend).
#pragma once

#include <cstdint>

#include "hwmodel/unit.hpp"

namespace bitexact::hw {

struct ArraySpec {
  UnitTiming unit;
  int rows = 1, cols = 1;
  bool systolic = false;  // operands skewed one PE per cycle (adds the last tile's skew)
};

struct GemmShape {
  uint64_t M = 1, N = 1, K = 1;
};

// Storage bits per element (incl. block-scale overhead, e.g. MXFP4 = 4.25) and buffer sizes.
struct MemorySpec {
  double a_bits = 8, b_bits = 8, c_bits = 32;
  uint64_t a_buffer_bytes = 256 * 1024, b_buffer_bytes = 256 * 1024;
  bool addend = false;  // C is read as well as written
};

struct GemmEstimate {
  uint64_t tiles_m = 0, tiles_n = 0, tiles = 0, ops_per_tile = 0, ops = 0;
  uint64_t cycles = 0;
  double macs = 0;                  // M * N * K
  double peak_macs_per_cycle = 0;   // the array's
  double macs_per_cycle = 0;        // macs / cycles
  double utilization = 0;           // macs_per_cycle / peak (edge tiles, K padding, fill/drain)
  double tile_utilization = 0;      // macs / (ops * tile volume): edge tiles and K padding only
  // Traffic in elements and bytes.
  double sram_a_reads = 0, sram_b_reads = 0, sram_c_writes = 0, sram_c_reads = 0;
  double dram_a = 0, dram_b = 0, dram_c = 0;
  double sram_bytes = 0, dram_bytes = 0;
  bool a_panel_fits = false, b_fits = false;
};

// Throws std::invalid_argument on a zero dimension or a bad spec.
GemmEstimate estimate_gemm(const ArraySpec& array, const GemmShape& g, const MemorySpec& mem = {});

}  // namespace bitexact::hw
