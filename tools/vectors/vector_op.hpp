// What one vector line computes: an operation of the registry (emu/operation.hpp) on codes of
// one format (convert: into a second format), with the format of every operand field and of
// the result field. gen, verify and calc --bulk all read lines through this one description.
#pragma once

#include <cstdint>
#include <string>

#include "emu/env.hpp"
#include "emu/operation.hpp"
#include "formats/format.hpp"

namespace bitexact::vectors {

struct VectorOp {
  Operation op = Operation::Add;
  Format f;   // operand format
  Format to;  // result format: f, or the target of convert

  static VectorOp scalar(Operation op, const Format& f, const Format& to);

  int arity() const;
  bool boolean_result() const;
  const Format& operand_format(int i) const;
  const Format& result_format() const { return to; }
  std::string name() const;                 // "add", "convert"
  std::string field_name(int i) const;      // "a", "b", "c"
  std::string describe() const;             // "float16 add", "float16 convert to float8_e4m3fn"
  // The result code (0/1 for comparisons) on operand codes x[0..arity); flags go to env.flags.
  uint64_t compute(const uint64_t* x, Env& env) const;
};

}  // namespace bitexact::vectors
