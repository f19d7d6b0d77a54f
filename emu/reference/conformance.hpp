// Conformance: the core (emu/ops.hpp) against the oracle, case by case. Used by
// `bitexact selfcheck` and by the tests in tests/emu/.
//
// run_conformance() with default options is the exhaustive suite for every catalogued format of
// at most 8 bits: every code converted to every catalogued format, every float16 and bfloat16
// code converted into each of them, sqrt of every code, add/sub/mul/div of every pair, fma of
// every triple (formats up to 6 bits) or 1,000,000 seeded random triples (wider formats), under
// every deterministic mode and both overflow policies; plus tininess-before, ftz and daz passes
// and sr / sr:3 passes.
// Work is split by row over `threads` threads; results do not depend on the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "emu/env.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/format.hpp"

namespace bitexact::reference {

struct ConformanceRow {
  std::string format;     // operand format (the source of a conversion)
  std::string operation;  // add, sub, mul, div, sqrt, fma, fma(random), convert, convert->TARGET
  std::string mode;       // rounding mode name
  std::string overflow;   // ieee | saturate
  std::string variant;    // "" (tininess after, keep subnormals), or tininess=before | ftz | daz
  uint64_t cases = 0;
  uint64_t mismatches = 0;
  std::string first_mismatch;  // empty when mismatches == 0
  double seconds = 0;
};

struct ConformanceOptions {
  std::vector<std::string> formats;          // empty: every catalogued format of at most 8 bits
  std::vector<std::string> convert_targets;  // empty: every catalogued format
  std::vector<std::string> wide_sources = {"float16", "bfloat16"};  // every code into each of `formats`
  std::vector<RoundingMode> modes;           // empty: rne rna rtz rup rdn rod
  std::vector<OverflowPolicy> overflow;      // empty: ieee, saturate
  bool convert = true, sqrt = true, binary = true, fma = true;  // which operations
  bool deterministic = true;                 // every mode in `modes` under every policy in `overflow`
  bool variants = true;                      // tininess=before, ftz, daz passes (overflow ieee)
  std::vector<RoundingMode> variant_modes;   // empty: the same as modes
  // Stochastic rows (overflow ieee): sr and sr:R with the counter-based generator keyed by
  // (seed, 0, case index); the oracle reads the same random word.
  bool stochastic = true;
  int stochastic_sr_bits = 3;
  int fma_exhaustive_max_bits = 6;           // every triple up to this width
  uint64_t fma_random_cases = 1'000'000;     // per wider format, spread over its mode x policy rows
  uint64_t variant_fma_random_cases = 100'000;  // per wider format and variant row
  uint64_t seed = 1;
  unsigned threads = 2;
};

using ProgressFn = std::function<void(size_t rows_done, size_t rows_total, const ConformanceRow& row)>;

std::vector<ConformanceRow> run_conformance(const ConformanceOptions& options = {}, const ProgressFn& progress = {});

// One case: an operation on codes of format f (convert: from f to `to`).
struct Case {
  Op op = Op::Add;
  const Format* f = nullptr;
  const Format* to = nullptr;  // Convert only
  uint64_t a = 0, b = 0, c = 0;
};

struct CaseOutcome {
  uint64_t core_code = 0;
  uint8_t core_flags = 0;
  uint8_t core_draws = 0;
  OracleResult oracle;
  bool ok() const { return core_code == oracle.code && core_flags == oracle.flags && core_draws == oracle.draws; }
};

// Runs the core (with a copy of env, flags cleared) and the oracle on the same case.
CaseOutcome check_case(const Case& c, const Env& env, Method method = Method::Auto);
OracleResult run_oracle(const Case& c, const Env& env, Method method = Method::Auto);
// "float8_e4m3fn add rne/ieee a=0x3c b=0x41: core 0x40 ....x, oracle 0x41 ....x"
std::string describe_case(const Case& c, const Env& env, const CaseOutcome& o);
// "rne/ieee", "rne/ieee/tininess=before", "sr:3/ieee"
std::string env_name(const Env& env);

// Calls fn(i) for every i in [0, n) on `threads` threads (dynamic chunks of `chunk`).
void parallel_for(uint64_t n, unsigned threads, const std::function<void(uint64_t)>& fn, uint64_t chunk = 1);

}  // namespace bitexact::reference
