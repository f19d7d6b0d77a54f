#include "tools/vectors/vector_op.hpp"

#include <span>

#include <fmt/format.h>

#include "emu/accum/dot.hpp"

namespace bitexact::vectors {

VectorOp VectorOp::scalar(Operation op, const Format& f, const Format& to) {
  VectorOp v;
  v.op = op;
  v.f = f;
  v.to = op == Operation::Convert ? to : f;
  return v;
}

VectorOp VectorOp::dot(const AccumModel& m, const Format& fa, const Format& fb, int k, bool has_c) {
  VectorOp v;
  v.model = m;
  v.f = fa;
  v.fb = fb;
  v.to = m.out_format;
  v.k = k;
  v.has_c = has_c;
  return v;
}

int VectorOp::arity() const { return is_dot() ? 2 * k + (has_c ? 1 : 0) : operation_info(op).arity; }
bool VectorOp::boolean_result() const { return !is_dot() && operation_info(op).boolean_result; }

const Format& VectorOp::operand_format(int i) const {
  if (!is_dot() || i < k) return f;
  return i < 2 * k ? fb : to;
}

std::string VectorOp::name() const { return is_dot() ? "dot" : std::string(operation_info(op).name); }

std::string VectorOp::field_name(int i) const {
  if (is_dot()) return i < k ? fmt::format("a{}", i) : i < 2 * k ? fmt::format("b{}", i - k) : "c";
  static const char* names[] = {"a", "b", "c"};
  return names[i];
}

std::string VectorOp::describe() const {
  if (is_dot())
    return fmt::format("{}{} dot{}{} {}", f.name, fb.name == f.name ? "" : " x " + fb.name, k, has_c ? "+c" : "",
                       accum_model_name(*model));
  if (op == Operation::Convert) return fmt::format("{} convert to {}", f.name, to.name);
  return fmt::format("{} {}", f.name, name());
}

uint64_t VectorOp::compute(const uint64_t* x, Env& env) const {
  if (is_dot())
    return bitexact::dot(*model, f, std::span<const uint64_t>(x, size_t(k)), fb,
                         std::span<const uint64_t>(x + k, size_t(k)), has_c ? x[2 * k] : 0, has_c, env);
  return apply_operation(op, f, x, to, env);
}

}  // namespace bitexact::vectors
