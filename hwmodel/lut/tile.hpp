// The LUT Tensor Core tile (hardware.md §1.3-1.6) as a per-clock model, its table precompute and
// the offline weight reinterpretation, and a functional GEMM runner through it.
//
// Numerics (hwmodel/README.md "LUT tile numerics" defines them; tests/hwmodel/test_lut.cpp checks
// them against an independent computation):
// - table: T[m][i] = a[m][0] + sum_{k=1..K-1} a[m][k] * (2*bit_{k-1}(i) - 1), i in 0..2^(K-1)-1,
//   formed exactly, then rounded ONCE into the table type (Fp16: RNE; Int8: per-table 2^e scale);
// - weights: u = q (or q with its top bit flipped for Signed); plane b holds, per column n, the bit
//   beta_k = bit b of u[k][n] of every k; the sign element is k = 0: stored index = beta_1..K-1 if
//   beta_0 = 1, their complement if beta_0 = 0, and the stored sign says "negate" when beta_0 = 0;
// - accumulation, per unit (m, n): plane 0: acc = round(z * T_ones + c_0), plane b > 0:
//   acc = round(acc + c_b), where c_b = (+-T[idx]) * 2^b exactly and z * T_ones the
//   reinterpretation's offset (T_ones = the all-(+1) entry T[2^(K-1)-1]; z = 2^B - 1, -1 or 0);
//   every add is exact, then one rounding into the accumulator (RNE; Int32: wrapping);
// - output stage: result = round(psum + h * acc), h = 1/2 (Unsigned, Signed: acc holds sum a*q'
//   plus the offset, i.e. twice the dot product) or 1 (Odd); Int32: psum + (acc >> 1) (arithmetic).
// The published RTL instead adds b to the FP16 exponent field; lut_rtl_exponent_scale() models that
// for the tests that show where it differs.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "emu/env.hpp"
#include "hwmodel/lut/config.hpp"

namespace bitexact::hw {

// One stored table entry as an exact value: (-1)^sign * mant * 2^exp, or a non-finite class.
struct LutEntry {
  int64_t mant = 0;  // >= 0
  int32_t exp = 0;
  uint8_t cls = 0;   // ValueClass (Zero, Finite, Inf, NaN)
  bool sign = false;
};

// The M tables of one K-group (one table per activation row).
struct LutTableSet {
  int m = 0, entries = 0;
  std::vector<LutEntry> entry;     // [row * entries + i]
  std::vector<uint16_t> code;      // stored code: a float16 code, or the int8 t_i as a byte
  std::vector<int32_t> scale_exp;  // Int8: per table e (the scale is 2^e); Fp16: 0
  const LutEntry& at(int row, int i) const { return entry[size_t(row) * size_t(entries) + size_t(i)]; }
};

// Table precompute for one K-group: act holds M rows of K activation codes (act[row * K + k]).
// Decoding follows env's input policies; the entry roundings are RNE with env's other policies.
// Flags (invalid for inf - inf, overflow / inexact of the rounding) go to env.flags.
void lut_precompute_tables(const LutConfig& c, const uint64_t* act, LutTableSet& out, Env& env);

// Offline weight reinterpretation of one K x N weight block (w[k * N + n], codes 0..2^B-1): B bit
// planes of N stored patterns (planes[b * N + n]: bit 0 = negate, bits 1..K-1 = the table index).
void lut_reinterpret_weights(const LutConfig& c, const uint64_t* w, uint8_t* planes);
inline uint8_t lut_pattern_sign(uint8_t p) { return p & 1; }
inline int lut_pattern_index(uint8_t p) { return p >> 1; }

// The weight value of code q under the configuration's mapping.
int lut_weight_value(const LutConfig& c, uint64_t q);

struct LutTileInputs {
  bool valid = false;                   // a bit-plane enters this cycle
  // Plane 0 of an operation: its tables (held for W_BIT cycles), or raw activations (M x K codes)
  // precomputed in the tile (the per-unit precompute the LUT-TC DFG transform removes).
  const LutTableSet* tables = nullptr;
  const uint64_t* act = nullptr;
  const uint8_t* plane = nullptr;       // N stored patterns of this cycle's plane
  // Plane 0: the addend, M x N codes of the accumulator format (nullptr: none), or chain = the
  // previous operation's result (output-stationary accumulation over K-groups).
  const uint64_t* psum = nullptr;
  bool chain = false;
};

struct LutTileOutputs {
  bool valid = false;
  const uint64_t* result = nullptr;  // M x N codes of the accumulator format, valid until the next step
  uint8_t flags = 0;                 // the operation's exception flags
};

class LutTile {
 public:
  LutTile(const LutConfig& c, const Env& env);
  LutTileOutputs step(const LutTileInputs& in);
  void reset();
  uint64_t cycle() const { return cycle_; }
  uint64_t tables_built() const { return tables_built_; }  // tables precomputed inside the tile
  const LutConfig& config() const { return cfg_; }
  const Format& out_format() const { return out_fmt_; }

 private:
  void add_plane(int b, const uint8_t* plane);
  void finish_op();

  LutConfig cfg_;
  Env env_;
  Format out_fmt_;
  int z_ = 0;            // offset multiplier
  bool halve_ = true;
  LutTableSet own_;      // tables precomputed in the tile
  const LutTableSet* tables_ = nullptr;
  std::vector<uint64_t> acc_;    // M x N accumulator codes (Int32: two's complement in the low 32 bits)
  std::vector<uint64_t> psum_;   // latched addend
  bool has_psum_ = false, chain_ = false;
  int plane_ = 0;                // next plane index of the running operation
  uint8_t op_flags_ = 0;
  // Output pipeline: results waiting for their cycle.
  struct Slot { uint64_t ready = 0; bool busy = false; uint8_t flags = 0; std::vector<uint64_t> v; };
  std::vector<Slot> slots_;
  std::vector<uint64_t> last_;   // the latest completed operation's result (chain)
  bool have_last_ = false;
  uint64_t cycle_ = 0, tables_built_ = 0;
};

// A rows x cols x depth GEMM through one tile, operations back to back (m-tile, n-tile, K-group
// order; K-groups chained in the tile). a: rows x depth activation codes; w: depth x cols weight
// codes (0..2^B-1); c: rows x cols accumulator codes or empty; out: rows x cols codes of the
// accumulator format. Rows / depth / cols are padded with zero codes to whole tiles.
struct LutGemmResult {
  uint64_t cycles = 0;  // the cycle of the last result: (ops - 1) * W_BIT + latency (the GEMM runner's law)
  uint64_t ops = 0;     // LMMA operations
  uint64_t tables = 0;  // tables precomputed (M per row tile and K-group, shared by all column tiles)
};
LutGemmResult run_lut_gemm(const LutConfig& cfg, size_t rows, size_t cols, size_t depth,
                           std::span<const uint64_t> a, std::span<const uint64_t> w, std::span<const uint64_t> c,
                           std::span<uint64_t> out, Env& env);

// The published RTL's bit-significance scaling: b added to the float16 exponent field of the code
// (no check for zero, subnormal or overflow). Kept only to show where it departs from exact x 2^b.
uint16_t lut_rtl_exponent_scale(uint16_t fp16_code, int b);

}  // namespace bitexact::hw
