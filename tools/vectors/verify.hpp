// DUT verification: read result lines in any encoding, recompute every golden result with the
// core (a stored answer is never trusted), compare codes and flags. NaN results compare by class
// (any NaN matches any NaN, as testfloat_ver) or bit for bit against the golden NaN of a NaN
// style. Shared by `bitexact verify` and `calc --bulk`.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "emu/env.hpp"
#include "tools/vectors/encoding.hpp"
#include "tools/vectors/nan_style.hpp"
#include "tools/vectors/vector_op.hpp"

namespace bitexact::vectors {

struct VerifyPolicy {
  bool nan_exact = false;   // false: NaN results compare by class
  bool check_flags = true;
  NanStyle nan_style = NanStyle::Canonical;  // the golden NaN code when nan_exact
};

struct Mismatch {
  uint64_t line = 0;  // 1-based line number in the input
  std::vector<uint64_t> x;
  uint64_t want = 0, got = 0;
  uint8_t want_flags = 0, got_flags = 0;
};

// Whether a DUT's result and flags match the golden ones under the policy.
bool result_matches(const VectorOp& op, const VerifyPolicy& p, uint64_t want, uint8_t want_flags, uint64_t got,
                    uint8_t got_flags);

// Compares one DUT line with the golden result of its operands (case index `index`, used by
// stochastic modes). Returns true on a match; fills *m otherwise.
bool check_case(const VectorOp& op, const Env& env, const VerifyPolicy& p, const ParsedLine& pl, uint64_t index,
                Mismatch* m);

// A malformed or incomplete line: what() is "NAME:LINE: message".
struct LineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct VerifyResult {
  uint64_t passed = 0, failed = 0;
  std::vector<Mismatch> first;  // at most max_report
};

// Verifies every line of `in` (named `name` in messages). Encoding: as given, else from the
// first data line's content. Case indices count data lines from first_index (JSONL lines carry
// their own). Throws LineError on the first malformed line.
VerifyResult verify_stream(std::istream& in, const std::string& name, std::optional<Encoding> encoding,
                           const VectorOp& op, const Env& env, const VerifyPolicy& p, uint64_t first_index = 0,
                           size_t max_report = 20);

// The report of one mismatch, several lines, each ending in '\\n':
//   NAME:LINE: add 3C00 0001  (1, 6e-08)
//     expected 3C00 (1) flags 01 ....x
//     actual   3C01 (1.001) flags 01 ....x
std::string describe_mismatch(const VectorOp& op, const std::string& name, const Mismatch& m);

}  // namespace bitexact::vectors
