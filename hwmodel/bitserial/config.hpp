// The bit-serial unit's one configuration: a PE of `lanes` dot-product lanes that streams each
// weight one digit per lane per cycle (BitMoD's PE, Stripes / Loom bit planes; hardware.md §2.1,
// §2.2) and hands every finished weight group (the exact dot product of its lanes) to an
// accumulator that follows an emu accumulation model; and the rows x cols array of such PEs. The
// PE (hwmodel/bitserial/pe.hpp), the array, the GEMM runner and the cost model all read this
// struct; specs are the same strings as everywhere (parse_format, parse_accum_model).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "emu/accum/accum_model.hpp"
#include "formats/format.hpp"
#include "hwmodel/unit.hpp"

namespace bitexact::hw {

// How a weight is cut into the digits streamed one per lane per cycle (hwmodel/bitserial/decompose.hpp).
enum class SerialEncoding : uint8_t {
  BitPlane,  // integer weights, 1 bit per cycle (Stripes / Loom): two's complement bit planes, the
             // MSB plane of a signed weight weighs -2^(b-1); b cycles
  Booth4,    // integer weights, 2 bits per cycle (BitMoD INT): radix-4 Booth digits in {-2..2};
             // ceil(b/2) cycles (unsigned: one zero bit more, ceil((b+1)/2))
  Terms,     // any finite weight format (FP3 / FP4 / FP6, BitMoD codebooks, integers): signed
             // power-of-two terms, the ones of the magnitude from the leading one down; as many
             // cycles as the format's largest term count (2 for FP4 and every BitMoD type)
};

struct BitSerialConfig {
  int lanes = 4;           // L: weight x activation pairs per group (BitMoD: 4)
  int bits_per_cycle = 2;  // 1: BitPlane; 2: Booth4 or Terms (one term per cycle)
  // Activations: integers (int8 ...) or floats (float16, bfloat16, float8_e4m3fn, float8_e5m2, ...)
  // of at most 16 bits and 24 significand bits. Weights: at most 8 bits, every code finite:
  // int2..int8 / uint2..uint8, float3/4/6 (float4_e2m1fn, float6_e2m3fn, float6_e3m2fn, ...),
  // value tables (bitmod_fp3, bitmod_fp4_er_pos, ...).
  Format act, weight;
  SerialEncoding encoding = SerialEncoding::Booth4;
  // The accumulator after the group sum: exact (Kulisch), sequential or fused over the stream of
  // exact group sums; products exact (the PE forms them exactly), not pairwise, sequential only
  // with fma=true. Default: exact,
  // float32 out.
  AccumModel accum;
  int rows = 1, cols = 1;  // output-stationary array of rows x cols PEs

  BitSerialConfig();  // float16 activations x int8 weights, Booth4, 4 lanes, exact -> float32
  bool operator==(const BitSerialConfig& o) const;
};

// The default encoding of a weight format at a bits-per-cycle: integers BitPlane (1) / Booth4 (2),
// everything else Terms.
SerialEncoding default_encoding(const Format& weight, int bits_per_cycle);

// Throws std::invalid_argument (one line, "bitserial: ...") when the unit cannot be built: lanes,
// rows, cols out of range; an activation or weight format the PE does not stream; BitPlane / Booth4
// on non-integer weights; an encoding whose bits per cycle differ from bits_per_cycle (BitPlane 1,
// Booth4 and Terms 2); a pairwise model, a product mode other than exact, or a sequential model
// with fma=false (it rounds each product).
void validate(const BitSerialConfig& c);

// Cycles the PE spends on one weight group: BitPlane b, Booth4 ceil(b/2) (unsigned ceil((b+1)/2)),
// Terms the largest term count over the weight format's codes.
int cycles_per_weight(const BitSerialConfig& c);

// One PE: a 1 x 1 x lanes operation every cycles_per_weight cycles; a dot product's result leaves
// the PE one cycle after its last group's last digit (latency cycles_per_weight + 1).
UnitTiming timing(const BitSerialConfig& c);

// "lanes=4,bits=2,act=float16,weight=bitmod_fp4_er_pos,encoding=terms,accum=exact,rows=16,cols=16":
// any subset of the keys in any order (bits = bits_per_cycle; encoding defaults from weight and bits
// when not given); commas inside <...> belong to the value. Throws FormatError on a bad spec; the
// result is validated.
BitSerialConfig parse_bitserial_config(std::string_view spec);
std::string bitserial_config_name(const BitSerialConfig& c);  // every key; parse(name(c)) == c
const char* serial_encoding_name(SerialEncoding e);           // "bitplane", "booth4", "terms"

}  // namespace bitexact::hw
