// The output-stationary rows x cols array of DPn units (hwmodel/mac/dpn.hpp). Each PE (r, c) keeps
// one output element's accumulator; A chunks (lanes codes of one row of A) enter at the left edge,
// one per row, and B chunks (lanes codes of one column of B) at the top edge, one per column.
// - Systolic feed: operands move one PE per cycle (right for A, down for B), so PE (r, c) sees the
//   chunk that entered its row at cycle t - c and the one that entered its column at cycle t - r;
//   feeding row r and column c skewed by r and c cycles (as run_gemm does) makes them meet: PE
//   (r, c) then works on chunk e at cycle e + r + c.
// - Broadcast feed: every PE sees the edge chunks of its row and column in the cycle they enter.
// The A chunk carries the control (valid, first, last, count), the addends of its row's PEs and the
// random index base; a PE works in a cycle when both its A and B chunks are valid. Results leave
// each PE `pipeline` cycles after its last chunk, in parallel (an output register per PE: no
// drain through the array is modelled).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "emu/env.hpp"
#include "emu/scheme.hpp"
#include "hwmodel/mac/config.hpp"
#include "hwmodel/gemm_runner.hpp"
#include "hwmodel/mac/dpn.hpp"

namespace bitexact::hw {

struct EdgeChunk {
  bool valid = false, first = false, last = false;
  int count = -1;                  // active lanes (-1: all)
  const uint64_t* codes = nullptr; // lanes codes
  const uint64_t* scales = nullptr;  // MX: max(1, lanes / block) scale codes
  // A side only, read with first: addends of the row's PEs (cols codes of accum.out_format, nullptr:
  // none) and the random index; PE (r, c) uses left.index + top.index.
  const uint64_t* c = nullptr;
  uint64_t index = 0;
};

struct ArrayInputs {
  std::span<const EdgeChunk> left;  // rows entries
  std::span<const EdgeChunk> top;   // cols entries
};

class MacArray {
 public:
  MacArray(const MacConfig& c, const Env& env, std::shared_ptr<const MacTables> tables = nullptr);
  // One clock: the edge chunks enter (copied into the array's operand registers); returns the
  // rows x cols PE outputs, row-major (valid where a result leaves a PE this cycle).
  std::span<const DpnOutputs> step(const ArrayInputs& in);
  void reset();
  uint64_t cycle() const { return cycle_; }
  const MacConfig& config() const { return cfg_; }

 private:
  struct Reg {  // one edge chunk held in an operand register
    bool valid = false, first = false, last = false, has_c = false;
    int count = -1;
    uint64_t index = 0;
  };
  MacConfig cfg_;
  size_t rows_, cols_, lanes_, nscale_, depth_a_, depth_b_;
  std::vector<Dpn> pe_;
  std::vector<Reg> reg_a_, reg_b_;                     // [row][depth_a], [col][depth_b]
  std::vector<uint64_t> code_a_, code_b_, scale_a_, scale_b_, c_a_;
  std::vector<DpnOutputs> out_;
  uint64_t cycle_ = 0;
};

// The array as the GEMM runner sees it: DPn timing, rows x cols, systolic skew.
inline ArraySpec array_spec(const MacConfig& c) {
  return ArraySpec{timing(c), c.rows, c.cols, c.feed == ArrayFeed::Systolic};
}

// One operand of a GEMM, K-major: `rows` rows of k codes (A: M x K; B: its transpose, N x K).
// MX schemes: element codes, and rows x (k / block) E8M0 scale codes.
struct MacOperand {
  Scheme scheme;
  size_t rows = 0, k = 0;
  std::vector<uint64_t> codes;
  std::vector<uint64_t> scales;
};

struct MacGemmStats {
  uint64_t cycles = 0;  // from the first chunk entering to the last result leaving (see gemm_runner.hpp)
  uint64_t tiles = 0;   // output tiles of rows x cols
  uint64_t chunks_per_tile = 0;
  uint64_t pe_steps = 0;  // PE-cycles with a chunk (work done)
};

// out = A * B^T (+ c), out[i*N + j] a code of accum.out_format, computed by clocking the array
// tile by tile: output tiles in row-major order (all column tiles of a row of tiles, then the next
// row), each tile's K chunks back to back, the next tile's first chunk in the cycle after the last.
// Bit-exact with dot() of row i and column j under the model (element index i*N + j draws
// stochastic roundings at env.index + ((i*N + j) << 32), as the emulated GEMM). threads > 1 splits
// the tiles into contiguous groups simulated on separate arrays; results and the stitched cycle
// count are the same for any thread count. Flags are ORed into env.flags.
MacGemmStats run_gemm(const MacConfig& cfg, const MacOperand& a, const MacOperand& b, std::span<const uint64_t> c,
                      std::span<uint64_t> out, Env& env, int threads = 1);

}  // namespace bitexact::hw
