// The scalar operations by name: one registry that the CLI (calc, gen, verify) and the DPI-C
// model share, so an operation's name, arity and result kind are defined once.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "emu/env.hpp"
#include "formats/format.hpp"

namespace bitexact {

// The numeric values are part of the DPI-C interface (rtl/dpi): append, never renumber.
enum class Operation : uint8_t { Add = 0, Sub, Mul, Div, Fma, Sqrt, Min, Max, Eq, Lt, Le, Convert };

struct OperationInfo {
  Operation op;
  std::string_view name;
  int arity;            // operands of the source format
  bool boolean_result;  // eq, lt, le: the result is 0 or 1
  std::string_view summary;
};

std::span<const OperationInfo> operations();
const OperationInfo& operation_info(Operation op);
std::optional<Operation> find_operation(std::string_view name);
// "add, sub, ..." for error messages and --help.
std::string_view operation_names();

// The result of op on operand codes x[0..arity) of f: a code of `to` for Convert, a code of f for the
// arithmetic operations, 0 or 1 for comparisons. Flags accumulate in env.flags.
uint64_t apply_operation(Operation op, const Format& f, const uint64_t* x, const Format& to, Env& env);
inline uint64_t apply_operation(Operation op, const Format& f, const uint64_t* x, Env& env) {
  return apply_operation(op, f, x, f, env);
}

}  // namespace bitexact
