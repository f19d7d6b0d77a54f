// What every hardware unit model shares: its kind and the shape and timing of one unit
// operation, which the GEMM runner (hwmodel/gemm_runner.hpp) and the cost model read.
#pragma once

#include <cstdint>
#include <string_view>

namespace bitexact::hw {

enum class UnitKind : uint8_t { Mac, BitSerial, Lut };

std::string_view unit_kind_name(UnitKind k);  // "mac", "bitserial", "lut"

// One unit operation consumes an activation tile [tile_m x tile_k] and a weight tile
// [tile_k x tile_n] and adds their product into tile_m x tile_n accumulators. A new operation can
// start every cycles_per_op cycles (the initiation interval: 1 for a pipelined DPn, the weight's
// bit count / bits per cycle for bit-serial units, W_BIT for a LUT tile); its result is valid
// latency cycles after its first input.
struct UnitTiming {
  int tile_m = 1, tile_n = 1, tile_k = 1;
  int cycles_per_op = 1;
  int latency = 1;

  double macs_per_cycle() const {
    return double(tile_m) * double(tile_n) * double(tile_k) / double(cycles_per_op);
  }
};

}  // namespace bitexact::hw
