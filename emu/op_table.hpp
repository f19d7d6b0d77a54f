// Precomputed binary operations for formats of at most 8 bits: one (code, flags) entry per operand
// pair, filled by the generic operation, so apply() is a table lookup. For hot loops over FP8/FP6/FP4
// (GEMM emulation, sweeps); every entry equals the generic path by construction, and
// tests/emu/test_op_table.cpp checks the indexing on every pair of every small format.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "emu/env.hpp"
#include "formats/format.hpp"

namespace bitexact {

enum class BinaryOp : uint8_t { Add, Sub, Mul, Div, Min, Max };

class BinaryOpTable {
 public:
  // Throws std::invalid_argument for formats wider than 8 bits or stochastic modes (whose results
  // depend on the random draw, not only on the operands).
  BinaryOpTable(BinaryOp op, const Format& f, const Env& env);

  uint64_t apply(uint64_t a, uint64_t b, Env& env) const {
    const uint64_t mask = (uint64_t{1} << width_) - 1;
    const uint16_t e = table_[((a & mask) << width_) | (b & mask)];
    env.flags |= uint8_t(e >> 8);
    return e & 0xFF;
  }
  int width() const { return width_; }

 private:
  int width_;
  std::vector<uint16_t> table_;  // code in the low byte, flags in the high byte
};

uint64_t apply_binary(BinaryOp op, const Format& f, uint64_t a, uint64_t b, Env& env);

}  // namespace bitexact
