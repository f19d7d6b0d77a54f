// The operand list of a gen run: a pure function from a global case index to the operands, so
// any shard computes its slice without the others and random cases never depend on the split.
//
// sanity: the cross product of sanity_codes() for one- and two-operand operations, of its first
// eight codes for three; for more operands (dot products) every sanity code in one operand with
// the others 1 (one-hot), then every operand at the i-th sanity code of its format. standard: `count` cases (default 20000); every operand is, by the bits
// of counter_random(seed, operand slot, index): a pattern code (1/2), a pattern exponent with a
// random significand (1/4, floats), or a uniformly random code (1/4). exhaustive: every operand
// tuple, first operand slowest; list: operand tuples given by the caller; allowed for all codes of formats up to 16 bits, all pairs up to
// 8 bits and all triples up to 6 bits (2^18 cases).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/vectors/vector_op.hpp"

namespace bitexact::vectors {

enum class Level : uint8_t { Sanity, Standard, Exhaustive, List };
Level parse_level(std::string_view s);  // sanity | standard | exhaustive; std::invalid_argument
std::string_view level_name(Level l);

inline constexpr uint64_t kDefaultStandardCount = 20000;

class CaseSet {
 public:
  // Throws std::invalid_argument when the level does not apply (exhaustive too large, --count with
  // a level that has a fixed size).
  CaseSet(const VectorOp& op, Level level, uint64_t seed, std::optional<uint64_t> count);
  // Level::List: the given operand tuples (arity codes per case, flattened), e.g. read from the
  // lines of another tool's vector file.
  CaseSet(const VectorOp& op, std::vector<uint64_t> flat_operands);

  uint64_t size() const { return size_; }
  void operands(uint64_t index, uint64_t* x) const;  // x[0..arity)

 private:
  Level level_;
  uint64_t seed_;
  uint64_t size_ = 0;
  int arity_;
  std::vector<std::vector<uint64_t>> lists_;  // per slot: sanity list or pattern list
  std::vector<std::vector<uint64_t>> exps_;   // per slot (floats): pattern exponent fields
  std::vector<int> man_bits_;                 // per slot: -1 for non-float formats
  std::vector<uint64_t> masks_;               // per slot: code mask
  std::vector<int> widths_;
  std::vector<uint64_t> sign_bits_;
  std::vector<uint64_t> list_;                // Level::List
  std::vector<uint64_t> base_;                // sanity, more than 3 operands: the code of 1 per slot
  uint64_t one_hot_ = 0;                      // sanity, more than 3 operands: number of one-hot cases           // per slot: 0 for unsigned formats
};

}  // namespace bitexact::vectors
