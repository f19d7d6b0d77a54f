// The output-stationary rows x cols array of bit-serial PEs (hwmodel/bitserial/pe.hpp), broadcast
// feed: every PE of row r latches the row's activation group and every PE of column c the column's
// weight group in the same cycle (weights stream bit-serially inside each PE, so there is no
// operand skew); all PEs load a group every cycles_per_weight cycles, in lockstep, and each keeps
// one output element's accumulator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "emu/env.hpp"
#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/bitserial/pe.hpp"
#include "hwmodel/gemm_runner.hpp"

namespace bitexact::hw {

struct SerialArrayInputs {
  bool load = false, first = false, last = false;
  int count = -1;                // active lanes (-1: all)
  int used_rows = -1, used_cols = -1;  // PEs beyond these get no group (edge tiles; -1: all)
  const uint64_t* a = nullptr;   // rows x lanes activation codes (row r at a + r * lanes)
  const uint64_t* w = nullptr;   // cols x lanes weight codes
  const uint64_t* c = nullptr;   // with first: rows x cols addends (nullptr: none)
  // With first: PE (r, c) draws its stochastic roundings at env.index + index + r * row_stride +
  // c * col_stride.
  uint64_t index = 0, row_stride = 0, col_stride = 0;
};

class BitSerialArray {
 public:
  BitSerialArray(const BitSerialConfig& c, const Env& env, std::shared_ptr<const SerialTables> tables = nullptr);
  // One clock; returns the rows x cols PE outputs, row-major.
  std::span<const SerialOutputs> step(const SerialArrayInputs& in);
  void reset();
  uint64_t cycle() const { return cycle_; }
  const BitSerialConfig& config() const { return cfg_; }
  uint64_t wide_groups() const;  // summed over the PEs

 private:
  BitSerialConfig cfg_;
  std::vector<BitSerialPe> pe_;
  std::vector<SerialOutputs> out_;
  uint64_t cycle_ = 0;
};

// The array as the GEMM runner sees it: PE timing, rows x cols, no skew (broadcast).
inline ArraySpec array_spec(const BitSerialConfig& c) { return ArraySpec{timing(c), c.rows, c.cols, false}; }

struct SerialGemmStats {
  uint64_t cycles = 0;  // first group loaded to last result valid (gemm_runner.hpp's count)
  uint64_t tiles = 0;
  uint64_t groups_per_tile = 0;
  uint64_t wide_groups = 0;
};

// out = A * B^T (+ c): A is M x K activation codes (row-major), B is N x K weight codes (B^T's
// rows: one weight column per row), out[i*N + j] a code of accum.out_format. The array is clocked
// tile by tile (row-major tiles, each tile's groups back to back, the next tile's first group in
// the cycle after the last group's last digit). Element i*N + j draws stochastic roundings at
// env.index + ((i*N + j) << 32), as the emulated GEMM. threads > 1 splits the tiles into
// contiguous groups simulated on separate arrays; results and the stitched cycle count are the
// same for any thread count. Flags are ORed into env.flags.
SerialGemmStats run_gemm(const BitSerialConfig& cfg, std::span<const uint64_t> a, std::span<const uint64_t> b,
                         size_t M, size_t N, size_t K, std::span<const uint64_t> c, std::span<uint64_t> out, Env& env,
                         int threads = 1);

}  // namespace bitexact::hw
