// What one vector line computes: an operation of the registry (emu/operation.hpp) on codes of
// one format (convert: into a second format), or a K-term dot product under an accumulation model
// (emu/accum/), with the format of every operand field and of the result field. gen, verify and
// calc --bulk all read lines through this one description.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "emu/accum/accum_model.hpp"
#include "emu/env.hpp"
#include "emu/operation.hpp"
#include "formats/format.hpp"

namespace bitexact::vectors {

struct VectorOp {
  Operation op = Operation::Add;  // scalar operations (ignored for dot)
  Format f;                       // operand format (dot: the a operands)
  Format to;                      // result format: f, the target of convert, or the model's output format

  // Dot products: sum(a[i] * b[i], i < k) [+ c] under `model`; line fields a0..a(k-1) b0..b(k-1) [c].
  std::optional<AccumModel> model;
  Format fb;  // the b operands' format
  int k = 0;
  bool has_c = false;

  static VectorOp scalar(Operation op, const Format& f, const Format& to);
  static VectorOp dot(const AccumModel& m, const Format& fa, const Format& fb, int k, bool has_c);

  bool is_dot() const { return model.has_value(); }
  int arity() const;
  bool boolean_result() const;
  const Format& operand_format(int i) const;
  const Format& result_format() const { return to; }
  std::string name() const;              // "add", "convert", "dot"
  std::string field_name(int i) const;   // "a", "b", "c"; dot: "a0".."a3", "b0".., "c"
  std::string describe() const;          // "float16 add", "float16 convert to e4m3", "float8_e4m3fn dot4 h100-fp8"
  // The result code (0/1 for comparisons) on operand codes x[0..arity); flags go to env.flags.
  uint64_t compute(const uint64_t* x, Env& env) const;
};

}  // namespace bitexact::vectors
