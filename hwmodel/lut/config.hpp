// The LUT Tensor Core tile's one configuration (Mo et al., ISCA 2025; hardware.md §1): an
// M x N x K tile whose M tables (one per activation row, 2^(K-1) entries after symmetrization)
// are read by M*N LUT units with one weight bit-plane per cycle. The tile model
// (hwmodel/lut/tile.hpp), the GEMM runner and the cost model read this struct. Its numerics are
// defined exactly in hwmodel/README.md "LUT tile numerics" (and the top-level README).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "formats/format.hpp"
#include "hwmodel/unit.hpp"

namespace bitexact::hw {

// How the table entries are stored.
enum class LutTable : uint8_t {
  Int8,  // per table: int8 entries t_i in [-127, 127] and one power-of-two scale 2^e (see README)
  Fp16,  // each entry rounded once to float16, RNE
};

// The accumulator of each LUT unit (m, n) and the tile's output / psum format.
enum class LutAccum : uint8_t {
  Int32,  // a 32-bit two's complement register, wrapping adds (integer activations only)
  Fp16,   // float16 register, every add rounded once (RNE, subnormals kept)
  Fp32,   // float32 register, every add rounded once (RNE, subnormals kept)
};

// What a B-bit weight code q (0 .. 2^B - 1) means. Every mapping is fed to the tile as the bit
// planes of an unsigned code u (u = q, or q with its top bit flipped for Signed); plane bit
// beta maps to s = 2*beta - 1, so sum_b 2^b s_b = 2u - (2^B - 1) = q' (the reinterpretation).
enum class LutWeight : uint8_t {
  Unsigned,  // w = q                           (u = q;                  w = (q' + 2^B - 1) / 2)
  Signed,    // w = q as B-bit two's complement (u = q ^ 2^(B-1);        w = (q' - 1) / 2)
  Odd,       // w = 2q - (2^B - 1): the odd levels themselves, e.g. B=1 -> {-1, +1} (no offset)
};

struct LutConfig {
  int m = 2, n = 64, k = 4;  // tile: M activation rows (tables), N weight columns, K-element groups
  int w_bits = 2;            // B: weight bits, one bit-plane per cycle (1..4)
  LutWeight weight = LutWeight::Unsigned;
  // Activation format: an integer format of at most 16 bits (int8, int16, ...) or a float format
  // whose values lie on 2^-24 .. 2^16 (float16, float8_e4m3fn, float8_e5m2, float6_*, float4_e2m1fn).
  Format act;
  LutTable table = LutTable::Fp16;
  LutAccum accum = LutAccum::Fp32;
  // Cycles from the last bit-plane entering to the result at the output (>= 1). The last stage
  // adds the psum and applies the reinterpretation's halving (README); 2 matches the published
  // RTL's stage2 variant (one register stage after the W_BIT accumulation cycles).
  int pipeline = 2;

  LutConfig();  // M2N64K4, W2 unsigned, float16 activations, Fp16 table, Fp32 accumulator
  bool operator==(const LutConfig& o) const;

  int entries() const { return 1 << (k - 1); }  // 2^(K-1) table entries
};

// Throws std::invalid_argument (one line) when the tile cannot be built: shape or w_bits out of
// range (m, n 1..4096, k 1..8, w_bits 1..4, pipeline 1..64), an activation format outside the
// fixed-point range above, an Int32 accumulator with non-integer activations, or an Fp16 table
// with an Int32 accumulator whose table entries could overflow float16 (K * max|a| > 65504).
void validate(const LutConfig& c);

// One LMMA: an M x N x K operation every W_BIT cycles (M*N*K/W_BIT MACs per cycle); its result is
// at the output W_BIT - 1 + pipeline cycles after its first bit-plane entered. Back to back,
// `ops` operations take ops * W_BIT + pipeline step() calls, the last result in cycle
// (ops - 1) * W_BIT + latency (the GEMM runner's law, hwmodel/gemm_runner.hpp).
UnitTiming timing(const LutConfig& c);

// The table precompute work (done outside the tile, on the vector unit, fused with the producer of
// the activations: hardware.md §1.2), as counts the cost model reads.
struct LutPrecompute {
  int tables_per_op = 0;        // M: one table per activation row and K-group
  int entries = 0;              // 2^(K-1)
  int adds_naive = 0;           // per table: each entry as its own (K-1)-add sum
  int adds_incremental = 0;     // per table: K-1 adds for the first entry, then one add per entry
                                // (entry i = entry (i with one bit cleared) + 2 a_k; 2 a_k is a shift)
  int quant_ops = 0;            // per table, Int8 tables: entries-1 max-compares (absmax) + entries
                                // scale-and-round operations; 0 for Fp16 tables (the rounding is the add's)
  int lookups_per_table = 0;    // reads of one table by one op: N units x W_BIT planes
};
LutPrecompute lut_precompute(const LutConfig& c);

// The precompute for a whole GEMM (rows x cols x depth = M x N x K of the layer) on this tile.
struct LutGemmPrecompute {
  uint64_t tables = 0;            // rows * ceil(depth / K): each table built once, reused by every column tile
  uint64_t adds = 0;              // tables * adds_incremental
  uint64_t quant_ops = 0;         // tables * quant_ops
  uint64_t tables_unfused = 0;    // rebuilt for every column tile (per-op precompute, no reuse): * ceil(cols / N)
  uint64_t lookups = 0;           // table reads: rows_padded * cols_padded * ceil(depth / K) * W_BIT
  double adds_per_mac = 0;        // adds / (rows * cols * depth)
};
LutGemmPrecompute lut_gemm_precompute(const LutConfig& c, uint64_t rows, uint64_t cols, uint64_t depth);

// "m=2,n=64,k=4,w_bits=2,weight=unsigned,act=int8,table=int8,accum=int32,pipeline=2": any subset
// of the keys, any order. Throws FormatError (position of the offending character); validated.
LutConfig parse_lut_config(std::string_view spec);
std::string lut_config_name(const LutConfig& c);  // every key; parse_lut_config(lut_config_name(c)) == c
const char* lut_table_name(LutTable t);            // "int8", "fp16"
const char* lut_accum_name(LutAccum a);            // "int32", "fp16", "fp32"
const char* lut_weight_name(LutWeight w);          // "unsigned", "signed", "odd"

}  // namespace bitexact::hw
