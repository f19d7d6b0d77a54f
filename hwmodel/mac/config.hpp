// The MAC / dot-product unit's one configuration: a DPn unit (n = lanes products per cycle into
// one accumulator that follows an emu accumulation model) and the output-stationary rows x cols
// array of them. The unit model (hwmodel/mac/dpn.hpp), the array (hwmodel/mac/array.hpp), the
// GEMM runner and the cost model all read this struct; specs are the same strings as everywhere
// (parse_scheme, parse_accum_model).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "emu/accum/accum_model.hpp"
#include "emu/scheme.hpp"
#include "hwmodel/unit.hpp"

namespace bitexact::hw {

// How operands reach the PEs of the array.
enum class ArrayFeed : uint8_t {
  Systolic,   // A rows enter at the left edge and move one PE right per cycle, B columns enter at the
              // top and move one PE down per cycle: PE (r, c) sees K-chunk s at cycle s + r + c
  Broadcast,  // every PE of a row gets the row's A chunk, every PE of a column the column's B chunk,
              // in the same cycle (a tensor-core fragment): PE (r, c) sees chunk s at cycle s
};

struct MacConfig {
  int lanes = 4;  // n: products per cycle into the one accumulator (DPn)
  // Operand schemes: scalar formats (int8, int4, float8_e4m3fn, float8_e5m2, float6_*, float4_e2m1fn,
  // float16, bfloat16, ...) or MX block schemes along K (mxfp8_e4m3, mxfp4, mxint8, ...), whose
  // power-of-two block scales enter the unit beside the elements and are applied in it.
  Scheme act, weight;
  // The accumulator: kind, register width, alignment, promotion and output format (FP32 / FP16 /
  // INT32 ...). Default: v100-fp16, a fused 4-term step (k = lanes) into a 24-bit register, fp32 out.
  AccumModel accum;
  int rows = 1, cols = 1;  // output-stationary array of rows x cols DPn units
  int pipeline = 2;        // cycles from a chunk entering a DPn to its effect at the output (>= 1)
  ArrayFeed feed = ArrayFeed::Systolic;

  MacConfig();  // float16 x float16, v100-fp16, 1 x 1, DP4, 2 stages
  bool operator==(const MacConfig& o) const;
};

// Throws std::invalid_argument (one line) when the unit cannot be built: scalar operands other than
// float or int formats of at most 16 bits, lanes, rows, cols or
// pipeline out of range, a pairwise model (a software order over the whole K, not a register),
// block schemes other than MX (power-of-two scales), block inputs with a product mode other than
// exact, or MX blocks that do not tile the lanes (block % lanes == 0 or lanes % block == 0).
void validate(const MacConfig& c);

// One DPn unit: a 1 x 1 x lanes operation per cycle; its result is valid `pipeline` cycles after
// the chunk that ends the dot product entered.
UnitTiming timing(const MacConfig& c);

// Extra cycles the array adds to the unit's latency: operand skew (rows - 1 + cols - 1 for a
// systolic feed, 0 for broadcast).
int array_skew(const MacConfig& c);

// "lanes=8,act=float8_e4m3fn,weight=mxfp4,accum=fused<k=8,acc=24>,rows=16,cols=16,pipeline=3,feed=systolic":
// any subset of the keys, in any order; commas inside <...> belong to the value. Throws FormatError
// (position of the offending character) on a bad spec; the result is validated.
MacConfig parse_mac_config(std::string_view spec);
std::string mac_config_name(const MacConfig& c);  // every key; parse_mac_config(mac_config_name(c)) == c
const char* array_feed_name(ArrayFeed f);

}  // namespace bitexact::hw
