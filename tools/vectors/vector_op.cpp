#include "tools/vectors/vector_op.hpp"

#include <fmt/format.h>

namespace bitexact::vectors {

VectorOp VectorOp::scalar(Operation op, const Format& f, const Format& to) {
  VectorOp v;
  v.op = op;
  v.f = f;
  v.to = op == Operation::Convert ? to : f;
  return v;
}

int VectorOp::arity() const { return operation_info(op).arity; }
bool VectorOp::boolean_result() const { return operation_info(op).boolean_result; }
const Format& VectorOp::operand_format(int) const { return f; }
std::string VectorOp::name() const { return std::string(operation_info(op).name); }

std::string VectorOp::field_name(int i) const {
  static const char* names[] = {"a", "b", "c"};
  return names[i];
}

std::string VectorOp::describe() const {
  if (op == Operation::Convert) return fmt::format("{} convert to {}", f.name, to.name);
  return fmt::format("{} {}", f.name, name());
}

uint64_t VectorOp::compute(const uint64_t* x, Env& env) const { return apply_operation(op, f, x, to, env); }

}  // namespace bitexact::vectors
