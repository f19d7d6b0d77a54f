#include "emu/op_table.hpp"

#include <stdexcept>

#include "emu/ops.hpp"

namespace bitexact {

uint64_t apply_binary(BinaryOp op, const Format& f, uint64_t a, uint64_t b, Env& env) {
  switch (op) {
    case BinaryOp::Add: return add(f, a, b, env);
    case BinaryOp::Sub: return sub(f, a, b, env);
    case BinaryOp::Mul: return mul(f, a, b, env);
    case BinaryOp::Div: return div(f, a, b, env);
    case BinaryOp::Min: return min(f, a, b, env);
    case BinaryOp::Max: return max(f, a, b, env);
  }
  return 0;
}

BinaryOpTable::BinaryOpTable(BinaryOp op, const Format& f, const Env& env) : width_(f.width()) {
  if (width_ > 8) throw std::invalid_argument("operation tables are limited to formats of at most 8 bits");
  if (env.mode == RoundingMode::SR || env.mode == RoundingMode::SRR)
    throw std::invalid_argument("operation tables cannot hold stochastic rounding");
  const uint64_t n = uint64_t{1} << width_;
  table_.resize(n * n);
  for (uint64_t a = 0; a < n; ++a)
    for (uint64_t b = 0; b < n; ++b) {
      Env e = env;
      e.flags = 0;
      const uint64_t r = apply_binary(op, f, a, b, e);
      table_[(a << width_) | b] = uint16_t(r | (uint64_t(e.flags) << 8));
    }
}

}  // namespace bitexact
