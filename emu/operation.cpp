#include "emu/operation.hpp"

#include <array>

#include "emu/ops.hpp"

namespace bitexact {

namespace {

constexpr std::array<OperationInfo, 12> kOperations{{
    {Operation::Add, "add", 2, false, "a + b"},
    {Operation::Sub, "sub", 2, false, "a - b"},
    {Operation::Mul, "mul", 2, false, "a * b"},
    {Operation::Div, "div", 2, false, "a / b"},
    {Operation::Fma, "fma", 3, false, "a * b + c, one rounding"},
    {Operation::Sqrt, "sqrt", 1, false, "square root of a"},
    {Operation::Min, "min", 2, false, "IEEE 754-2019 minimumNumber(a, b)"},
    {Operation::Max, "max", 2, false, "IEEE 754-2019 maximumNumber(a, b)"},
    {Operation::Eq, "eq", 2, true, "a == b (quiet)"},
    {Operation::Lt, "lt", 2, true, "a < b (signalling)"},
    {Operation::Le, "le", 2, true, "a <= b (signalling)"},
    {Operation::Convert, "convert", 1, false, "a converted to another format"},
}};

}  // namespace

std::span<const OperationInfo> operations() { return kOperations; }

const OperationInfo& operation_info(Operation op) { return kOperations[size_t(op)]; }

std::optional<Operation> find_operation(std::string_view name) {
  for (const OperationInfo& i : kOperations)
    if (i.name == name) return i.op;
  return std::nullopt;
}

std::string_view operation_names() { return "add, sub, mul, div, fma, sqrt, min, max, eq, lt, le, convert"; }

uint64_t apply_operation(Operation op, const Format& f, const uint64_t* x, const Format& to, Env& env) {
  switch (op) {
    case Operation::Add: return add(f, x[0], x[1], env);
    case Operation::Sub: return sub(f, x[0], x[1], env);
    case Operation::Mul: return mul(f, x[0], x[1], env);
    case Operation::Div: return div(f, x[0], x[1], env);
    case Operation::Fma: return fma(f, x[0], x[1], x[2], env);
    case Operation::Sqrt: return sqrt(f, x[0], env);
    case Operation::Min: return min(f, x[0], x[1], env);
    case Operation::Max: return max(f, x[0], x[1], env);
    case Operation::Eq: return eq(f, x[0], x[1], env) ? 1 : 0;
    case Operation::Lt: return lt(f, x[0], x[1], env) ? 1 : 0;
    case Operation::Le: return le(f, x[0], x[1], env) ? 1 : 0;
    case Operation::Convert: return convert(f, x[0], to, env);
  }
  return 0;
}

}  // namespace bitexact
